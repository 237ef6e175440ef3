//! Publishing that an event changed, to the domains that keep copies of it.
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{
    domain::{
        context::internal,
        discovery::{indexing, sitemap},
        graph,
        notifications::compose::{self, Before, MovedNews, WhenAndWhere},
        outbox::{enqueue, enqueue_with},
    },
    error::AppError,
    model::events::EventStatus,
};
use entity::event;

/// Records that the event changed, for the search index, the graph and the sitemap. Call it
/// with the transaction that changed it.
pub async fn event_changed<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enqueue(db, indexing::EVENT_TOPIC, event_id, now).await?;
    enqueue(db, sitemap::TOPIC, event_id, now).await?;
    enqueue(db, graph::sync::EVENT, event_id, now).await
}

/// When a public event's time or place changed, its ticket holders hear of it (with the
/// calendar file, whose sequence counts up). Call it with the transaction that changed it.
pub async fn tell_if_moved<C: ConnectionTrait>(
    db: &C,
    before: &event::Model,
    after: &event::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let place = |e: &event::Model| {
        (
            e.venue_name.clone(),
            e.venue_address.clone(),
            e.city.clone(),
            e.online_url.clone(),
        )
    };
    let moved = (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at)
        || place(before) != place(after);
    if !moved || after.status != EventStatus::Published.as_str() {
        return Ok(());
    }
    let news = MovedNews {
        revision: after.revision,
        before: Before::Then(WhenAndWhere::of(before)),
    };
    let payload = serde_json::to_string(&news).map_err(internal)?;
    enqueue_with(db, compose::MOVED, after.id, Some(payload), now, now).await?;
    Ok(())
}
