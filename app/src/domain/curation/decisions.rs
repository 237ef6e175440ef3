//! Curator decisions: claiming a submission, approving, requesting a revision or rejecting it,
//! one at a time or in a batch. Every change to a submission bumps its version, and a decision
//! names the version the curator saw: of two curators deciding one submission, exactly one wins.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait,
    QueryFilter, Set, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal, Settings},
        curation::{
            lifecycle::{self, check_reason, Action, Actor},
            reputation,
            submissions::{DECIDED, IN_REVIEW, PENDING},
        },
        events::snapshot::Snapshot,
        forms::FormFields,
        organizations::access::role_in,
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{Decision, RejectReason, SubmissionKind},
        events::EventStatus,
        language::Locale,
        taxonomy::Role,
    },
};
use entity::{event, event_revision, flag, submission, user};

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionInput {
    pub decision: Decision,
    pub reason: Option<RejectReason>,
    pub note: String,
}

impl DecisionInput {
    pub fn parse(
        decision: &str,
        reason: Option<&str>,
        note: &str,
        locale: Locale,
    ) -> Result<DecisionInput, AppError> {
        let decision = Decision::parse(decision).ok_or_else(|| {
            AppError::field(
                "decision",
                td_string!(locale, curation.decisions.choose_decision),
            )
        })?;
        let note = check_reason(
            note,
            "note",
            td_string!(locale, curation.decisions.write_note),
            locale,
        )?;
        let reason = match decision {
            Decision::Reject => Some(reason.and_then(RejectReason::parse).ok_or_else(|| {
                AppError::field(
                    "reason",
                    td_string!(locale, curation.decisions.choose_reason),
                )
            })?),
            _ => None,
        };
        Ok(DecisionInput {
            decision,
            reason,
            note,
        })
    }
}

fn changed_meanwhile(locale: Locale) -> AppError {
    AppError::Refused(td_string!(locale, curation.decisions.changed_meanwhile).into())
}

async fn load<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<(submission::Model, event::Model), AppError> {
    let round = find::<submission::Entity, _>(db, id).await?;
    let event = find::<event::Entity, _>(db, round.event_id).await?;
    Ok((round, event))
}

/// Why `curator` may not decide on this submission, if they may not: `blocked`'s reasons, or
/// that they are on the team of the organization the event belongs to.
pub async fn why_not<C: ConnectionTrait>(
    db: &C,
    curator: &user::Model,
    round: &submission::Model,
    event: &event::Model,
    locale: Locale,
) -> Result<Option<String>, AppError> {
    if let Some(why) = blocked(curator, round, event, locale) {
        return Ok(Some(why.to_owned()));
    }
    let on_team = role_in(db, curator.id, event.organization_id)
        .await?
        .is_some();
    Ok(on_team.then(|| td_string!(locale, curation.decisions.on_team).to_owned()))
}

/// Why `curator` may not decide on this submission, if they may not.
pub fn blocked(
    curator: &user::Model,
    round: &submission::Model,
    event: &event::Model,
    locale: Locale,
) -> Option<&'static str> {
    let admin = Role::parse(&curator.role) == Some(Role::Admin);
    if round.state == DECIDED || round.state == "closed" {
        return Some(td_string!(locale, curation.decisions.already_decided));
    }
    if event.organizer_id == curator.id {
        return Some(td_string!(locale, curation.decisions.own_event));
    }
    if round.excluded_curator_id == Some(curator.id) {
        return Some(td_string!(locale, curation.decisions.appeal_against_you));
    }
    if round.state == IN_REVIEW && round.assignee_id.is_some_and(|a| a != curator.id) && !admin {
        return Some(td_string!(locale, curation.decisions.someone_else));
    }
    None
}

/// Bumps the version of a submission if it is still at `version` and open; the first write of
/// its transaction, so concurrent deciders queue on the row and the later one finds it moved.
async fn take<C: ConnectionTrait>(
    db: &C,
    id: i32,
    version: i32,
    set: Vec<(submission::Column, Expr)>,
    locale: Locale,
) -> Result<(), AppError> {
    let mut update = submission::Entity::update_many().col_expr(
        submission::Column::Version,
        Expr::col(submission::Column::Version).add(1),
    );
    for (column, value) in set {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(submission::Column::Id.eq(id))
        .filter(submission::Column::Version.eq(version))
        .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]))
        .exec(db)
        .await
        .map_err(internal)?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(changed_meanwhile(locale))
    }
}

