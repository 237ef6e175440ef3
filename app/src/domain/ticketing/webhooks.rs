//! Stripe webhooks: the signature is checked (HMAC-SHA256 over `t.payload` with the endpoint
//! secret, within five minutes), each event id is handled once, and the events that matter to
//! seats confirm, release or refund registrations. Every handler acts only on the status it
//! expects, so events arriving out of order (an `expired` after a `completed`) change nothing.
//! A completed session is matched by the session id Lineup stored, and its amount, currency and
//! mode must be what the registration expects; every paid session ends in tickets or a refund
//! (recorded in the same transaction and sent by `refunds`' worker).
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
            money, notes,
            payments::AccountStanding,
            refunds::{self, Decided},
            registrations::{close, holder_key_of, record, status_of, transition, Move},
            seats, ticket_types, tickets,
        },
    },
    error::AppError,
    model::{language::Locale, ticketing::RegistrationStatus},
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
    // `abs_diff`: a signed header may carry any timestamp, even one at the end of the range
    if now.timestamp().abs_diff(timestamp) > TOLERANCE_SECS as u64 {
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
    let handled = match kind {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            session_paid(&txn, state.payments.livemode(), object, now).await?
        }
        "checkout.session.expired" => session_expired(&txn, object, now).await?,
        "charge.refunded" => charge_refunded(&txn, object, now).await?,
        "account.updated" => account_updated(&txn, object, now).await?,
        other => Handled::Ignored(other.to_owned()),
    };
    txn.commit().await.map_err(stored)?;
    Ok(handled)
}

/// A connected account's standing changed (onboarding finished, or Stripe restricted it): the
/// organization with that account takes charges, or stops, accordingly.
async fn account_updated<C: ConnectionTrait>(
    db: &C,
    account: &Value,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let id = text(account, "id").ok_or_else(|| WebhookError::Payload("no account id".into()))?;
    let flag = |key: &str| account[key].as_bool().unwrap_or(false);
    let standing = AccountStanding {
        charges_enabled: flag("charges_enabled"),
        payouts_enabled: flag("payouts_enabled"),
        details_submitted: flag("details_submitted"),
    };
    if crate::domain::organizations::payouts::apply(db, id, standing, now).await? {
        Ok(Handled::Processed(format!(
            "account {id}: charges {}, payouts {}",
            standing.charges_enabled, standing.payouts_enabled
        )))
    } else {
        Ok(Handled::Ignored(format!(
            "account {id} belongs to no organization"
        )))
    }
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value[key].as_str().filter(|s| !s.is_empty())
}

/// The registration a checkout session is for, by the session id Lineup stored when it opened
/// the session. Nothing in the session's own metadata is trusted to say which.
async fn registration_of_session<C: ConnectionTrait>(
    db: &C,
    session_id: &str,
) -> Result<Option<registration::Model>, WebhookError> {
    registration::Entity::find()
        .filter(registration::Column::CheckoutSessionId.eq(session_id))
        .one(db)
        .await
        .map_err(stored)
}

/// What a completed checkout session says was paid.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub session_id: String,
    pub intent: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub livemode: bool,
}

impl Payment {
    pub fn of(session: &Value) -> Result<Payment, WebhookError> {
        let missing = |what: &str| WebhookError::Payload(format!("session without {what}"));
        Ok(Payment {
            session_id: text(session, "id")
                .ok_or_else(|| missing("an id"))?
                .to_owned(),
            intent: text(session, "payment_intent").map(str::to_owned),
            amount: session["amount_total"]
                .as_i64()
                .ok_or_else(|| missing("amount_total"))?,
            currency: text(session, "currency")
                .ok_or_else(|| missing("a currency"))?
                .to_ascii_lowercase(),
            livemode: session["livemode"].as_bool().unwrap_or(false),
        })
    }

    fn label(&self) -> String {
        money::format(self.amount, &self.currency)
    }

    /// A refund of this whole payment, or `None` when nothing was charged.
    fn refund(
        &self,
        reg: Option<&registration::Model>,
        key: String,
        reason: String,
    ) -> Option<Decided> {
        let intent = self.intent.clone().filter(|_| self.amount > 0)?;
        Some(Decided {
            registration_id: reg.map(|r| r.id),
            event_id: reg.map(|r| r.event_id),
            payment_intent: intent,
            amount_minor: self.amount,
            currency: self.currency.clone(),
            idempotency_key: key,
            reason,
        })
    }
}

