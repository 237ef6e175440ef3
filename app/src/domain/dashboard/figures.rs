//! The dashboard's figures, read in a handful of grouped queries (by day across the chosen
//! events, and by event across the chosen days) so that an organization with hundreds of events
//! and a hundred thousand registrations is summed by the database, not by reading every row.
//! Days are UTC days.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, Query, SelectStatement},
    ColumnTrait, ConnectionTrait, DbBackend, QueryResult,
};

use crate::{domain::context::internal, error::AppError, model::ticketing::RegistrationStatus};
use entity::{event_referral, event_view, refund, registration, saved_event};

/// The days the figures cover, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The longest range one page shows.
pub const MAX_DAYS: i64 = 366;
/// The range when none is asked for.
pub const DEFAULT_DAYS: i64 = 30;

impl Range {
    /// From the page's `from` and `to` (`YYYY-MM-DD`, either may be missing); a range that is
    /// not one is refused.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Range, AppError> {
        let day = |raw: Option<&str>, what: &str| -> Result<Option<NaiveDate>, AppError> {
            match raw.map(str::trim).filter(|r| !r.is_empty()) {
                None => Ok(None),
                Some(r) => NaiveDate::parse_from_str(r, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        AppError::BadRequest(format!("The {what} date is not a date (YYYY-MM-DD)."))
                    }),
            }
        };
        let to = day(to, "end")?.unwrap_or(today);
        let from = day(from, "start")?.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if from > to {
            return Err(AppError::BadRequest(
                "The start date is after the end date.".into(),
            ));
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(AppError::BadRequest(format!(
                "Choose at most {MAX_DAYS} days at a time."
            )));
        }
        Ok(Range { from, to })
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }

    fn start(&self) -> DateTime<Utc> {
        self.from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }

    fn end(&self) -> DateTime<Utc> {
        (self.to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
    }
}

/// Registrations of one status (and currency) in a group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registrations {
    pub rows: i64,
    pub tickets: i64,
    pub amount_minor: i64,
    pub refunded_minor: i64,
}

/// Everything counted for one day or one event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub views: i64,
    pub saves: i64,
    /// By status, currency and whether they were paid for.
    pub registrations: HashMap<(RegistrationStatus, String, bool), Registrations>,
    /// Refunds sent, by currency.
    pub refunds: BTreeMap<String, i64>,
}

impl Counts {
    fn of(
        &self,
        keep: impl Fn(RegistrationStatus) -> bool,
    ) -> impl Iterator<Item = (&String, &Registrations)> {
        self.registrations
            .iter()
            .filter(move |((s, _, _), _)| keep(*s))
            .map(|((_, c, _), r)| (c, r))
    }

    /// Registrations made at all (the ticket form used), whatever became of them.
    pub fn started(&self) -> i64 {
        self.of(|_| true).map(|(_, r)| r.rows).sum()
    }

    /// Registrations that got their tickets (and kept them, or were refunded later).
    pub fn registered(&self) -> i64 {
        self.of(got_tickets).map(|(_, r)| r.rows).sum()
    }

    /// Tickets held now.
    pub fn tickets(&self) -> i64 {
        self.of(RegistrationStatus::is_going)
            .map(|(_, r)| r.tickets)
            .sum()
    }

    /// Registrations that paid.
    pub fn paid(&self) -> i64 {
        self.registrations
            .iter()
            .filter(|((s, _, paid), _)| got_tickets(*s) && *paid)
            .map(|(_, r)| r.rows)
            .sum()
    }

    pub fn checked_in(&self) -> i64 {
        self.of(|s| s == RegistrationStatus::CheckedIn)
            .map(|(_, r)| r.tickets)
            .sum()
    }

    pub fn waitlisted(&self) -> i64 {
        self.of(|s| s == RegistrationStatus::Waitlisted)
            .map(|(_, r)| r.tickets)
            .sum()
    }

    /// Gross sales by currency.
    pub fn revenue(&self) -> BTreeMap<String, i64> {
        let mut by = BTreeMap::new();
        for (c, r) in self.of(got_tickets) {
            *by.entry(c.clone()).or_insert(0) += r.amount_minor;
        }
        by.retain(|_, v| *v > 0);
        by
    }
}

/// Confirmed, checked in, or refunded after being paid.
pub fn got_tickets(s: RegistrationStatus) -> bool {
    s.is_going() || s == RegistrationStatus::Refunded
}

/// The figures of `events` over `range`: per day and per event.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub by_day: BTreeMap<NaiveDate, Counts>,
    pub by_event: HashMap<i32, Counts>,
    /// Views by where they came from, most first.
    pub referrers: Vec<(String, i64)>,
}

impl Figures {
    pub fn total(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.by_event.values() {
            all.views += c.views;
            all.saves += c.saves;
            for (k, r) in &c.registrations {
                let t = all.registrations.entry(k.clone()).or_default();
                t.rows += r.rows;
                t.tickets += r.tickets;
                t.amount_minor += r.amount_minor;
                t.refunded_minor += r.refunded_minor;
            }
            for (cur, n) in &c.refunds {
                *all.refunds.entry(cur.clone()).or_insert(0) += n;
            }
        }
        all
    }
}

