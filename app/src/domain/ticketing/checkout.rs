//! Paying for held seats through the payment gateway's hosted checkout.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{
    domain::{
        context::{internal, AppState},
        organizations::payouts,
        ticketing::{
            money, notes,
            payments::{CheckoutRequest, Payout},
            registrations::{close_now, held_by, status_of, Move},
        },
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, ticketing::RegistrationStatus},
};
use entity::{event, registration, ticket_type, user};

/// Opens a checkout for a reserved registration and remembers it. When the gateway refuses,
/// the seats go back at once and the person is told why.
pub async fn start(
    state: &AppState,
    reg: &registration::Model,
    ev: &event::Model,
    tt: &ticket_type::Model,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let db = &state.db;
    let expires_at = reg
        .expires_at
        .ok_or_else(|| internal("a reservation without an expiry"))?;
    let payout = payouts::destination(db, ev)
        .await?
        .map(|destination| Payout {
            application_fee: money::fee(reg.amount_minor, state.settings.platform_fee_bps),
            destination,
        });
    let fee = payout.as_ref().map_or(0, |p| p.application_fee);
    let base = state.settings.public_url.trim_end_matches('/');
    let request = CheckoutRequest {
        registration_id: reg.id,
        event_id: ev.id,
        product_name: format!("{} — {}", ev.title, tt.name),
        unit_amount: tt.price_minor,
        quantity: reg.quantity as u64,
        currency: tt.currency.clone(),
        customer_email: Some(reg.email.clone()).filter(|e| !e.is_empty()),
        success_url: format!("{base}/my/tickets/{}?paid=1", reg.id),
        cancel_url: format!("{base}/my/tickets/{}", reg.id),
        expires_at,
        payout,
        // one key per reservation attempt: a retry of this request cannot open a second session
        idempotency_key: format!("lineup-checkout-{}-{}", reg.id, expires_at.timestamp()),
    };
    match state.payments.create_checkout(&request).await {
        Ok(session) => {
            registration::Entity::update_many()
                .set(registration::ActiveModel {
                    checkout_session_id: Set(Some(session.id)),
                    checkout_url: Set(Some(session.url.clone())),
                    platform_fee_minor: Set(fee),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .filter(registration::Column::Id.eq(reg.id))
                .exec(db)
                .await
                .map_err(internal)?;
            Ok(session.url)
        }
        Err(err) => {
            // a webhook may have moved it meanwhile; then there is nothing to give back
            let _ = close_now(
                db,
                reg,
                Move::to(RegistrationStatus::Cancelled, None, notes::CHECKOUT_FAILED),
                "",
                now,
            )
            .await;
            Err(AppError::Refused(err.message(locale)))
        }
    }
}

/// The checkout of a reservation that is still held, for its holder.
pub async fn resume<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let reg = held_by(db, user, id).await?;
    let held =
        status_of(&reg)? == RegistrationStatus::Reserved && reg.expires_at.is_some_and(|t| t > now);
    match (held, reg.checkout_url) {
        (true, Some(url)) => Ok(url),
        _ => Err(AppError::Refused(
            td_string!(locale, tickets.checkout.not_held).into(),
        )),
    }
}
