//! `sitemap.xml` and `robots.txt`. The sitemap lists the home page, every listed event and every
//! organization with a listed event (`sitemap_urls`), kept by this module's outbox consumer:
//! a changed event (`TOPIC`) is added, refreshed or removed with its organization; an edited
//! organization (`ORGANIZATION_TOPIC`) is refreshed. Above `PER_FILE` addresses the sitemap
//! becomes an index of files of at most that many (the sitemaps.org limit).
use std::{collections::BTreeSet, fmt::Write};

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    domain::{
        context::internal,
        events::visibility::{is_listed, listed_condition},
        outbox::{delivered, due, failed, Round, POLL},
        workers,
    },
    error::AppError,
    model::events::EventStatus,
};
use entity::{event, organization, sitemap_url};

/// Subject: an event that changed.
pub const TOPIC: &str = "sitemap";
/// Subject: an organization whose page changed.
pub const ORGANIZATION_TOPIC: &str = "sitemap.organization";
/// Addresses per sitemap file.
pub const PER_FILE: u64 = 50_000;
/// Pages listed before the events and organizations.
const STATIC: [&str; 1] = ["/"];

const EVENT: &str = "event";
const ORGANIZATION: &str = "organization";

/// Delivers one batch of due rows.
pub async fn deliver_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    let rows = due(db, &[TOPIC, ORGANIZATION_TOPIC], now).await?;
    if rows.is_empty() {
        return Ok(Round::default());
    }
    match apply(db, &rows).await {
        Ok(()) => delivered(db, &rows).await,
        Err(error) => failed(db, &rows, &error.to_string(), now).await,
    }
}

async fn apply<C: ConnectionTrait>(db: &C, rows: &[entity::outbox::Model]) -> Result<(), AppError> {
    let ids = |topic: &str| -> BTreeSet<i32> {
        rows.iter()
            .filter(|r| r.topic == topic)
            .map(|r| r.subject_id)
            .collect()
    };
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(ids(TOPIC)))
        .all(db)
        .await
        .map_err(internal)?;
    let mut organizations = ids(ORGANIZATION_TOPIC);
    let mut gone: BTreeSet<i32> = ids(TOPIC);
    for e in &events {
        organizations.insert(e.organization_id);
        if is_listed(e) {
            gone.remove(&e.id);
            put(db, EVENT, e.id, format!("/events/{}", e.id), e.updated_at).await?;
        }
    }
    remove(db, EVENT, gone).await?;
    for org in organizations {
        refresh_organization(db, org).await?;
    }
    Ok(())
}

