//! The organizer's guest list: status tabs with counts, search by name or email, figures, and
//! the CSV export.
use std::collections::HashMap;

use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    domain::{
        context::internal,
        locale_format,
        ticketing::{
            registrations::status_of,
            ticket_types::{managed, managed_event, of_event},
            tickets::when_label,
        },
    },
    error::AppError,
    model::organizations::OrgAction,
    model::{
        language::Locale,
        ticketing::{
            GuestFigures, GuestList, GuestRow, GuestTab, GuestTicket, RegistrationStatus,
            WaitlistTier,
        },
    },
};
use entity::{event, registration, ticket, user};

/// Rows shown per tab; the CSV has them all.
pub const PAGE: u64 = 500;

fn statuses(tab: GuestTab) -> Vec<&'static str> {
    tab.statuses().iter().map(|s| s.as_str()).collect()
}

fn search(query: &str) -> Option<Condition> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let pattern = format!("%{}%", q.replace(['\\', '%', '_'], ""));
    Some(
        Condition::any()
            .add(
                Expr::expr(Func::lower(Expr::col(registration::Column::Name)))
                    .like(pattern.clone()),
            )
            .add(Expr::expr(Func::lower(Expr::col(registration::Column::Email))).like(pattern)),
    )
}

async fn rows<C: ConnectionTrait>(
    db: &C,
    ev: &event::Model,
    tab: GuestTab,
    query: &str,
    limit: Option<u64>,
    locale: Locale,
) -> Result<Vec<GuestRow>, AppError> {
    let mut find = registration::Entity::find()
        .filter(registration::Column::EventId.eq(ev.id))
        .filter(registration::Column::Status.is_in(statuses(tab)));
    if let Some(cond) = search(query) {
        find = find.filter(cond);
    }
    let find = if tab == GuestTab::Waitlist {
        find.order_by_desc(registration::Column::Tier)
            .order_by_asc(registration::Column::Id)
    } else {
        find.order_by_asc(registration::Column::Name)
            .order_by_asc(registration::Column::Id)
    };
    let regs = match limit {
        Some(n) => find.limit(n).all(db).await,
        None => find.all(db).await,
    }
    .map_err(internal)?;
    let types: HashMap<i32, String> = of_event(db, ev.id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut tickets: HashMap<i32, Vec<GuestTicket>> = HashMap::new();
    for t in ticket::Entity::find()
        .filter(ticket::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .order_by_asc(ticket::Column::Number)
        .all(db)
        .await
        .map_err(internal)?
    {
        tickets
            .entry(t.registration_id)
            .or_default()
            .push(GuestTicket {
                id: t.id,
                number: t.number,
                status: t.status.clone(),
                checked_in_at: t.checked_in_at.map(|at| when_label(at, ev, locale)),
            });
    }
    regs.into_iter()
        .map(|r| {
            let answers: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&r.answers).unwrap_or_default();
            Ok(GuestRow {
                id: r.id,
                name: r.name.clone(),
                email: r.email.clone(),
                ticket_type: types.get(&r.ticket_type_id).cloned().unwrap_or_default(),
                quantity: r.quantity,
                status: status_of(&r)?,
                tier: WaitlistTier::of_rank(r.tier),
                amount: locale_format::money(locale, r.amount_minor, &r.currency),
                paid: r.payment_intent_id.is_some(),
                answers: answers
                    .into_iter()
                    .map(|(q, a)| (q, a.as_str().unwrap_or_default().to_owned()))
                    .collect(),
                registered_at: when_label(r.created_at, ev, locale),
                tickets: tickets.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

async fn count<C: ConnectionTrait>(db: &C, event_id: i32, tab: GuestTab) -> Result<i64, AppError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.is_in(statuses(tab)))
        .count(db)
        .await
        .map_err(internal)? as i64)
}

async fn figures<C: ConnectionTrait>(
    db: &C,
    ev: &event::Model,
    locale: Locale,
) -> Result<GuestFigures, AppError> {
    let regs = registration::Entity::find()
        .filter(registration::Column::EventId.eq(ev.id))
        .all(db)
        .await
        .map_err(internal)?;
    let checked_in = ticket::Entity::find()
        .filter(ticket::Column::EventId.eq(ev.id))
        .filter(ticket::Column::CheckedInAt.is_not_null())
        .count(db)
        .await
        .map_err(internal)? as i64;
    let sum = |f: &dyn Fn(&registration::Model) -> bool| -> i64 {
        regs.iter()
            .filter(|r| f(r))
            .map(|r| i64::from(r.quantity))
            .sum()
    };
    let is = |r: &registration::Model, s: &[RegistrationStatus]| {
        RegistrationStatus::parse(&r.status).is_some_and(|st| s.contains(&st))
    };
    let currency = regs
        .first()
        .map(|r| r.currency.clone())
        .unwrap_or_else(|| "eur".into());
    let paid: i64 = regs
        .iter()
        .filter(|r| r.payment_intent_id.is_some())
        .map(|r| r.amount_minor)
        .sum();
    let refunded: i64 = regs.iter().map(|r| r.refunded_minor).sum();
    Ok(GuestFigures {
        going: sum(&|r| is(r, GuestTab::Going.statuses())),
        checked_in,
        waitlisted: sum(&|r| {
            is(
                r,
                &[RegistrationStatus::Waitlisted, RegistrationStatus::Offered],
            )
        }),
        pending: sum(&|r| is(r, &[RegistrationStatus::PendingApproval])),
        capacity: ev.capacity,
        revenue: locale_format::money(locale, paid - refunded, &currency),
        refunded: locale_format::money(locale, refunded, &currency),
    })
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    event_id: i32,
    tab: GuestTab,
    query: &str,
    locale: Locale,
) -> Result<GuestList, AppError> {
    let (ev, access) = managed(db, organizer, event_id, OrgAction::ManageTickets).await?;
    let query: String = query.trim().chars().take(100).collect();
    let mut counts = Vec::with_capacity(GuestTab::ALL.len());
    for t in GuestTab::ALL {
        counts.push((*t, count(db, ev.id, *t).await?));
    }
    Ok(GuestList {
        event_id: ev.id,
        event_title: ev.title.clone(),
        tab,
        query: query.clone(),
        counts,
        rows: rows(db, &ev, tab, &query, Some(PAGE), locale).await?,
        figures: figures(db, &ev, locale).await?,
        sees_money: access.may(OrgAction::SeeMoney),
        can_refund: access.may(OrgAction::Refund),
    })
}

/// Every registration of the event, one line each (in English, like the headers).
pub async fn csv<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    event_id: i32,
) -> Result<String, AppError> {
    let ev = managed_event(db, organizer, event_id, OrgAction::ManageTickets).await?;
    let rows = rows(db, &ev, GuestTab::All, "", None, Locale::en).await?;
    let headers = [
        "name",
        "email",
        "ticket_type",
        "quantity",
        "status",
        "amount",
        "checked_in",
        "registered_at",
        "answers",
    ];
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let checked = r
                .tickets
                .iter()
                .filter(|t| t.checked_in_at.is_some())
                .count();
            let answers = r
                .answers
                .iter()
                .map(|(q, a)| format!("{q}: {a}"))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                r.name,
                r.email,
                r.ticket_type,
                r.quantity.to_string(),
                r.status.as_str().to_owned(),
                r.amount,
                checked.to_string(),
                r.registered_at,
                answers,
            ]
        })
        .collect();
    Ok(crate::domain::export::csv(&headers, &lines))
}
