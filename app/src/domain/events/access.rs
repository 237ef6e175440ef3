use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    domain::{
        context::internal,
        events::visibility,
        organizations::access::{allowed, role_in},
    },
    error::AppError,
    model::{
        events::{EventStatus, Visibility},
        organizations::{OrgAction, OrgRole},
        taxonomy::Role,
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

/// What one person may do with one event, from one read of their role in its organization:
/// pages that ask several questions of it (may they edit, see money, refund, see the draft?)
/// ask them of this.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventAccess {
    admin: bool,
    curator: bool,
    role: Option<OrgRole>,
    /// Admitted to a private event, or holds a registration for it.
    guest: bool,
}

impl EventAccess {
    pub async fn of<C: ConnectionTrait>(
        db: &C,
        event: &event::Model,
        viewer: Option<&user::Model>,
    ) -> Result<EventAccess, AppError> {
        let role = match viewer {
            Some(v) => role_in(db, v.id, event.organization_id).await?,
            None => None,
        };
        let (admin, curator) = (viewer.is_some_and(is_admin), viewer.is_some_and(is_curator));
        let guest = match viewer {
            Some(v)
                if role.is_none() && !curator && visibility::of(event) == Visibility::Private =>
            {
                visibility::is_guest(db, event.id, v.id).await?
            }
            _ => false,
        };
        Ok(EventAccess {
            admin,
            curator,
            role,
            guest,
        })
    }

    /// `organizations::access::allowed` in the event's organization.
    pub fn may(&self, action: OrgAction) -> bool {
        allowed(self.admin, self.role, action)
    }

    /// Works on the event in any role (so sees it before it is public, and its online link).
    pub fn on_the_team(&self) -> bool {
        self.admin || self.role.is_some()
    }

    /// What anyone may see, a private event to its guests, and everything to its team and to
    /// curators.
    pub fn can_view(&self, event: &event::Model) -> bool {
        is_publicly_visible(event)
            || (self.guest && is_shown(event))
            || self.curator
            || self.on_the_team()
    }
}

/// Whether the person may do `action` to the event.
pub async fn may<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    user: &user::Model,
    action: OrgAction,
) -> Result<bool, AppError> {
    Ok(EventAccess::of(db, event, Some(user)).await?.may(action))
}

/// Whether the person may change the event (editors, managers and owners of its organization).
pub async fn can_edit<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    user: &user::Model,
) -> Result<bool, AppError> {
    may(db, event, user, OrgAction::EditEvents).await
}

/// Out in the world: published and completed events, and cancelled ones that had been out
/// (their page says they are cancelled) — unless community flags have hidden them. Who may see
/// such an event is its visibility's business.
pub fn is_shown(event: &event::Model) -> bool {
    let out = match EventStatus::parse(&event.status) {
        Some(EventStatus::Published | EventStatus::Completed) => true,
        Some(EventStatus::Cancelled) => event.published_at.is_some(),
        _ => false,
    };
    out && event.hidden_at.is_none()
}

/// What anyone who has the link may see: shown, and public or unlisted. Listings ask
/// `visibility::is_listed`.
pub fn is_publicly_visible(event: &event::Model) -> bool {
    is_shown(event) && visibility::of(event) != Visibility::Private
}

/// `EventAccess::can_view`, without a read for a public event.
pub async fn can_view<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    viewer: Option<&user::Model>,
) -> Result<bool, AppError> {
    if is_publicly_visible(event) {
        return Ok(true);
    }
    Ok(EventAccess::of(db, event, viewer).await?.can_view(event))
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
        Some(v) if is_curator(v) || EventAccess::of(db, event, viewer).await?.on_the_team() => {
            Ok(true)
        }
        Some(v) => holds_ticket(db, v.id, event.id).await,
    }
}
