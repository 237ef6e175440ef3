//! An event's history for its organizer: the lifecycle timeline with curators' notes, every
//! revision with what it changed, rollback to an earlier revision, and what can be appealed.

use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        accounts::names::display_names,
        context::{find, internal, Settings},
        curation::{
            appeals::{appealable, appealed},
            lifecycle::{self, Action},
            review::{change_views, revision_snapshot, score_views},
        },
        events::{
            access::{can_edit, is_curator},
            save::{self, SaveOutcome},
            snapshot::Snapshot,
        },
    },
    error::AppError,
    model::{
        curation::{AppealOption, EventHistory, RevisionRow, TimelineEntry},
        events::EventStatus,
    },
};
use entity::{event, event_revision, event_transition, submission, user};

fn action_label(action: &str) -> &str {
    match action {
        "create" => "Created",
        "submit" => "Submitted for review",
        "withdraw" => "Withdrawn",
        "claim" => "Taken into review",
        "release" => "Released from review",
        "approve" => "Approved",
        "request_revision" => "Revision requested",
        "reject" => "Rejected",
        "fast_track" => "Fast-tracked",
        "appeal" => "Appealed",
        "cancel" => "Cancelled",
        "complete" => "Completed",
        "edit" => "Changes sent for review",
        "approve_edit" => "Changes approved",
        "return_edit" => "Changes returned",
        "reject_edit" => "Changes rejected",
        "hide" => "Hidden by community reports",
        "restore" => "Reports dismissed, public again",
        "suspended" => "Hidden: the organizer's account was suspended",
        "reinstated" => "Shown again: the organizer's account was reinstated",
        other => other,
    }
}

fn status_label(slug: &str) -> String {
    EventStatus::parse(slug)
        .map(|s| s.label())
        .unwrap_or(slug)
        .to_owned()
}

fn when(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y %H:%M UTC").to_string()
}

/// The revision whose fields are the event's current row: the newest one equal to it.
fn live_revision(event: &event::Model, revisions: &[(i32, Snapshot)]) -> Option<i32> {
    let live = Snapshot::of(event);
    revisions
        .iter()
        .rev()
        .find(|(_, s)| *s == live)
        .map(|(n, _)| *n)
}

/// An event's history shows its newest `HISTORY_STEPS` transitions, `HISTORY_REVISIONS`
/// revisions and `HISTORY_ROUNDS` review rounds.
pub const HISTORY_STEPS: u64 = 100;
pub const HISTORY_REVISIONS: u64 = 20;
pub const HISTORY_ROUNDS: u64 = 50;

