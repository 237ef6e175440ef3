//! Live updates: people with a tab open hear of a new notification at once. Each process keeps a
//! hub of its open streams (`/notifications/live`); the notifier announces who has news after it
//! stored it. On Postgres the announcement is a `NOTIFY`, which every process sharing the
//! database hears through its `LISTEN` task and passes to its own hub; on SQLite (one process)
//! it goes to the hub directly.
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use tokio::sync::broadcast;

use crate::{domain::context::internal, error::AppError};

pub const CHANNEL: &str = "lineup_notifications";
/// User ids per `NOTIFY` (its payload is limited to 8,000 bytes).
const IDS_PER_NOTIFY: usize = 500;

/// This process's open streams, by the account they belong to.
#[derive(Debug, Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<i32>,
}

impl Default for LiveHub {
    fn default() -> Self {
        // a slow stream that falls this far behind skips ahead (it re-reads the count anyway)
        LiveHub {
            tx: broadcast::channel(4096).0,
        }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<i32> {
        self.tx.subscribe()
    }

    pub fn publish(&self, user: i32) {
        // no open stream is not an error
        let _ = self.tx.send(user);
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
