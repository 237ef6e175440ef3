//! The review screen: one submission with its scores and reasons, the suspected twin side by
//! side, what changed, the reports, the appeal and the organizer's record.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        context::{find, internal},
        curation::{
            decimals,
            decisions::why_not,
            queue::percent,
            reviews::organizer_ratings,
            screening::{reason::Stored, Reasons},
            submissions::IN_REVIEW,
        },
        events::{
            listings::{cover_urls, place_label, tz_of},
            snapshot::{FieldChange, Snapshot},
        },
        locale_format,
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::{
            ChangeView, DecidedView, Decision, EventSide, FlagReason, FlagView, OrganizerRecord,
            PastDecision, Recommendation, ScoreView, SubmissionKind, SubmissionView,
        },
        events::EventStatus,
        language::Locale,
    },
};
use entity::{event, event_revision, flag, submission, user};

/// The scores of a round, their reasons in `locale`. Organizers see completeness and quality
/// only: the spam and duplicate reasons would teach spammers what to avoid.
pub fn score_views(round: &submission::Model, with_risks: bool, locale: Locale) -> Vec<ScoreView> {
    let reasons: Reasons = serde_json::from_str(&round.reasons).unwrap_or_default();
    let score = |label: &str, value: f64, risk: bool, reasons: Vec<Stored>| ScoreView {
        label: label.to_owned(),
        percent: percent(value),
        risk,
        reasons: reasons.iter().map(|r| r.message_in(locale)).collect(),
    };
    let completeness = score(
        td_string!(locale, curation.scores.completeness),
        round.completeness,
        false,
        reasons.completeness,
    );
    let quality = score(
        td_string!(locale, curation.scores.quality),
        round.quality,
        false,
        reasons.quality,
    );
    if !with_risks {
        return vec![completeness, quality];
    }
    vec![
        score(
            td_string!(locale, curation.scores.overall),
            round.overall,
            false,
            reasons.overall,
        ),
        completeness,
        quality,
        score(
            td_string!(locale, curation.scores.spam),
            round.spam,
            true,
            reasons.spam,
        ),
        score(
            td_string!(locale, curation.scores.duplicate),
            round.duplicate,
            true,
            reasons.duplicate,
        ),
    ]
}

pub fn change_views(changes: Vec<FieldChange>, locale: Locale) -> Vec<ChangeView> {
    changes
        .into_iter()
        .map(|c| ChangeView {
            label: c.label(locale).to_owned(),
            before: c.shown(&c.before, locale),
            after: c.shown(&c.after, locale),
        })
        .collect()
}

async fn side<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    locale: Locale,
) -> Result<EventSide, AppError> {
    let covers = cover_urls(db, std::slice::from_ref(event)).await?;
    let organizer = user::Entity::find_by_id(event.organizer_id)
        .one(db)
        .await
        .map_err(internal)?;
    Ok(EventSide {
        id: event.id,
        title: event.title.clone(),
        summary: event.summary.clone(),
        description_html: event.description_html.clone(),
        when: locale_format::range(locale, event.starts_at, event.ends_at, tz_of(event)),
        place: event
            .online_url
            .clone()
            .map(|url| td_string!(locale, curation.review.online, url))
            .unwrap_or_else(|| {
                let mut place = place_label(event, locale);
                if let Some(address) = &event.venue_address {
                    place.push_str(&format!(" ({address})"));
                }
                place
            }),
        organizer_name: organizer.map(|o| o.display_name).unwrap_or_default(),
        status_label: EventStatus::parse(&event.status)
            .map(|s| s.label_in(locale))
            .unwrap_or_default()
            .to_owned(),
        cover_url: event.cover_image_id.and_then(|c| covers.get(&c).cloned()),
    })
}

/// A report's state ("open", "upheld", "dismissed") in words.
fn flag_state(state: &str, locale: Locale) -> String {
    match state {
        "open" => td_string!(locale, curation.review.flag_open).to_owned(),
        "upheld" => td_string!(locale, curation.review.flag_upheld).to_owned(),
        "dismissed" => td_string!(locale, curation.review.flag_dismissed).to_owned(),
        other => other.to_owned(),
    }
}

pub async fn revision_snapshot<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    number: i32,
) -> Result<Option<Snapshot>, AppError> {
    Ok(event_revision::Entity::find()
        .filter(event_revision::Column::EventId.eq(event_id))
        .filter(event_revision::Column::Number.eq(number))
        .one(db)
        .await
        .map_err(internal)?
        .and_then(|r| Snapshot::parse(&r.snapshot)))
}

