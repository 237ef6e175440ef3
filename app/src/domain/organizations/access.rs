//! The one question every organization page and action asks: may this person do this here?
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    domain::{context::internal, events::access::is_admin},
    error::AppError,
    model::organizations::{OrgAction, OrgRole},
};
use entity::{organization_member, user};

/// The person's role in the organization, if they are a member.
pub async fn role_in<C: ConnectionTrait>(
    db: &C,
    person: i32,
    organization: i32,
) -> Result<Option<OrgRole>, AppError> {
    let role: Option<String> = organization_member::Entity::find()
        .select_only()
        .column(organization_member::Column::Role)
        .filter(organization_member::Column::OrganizationId.eq(organization))
        .filter(organization_member::Column::UserId.eq(person))
        .into_tuple()
        .one(db)
        .await
        .map_err(internal)?;
    Ok(role.as_deref().and_then(OrgRole::parse))
}

/// The rule every check applies: a platform admin may do anything (and the audit log records
/// their admin actions); anyone else as their role in the organization permits.
pub fn allowed(admin: bool, role: Option<OrgRole>, action: OrgAction) -> bool {
    admin || role.is_some_and(|role| role.permits(action))
}

/// What one person may do in one organization, from one read of their role: pages that ask
/// several questions (may they see figures? money? set up payouts?) ask them of this.
#[derive(Debug, Clone, Copy)]
pub struct Rights {
    admin: bool,
    role: Option<OrgRole>,
}

impl Rights {
    pub async fn of<C: ConnectionTrait>(
        db: &C,
        person: &user::Model,
        organization: i32,
    ) -> Result<Rights, AppError> {
        let admin = is_admin(person);
        let role = match admin {
            true => None,
            false => role_in(db, person.id, organization).await?,
        };
        Ok(Rights { admin, role })
    }

    pub fn may(&self, action: OrgAction) -> bool {
        allowed(self.admin, self.role, action)
    }

    /// `may`, as an error when it does not.
    pub fn require(&self, action: OrgAction) -> Result<(), AppError> {
        match self.may(action) {
            true => Ok(()),
            false => Err(AppError::Forbidden),
        }
    }
}

/// Whether `person` may do `action` in `organization` (`allowed`, with their role read).
pub async fn permits<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    organization: i32,
    action: OrgAction,
) -> Result<bool, AppError> {
    Ok(Rights::of(db, person, organization).await?.may(action))
}

/// `permits`, as an error when it does not.
pub async fn require<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    organization: i32,
    action: OrgAction,
) -> Result<(), AppError> {
    Rights::of(db, person, organization).await?.require(action)
}

/// The organizations where the person's role permits `action`.
pub async fn where_permitted<C: ConnectionTrait>(
    db: &C,
    person: i32,
    action: OrgAction,
) -> Result<Vec<i32>, AppError> {
    let rows: Vec<(i32, String)> = organization_member::Entity::find()
        .select_only()
        .columns([
            organization_member::Column::OrganizationId,
            organization_member::Column::Role,
        ])
        .filter(organization_member::Column::UserId.eq(person))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    Ok(rows
        .into_iter()
        .filter(|(_, role)| OrgRole::parse(role).is_some_and(|r| r.permits(action)))
        .map(|(org, _)| org)
        .collect())
}
