//! Publishing that an event changed, to the domains that keep copies of it.
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{
    domain::{discovery::indexing, graph, outbox::enqueue},
    error::AppError,
};

/// Records that the event changed, for the search index and the graph. Call it with the
/// transaction that changed it.
pub async fn event_changed<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enqueue(db, indexing::EVENT_TOPIC, event_id, now).await?;
    enqueue(db, graph::sync::EVENT, event_id, now).await
}
