//! Invitations by mail: a manager invites an address in a role; the person signed in with that
//! address accepts or declines through the link. Only a SHA-256 of the link's token is stored.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionSession,
};

use super::{
    access::{require, role_in},
    personal::add_member,
    profile::{logo_urls, summary},
};
use crate::{
    domain::{
        accounts::{recovery, sign_up::normalize_email, tokens},
        context::{find, internal},
        transaction::begin_write,
    },
    error::AppError,
    model::organizations::{InvitationRow, InvitationView, OrgAction, OrgRole},
};
use entity::{organization, organization_invitation as invitation, user};

pub const LIFETIME: Duration = Duration::days(14);
/// Open invitations one organization may have at once.
pub const MAX_PENDING: u64 = 50;

fn open_now(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(invitation::Column::Outcome.is_null())
        .add(invitation::Column::ExpiresAt.gt(now))
}

/// Invites `email` to the organization as `role` and mails the link. Inviting an address
/// again replaces its open invitation (a new link; the old one stops working).
pub async fn invite<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    actor: &user::Model,
    organization: i32,
    email: &str,
    role: OrgRole,
    now: DateTime<Utc>,
) -> Result<invitation::Model, AppError> {
    require(db, actor, organization, OrgAction::ManageTeam).await?;
    if role == OrgRole::Owner {
        require(db, actor, organization, OrgAction::Own).await?;
    }
    let email = normalize_email(email).map_err(|why| AppError::field("email", why))?;
    let org = find::<organization::Entity, _>(db, organization).await?;
    let invitee = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?;
    if let Some(invitee) = &invitee {
        if role_in(db, invitee.id, organization).await?.is_some() {
            return Err(AppError::Refused(format!(
                "{} is on the team already.",
                invitee.display_name
            )));
        }
    }
    let txn = begin_write(db).await.map_err(internal)?;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Outcome, Expr::value("withdrawn"))
        .col_expr(invitation::Column::AnsweredAt, Expr::value(now))
        .filter(invitation::Column::OrganizationId.eq(organization))
        .filter(invitation::Column::Email.eq(&email))
        .filter(invitation::Column::Outcome.is_null())
        .exec(&txn)
        .await
        .map_err(internal)?;
    let pending = invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(organization))
        .filter(open_now(now))
        .count(&txn)
        .await
        .map_err(internal)?;
    if pending >= MAX_PENDING {
        return Err(AppError::TooMany(format!(
            "{MAX_PENDING} invitations are waiting for an answer already: withdraw some first."
        )));
    }
    let raw = tokens::new_raw();
    let made = invitation::ActiveModel {
        organization_id: Set(organization),
        email: Set(email.clone()),
        role: Set(role.as_str().to_owned()),
        token_hash: Set(tokens::digest(&raw)),
        invited_by: Set(actor.id),
        created_at: Set(now),
        expires_at: Set(now + LIFETIME),
        outcome: Set(None),
        answered_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal)?;
    recovery::mail(
        &txn,
        format!("organization_invitation:{}", made.id),
        &email,
        format!("Join {} on Lineup", org.name),
        format!(
            "{} invites you to join {} as {}: {} The link works for 14 days; sign in (or sign up) with this address to answer.",
            actor.display_name,
            org.name,
            role.label().to_lowercase(),
            role.summary()
        ),
        format!("/o/invitations/{raw}"),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    Ok(made)
}

async fn by_token<C: ConnectionTrait>(db: &C, raw: &str) -> Result<invitation::Model, AppError> {
    if !tokens::well_formed(raw) {
        return Err(AppError::NotFound);
    }
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(tokens::digest(raw)))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// What the link shows before it is answered.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    raw: &str,
    viewer: Option<&user::Model>,
    now: DateTime<Utc>,
) -> Result<InvitationView, AppError> {
    let found = by_token(db, raw).await?;
    let org = find::<organization::Entity, _>(db, found.organization_id).await?;
    let by = find::<user::Entity, _>(db, found.invited_by).await?;
    let role = OrgRole::parse(&found.role).ok_or(AppError::Internal)?;
    let logos = logo_urls(db, std::slice::from_ref(&org)).await?;
    Ok(InvitationView {
        organization: summary(&org, &logos),
        role,
        role_summary: role.summary().to_owned(),
        invited_by: by.display_name,
        email: found.email.clone(),
        addressed_to_me: viewer.is_some_and(|v| v.email.eq_ignore_ascii_case(&found.email)),
        open: found.outcome.is_none() && found.expires_at > now,
    })
}

/// Accepts or declines: only the person signed in with the invited address may; an invitation
/// is answered once.
pub async fn answer<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    raw: &str,
    person: &user::Model,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<organization::Model, AppError> {
    let found = by_token(db, raw).await?;
    if !person.email.eq_ignore_ascii_case(&found.email) {
        return Err(AppError::Refused(format!(
            "This invitation is for {}: sign in with that address to answer it.",
            found.email
        )));
    }
    let role = OrgRole::parse(&found.role).ok_or(AppError::Internal)?;
    let txn = begin_write(db).await.map_err(internal)?;
    let answered = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Outcome,
            Expr::value(if accept { "accepted" } else { "declined" }),
        )
        .col_expr(invitation::Column::AnsweredAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(open_now(now))
        .exec(&txn)
        .await
        .map_err(internal)?;
    if answered.rows_affected != 1 {
        return Err(AppError::Refused(
            "This invitation was answered, withdrawn or has expired: ask for a new one.".into(),
        ));
    }
    if accept
        && role_in(&txn, person.id, found.organization_id)
            .await?
            .is_none()
    {
        add_member(&txn, found.organization_id, person.id, role, now).await?;
    }
    txn.commit().await.map_err(internal)?;
    find::<organization::Entity, _>(db, found.organization_id).await
}

/// Withdraws an open invitation.
pub async fn withdraw<C: ConnectionTrait>(
    db: &C,
    actor: &user::Model,
    organization: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    require(db, actor, organization, OrgAction::ManageTeam).await?;
    let done = invitation::Entity::update_many()
        .col_expr(invitation::Column::Outcome, Expr::value("withdrawn"))
        .col_expr(invitation::Column::AnsweredAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::OrganizationId.eq(organization))
        .filter(invitation::Column::Outcome.is_null())
        .exec(db)
        .await
        .map_err(internal)?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Open invitations, newest first.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    organization: i32,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationRow>, AppError> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(organization))
        .filter(open_now(now))
        .order_by_desc(invitation::Column::CreatedAt)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .filter_map(|i| {
            Some(InvitationRow {
                id: i.id,
                role: OrgRole::parse(&i.role)?,
                email: i.email,
                expires: i.expires_at.format("%Y-%m-%d").to_string(),
            })
        })
        .collect())
}
