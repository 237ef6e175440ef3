//! The event lifecycle: which action may move an event from which status to which, and who may
//! take it. Every transition is stored with who, when, from, to and a note.
//!
//! draft → submitted → in_review → published | needs_revision | rejected;
//! needs_revision → submitted; rejected → submitted (appeal, once per decision);
//! submitted → published directly only by the fast track; published → completed after the end;
//! submitted, in_review, needs_revision, published → cancelled.
use crate::domain::transaction::begin_write;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait,
    QueryFilter, Set, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::internal,
        events::{changed::event_changed, save::load_editable},
        notifications,
        outbox::enqueue,
    },
    error::AppError,
    i18n::td_string,
    model::{curation::SubmissionKind, events::EventStatus, language::Locale},
};
use entity::{event, event_transition, submission, user};

use EventStatus::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The event's organizer (or an admin acting for them).
    Organizer,
    /// A curator or admin deciding about it.
    Curator,
    /// Lineup itself: fast track, completion.
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    Withdraw,
    Claim,
    Release,
    Approve,
    RequestRevision,
    Reject,
    FastTrack,
    Appeal,
    Cancel,
    Complete,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Submit,
        Action::Withdraw,
        Action::Claim,
        Action::Release,
        Action::Approve,
        Action::RequestRevision,
        Action::Reject,
        Action::FastTrack,
        Action::Appeal,
        Action::Cancel,
        Action::Complete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Withdraw => "withdraw",
            Action::Claim => "claim",
            Action::Release => "release",
            Action::Approve => "approve",
            Action::RequestRevision => "request_revision",
            Action::Reject => "reject",
            Action::FastTrack => "fast_track",
            Action::Appeal => "appeal",
            Action::Cancel => "cancel",
            Action::Complete => "complete",
        }
    }

    /// From which statuses, to which status, by whom.
    pub fn rule(self) -> (&'static [EventStatus], EventStatus, &'static [Actor]) {
        const ORG: &[Actor] = &[Actor::Organizer];
        const CUR: &[Actor] = &[Actor::Curator];
        const SYS: &[Actor] = &[Actor::System];
        match self {
            Action::Submit => (&[Draft, NeedsRevision], Submitted, ORG),
            Action::Withdraw => (&[Submitted], Draft, ORG),
            Action::Claim => (&[Submitted], InReview, CUR),
            Action::Release => (&[InReview], Submitted, CUR),
            Action::Approve => (&[InReview], Published, CUR),
            // from published: a re-review after community flags
            Action::RequestRevision => (&[InReview, Published], NeedsRevision, CUR),
            Action::Reject => (&[InReview, Published], Rejected, CUR),
            Action::FastTrack => (&[Submitted], Published, SYS),
            Action::Appeal => (&[Rejected], Submitted, ORG),
            Action::Cancel => (
                &[Submitted, InReview, NeedsRevision, Published],
                Cancelled,
                ORG,
            ),
            Action::Complete => (&[Published], Completed, SYS),
        }
    }
}

/// Where `action` takes an event in status `from`, or why it cannot (in `locale`).
pub fn next_status(
    from: EventStatus,
    action: Action,
    actor: Actor,
    locale: Locale,
) -> Result<EventStatus, AppError> {
    let (sources, to, actors) = action.rule();
    if !actors.contains(&actor) {
        return Err(AppError::Refused(
            match actors.first() {
                Some(Actor::Curator) => td_string!(locale, curation.lifecycle.only_curator),
                Some(Actor::System) => td_string!(locale, curation.lifecycle.only_system),
                _ => td_string!(locale, curation.lifecycle.only_organizer),
            }
            .into(),
        ));
    }
    if !sources.contains(&from) {
        let status = from.label_in(locale);
        return Err(AppError::Refused(match action {
            Action::Submit => td_string!(locale, curation.lifecycle.cannot_submit, status),
            Action::Withdraw => td_string!(locale, curation.lifecycle.cannot_withdraw, status),
            Action::Claim => td_string!(locale, curation.lifecycle.cannot_claim, status),
            Action::Release => td_string!(locale, curation.lifecycle.cannot_release, status),
            Action::Approve => td_string!(locale, curation.lifecycle.cannot_approve, status),
            Action::RequestRevision => {
                td_string!(locale, curation.lifecycle.cannot_request_revision, status)
            }
            Action::Reject => td_string!(locale, curation.lifecycle.cannot_reject, status),
            Action::FastTrack => td_string!(locale, curation.lifecycle.cannot_fast_track, status),
            Action::Appeal => td_string!(locale, curation.lifecycle.cannot_appeal, status),
            Action::Cancel => td_string!(locale, curation.lifecycle.cannot_cancel, status),
            Action::Complete => td_string!(locale, curation.lifecycle.cannot_complete, status),
        }));
    }
    Ok(to)
}

