//! Write transactions that wait their turn instead of failing on SQLite.
//!
//! SQLite (WAL) allows one writer. A deferred transaction that reads first and writes later
//! holds a snapshot; if another connection commits in between, its first write fails at once
//! with "database is locked" (`SQLITE_BUSY_SNAPSHOT`) — the busy timeout cannot help, because
//! waiting would not make the snapshot current. `BEGIN IMMEDIATE` takes the write lock up front,
//! so a second writer waits (up to the busy timeout) and then reads current data. Postgres
//! ignores the mode.
use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

/// Begins a transaction that will write: `BEGIN IMMEDIATE` on SQLite, a plain `BEGIN` on
/// Postgres.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
