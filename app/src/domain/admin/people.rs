//! People, as admins see them: find anyone, appoint and remove curators and admins, suspend and
//! reinstate. Every change is written to the audit log with its reason, in the same transaction.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use super::audit::{self, Details};
use crate::{
    domain::{
        accounts::recovery::end_sessions,
        context::{find, internal},
        curation::lifecycle,
        events::changed::event_changed,
        locale_format,
        transaction::begin_write,
    },
    error::AppError,
    i18n::td_string,
    model::{admin::PersonRow, events::EventStatus, language::Locale, taxonomy::Role},
};
use entity::{event, user};

/// The most people one search shows.
pub const RESULTS: u64 = 50;
/// What a suspended organizer's events say while they are hidden, as stored (it also finds
/// the events to show again); `hidden_reason_in` reads it in each language.
pub const SUSPENDED: &str = "Hidden while the organizer's account is suspended.";

/// A hidden event's stored reason as `locale` reads it: a suspension's in words of the
/// language, any other (a curator's own) as written.
pub fn hidden_reason_in(reason: &str, locale: Locale) -> String {
    match reason {
        SUSPENDED => td_string!(locale, admin.people_actions.suspended_reason).to_owned(),
        other => other.to_owned(),
    }
}

/// People whose name or address contains `q` (all of them, newest first, when it is empty),
/// with when each joined in `locale`.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    q: &str,
    locale: Locale,
) -> Result<Vec<PersonRow>, AppError> {
    let q: String = q.trim().to_lowercase().chars().take(100).collect();
    let mut query = user::Entity::find();
    if !q.is_empty() {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(user::Column::Email))).like(like.clone()))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::DisplayName))).like(like)),
        );
    }
    Ok(query
        .order_by_desc(user::Column::Id)
        .limit(RESULTS)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| PersonRow {
            id: u.id,
            name: u.display_name,
            email: u.email,
            role: Role::parse(&u.role).unwrap_or(Role::Attendee),
            verified: u.email_verified_at.is_some(),
            reputation: u.reputation,
            suspended: u.suspension_reason.filter(|_| u.suspended_at.is_some()),
            joined: locale_format::date_time(locale, u.created_at, chrono_tz::UTC),
        })
        .collect())
}

/// Every change to a person starts the same way: a reason, someone else, a write transaction
/// and the person's row in it.
async fn begin<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    person: i32,
    reason: &str,
    locale: Locale,
) -> Result<(String, C::Transaction, user::Model), AppError> {
    let reason = audit::reason(reason, locale)?;
    if admin.id == person {
        return Err(AppError::Refused(
            td_string!(locale, admin.people_actions.not_yourself).into(),
        ));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let target = find::<user::Entity, _>(&txn, person).await?;
    Ok((reason, txn, target))
}

/// Appoints or removes curators and admins (any role, really), with a reason. The notice and
/// refusals are in `locale`.
pub async fn set_role<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    person: i32,
    role: Role,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let (reason, txn, target) = begin(db, admin, person, reason, locale).await?;
    let was = Role::parse(&target.role).unwrap_or(Role::Attendee);
    if was == role {
        return Ok(td_string!(
            locale,
            admin.people_actions.role_already,
            name = &target.display_name,
            role = role.label_in(locale)
        ));
    }
    let name = target.display_name.clone();
    let mut active: user::ActiveModel = target.into();
    active.role = Set(role.as_str().to_owned());
    active.updated_at = Set(now);
    active.update(&txn).await.map_err(internal)?;
    let details = Details::Role {
        was: was.as_str().to_owned(),
        now: role.as_str().to_owned(),
    };
    audit::record(
        &txn,
        admin.id,
        "set_role",
        "user",
        person,
        &reason,
        &details.stored(),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    // within a sentence: lower case, except German nouns
    let role = match locale {
        Locale::de => role.label_in(locale).to_owned(),
        _ => role.label_in(locale).to_lowercase(),
    };
    Ok(td_string!(
        locale,
        admin.people_actions.role_now,
        name = name,
        role = role
    ))
}

/// Suspends a person: they cannot sign in (their sessions end now) and their public events leave
/// every listing until they are reinstated. The notice and refusals are in `locale`.
pub async fn suspend<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    person: i32,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    change_standing(db, admin, person, true, reason, now, locale).await
}

