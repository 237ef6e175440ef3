//! The dashboard's figures, read from the totals the database keeps as registrations, saves,
//! page views, referrals and refunds are written (migration `dashboard_figures`, folded by
//! `rollup`): per day for the chosen range, per event to date. An organization with hundreds of
//! events and a hundred thousand registrations reads a few thousand rows. Days are UTC days.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use sea_orm::{
    sea_query::{Alias, Cond, Condition, Expr, ExprTrait, Query, SelectStatement, UnionType},
    ColumnTrait, ConnectionTrait, DbBackend, QueryResult,
};

use crate::{
    domain::context::internal,
    error::AppError,
    i18n::td_string,
    model::{language::Locale, ticketing::RegistrationStatus},
};
use entity::event;

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
    /// not one is refused, saying why in `locale`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
        locale: Locale,
    ) -> Result<Range, AppError> {
        let day = |raw: Option<&str>, wrong: &str| -> Result<Option<NaiveDate>, AppError> {
            match raw.map(str::trim).filter(|r| !r.is_empty()) {
                None => Ok(None),
                Some(r) => NaiveDate::parse_from_str(r, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| AppError::BadRequest(wrong.to_owned())),
            }
        };
        let to = day(to, td_string!(locale, organizations.range.end_not_a_date))?.unwrap_or(today);
        let from = day(
            from,
            td_string!(locale, organizations.range.start_not_a_date),
        )?
        .unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if from > to {
            return Err(AppError::BadRequest(
                td_string!(locale, organizations.range.start_after_end).into(),
            ));
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(AppError::BadRequest(td_string!(
                locale,
                organizations.range.too_long,
                max = MAX_DAYS
            )));
        }
        Ok(Range { from, to })
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
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
    /// Everything counted over the range.
    pub fn total(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.by_day.values() {
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

/// Whose figures: all of an organization's events', or one event's.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Organization(i32),
    Event(i32),
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// One figure of a group (a day or an event) as the totals and the changes not folded yet
/// add up to.
struct Figure {
    key: String,
    kind: String,
    detail: String,
    currency: String,
    paid: bool,
    n: i64,
    tickets: i64,
    amount_minor: i64,
    refunded_minor: i64,
}

const SUMS: [&str; 4] = ["n", "tickets", "amount_minor", "refunded_minor"];

/// The rows of `table` under `filter`, keyed by `key`, in the columns every totals table and
/// the changes share (`paid` as 0 or 1).
fn part(table: &str, key: Expr, filter: Condition) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(key, Alias::new("k"));
    for c in ["kind", "detail", "currency"] {
        q.expr(col(c));
    }
    q.expr_as(
        Expr::cust("CASE WHEN paid THEN 1 ELSE 0 END"),
        Alias::new("paid"),
    );
    for c in SUMS {
        q.expr(col(c));
    }
    q.from(Alias::new(table)).cond_where(filter).to_owned()
}

/// The figures of `kept` (a totals table) and `pending` (the changes not folded yet), added up
/// by key.
async fn figures_of<C: ConnectionTrait>(
    db: &C,
    mut kept: SelectStatement,
    pending: SelectStatement,
) -> Result<Vec<Figure>, AppError> {
    kept.union(UnionType::All, pending);
    let mut q = Query::select();
    for c in ["k", "kind", "detail", "currency", "paid"] {
        q.expr(col(c));
    }
    for c in SUMS {
        q.expr(sum(c));
    }
    q.from_subquery(kept, Alias::new("t")).add_group_by(
        ["k", "kind", "detail", "currency", "paid"]
            .iter()
            .map(|c| col(c))
            .collect::<Vec<_>>(),
    );
    let mut out = Vec::new();
    for row in rows(db, &q).await? {
        out.push(Figure {
            key: get(&row, 0)?,
            kind: get(&row, 1)?,
            detail: get(&row, 2)?,
            currency: get(&row, 3)?,
            paid: get::<i32>(&row, 4)? == 1,
            n: get::<Option<i64>>(&row, 5)?.unwrap_or(0),
            tickets: get::<Option<i64>>(&row, 6)?.unwrap_or(0),
            amount_minor: get::<Option<i64>>(&row, 7)?.unwrap_or(0),
            refunded_minor: get::<Option<i64>>(&row, 8)?.unwrap_or(0),
        });
    }
    Ok(out)
}

impl Counts {
    fn add(&mut self, f: &Figure) {
        match f.kind.as_str() {
            "view" => self.views += f.n,
            "save" => self.saves += f.n,
            "refund" => *self.refunds.entry(f.currency.clone()).or_insert(0) += f.amount_minor,
            "registration" => {
                if let Some(status) = RegistrationStatus::parse(&f.detail) {
                    let r = self
                        .registrations
                        .entry((status, f.currency.clone(), f.paid))
                        .or_default();
                    r.rows += f.n;
                    r.tickets += f.tickets;
                    r.amount_minor += f.amount_minor;
                    r.refunded_minor += f.refunded_minor;
                }
            }
            _ => {}
        }
    }
}

/// Reads the figures of `scope`: per day of `range` from the totals per (organization or
/// event, day), per event to date from the totals per event, each with the changes the worker
/// has not folded yet. `events` are the scope's events, each of which gets a row.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
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
    let backend = db.get_database_backend();
    let in_range = || {
        Cond::all()
            .add(col("day").gte(range.from))
            .add(col("day").lte(range.to))
    };
    let (totals, in_scope, of_scope) = match scope {
        Scope::Organization(o) => (
            "organization_day_figures",
            col("organization_id").eq(o),
            col("event_id").in_subquery(
                Query::select()
                    .column(event::Column::Id)
                    .from(event::Entity)
                    .and_where(event::Column::OrganizationId.eq(o))
                    .to_owned(),
            ),
        ),
        Scope::Event(e) => (
            "event_day_figures",
            col("event_id").eq(e),
            col("event_id").eq(e),
        ),
    };
    let day = || date_text(backend, "day");
    let per_day = figures_of(
        db,
        part(totals, day(), in_range().add(in_scope)),
        part("figure_changes", day(), in_range().add(of_scope.clone())),
    )
    .await?;
    let mut referrers: HashMap<String, i64> = HashMap::new();
    for f in &per_day {
        if f.kind == "referral" {
            *referrers.entry(f.detail.clone()).or_insert(0) += f.n;
        } else if let Some(c) = day_of_text(&f.key).and_then(|d| figures.by_day.get_mut(&d)) {
            c.add(f);
        }
    }
    let event_key = || Expr::cust("CAST(event_id AS TEXT)");
    let to_date = Cond::all().add(col("kind").ne("referral"));
    let per_event = figures_of(
        db,
        part(
            "event_figures",
            event_key(),
            to_date.clone().add(of_scope.clone()),
        ),
        part("figure_changes", event_key(), to_date.add(of_scope)),
    )
    .await?;
    for f in &per_event {
        if let Some(c) = f
            .key
            .parse()
            .ok()
            .and_then(|e: i32| figures.by_event.get_mut(&e))
        {
            c.add(f);
        }
    }
    let mut referrers: Vec<(String, i64)> = referrers.into_iter().filter(|(_, n)| *n > 0).collect();
    referrers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    referrers.truncate(10);
    figures.referrers = referrers;
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_defaults_to_thirty_days_and_refuses_what_is_not_one() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let r = Range::parse(None, None, today, Locale::en).unwrap();
        assert_eq!((r.from.to_string().as_str(), r.to), ("2026-11-05", today));
        assert_eq!(r.days().count(), 30);
        let r = Range::parse(Some("2026-12-01"), Some("2026-12-01"), today, Locale::en).unwrap();
        assert_eq!(r.days().count(), 1);
        for (from, to) in [
            (Some("2026-12-05"), Some("2026-12-01")),
            (Some("yesterday"), None),
            (Some("2024-01-01"), Some("2026-01-01")),
            (None, Some("2026-13-01")),
        ] {
            assert!(matches!(
                Range::parse(from, to, today, Locale::de),
                Err(AppError::BadRequest(_))
            ));
        }
    }
}