/// How long a group of time is.
#[derive(Debug, Clone, Copy)]
pub enum Period {
    Day,
    Month,
}

/// The text of a timestamp column's UTC day (`YYYY-MM-DD`) or month (`YYYY-MM`), in the
/// database's own dialect.
pub fn period_of(backend: DbBackend, column: &str, period: Period) -> Expr {
    let (pattern, chars) = match period {
        Period::Day => ("YYYY-MM-DD", 10),
        Period::Month => ("YYYY-MM", 7),
    };
    match backend {
        DbBackend::Postgres => {
            Expr::cust(format!("to_char({column} AT TIME ZONE 'UTC', '{pattern}')"))
        }
        _ => Expr::cust(format!("substr({column}, 1, {chars})")),
    }
}

fn day_of(backend: DbBackend, column: &str) -> Expr {
    period_of(backend, column, Period::Day)
}

/// A date column as `YYYY-MM-DD` text.
fn date_text(backend: DbBackend, column: &str) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust(format!("to_char({column}, 'YYYY-MM-DD')")),
        _ => Expr::cust(column.to_owned()),
    }
}

/// A sum that reads back as a 64-bit integer on every database.
pub fn sum(column: &str) -> Expr {
    Expr::cust(format!("CAST(SUM({column}) AS BIGINT)"))
}

/// The key of a registration group: its day or its event.
#[derive(Clone, Copy)]
enum By {
    Day,
    Event,
}

pub async fn rows<C: ConnectionTrait>(
    db: &C,
    q: &SelectStatement,
) -> Result<Vec<QueryResult>, AppError> {
    db.query_all(q).await.map_err(internal)
}

pub fn get<T: sea_orm::TryGetable>(row: &QueryResult, i: usize) -> Result<T, AppError> {
    row.try_get_by_index(i).map_err(internal)
}

fn day_of_text(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Reads the figures. Views, saves and refunds come grouped by (event, day) and are added up
/// both ways here; registrations, the largest table, are grouped by the database each way. The
/// reads run one after another: on SQLite, side by side they only wait for each other.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    events: &[i32],
    range: Range,
) -> Result<Figures, AppError> {
    let mut figures = Figures::default();
    for day in range.days() {
        figures.by_day.insert(day, Counts::default());
    }
    for &e in events {
        figures.by_event.insert(e, Counts::default());
    }
    if events.is_empty() {
        return Ok(figures);
    }
    let backend = db.get_database_backend();
    let ids = || events.iter().copied();

    let views = Query::select()
        .column(event_view::Column::EventId)
        .expr_as(date_text(backend, "day"), Alias::new("k"))
        .expr(sum("views"))
        .from(event_view::Entity)
        .and_where(event_view::Column::EventId.is_in(ids()))
        .and_where(event_view::Column::Day.gte(range.from))
        .and_where(event_view::Column::Day.lte(range.to))
        .add_group_by([Expr::col(event_view::Column::EventId), Expr::cust("k")])
        .to_owned();
    for row in rows(db, &views).await? {
        let (event, day): (i32, String) = (get(&row, 0)?, get(&row, 1)?);
        let n = get::<Option<i64>>(&row, 2)?.unwrap_or(0);
        figures.add(event, &day, |c| c.views += n);
    }
    let saves = Query::select()
        .column(saved_event::Column::EventId)
        .expr_as(day_of(backend, "created_at"), Alias::new("k"))
        .expr(Expr::cust("COUNT(*)"))
        .from(saved_event::Entity)
        .and_where(saved_event::Column::EventId.is_in(ids()))
        .and_where(saved_event::Column::CreatedAt.gte(range.start()))
        .and_where(saved_event::Column::CreatedAt.lt(range.end()))
        .and_where(saved_event::Column::RemovedAt.is_null())
        .add_group_by([Expr::col(saved_event::Column::EventId), Expr::cust("k")])
        .to_owned();
    for row in rows(db, &saves).await? {
        let (event, day): (i32, String) = (get(&row, 0)?, get(&row, 1)?);
        let n: i64 = get(&row, 2)?;
        figures.add(event, &day, |c| c.saves += n);
    }
    let refunds = Query::select()
        .column(refund::Column::EventId)
        .expr_as(day_of(backend, "sent_at"), Alias::new("k"))
        .column(refund::Column::Currency)
        .expr(sum("amount_minor"))
        .from(refund::Entity)
        .and_where(refund::Column::EventId.is_in(ids()))
        .and_where(refund::Column::SentAt.gte(range.start()))
        .and_where(refund::Column::SentAt.lt(range.end()))
        .add_group_by([
            Expr::col(refund::Column::EventId),
            Expr::cust("k"),
            Expr::col(refund::Column::Currency),
        ])
        .to_owned();
    for row in rows(db, &refunds).await? {
        let (event, day): (Option<i32>, String) = (get(&row, 0)?, get(&row, 1)?);
        let currency: String = get(&row, 2)?;
        let amount = get::<Option<i64>>(&row, 3)?.unwrap_or(0);
        if let Some(event) = event {
            figures.add(event, &day, |c| {
                *c.refunds.entry(currency.clone()).or_insert(0) += amount
            });
        }
    }
    for by in [By::Day, By::Event] {
        for (key, group, r) in registrations(db, events, range, by).await? {
            let slot = match by {
                By::Day => day_of_text(&key).and_then(|d| figures.by_day.get_mut(&d)),
                By::Event => key
                    .parse::<i32>()
                    .ok()
                    .and_then(|e| figures.by_event.get_mut(&e)),
            };
            if let Some(slot) = slot {
                slot.registrations.insert(group, r);
            }
        }
    }
    figures.referrers = referrers(db, events, range).await?;
    Ok(figures)
}

