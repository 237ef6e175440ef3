//! Submissions to an organization's calendar (Luma-style): the team of a public event asks an
//! organization that accepts submissions to list it too; that organization's reviewers approve
//! or decline. Approved events show on its page and in its calendar feed, beside its own.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Query, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::{
    domain::{
        context::{find, internal, unique_or_internal},
        events::{save::load_editable, visibility::is_listed},
        organizations::{
            access::require,
            profile::{by_slug, names_of_events},
        },
    },
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        organizations::{CalendarSubmissionRow, OrgAction},
    },
};
use entity::{calendar_submission, event, user};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const DECLINED: &str = "declined";

/// The events on an organization's calendar: its own, and those it approved.
pub fn on_calendar(organization: i32) -> Condition {
    Condition::any()
        .add(event::Column::OrganizationId.eq(organization))
        .add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(calendar_submission::Column::EventId)
                    .from(calendar_submission::Entity)
                    .and_where(calendar_submission::Column::OrganizationId.eq(organization))
                    .and_where(calendar_submission::Column::State.eq(APPROVED))
                    .to_owned(),
            ),
        )
}

/// The event's team asks the organization at `slug` to list the event; the notice and refusals
/// are in `locale`.
pub async fn submit<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    event_id: i32,
    slug: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let ev = load_editable(db, editor, event_id).await?;
    let target = by_slug(db, slug.trim().trim_start_matches("/o/"))
        .await
        .map_err(|_| {
            AppError::field(
                "calendar",
                td_string!(locale, organizations.calendar.no_such_address),
            )
        })?;
    if target.id == ev.organization_id {
        return Err(AppError::field(
            "calendar",
            td_string!(locale, organizations.calendar.on_it_already),
        ));
    }
    if !target.accepts_submissions {
        return Err(AppError::field(
            "calendar",
            td_string!(
                locale,
                organizations.calendar.no_submissions,
                name = &target.name
            ),
        ));
    }
    if !is_listed(&ev) {
        return Err(AppError::field(
            "calendar",
            td_string!(locale, organizations.calendar.only_public),
        ));
    }
    calendar_submission::ActiveModel {
        organization_id: Set(target.id),
        event_id: Set(ev.id),
        submitted_by: Set(editor.id),
        state: Set(PENDING.to_owned()),
        decided_by: Set(None),
        created_at: Set(now),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| {
        unique_or_internal(
            e,
            AppError::field(
                "calendar",
                td_string!(locale, organizations.calendar.submitted_already),
            ),
        )
    })?;
    Ok(td_string!(
        locale,
        organizations.calendar.submitted,
        name = &target.name
    ))
}

/// A reviewer of the organization approves or declines a pending submission; the notice and
/// refusals are in `locale`.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    reviewer: &user::Model,
    id: i32,
    approve: bool,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let found = find::<calendar_submission::Entity, _>(db, id).await?;
    require(
        db,
        reviewer,
        found.organization_id,
        OrgAction::ReviewSubmissions,
    )
    .await?;
    if found.state != PENDING {
        return Err(AppError::Refused(
            td_string!(locale, organizations.calendar.decided_already).into(),
        ));
    }
    let state = if approve { APPROVED } else { DECLINED };
    let changed = calendar_submission::Entity::update_many()
        .set(calendar_submission::ActiveModel {
            state: Set(state.to_owned()),
            decided_by: Set(Some(reviewer.id)),
            decided_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(calendar_submission::Column::Id.eq(id))
        .filter(calendar_submission::Column::State.eq(PENDING))
        .exec(db)
        .await
        .map_err(internal)?;
    if changed.rows_affected != 1 {
        return Err(AppError::Refused(
            td_string!(locale, organizations.calendar.decided_already).into(),
        ));
    }
    Ok(match approve {
        true => td_string!(locale, organizations.calendar.approved),
        false => td_string!(locale, organizations.calendar.declined),
    }
    .to_owned())
}

/// Submissions waiting for the organization's reviewers, oldest first.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    organization: i32,
) -> Result<Vec<CalendarSubmissionRow>, AppError> {
    let rows = calendar_submission::Entity::find()
        .filter(calendar_submission::Column::OrganizationId.eq(organization))
        .filter(calendar_submission::Column::State.eq(PENDING))
        .order_by_asc(calendar_submission::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let found = event::Entity::find()
        .filter(event::Column::Id.is_in(rows.iter().map(|r| r.event_id)))
        .all(db)
        .await
        .map_err(internal)?;
    let names = names_of_events(db, &found).await?;
    let events: HashMap<i32, event::Model> = found.into_iter().map(|e| (e.id, e)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let ev = events.get(&r.event_id)?;
            Some(CalendarSubmissionRow {
                id: r.id,
                event_id: ev.id,
                title: ev.title.clone(),
                from: names.get(&ev.id).cloned().unwrap_or_default(),
            })
        })
        .collect())
}
