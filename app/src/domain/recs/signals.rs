//! Views of event pages and impressions of recommended cards, counted in memory and written in
//! batches (`flush`, every few seconds from the worker): a page view must not cost a write. What
//! a crash loses is the last few seconds of counts, which trending and training tolerate; the
//! buffer is bounded, and counts beyond it are dropped (and logged) rather than kept.
//! Kept per day for `RETENTION_DAYS`, with where the views came from (the dashboard's
//! referrers).
use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::{domain::context::internal, error::AppError};
use entity::{event, event_referral, event_view, recs_impression};

/// How long views and impressions are kept.
pub const RETENTION_DAYS: i64 = 180;
/// Distinct counters held between flushes.
const MAX_PENDING: usize = 100_000;
const ROWS_PER_INSERT: usize = 1_000;

/// (day, person, event) → (variant, shown, clicked)
type Impressions = HashMap<(NaiveDate, i32, i32), (&'static str, i32, i32)>;
/// (day, event, person, source) → views
type Referrals = HashMap<(NaiveDate, i32, i32, String), i32>;

#[derive(Default)]
pub struct Signals {
    /// (day, event, person) → views
    views: Mutex<HashMap<(NaiveDate, i32, i32), i32>>,
    impressions: Mutex<Impressions>,
    referrals: Mutex<Referrals>,
    dropped: AtomicU64,
}

/// User agents that are not people: crawlers, link previews, scripts. A browser says
/// "Mozilla/5.0 …"; nothing else is counted.
pub fn is_person(user_agent: Option<&str>) -> bool {
    let Some(ua) = user_agent else {
        return false;
    };
    let ua = ua.to_ascii_lowercase();
    const NOT_PEOPLE: [&str; 12] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "embedly",
        "preview",
        "lighthouse",
        "curl",
        "wget",
        "python",
        "go-http-client",
    ];
    ua.starts_with("mozilla/") && !NOT_PEOPLE.iter().any(|p| ua.contains(p))
}