async fn put<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    subject: i32,
    path: String,
    lastmod: DateTime<Utc>,
) -> Result<(), AppError> {
    sitemap_url::Entity::insert(sitemap_url::ActiveModel {
        kind: Set(kind.to_owned()),
        subject_id: Set(subject),
        path: Set(path),
        lastmod: Set(lastmod),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([sitemap_url::Column::Kind, sitemap_url::Column::SubjectId])
            .update_columns([sitemap_url::Column::Path, sitemap_url::Column::Lastmod])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(internal)?;
    Ok(())
}

async fn remove<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    subjects: BTreeSet<i32>,
) -> Result<(), AppError> {
    if subjects.is_empty() {
        return Ok(());
    }
    sitemap_url::Entity::delete_many()
        .filter(sitemap_url::Column::Kind.eq(kind))
        .filter(sitemap_url::Column::SubjectId.is_in(subjects))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

/// An organization is listed while it has a listed event; it changed when it or the latest of
/// those did.
async fn refresh_organization<C: ConnectionTrait>(db: &C, id: i32) -> Result<(), AppError> {
    let org = organization::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?;
    let latest: Option<DateTime<Utc>> = event::Entity::find()
        .select_only()
        .column(event::Column::UpdatedAt)
        .filter(event::Column::OrganizationId.eq(id))
        .filter(listed_statuses())
        .filter(listed_condition())
        .order_by_desc(event::Column::UpdatedAt)
        .into_tuple()
        .one(db)
        .await
        .map_err(internal)?;
    match (org, latest) {
        (Some(org), Some(latest)) => {
            let lastmod = latest.max(org.updated_at);
            put(db, ORGANIZATION, id, format!("/o/{}", org.slug), lastmod).await
        }
        _ => remove(db, ORGANIZATION, BTreeSet::from([id])).await,
    }
}

/// The statuses `is_listed` counts as shown (a cancelled event only if it was published).
fn listed_statuses() -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(event::Column::Status.is_in([
            EventStatus::Published.as_str(),
            EventStatus::Completed.as_str(),
        ]))
        .add(
            sea_orm::Condition::all()
                .add(event::Column::Status.eq(EventStatus::Cancelled.as_str()))
                .add(event::Column::PublishedAt.is_not_null()),
        )
}

/// Delivers due rows until the process ends, waiting a moment when there were none.
pub fn spawn_worker(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            workers::ran("sitemap", Utc::now());
            match deliver_due(&db, Utc::now()).await {
                Ok(round) if round.delivered > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sitemap: delivery failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `sitemap.xml`: every address, or an index of the files when there are more than `PER_FILE`.
pub async fn root<C: ConnectionTrait>(db: &C, base: &str) -> Result<String, AppError> {
    let total = STATIC.len() as u64
        + sitemap_url::Entity::find()
            .count(db)
            .await
            .map_err(internal)?;
    if total <= PER_FILE {
        return file(db, base, 0).await.map(|f| f.unwrap_or_default());
    }
    let base = base.trim_end_matches('/');
    let mut out = format!("{HEAD}<sitemapindex xmlns=\"{NS}\">\n");
    for n in 0..total.div_ceil(PER_FILE) {
        let _ = writeln!(
            out,
            "<sitemap><loc>{}</loc></sitemap>",
            escape(&format!("{base}/sitemaps/{n}.xml"))
        );
    }
    out.push_str("</sitemapindex>\n");
    Ok(out)
}

/// The `n`th file of at most `PER_FILE` addresses (the home page first, then events and
/// organizations in the order they were added); `None` past the last.
pub async fn file<C: ConnectionTrait>(
    db: &C,
    base: &str,
    n: u64,
) -> Result<Option<String>, AppError> {
    let base = base.trim_end_matches('/');
    let first = n * PER_FILE;
    let statics: Vec<&str> = STATIC
        .iter()
        .skip(first as usize)
        .take(PER_FILE as usize)
        .copied()
        .collect();
    let skip = first.saturating_sub(STATIC.len() as u64);
    let rows = sitemap_url::Entity::find()
        .order_by_asc(sitemap_url::Column::Id)
        .offset(skip)
        .limit(PER_FILE - statics.len() as u64)
        .all(db)
        .await
        .map_err(internal)?;
    if n > 0 && rows.is_empty() {
        return Ok(None);
    }
    let mut out = format!("{HEAD}<urlset xmlns=\"{NS}\">\n");
    for path in statics {
        let _ = writeln!(
            out,
            "<url><loc>{}</loc></url>",
            escape(&format!("{base}{path}"))
        );
    }
    for r in rows {
        let _ = writeln!(
            out,
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
            escape(&format!("{base}{}", r.path)),
            r.lastmod.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
    }
    out.push_str("</urlset>\n");
    Ok(Some(out))
}

/// `robots.txt`: everything public may be crawled except the API, accounts, people's own pages
/// and the back office; where the sitemap is.
pub fn robots(base: &str) -> String {
    let disallow = [
        "/api/",
        "/admin",
        "/curation",
        "/my/",
        "/o/mine",
        "/o/invitations/",
        "/o/*/dashboard",
        "/o/*/finance",
        "/o/*/team",
        "/events/new",
        "/events/*/edit",
        "/events/*/guests",
        "/events/*/check-in",
        "/events/*/history",
        "/notifications",
        "/profile",
        "/saved",
        "/feed",
        "/for-you",
        "/groups",
        "/people",
        "/signin",
        "/signup",
        "/password/",
        "/email/",
        "/tickets/",
        "/guest/",
        "/calendar/",
        "/unsubscribe",
    ];
    let mut out = String::from("User-agent: *\n");
    for path in disallow {
        let _ = writeln!(out, "Disallow: {path}");
    }
    let _ = writeln!(
        out,
        "Allow: /\n\nSitemap: {}/sitemap.xml",
        base.trim_end_matches('/')
    );
    out
}
