//! Community flags. Each flag weighs by its author's standing (`standing`); when the open flags
//! of an event reach the threshold and come from enough established reporters, it is hidden and
//! queued for re-review, and its organizer sees why.
use crate::domain::transaction::begin_write;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal, unique_or_internal},
        curation::{
            lifecycle, reputation,
            standing::{self, Standing},
            submissions,
        },
        events::{access::is_publicly_visible, snapshot::Snapshot},
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{FlagReason, SubmissionKind},
        events::EventStatus,
        language::Locale,
    },
};
use entity::{event, flag, user};

pub async fn flag<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    event_id: i32,
    reason: &str,
    text: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let reason = FlagReason::parse(reason).ok_or_else(|| {
        AppError::field("reason", td_string!(locale, curation.flags.choose_reason))
    })?;
    let text = lifecycle::check_reason(
        text,
        "text",
        td_string!(locale, curation.flags.tell_curators),
        locale,
    )?;
    let event = find::<event::Entity, _>(db, event_id).await?;
    if !is_publicly_visible(&event) || lifecycle::status_of(&event)? != EventStatus::Published {
        return Err(AppError::Refused(
            td_string!(locale, curation.flags.not_public).into(),
        ));
    }
    if event.organizer_id == user.id {
        return Err(AppError::Refused(
            td_string!(locale, curation.flags.own_event).into(),
        ));
    }
    let already = flag::Entity::find()
        .filter(flag::Column::EventId.eq(event_id))
        .filter(flag::Column::UserId.eq(user.id))
        .one(db)
        .await
        .map_err(internal)?;
    let already_reported = || AppError::Refused(td_string!(locale, curation.flags.already).into());
    if already.is_some() {
        return Err(already_reported());
    }
    let weight = Standing::of(db, user, now).await?.report_weight();
    let txn = begin_write(db).await.map_err(internal)?;
    // one report of this event at a time, so concurrent ones are summed, not missed
    lifecycle::lock_event(&txn, event_id).await?;
    flag::ActiveModel {
        event_id: Set(event_id),
        user_id: Set(user.id),
        reason: Set(reason.as_str().to_owned()),
        text: Set(text),
        weight: Set(weight),
        state: Set("open".to_owned()),
        submission_id: Set(None),
        created_at: Set(now),
        resolved_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_or_internal(e, already_reported()))?;
    let open = flag::Entity::find()
        .filter(flag::Column::EventId.eq(event_id))
        .filter(flag::Column::State.eq("open"))
        .filter(flag::Column::SubmissionId.is_null())
        .all(&txn)
        .await
        .map_err(internal)?;
    if hides(&open) {
        hide(&txn, &event, &open, now).await?;
    }
    txn.commit().await.map_err(internal)
}

/// Open flags hide an event when their weights reach the threshold and at least
/// `REPORTERS_TO_HIDE` of them come from established reporters in good standing: however many
/// new accounts report, they add next to nothing and never make up the reporters.
pub fn hides(open: &[flag::Model]) -> bool {
    let weight: f64 = open.iter().map(|f| f.weight).sum();
    let established = open
        .iter()
        .filter(|f| f.weight >= standing::ESTABLISHED_WEIGHT)
        .count();
    weight >= reputation::HIDE_THRESHOLD && established >= reputation::REPORTERS_TO_HIDE
}

/// "Hidden after 3 reports (spam ×2, misleading ×1) until a curator has looked at it again."
pub fn hide_reason(flags: &[flag::Model], locale: Locale) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in flags {
        *counts
            .entry(
                FlagReason::parse(&f.reason)
                    .unwrap_or(FlagReason::Other)
                    .label_in(locale),
            )
            .or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
    td_string!(
        locale,
        curation.flags.hidden,
        count = flags.len(),
        reasons = summary.join(", ")
    )
}

/// Hides the event, with the reason in its organizer's language.
async fn hide<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    flags: &[flag::Model],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let organizer = find::<user::Entity, _>(db, event.organizer_id).await?;
    let reason = hide_reason(
        flags,
        crate::domain::accounts::language::of_user(&organizer),
    );
    // only the first request over the threshold hides it
    let hidden = event::Entity::update_many()
        .col_expr(event::Column::HiddenAt, Expr::value(Some(now)))
        .col_expr(
            event::Column::HiddenReason,
            Expr::value(Some(reason.clone())),
        )
        .filter(event::Column::Id.eq(event.id))
        .filter(event::Column::HiddenAt.is_null())
        .exec(db)
        .await
        .map_err(internal)?;
    if hidden.rows_affected != 1 {
        return Ok(());
    }
    let status = lifecycle::status_of(event)?;
    lifecycle::record(db, event.id, None, status, status, "hide", &reason, now).await?;
    let (round, _) = submissions::open(
        db,
        event,
        SubmissionKind::Flagged,
        event.revision,
        &Snapshot::of(event),
        None,
        None,
        now,
    )
    .await?;
    flag::Entity::update_many()
        .col_expr(flag::Column::SubmissionId, Expr::value(Some(round.id)))
        .filter(flag::Column::Id.is_in(flags.iter().map(|f| f.id)))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}