/// A curator takes a submission into review, so others see it is being handled.
pub async fn claim<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    curator: &user::Model,
    id: i32,
    version: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    move_review(db, curator, id, version, Action::Claim, now, locale).await
}

/// The curator who took a submission into review (or an admin) hands it back to the queue.
pub async fn release<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    curator: &user::Model,
    id: i32,
    version: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    move_review(db, curator, id, version, Action::Release, now, locale).await
}

/// Claim (pending → in review, assigned to `curator`) or release (back to pending, nobody's);
/// a new submission's event follows (submitted ⇄ in review).
async fn move_review<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    curator: &user::Model,
    id: i32,
    version: i32,
    action: Action,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let (round, event) = load(db, id).await?;
    if let Some(why) = why_not(db, curator, &round, &event, locale).await? {
        return Err(AppError::Refused(why));
    }
    let (from, to, assignee, event_from, wrong_state) = match action {
        Action::Claim => (
            PENDING,
            IN_REVIEW,
            Some(curator.id),
            EventStatus::Submitted,
            td_string!(locale, curation.decisions.already_in_review),
        ),
        _ => (
            IN_REVIEW,
            PENDING,
            None,
            EventStatus::InReview,
            td_string!(locale, curation.decisions.not_in_review),
        ),
    };
    if round.state != from {
        return Err(AppError::Refused(wrong_state.into()));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    lifecycle::lock_event(&txn, event.id).await?;
    take(
        &txn,
        id,
        version,
        vec![
            (submission::Column::State, Expr::value(to)),
            (submission::Column::AssigneeId, Expr::value(assignee)),
        ],
        locale,
    )
    .await?;
    if lifecycle::status_of(&event)? == event_from {
        lifecycle::apply(
            &txn,
            &event,
            action,
            Actor::Curator,
            Some(curator.id),
            "",
            now,
            locale,
        )
        .await?;
    }
    txn.commit().await.map_err(internal)
}

/// Decides one submission. Returns the notice for the curator, in `locale`.
#[allow(clippy::too_many_arguments)]
pub async fn decide<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    _settings: &Settings,
    curator: &user::Model,
    id: i32,
    version: i32,
    input: &DecisionInput,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let (round, event) = load(db, id).await?;
    if let Some(why) = why_not(db, curator, &round, &event, locale).await? {
        return Err(AppError::Refused(why));
    }
    let kind =
        SubmissionKind::parse(&round.kind).ok_or_else(|| internal("unknown submission kind"))?;
    let txn = begin_write(db).await.map_err(internal)?;
    lifecycle::lock_event(&txn, event.id).await?;
    take(
        &txn,
        id,
        version,
        vec![
            (submission::Column::State, Expr::value(DECIDED)),
            (
                submission::Column::Decision,
                Expr::value(Some(input.decision.as_str())),
            ),
            (
                submission::Column::DecisionReason,
                Expr::value(input.reason.map(|r| r.as_str())),
            ),
            (
                submission::Column::DecisionNote,
                Expr::value(Some(input.note.clone())),
            ),
            (submission::Column::DecidedBy, Expr::value(Some(curator.id))),
            (submission::Column::DecidedAt, Expr::value(Some(now))),
        ],
        locale,
    )
    .await?;
    let note = &input.note;
    let who = Some(curator.id);
    let outcome = match kind {
        SubmissionKind::New | SubmissionKind::Appeal => {
            let event = if lifecycle::status_of(&event)? == EventStatus::Submitted {
                lifecycle::apply(
                    &txn,
                    &event,
                    Action::Claim,
                    Actor::Curator,
                    who,
                    "",
                    now,
                    locale,
                )
                .await?
            } else {
                event
            };
            let title = &event.title;
            match input.decision {
                Decision::Approve => {
                    let published = lifecycle::apply(
                        &txn,
                        &event,
                        Action::Approve,
                        Actor::Curator,
                        who,
                        note,
                        now,
                        locale,
                    )
                    .await?;
                    let mut active: event::ActiveModel = published.into();
                    active.curation_score = Set(Some(round.overall));
                    active.update(&txn).await.map_err(internal)?;
                    reputation::award(
                        &txn,
                        event.organizer_id,
                        reputation::APPROVED,
                        "Event approved",
                        Some(event.id),
                        now,
                    )
                    .await?;
                    td_string!(locale, curation.decisions.approved, title)
                }
                Decision::NeedsRevision => {
                    lifecycle::apply(
                        &txn,
                        &event,
                        Action::RequestRevision,
                        Actor::Curator,
                        who,
                        note,
                        now,
                        locale,
                    )
                    .await?;
                    td_string!(locale, curation.decisions.sent_back, title)
                }
                Decision::Reject => {
                    lifecycle::apply(
                        &txn,
                        &event,
                        Action::Reject,
                        Actor::Curator,
                        who,
                        note,
                        now,
                        locale,
                    )
                    .await?;
                    reputation::award(
                        &txn,
                        event.organizer_id,
                        reputation::REJECTED,
                        "Event rejected",
                        Some(event.id),
                        now,
                    )
                    .await?;
                    td_string!(locale, curation.decisions.rejected, title)
                }
            }
        }
        SubmissionKind::Edit => decide_edit(&txn, &event, &round, input, who, now, locale).await?,
        SubmissionKind::Flagged => {
            decide_flagged(&txn, &event, &round, input, who, now, locale).await?
        }
    };
    txn.commit().await.map_err(internal)?;
    Ok(outcome)
}