async fn session_paid<C: ConnectionTrait>(
    db: &C,
    livemode: bool,
    session: &Value,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    // `no_payment_required` (a 100% discount, say) is not payment: its amount will not match
    let completed = matches!(
        text(session, "payment_status"),
        Some("paid" | "no_payment_required")
    );
    if !completed {
        // delayed payment methods: `async_payment_succeeded` follows
        return Ok(Handled::Ignored("checkout session not paid yet".into()));
    }
    let payment = Payment::of(session)?;
    if payment.livemode != livemode {
        // money of the other mode cannot be confirmed nor refunded with this mode's key
        tracing::error!(session = %payment.session_id, "a checkout session of Stripe's other mode; ignored");
        return Ok(Handled::Ignored(
            "checkout session of the other Stripe mode".into(),
        ));
    }
    let Some(reg) = registration_of_session(db, &payment.session_id).await? else {
        return Ok(Handled::Ignored("unknown checkout session".into()));
    };
    if payment.amount != reg.amount_minor || payment.currency != reg.currency.to_ascii_lowercase() {
        return mismatch(db, &reg, &payment, now).await;
    }
    settle(db, reg, &payment, now).await
}

/// A payment that is not what the registration asked for: it is refunded in full, the
/// reservation released, and the mismatch kept in the registration's history (which the
/// organizer and admins see) and with the refund.
async fn mismatch<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    payment: &Payment,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let note = format!(
        "Payment of {} did not match the {} due: refunded",
        payment.label(),
        money::format(reg.amount_minor, &reg.currency)
    );
    tracing::warn!(registration = reg.id, session = %payment.session_id, "{note}");
    if let Some(refund) = payment.refund(
        Some(reg),
        format!("lineup-mismatch-refund-{}", payment.session_id),
        note.clone(),
    ) {
        refunds::record(db, refund, now).await?;
    }
    let status = status_of(reg)?;
    let released = status == RegistrationStatus::Reserved
        && close(
            db,
            reg,
            Move::to(RegistrationStatus::Cancelled, None, &note),
            now,
        )
        .await?
        .is_some();
    if !released {
        record(db, reg.id, Some(status), status, None, &note, now).await?;
    }
    Ok(Handled::Processed(
        "refunded a payment that did not match".into(),
    ))
}

/// Settles a matching payment for `reg` as it was read: tickets, or the money back. When the
/// registration moved between the read and the update (a reservation lapsing at that moment),
/// it is read again and settled as it is then, so no path keeps money without tickets.
pub async fn settle<C: ConnectionTrait>(
    db: &C,
    mut reg: registration::Model,
    payment: &Payment,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let paid_step = |note: &'static str| {
        let session_id = Some(payment.session_id.clone());
        let payment_intent = payment.intent.clone();
        Move::to(RegistrationStatus::Confirmed, None, note).with(move |r| {
            r.checkout_session_id = Set(session_id);
            r.payment_intent_id = Set(payment_intent);
            r.expires_at = Set(None);
        })
    };
    for _ in 0..3 {
        let status = status_of(&reg)?;
        match status {
            RegistrationStatus::Reserved => {
                if let Some(confirmed) = transition(db, &reg, paid_step(notes::PAID), now).await? {
                    tickets::issue(db, &confirmed, now).await?;
                    return Ok(Handled::Processed("confirmed".into()));
                }
            }
            RegistrationStatus::Cancelled if lapsed_unpaid(db, reg.id).await? => {
                // paid just as the reservation lapsed: keep the seats if they are still there
                // and the event is still on
                if let Some(confirmed) = confirm_late(db, &reg, paid_step, now).await? {
                    tickets::issue(db, &confirmed, now).await?;
                    return Ok(Handled::Processed("confirmed late".into()));
                }
                if refund_closed(db, &reg, payment, now).await? {
                    return Ok(Handled::Processed("refunded late payment".into()));
                }
            }
            _ if reg.payment_intent_id.is_some() && reg.payment_intent_id == payment.intent => {
                return Ok(Handled::Ignored("payment already recorded".into()));
            }
            _ if status.is_open() && !matches!(status, RegistrationStatus::Cancelled) => {
                // waiting for approval or on the waitlist again: not what this payment was for
                return refund_only(db, &reg, payment, status, now).await;
            }
            _ => {
                // cancelled by a person, declined or refunded: the money goes back
                if refund_closed(db, &reg, payment, now).await? {
                    return Ok(Handled::Processed("refunded late payment".into()));
                }
            }
        }
        reg = registration::Entity::find_by_id(reg.id)
            .one(db)
            .await
            .map_err(stored)?
            .ok_or(WebhookError::Internal)?;
    }
    // still moving: roll back and let Stripe deliver again
    Err(WebhookError::Internal)
}

