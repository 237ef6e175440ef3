use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    domain::{
        context::internal,
        organizations::access::{permits, role_in},
    },
    error::AppError,
    model::{
        events::EventStatus, organizations::OrgAction, taxonomy::Role,
        ticketing::RegistrationStatus,
    },
};
use entity::{event, registration, user};

pub fn is_admin(user: &user::Model) -> bool {
    Role::parse(&user.role) == Some(Role::Admin)
}

pub fn is_curator(user: &user::Model) -> bool {
    Role::parse(&user.role).is_some_and(Role::can_curate)
}

/// Whether the person may do `action` to the event: by their role in the organization it
/// belongs to (`organizations::access::permits`), or as an admin.
pub async fn may<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    user: &user::Model,
    action: OrgAction,
) -> Result<bool, AppError> {
    permits(db, user, event.organization_id, action).await
}

/// Whether the person may change the event (editors, managers and owners of its organization).
pub async fn can_edit<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    user: &user::Model,
) -> Result<bool, AppError> {
    may(db, event, user, OrgAction::EditEvents).await
}

/// Whether the person works on the event in any role, and so sees it before it is public.
pub async fn on_the_team<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    user: &user::Model,
) -> Result<bool, AppError> {
    Ok(is_admin(user) || role_in(db, user.id, event.organization_id).await?.is_some())
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

/// Everything else is visible to its organization's team and to curators.
pub async fn can_view<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    viewer: Option<&user::Model>,
) -> Result<bool, AppError> {
    if is_publicly_visible(event) {
        return Ok(true);
    }
    match viewer {
        None => Ok(false),
        Some(u) if is_curator(u) => Ok(true),
        Some(u) => on_the_team(db, event, u).await,
    }
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
        Some(v) if is_curator(v) || on_the_team(db, event, v).await? => Ok(true),
        Some(v) => holds_ticket(db, v.id, event.id).await,
    }
}
