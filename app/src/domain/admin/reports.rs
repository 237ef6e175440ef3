//! Reports and appeals waiting for curators, as the platform's operators watch them: what, from
//! which organization, how many reports, since when, and who is working on it. Curators decide
//! in the review queue; this is the admin's overview of it.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::{
        accounts::names::display_names,
        admin::status::age,
        context::internal,
        curation::submissions::{IN_REVIEW, PENDING},
        organizations::profile::names_of_events,
    },
    error::AppError,
    model::{admin::ReportRow, curation::SubmissionKind, language::Locale},
};
use entity::{event, flag, submission};

/// What waits, oldest first, in `locale`.
pub async fn waiting<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<ReportRow>, AppError> {
    let open = submission::Entity::find()
        .filter(submission::Column::Kind.is_in([
            SubmissionKind::Flagged.as_str(),
            SubmissionKind::Appeal.as_str(),
        ]))
        .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]))
        .order_by_asc(submission::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let event_ids: Vec<i32> = open.iter().map(|s| s.event_id).collect();
    let found = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids.clone()))
        .all(db)
        .await
        .map_err(internal)?;
    let orgs = names_of_events(db, &found).await?;
    let events: HashMap<i32, event::Model> = found.into_iter().map(|e| (e.id, e)).collect();
    let mut reports: HashMap<i32, usize> = HashMap::new();
    for f in flag::Entity::find()
        .filter(flag::Column::EventId.is_in(event_ids))
        .filter(flag::Column::ResolvedAt.is_null())
        .all(db)
        .await
        .map_err(internal)?
    {
        *reports.entry(f.event_id).or_insert(0) += 1;
    }
    let assignees = display_names(db, open.iter().filter_map(|s| s.assignee_id)).await?;
    Ok(open
        .into_iter()
        .filter_map(|s| {
            let e = events.get(&s.event_id)?;
            Some(ReportRow {
                submission_id: s.id,
                kind: SubmissionKind::parse(&s.kind)
                    .map(|k| k.label_in(locale).to_owned())
                    .unwrap_or_default(),
                event_id: e.id,
                title: e.title.clone(),
                organization: orgs.get(&e.id).cloned().unwrap_or_default(),
                reports: reports.get(&e.id).copied().unwrap_or(0),
                waiting: age(s.created_at, now, locale),
                with: s.assignee_id.and_then(|a| assignees.get(&a).cloned()),
            })
        })
        .collect())
}
