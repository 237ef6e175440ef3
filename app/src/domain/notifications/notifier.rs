//! The notifier: the consumer of the `notify.*` outbox topics. Each row becomes notifications
//! (one per recipient) and their deliveries (one per channel the recipient keeps on), stored in
//! the transaction that deletes the row. A row composed twice (a crash before the delete, two
//! server processes) adds nothing: notifications are unique by their key, deliveries by
//! (notification, channel).
use crate::domain::transaction::begin_write;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use super::{
    compose::{self, Draft},
    preferences::Overrides,
};
use crate::{
    domain::{context::internal, graph::GraphStore, outbox},
    error::AppError,
    model::notifications::Channel,
};
use entity::{notification, notification_delivery};

/// Delivery statuses.
pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// Turns due `notify.*` rows into notifications.
pub async fn deliver_due(
    db: &DatabaseConnection,
    graph: &dyn GraphStore,
    now: DateTime<Utc>,
) -> Result<Expanded, AppError> {
    let rows = outbox::due(db, compose::TOPICS, now).await?;
    let mut done = Expanded::default();
    for row in &rows {
        let stored = match compose::drafts(db, graph, row).await {
            Ok(drafts) => store(db, row, drafts, now).await,
            Err(e) => Err(e),
        };
        match stored {
            Ok(users) => {
                done.rows += 1;
                done.recipients.extend(users.into_iter().flatten());
            }
            Err(e) => {
                tracing::warn!(row = row.id, topic = %row.topic, error = %e, "notification not composed");
                outbox::failed(db, std::slice::from_ref(row), &e.to_string(), now).await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// Outbox rows handled and deleted.
    pub rows: usize,
    pub failed: usize,
    /// The accounts that have new notifications (guests have none in the app).
    pub recipients: Vec<i32>,
}

/// Stores the drafts not stored before, with their deliveries, and deletes the row, in one
/// transaction. Returns the recipients of the new notifications (`None` for a guest).
pub async fn store(
    db: &DatabaseConnection,
    row: &entity::outbox::Model,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    let created = insert_drafts(&txn, drafts, now).await?;
    outbox::delivered(&txn, std::slice::from_ref(row)).await?;
    txn.commit().await.map_err(internal)?;
    Ok(created)
}

/// Stores the drafts whose key is new, each with a delivery per channel its recipient keeps on.
/// Call it in the transaction that made the change (or deletes the outbox row that told of it).
/// Returns the recipients of the new ones.
pub async fn insert_drafts<C: ConnectionTrait>(
    db: &C,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    let known: HashSet<String> = notification::Entity::find()
        .filter(notification::Column::DedupeKey.is_in(drafts.iter().map(|d| d.dedupe_key.clone())))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|n| n.dedupe_key)
        .collect();
    let fresh: Vec<Draft> = drafts
        .into_iter()
        .filter(|d| !known.contains(&d.dedupe_key))
        .collect();
    let overrides = Overrides::load(db, fresh.iter().filter_map(|d| d.user_id)).await?;
    // push goes to those who have a browser subscribed
    let pushable = super::push::subscribed(db, fresh.iter().filter_map(|d| d.user_id)).await?;
    for draft in &fresh {
        let stored = notification::ActiveModel {
            user_id: Set(draft.user_id),
            email: Set(draft.email.clone()),
            kind: Set(draft.kind.as_str().to_owned()),
            dedupe_key: Set(draft.dedupe_key.clone()),
            title: Set(draft.title.clone()),
            body: Set(draft.body.clone()),
            link: Set(draft.link.clone()),
            event_id: Set(draft.event_id),
            read_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(internal)?;
        for channel in Channel::ALL.iter().copied() {
            let wanted = match (channel, draft.user_id) {
                // the in-app list is the notification itself: delivered as it is stored
                (Channel::InApp, Some(_)) => Some(SENT),
                (Channel::InApp, None) => None,
                (Channel::Push, None) => None,
                (Channel::Push, Some(user)) if !pushable.contains(&user) => None,
                (_, Some(user)) => overrides
                    .is_on(user, draft.kind, channel)
                    .then_some(PENDING),
                // a guest chose nothing and has nothing but their mailbox
                (Channel::Email, None) => Some(PENDING),
            };
            if let Some(status) = wanted {
                notification_delivery::ActiveModel {
                    notification_id: Set(stored.id),
                    channel: Set(channel.as_str().to_owned()),
                    status: Set(status.to_owned()),
                    attempts: Set(0),
                    available_at: Set(now),
                    last_error: Set(None),
                    sent_at: Set((status == SENT).then_some(now)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await
                .map_err(internal)?;
            }
        }
    }
    Ok(fresh.iter().map(|d| d.user_id).collect())
}
