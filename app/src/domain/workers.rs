//! When each background worker of this process last ran, for the admin's system status. A
//! worker says so (`ran`) once per round; the outbox's consumers do it where they ask for due
//! rows. Process-local by nature: with several instances, each reports its own workers.
use std::{
    collections::BTreeMap,
    sync::{LazyLock, Mutex},
};

use chrono::{DateTime, Utc};

static LAST_RUN: LazyLock<Mutex<BTreeMap<String, DateTime<Utc>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

/// The worker called `name` finished a round now.
pub fn ran(name: &str, now: DateTime<Utc>) {
    let mut runs = LAST_RUN.lock().unwrap_or_else(|p| p.into_inner());
    match runs.get_mut(name) {
        Some(at) => *at = now,
        None => {
            runs.insert(name.to_owned(), now);
        }
    }
}

/// Every worker that ran in this process, by name, with when it last did.
pub fn last_runs() -> Vec<(String, DateTime<Utc>)> {
    LAST_RUN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}