pub async fn load<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
) -> Result<EventHistory, AppError> {
    let event = find::<event::Entity, _>(db, id).await?;
    let can_edit = can_edit(db, &event, user).await?;
    if !(can_edit || is_curator(user)) {
        return Err(AppError::Forbidden);
    }
    let status = lifecycle::status_of(&event)?;
    // the newest of each, oldest first
    let mut steps = event_transition::Entity::find()
        .filter(event_transition::Column::EventId.eq(id))
        .order_by_desc(event_transition::Column::Id)
        .limit(HISTORY_STEPS)
        .all(db)
        .await
        .map_err(internal)?;
    steps.reverse();
    // one more revision than is shown, to show what the oldest shown one changed
    let mut revisions = event_revision::Entity::find()
        .filter(event_revision::Column::EventId.eq(id))
        .order_by_desc(event_revision::Column::Number)
        .limit(HISTORY_REVISIONS + 1)
        .all(db)
        .await
        .map_err(internal)?;
    revisions.reverse();
    let mut people: Vec<i32> = steps.iter().filter_map(|s| s.actor_id).collect();
    people.extend(revisions.iter().map(|r| r.editor_id));
    let names = display_names(db, people).await?;
    let name = |id: Option<i32>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "Lineup".into())
    };

    let snapshots: Vec<(i32, Snapshot)> = revisions
        .iter()
        .filter_map(|r| Snapshot::parse(&r.snapshot).map(|s| (r.number, s)))
        .collect();
    let live = live_revision(&event, &snapshots);
    let editable = can_edit
        && !matches!(
            status,
            EventStatus::InReview | EventStatus::Cancelled | EventStatus::Completed
        );
    let mut rows = Vec::new();
    for (i, r) in revisions.iter().enumerate() {
        let Some(current) = snapshots
            .iter()
            .find(|(n, _)| *n == r.number)
            .map(|(_, s)| s)
        else {
            continue;
        };
        let previous = i
            .checked_sub(1)
            .and_then(|p| revisions.get(p))
            .and_then(|p| snapshots.iter().find(|(n, _)| *n == p.number))
            .map(|(_, s)| s);
        let is_live = live == Some(r.number);
        let pending = event.pending_revision == Some(r.number);
        rows.push(RevisionRow {
            number: r.number,
            when: when(r.created_at),
            editor: name(Some(r.editor_id)),
            changes: previous
                .map(|p| change_views(p.diff(current)))
                .unwrap_or_default(),
            live: is_live,
            pending,
            can_roll_back: editable && !is_live && !pending,
        });
    }
    rows.reverse();
    rows.truncate(HISTORY_REVISIONS as usize);

    let rounds = submission::Entity::find()
        .filter(submission::Column::EventId.eq(id))
        .order_by_desc(submission::Column::Id)
        .limit(HISTORY_ROUNDS)
        .all(db)
        .await
        .map_err(internal)?;
    let mut appeal = None;
    if can_edit {
        for round in &rounds {
            if let Ok(what) = appealable(round, status) {
                if !appealed(db, round.id, what).await? {
                    appeal = Some(AppealOption {
                        submission_id: round.id,
                        about: format!("the {}", what.as_str()),
                    });
                }
                break;
            }
        }
    }
    let (cancel_from, _, _) = Action::Cancel.rule();
    Ok(EventHistory {
        id: event.id,
        title: event.title.clone(),
        status_label: status.label().to_owned(),
        hidden_reason: event.hidden_reason.clone(),
        cancel_reason: event.cancel_reason.clone(),
        pending_revision: event.pending_revision,
        timeline: steps
            .iter()
            .map(|s| TimelineEntry {
                when: when(s.created_at),
                actor: name(s.actor_id),
                action: action_label(&s.action).to_owned(),
                from: status_label(&s.from_status),
                to: status_label(&s.to_status),
                note: s.note.clone(),
            })
            .collect(),
        revisions: rows,
        appeal,
        can_cancel: can_edit && cancel_from.contains(&status),
        can_resubmit: can_edit && status == EventStatus::NeedsRevision,
        latest_scores: rounds
            .first()
            .map(|r| score_views(r, false))
            .unwrap_or_default(),
    })
}

/// Makes an earlier revision's fields the event's next revision, through the same rules as an
/// edit (on a published event, reviewed changes wait for a curator).
pub async fn roll_back<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    user: &user::Model,
    id: i32,
    revision: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let event = save::load_editable(db, user, id).await?;
    let snapshot = revision_snapshot(db, id, revision).await?.ok_or_else(|| {
        AppError::Refused(format!("There is no revision {revision} of this event."))
    })?;
    if snapshot == Snapshot::of(&event) && event.pending_revision.is_none() {
        return Err(AppError::Refused(format!(
            "Revision {revision} is already the current version."
        )));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let (_, outcome) = save::update(&txn, settings, user, event, snapshot, false, now).await?;
    txn.commit().await.map_err(internal)?;
    Ok(match outcome {
        SaveOutcome::PendingReview => format!(
            "Restored revision {revision} as a new revision; it waits for review and the approved version stays public until then."
        ),
        _ => format!("Restored revision {revision} as a new revision."),
    })
}
