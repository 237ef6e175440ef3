//! Review rounds: opening one (which runs pre-screening), re-screening it after an edit, and the
//! fast track for trusted organizers.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::{
    domain::{
        context::{find, internal, Settings},
        curation::{
            decimals,
            lifecycle::{self, Action, Actor},
            reputation,
            screening::{self, Screening},
        },
        events::{snapshot::Snapshot, visibility},
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{Decision, Recommendation, SubmissionKind},
        events::{EventStatus, Visibility},
        language::Locale,
    },
};
use entity::{event, submission, user};

pub const PENDING: &str = "pending";
pub const IN_REVIEW: &str = "in_review";
pub const DECIDED: &str = "decided";

/// The round of review still open for an event, if any.
pub async fn open_for<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
) -> Result<Option<submission::Model>, AppError> {
    submission::Entity::find()
        .filter(submission::Column::EventId.eq(event_id))
        .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]))
        .order_by_desc(submission::Column::Id)
        .one(db)
        .await
        .map_err(internal)
}

/// The open round of one kind, if any.
pub async fn open_of_kind<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    kind: SubmissionKind,
) -> Result<Option<submission::Model>, AppError> {
    submission::Entity::find()
        .filter(submission::Column::EventId.eq(event_id))
        .filter(submission::Column::Kind.eq(kind.as_str()))
        .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]))
        .order_by_desc(submission::Column::Id)
        .one(db)
        .await
        .map_err(internal)
}

fn write_scores(active: &mut submission::ActiveModel, s: &Screening) {
    active.completeness = Set(s.completeness);
    active.spam = Set(s.spam);
    active.duplicate = Set(s.duplicate);
    active.quality = Set(s.quality);
    active.overall = Set(s.overall);
    active.recommendation = Set(s.recommendation.as_str().to_owned());
    active.spam_source = Set(s.spam_source.to_owned());
    active.reasons = Set(serde_json::to_string(&s.reasons).unwrap_or_default());
    active.duplicate_of = Set(s.duplicate_of);
}

/// Screens `snapshot` (revision `revision` of `event`) and queues it for review.
#[allow(clippy::too_many_arguments)]
pub async fn open<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    kind: SubmissionKind,
    revision: i32,
    snapshot: &Snapshot,
    excluded_curator_id: Option<i32>,
    appeal_text: Option<String>,
    now: DateTime<Utc>,
) -> Result<(submission::Model, Screening), AppError> {
    let screening = screening::screen(db, event, snapshot, now).await?;
    let mut active = submission::ActiveModel {
        event_id: Set(event.id),
        revision: Set(revision),
        kind: Set(kind.as_str().to_owned()),
        state: Set(PENDING.to_owned()),
        version: Set(1),
        assignee_id: Set(None),
        excluded_curator_id: Set(excluded_curator_id),
        appeal_text: Set(appeal_text),
        created_at: Set(now),
        ..Default::default()
    };
    write_scores(&mut active, &screening);
    let row = active.insert(db).await.map_err(internal)?;
    Ok((row, screening))
}

/// The organizer changed what is waiting for review: score the new version; curators who
/// opened the old one can no longer decide on it (its version moves on).
pub async fn rescreen<C: ConnectionTrait>(
    db: &C,
    open: submission::Model,
    event: &event::Model,
    revision: i32,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let screening = screening::screen(db, event, snapshot, now).await?;
    let mut changes = submission::ActiveModel {
        revision: Set(revision),
        version: Set(open.version + 1),
        ..Default::default()
    };
    write_scores(&mut changes, &screening);
    let update = submission::Entity::update_many().set(changes);
    // only while nobody decided it meanwhile
    let update = update
        .filter(submission::Column::Id.eq(open.id))
        .filter(submission::Column::Version.eq(open.version))
        .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]));
    if update.exec(db).await.map_err(internal)?.rows_affected != 1 {
        return Err(AppError::Refused(
            td_string!(locale, curation.submissions.decided_meanwhile).into(),
        ));
    }
    Ok(())
}