/// An edit of a published event: approval makes the pending revision the public version; any
/// other decision drops it and the approved version stays.
async fn decide_edit<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    round: &submission::Model,
    input: &DecisionInput,
    who: Option<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let status = lifecycle::status_of(event)?;
    let mut active: event::ActiveModel = event.clone().into();
    active.pending_revision = Set(None);
    active.updated_at = Set(now);
    let outcome = if input.decision == Decision::Approve {
        let revision = event_revision::Entity::find()
            .filter(event_revision::Column::EventId.eq(event.id))
            .filter(event_revision::Column::Number.eq(round.revision))
            .one(db)
            .await
            .map_err(internal)?
            .and_then(|r| Snapshot::parse(&r.snapshot))
            .ok_or_else(|| internal("pending revision missing"))?;
        revision.write_to(&mut active);
        active.curation_score = Set(Some(round.overall));
        lifecycle::record(
            db,
            event.id,
            who,
            status,
            status,
            "approve_edit",
            &input.note,
            now,
        )
        .await?;
        td_string!(
            locale,
            curation.decisions.approved_changes,
            title = &revision.title
        )
    } else {
        let action = if input.decision == Decision::Reject {
            "reject_edit"
        } else {
            "return_edit"
        };
        lifecycle::record(db, event.id, who, status, status, action, &input.note, now).await?;
        td_string!(
            locale,
            curation.decisions.returned_changes,
            title = &event.title
        )
    };
    let updated = active.update(db).await.map_err(internal)?;
    crate::domain::events::changed::tell_if_moved(db, event, &updated, now).await?;
    Ok(outcome)
}