/// Lifts a suspension: the person may sign in again and the events the suspension hid return.
/// The notice and refusals are in `locale`.
pub async fn reinstate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    person: i32,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    change_standing(db, admin, person, false, reason, now, locale).await
}

async fn change_standing<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &user::Model,
    person: i32,
    suspending: bool,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let (reason, txn, target) = begin(db, admin, person, reason, locale).await?;
    let name = target.display_name.clone();
    if target.suspended_at.is_some() == suspending {
        return Err(AppError::Refused(match suspending {
            true => td_string!(locale, admin.people_actions.suspended_already, name = &name),
            false => td_string!(locale, admin.people_actions.not_suspended, name = &name),
        }));
    }
    set_standing(&txn, target, suspending.then_some(reason.as_str()), now).await?;
    let (action, details, done) = if suspending {
        end_sessions(&txn, person).await?;
        let public = event::Entity::find()
            .filter(event::Column::OrganizerId.eq(person))
            .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
            .filter(event::Column::HiddenAt.is_null())
            .all(&txn)
            .await
            .map_err(internal)?;
        show_or_hide(&txn, admin.id, &public, Some(now), SUSPENDED, now).await?;
        let done = td_string!(locale, admin.people_actions.suspended, name = &name);
        ("suspend", Details::Hidden(public.len()), done)
    } else {
        // only what the suspension hid: community hides stay for the curators
        let hidden = event::Entity::find()
            .filter(event::Column::OrganizerId.eq(person))
            .filter(event::Column::HiddenReason.eq(SUSPENDED))
            .all(&txn)
            .await
            .map_err(internal)?;
        show_or_hide(&txn, admin.id, &hidden, None, &reason, now).await?;
        let done = td_string!(locale, admin.people_actions.reinstated, name = &name);
        ("reinstate", Details::Shown(hidden.len()), done)
    };
    audit::record(
        &txn,
        admin.id,
        action,
        "user",
        person,
        &reason,
        &details.stored(),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    Ok(done)
}

/// Suspends (with the reason) or reinstates (`None`) the account.
async fn set_standing<C: ConnectionTrait>(
    db: &C,
    target: user::Model,
    suspended: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut active: user::ActiveModel = target.into();
    active.suspended_at = Set(suspended.map(|_| now));
    active.suspension_reason = Set(suspended.map(str::to_owned));
    active.updated_at = Set(now);
    active.update(db).await.map_err(internal)?;
    Ok(())
}

/// Hides the events (`hidden_at` set, for a suspension) or shows them again (`None`), each with a
/// step in its history and a word through the outbox to the search index and the graph.
async fn show_or_hide<C: ConnectionTrait>(
    db: &C,
    admin: i32,
    events: &[event::Model],
    hidden_at: Option<DateTime<Utc>>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (reason, step) = match hidden_at {
        Some(_) => (Some(SUSPENDED), "suspended"),
        None => (None, "reinstated"),
    };
    for e in events {
        event::Entity::update_many()
            .col_expr(event::Column::HiddenAt, Expr::value(hidden_at))
            .col_expr(event::Column::HiddenReason, Expr::value(reason))
            .filter(event::Column::Id.eq(e.id))
            .exec(db)
            .await
            .map_err(internal)?;
        let status = lifecycle::status_of(e)?;
        lifecycle::record(db, e.id, Some(admin), status, status, step, note, now).await?;
        event_changed(db, e.id, now).await?;
    }
    Ok(())
}