async fn organizer_record<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    locale: Locale,
) -> Result<OrganizerRecord, AppError> {
    let events: Vec<(i32, String)> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .column(event::Column::Title)
        .filter(event::Column::OrganizerId.eq(organizer.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let titles: std::collections::HashMap<i32, String> = events.iter().cloned().collect();
    let decided = submission::Entity::find()
        .filter(submission::Column::EventId.is_in(titles.keys().copied().collect::<Vec<_>>()))
        .filter(submission::Column::Decision.is_not_null())
        .order_by_desc(submission::Column::DecidedAt)
        .all(db)
        .await
        .map_err(internal)?;
    let count = |d: Decision| {
        decided
            .iter()
            .filter(|s| s.decision.as_deref() == Some(d.as_str()))
            .count() as u64
    };
    let rating = organizer_ratings(db, &[organizer.id])
        .await?
        .get(&organizer.id)
        .map(|r| r.label(locale));
    Ok(OrganizerRecord {
        name: organizer.display_name.clone(),
        reputation: organizer.reputation,
        member_since: locale_format::month_year(locale, organizer.created_at),
        events: events.len() as u64,
        approved: count(Decision::Approve),
        rejected: count(Decision::Reject),
        revisions_requested: count(Decision::NeedsRevision),
        rating,
        recent: decided
            .iter()
            .take(5)
            .map(|s| PastDecision {
                event_title: titles.get(&s.event_id).cloned().unwrap_or_default(),
                decision: s
                    .decision
                    .as_deref()
                    .and_then(Decision::parse)
                    .map(|d| d.label_in(locale))
                    .unwrap_or_default()
                    .to_owned(),
                when: s
                    .decided_at
                    .map(|d| locale_format::date(locale, d, chrono_tz::UTC))
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

pub async fn view<C: ConnectionTrait>(
    db: &C,
    curator: &user::Model,
    id: i32,
    locale: Locale,
) -> Result<SubmissionView, AppError> {
    let round = find::<submission::Entity, _>(db, id).await?;
    let event = find::<event::Entity, _>(db, round.event_id).await?;
    let kind =
        SubmissionKind::parse(&round.kind).ok_or_else(|| internal("unknown submission kind"))?;
    let reviewed = revision_snapshot(db, event.id, round.revision).await?;
    let live = Snapshot::of(&event);
    let shown = reviewed
        .as_ref()
        .map(|s| s.applied_to(&event))
        .unwrap_or_else(|| event.clone());
    let changes = match (&reviewed, kind) {
        (Some(newer), SubmissionKind::Edit) => change_views(live.diff(newer), locale),
        _ => Vec::new(),
    };
    let twin = match round.duplicate_of {
        Some(twin_id) => match event::Entity::find_by_id(twin_id)
            .one(db)
            .await
            .map_err(internal)?
        {
            Some(t) => Some(side(db, &t, locale).await?),
            None => None,
        },
        None => None,
    };
    let flags = flag::Entity::find()
        .filter(flag::Column::SubmissionId.eq(round.id))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|f| FlagView {
            reason: FlagReason::parse(&f.reason)
                .unwrap_or(FlagReason::Other)
                .label_in(locale)
                .to_owned(),
            text: f.text,
            weight: decimals(locale, f.weight, 2),
            state: flag_state(&f.state, locale),
        })
        .collect();
    let organizer = find::<user::Entity, _>(db, event.organizer_id).await?;
    let name_of = async |id: Option<i32>| -> Result<String, AppError> {
        Ok(match id {
            Some(id) => user::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?
                .map(|u| u.display_name)
                .unwrap_or_default(),
            None => td_string!(locale, curation.review.automatic).to_owned(),
        })
    };
    let decided = match &round.decision {
        Some(d) => Some(DecidedView {
            by: name_of(round.decided_by).await?,
            decision: Decision::parse(d)
                .map(|d| d.label_in(locale))
                .unwrap_or_default()
                .to_owned(),
            note: round.decision_note.clone().unwrap_or_default(),
            when: round
                .decided_at
                .map(|d| locale_format::date_time(locale, d, chrono_tz::UTC))
                .unwrap_or_default(),
        }),
        None => None,
    };
    let in_review_by = if round.state == IN_REVIEW {
        Some(name_of(round.assignee_id).await?)
    } else {
        None
    };
    Ok(SubmissionView {
        id: round.id,
        version: round.version,
        kind,
        in_review_by,
        decided,
        blocked: why_not(db, curator, &round, &event, locale).await?,
        event: side(db, &shown, locale).await?,
        twin,
        recommendation: Recommendation::parse(&round.recommendation)
            .unwrap_or(Recommendation::Normal),
        scores: score_views(&round, true, locale),
        changes,
        flags,
        appeal_text: round.appeal_text.clone(),
        organizer: organizer_record(db, &organizer, locale).await?,
    })
}
