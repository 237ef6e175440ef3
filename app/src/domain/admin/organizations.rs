//! Organizations and events, as admins see them: find them, hand an organization to a new
//! owner, and cancel an event for its organizer (refunds and notices follow as for any
//! cancellation). Each change is written to the audit log with its reason, in its transaction.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use super::audit::{self, Details};
use crate::{
    domain::{
        context::{find, internal},
        curation::lifecycle,
        events::listings::tz_of,
        locale_format,
        organizations::personal::add_member,
        transaction::begin_write,
    },
    error::AppError,
    i18n::td_string,
    model::{
        admin::{AdminEventRow, AdminOrgRow},
        events::EventStatus,
        language::Locale,
        organizations::OrgRole,
    },
};
use entity::{event, organization, organization_member, user};

/// The most rows of each kind one search shows.
pub const RESULTS: u64 = 25;

fn like(q: &str) -> Option<String> {
    let q: String = q.trim().to_lowercase().chars().take(100).collect();
    (!q.is_empty()).then(|| format!("%{}%", q.replace(['%', '_'], "")))
}

/// Organizations whose name or address contains `q`, and events whose title does (the newest
/// of each when `q` is empty), in `locale`.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    q: &str,
    locale: Locale,
) -> Result<(Vec<AdminOrgRow>, Vec<AdminEventRow>), AppError> {
    let pattern = like(q);
    let mut orgs = organization::Entity::find();
    let mut events = event::Entity::find();
    if let Some(p) = &pattern {
        orgs = orgs.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(organization::Column::Name))).like(p.clone()))
                .add(
                    Expr::expr(Func::lower(Expr::col(organization::Column::Slug))).like(p.clone()),
                ),
        );
        events =
            events.filter(Expr::expr(Func::lower(Expr::col(event::Column::Title))).like(p.clone()));
    }
    let orgs = orgs
        .order_by_desc(organization::Column::Id)
        .limit(RESULTS)
        .all(db)
        .await
        .map_err(internal)?;
    let mut org_rows = Vec::with_capacity(orgs.len());
    for o in orgs {
        org_rows.push(AdminOrgRow {
            owners: owners(db, o.id)
                .await?
                .into_iter()
                .map(|u| u.email)
                .collect::<Vec<_>>()
                .join(", "),
            id: o.id,
            name: o.name,
            slug: o.slug,
            personal: o.personal,
        });
    }
    let events = events
        .order_by_desc(event::Column::Id)
        .limit(RESULTS)
        .all(db)
        .await
        .map_err(internal)?;
    let event_rows = events
        .into_iter()
        .map(|e| {
            let status = EventStatus::parse(&e.status).unwrap_or(EventStatus::Draft);
            AdminEventRow {
                id: e.id,
                starts: locale_format::date_time(locale, e.starts_at, tz_of(&e)),
                title: e.title,
                status: status.label_in(locale).to_owned(),
                cancellable: matches!(
                    status,
                    EventStatus::Draft
                        | EventStatus::Submitted
                        | EventStatus::Published
                        | EventStatus::NeedsRevision
                ),
            }
        })
        .collect();
    Ok((org_rows, event_rows))
}

async fn owners<C: ConnectionTrait>(db: &C, org: i32) -> Result<Vec<user::Model>, AppError> {
    let ids: Vec<i32> = organization_member::Entity::find()
        .select_only()
        .column(organization_member::Column::UserId)
        .filter(organization_member::Column::OrganizationId.eq(org))
        .filter(organization_member::Column::Role.eq(OrgRole::Owner.as_str()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .map_err(internal)
}

/// Makes the person at `email` the organization's owner; its other owners become managers.
/// The notice and refusals are in `locale`.
pub async fn transfer<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    org_id: i32,
    email: &str,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let reason = audit::reason(reason, locale)?;
    let email = email.trim().to_lowercase();
    let txn = begin_write(db).await.map_err(internal)?;
    let org = find::<organization::Entity, _>(&txn, org_id).await?;
    let to = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&txn)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            AppError::field(
                "email",
                td_string!(locale, admin.org_actions.nobody_with_address),
            )
        })?;
    let before = owners(&txn, org.id).await?;
    if before.len() == 1 && before[0].id == to.id {
        return Err(AppError::field(
            "email",
            td_string!(locale, admin.org_actions.own_it_already),
        ));
    }
    organization_member::Entity::update_many()
        .col_expr(
            organization_member::Column::Role,
            Expr::value(OrgRole::Manager.as_str()),
        )
        .filter(organization_member::Column::OrganizationId.eq(org.id))
        .filter(organization_member::Column::Role.eq(OrgRole::Owner.as_str()))
        .filter(organization_member::Column::UserId.ne(to.id))
        .exec(&txn)
        .await
        .map_err(internal)?;
    let membership = organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(org.id))
        .filter(organization_member::Column::UserId.eq(to.id))
        .one(&txn)
        .await
        .map_err(internal)?;
    match membership {
        Some(m) => {
            let mut m: organization_member::ActiveModel = m.into();
            m.role = Set(OrgRole::Owner.as_str().to_owned());
            m.update(&txn).await.map_err(internal)?;
        }
        None => add_member(&txn, org.id, to.id, OrgRole::Owner, now).await?,
    }
    let was: Vec<String> = before.iter().map(|u| u.email.clone()).collect();
    let details = Details::Owners {
        was: was.join(", "),
        now: to.email.clone(),
    };
    audit::record(
        &txn,
        admin.id,
        "transfer",
        "organization",
        org.id,
        &reason,
        &details.stored(),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    Ok(td_string!(
        locale,
        admin.org_actions.transferred,
        name = &to.display_name,
        organization = &org.name
    ))
}

/// Cancels an event for its organizer: attendees are told why and paid tickets refunded. The
/// notice and refusals are in `locale`.
pub async fn force_cancel<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    event_id: i32,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let reason = audit::reason(reason, locale)?;
    let event = find::<event::Entity, _>(db, event_id).await?;
    let txn = begin_write(db).await.map_err(internal)?;
    let cancelled = lifecycle::cancel_in(&txn, admin, &event, &reason, now, locale).await?;
    let details = Details::Status {
        was: event.status.clone(),
        now: EventStatus::Cancelled.as_str().to_owned(),
    };
    audit::record(
        &txn,
        admin.id,
        "cancel_event",
        "event",
        event.id,
        &reason,
        &details.stored(),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    Ok(td_string!(
        locale,
        admin.org_actions.cancelled,
        title = &cancelled.title
    ))
}
