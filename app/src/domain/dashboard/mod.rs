//! The organizer dashboard (`/o/<slug>/dashboard`): page views, saves, registrations and
//! revenue over a range of days for an organization or one of its events, the funnel from a
//! view to a paid ticket, check-in rate, waitlist, refunds and top referrers. Charts are drawn
//! on the server (`charts`); every table also downloads as CSV (`table_csv`). Members whose role
//! sees figures see it; money only for the roles that see money.
pub mod charts;
pub mod figures;
pub mod finance;
pub mod rollup;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        context::internal,
        export, locale_format,
        organizations::{
            access::Rights,
            profile::{by_slug, logo_urls, summary},
        },
        ticketing::money,
    },
    error::AppError,
    i18n::td_string,
    model::{
        dashboard::{Chart, Dashboard, DashboardQuery, Table},
        language::Locale,
        organizations::OrgAction,
    },
};
use entity::{event, user};
use figures::{Counts, Figures, Range, Scope};

/// Quick ranges offered above the figures, in days.
const PRESETS: [i64; 4] = [7, 30, 90, 365];

fn table(id: &str, caption: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        id: id.to_owned(),
        caption: caption.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    }
}

fn percent(part: i64, whole: i64, locale: Locale) -> String {
    match whole {
        0 => "–".to_owned(),
        w => td_string!(
            locale,
            organizations.scores.percent,
            percent = format!("{:.0}", part as f64 * 100.0 / w as f64)
        ),
    }
}

/// Minor units as a decimal number in the currency's digits, as `locale` writes it ("12.50",
/// "12,50").
fn decimal(minor: i64, currency: &str, locale: Locale) -> String {
    locale_format::decimal(locale, minor, money::digits(currency).unwrap_or(2) as i16)
}