/// Stores one history entry, and tells the search index through the outbox. `from` and `to` may
/// be equal (an edit approved, an event hidden).
#[allow(clippy::too_many_arguments)]
pub async fn record<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    actor_id: Option<i32>,
    from: EventStatus,
    to: EventStatus,
    action: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let step = event_transition::ActiveModel {
        event_id: Set(event_id),
        actor_id: Set(actor_id),
        from_status: Set(from.as_str().to_owned()),
        to_status: Set(to.as_str().to_owned()),
        action: Set(action.to_owned()),
        note: Set(note.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    // decisions reach organizers, cancellations attendees
    enqueue(db, notifications::compose::EVENT, step.id, now).await?;
    // every recorded change may change what the public finds
    event_changed(db, event_id, now).await
}

pub fn status_of(event: &event::Model) -> Result<EventStatus, AppError> {
    EventStatus::parse(&event.status)
        .ok_or_else(|| internal(format!("unknown status {}", event.status)))
}

/// Moves an event by `action` and records it. The update only applies if the status is still the
/// one read, so two requests racing on one event cannot both move it. Refusals are in `locale`.
#[allow(clippy::too_many_arguments)]
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    action: Action,
    actor: Actor,
    actor_id: Option<i32>,
    note: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    let from = status_of(event)?;
    let to = next_status(from, action, actor, locale)?;
    let mut update = event::Entity::update_many()
        .col_expr(event::Column::Status, Expr::value(to.as_str()))
        .col_expr(event::Column::UpdatedAt, Expr::value(now));
    if to == Published && event.published_at.is_none() {
        update = update.col_expr(event::Column::PublishedAt, Expr::value(Some(now)));
    }
    let result = update
        .filter(event::Column::Id.eq(event.id))
        .filter(event::Column::Status.eq(from.as_str()))
        .exec(db)
        .await
        .map_err(internal)?;
    if result.rows_affected != 1 {
        return Err(AppError::Refused(
            td_string!(locale, curation.lifecycle.changed_meanwhile).into(),
        ));
    }
    record(db, event.id, actor_id, from, to, action.as_str(), note, now).await?;
    // the row as just written, without reading it back
    let mut moved = event.clone();
    moved.status = to.as_str().to_owned();
    moved.updated_at = now;
    if to == Published && moved.published_at.is_none() {
        moved.published_at = Some(now);
    }
    Ok(moved)
}

/// Closes open review rounds of an event: all of them when it left the review path
/// (cancelled, completed), or only those of some kinds.
pub async fn close_open_submissions<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    kinds: Option<&[SubmissionKind]>,
) -> Result<(), AppError> {
    let mut update = submission::Entity::update_many()
        .col_expr(submission::Column::State, Expr::value("closed"))
        .col_expr(
            submission::Column::Version,
            Expr::col(submission::Column::Version).add(1),
        )
        .filter(submission::Column::EventId.eq(event_id))
        .filter(submission::Column::State.is_in(["pending", "in_review"]));
    if let Some(kinds) = kinds {
        update = update.filter(submission::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())));
    }
    update.exec(db).await.map_err(internal)?;
    Ok(())
}

