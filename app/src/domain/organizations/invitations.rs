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
        accounts::{language, recovery, sign_up::normalize_email_in, tokens},
        context::{find, internal},
        locale_format,
        transaction::begin_write,
    },
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        organizations::{InvitationRow, InvitationView, OrgAction, OrgRole},
    },
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
/// again replaces its open invitation (a new link; the old one stops working). Refusals are in
/// `locale`, the inviter's language.
pub async fn invite<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    actor: &user::Model,
    organization: i32,
    email: &str,
    role: OrgRole,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<invitation::Model, AppError> {
    require(db, actor, organization, OrgAction::ManageTeam).await?;
    if role == OrgRole::Owner {
        require(db, actor, organization, OrgAction::Own).await?;
    }
    let email = normalize_email_in(email, locale).map_err(|why| AppError::field("email", why))?;
    let org = find::<organization::Entity, _>(db, organization).await?;
    let invitee = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?;
    if let Some(invitee) = &invitee {
        if role_in(db, invitee.id, organization).await?.is_some() {
            return Err(AppError::Refused(td_string!(
                locale,
                organizations.invitations.on_team_already,
                name = &invitee.display_name
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
        return Err(AppError::TooMany(td_string!(
            locale,
            organizations.invitations.too_many,
            max = MAX_PENDING
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
    // in the language of the account that uses the address, if one does
    let theirs = invitee.as_ref().map(language::of_user).unwrap_or_default();
    let role_name = match theirs {
        // German nouns keep their capital within a sentence
        Locale::de => role.label_in(theirs).to_owned(),
        _ => role.label_in(theirs).to_lowercase(),
    };
    recovery::mail(
        &txn,
        format!("organization_invitation:{}", made.id),
        &email,
        td_string!(
            theirs,
            mail.invitation.organization_title,
            organization = &org.name
        ),
        td_string!(
            theirs,
            mail.invitation.organization,
            name = &actor.display_name,
            organization = &org.name,
            role = role_name,
            summary = role.summary_in(theirs)
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

/// What the link shows before it is answered, in `locale`.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    raw: &str,
    viewer: Option<&user::Model>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<InvitationView, AppError> {
    let found = by_token(db, raw).await?;
    let org = find::<organization::Entity, _>(db, found.organization_id).await?;
    let by = find::<user::Entity, _>(db, found.invited_by).await?;
    let role = OrgRole::parse(&found.role).ok_or(AppError::Internal)?;
    let logos = logo_urls(db, std::slice::from_ref(&org)).await?;
    Ok(InvitationView {
        organization: summary(&org, &logos),
        role,
        role_summary: role.summary_in(locale).to_owned(),
        invited_by: by.display_name,
        email: found.email.clone(),
        addressed_to_me: viewer.is_some_and(|v| v.email.eq_ignore_ascii_case(&found.email)),
        open: found.outcome.is_none() && found.expires_at > now,
    })
}

/// Accepts or declines: only the person signed in with the invited address may; an invitation
/// is answered once. Refusals are in `locale`.
pub async fn answer<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    raw: &str,
    person: &user::Model,
    accept: bool,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<organization::Model, AppError> {
    let found = by_token(db, raw).await?;
    if !person.email.eq_ignore_ascii_case(&found.email) {
        return Err(AppError::Refused(td_string!(
            locale,
            organizations.invitations.for_other,
            email = &found.email
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
            td_string!(locale, organizations.invitations.answered).into(),
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

/// Open invitations, newest first, their expiry in `locale`.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    organization: i32,
    now: DateTime<Utc>,
    locale: Locale,
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
                expires: locale_format::date_time(locale, i.expires_at, chrono_tz::UTC),
            })
        })
        .collect())
}
