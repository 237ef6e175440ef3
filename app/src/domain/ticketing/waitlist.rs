//! The waitlist: freed seats are offered to the people waiting, highest tier first and first
//! come first served within a tier; an offer is held for a day, then passes on.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal, AppState},
        organizations::payouts,
        ticketing::{
            checkout, notes,
            payments::PaymentError,
            register::{Outcome, RESERVATION_TTL},
            registrations::{
                close_now, held_by, status_of, transition, transition_or_refuse, Move,
            },
            seats, ticket_types, tickets,
        },
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, ticketing::RegistrationStatus},
};
use entity::{event, registration, ticket_type, user};

/// How long a waitlist offer waits for an answer.
pub const OFFER_TTL: Duration = Duration::hours(24);
/// Waiting registrations looked at per freed-seat round: enough to find smaller requests that
/// fit when the first one in line is too large.
const CANDIDATES: u64 = 50;

/// Offers what is free of a ticket type to the people waiting for it, in order. Call it in the
/// transaction that freed the seats. Returns how many offers were made.
pub async fn offer_freed<C: ConnectionTrait>(
    db: &C,
    ticket_type_id: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let tt = find::<ticket_type::Entity, _>(db, ticket_type_id).await?;
    if !tt.waitlist {
        return Ok(0);
    }
    let waiting = registration::Entity::find()
        .filter(registration::Column::TicketTypeId.eq(ticket_type_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_desc(registration::Column::Tier)
        .order_by_asc(registration::Column::Id)
        .limit(CANDIDATES)
        .all(db)
        .await
        .map_err(internal)?;
    let mut offered = 0;
    for reg in waiting {
        if !seats::take(db, &tt, reg.quantity).await? {
            // a smaller request further down may still fit
            continue;
        }
        let step = Move::to(RegistrationStatus::Offered, None, notes::SEAT_FREED).with(|r| {
            r.expires_at = Set(Some(now + OFFER_TTL));
        });
        match transition(db, &reg, step, now).await? {
            Some(_) => offered += 1,
            None => seats::give_back(db, tt.id, tt.event_id, reg.quantity).await?,
        }
    }
    Ok(offered)
}

/// Offers new room (a raised capacity) to the waitlists of every ticket type of the event.
pub async fn offer_all_freed<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut offered = 0;
    for tt in ticket_types::of_event(db, event_id).await? {
        offered += offer_freed(db, tt.id, now).await?;
    }
    Ok(offered)
}

/// The user's offer with `id`, while it is open.
async fn own_offer<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<registration::Model, AppError> {
    let reg = held_by(db, user, id).await?;
    let live =
        status_of(&reg)? == RegistrationStatus::Offered && reg.expires_at.is_some_and(|t| t > now);
    if !live {
        return Err(AppError::Refused(offer_closed(locale).into()));
    }
    Ok(reg)
}

/// Takes an offered seat: free tickets are confirmed at once, paid ones go to checkout.
pub async fn accept(
    state: &AppState,
    user: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let db = &state.db;
    let reg = own_offer(db, user, id, now, locale).await?;
    let tt = find::<ticket_type::Entity, _>(db, reg.ticket_type_id).await?;
    let ev = find::<event::Entity, _>(db, reg.event_id).await?;
    let paid_blocked =
        payouts::why_no_sales(&payouts::of_event(db, &ev).await?, state.payments.enabled());
    if let Some(why) = ticket_types::closed_reason(&ev, now, locale)
        .or_else(|| ticket_types::unavailable_reason(&tt, paid_blocked, now, locale))
    {
        return Err(AppError::Refused(why));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    if tt.price_minor == 0 {
        let confirmed = transition_or_refuse(
            &txn,
            &reg,
            Move::to(
                RegistrationStatus::Confirmed,
                Some(user.id),
                notes::OFFER_ACCEPTED,
            )
            .priced(&tt, reg.quantity),
            now,
            locale,
        )
        .await?;
        tickets::issue(&txn, &confirmed, now).await?;
        txn.commit().await.map_err(internal)?;
        return Ok(Outcome::Confirmed {
            registration: confirmed,
            first_code: None,
        });
    }
    if !state.payments.enabled() {
        return Err(AppError::Refused(PaymentError::Disabled.message(locale)));
    }
    let reserved = transition_or_refuse(
        &txn,
        &reg,
        Move::to(
            RegistrationStatus::Reserved,
            Some(user.id),
            notes::OFFER_ACCEPTED_TO_PAY,
        )
        .priced(&tt, reg.quantity)
        .with(|r| r.expires_at = Set(Some(now + RESERVATION_TTL))),
        now,
        locale,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    let url = checkout::start(state, &reserved, &ev, &tt, now, locale).await?;
    Ok(Outcome::Checkout {
        registration: reserved,
        url,
    })
}

/// Passes an offered seat on to the next person.
pub async fn decline<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let reg = own_offer(db, user, id, now, locale).await?;
    close_now(
        db,
        &reg,
        Move::to(
            RegistrationStatus::Cancelled,
            Some(user.id),
            notes::OFFER_DECLINED,
        ),
        offer_closed(locale),
        now,
    )
    .await?;
    Ok(())
}

/// What people are told of an offer that lapsed or was answered.
fn offer_closed(locale: Locale) -> &'static str {
    td_string!(locale, tickets.waitlist.offer_closed)
}
