//! How changed events reach the search index: the consumer of the outbox's `event` topic. The
//! worker reads due rows, loads the events' current state and upserts the public ones or removes
//! the rest, then deletes the rows (see `domain::outbox` for the guarantees).
use std::{collections::BTreeSet, sync::Arc};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    domain::{
        cache::Changes,
        context::internal,
        discovery::{
            document::{is_searchable, SearchDocument},
            SearchIndex,
        },
        outbox::{delivered, due, failed, Round, POLL},
    },
    error::AppError,
    model::events::EventStatus,
};
use entity::event;

/// The search index's topic: subject, an event.
pub const EVENT_TOPIC: &str = "event";
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

/// Rebuilds the index from the database: every searchable event, swapped in at once.
pub async fn reindex<C: ConnectionTrait>(
    db: &C,
    index: &dyn SearchIndex,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let events = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
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
/// `changes` moves on after every round that changed the index.
pub fn spawn_worker(
    db: DatabaseConnection,
    index: Arc<dyn SearchIndex>,
    changes: Arc<Changes>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&db, index.as_ref(), Utc::now()).await {
                Ok(round) if round.delivered > 0 => {
                    changes.bump();
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}
