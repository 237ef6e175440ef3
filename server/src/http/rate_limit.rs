//! Request limits per client address (an IPv6 /64 counts as one) and per account, through
//! `governor`'s GCRA: sign-up (an argon2 hash each), the writes that reach other people
//! (reports, reviews, friend and group requests, registrations), every other write, and the
//! expensive reads (search and its suggestions). Past a limit the answer is 429 with
//! `Retry-After`; a browser posting a form without JavaScript gets a page that says when to try
//! again. `LINEUP_RATE_LIMITS` multiplies every limit (`off` turns them off).
use std::{
    num::NonZeroU32,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_sessions::Session;

use app::{
    domain::{client::ClientAddress, context::USER_ID_KEY},
    i18n::td_string,
    model::language::{from_headers, tag},
};

/// What a request costs against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    SignUp,
    /// Writes that reach other people or hold seats.
    Reach,
    Write,
    Search,
}

impl Class {
    pub fn of(method: &Method, path: &str) -> Option<Class> {
        const REACH: [&str; 5] = [
            "/api/events/flag",
            "/api/events/review",
            "/api/social/person/act",
            "/api/social/group/act",
            "/api/tickets/register",
        ];
        let write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        match path {
            // Stripe's deliveries are signed and replayed by Stripe: never refused here
            "/stripe/webhook" => None,
            "/api/accounts/sign_up" if write => Some(Class::SignUp),
            p if write && REACH.contains(&p) => Some(Class::Reach),
            "/search" | "/api/discovery/search" | "/api/discovery/suggest" => Some(Class::Search),
            _ if write => Some(Class::Write),
            _ => None,
        }
    }
}

/// A limit: `burst` at once, then one more every `every`.
#[derive(Debug, Clone, Copy)]
struct Rate {
    burst: u32,
    every: Duration,
}

const fn rate(burst: u32, every: Duration) -> Rate {
    Rate { burst, every }
}

/// (per client, per account) for each class.
fn rates(class: Class) -> (Rate, Option<Rate>) {
    const SECOND: Duration = Duration::from_secs(1);
    match class {
        Class::SignUp => (rate(5, Duration::from_secs(600)), None),
        Class::Reach => (
            rate(40, Duration::from_secs(15)),
            Some(rate(20, Duration::from_secs(30))),
        ),
        Class::Write => (
            rate(120, Duration::from_millis(250)),
            Some(rate(60, SECOND)),
        ),
        Class::Search => (rate(30, Duration::from_millis(200)), None),
    }
}

fn quota(rate: Rate, scale: u32) -> Quota {
    let burst = NonZeroU32::new(rate.burst.saturating_mul(scale)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(rate.every / scale)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
        .allow_burst(burst)
}

struct Limit {
    per_client: DefaultKeyedRateLimiter<String>,
    per_account: Option<DefaultKeyedRateLimiter<i32>>,
}

impl Limit {
    fn new(class: Class, scale: u32) -> Limit {
        let (client, account) = rates(class);
        Limit {
            per_client: RateLimiter::keyed(quota(client, scale)),
            per_account: account.map(|a| RateLimiter::keyed(quota(a, scale))),
        }
    }
}

pub struct RateLimits {
    sign_up: Limit,
    reach: Limit,
    write: Limit,
    search: Limit,
    checks: AtomicU64,
}

impl RateLimits {
    /// `None` when `scale` is 0 (limits off).
    pub fn new(scale: u32) -> Option<Arc<RateLimits>> {
        (scale > 0).then(|| {
            Arc::new(RateLimits {
                sign_up: Limit::new(Class::SignUp, scale),
                reach: Limit::new(Class::Reach, scale),
                write: Limit::new(Class::Write, scale),
                search: Limit::new(Class::Search, scale),
                checks: AtomicU64::new(0),
            })
        })
    }

    fn limit(&self, class: Class) -> &Limit {
        match class {
            Class::SignUp => &self.sign_up,
            Class::Reach => &self.reach,
            Class::Write => &self.write,
            Class::Search => &self.search,
        }
    }

    /// `Err(seconds to wait)` when the client or the account is over the class's limit.
    pub fn check(&self, class: Class, client: &str, account: Option<i32>) -> Result<(), u64> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.forget_idle();
        }
        let limit = self.limit(class);
        let clock = governor::clock::DefaultClock::default();
        let wait = |not_until: governor::NotUntil<_>| {
            not_until.wait_time_from(clock.now()).as_secs().max(1)
        };
        limit
            .per_client
            .check_key(&client.to_owned())
            .map_err(wait)?;
        if let (Some(per_account), Some(id)) = (&limit.per_account, account) {
            per_account.check_key(&id).map_err(wait)?;
        }
        Ok(())
    }

    /// Drops the keys whose limits are full again, so memory follows the clients of the last
    /// minutes, not every client ever seen.
    fn forget_idle(&self) {
        for limit in [&self.sign_up, &self.reach, &self.write, &self.search] {
            limit.per_client.retain_recent();
            limit.per_client.shrink_to_fit();
            if let Some(per_account) = &limit.per_account {
                per_account.retain_recent();
                per_account.shrink_to_fit();
            }
        }
    }
}

