//! Reservations that were not paid and offers that were not answered lapse: their seats go
//! back (and on to the waitlist). Each lapse is one transaction, so a crash mid-sweep leaves
//! every registration either untouched or fully released, and the next sweep goes on.
use crate::domain::transaction::begin_write;
use std::{sync::Arc, time::Duration as StdDuration};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::internal,
        ticketing::{
            notes,
            registrations::{close, status_of, Move},
        },
    },
    error::AppError,
    model::ticketing::RegistrationStatus,
};
use entity::registration;

pub const SWEEP_EVERY: StdDuration = StdDuration::from_secs(15);
const BATCH: u64 = 200;

/// Lapses everything due by `now`; returns how many registrations lapsed.
pub async fn sweep<C: TransactionTrait + sea_orm::ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = registration::Entity::find()
        .filter(registration::Column::Status.is_in([
            RegistrationStatus::Reserved.as_str(),
            RegistrationStatus::Offered.as_str(),
        ]))
        .filter(registration::Column::ExpiresAt.lte(now))
        .order_by_asc(registration::Column::ExpiresAt)
        .limit(BATCH)
        .all(db)
        .await
        .map_err(internal)?;
    let mut lapsed = 0;
    for reg in due {
        let note = match status_of(&reg)? {
            RegistrationStatus::Reserved => notes::RESERVATION_LAPSED,
            _ => notes::OFFER_EXPIRED,
        };
        let txn = begin_write(db).await.map_err(internal)?;
        if close(
            &txn,
            &reg,
            Move::to(RegistrationStatus::Cancelled, None, note),
            now,
        )
        .await?
        .is_some()
        {
            lapsed += 1;
        }
        txn.commit().await.map_err(internal)?;
    }
    Ok(lapsed)
}

pub fn spawn_sweeper(
    db: DatabaseConnection,
    changes: Arc<crate::domain::cache::Changes>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            crate::domain::workers::ran("tickets: lapse reservations and offers", Utc::now());
            match sweep(&db, Utc::now()).await {
                Ok(n) if n > 0 => {
                    changes.bump();
                    tracing::info!(lapsed = n, "reservations and offers lapsed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reservation sweep failed"),
            }
        }
    })
}
