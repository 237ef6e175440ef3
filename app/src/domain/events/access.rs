use crate::model::{events::EventStatus, taxonomy::Role};
use entity::{event, user};

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