pub async fn layer(
    State(limits): State<Option<Arc<RateLimits>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limits) = limits else {
        return next.run(request).await;
    };
    let Some(class) = Class::of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let client = request
        .extensions()
        .get::<ClientAddress>()
        .map(ClientAddress::key)
        .unwrap_or_default();
    let account = match request.extensions().get::<Session>() {
        Some(session) => session.get::<i32>(USER_ID_KEY).await.ok().flatten(),
        None => None,
    };
    match limits.check(class, &client, account) {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            tracing::info!(?class, client, ?account, seconds, "request limit reached");
            too_many(&request, seconds)
        }
    }
}

fn too_many(request: &Request, seconds: u64) -> Response {
    let locale = from_headers(request.headers());
    let message = td_string!(locale, accounts.rate_limit.wait, count = seconds);
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let mut response = if wants_page {
        // a form posted without JavaScript: a page, with the way back
        let back = request
            .headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| url::Url::parse(r).ok())
            .map(|u| match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_owned(),
            })
            .unwrap_or_else(|| "/".into());
        let page = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Lineup</title></head><body><main><h1>{title}</h1><p role=\"alert\">{message}</p><p><a href=\"{}\">{go_back}</a></p></main></body></html>",
            html_escape(&back),
            lang = tag(locale),
            title = td_string!(locale, accounts.rate_limit.title),
            go_back = td_string!(locale, accounts.rate_limit.back),
        );
        (StatusCode::TOO_MANY_REQUESTS, Html(page)).into_response()
    } else {
        (StatusCode::TOO_MANY_REQUESTS, message).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classed_by_what_they_cost() {
        assert_eq!(
            Class::of(&Method::POST, "/api/accounts/sign_up"),
            Some(Class::SignUp)
        );
        assert_eq!(
            Class::of(&Method::POST, "/api/events/flag"),
            Some(Class::Reach)
        );
        assert_eq!(
            Class::of(&Method::POST, "/api/events/save"),
            Some(Class::Write)
        );
        assert_eq!(Class::of(&Method::GET, "/search"), Some(Class::Search));
        assert_eq!(Class::of(&Method::GET, "/events/3"), None);
        assert_eq!(Class::of(&Method::POST, "/stripe/webhook"), None);
    }

    #[test]
    fn a_client_past_its_burst_waits_and_others_do_not() {
        let limits = RateLimits::new(1).expect("on");
        for _ in 0..5 {
            assert!(limits.check(Class::SignUp, "192.0.2.1", None).is_ok());
        }
        let wait = limits
            .check(Class::SignUp, "192.0.2.1", None)
            .expect_err("limited");
        assert!((500..=600).contains(&wait), "{wait}");
        assert!(limits.check(Class::SignUp, "192.0.2.2", None).is_ok());
        // one account cannot spread its writes over many addresses
        for n in 0..20 {
            assert!(limits
                .check(Class::Reach, &format!("198.51.100.{n}"), Some(7))
                .is_ok());
        }
        assert!(limits
            .check(Class::Reach, "198.51.100.99", Some(7))
            .is_err());
        assert!(limits.check(Class::Reach, "198.51.100.99", Some(8)).is_ok());
        assert!(RateLimits::new(0).is_none());
    }
}