impl Signals {
    /// A view of `event`'s page by `person` (`None`: not signed in); `clicked` when it was
    /// opened from a recommended card.
    pub fn view(
        &self,
        event: i32,
        person: Option<i32>,
        clicked_as: Option<&'static str>,
        now: DateTime<Utc>,
    ) {
        let day = now.date_naive();
        let mut views = self.views.lock().unwrap_or_else(|p| p.into_inner());
        let key = (day, event, person.unwrap_or(0));
        if views.len() >= MAX_PENDING && !views.contains_key(&key) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        } else {
            *views.entry(key).or_insert(0) += 1;
        }
        drop(views);
        if let (Some(person), Some(variant)) = (person, clicked_as) {
            self.impression(day, person, event, variant, 0, 1);
        }
    }

    /// A view of `event`'s page that came from `source` (see `referral_source`).
    pub fn referred(&self, event: i32, person: Option<i32>, source: String, now: DateTime<Utc>) {
        let mut map = self.referrals.lock().unwrap_or_else(|p| p.into_inner());
        let key = (now.date_naive(), event, person.unwrap_or(0), source);
        if map.len() >= MAX_PENDING && !map.contains_key(&key) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        *map.entry(key).or_insert(0) += 1;
    }

    /// `events` were shown to `person` in a list made by ranker `variant`.
    pub fn shown(&self, person: i32, events: &[i32], variant: &'static str, now: DateTime<Utc>) {
        for &event in events {
            self.impression(now.date_naive(), person, event, variant, 1, 0);
        }
    }

    fn impression(
        &self,
        day: NaiveDate,
        person: i32,
        event: i32,
        variant: &'static str,
        shown: i32,
        clicked: i32,
    ) {
        let mut map = self.impressions.lock().unwrap_or_else(|p| p.into_inner());
        let key = (day, person, event);
        if map.len() >= MAX_PENDING && !map.contains_key(&key) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let entry = map.entry(key).or_insert((variant, 0, 0));
        entry.1 += shown;
        entry.2 += clicked;
    }

    /// Counts that could not be kept since the process started.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Writes what was counted since the last flush; returns how many rows were written. The
    /// organizer's views of their own events are left out here, where one query per batch can
    /// tell whose events they are.
    pub async fn flush<C: ConnectionTrait>(&self, db: &C) -> Result<usize, AppError> {
        let views = std::mem::take(&mut *self.views.lock().unwrap_or_else(|p| p.into_inner()));
        let impressions =
            std::mem::take(&mut *self.impressions.lock().unwrap_or_else(|p| p.into_inner()));
        let referrals =
            std::mem::take(&mut *self.referrals.lock().unwrap_or_else(|p| p.into_inner()));
        if views.is_empty() && impressions.is_empty() && referrals.is_empty() {
            return Ok(0);
        }
        let ids: HashSet<i32> = views
            .keys()
            .map(|k| k.1)
            .chain(impressions.keys().map(|k| k.2))
            .chain(referrals.keys().map(|k| k.1))
            .collect();
        let mut organizers: HashMap<i32, i32> = HashMap::new();
        let ids: Vec<i32> = ids.into_iter().collect();
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            let rows: Vec<(i32, i32)> = event::Entity::find()
                .select_only()
                .columns([event::Column::Id, event::Column::OrganizerId])
                .filter(event::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(db)
                .await
                .map_err(internal)?;
            organizers.extend(rows);
        }
        let view_rows: Vec<event_view::ActiveModel> = views
            .into_iter()
            .filter(|((_, event, person), _)| organizers.get(event).is_some_and(|o| o != person))
            .map(|((day, event, person), n)| event_view::ActiveModel {
                day: Set(day),
                event_id: Set(event),
                person_id: Set(person),
                views: Set(n),
                ..Default::default()
            })
            .collect();
        let impression_rows: Vec<recs_impression::ActiveModel> = impressions
            .into_iter()
            .filter(|((_, _, event), _)| organizers.contains_key(event))
            .map(
                |((day, person, event), (variant, shown, clicked))| recs_impression::ActiveModel {
                    day: Set(day),
                    person_id: Set(person),
                    event_id: Set(event),
                    variant: Set(variant.to_owned()),
                    shown: Set(shown),
                    clicked: Set(clicked),
                    ..Default::default()
                },
            )
            .collect();
        let mut by_source: HashMap<(NaiveDate, i32, String), i32> = HashMap::new();
        for ((day, event, person, source), n) in referrals {
            if organizers.get(&event).is_some_and(|&o| o != person) {
                *by_source.entry((day, event, source)).or_insert(0) += n;
            }
        }
        let referral_rows: Vec<event_referral::ActiveModel> = by_source
            .into_iter()
            .map(|((day, event, source), n)| event_referral::ActiveModel {
                day: Set(day),
                event_id: Set(event),
                source: Set(source),
                views: Set(n),
                ..Default::default()
            })
            .collect();
        let written = view_rows.len() + impression_rows.len() + referral_rows.len();
        for chunk in referral_rows.chunks(ROWS_PER_INSERT) {
            event_referral::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        event_referral::Column::EventId,
                        event_referral::Column::Day,
                        event_referral::Column::Source,
                    ])
                    .value(
                        event_referral::Column::Views,
                        Expr::col((event_referral::Entity, event_referral::Column::Views))
                            .add(Expr::cust("excluded.views")),
                    )
                    .to_owned(),
                )
                .exec_without_returning(db)
                .await
                .map_err(internal)?;
        }
        for chunk in view_rows.chunks(ROWS_PER_INSERT) {
            event_view::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        event_view::Column::Day,
                        event_view::Column::EventId,
                        event_view::Column::PersonId,
                    ])
                    .value(
                        event_view::Column::Views,
                        Expr::col((event_view::Entity, event_view::Column::Views))
                            .add(Expr::cust("excluded.views")),
                    )
                    .to_owned(),
                )
                .exec_without_returning(db)
                .await
                .map_err(internal)?;
        }
        for chunk in impression_rows.chunks(ROWS_PER_INSERT) {
            recs_impression::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        recs_impression::Column::Day,
                        recs_impression::Column::PersonId,
                        recs_impression::Column::EventId,
                    ])
                    .values([
                        (
                            recs_impression::Column::Shown,
                            Expr::col((recs_impression::Entity, recs_impression::Column::Shown))
                                .add(Expr::cust("excluded.shown")),
                        ),
                        (
                            recs_impression::Column::Clicked,
                            Expr::col((recs_impression::Entity, recs_impression::Column::Clicked))
                                .add(Expr::cust("excluded.clicked")),
                        ),
                    ])
                    .to_owned(),
                )
                .exec_without_returning(db)
                .await
                .map_err(internal)?;
        }
        Ok(written)
    }
}

