//! The finance page's figures, from the stored payments: gross sales, Lineup's fee (what was
//! taken at checkout, less the part returned with refunds), refunds and what is left for the
//! organization, per event and per month of sale, per currency.
use std::collections::BTreeMap;

use sea_orm::{
    sea_query::{Alias, Expr, Query},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{
    decimal,
    figures::{get, got_tickets, period_of, rows, sum, Period},
};
use crate::{
    domain::{
        context::{internal, AppState},
        locale_format,
        organizations::{
            access::Rights,
            payouts,
            profile::{by_slug, logo_urls, summary},
        },
    },
    error::AppError,
    i18n::td_string,
    model::{
        dashboard::{FinancePage, PayoutState, Table},
        language::Locale,
        organizations::OrgAction,
        ticketing::RegistrationStatus,
    },
};
use entity::{event, registration, user};

/// Money of one group, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Money {
    pub gross: i64,
    pub fee: i64,
    pub refunds: i64,
}

impl Money {
    pub fn net(&self) -> i64 {
        self.gross - self.fee - self.refunds
    }

    fn add(&mut self, other: &Money) {
        self.gross += other.gross;
        self.fee += other.fee;
        self.refunds += other.refunds;
    }
}

/// Groups of the paid registrations of `events`: by (event, currency) and by (month, currency).
pub async fn load<C: ConnectionTrait>(
    db: &C,
    events: &[i32],
) -> Result<
    (
        BTreeMap<(i32, String), Money>,
        BTreeMap<(String, String), Money>,
    ),
    AppError,
> {
    let backend = db.get_database_backend();
    let paid: Vec<&str> = RegistrationStatus::ALL
        .iter()
        .copied()
        .filter(|s| got_tickets(*s))
        .map(|s| s.as_str())
        .collect();
    let query = |key: Expr| {
        Query::select()
            .expr_as(key, Alias::new("k"))
            .column(registration::Column::Currency)
            .expr(sum("amount_minor"))
            // the fee refunds gave back, in proportion to what was refunded
            .expr(sum(
                "platform_fee_minor - CASE WHEN amount_minor > 0 THEN platform_fee_minor * refunded_minor / amount_minor ELSE 0 END",
            ))
            .expr(sum("refunded_minor"))
            .from(registration::Entity)
            .and_where(registration::Column::EventId.is_in(events.iter().copied()))
            .and_where(registration::Column::Status.is_in(paid.clone()))
            .and_where(registration::Column::AmountMinor.gt(0))
            .add_group_by([Expr::cust("k"), Expr::col(registration::Column::Currency)])
            .to_owned()
    };
    let read = |row: &sea_orm::QueryResult| -> Result<(String, Money), AppError> {
        Ok((
            get(row, 1)?,
            Money {
                gross: get::<Option<i64>>(row, 2)?.unwrap_or(0),
                fee: get::<Option<i64>>(row, 3)?.unwrap_or(0),
                refunds: get::<Option<i64>>(row, 4)?.unwrap_or(0),
            },
        ))
    };
    let mut by_event = BTreeMap::new();
    let mut by_month = BTreeMap::new();
    if events.is_empty() {
        return Ok((by_event, by_month));
    }
    for row in rows(db, &query(Expr::col(registration::Column::EventId))).await? {
        let (currency, m) = read(&row)?;
        by_event.insert((get::<i32>(&row, 0)?, currency), m);
    }
    let month = query(period_of(backend, "created_at", Period::Month));
    for row in rows(db, &month).await? {
        let (currency, m) = read(&row)?;
        by_month.insert((get::<String>(&row, 0)?, currency), m);
    }
    Ok((by_event, by_month))
}

fn cells(m: &Money, currency: &str, locale: Locale) -> Vec<String> {
    let amount = |minor: i64| decimal(minor, currency, locale);
    vec![
        currency.to_uppercase(),
        amount(m.gross),
        amount(m.fee),
        amount(m.refunds),
        amount(m.net()),
    ]
}

/// The columns every table has, after its first.
fn money_headers(locale: Locale) -> [String; 5] {
    [
        td_string!(locale, organizations.finance_tables.currency),
        td_string!(locale, organizations.figures.gross_sales),
        td_string!(locale, organizations.finance_tables.fee),
        td_string!(locale, organizations.figures.refunds),
        td_string!(locale, organizations.figures.net),
    ]
    .map(str::to_owned)
}

