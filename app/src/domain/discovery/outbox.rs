//! The transactional outbox between the database and the search index. Whatever changes an
//! event writes an outbox row in the same transaction (`event_changed`); the worker reads due
//! rows, loads the events' current state and upserts or removes them, then deletes the rows.
//! A crash before delivery leaves the rows for the next run; a crash after delivery but before
//! the delete delivers the same state again, which changes nothing.
use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    api::events::EventStatus,
    domain::{
        context::internal,
        discovery::{
            document::{is_searchable, SearchDocument},
            SearchIndex,
        },
    },
    error::AppError,
};
use entity::{event, outbox};

pub const EVENT_TOPIC: &str = "event";
/// Rows taken per delivery round.
pub const BATCH: u64 = 200;
/// How often an idle worker looks for new rows: a published event is searchable well within
/// two seconds.
pub const POLL: Duration = Duration::from_millis(250);
const MAX_BACKOFF_SECS: i64 = 300;

/// Records that the event changed, for the search index and the graph. Call it with the
/// transaction that changed it.
pub async fn event_changed<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enqueue(db, EVENT_TOPIC, event_id, now).await?;
    enqueue(db, crate::domain::graph::sync::EVENT, event_id, now).await
}

/// One row for the worker of `topic`. Call it with the transaction that made the change.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    topic: &str,
    subject_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox::ActiveModel {
        topic: Set(topic.to_owned()),
        subject_id: Set(subject_id),
        attempts: Set(0),
        available_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Due rows of these topics, oldest first, at most `BATCH`.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    topics: &[&str],
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>, AppError> {
    outbox::Entity::find()
        .filter(outbox::Column::Topic.is_in(topics.iter().copied()))
        .filter(outbox::Column::AvailableAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await
        .map_err(internal)
}

/// Deletes delivered rows.
pub async fn delivered<C: ConnectionTrait>(
    db: &C,
    rows: &[outbox::Model],
) -> Result<Round, AppError> {
    outbox::Entity::delete_many()
        .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(Round {
        delivered: rows.len(),
        failed: 0,
    })
}

/// Records a failed delivery on the rows: one more attempt, the next try after a backoff.
pub async fn failed<C: ConnectionTrait>(
    db: &C,
    rows: &[outbox::Model],
    error: &str,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    let message: String = error.chars().take(500).collect();
    for row in rows {
        let attempts = row.attempts + 1;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Attempts, Expr::value(attempts))
            .col_expr(
                outbox::Column::AvailableAt,
                Expr::value(now + chrono::Duration::seconds(backoff_secs(attempts))),
            )
            .col_expr(
                outbox::Column::LastError,
                Expr::value(Some(message.clone())),
            )
            .filter(outbox::Column::Id.eq(row.id))
            .exec(db)
            .await
            .map_err(internal)?;
    }
    Ok(Round {
        delivered: 0,
        failed: rows.len(),
    })
}

/// Seconds before retry number `attempts` (1, 2, 4, … up to five minutes).
pub fn backoff_secs(attempts: i32) -> i64 {
    let secs = 1_i64
        .checked_shl(attempts.clamp(0, 30) as u32)
        .unwrap_or(MAX_BACKOFF_SECS);
    std::cmp::min(secs, MAX_BACKOFF_SECS)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Outbox rows delivered (and deleted).
    pub delivered: usize,
    /// Rows whose delivery failed and that wait for a retry.
    pub failed: usize,
}

/// Delivers one batch of due rows. Index failures are recorded on the rows (attempts, next
/// try, error) rather than returned; only database failures are errors.
pub async fn deliver_due<C: ConnectionTrait>(
    db: &C,
    index: &dyn SearchIndex,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    let rows = due(db, &[EVENT_TOPIC], now).await?;
    if rows.is_empty() {
        return Ok(Round::default());
    }
    let ids: BTreeSet<i32> = rows.iter().map(|r| r.subject_id).collect();
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    let upserts: Vec<SearchDocument> = events
        .iter()
        .filter(|e| is_searchable(e, now))
        .map(SearchDocument::of)
        .collect();
    let removals: Vec<i32> = ids
        .iter()
        .copied()
        .filter(|id| !upserts.iter().any(|d| d.id == *id))
        .collect();
    let applied = match index.upsert(&upserts).await {
        Ok(()) => index.remove(&removals).await,
        Err(e) => Err(e),
    };
    match applied {
        Ok(()) => delivered(db, &rows).await,
        Err(error) => {
            tracing::warn!(%error, rows = rows.len(), "search index update failed; will retry");
            failed(db, &rows, &error.to_string(), now).await
        }
    }
}

/// Delivers until nothing is due. Returns how many rows were delivered.
pub async fn drain<C: ConnectionTrait>(
    db: &C,
    index: &dyn SearchIndex,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut delivered = 0;
    loop {
        let round = deliver_due(db, index, now).await?;
        delivered += round.delivered;
        if round.delivered == 0 {
            return Ok(delivered);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    pub pending: u64,
    /// Rows that failed at least once.
    pub retrying: u64,
}

pub async fn backlog<C: ConnectionTrait>(db: &C) -> Result<Backlog, AppError> {
    let pending = outbox::Entity::find().count(db).await.map_err(internal)?;
    let retrying = outbox::Entity::find()
        .filter(outbox::Column::Attempts.gt(0))
        .count(db)
        .await
        .map_err(internal)?;
    Ok(Backlog { pending, retrying })
}

/// Rebuilds the index from the database: every searchable event, swapped in at once.
pub async fn reindex<C: ConnectionTrait>(
    db: &C,
    index: &dyn SearchIndex,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let events = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::HiddenAt.is_null())
        .filter(event::Column::EndsAt.gt(now))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let docs: Vec<SearchDocument> = events
        .iter()
        .filter(|e| is_searchable(e, now))
        .map(SearchDocument::of)
        .collect();
    index.replace_all(&docs).await.map_err(internal)?;
    Ok(docs.len())
}

/// The background worker: delivers due rows, then waits a moment when there were none.
/// `version` is bumped after every round that changed the index.
pub fn spawn_worker(
    db: DatabaseConnection,
    index: Arc<dyn SearchIndex>,
    version: Arc<AtomicU64>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&db, index.as_ref(), Utc::now()).await {
                Ok(round) if round.delivered > 0 => {
                    version.fetch_add(1, Ordering::SeqCst);
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        assert_eq!([1, 2, 3, 9, 40].map(backoff_secs), [2, 4, 8, 300, 300]);
        assert_eq!(backoff_secs(0), 1);
    }
}
