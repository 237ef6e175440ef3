//! Stripe webhooks: the signature is checked (HMAC-SHA256 over `t.payload` with the endpoint
//! secret, within five minutes), each event id is handled once, and the events that matter to
//! seats confirm, release or refund registrations. Every handler acts only on the status it
//! expects, so events arriving out of order (an `expired` after a `completed`) change nothing.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use sha2::Sha256;

use crate::{
    domain::{
        context::{internal, AppState},
        ticketing::{
            checkout, expiry,
            payments::RefundRequest,
            registrations::{close, holder_key_of, status_of, transition, Move},
            seats, ticket_types, tickets,
        },
    },
    error::AppError,
    model::ticketing::RegistrationStatus,
};
use entity::{registration, stripe_event, ticket_type};

/// A database failure: Stripe gets a 500 and delivers the event again.
fn stored(err: sea_orm::DbErr) -> WebhookError {
    internal(err).into()
}

/// Stripe's default tolerance for the signed timestamp.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebhookError {
    #[error("missing Stripe-Signature header")]
    MissingSignature,
    #[error("malformed Stripe-Signature header")]
    MalformedSignature,
    #[error("no signature matches the payload")]
    BadSignature,
    #[error("the signature's timestamp is too old or in the future")]
    Stale,
    #[error("webhooks are not configured (STRIPE_WEBHOOK_SECRET)")]
    NotConfigured,
    #[error("the payload is not a Stripe event: {0}")]
    Payload(String),
    #[error("internal error")]
    Internal,
}

impl WebhookError {
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::Internal => 500,
            WebhookError::NotConfigured => 404,
            _ => 400,
        }
    }
}

impl From<AppError> for WebhookError {
    fn from(_: AppError) -> Self {
        WebhookError::Internal
    }
}

/// The `Stripe-Signature` header value Stripe would send for `payload` at `timestamp`.
pub fn sign(secret: &str, payload: &[u8], timestamp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

pub fn verify(
    secret: &str,
    header: Option<&str>,
    payload: &[u8],
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::MissingSignature)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", s)) => {
                signatures.push(hex::decode(s).map_err(|_| WebhookError::MalformedSignature)?)
            }
            Some(_) => {}
            None => return Err(WebhookError::MalformedSignature),
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::MalformedSignature)?;
    if signatures.is_empty() {
        return Err(WebhookError::MalformedSignature);
    }
    let matches = signatures.iter().any(|sig| {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        // constant-time comparison
        mac.verify_slice(sig).is_ok()
    });
    if !matches {
        return Err(WebhookError::BadSignature);
    }
    if (now.timestamp() - timestamp).abs() > TOLERANCE_SECS {
        return Err(WebhookError::Stale);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    Processed(String),
    /// The same event id came before: nothing changed.
    Replayed,
    /// An event type Lineup does not act on, or one about nothing it knows.
    Ignored(String),
}

/// Verifies and handles one webhook delivery.
pub async fn receive(
    state: &AppState,
    secret: Option<&str>,
    signature: Option<&str>,
    payload: &[u8],
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let secret = secret.ok_or(WebhookError::NotConfigured)?;
    verify(secret, signature, payload, now)?;
    let event: Value =
        serde_json::from_slice(payload).map_err(|e| WebhookError::Payload(e.to_string()))?;
    let id = event["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| WebhookError::Payload("no id".into()))?;
    let kind = event["type"]
        .as_str()
        .ok_or_else(|| WebhookError::Payload("no type".into()))?;
    let object = &event["data"]["object"];
    if !object.is_object() {
        return Err(WebhookError::Payload("no data.object".into()));
    }

    let txn = begin_write(&state.db).await.map_err(stored)?;
    // the first write: a replayed id stops here
    let first = stripe_event::ActiveModel {
        id: Set(id.to_owned()),
        kind: Set(kind.to_owned()),
        received_at: Set(now),
    }
    .insert(&txn)
    .await;
    if let Err(e) = first {
        return if e.to_string().to_lowercase().contains("unique")
            || e.to_string().contains("duplicate")
        {
            Ok(Handled::Replayed)
        } else {
            Err(internal(e).into())
        };
    }
    let (handled, refund_after) = match kind {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            session_paid(&txn, object, now).await?
        }
        "checkout.session.expired" => (session_expired(&txn, object, now).await?, None),
        "charge.refunded" => (charge_refunded(&txn, object, now).await?, None),
        other => (Handled::Ignored(other.to_owned()), None),
    };
    // a refund is asked for before the event counts as handled: when Stripe refuses, nothing
    // is stored and Stripe delivers the event again
    if let Some(refund) = refund_after {
        if let Err(e) = state.payments.refund(&refund).await {
            tracing::error!(registration = refund.registration_id, error = %e, "refund of a late payment failed");
            return Err(WebhookError::Internal);
        }
    }
    txn.commit().await.map_err(stored)?;
    Ok(handled)
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value[key].as_str().filter(|s| !s.is_empty())
}