/// Money by currency as one line ("12.50 EUR · 3.00 GBP"), "0" when there is none.
fn amounts(by: &std::collections::BTreeMap<String, i64>, locale: Locale) -> String {
    if by.is_empty() {
        return "0".to_owned();
    }
    by.iter()
        .map(|(c, m)| format!("{} {}", decimal(*m, c, locale), c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The dashboard of the organization at `slug` for `viewer`, in `locale`.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    viewer: &user::Model,
    slug: &str,
    query: &DashboardQuery,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Dashboard, AppError> {
    let org = by_slug(db, slug).await?;
    let rights = Rights::of(db, viewer, org.id).await?;
    rights.require(OrgAction::SeeFigures)?;
    let money = rights.may(OrgAction::SeeMoney);
    let range = Range::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        now.date_naive(),
        locale,
    )?;
    let events: Vec<(i32, String, DateTime<Utc>)> = event::Entity::find()
        .select_only()
        .columns([
            event::Column::Id,
            event::Column::Title,
            event::Column::StartsAt,
        ])
        .filter(event::Column::OrganizationId.eq(org.id))
        .order_by_desc(event::Column::StartsAt)
        .order_by_desc(event::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let chosen = match query.event {
        Some(id) => Some(
            events
                .iter()
                .find(|e| e.0 == id)
                .ok_or(AppError::NotFound)?
                .clone(),
        ),
        None => None,
    };
    let ids: Vec<i32> = match &chosen {
        Some(e) => vec![e.0],
        None => events.iter().map(|e| e.0).collect(),
    };
    let scope = match &chosen {
        Some(e) => Scope::Event(e.0),
        None => Scope::Organization(org.id),
    };
    let figures = figures::load(db, scope, &ids, range).await?;
    let started: Vec<i32> = events
        .iter()
        .filter(|e| e.2 <= now && ids.contains(&e.0))
        .map(|e| e.0)
        .collect();

    let mut qs = format!("from={}&to={}", range.from, range.to);
    if let Some(e) = &chosen {
        qs.push_str(&format!("&event={}", e.0));
    }
    let today = now.date_naive();
    let presets = PRESETS
        .iter()
        .map(|&d| {
            let from = today - Duration::days(d - 1);
            let mut q = format!("from={from}&to={today}");
            if let Some(e) = &chosen {
                q.push_str(&format!("&event={}", e.0));
            }
            (
                td_string!(locale, organizations.figures.last_days, count = d),
                q,
            )
        })
        .collect();
    let logos = logo_urls(db, std::slice::from_ref(&org)).await?;
    let titles = events.iter().map(|e| (e.0, e.1.clone())).collect();
    let per_event = per_event(&events, &ids, &figures, money, locale);
    let all = figures.total();
    Ok(Dashboard {
        organization: summary(&org, &logos),
        event: chosen.map(|e| (e.0, e.1)),
        events: titles,
        from: range.from.to_string(),
        to: range.to.to_string(),
        presets,
        money,
        totals: totals(&figures, &all, &started, money, locale),
        charts: charts(&figures, &all, money, locale)?,
        referrers: table(
            "referrers",
            td_string!(locale, organizations.figures.referrers),
            &[
                td_string!(locale, organizations.figures.source),
                td_string!(locale, organizations.figures.page_views),
            ],
            figures
                .referrers
                .iter()
                .map(|(s, n)| vec![s.clone(), n.to_string()])
                .collect(),
        ),
        per_event,
        query: qs,
    })
}

/// The headline figures over the range; check-in counts the tickets of events that have
/// started.
fn totals(
    figures: &Figures,
    all: &Counts,
    started: &[i32],
    money: bool,
    locale: Locale,
) -> Vec<(String, String)> {
    let mut at_door = Counts::default();
    for e in started {
        if let Some(c) = figures.by_event.get(e) {
            for (k, r) in &c.registrations {
                let t = at_door.registrations.entry(k.clone()).or_default();
                t.tickets += r.tickets;
            }
        }
    }
    let mut out = vec![
        (
            td_string!(locale, organizations.figures.page_views),
            all.views.to_string(),
        ),
        (
            td_string!(locale, organizations.figures.saves),
            all.saves.to_string(),
        ),
        (
            td_string!(locale, organizations.figures.registrations),
            all.registered().to_string(),
        ),
        (
            td_string!(locale, organizations.figures.tickets_held),
            all.tickets().to_string(),
        ),
        (
            td_string!(locale, organizations.figures.check_in_rate),
            percent(at_door.checked_in(), at_door.tickets(), locale),
        ),
        (
            td_string!(locale, organizations.figures.on_the_waitlist),
            all.waitlisted().to_string(),
        ),
    ];
    if money {
        let gross = all.revenue();
        let mut net = gross.clone();
        for (c, r) in &all.refunds {
            *net.entry(c.clone()).or_insert(0) -= r;
        }
        out.push((
            td_string!(locale, organizations.figures.gross_sales),
            amounts(&gross, locale),
        ));
        out.push((
            td_string!(locale, organizations.figures.refunds),
            amounts(&all.refunds, locale),
        ));
        out.push((
            td_string!(locale, organizations.figures.net),
            amounts(&net, locale),
        ));
    }
    out.into_iter()
        .map(|(label, value)| (label.to_owned(), value))
        .collect()
}

/// A chart whose SVG carries the same title and summary as the page shows beside it.
fn chart(
    title: String,
    summary: String,
    draw: impl FnOnce(&str, &str) -> Result<String, AppError>,
    table: Table,
) -> Result<Chart, AppError> {
    let svg = draw(&title, &summary)?;
    Ok(Chart {
        title,
        summary,
        svg,
        table,
    })
}

fn charts(
    figures: &Figures,
    all: &Counts,
    money: bool,
    locale: Locale,
) -> Result<Vec<Chart>, AppError> {
    let days: Vec<String> = figures
        .by_day
        .keys()
        .map(|d| locale_format::day_month(locale, *d))
        .collect();
    let per_day: Vec<&Counts> = figures.by_day.values().collect();
    let series =
        |f: &dyn Fn(&Counts) -> i64| -> Vec<f64> { per_day.iter().map(|c| f(c) as f64).collect() };
    let day_rows = |cols: &[&dyn Fn(&Counts) -> String]| -> Vec<Vec<String>> {
        figures
            .by_day
            .iter()
            .map(|(d, c)| {
                let mut row = vec![d.to_string()];
                row.extend(cols.iter().map(|f| f(c)));
                row
            })
            .collect()
    };
    let span = td_string!(locale, organizations.charts.span, count = days.len());
    let page_views = td_string!(locale, organizations.figures.page_views);
    let saves = td_string!(locale, organizations.figures.saves);
    let day = td_string!(locale, organizations.figures.day);
    let used_form = td_string!(locale, organizations.figures.used_ticket_form);
    let registered = td_string!(locale, organizations.figures.registered);
    let paid = td_string!(locale, organizations.figures.paid);
    let refunds = td_string!(locale, organizations.figures.refunds);
    let attention = td_string!(locale, organizations.charts.attention);
    let mut out = vec![
        chart(
            attention.to_owned(),
            td_string!(
                locale,
                organizations.charts.attention_summary,
                views = all.views,
                saves = all.saves,
                span = &span
            ),
            |title, summary| {
                charts::lines(
                    "chart-attention",
                    title,
                    summary,
                    &days,
                    &[
                        charts::Line {
                            name: page_views,
                            values: series(&|c| c.views),
                            color: charts::BLUE,
                        },
                        charts::Line {
                            name: saves,
                            values: series(&|c| c.saves),
                            color: charts::ORANGE,
                        },
                    ],
                )
            },
            table(
                "attention",
                attention,
                &[day, page_views, saves],
                day_rows(&[&|c| c.views.to_string(), &|c| c.saves.to_string()]),
            ),
        )?,
        chart(
            td_string!(locale, organizations.charts.registrations).to_owned(),
            td_string!(
                locale,
                organizations.charts.registrations_summary,
                registrations = all.registered(),
                span = &span
            ),
            |title, summary| {
                charts::bars(
                    "chart-registrations",
                    title,
                    summary,
                    &days,
                    &series(&|c| c.registered()),
                    charts::BLUE,
                    &|v| format!("{v:.0}"),
                )
            },
            table(
                "registrations",
                td_string!(locale, organizations.charts.registrations),
                &[day, used_form, registered, paid],
                day_rows(&[
                    &|c| c.started().to_string(),
                    &|c| c.registered().to_string(),
                    &|c| c.paid().to_string(),
                ]),
            ),
        )?,
    ];
    if money {
        // the chart draws the currency that sold most; the table has every currency
        let revenue = all.revenue();
        let currency = revenue
            .iter()
            .max_by_key(|(_, m)| **m)
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| "eur".to_owned());
        let unit = 10f64.powi(money::digits(&currency).unwrap_or(2) as i32);
        out.push(chart(
            td_string!(
                locale,
                organizations.charts.sales,
                currency = currency.to_uppercase()
            ),
            td_string!(
                locale,
                organizations.charts.sales_summary,
                amounts = amounts(&revenue, locale),
                span = &span
            ),
            |title, summary| {
                charts::bars(
                    "chart-sales",
                    title,
                    summary,
                    &days,
                    &per_day
                        .iter()
                        .map(|c| c.revenue().get(&currency).copied().unwrap_or(0) as f64 / unit)
                        .collect::<Vec<_>>(),
                    charts::GREEN,
                    &|v| format!("{v:.0}"),
                )
            },
            table(
                "sales",
                td_string!(locale, organizations.charts.sales_table),
                &[
                    day,
                    td_string!(locale, organizations.figures.gross_sales),
                    refunds,
                ],
                day_rows(&[&|c| amounts(&c.revenue(), locale), &|c| {
                    amounts(&c.refunds, locale)
                }]),
            ),
        )?);
    }
    let funnel = [
        (
            td_string!(locale, organizations.figures.viewed_page),
            all.views,
        ),
        (used_form, all.started()),
        (registered, all.registered()),
        (paid, all.paid()),
    ];
    let steps: Vec<(String, i64)> = funnel.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect();
    let to_ticket = td_string!(locale, organizations.charts.funnel);
    out.push(chart(
        to_ticket.to_owned(),
        td_string!(
            locale,
            organizations.charts.funnel_summary,
            percent = percent(all.registered(), all.views, locale)
        ),
        |title, summary| charts::steps("chart-funnel", title, summary, &steps),
        table(
            "funnel",
            to_ticket,
            &[
                td_string!(locale, organizations.figures.step),
                td_string!(locale, organizations.figures.count),
                td_string!(locale, organizations.figures.of_step_before),
            ],
            funnel
                .iter()
                .enumerate()
                .map(|(i, (s, n))| {
                    let before = if i == 0 {
                        "–".to_owned()
                    } else {
                        percent(*n, funnel[i - 1].1, locale)
                    };
                    vec![(*s).to_owned(), n.to_string(), before]
                })
                .collect(),
        ),
    )?);
    Ok(out)
}

fn per_event(
    events: &[(i32, String, DateTime<Utc>)],
    ids: &[i32],
    figures: &Figures,
    money: bool,
    locale: Locale,
) -> Table {
    let mut headers = vec![
        td_string!(locale, organizations.figures.event),
        td_string!(locale, organizations.figures.starts),
        td_string!(locale, organizations.figures.page_views),
        td_string!(locale, organizations.figures.saves),
        td_string!(locale, organizations.figures.registrations),
        td_string!(locale, organizations.figures.tickets_held),
        td_string!(locale, organizations.figures.checked_in),
        td_string!(locale, organizations.figures.waitlist),
    ];
    if money {
        headers.extend([
            td_string!(locale, organizations.figures.gross_sales),
            td_string!(locale, organizations.figures.refunds),
        ]);
    }
    let rows = events
        .iter()
        .filter(|e| ids.contains(&e.0))
        .map(|(id, title, starts)| {
            let c = figures.by_event.get(id).cloned().unwrap_or_default();
            let mut row = vec![
                title.clone(),
                starts.format("%Y-%m-%d").to_string(),
                c.views.to_string(),
                c.saves.to_string(),
                c.registered().to_string(),
                c.tickets().to_string(),
                c.checked_in().to_string(),
                c.waitlisted().to_string(),
            ];
            if money {
                row.push(amounts(&c.revenue(), locale));
                row.push(amounts(&c.refunds, locale));
            }
            row
        })
        .collect();
    table(
        "events",
        td_string!(locale, organizations.dashboard.per_event),
        &headers,
        rows,
    )
}

/// One of the dashboard's tables as CSV: (file name, body).
pub fn table_csv(dashboard: &Dashboard, id: &str) -> Result<(String, String), AppError> {
    let table = dashboard
        .charts
        .iter()
        .map(|c| &c.table)
        .chain([&dashboard.referrers, &dashboard.per_event])
        .find(|t| t.id == id)
        .ok_or(AppError::NotFound)?;
    let name = format!(
        "{}-{}-{}-{}.csv",
        dashboard.organization.slug, table.id, dashboard.from, dashboard.to
    );
    Ok((name, export::csv(&table.headers, &table.rows)))
}
