//! The curator queue: open submissions by priority, with filters and queue metrics.
//!
//! priority = 0.45·urgency + 0.25·overall + 0.15·reputation + 0.15·kind, each in 0..1, where
//! urgency = 1 / (1 + days until the start / 7) (1 for a start already passed),
//! reputation = (organizer reputation + 20) / 70 clamped to 0..1, and
//! kind = 1 for flagged events, 0.7 for appeals, 0.3 for edits, 0 for new submissions.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Query, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

use crate::{
    domain::{
        context::internal,
        curation::submissions::{DECIDED, IN_REVIEW, PENDING},
        events::listings::{category_label, tz_of},
        locale_format,
    },
    error::AppError,
    model::{
        curation::{Decision, QueueMetrics, QueuePage, QueueRow, Recommendation, SubmissionKind},
        language::Locale,
        taxonomy::Category,
    },
};
use entity::{event, submission, user};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub kind: Option<SubmissionKind>,
    pub recommendation: Option<Recommendation>,
    pub category: Option<Category>,
}

impl Filter {
    /// Unknown values are ignored, as if no filter was chosen.
    pub fn parse(
        kind: Option<String>,
        recommendation: Option<String>,
        category: Option<String>,
    ) -> Filter {
        Filter {
            kind: kind.as_deref().and_then(SubmissionKind::parse),
            recommendation: recommendation.as_deref().and_then(Recommendation::parse),
            category: category.as_deref().and_then(Category::from_slug),
        }
    }
}