/// Submits an event (a draft or one that needed revision) and opens its review round. Trusted
/// organizers' low-risk submissions are published at once when the fast track is on. Refusals
/// and the history's notes are in `locale`, the submitter's language.
pub async fn submit<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &user::Model,
    event: &event::Model,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    // a resubmission answers a curator; only a first submission can skip the queue
    let first_time = lifecycle::status_of(event)? == EventStatus::Draft
        && submission::Entity::find()
            .filter(submission::Column::EventId.eq(event.id))
            .filter(submission::Column::State.eq(DECIDED))
            .one(db)
            .await
            .map_err(internal)?
            .is_none();
    let submitted = lifecycle::apply(
        db,
        event,
        Action::Submit,
        Actor::Organizer,
        Some(actor.id),
        "",
        now,
        locale,
    )
    .await?;
    let snapshot = Snapshot::of(&submitted);
    let (round, screening) = open(
        db,
        &submitted,
        SubmissionKind::New,
        submitted.revision,
        &snapshot,
        None,
        None,
        now,
    )
    .await?;
    let organizer = find::<user::Entity, _>(db, submitted.organizer_id).await?;
    // unlisted and private events are nobody's listing to curate: they go out once spam
    // screening finds nothing wrong, and what it doubts waits for a curator like any other
    let listed = visibility::of(&submitted) == Visibility::Public;
    if !listed {
        if screening.recommendation == Recommendation::LikelyReject {
            return Ok(submitted);
        }
        let visibility = match visibility::of(&submitted) {
            Visibility::Private => td_string!(locale, curation.submissions.private),
            _ => td_string!(locale, curation.submissions.unlisted),
        };
        let note = td_string!(
            locale,
            curation.submissions.published_unlisted,
            visibility,
            spam = decimals(locale, screening.spam, 2),
            duplicate = decimals(locale, screening.duplicate, 2)
        );
        return close_round(db, &submitted, round, note, None, now, locale).await;
    }
    let trusted = settings
        .fast_track_reputation
        .is_some_and(|min| organizer.reputation >= min);
    if !(first_time && trusted && screening.recommendation == Recommendation::FastTrack) {
        return Ok(submitted);
    }
    let note = td_string!(
        locale,
        curation.submissions.fast_tracked,
        reputation = organizer.reputation,
        overall = decimals(locale, screening.overall, 2),
        spam = decimals(locale, screening.spam, 2),
        duplicate = decimals(locale, screening.duplicate, 2)
    );
    reputation::award(
        db,
        organizer.id,
        reputation::APPROVED,
        "Event approved (fast track)",
        Some(event.id),
        now,
    )
    .await?;
    close_round(
        db,
        &submitted,
        round,
        note,
        Some(screening.overall),
        now,
        locale,
    )
    .await
}

/// Publishes a submitted event by the system's decision and closes its review round; `score`
/// is the screening score when the decision counts as an approval for listing (fast track).
async fn close_round<C: ConnectionTrait>(
    db: &C,
    submitted: &event::Model,
    round: submission::Model,
    note: String,
    score: Option<f64>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    let published = lifecycle::apply(
        db,
        submitted,
        Action::FastTrack,
        Actor::System,
        None,
        &note,
        now,
        locale,
    )
    .await?;
    let mut decided: submission::ActiveModel = round.into();
    decided.state = Set(DECIDED.to_owned());
    decided.decision = Set(Some(Decision::Approve.as_str().to_owned()));
    decided.decision_note = Set(Some(note));
    decided.decided_at = Set(Some(now));
    decided.version = Set(2);
    decided.update(db).await.map_err(internal)?;
    let mut active: event::ActiveModel = published.into();
    active.curation_score = Set(score);
    active.update(db).await.map_err(internal)
}
