//! The concurrency guard: seats are taken and given back only by conditional updates,
//!
//! ```sql
//! UPDATE ticket_types SET taken = taken + :n WHERE id = :id AND taken + :n <= quantity;
//! UPDATE events SET seats_taken = seats_taken + :n WHERE id = :event AND seats_taken + :n <= capacity;
//! ```
//!
//! run inside the transaction that changes the registration. Each update checks and writes in
//! one statement on the row it locks. On Postgres (read committed) a second writer waits for
//! the row lock and re-checks the condition against the committed row; SQLite has one writer
//! at a time. Either way two registrations can never both see the last seat, and since each
//! transaction's first statement is a write, SQLite takes its write lock at once instead of
//! failing to upgrade a read. Ticket types are always locked before their event, so two such
//! transactions cannot deadlock.
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::{domain::context::internal, error::AppError};
use entity::{event, ticket_type};

/// Takes `n` seats of the ticket type and of its event; `false` (and nothing taken) when either
/// has fewer left.
pub async fn take<C: ConnectionTrait>(
    db: &C,
    ticket_type: &ticket_type::Model,
    n: i32,
) -> Result<bool, AppError> {
    let of_type = ticket_type::Entity::update_many()
        .col_expr(
            ticket_type::Column::Taken,
            Expr::col(ticket_type::Column::Taken).add(n),
        )
        .filter(ticket_type::Column::Id.eq(ticket_type.id))
        .filter(
            Expr::col(ticket_type::Column::Taken)
                .add(n)
                .lte(Expr::col(ticket_type::Column::Quantity)),
        )
        .exec(db)
        .await
        .map_err(internal)?;
    if of_type.rows_affected != 1 {
        return Ok(false);
    }
    let of_event = event::Entity::update_many()
        .col_expr(
            event::Column::SeatsTaken,
            Expr::col(event::Column::SeatsTaken).add(n),
        )
        .filter(event::Column::Id.eq(ticket_type.event_id))
        .filter(
            Expr::col(event::Column::SeatsTaken)
                .add(n)
                .lte(Expr::col(event::Column::Capacity)),
        )
        .exec(db)
        .await
        .map_err(internal)?;
    if of_event.rows_affected != 1 {
        give_back_of_type(db, ticket_type.id, n).await?;
        return Ok(false);
    }
    Ok(true)
}

/// Returns `n` seats to the ticket type and its event.
pub async fn give_back<C: ConnectionTrait>(
    db: &C,
    ticket_type_id: i32,
    event_id: i32,
    n: i32,
) -> Result<(), AppError> {
    give_back_of_type(db, ticket_type_id, n).await?;
    event::Entity::update_many()
        .col_expr(
            event::Column::SeatsTaken,
            Expr::col(event::Column::SeatsTaken).sub(n),
        )
        .filter(event::Column::Id.eq(event_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

async fn give_back_of_type<C: ConnectionTrait>(
    db: &C,
    ticket_type_id: i32,
    n: i32,
) -> Result<(), AppError> {
    ticket_type::Entity::update_many()
        .col_expr(
            ticket_type::Column::Taken,
            Expr::col(ticket_type::Column::Taken).sub(n),
        )
        .filter(ticket_type::Column::Id.eq(ticket_type_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}
