//! The system status page: is every moving part keeping up? The outbox's backlog per topic
//! (how many rows wait, how long the oldest has waited, the last error), mail and push
//! deliveries that failed, the search index against the events that should be in it, the
//! graph's pending writes, when each background worker of this process last ran, and the
//! reports and appeals waiting for curators.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, Query},
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    domain::{
        context::{internal, AppState},
        curation::submissions::{IN_REVIEW, PENDING},
        dashboard::figures::{get, rows},
        discovery::query::SearchQuery,
        locale_format,
        notifications::notifier,
        workers,
    },
    error::AppError,
    i18n::td_string,
    model::{
        admin::{SystemStatus, TopicRow},
        curation::SubmissionKind,
        events::EventStatus,
        language::Locale,
    },
};
use entity::{event, notification_delivery, outbox, submission};

/// "12 s", "5 min", "3 h", "2 d" (in `locale`).
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>, locale: Locale) -> String {
    let secs = (now - since).num_seconds().max(0);
    match secs {
        0..60 => td_string!(locale, admin.ages.seconds, n = secs),
        60..3_600 => td_string!(locale, admin.ages.minutes, n = secs / 60),
        3_600..86_400 => td_string!(locale, admin.ages.hours, n = secs / 3_600),
        _ => td_string!(locale, admin.ages.days, n = secs / 86_400),
    }
}

async fn outbox_rows(
    state: &AppState,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<TopicRow>, AppError> {
    let db = &state.db;
    let q = Query::select()
        .column(outbox::Column::Topic)
        .expr(Expr::cust("COUNT(*)"))
        .expr(Expr::cust(
            "CAST(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS BIGINT)",
        ))
        .expr_as(Expr::cust("MIN(created_at)"), Alias::new("oldest"))
        .from(outbox::Entity)
        .group_by_col(outbox::Column::Topic)
        .order_by(outbox::Column::Topic, sea_orm::Order::Asc)
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, &q).await? {
        let topic: String = get(&row, 0)?;
        let oldest: DateTime<Utc> = get(&row, 3)?;
        let last_error: Option<String> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::LastError)
            .filter(outbox::Column::Topic.eq(&topic))
            .filter(outbox::Column::LastError.is_not_null())
            .order_by_desc(outbox::Column::Id)
            .into_tuple()
            .one(db)
            .await
            .map_err(internal)?
            .flatten();
        out.push(TopicRow {
            topic,
            pending: get(&row, 1)?,
            retrying: get::<Option<i64>>(&row, 2)?.unwrap_or(0),
            oldest: age(oldest, now, locale),
            last_error,
        });
    }
    Ok(out)
}

/// The status page, its times in `locale`.
pub async fn load(
    state: &AppState,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<SystemStatus, AppError> {
    let db = &state.db;
    let outbox = outbox_rows(state, now, locale).await?;
    let failed = notification_delivery::Entity::find()
        .filter(notification_delivery::Column::Status.eq(notifier::FAILED))
        .filter(notification_delivery::Column::CreatedAt.gte(now - chrono::Duration::days(7)));
    let failed_deliveries = failed.clone().count(db).await.map_err(internal)? as i64;
    let last_delivery_error = notification_delivery::Entity::find()
        .select_only()
        .column(notification_delivery::Column::LastError)
        .filter(notification_delivery::Column::LastError.is_not_null())
        .order_by_desc(notification_delivery::Column::Id)
        .into_tuple::<Option<String>>()
        .one(db)
        .await
        .map_err(internal)?
        .flatten();
    let retrying_deliveries = notification_delivery::Entity::find()
        .filter(notification_delivery::Column::Status.eq(notifier::PENDING))
        .filter(notification_delivery::Column::Attempts.gt(0))
        .count(db)
        .await
        .map_err(internal)? as i64;
    let search_documents = state
        .search
        .search(&SearchQuery::default())
        .await
        .map(|r| r.total)
        .unwrap_or(0);
    // what `document::is_searchable` asks of each event, counted by the database
    let searchable_events = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::EndsAt.gt(now))
        .count(db)
        .await
        .map_err(internal)?;
    let graph_pending = outbox
        .iter()
        .filter(|t| t.topic.starts_with("graph"))
        .map(|t| t.pending)
        .sum();
    let waiting = |kind: SubmissionKind| {
        submission::Entity::find()
            .filter(submission::Column::Kind.eq(kind.as_str()))
            .filter(submission::Column::State.is_in([PENDING, IN_REVIEW]))
            .count(db)
    };
    Ok(SystemStatus {
        outbox,
        failed_deliveries,
        last_delivery_error,
        retrying_deliveries,
        search_backend: state.search.backend().to_owned(),
        search_documents,
        searchable_events,
        graph_backend: state.graph.backend().to_owned(),
        graph_pending,
        workers: workers::last_runs()
            .into_iter()
            .map(|(name, at)| {
                let when = locale_format::date_time(locale, at, chrono_tz::UTC);
                (name, when, age(at, now, locale))
            })
            .collect(),
        open_reports: waiting(SubmissionKind::Flagged).await.map_err(internal)?,
        open_appeals: waiting(SubmissionKind::Appeal).await.map_err(internal)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        let now = Utc::now();
        let ago = |s: i64| age(now - chrono::Duration::seconds(s), now, Locale::en);
        assert_eq!(
            [ago(5), ago(125), ago(7_300), ago(200_000)],
            ["5 s", "2 min", "2 h", "2 d"]
        );
        assert_eq!(
            age(now + chrono::Duration::seconds(3), now, Locale::en),
            "0 s"
        );
    }
}
