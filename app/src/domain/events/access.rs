use crate::api::{events::EventStatus, taxonomy::Role};
use entity::{event, user};

pub fn is_admin(user: &user::Model) -> bool {
    Role::parse(&user.role) == Some(Role::Admin)
}

/// Only the organizer who owns the event, or an admin, may change it.
pub fn can_edit(event: &event::Model, user: &user::Model) -> bool {
    event.organizer_id == user.id || is_admin(user)
}

/// Published events are public; drafts and submissions are visible to those who may edit them.
pub fn can_view(event: &event::Model, viewer: Option<&user::Model>) -> bool {
    EventStatus::parse(&event.status) == Some(EventStatus::Published)
        || viewer.is_some_and(|u| can_edit(event, u))
}
