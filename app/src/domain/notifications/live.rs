//! Live updates: people with a tab open hear of a new notification at once. Each process keeps a
//! hub of its open streams (`/notifications/live`); the notifier announces who has news after it
//! stored it. On Postgres the announcement is a `NOTIFY`, which every process sharing the
//! database hears through its `LISTEN` task and passes to its own hub; on SQLite (one process)
//! it goes to the hub directly.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use tokio::sync::watch;

use crate::{domain::context::internal, error::AppError};

pub const CHANNEL: &str = "lineup_notifications";
/// User ids per `NOTIFY` (its payload is limited to 8,000 bytes).
const IDS_PER_NOTIFY: usize = 500;

/// This process's open streams, by the account they belong to: an announcement for one person
/// wakes only their streams, however many others are open.
#[derive(Debug, Clone, Default)]
pub struct LiveHub {
    people: Arc<Mutex<People>>,
}

#[derive(Debug, Default)]
struct People {
    senders: HashMap<i32, watch::Sender<u64>>,
    /// Closed streams leave senders nobody listens to; they are dropped when the map has grown
    /// to this size (amortised: the next sweep waits until it has doubled).
    sweep_at: usize,
}

impl LiveHub {
    /// A receiver that changes whenever `user` has news. Announcements that arrive while a
    /// stream is busy merge into one (it re-reads the count anyway).
    pub fn subscribe(&self, user: i32) -> watch::Receiver<u64> {
        let mut people = self.people.lock().unwrap_or_else(|e| e.into_inner());
        if people.senders.len() >= people.sweep_at {
            people.senders.retain(|_, tx| tx.receiver_count() > 0);
            people.sweep_at = (people.senders.len() * 2).max(1024);
        }
        people
            .senders
            .entry(user)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    pub fn publish(&self, user: i32) {
        let people = self.people.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = people.senders.get(&user) {
            // no open stream is not an error
            tx.send_modify(|n| *n = n.wrapping_add(1));
        }
    }
}

/// Tells every process that `users` have news. Call it after the notifications committed.
pub async fn announce(
    db: &DatabaseConnection,
    hub: &LiveHub,
    users: &[i32],
) -> Result<(), AppError> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            for chunk in users.chunks(IDS_PER_NOTIFY) {
                let payload = chunk
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                db.execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), payload.into()],
                ))
                .await
                .map_err(internal)?;
            }
        }
        _ => users.iter().for_each(|&u| hub.publish(u)),
    }
    Ok(())
}

/// On Postgres, passes every announcement (this process's and others') to the hub until the
/// process ends, reconnecting after a lost connection. Nothing to do on SQLite.
pub fn spawn_listener(
    db: &DatabaseConnection,
    hub: LiveHub,
) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return None;
    }
    let pool = db.get_postgres_connection_pool().clone();
    Some(tokio::spawn(async move {
        loop {
            match listen(&pool, &hub).await {
                Ok(()) => {}
                Err(e) => tracing::warn!(error = %e, "live updates: listening failed; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

async fn listen(pool: &sea_orm::sqlx::PgPool, hub: &LiveHub) -> Result<(), sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let message = listener.recv().await?;
        for id in message.payload().split(',') {
            if let Ok(user) = id.trim().parse() {
                hub.publish(user);
            }
        }
    }
}