/// Takes the event's row lock first (a no-op update), so every transaction that touches an
/// event and its review rounds locks them in the same order, and concurrent reports of one
/// event are counted one after the other.
pub async fn lock_event<C: ConnectionTrait>(db: &C, event_id: i32) -> Result<(), AppError> {
    event::Entity::update_many()
        .col_expr(
            event::Column::UpdatedAt,
            Expr::col(event::Column::UpdatedAt),
        )
        .filter(event::Column::Id.eq(event_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

/// A reason, note or report of 5 to 2,000 characters; `what` asks for it, in `locale`.
pub fn check_reason(
    reason: &str,
    field: &str,
    what: &str,
    locale: Locale,
) -> Result<String, AppError> {
    let reason = reason.trim();
    match reason.chars().count() {
        0..5 => Err(AppError::field(
            field,
            td_string!(locale, curation.lifecycle.too_short, what = what),
        )),
        5..=2000 => Ok(reason.to_owned()),
        _ => Err(AppError::field(
            field,
            td_string!(locale, curation.lifecycle.too_long),
        )),
    }
}

/// The organizer (or an admin) cancels an announced event; the reason is shown on its page.
pub async fn cancel<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    let event = load_editable(db, user, id).await?;
    let txn = begin_write(db).await.map_err(internal)?;
    let cancelled = cancel_in(&txn, user, &event, reason, now, locale).await?;
    txn.commit().await.map_err(internal)?;
    Ok(cancelled)
}

/// `cancel` within the caller's transaction, for an event the caller checked they may edit.
pub async fn cancel_in<C: ConnectionTrait>(
    txn: &C,
    user: &user::Model,
    event: &event::Model,
    reason: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    let id = event.id;
    let reason = check_reason(
        reason,
        "reason",
        td_string!(locale, curation.lifecycle.cancel_reason),
        locale,
    )?;
    let was_public = status_of(event)? == Published;
    let cancelled = apply(
        txn,
        event,
        Action::Cancel,
        Actor::Organizer,
        Some(user.id),
        &reason,
        now,
        locale,
    )
    .await?;
    let mut active: event::ActiveModel = cancelled.into();
    active.cancel_reason = Set(Some(reason));
    active.pending_revision = Set(None);
    if !was_public {
        // only what was public when it was cancelled stays visible (with the reason)
        active.published_at = Set(None);
    }
    let cancelled = active.update(txn).await.map_err(internal)?;
    close_open_submissions(txn, id, None).await?;
    // its registrations are closed and refunded by a job that survives a restart
    crate::domain::outbox::enqueue(
        txn,
        crate::domain::ticketing::event_cancellation::TOPIC,
        id,
        now,
    )
    .await?;
    Ok(cancelled)
}

/// Published events whose end has passed become completed, with a note in their organizer's
/// language. Returns how many.
pub async fn complete_ended<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let ended = event::Entity::find()
        .filter(event::Column::Status.eq(Published.as_str()))
        .filter(event::Column::EndsAt.lte(now))
        .all(db)
        .await
        .map_err(internal)?;
    if ended.is_empty() {
        return Ok(0);
    }
    let organizers: HashMap<i32, Locale> = user::Entity::find()
        .filter(user::Column::Id.is_in(ended.iter().map(|e| e.organizer_id)))
        .all(db)
        .await
        .map_err(internal)?
        .iter()
        .map(|u| (u.id, crate::domain::accounts::language::of_user(u)))
        .collect();
    let mut done = 0;
    for event in ended {
        let locale = organizers
            .get(&event.organizer_id)
            .copied()
            .unwrap_or_default();
        let txn = begin_write(db).await.map_err(internal)?;
        match apply(
            &txn,
            &event,
            Action::Complete,
            Actor::System,
            None,
            td_string!(locale, curation.lifecycle.ended),
            now,
            locale,
        )
        .await
        {
            Ok(completed) => {
                close_open_submissions(&txn, event.id, None).await?;
                if completed.pending_revision.is_some() {
                    let mut active: event::ActiveModel = completed.into();
                    active.pending_revision = Set(None);
                    active.update(&txn).await.map_err(internal)?;
                }
                txn.commit().await.map_err(internal)?;
                done += 1;
            }
            // someone else moved it meanwhile; nothing to do
            Err(AppError::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (status, action, actor) combination: exactly the documented ones are allowed.
    #[test]
    fn every_transition_is_allowed_or_refused_as_documented() {
        let allowed: &[(EventStatus, Action, Actor, EventStatus)] = &[
            (Draft, Action::Submit, Actor::Organizer, Submitted),
            (NeedsRevision, Action::Submit, Actor::Organizer, Submitted),
            (Submitted, Action::Withdraw, Actor::Organizer, Draft),
            (Submitted, Action::Claim, Actor::Curator, InReview),
            (InReview, Action::Release, Actor::Curator, Submitted),
            (InReview, Action::Approve, Actor::Curator, Published),
            (
                InReview,
                Action::RequestRevision,
                Actor::Curator,
                NeedsRevision,
            ),
            (
                Published,
                Action::RequestRevision,
                Actor::Curator,
                NeedsRevision,
            ),
            (InReview, Action::Reject, Actor::Curator, Rejected),
            (Published, Action::Reject, Actor::Curator, Rejected),
            (Submitted, Action::FastTrack, Actor::System, Published),
            (Rejected, Action::Appeal, Actor::Organizer, Submitted),
            (Submitted, Action::Cancel, Actor::Organizer, Cancelled),
            (InReview, Action::Cancel, Actor::Organizer, Cancelled),
            (NeedsRevision, Action::Cancel, Actor::Organizer, Cancelled),
            (Published, Action::Cancel, Actor::Organizer, Cancelled),
            (Published, Action::Complete, Actor::System, Completed),
        ];
        let mut checked = 0;
        for from in EventStatus::ALL {
            for action in Action::ALL {
                for actor in [Actor::Organizer, Actor::Curator, Actor::System] {
                    let expected = allowed
                        .iter()
                        .find(|(f, a, who, _)| *f == from && *a == action && *who == actor)
                        .map(|(_, _, _, to)| *to);
                    match (next_status(from, action, actor, Locale::en), expected) {
                        (Ok(to), Some(want)) => {
                            assert_eq!(to, want, "{from:?} {action:?} {actor:?}")
                        }
                        (Err(AppError::Refused(msg)), None) => assert!(!msg.is_empty()),
                        (got, want) => {
                            panic!("{from:?} {action:?} {actor:?}: got {got:?}, want {want:?}")
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 8 * 11 * 3);
    }

    #[test]
    fn refusals_say_why() {
        let err = next_status(Published, Action::Submit, Actor::Organizer, Locale::en).unwrap_err();
        assert_eq!(
            err.to_string(),
            "An event that is “Published” cannot be submitted for review."
        );
        let err = next_status(InReview, Action::Approve, Actor::Organizer, Locale::en).unwrap_err();
        assert_eq!(err.to_string(), "Only a curator can do that.");
    }
}