/// Confirms a lapsed reservation that was paid, when its seats are still free, the event is
/// still on and the person holds no other registration for it.
async fn confirm_late<'a, C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    paid_step: impl Fn(&'static str) -> Move<'a>,
    now: DateTime<Utc>,
) -> Result<Option<registration::Model>, WebhookError> {
    let ev = entity::event::Entity::find_by_id(reg.event_id)
        .one(db)
        .await
        .map_err(stored)?
        .ok_or(WebhookError::Internal)?;
    if ticket_types::closed_reason(&ev, now, Locale::default()).is_some() {
        return Ok(None);
    }
    let tt = ticket_type::Entity::find_by_id(reg.ticket_type_id)
        .one(db)
        .await
        .map_err(stored)?
        .ok_or(WebhookError::Internal)?;
    let key = holder_key_of(reg);
    let holder_free = registration::Entity::find()
        .filter(registration::Column::EventId.eq(reg.event_id))
        .filter(registration::Column::HolderKey.eq(key.as_str()))
        .one(db)
        .await
        .map_err(stored)?
        .is_none();
    if !(holder_free && seats::take(db, &tt, reg.quantity).await?) {
        return Ok(None);
    }
    let step = paid_step(notes::PAID_LATE).with(move |r| r.holder_key = Set(Some(key)));
    // moved meanwhile: roll back (the seats too) and let Stripe deliver again
    transition(db, reg, step, now)
        .await?
        .ok_or(WebhookError::Internal)
        .map(Some)
}

/// Marks a closed registration refunded with this payment and records the refund; `false` when
/// it moved meanwhile.
async fn refund_closed<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    payment: &Payment,
    now: DateTime<Utc>,
) -> Result<bool, WebhookError> {
    const NOTE: &str = notes::PAID_AFTER_CLOSE;
    let intent = payment.intent.clone();
    let amount = payment.amount;
    let refunded = Move::to(RegistrationStatus::Refunded, None, NOTE).with(move |r| {
        r.payment_intent_id = Set(intent);
        r.refunded_minor = Set(amount);
    });
    if transition(db, reg, refunded, now).await?.is_none() {
        return Ok(false);
    }
    if let Some(refund) = payment.refund(
        Some(reg),
        format!("lineup-late-refund-{}", reg.id),
        NOTE.to_owned(),
    ) {
        refunds::record(db, refund, now).await?;
    }
    Ok(true)
}

/// Refunds a payment without changing the registration, noting it in its history.
async fn refund_only<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    payment: &Payment,
    status: RegistrationStatus,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let note = format!(
        "Payment of {} came while the registration was {}: refunded",
        payment.label(),
        status.label().to_lowercase()
    );
    if let Some(refund) = payment.refund(
        Some(reg),
        format!("lineup-late-refund-{}", payment.session_id),
        note.clone(),
    ) {
        refunds::record(db, refund, now).await?;
    }
    record(db, reg.id, Some(status), status, None, &note, now).await?;
    Ok(Handled::Processed("refunded a payment".into()))
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
            // only reservations that lapsed unpaid may be revived by a late payment
            && [notes::RESERVATION_LAPSED, notes::CHECKOUT_EXPIRED].contains(&c.note.as_str())
    }))
}

async fn session_expired<C: ConnectionTrait>(
    db: &C,
    session: &Value,
    now: DateTime<Utc>,
) -> Result<Handled, WebhookError> {
    let session_id =
        text(session, "id").ok_or_else(|| WebhookError::Payload("session without an id".into()))?;
    let Some(reg) = registration_of_session(db, session_id).await? else {
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
        Move::to(RegistrationStatus::Cancelled, None, notes::CHECKOUT_EXPIRED),
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
            Move::to(
                RegistrationStatus::Refunded,
                None,
                notes::REFUNDED_IN_STRIPE,
            )
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
    record(
        db,
        reg.id,
        Some(status),
        status,
        None,
        notes::PARTLY_REFUNDED_IN_STRIPE,
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
