//! A cancelled event looks after its people: every open registration is closed, paid ones are
//! refunded in full, tickets are voided and the waitlist is cleared.
//!
//! It runs as a job: the cancellation writes a `TOPIC` row to the outbox in its transaction, and
//! the worker closes the registrations in batches that each commit, deleting the row once none
//! is left open. A crash midway leaves the row; a restart finishes the rest. Refunds go to the
//! provider before their batch commits, each with an idempotency key per registration, so a
//! refund sent but not recorded before a crash is sent again with the same key and the provider
//! answers with the first one instead of paying twice. People hear of it once, from the
//! cancellation itself (`notifications::compose`): the registrations closed here carry `notes::EVENT_CANCELLED`
//! and no notice of their own.
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        cache::Changes,
        context::{find, internal},
        outbox::{self, POLL},
        ticketing::{
            notes,
            payments::{PaymentGateway, RefundRequest},
            refunds,
            registrations::{add_refunded, status_of, transition, void_tickets, Move},
        },
        transaction::begin_write,
    },
    error::AppError,
    model::ticketing::RegistrationStatus,
};
use entity::{event, registration};

/// Subject: the cancelled event.
pub const TOPIC: &str = "ticketing.event_cancelled";
const BATCH: u64 = 500;

/// Finishes the cancellations that are due; returns how many registrations were closed.
pub async fn run_due(
    db: &DatabaseConnection,
    payments: &dyn PaymentGateway,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut closed = 0;
    for row in outbox::due(db, &[TOPIC], now).await? {
        match finish(db, payments, row.subject_id, now).await {
            Ok(n) => {
                outbox::delivered(db, std::slice::from_ref(&row)).await?;
                closed += n;
            }
            Err(e) => {
                tracing::warn!(event = row.subject_id, error = %e, "event cancellation will be retried");
                outbox::failed(db, std::slice::from_ref(&row), &e.to_string(), now).await?;
            }
        }
    }
    Ok(closed)
}

/// Closes every registration of the event that is still open; returns how many it closed. A
/// refund the provider refuses leaves its registration open and the rest go on; the job then
/// fails, to try that one again later.
pub async fn finish(
    db: &DatabaseConnection,
    payments: &dyn PaymentGateway,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    find::<event::Entity, _>(db, event_id).await?;
    let open = RegistrationStatus::slugs_where(RegistrationStatus::is_open);
    let mut closed = 0;
    let mut refused: Vec<i32> = Vec::new();
    loop {
        let batch = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::Status.is_in(open.clone()))
            .filter(registration::Column::Id.is_not_in(refused.clone()))
            .order_by_asc(registration::Column::Id)
            .limit(BATCH)
            .all(db)
            .await
            .map_err(internal)?;
        if batch.is_empty() {
            return match refused.len() {
                0 => Ok(closed),
                n => Err(internal(format!(
                    "{n} refund(s) of cancelled event {event_id} refused; retrying later"
                ))),
            };
        }
        // the provider first, as for an organizer's refund
        let mut refunds = Vec::new();
        for reg in &batch {
            if let Some(request) = refund_of(reg)? {
                match payments.refund(&request).await {
                    Ok(()) => refunds.push((reg.id, request.amount)),
                    Err(e) => {
                        tracing::warn!(registration = reg.id, error = %e, "refund refused");
                        refused.push(reg.id);
                    }
                }
            }
        }
        let txn = begin_write(db).await.map_err(internal)?;
        for reg in batch.iter().filter(|r| !refused.contains(&r.id)) {
            let refunded = refunds.iter().find(|(id, _)| *id == reg.id).map(|r| r.1);
            let to = match refunded {
                Some(_) => RegistrationStatus::Refunded,
                None => RegistrationStatus::Cancelled,
            };
            // moved on meanwhile (a payment came in, say): the next batch reads it again
            if transition(
                &txn,
                reg,
                Move::to(to, None, notes::EVENT_CANCELLED).told_elsewhere(),
                now,
            )
            .await?
            .is_none()
            {
                continue;
            }
            void_tickets(&txn, reg.id, to.as_str()).await?;
            if let Some(amount) = refunded {
                add_refunded(&txn, reg.id, amount, now).await?;
            }
            closed += 1;
        }
        txn.commit().await.map_err(internal)?;
    }
}

/// What is left to refund of a paid, confirmed registration.
fn refund_of(reg: &registration::Model) -> Result<Option<RefundRequest>, AppError> {
    let left = reg.amount_minor - reg.refunded_minor;
    Ok(match &reg.payment_intent_id {
        Some(pi) if status_of(reg)?.is_going() && left > 0 => Some(RefundRequest {
            registration_id: reg.id,
            payment_intent: pi.clone(),
            amount: left,
            idempotency_key: format!("lineup-event-cancelled-refund-{}", reg.id),
        }),
        _ => None,
    })
}

/// Finishes cancellations and sends the refunds webhooks decided on (`refunds`) until the
/// process ends: the one worker that calls the payment provider in the background.
pub fn spawn_worker(
    db: DatabaseConnection,
    payments: Arc<dyn PaymentGateway>,
    changes: Arc<Changes>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_due(&db, payments.as_ref(), Utc::now()).await {
                Ok(n) if n > 0 => {
                    changes.bump();
                    tracing::info!(closed = n, "registrations of cancelled events closed");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "event cancellation round failed"),
            }
            match refunds::run_due(&db, payments.as_ref(), Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(sent = n, "refunds sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "refund round failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}