/// Where a page view came from, as the dashboard groups it: the link's `utm_source` (what a
/// campaign says it is), else the host of the referring page (`lineup` when it is this site's
/// own), else `direct`. At most 64 characters of letters, digits, dots and dashes.
pub fn referral_source(utm_source: Option<&str>, referer: Option<&str>, own_host: &str) -> String {
    let clean = |s: &str| -> String {
        s.trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .take(64)
            .collect()
    };
    if let Some(utm) = utm_source.map(clean).filter(|s| !s.is_empty()) {
        return utm;
    }
    let host = referer.and_then(|r| url::Url::parse(r).ok()).and_then(|u| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_owned())
    });
    match host {
        Some(h) if h == own_host.trim_start_matches("www.") => "lineup".to_owned(),
        Some(h) => clean(&h),
        None => "direct".to_owned(),
    }
}

/// Deletes views and impressions older than `RETENTION_DAYS`; returns how many rows went.
pub async fn sweep<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    let cutoff = (now - Duration::days(RETENTION_DAYS)).date_naive();
    let views = event_view::Entity::delete_many()
        .filter(event_view::Column::Day.lt(cutoff))
        .exec(db)
        .await
        .map_err(internal)?;
    let impressions = recs_impression::Entity::delete_many()
        .filter(recs_impression::Column::Day.lt(cutoff))
        .exec(db)
        .await
        .map_err(internal)?;
    let referrals = event_referral::Entity::delete_many()
        .filter(event_referral::Column::Day.lt(cutoff))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(views.rows_affected + impressions.rows_affected + referrals.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_browsers_and_bots_are_not() {
        assert!(is_person(Some(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
        )));
        for ua in [
            None,
            Some("Googlebot/2.1 (+http://www.google.com/bot.html)"),
            Some("Mozilla/5.0 (compatible; bingbot/2.0)"),
            Some("facebookexternalhit/1.1"),
            Some("curl/8.5.0"),
            Some("python-requests/2.31"),
            Some(""),
        ] {
            assert!(!is_person(ua), "{ua:?}");
        }
    }

    #[test]
    fn a_view_comes_from_its_campaign_else_its_referring_host_else_nowhere() {
        let own = "lineup.example";
        assert_eq!(
            referral_source(Some("Newsletter"), Some("https://x.com/a"), own),
            "newsletter"
        );
        assert_eq!(
            referral_source(None, Some("https://www.instagram.com/p/1"), own),
            "instagram.com"
        );
        assert_eq!(
            referral_source(None, Some("https://lineup.example/search"), own),
            "lineup"
        );
        assert_eq!(referral_source(Some(" "), None, own), "direct");
        assert_eq!(referral_source(None, Some("not a url"), own), "direct");
        assert_eq!(referral_source(Some("<script>"), None, own), "script");
        assert_eq!(referral_source(Some(&"a".repeat(500)), None, own).len(), 64);
    }

    #[test]
    fn counts_add_up_between_flushes() {
        let s = Signals::default();
        let now = Utc::now();
        s.view(1, None, None, now);
        s.view(1, None, None, now);
        s.view(1, Some(7), Some("blend"), now);
        s.shown(7, &[1, 2], "blend", now);
        let views = s.views.lock().unwrap();
        assert_eq!(views[&(now.date_naive(), 1, 0)], 2);
        assert_eq!(views[&(now.date_naive(), 1, 7)], 1);
        let imps = s.impressions.lock().unwrap();
        assert_eq!(imps[&(now.date_naive(), 7, 1)], ("blend", 1, 1));
    }
}
