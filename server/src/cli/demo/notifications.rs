//! Notifications in the demo: the dataset's history is not news, so the notify rows its writes
//! left are dropped; only the demo attendee's own bookings of upcoming events are announced
//! again, so her notifications and the mail at `/admin/mail` show what people receive.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

use app::domain::{notifications::compose, outbox};
use entity::{registration, registration_change};

pub async fn seed(
    txn: &DatabaseTransaction,
    attendee: &entity::user::Model,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    entity::outbox::Entity::delete_many()
        .filter(entity::outbox::Column::Topic.is_in(compose::TOPICS.iter().copied()))
        .exec(txn)
        .await?;
    let upcoming = sea_orm::sea_query::Query::select()
        .column(entity::event::Column::Id)
        .from(entity::event::Entity)
        .and_where(entity::event::Column::StartsAt.gt(now))
        .to_owned();
    let hers: Vec<i32> = registration::Entity::find()
        .filter(registration::Column::UserId.eq(attendee.id))
        .filter(registration::Column::EventId.in_subquery(upcoming))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let changes = registration_change::Entity::find()
        .filter(registration_change::Column::RegistrationId.is_in(hers))
        .order_by_asc(registration_change::Column::Id)
        .all(txn)
        .await?;
    for change in &changes {
        outbox::enqueue(txn, compose::REGISTRATION, change.id, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(changes.len())
}
