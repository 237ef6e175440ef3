//! The in-app list: a person's notifications, newest first, and what they have read.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::{
    domain::{context::internal, locale_format},
    error::AppError,
    model::{
        language::Locale,
        notifications::{LiveUpdate, NotificationItem, NotificationsPage},
    },
};
use entity::notification;

/// Entries shown on `/notifications`.
pub const PAGE: u64 = 50;

/// The list as `user` reads it: times in `tz`, written as `locale` writes them.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    user: i32,
    tz: Tz,
    locale: Locale,
) -> Result<NotificationsPage, AppError> {
    let rows = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .order_by_desc(notification::Column::Id)
        .limit(PAGE)
        .all(db)
        .await
        .map_err(internal)?;
    let items = rows
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            when: locale_format::short_date_time(locale, n.created_at, tz),
            unread: n.read_at.is_none(),
            title: n.title,
            body: n.body,
            link: n.link,
        })
        .collect();
    Ok(NotificationsPage {
        items,
        unread: unread(db, user).await?,
    })
}

pub async fn unread<C: ConnectionTrait>(db: &C, user: i32) -> Result<u64, AppError> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
        .map_err(internal)
}

/// Marks one of `user`'s notifications read (`Some(id)`), or all of them. Someone else's id is
/// "not found", like one that does not exist. Returns where the notification leads.
pub async fn mark_read<C: ConnectionTrait>(
    db: &C,
    user: i32,
    id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(now)))
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null());
    let Some(id) = id else {
        update.exec(db).await.map_err(internal)?;
        return Ok(None);
    };
    let own = notification::Entity::find_by_id(id)
        .filter(notification::Column::UserId.eq(user))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    update = update.filter(notification::Column::Id.eq(id));
    update.exec(db).await.map_err(internal)?;
    Ok(Some(own.link))
}

/// The unread count and the newest notification, for a live stream.
pub async fn latest<C: ConnectionTrait>(db: &C, user: i32) -> Result<LiveUpdate, AppError> {
    let newest = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .order_by_desc(notification::Column::Id)
        .one(db)
        .await
        .map_err(internal)?;
    Ok(LiveUpdate {
        unread: unread(db, user).await?,
        latest_id: newest.as_ref().map(|n| n.id),
        latest_title: newest.as_ref().map(|n| n.title.clone()),
        latest_link: newest.map(|n| n.link),
    })
}