/// The per-event table (titles from `titles`), the per-month table and the totals per currency,
/// in `locale`.
pub fn tables(
    by_event: &BTreeMap<(i32, String), Money>,
    by_month: &BTreeMap<(String, String), Money>,
    titles: &[(i32, String)],
    locale: Locale,
) -> (Table, Table, Table) {
    let mut headers = vec![td_string!(locale, organizations.figures.event).to_owned()];
    headers.extend(money_headers(locale));
    let per_event = Table {
        id: "finance-events".into(),
        caption: td_string!(locale, organizations.finance_tables.per_event).into(),
        headers,
        rows: titles
            .iter()
            .flat_map(|(id, title)| {
                by_event
                    .iter()
                    .filter(move |((e, _), _)| e == id)
                    .map(move |((_, c), m)| {
                        let mut row = vec![title.clone()];
                        row.extend(cells(m, c, locale));
                        row
                    })
            })
            .collect(),
    };
    let mut headers = vec![td_string!(locale, organizations.finance_tables.month).to_owned()];
    headers.extend(money_headers(locale));
    let per_month = Table {
        id: "finance-months".into(),
        caption: td_string!(locale, organizations.finance_tables.per_month).into(),
        headers,
        rows: by_month
            .iter()
            .rev()
            .map(|((month, c), m)| {
                let mut row = vec![month.clone()];
                row.extend(cells(m, c, locale));
                row
            })
            .collect(),
    };
    let mut totals: BTreeMap<&str, Money> = BTreeMap::new();
    for ((_, c), m) in by_event {
        totals.entry(c.as_str()).or_default().add(m);
    }
    let totals = Table {
        id: "finance-totals".into(),
        caption: td_string!(locale, organizations.finance_tables.all_sales).into(),
        headers: money_headers(locale).to_vec(),
        rows: totals.iter().map(|(c, m)| cells(m, c, locale)).collect(),
    };
    (per_event, per_month, totals)
}

/// What Lineup keeps of a sale, in percent as `locale` writes it: 250 basis points are "2.5".
fn fee_percent(bps: u32, locale: Locale) -> String {
    let (mut units, mut digits) = (i64::from(bps), 2);
    while digits > 0 && units % 10 == 0 {
        units /= 10;
        digits -= 1;
    }
    locale_format::decimal(locale, units, digits)
}

/// The finance page of the organization at `slug`, for those who see money, in `locale`.
/// `refresh` asks Stripe how the account stands first (on coming back from onboarding).
pub async fn page(
    state: &AppState,
    viewer: &user::Model,
    slug: &str,
    refresh: bool,
    locale: Locale,
) -> Result<FinancePage, AppError> {
    let db = &state.db;
    let mut org = by_slug(db, slug).await?;
    let rights = Rights::of(db, viewer, org.id).await?;
    rights.require(OrgAction::SeeMoney)?;
    if refresh && org.stripe_account_id.is_some() {
        org = payouts::refresh(state, &org).await?;
    }
    let titles: Vec<(i32, String)> = event::Entity::find()
        .select_only()
        .columns([event::Column::Id, event::Column::Title])
        .filter(event::Column::OrganizationId.eq(org.id))
        .order_by_desc(event::Column::StartsAt)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let ids: Vec<i32> = titles.iter().map(|t| t.0).collect();
    let (by_event, by_month) = load(db, &ids).await?;
    let (per_event, per_month, totals) = tables(&by_event, &by_month, &titles, locale);
    let logos = logo_urls(db, std::slice::from_ref(&org)).await?;
    Ok(FinancePage {
        organization: summary(&org, &logos),
        payments_enabled: state.payments.enabled(),
        state: match (&org.stripe_account_id, org.charges_enabled) {
            (None, _) => PayoutState::NotStarted,
            (Some(_), false) => PayoutState::Onboarding,
            (Some(_), true) => PayoutState::Active,
        },
        payouts_enabled: org.payouts_enabled,
        can_manage: rights.may(OrgAction::ManagePayouts),
        fee_percent: fee_percent(state.settings.platform_fee_bps, locale),
        totals,
        per_event,
        per_month,
    })
}

/// One of the finance page's tables as CSV: (file name, body).
pub fn table_csv(page: &FinancePage, id: &str) -> Result<(String, String), AppError> {
    let table = [&page.totals, &page.per_event, &page.per_month]
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((
        format!("{}-{}.csv", page.organization.slug, table.id),
        crate::domain::export::csv(&table.headers, &table.rows),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn net_is_what_is_left_after_fee_and_refunds() {
        let m = Money {
            gross: 10_000,
            fee: 450,
            refunds: 2_500,
        };
        assert_eq!(m.net(), 7_050);
        let by_event = BTreeMap::from([((1, "eur".to_owned()), m.clone())]);
        let by_month = BTreeMap::from([(("2026-12".to_owned(), "eur".to_owned()), m)]);
        let (events, months, totals) =
            tables(&by_event, &by_month, &[(1, "Fado".into())], Locale::en);
        assert_eq!(
            events.rows,
            [["Fado", "EUR", "100.00", "4.50", "25.00", "70.50"]]
        );
        assert_eq!(months.rows[0][0], "2026-12");
        assert_eq!(totals.rows, [["EUR", "100.00", "4.50", "25.00", "70.50"]]);
        assert_eq!(totals.headers[2], "Lineup's fee");
        let (_, _, totals) = tables(&by_event, &BTreeMap::new(), &[], Locale::de);
        assert_eq!(totals.rows[0][1], "100,00");
    }

    #[test]
    fn the_fee_reads_without_trailing_zeros() {
        assert_eq!(fee_percent(250, Locale::en), "2.5");
        assert_eq!(fee_percent(500, Locale::de), "5");
        assert_eq!(fee_percent(275, Locale::de), "2,75");
    }
}