/// The registration a checkout session is for: by the stored session id, else by the
/// metadata Lineup put on it (a crash right after creating the session left no id stored).
async fn registration_of_session<C: ConnectionTrait>(
    db: &C,
    session: &Value,
) -> Result<Option<registration::Model>, WebhookError> {
    let Some(session_id) = text(session, "id") else {
        return Err(WebhookError::Payload("session without an id".into()));
    };
    let by_session = registration::Entity::find()
        .filter(registration::Column::CheckoutSessionId.eq(session_id))
        .one(db)
        .await
        .map_err(stored)?;
    if by_session.is_some() {
        return Ok(by_session);
    }
    let by_metadata = text(&session["metadata"], "registration_id")
        .or_else(|| text(session, "client_reference_id"))
        .and_then(|id| id.parse::<i32>().ok());
    match by_metadata {
        Some(id) => {
            let reg = registration::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(stored)?;
            // only a registration with no session of its own may be claimed by this one
            Ok(reg.filter(|r| r.checkout_session_id.is_none()))
        }
        None => Ok(None),
    }
}

async fn session_paid<C: ConnectionTrait>(
    db: &C,
    session: &Value,
    now: DateTime<Utc>,
) -> Result<(Handled, Option<RefundRequest>), WebhookError> {
    let paid = matches!(
        text(session, "payment_status"),
        Some("paid" | "no_payment_required")
    );
    if !paid {
        // delayed payment methods: `async_payment_succeeded` follows
        return Ok((
            Handled::Ignored("checkout session not paid yet".into()),
            None,
        ));
    }
    let Some(reg) = registration_of_session(db, session).await? else {
        return Ok((Handled::Ignored("unknown checkout session".into()), None));
    };
    let session_id = text(session, "id").map(str::to_owned);
    let payment_intent = text(session, "payment_intent").map(str::to_owned);
    let paid_step = |note: &'static str| {
        let session_id = session_id.clone();
        let payment_intent = payment_intent.clone();
        Move::to(RegistrationStatus::Confirmed, None, note).with(move |r| {
            r.checkout_session_id = Set(session_id);
            r.payment_intent_id = Set(payment_intent);
            r.expires_at = Set(None);
        })
    };
    match status_of(&reg)? {
        RegistrationStatus::Reserved => {
            if let Some(confirmed) =
                transition(db, &reg, paid_step("Paid with Stripe Checkout"), now).await?
            {
                tickets::issue(db, &confirmed, now).await?;
            }
            Ok((Handled::Processed("confirmed".into()), None))
        }
        RegistrationStatus::Cancelled => {
            // paid just as the reservation lapsed: keep the seats if they are still there and
            // the event is still on; a registration cancelled by a person, or no seats, and the
            // money goes back
            let lapsed = lapsed_unpaid(db, reg.id).await?;
            let ev = entity::event::Entity::find_by_id(reg.event_id)
                .one(db)
                .await
                .map_err(stored)?
                .ok_or(WebhookError::Internal)?;
            let open = ticket_types::closed_reason(&ev, now).is_none();
            let tt = ticket_type::Entity::find_by_id(reg.ticket_type_id)
                .one(db)
                .await
                .map_err(stored)?
                .ok_or(WebhookError::Internal)?;
            let key = holder_key_of(&reg);
            let holder_free = registration::Entity::find()
                .filter(registration::Column::EventId.eq(reg.event_id))
                .filter(registration::Column::HolderKey.eq(key.as_str()))
                .one(db)
                .await
                .map_err(stored)?
                .is_none();
            if lapsed && open && holder_free && seats::take(db, &tt, reg.quantity).await? {
                let step = paid_step("Paid after the reservation lapsed; seats were still free")
                    .with(move |r| r.holder_key = Set(Some(key)));
                // moved meanwhile: roll back (the seats too) and let Stripe deliver again
                let confirmed = transition(db, &reg, step, now)
                    .await?
                    .ok_or(WebhookError::Internal)?;
                tickets::issue(db, &confirmed, now).await?;
                return Ok((Handled::Processed("confirmed late".into()), None));
            }
            let Some(intent) = payment_intent else {
                return Ok((
                    Handled::Ignored("late payment without a payment intent".into()),
                    None,
                ));
            };
            let refunded = Move::to(
                RegistrationStatus::Refunded,
                None,
                "Paid after the registration had closed: refunded",
            )
            .with(|r| {
                r.payment_intent_id = Set(Some(intent.clone()));
                r.refunded_minor = Set(reg.amount_minor);
            });
            transition(db, &reg, refunded, now)
                .await?
                .ok_or(WebhookError::Internal)?;
            let payout = checkout::payout_account(db, &ev).await?.is_some();
            Ok((
                Handled::Processed("refunded late payment".into()),
                Some(RefundRequest {
                    registration_id: reg.id,
                    payment_intent: intent,
                    amount: reg.amount_minor,
                    reverse_payout: payout,
                    idempotency_key: format!("lineup-late-refund-{}", reg.id),
                }),
            ))
        }
        _ => Ok((
            Handled::Ignored("registration is past payment".into()),
            None,
        )),
    }
}

