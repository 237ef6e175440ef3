use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Slows down password guessing per account *from one client address*, and per client address
/// across accounts. Nothing counts per account alone: a stranger's wrong guesses lock out the
/// stranger's address, never the owner signing in from elsewhere. A client (which may be a whole
/// office behind one address) gets more room across accounts than one account from it.
#[derive(Debug)]
pub struct SignInThrottle {
    pub per_account_from_client: Limiter,
    pub per_client: Limiter,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            per_account_from_client: Limiter::new(Policy::default()),
            per_client: Limiter::new(Policy {
                free_failures: 30,
                ..Policy::default()
            }),
        }
    }
}

/// Each key may fail `free_failures` times within `window`; after that every further failure
/// doubles a lock-out, starting at `base_lockout` and capped at `max_lockout`. A success clears
/// the key.
#[derive(Debug)]
pub struct Limiter {
    policy: Policy,
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub free_failures: u32,
    pub window: Duration,
    pub base_lockout: Duration,
    pub max_lockout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            free_failures: 5,
            window: Duration::from_secs(15 * 60),
            base_lockout: Duration::from_secs(30),
            max_lockout: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

const MAX_ENTRIES: usize = 100_000;

impl Limiter {
    pub fn new(policy: Policy) -> Self {
        Limiter {
            policy,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` while `key` is locked out.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key).and_then(|e| e.locked_until) {
            Some(until) if until > now => Err((until - now).as_secs().max(1)),
            _ => Ok(()),
        }
    }

    /// Counts a failure; returns the lock-out in seconds when this failure started one.
    pub fn record_failure(&self, key: &str, now: Instant) -> Option<u64> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let window = self.policy.window;
            entries.retain(|_, e| now.duration_since(e.last_failure) < window);
        }
        let entry = entries.entry(key.to_owned()).or_insert(Entry {
            failures: 0,
            last_failure: now,
            locked_until: None,
        });
        if now.duration_since(entry.last_failure) >= self.policy.window {
            entry.failures = 0;
        }
        entry.failures += 1;
        entry.last_failure = now;
        if entry.failures > self.policy.free_failures {
            let doublings = (entry.failures - self.policy.free_failures - 1).min(16);
            let lockout = self
                .policy
                .base_lockout
                .saturating_mul(1 << doublings)
                .min(self.policy.max_lockout);
            entry.locked_until = Some(now + lockout);
            return Some(lockout.as_secs().max(1));
        }
        None
    }

    /// Takes back one counted attempt that turned out to be a success.
    pub fn forgive_one(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get_mut(key) {
            entry.failures = entry.failures.saturating_sub(1);
            if entry.failures <= self.policy.free_failures {
                entry.locked_until = None;
            }
        }
    }

    pub fn record_success(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_free_failures_and_doubles_each_time() {
        let throttle = Limiter::new(Policy::default());
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(throttle.check("a@x", t0).is_ok());
            throttle.record_failure("a@x", t0);
        }
        assert!(throttle.check("a@x", t0).is_ok(), "five failures are free");
        assert_eq!(throttle.record_failure("a@x", t0), Some(30));
        assert_eq!(throttle.check("a@x", t0), Err(30));
        let t1 = t0 + Duration::from_secs(31);
        assert!(throttle.check("a@x", t1).is_ok());
        throttle.record_failure("a@x", t1);
        assert_eq!(throttle.check("a@x", t1), Err(60));
        assert!(
            throttle.check("b@x", t1).is_ok(),
            "other keys are untouched"
        );
    }

    #[test]
    fn success_clears_and_old_failures_expire() {
        let throttle = Limiter::new(Policy::default());
        let t0 = Instant::now();
        for _ in 0..6 {
            throttle.record_failure("a@x", t0);
        }
        throttle.record_success("a@x");
        assert!(throttle.check("a@x", t0).is_ok());

        for _ in 0..5 {
            throttle.record_failure("c@x", t0);
        }
        let later = t0 + Duration::from_secs(16 * 60);
        throttle.record_failure("c@x", later);
        assert!(throttle.check("c@x", later).is_ok(), "the window restarted");
    }
}
