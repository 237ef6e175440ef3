//! Appeals: once per decision, an organizer can ask for a second look at a rejection or at a
//! hide by community flags. A rejection's appeal goes to a curator other than the one who
//! rejected; a hide's appeal joins the pending re-review.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal, unique_or_internal},
        curation::{
            lifecycle::{self, Action, Actor},
            submissions::{self, DECIDED},
        },
        events::{save::load_editable, snapshot::Snapshot},
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{Decision, SubmissionKind},
        events::EventStatus,
        language::Locale,
    },
};
use entity::{appeal, submission, user};

/// What is appealed: a rejection, or a hide by community reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appealed {
    Rejection,
    Hide,
}

impl Appealed {
    pub fn as_str(self) -> &'static str {
        match self {
            Appealed::Rejection => "rejection",
            Appealed::Hide => "hide",
        }
    }

    /// What is appealed, with its article: "the rejection".
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Appealed::Rejection => td_string!(locale, curation.appeals.the_rejection),
            Appealed::Hide => td_string!(locale, curation.appeals.the_hide),
        }
    }
}

/// What can be appealed about this round, if anything.
pub fn appealable(
    round: &submission::Model,
    status: EventStatus,
    locale: Locale,
) -> Result<Appealed, AppError> {
    let kind = SubmissionKind::parse(&round.kind);
    if round.state == DECIDED && round.decision.as_deref() == Some(Decision::Reject.as_str()) {
        match kind {
            Some(SubmissionKind::Edit) => {
                return Err(AppError::Refused(
                    td_string!(locale, curation.appeals.edit).into(),
                ))
            }
            Some(SubmissionKind::Appeal) => {
                return Err(AppError::Refused(
                    td_string!(locale, curation.appeals.final_decision).into(),
                ))
            }
            _ if status == EventStatus::Rejected => return Ok(Appealed::Rejection),
            _ => {}
        }
    }
    if kind == Some(SubmissionKind::Flagged) && round.state != DECIDED && round.state != "closed" {
        return Ok(Appealed::Hide);
    }
    Err(AppError::Refused(
        td_string!(locale, curation.appeals.not_appealable).into(),
    ))
}

/// Returns the event's id.
pub async fn appeal<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    submission_id: i32,
    text: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<i32, AppError> {
    let round = find::<submission::Entity, _>(db, submission_id).await?;
    let event = load_editable(db, user, round.event_id).await?;
    let text = lifecycle::check_reason(
        text,
        "text",
        td_string!(locale, curation.appeals.explain),
        locale,
    )?;
    let status = lifecycle::status_of(&event)?;
    let what = appealable(&round, status, locale)?;
    let already = || AppError::Refused(td_string!(locale, curation.appeals.already).into());
    if appealed(db, submission_id, what).await? {
        return Err(already());
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let review_round = if round.state == DECIDED {
        // a rejection: back into the queue, for someone else
        let submitted = lifecycle::apply(
            &txn,
            &event,
            Action::Appeal,
            Actor::Organizer,
            Some(user.id),
            &text,
            now,
            locale,
        )
        .await?;
        let (review, _) = submissions::open(
            &txn,
            &submitted,
            SubmissionKind::Appeal,
            submitted.revision,
            &Snapshot::of(&submitted),
            round.decided_by,
            Some(text.clone()),
            now,
        )
        .await?;
        review
    } else {
        // a hide: the organizer's side joins the re-review already queued
        lifecycle::record(
            &txn,
            event.id,
            Some(user.id),
            status,
            status,
            "appeal",
            &text,
            now,
        )
        .await?;
        let version = round.version + 1;
        let mut active: submission::ActiveModel = round.clone().into();
        active.appeal_text = Set(Some(text.clone()));
        active.version = Set(version);
        active.update(&txn).await.map_err(internal)?
    };
    appeal::ActiveModel {
        submission_id: Set(submission_id),
        kind: Set(what.as_str().to_owned()),
        event_id: Set(event.id),
        organizer_id: Set(event.organizer_id),
        text: Set(text),
        review_submission_id: Set(Some(review_round.id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_or_internal(e, already()))?;
    txn.commit().await.map_err(internal)?;
    Ok(event.id)
}

/// Whether this round's rejection or hide has been appealed.
pub async fn appealed<C: ConnectionTrait>(
    db: &C,
    submission_id: i32,
    what: Appealed,
) -> Result<bool, AppError> {
    Ok(appeal::Entity::find()
        .filter(appeal::Column::SubmissionId.eq(submission_id))
        .filter(appeal::Column::Kind.eq(what.as_str()))
        .one(db)
        .await
        .map_err(internal)?
        .is_some())
}
