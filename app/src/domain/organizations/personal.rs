//! Each organizer's own organization: where their events go unless they choose a team's.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use super::slug;
use crate::{
    domain::context::internal,
    error::AppError,
    model::{organizations::OrgRole, taxonomy::Role},
};
use entity::{organization, organization_member, user};

/// The person's personal organization, made (with them as its owner) the first time it is
/// needed.
pub async fn of<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    now: DateTime<Utc>,
) -> Result<organization::Model, AppError> {
    if let Some(found) = organization::Entity::find()
        .filter(organization::Column::CreatedBy.eq(person.id))
        .filter(organization::Column::Personal.eq(true))
        .one(db)
        .await
        .map_err(internal)?
    {
        return Ok(found);
    }
    let slug = slug::free(db, &person.display_name).await?;
    let made = organization::ActiveModel {
        slug: Set(slug),
        name: Set(person.display_name.clone()),
        description: Set(String::new()),
        city: Set(person.home_city.clone()),
        logo_image_id: Set(None),
        personal: Set(true),
        created_by: Set(person.id),
        accepts_submissions: Set(false),
        stripe_account_id: Set(None),
        charges_enabled: Set(false),
        payouts_enabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    add_member(db, made.id, person.id, OrgRole::Owner, now).await?;
    Ok(made)
}

/// Adds the person to the organization's team. An attendee who joins a team becomes an
/// organizer: the pages for running events (My events, the event form) are theirs now.
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    organization: i32,
    person: i32,
    role: OrgRole,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(Role::Organizer.as_str()))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(person))
        .filter(user::Column::Role.eq(Role::Attendee.as_str()))
        .exec(db)
        .await
        .map_err(internal)?;
    organization_member::ActiveModel {
        organization_id: Set(organization),
        user_id: Set(person),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(())
}
