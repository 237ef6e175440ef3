//! Read caches for what pages show.
//!
//! Correctness rests on one counter, [`Changes`]: it moves on after every successful write
//! (the server's write layer), after every outbox round that changed the graph or the search
//! index, and after the background sweeps that change bookings or events. Every cached entry
//! remembers the count it was computed at and is recomputed once the count has moved, so a change
//! shows on the very next page view. A time to live covers what moves on by itself ("today",
//! "in an hour") and writes made by another process (the CLI, a second replica).
use std::{
    any::{Any, TypeId},
    fmt::Debug,
    future::Future,
    hash::Hash,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use crate::domain::accounts::session_store::RecentSessions;
use entity::user;

/// How many changes were made to what pages show since the process started.
#[derive(Debug, Default)]
pub struct Changes(AtomicU64);

impl Changes {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Values by key, each valid while [`Changes`] stays where it was when the value was loaded and
/// for at most `ttl`. Bounded: the least used entries make room for new ones.
pub struct Cached<K, V> {
    entries: quick_cache::sync::Cache<K, Entry<V>>,
    ttl: Duration,
}

#[derive(Clone)]
struct Entry<V> {
    at: u64,
    stored: Instant,
    value: V,
}

impl<K: Eq + Hash + Clone, V: Clone> Cached<K, V> {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Cached {
            entries: quick_cache::sync::Cache::new(capacity),
            ttl,
        }
    }

    /// The value for `key`, from the cache when it is still current, else from `load`.
    pub async fn get_or_load<E>(
        &self,
        changes: &Changes,
        key: K,
        load: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        // read before loading: a change that lands while `load` runs leaves the entry stale
        let at = changes.current();
        if let Some(value) = self.current(&key, at) {
            return Ok(value);
        }
        let value = load.await?;
        self.keep(key, at, value.clone());
        Ok(value)
    }

    fn current(&self, key: &K, at: u64) -> Option<V> {
        self.entries
            .get(key)
            .filter(|entry| entry.at == at && entry.stored.elapsed() < self.ttl)
            .map(|entry| entry.value)
    }

    fn keep(&self, key: K, at: u64, value: V) {
        let stored = Instant::now();
        self.entries.insert(key, Entry { at, stored, value });
    }
}

/// What a page's loaders read, by loader, viewer and arguments: one store for every loader, so
/// adding a cached read is one call at its door. The viewer is part of every key, so nobody is
/// ever given a read that was made for someone else.
pub struct Reads(Cached<ReadKey, Arc<dyn Any + Send + Sync>>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ReadKey {
    read: &'static str,
    viewer: Option<i32>,
    args: String,
    value: TypeId,
}

impl Reads {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Reads(Cached::new(capacity, ttl))
    }

    /// `read`'s result for `viewer` and `args` (a loader's arguments, by their `Debug` form), from
    /// the cache when nothing changed since it was loaded, else from `load`. Failures are not
    /// kept.
    pub async fn get_or_load<T: Clone + Send + Sync + 'static, E>(
        &self,
        changes: &Changes,
        read: &'static str,
        viewer: Option<i32>,
        args: impl Debug,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let key = ReadKey {
            read,
            viewer,
            args: format!("{args:?}"),
            value: TypeId::of::<T>(),
        };
        let at = changes.current();
        if let Some(hit) = self.0.current(&key, at) {
            if let Some(value) = hit.downcast_ref::<T>() {
                return Ok(value.clone());
            }
        }
        let value = load.await?;
        self.0.keep(key, at, Arc::new(value.clone()));
        Ok(value)
    }
}

/// Every read cache of the process, shared by all requests.
pub struct Caches {
    /// Accounts by id: the signed-in viewer of every request.
    pub users: Cached<i32, Option<user::Model>>,
    /// What the pages' loaders read.
    pub reads: Reads,
    /// Sessions read or written lately (`DbSessionStore`).
    pub sessions: Arc<RecentSessions>,
}

/// As long as the anonymous page cache keeps a page.
pub const TTL: Duration = Duration::from_secs(30);

impl Default for Caches {
    fn default() -> Self {
        Caches {
            users: Cached::new(10_000, TTL),
            reads: Reads::new(20_000, TTL),
            sessions: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_change_makes_the_next_read_load_again() {
        let changes = Changes::default();
        let cache: Cached<i32, u32> = Cached::new(10, Duration::from_secs(60));
        let load = |v: u32| async move { Ok::<_, ()>(v) };
        assert_eq!(cache.get_or_load(&changes, 1, load(1)).await, Ok(1));
        assert_eq!(cache.get_or_load(&changes, 1, load(2)).await, Ok(1));
        changes.bump();
        assert_eq!(cache.get_or_load(&changes, 1, load(3)).await, Ok(3));
        assert_eq!(cache.get_or_load(&changes, 2, load(4)).await, Ok(4));
    }

    #[tokio::test]
    async fn a_change_while_loading_leaves_the_entry_stale() {
        let changes = Changes::default();
        let cache: Cached<i32, u32> = Cached::new(10, Duration::from_secs(60));
        let slow = async {
            changes.bump(); // a write lands while the old value is being read
            Ok::<_, ()>(1)
        };
        assert_eq!(cache.get_or_load(&changes, 1, slow).await, Ok(1));
        let fresh = async { Ok::<_, ()>(2) };
        assert_eq!(cache.get_or_load(&changes, 1, fresh).await, Ok(2));
    }

    #[tokio::test]
    async fn reads_are_kept_apart_by_viewer_arguments_and_reader() {
        let changes = Changes::default();
        let reads = Reads::new(10, Duration::from_secs(60));
        let load = |v: &'static str| async move { Ok::<_, ()>(v.to_owned()) };
        let read = |name, viewer, args, value| {
            reads.get_or_load(&changes, name, viewer, args, load(value))
        };
        assert_eq!(read("tickets", Some(1), 7, "ana's").await.unwrap(), "ana's");
        assert_eq!(read("tickets", Some(2), 7, "ben's").await.unwrap(), "ben's");
        assert_eq!(
            read("tickets", None, 7, "anyone's").await.unwrap(),
            "anyone's"
        );
        assert_eq!(read("tickets", Some(1), 8, "other").await.unwrap(), "other");
        assert_eq!(
            read("social", Some(1), 7, "social").await.unwrap(),
            "social"
        );
        assert_eq!(read("tickets", Some(1), 7, "again").await.unwrap(), "ana's");
        assert_eq!(read("tickets", Some(2), 7, "again").await.unwrap(), "ben's");
        changes.bump();
        assert_eq!(read("tickets", Some(1), 7, "new").await.unwrap(), "new");
    }

    #[tokio::test]
    async fn entries_expire() {
        let changes = Changes::default();
        let cache: Cached<i32, u32> = Cached::new(10, Duration::ZERO);
        let load = |v: u32| async move { Ok::<_, ()>(v) };
        assert_eq!(cache.get_or_load(&changes, 1, load(1)).await, Ok(1));
        assert_eq!(cache.get_or_load(&changes, 1, load(2)).await, Ok(2));
    }

    #[tokio::test]
    async fn failures_are_not_kept() {
        let changes = Changes::default();
        let cache: Cached<i32, u32> = Cached::new(10, Duration::from_secs(60));
        assert_eq!(
            cache.get_or_load(&changes, 1, async { Err("down") }).await,
            Err("down")
        );
        assert_eq!(
            cache
                .get_or_load(&changes, 1, async { Ok::<_, &str>(5) })
                .await,
            Ok(5)
        );
    }
}