pub fn priority(
    kind: SubmissionKind,
    overall: f64,
    organizer_reputation: i32,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> f64 {
    let days = (starts_at - now).num_minutes() as f64 / (60.0 * 24.0);
    let urgency = if days <= 0.0 {
        1.0
    } else {
        1.0 / (1.0 + days / 7.0)
    };
    let reputation = ((f64::from(organizer_reputation) + 20.0) / 70.0).clamp(0.0, 1.0);
    let kind = match kind {
        SubmissionKind::Flagged => 1.0,
        SubmissionKind::Appeal => 0.7,
        SubmissionKind::Edit => 0.3,
        SubmissionKind::New => 0.0,
    };
    0.45 * urgency + 0.25 * overall + 0.15 * reputation + 0.15 * kind
}

/// A 0..1 score as a whole percentage.
pub fn percent(v: f64) -> u32 {
    (v.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// Rows per page of the queue.
pub const PAGE: usize = 50;
/// At most this many open submissions are ranked per request: the flagged events, appeals and
/// edits, and those whose events start soonest (urgency weighs most in the priority). A queue
/// longer than that shows its most pressing part; filters narrow it.
pub const RANKED: u64 = 500;

pub async fn page<C: ConnectionTrait>(
    db: &C,
    curator: &user::Model,
    filter: &Filter,
    page: usize,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<QueuePage, AppError> {
    let metrics = metrics(db, now).await?;
    let open = ranked_candidates(db, filter).await?;
    let event_ids: Vec<i32> = open.iter().map(|s| s.event_id).collect();
    let events: HashMap<i32, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut people: Vec<i32> = events.values().map(|e| e.organizer_id).collect();
    people.extend(open.iter().filter_map(|s| s.assignee_id));
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut rows: Vec<(f64, QueueRow)> = open
        .iter()
        // an appeal is not shown to the curator whose decision it appeals
        .filter(|s| s.excluded_curator_id != Some(curator.id))
        .filter_map(|s| {
            let event = events.get(&s.event_id)?;
            let kind = SubmissionKind::parse(&s.kind)?;
            let recommendation = Recommendation::parse(&s.recommendation)?;
            if filter.kind.is_some_and(|k| k != kind)
                || filter.recommendation.is_some_and(|r| r != recommendation)
                || filter.category.is_some_and(|c| c.slug() != event.category)
            {
                return None;
            }
            let organizer = users.get(&event.organizer_id);
            let reputation = organizer.map(|o| o.reputation).unwrap_or(0);
            let p = priority(kind, s.overall, reputation, event.starts_at, now);
            Some((
                p,
                QueueRow {
                    submission_id: s.id,
                    version: s.version,
                    event_id: event.id,
                    title: event.title.clone(),
                    organizer_name: organizer
                        .map(|o| o.display_name.clone())
                        .unwrap_or_default(),
                    organizer_reputation: reputation,
                    kind,
                    category_label: category_label(&event.category, locale),
                    when: locale_format::range(
                        locale,
                        event.starts_at,
                        event.ends_at,
                        tz_of(event),
                    ),
                    overall: percent(s.overall),
                    spam: percent(s.spam),
                    duplicate: percent(s.duplicate),
                    recommendation,
                    priority: percent(p),
                    assignee: s
                        .assignee_id
                        .filter(|_| s.state == IN_REVIEW)
                        .and_then(|a| users.get(&a))
                        .map(|u| u.display_name.clone()),
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.submission_id.cmp(&b.1.submission_id))
    });
    let more = rows.len() > (page + 1) * PAGE;
    Ok(QueuePage {
        rows: rows
            .into_iter()
            .skip(page * PAGE)
            .take(PAGE)
            .map(|(_, r)| r)
            .collect(),
        page: page as u32,
        more,
        metrics,
        kind: filter.kind.map(|k| k.as_str().to_owned()),
        recommendation: filter.recommendation.map(|r| r.as_str().to_owned()),
        category: filter.category.map(|c| c.slug().to_owned()),
    })
}

pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// The open submissions worth ranking, filters applied in the database: all flagged events,
/// appeals and edits, and the new submissions whose events start soonest, `RANKED` of each at
/// most.
async fn ranked_candidates<C: ConnectionTrait>(
    db: &C,
    filter: &Filter,
) -> Result<Vec<submission::Model>, AppError> {
    let mut open =
        submission::Entity::find().filter(submission::Column::State.is_in([PENDING, IN_REVIEW]));
    if let Some(kind) = filter.kind {
        open = open.filter(submission::Column::Kind.eq(kind.as_str()));
    }
    if let Some(recommendation) = filter.recommendation {
        open = open.filter(submission::Column::Recommendation.eq(recommendation.as_str()));
    }
    if let Some(category) = filter.category {
        let in_category = Query::select()
            .column(event::Column::Id)
            .from(event::Entity)
            .and_where(event::Column::Category.eq(category.slug()))
            .to_owned();
        open = open.filter(submission::Column::EventId.in_subquery(in_category));
    }
    let pressing = open
        .clone()
        .filter(submission::Column::Kind.ne(SubmissionKind::New.as_str()))
        .order_by_asc(submission::Column::CreatedAt)
        .limit(RANKED)
        .all(db)
        .await
        .map_err(internal)?;
    let of_event: RelationDef = submission::Entity::belongs_to(event::Entity)
        .from(submission::Column::EventId)
        .to(event::Column::Id)
        .into();
    let soonest = open
        .filter(submission::Column::Kind.eq(SubmissionKind::New.as_str()))
        .join(JoinType::InnerJoin, of_event)
        .order_by_asc(event::Column::StartsAt)
        .limit(RANKED)
        .all(db)
        .await
        .map_err(internal)?;
    Ok(pressing.into_iter().chain(soonest).collect())
}

/// A decided round: submitted, decided, the decision.
type Decided = (DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);

/// Size, median time from submission to decision and approval rate over the last 30 days.
/// Fast-tracked submissions are not curator decisions and are left out.
async fn metrics<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<QueueMetrics, AppError> {
    let count = |state: &'static str| {
        submission::Entity::find()
            .filter(submission::Column::State.eq(state))
            .count(db)
    };
    let waiting = count(PENDING).await.map_err(internal)?;
    let in_review = count(IN_REVIEW).await.map_err(internal)?;
    // the newest decisions of the month, only the columns the figures need
    let decided: Vec<Decided> = submission::Entity::find()
        .select_only()
        .column(submission::Column::CreatedAt)
        .column(submission::Column::DecidedAt)
        .column(submission::Column::Decision)
        .filter(submission::Column::State.eq(DECIDED))
        .filter(submission::Column::DecidedBy.is_not_null())
        .filter(submission::Column::DecidedAt.gt(now - Duration::days(30)))
        .order_by_desc(submission::Column::DecidedAt)
        .limit(10_000)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let hours: Vec<f64> = decided
        .iter()
        .filter_map(|(created, decided, _)| {
            decided.map(|d| (d - *created).num_minutes() as f64 / 60.0)
        })
        .collect();
    let approved = decided
        .iter()
        .filter(|(_, _, decision)| decision.as_deref() == Some(Decision::Approve.as_str()))
        .count();
    Ok(QueueMetrics {
        waiting,
        in_review,
        decided_30_days: decided.len() as u64,
        median_hours_to_decision: median(hours),
        approval_rate: (!decided.is_empty())
            .then(|| percent(approved as f64 / decided.len() as f64)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sooner_better_and_flagged_come_first() {
        let now = Utc::now();
        let soon = priority(SubmissionKind::New, 0.5, 0, now + Duration::days(1), now);
        let later = priority(SubmissionKind::New, 0.5, 0, now + Duration::days(40), now);
        assert!(soon > later);
        let good = priority(SubmissionKind::New, 0.9, 0, now + Duration::days(10), now);
        let poor = priority(SubmissionKind::New, 0.3, 0, now + Duration::days(10), now);
        assert!(good > poor);
        let trusted = priority(SubmissionKind::New, 0.5, 50, now + Duration::days(10), now);
        assert!(trusted > priority(SubmissionKind::New, 0.5, 0, now + Duration::days(10), now));
        let flagged = priority(
            SubmissionKind::Flagged,
            0.5,
            0,
            now + Duration::days(10),
            now,
        );
        assert!(flagged > priority(SubmissionKind::New, 0.5, 0, now + Duration::days(10), now));
    }

    #[test]
    fn median_of_even_and_odd_lists() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