/// A re-review after community flags: approval restores the event and dismisses the flags;
/// otherwise the flags are upheld and the event leaves the public.
async fn decide_flagged<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    round: &submission::Model,
    input: &DecisionInput,
    who: Option<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let flags = flag::Entity::find()
        .filter(flag::Column::SubmissionId.eq(round.id))
        .all(db)
        .await
        .map_err(internal)?;
    let upheld = input.decision != Decision::Approve;
    for f in &flags {
        let mut active: flag::ActiveModel = f.clone().into();
        active.state = Set(if upheld { "upheld" } else { "dismissed" }.to_owned());
        active.resolved_at = Set(Some(now));
        active.update(db).await.map_err(internal)?;
        let (delta, why) = if upheld {
            (reputation::FLAG_UPHELD, "Your report was upheld")
        } else {
            (reputation::FLAG_DISMISSED, "Your report was dismissed")
        };
        reputation::award(db, f.user_id, delta, why, Some(event.id), now).await?;
    }
    let status = lifecycle::status_of(event)?;
    let moved = match input.decision {
        Decision::Approve => {
            lifecycle::record(
                db,
                event.id,
                who,
                status,
                status,
                "restore",
                &input.note,
                now,
            )
            .await?;
            event.clone()
        }
        Decision::NeedsRevision => {
            lifecycle::apply(
                db,
                event,
                Action::RequestRevision,
                Actor::Curator,
                who,
                &input.note,
                now,
                locale,
            )
            .await?
        }
        Decision::Reject => {
            lifecycle::apply(
                db,
                event,
                Action::Reject,
                Actor::Curator,
                who,
                &input.note,
                now,
                locale,
            )
            .await?
        }
    };
    let mut active: event::ActiveModel = moved.into();
    if upheld {
        reputation::award(
            db,
            event.organizer_id,
            reputation::HIDE_UPHELD,
            "Community reports upheld",
            Some(event.id),
            now,
        )
        .await?;
        // the event left the public: a pending edit of the public version is moot
        lifecycle::close_open_submissions(db, event.id, Some(&[SubmissionKind::Edit])).await?;
        active.pending_revision = Set(None);
    }
    active.hidden_at = Set(None);
    active.hidden_reason = Set(None);
    active.update(db).await.map_err(internal)?;
    let title = &event.title;
    Ok(if upheld {
        td_string!(locale, curation.decisions.upheld, title)
    } else {
        td_string!(locale, curation.decisions.dismissed, title)
    })
}

/// Approves or rejects every ticked `items` entry (`<id>:<version>`) with one note. Each
/// decision stands alone: those that fail are reported, the others are kept.
/// The most submissions one batch decides: a page of the queue, with room.
pub const BATCH_MAX: usize = 100;

pub async fn decide_batch<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    curator: &user::Model,
    form: &FormFields,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let decision = form.text("decision");
    if !matches!(
        Decision::parse(decision),
        Some(Decision::Approve | Decision::Reject)
    ) {
        return Err(AppError::Refused(
            td_string!(locale, curation.decisions.batch_choose).into(),
        ));
    }
    let reason = form.text("reason");
    // field errors reach the curator as one notice, like every form-less post's
    let input = DecisionInput::parse(
        decision,
        Some(reason).filter(|r| !r.is_empty()),
        form.text("note"),
        locale,
    )?;
    let items: Vec<(i32, i32)> = form
        .all("items")
        .filter_map(|item| {
            let (id, version) = item.split_once(':')?;
            Some((id.parse().ok()?, version.parse().ok()?))
        })
        .collect();
    if items.is_empty() {
        return Err(AppError::Refused(
            td_string!(locale, curation.decisions.batch_none).into(),
        ));
    }
    if items.len() > BATCH_MAX {
        return Err(AppError::Refused(td_string!(
            locale,
            curation.decisions.batch_too_many,
            max = BATCH_MAX
        )));
    }
    let mut done = 0;
    let mut skipped = Vec::new();
    for (id, version) in items {
        match decide(db, settings, curator, id, version, &input, now, locale).await {
            Ok(_) => done += 1,
            Err(AppError::Internal) => return Err(AppError::Internal),
            Err(e) => skipped.push(format!("#{id}: {}", e.message_in(locale))),
        }
    }
    let list = skipped.join(" ");
    Ok(match (input.decision, skipped.is_empty()) {
        (Decision::Approve, true) => td_string!(locale, curation.decisions.batch_approved, done),
        (_, true) => td_string!(locale, curation.decisions.batch_rejected, done),
        (Decision::Approve, false) => td_string!(
            locale,
            curation.decisions.batch_approved_skipped,
            done,
            skipped = skipped.len(),
            list
        ),
        (_, false) => td_string!(
            locale,
            curation.decisions.batch_rejected_skipped,
            done,
            skipped = skipped.len(),
            list
        ),
    })
}
