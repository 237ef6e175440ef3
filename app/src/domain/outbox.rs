//! The transactional outbox: how a change reaches another engine or another domain without
//! being lost. Whoever makes a change writes one row per interested consumer (its *topic*,
//! e.g. `event` for the search index, `graph.registration` for the graph) in the transaction
//! that made the change. Each consumer is a worker that takes its topics' due rows, reads each
//! subject as it is *now* and does its own job idempotently, then deletes the rows; a failure
//! puts the rows back with a doubling delay. A crash before delivery leaves the rows for the
//! next run; a crash after delivery but before the delete delivers the same state again, which
//! changes nothing.
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{domain::context::internal, error::AppError};
use entity::outbox;

/// Rows taken per delivery round.
pub const BATCH: u64 = 200;
/// How often an idle worker looks for new rows: a published event is searchable well within
/// two seconds.
pub const POLL: Duration = Duration::from_millis(250);
const MAX_BACKOFF_SECS: i64 = 300;

/// One row for the worker of `topic`. Call it with the transaction that made the change.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    topic: &str,
    subject_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enqueue_with(db, topic, subject_id, None, now, now)
        .await
        .map(|_| ())
}

/// `enqueue` with what the subject alone does not say, due at `available_at`; returns the
/// row's id.
pub async fn enqueue_with<C: ConnectionTrait>(
    db: &C,
    topic: &str,
    subject_id: i32,
    payload: Option<String>,
    available_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = outbox::ActiveModel {
        topic: Set(topic.to_owned()),
        subject_id: Set(subject_id),
        payload: Set(payload),
        attempts: Set(0),
        available_at: Set(available_at),
        last_error: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(row.id)
}

/// Makes a row written ahead of its change (see `HELD`) due now that the change is done.
pub async fn release<C: ConnectionTrait>(
    db: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::AvailableAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

/// How long a row written ahead of a change in another store waits for `release`: a process
/// that died in between leaves it due after this, and its consumer finds whether the change
/// happened.
pub const HELD: chrono::Duration = chrono::Duration::seconds(60);

/// Runs a change in another store with the row that tells of it written ahead (held, see
/// `HELD`): released once the change is done, taken back when it was refused. `None` runs the
/// change alone.
pub async fn ahead_of<C: ConnectionTrait, T>(
    db: &C,
    news: Option<(&str, i32, String)>,
    now: DateTime<Utc>,
    change: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let Some((topic, subject_id, payload)) = news else {
        return change.await;
    };
    let row = enqueue_with(db, topic, subject_id, Some(payload), now + HELD, now).await?;
    let done = change.await;
    match &done {
        Ok(_) => release(db, row, now).await?,
        Err(_) => withdraw(db, row).await?,
    }
    done
}

/// Takes back a row whose change did not happen after all.
pub async fn withdraw<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), AppError> {
    outbox::Entity::delete_by_id(id)
        .exec(db)
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
    crate::domain::workers::ran(&format!("outbox: {}", topics.join(", ")), now);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        assert_eq!([1, 2, 3, 9, 40].map(backoff_secs), [2, 4, 8, 300, 300]);
        assert_eq!(backoff_secs(0), 1);
    }
}