/// Whether the registration closed because its reservation lapsed unpaid (not by anyone's
/// choice).
async fn lapsed_unpaid<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
) -> Result<bool, WebhookError> {
    use sea_orm::QueryOrder;
    let last = entity::registration_change::Entity::find()
        .filter(entity::registration_change::Column::RegistrationId.eq(registration_id))
        .order_by_desc(entity::registration_change::Column::Id)
        .one(db)
        .await
        .map_err(stored)?;
    Ok(last.is_some_and(|c| {
        c.actor_id.is_none()
            && [expiry::RESERVATION_LAPSED, expiry::CHECKOUT_EXPIRED].contains(&c.note.as_str())
    }))
}

async fn session_expired<C: ConnectionTrait>(
    db: &C,
    session: &Value,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let Some(reg) = registration_of_session(db, session).await? else {
        return Ok(Handled::Ignored("unknown checkout session".into()));
    };
    if status_of(&reg)? != RegistrationStatus::Reserved {
        return Ok(Handled::Ignored(
            "registration is not waiting for payment".into(),
        ));
    }
    close(
        db,
        &reg,
        Move::to(
            RegistrationStatus::Cancelled,
            None,
            expiry::CHECKOUT_EXPIRED,
        ),
        now,
    )
    .await?;
    Ok(Handled::Processed("released".into()))
}

async fn charge_refunded<C: ConnectionTrait>(
    db: &C,
    charge: &Value,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let Some(intent) = text(charge, "payment_intent") else {
        return Ok(Handled::Ignored("charge without a payment intent".into()));
    };
    let Some(reg) = registration::Entity::find()
        .filter(registration::Column::PaymentIntentId.eq(intent))
        .one(db)
        .await
        .map_err(stored)?
    else {
        return Ok(Handled::Ignored("unknown payment".into()));
    };
    let refunded = charge["amount_refunded"].as_i64().unwrap_or(0);
    if refunded <= reg.refunded_minor {
        // Lineup made this refund itself, or an older event
        return Ok(Handled::Ignored("refund already recorded".into()));
    }
    let status = status_of(&reg)?;
    if refunded >= reg.amount_minor && status.is_going() {
        close(
            db,
            &reg,
            Move::to(RegistrationStatus::Refunded, None, "Refunded in Stripe")
                .with(|r| r.refunded_minor = Set(refunded)),
            now,
        )
        .await?;
        return Ok(Handled::Processed("refunded".into()));
    }
    // a partial refund made in Stripe's dashboard: the amount is recorded, the tickets stay
    registration::Entity::update_many()
        .set(registration::ActiveModel {
            refunded_minor: Set(refunded),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(registration::Column::Id.eq(reg.id))
        .exec(db)
        .await
        .map_err(stored)?;
    crate::domain::ticketing::registrations::record(
        db,
        reg.id,
        Some(status),
        status,
        None,
        "Partly refunded in Stripe",
        now,
    )
    .await?;
    Ok(Handled::Processed("partly refunded".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";

    #[test]
    fn a_signed_payload_verifies_and_tampering_does_not() {
        let now = Utc::now();
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(SECRET, body, now.timestamp());
        assert_eq!(verify(SECRET, Some(&header), body, now), Ok(()));
        assert_eq!(
            verify(SECRET, Some(&header), br#"{"id":"evt_2"}"#, now),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            verify("whsec_other", Some(&header), body, now),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            verify(SECRET, None, body, now),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify(SECRET, Some("garbage"), body, now),
            Err(WebhookError::MalformedSignature)
        );
    }

    #[test]
    fn old_signatures_are_refused() {
        let now = Utc::now();
        let body = b"{}";
        let header = sign(SECRET, body, now.timestamp() - TOLERANCE_SECS - 1);
        assert_eq!(
            verify(SECRET, Some(&header), body, now),
            Err(WebhookError::Stale)
        );
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        let now = Utc::now();
        let body = b"{}";
        let good = sign(SECRET, body, now.timestamp());
        let v1 = good.split("v1=").nth(1).unwrap_or_default();
        let header = format!("t={},v1={},v1={v1}", now.timestamp(), "00".repeat(32));
        assert_eq!(verify(SECRET, Some(&header), body, now), Ok(()));
    }
}
