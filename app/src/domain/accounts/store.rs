//! Every write of an account goes through here, so the graph's copy of it (name, city,
//! interests, privacy) follows in the same transaction.
use crate::domain::transaction::begin_write;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{context::internal, graph, outbox},
    error::AppError,
};
use entity::user;

/// Inserts the account when its id is not set, updates it otherwise; `on_error` maps a failed
/// write (a unique email, say).
pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    account: user::ActiveModel,
    on_error: impl FnOnce(sea_orm::DbErr) -> AppError,
) -> Result<user::Model, AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    let saved = match account.id {
        ActiveValue::NotSet => account.insert(&txn).await,
        _ => account.update(&txn).await,
    }
    .map_err(on_error)?;
    outbox::enqueue(&txn, graph::sync::USER, saved.id, Utc::now()).await?;
    txn.commit().await.map_err(internal)?;
    Ok(saved)
}