impl Figures {
    /// Adds to the counts of `event` and of `day` (`YYYY-MM-DD`) alike.
    fn add(&mut self, event: i32, day: &str, f: impl Fn(&mut Counts)) {
        if let Some(c) = self.by_event.get_mut(&event) {
            f(c);
        }
        if let Some(c) = day_of_text(day).and_then(|d| self.by_day.get_mut(&d)) {
            f(c);
        }
    }
}

/// Registrations grouped by day or by event (the key as text), then status, currency and
/// whether they were paid for.
async fn registrations<C: ConnectionTrait>(
    db: &C,
    events: &[i32],
    range: Range,
    by: By,
) -> Result<Vec<(String, (RegistrationStatus, String, bool), Registrations)>, AppError> {
    let key = match by {
        By::Day => day_of(db.get_database_backend(), "created_at"),
        By::Event => Expr::cust("CAST(event_id AS TEXT)"),
    };
    let q = Query::select()
        .expr_as(key, Alias::new("k"))
        .column(registration::Column::Status)
        .column(registration::Column::Currency)
        .expr_as(
            Expr::cust("CASE WHEN amount_minor > 0 THEN 1 ELSE 0 END"),
            Alias::new("paid"),
        )
        .expr(Expr::cust("COUNT(*)"))
        .expr(sum("quantity"))
        .expr(sum("amount_minor"))
        .expr(sum("refunded_minor"))
        .from(registration::Entity)
        .and_where(registration::Column::EventId.is_in(events.iter().copied()))
        .and_where(registration::Column::CreatedAt.gte(range.start()))
        .and_where(registration::Column::CreatedAt.lt(range.end()))
        .add_group_by([
            Expr::cust("k"),
            Expr::col(registration::Column::Status),
            Expr::col(registration::Column::Currency),
            Expr::cust("paid"),
        ])
        .to_owned();
    let mut out = Vec::new();
    for row in rows(db, &q).await? {
        let status: String = get(&row, 1)?;
        let Some(status) = RegistrationStatus::parse(&status) else {
            continue;
        };
        out.push((
            get::<String>(&row, 0)?,
            (status, get::<String>(&row, 2)?, get::<i32>(&row, 3)? == 1),
            Registrations {
                rows: get(&row, 4)?,
                tickets: get::<Option<i64>>(&row, 5)?.unwrap_or(0),
                amount_minor: get::<Option<i64>>(&row, 6)?.unwrap_or(0),
                refunded_minor: get::<Option<i64>>(&row, 7)?.unwrap_or(0),
            },
        ));
    }
    Ok(out)
}

/// The ten sources that sent the most views.
async fn referrers<C: ConnectionTrait>(
    db: &C,
    events: &[i32],
    range: Range,
) -> Result<Vec<(String, i64)>, AppError> {
    let q = Query::select()
        .column(event_referral::Column::Source)
        .expr_as(sum("views"), Alias::new("n"))
        .from(event_referral::Entity)
        .and_where(event_referral::Column::EventId.is_in(events.iter().copied()))
        .and_where(event_referral::Column::Day.gte(range.from))
        .and_where(event_referral::Column::Day.lte(range.to))
        .group_by_col(event_referral::Column::Source)
        .order_by_expr(Expr::cust("n"), sea_orm::Order::Desc)
        .order_by(event_referral::Column::Source, sea_orm::Order::Asc)
        .limit(10)
        .to_owned();
    rows(db, &q)
        .await?
        .iter()
        .map(|row| Ok((get(row, 0)?, get::<Option<i64>>(row, 1)?.unwrap_or(0))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_defaults_to_thirty_days_and_refuses_what_is_not_one() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let r = Range::parse(None, None, today).unwrap();
        assert_eq!((r.from.to_string().as_str(), r.to), ("2026-11-05", today));
        assert_eq!(r.days().count(), 30);
        let r = Range::parse(Some("2026-12-01"), Some("2026-12-01"), today).unwrap();
        assert_eq!(r.days().count(), 1);
        for (from, to) in [
            (Some("2026-12-05"), Some("2026-12-01")),
            (Some("yesterday"), None),
            (Some("2024-01-01"), Some("2026-01-01")),
            (None, Some("2026-13-01")),
        ] {
            assert!(matches!(
                Range::parse(from, to, today),
                Err(AppError::BadRequest(_))
            ));
        }
    }
}
