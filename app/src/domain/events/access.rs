use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    domain::context::internal,
    error::AppError,
    model::{events::EventStatus, taxonomy::Role, ticketing::RegistrationStatus},
};
use entity::{event, registration, user};

pub fn is_admin(user: &user::Model) -> bool {
    Role::parse(&user.role) == Some(Role::Admin)
}

pub fn is_curator(user: &user::Model) -> bool {
    Role::parse(&user.role).is_some_and(Role::can_curate)
}

/// Only the organizer who owns the event, or an admin, may change it.
pub fn can_edit(event: &event::Model, user: &user::Model) -> bool {
    event.organizer_id == user.id || is_admin(user)
}

/// What anyone may see: published and completed events, and cancelled ones that had been
/// public (their page says they are cancelled) — unless community flags have hidden them.
pub fn is_publicly_visible(event: &event::Model) -> bool {
    let shown = match EventStatus::parse(&event.status) {
        Some(EventStatus::Published | EventStatus::Completed) => true,
        Some(EventStatus::Cancelled) => event.published_at.is_some(),
        _ => false,
    };
    shown && event.hidden_at.is_none()
}

/// Everything else is visible to those who may edit it and to curators.
pub fn can_view(event: &event::Model, viewer: Option<&user::Model>) -> bool {
    is_publicly_visible(event) || viewer.is_some_and(|u| can_edit(event, u) || is_curator(u))
}

/// Whether the person holds tickets for the event (confirmed or checked in).
pub async fn holds_ticket<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    event_id: i32,
) -> Result<bool, AppError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::UserId.eq(user_id))
        .filter(
            registration::Column::Status.is_in(RegistrationStatus::slugs_where(
                RegistrationStatus::is_going,
            )),
        )
        .count(db)
        .await
        .map_err(internal)?
        > 0)
}

/// The online join link is for the people who may attend: ticket holders, and those who run or
/// review the event. Everyone else sees that it is online.
pub async fn may_join_online<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    viewer: Option<&user::Model>,
) -> Result<bool, AppError> {
    match viewer {
        None => Ok(false),
        Some(v) if can_edit(event, v) || is_curator(v) => Ok(true),
        Some(v) => holds_ticket(db, v.id, event.id).await,
    }
}
