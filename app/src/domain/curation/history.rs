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
        locale_format,
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{AppealOption, EventHistory, RevisionRow, TimelineEntry},
        events::EventStatus,
        language::Locale,
    },
};
use entity::{event, event_revision, event_transition, submission, user};

fn action_label(action: &str, locale: Locale) -> String {
    match action {
        "create" => td_string!(locale, curation.history.create),
        "submit" => td_string!(locale, curation.history.submit),
        "withdraw" => td_string!(locale, curation.history.withdraw),
        "claim" => td_string!(locale, curation.history.claim),
        "release" => td_string!(locale, curation.history.release),
        "approve" => td_string!(locale, curation.history.approve),
        "request_revision" => td_string!(locale, curation.history.request_revision),
        "reject" => td_string!(locale, curation.history.reject),
        "fast_track" => td_string!(locale, curation.history.fast_track),
        "appeal" => td_string!(locale, curation.history.appeal),
        "cancel" => td_string!(locale, curation.history.cancel),
        "complete" => td_string!(locale, curation.history.complete),
        "edit" => td_string!(locale, curation.history.edit),
        "approve_edit" => td_string!(locale, curation.history.approve_edit),
        "return_edit" => td_string!(locale, curation.history.return_edit),
        "reject_edit" => td_string!(locale, curation.history.reject_edit),
        "hide" => td_string!(locale, curation.history.hide),
        "restore" => td_string!(locale, curation.history.restore),
        "suspended" => td_string!(locale, curation.history.suspended),
        "reinstated" => td_string!(locale, curation.history.reinstated),
        other => other,
    }
    .to_owned()
}

fn status_label(slug: &str, locale: Locale) -> String {
    EventStatus::parse(slug)
        .map(|s| s.label_in(locale))
        .unwrap_or(slug)
        .to_owned()
}

fn when(t: DateTime<Utc>, locale: Locale) -> String {
    locale_format::date_time(locale, t, chrono_tz::UTC)
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
    locale: Locale,
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
            when: when(r.created_at, locale),
            editor: name(Some(r.editor_id)),
            changes: previous
                .map(|p| change_views(p.diff(current), locale))
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
            if let Ok(what) = appealable(round, status, locale) {
                if !appealed(db, round.id, what).await? {
                    appeal = Some(AppealOption {
                        submission_id: round.id,
                        about: what.label_in(locale).to_owned(),
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
        status_label: status.label_in(locale).to_owned(),
        hidden_reason: event
            .hidden_reason
            .as_deref()
            .map(|r| crate::domain::admin::people::hidden_reason_in(r, locale)),
        cancel_reason: event.cancel_reason.clone(),
        pending_revision: event.pending_revision,
        timeline: steps
            .iter()
            .map(|s| TimelineEntry {
                when: when(s.created_at, locale),
                actor: name(s.actor_id),
                action: action_label(&s.action, locale),
                from: status_label(&s.from_status, locale),
                to: status_label(&s.to_status, locale),
                note: s.note.clone(),
            })
            .collect(),
        revisions: rows,
        appeal,
        can_cancel: can_edit && cancel_from.contains(&status),
        can_resubmit: can_edit && status == EventStatus::NeedsRevision,
        latest_scores: rounds
            .first()
            .map(|r| score_views(r, false, locale))
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
    locale: Locale,
) -> Result<String, AppError> {
    let event = save::load_editable(db, user, id).await?;
    let snapshot = revision_snapshot(db, id, revision).await?.ok_or_else(|| {
        AppError::Refused(td_string!(locale, curation.history.no_revision, revision))
    })?;
    if snapshot == Snapshot::of(&event) && event.pending_revision.is_none() {
        return Err(AppError::Refused(td_string!(
            locale,
            curation.history.already_current,
            revision
        )));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let (_, outcome) =
        save::update(&txn, settings, user, event, snapshot, false, now, locale).await?;
    txn.commit().await.map_err(internal)?;
    Ok(match outcome {
        SaveOutcome::PendingReview => {
            td_string!(locale, curation.history.restored_pending, revision)
        }
        _ => td_string!(locale, curation.history.restored, revision),
    })
}
