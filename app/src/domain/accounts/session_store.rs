use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use tower_sessions::{
    session::{Id, Record},
    session_store, SessionStore,
};

use crate::domain::context::USER_ID_KEY as USER_ID;
use entity::session;

/// tower-sessions records kept in the `sessions` table, so a restart keeps people signed in and
/// every instance sees the same sessions.
///
/// Every signed-in request loads its session, so records this process read or wrote lately are
/// kept in memory too: written through on save and dropped on delete, so this process never
/// sees an old record. Another process's sign-out reaches this one within `RECENT_TTL`.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    recent: Arc<RecentSessions>,
}

/// The sessions one process read or wrote lately (kept in `Caches`, so ending an account's
/// sessions can drop them here too).
#[derive(Debug)]
pub struct RecentSessions(quick_cache::sync::Cache<i128, Recent>);

#[derive(Debug, Clone)]
struct Recent {
    read: Instant,
    record: Record,
}

const RECENT_TTL: Duration = Duration::from_secs(30);
const RECENT_CAPACITY: usize = 10_000;

impl Default for RecentSessions {
    fn default() -> Self {
        RecentSessions(quick_cache::sync::Cache::new(RECENT_CAPACITY))
    }
}

impl RecentSessions {
    /// Drops every session of `user_id` this process remembers.
    pub fn forget_user(&self, user_id: i32) {
        self.0
            .retain(|_, recent| user_of(&recent.record) != Some(user_id));
    }
}

fn user_of(record: &Record) -> Option<i32> {
    record
        .data
        .get(USER_ID)
        .and_then(|v| v.as_i64())
        .and_then(|id| i32::try_from(id).ok())
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection, recent: Arc<RecentSessions>) -> Self {
        DbSessionStore { db, recent }
    }

    fn remember(&self, record: &Record) {
        let recent = Recent {
            read: Instant::now(),
            record: record.clone(),
        };
        self.recent.0.insert(record.id.0, recent);
    }

    pub async fn delete_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let row = session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(expiry(record)),
            user_id: Set(user_of(record)),
        };
        session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([
                        session::Column::Data,
                        session::Column::ExpiresAt,
                        session::Column::UserId,
                    ])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = Utc::now();
        if let Some(recent) = self.recent.0.get(&session_id.0) {
            if recent.read.elapsed() < RECENT_TTL && expiry(&recent.record) > now {
                return Ok(Some(recent.record));
            }
        }
        let row = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let record: Option<Record> = row
            .map(|row| {
                serde_json::from_str(&row.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))
            })
            .transpose()?;
        if let Some(record) = &record {
            self.remember(record);
        }
        Ok(record)
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(session_id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        self.recent.0.remove(&session_id.0);
        Ok(())
    }
}
