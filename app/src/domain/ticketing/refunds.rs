//! Refunds decided inside a transaction (a webhook's) go out in two steps, so no call to the
//! provider holds a transaction open and a crash between the steps loses nothing: `record`
//! writes a `refunds` row and a `TOPIC` outbox row in the transaction that decided it; the worker
//! (`run_due`) asks the provider with the row's idempotency key and then marks it sent in the
//! transaction that drops the outbox row. A crash after the provider accepted and before that
//! commit sends the same request again, and the provider answers with the first refund.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set,
};

use crate::{
    domain::{
        context::internal,
        outbox,
        ticketing::payments::{PaymentGateway, RefundRequest},
        transaction::begin_write,
    },
    error::AppError,
};
use entity::refund;

/// Subject: the `refunds` row.
pub const TOPIC: &str = "ticketing.refund";

/// A refund to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub registration_id: Option<i32>,
    pub event_id: Option<i32>,
    pub payment_intent: String,
    pub amount_minor: i64,
    pub currency: String,
    /// One key per payment and reason: deciding the same refund twice records it once.
    pub idempotency_key: String,
    pub reason: String,
}

/// Step one: records the refund and wakes the worker. Call it with the deciding transaction.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    decided: Decided,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let existing = refund::Entity::find()
        .filter(refund::Column::IdempotencyKey.eq(decided.idempotency_key.as_str()))
        .one(db)
        .await
        .map_err(internal)?;
    if existing.is_some() {
        return Ok(());
    }
    let row = refund::ActiveModel {
        registration_id: Set(decided.registration_id),
        event_id: Set(decided.event_id),
        payment_intent: Set(decided.payment_intent),
        amount_minor: Set(decided.amount_minor),
        currency: Set(decided.currency),
        idempotency_key: Set(decided.idempotency_key),
        reason: Set(decided.reason),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    outbox::enqueue(db, TOPIC, row.id, now).await
}

/// Steps two and three for every refund that is due; returns how many the provider accepted.
/// A refusal keeps the row for a retry with the outbox's backoff.
pub async fn run_due(
    db: &DatabaseConnection,
    payments: &dyn PaymentGateway,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut sent = 0;
    for row in outbox::due(db, &[TOPIC], now).await? {
        let refund = refund::Entity::find_by_id(row.subject_id)
            .one(db)
            .await
            .map_err(internal)?;
        let Some(refund) = refund.filter(|r| r.sent_at.is_none()) else {
            outbox::delivered(db, std::slice::from_ref(&row)).await?;
            continue;
        };
        let request = RefundRequest {
            registration_id: refund.registration_id.unwrap_or_default(),
            payment_intent: refund.payment_intent.clone(),
            amount: refund.amount_minor,
            idempotency_key: refund.idempotency_key.clone(),
        };
        match payments.refund(&request).await {
            Ok(()) => {
                let txn = begin_write(db).await.map_err(internal)?;
                refund::Entity::update_many()
                    .col_expr(refund::Column::SentAt, Expr::value(Some(now)))
                    .filter(refund::Column::Id.eq(refund.id))
                    .filter(refund::Column::SentAt.is_null())
                    .exec(&txn)
                    .await
                    .map_err(internal)?;
                outbox::delivered(&txn, std::slice::from_ref(&row)).await?;
                txn.commit().await.map_err(internal)?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(refund = refund.id, error = %e, "refund refused; will retry");
                outbox::failed(db, std::slice::from_ref(&row), &e.to_string(), now).await?;
            }
        }
    }
    Ok(sent)
}
