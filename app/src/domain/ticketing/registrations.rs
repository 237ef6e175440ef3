//! A registration's status changes: each one a guarded update plus a history row, with the
//! seats it holds given back when it stops holding them.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{context::internal, graph, notifications, outbox, ticketing::seats},
    error::AppError,
    i18n::td_string,
    model::{language::Locale, ticketing::RegistrationStatus},
};
use entity::{registration, registration_change, ticket};

pub fn status_of(reg: &registration::Model) -> Result<RegistrationStatus, AppError> {
    RegistrationStatus::parse(&reg.status).ok_or_else(|| {
        internal(format!(
            "registration {} has an unknown status {:?}",
            reg.id, reg.status
        ))
    })
}

/// A registration of `user`'s; anyone else's is "not found", so ids reveal nothing.
pub async fn held_by<C: ConnectionTrait>(
    db: &C,
    user: &entity::user::Model,
    id: i32,
) -> Result<registration::Model, AppError> {
    let reg = crate::domain::context::find::<registration::Entity, _>(db, id).await?;
    if reg.user_id != Some(user.id) {
        return Err(AppError::NotFound);
    }
    Ok(reg)
}

/// The key that keeps one open registration per person and event.
pub fn holder_key_of(reg: &registration::Model) -> String {
    match reg.user_id {
        Some(id) => holder_key_of_user(id),
        None => holder_key_of_guest(&reg.email),
    }
}

pub fn holder_key_of_user(user_id: i32) -> String {
    format!("user:{user_id}")
}

pub fn holder_key_of_guest(email: &str) -> String {
    format!("guest:{}", email.trim().to_lowercase())
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
    from: Option<RegistrationStatus>,
    to: RegistrationStatus,
    actor: Option<i32>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let change = Change {
        registration_id,
        from,
        to,
        actor,
        note,
    };
    record_change(db, change, true, now).await
}

/// One row of a registration's history.
struct Change<'a> {
    registration_id: i32,
    from: Option<RegistrationStatus>,
    to: RegistrationStatus,
    actor: Option<i32>,
    note: &'a str,
}

async fn record_change<C: ConnectionTrait>(
    db: &C,
    change: Change<'_>,
    notify: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = registration_change::ActiveModel {
        registration_id: Set(change.registration_id),
        from_status: Set(change.from.map(|s| s.as_str().to_owned())),
        to_status: Set(change.to.as_str().to_owned()),
        actor_id: Set(change.actor),
        note: Set(change.note.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    // who is going, as the graph sees it
    outbox::enqueue(db, graph::sync::REGISTRATION, change.registration_id, now).await?;
    // and what the person (or a guest's mailbox) should hear about it
    if notify {
        outbox::enqueue(db, notifications::compose::REGISTRATION, row.id, now).await?;
    }
    Ok(())
}

/// One status change: who and why, and what else changes with it.
pub struct Move<'a> {
    pub to: RegistrationStatus,
    pub actor: Option<i32>,
    pub note: &'a str,
    /// Further column changes (expiry, checkout session, amounts).
    pub changes: registration::ActiveModel,
    /// Whether the person hears of this change on its own (`false` when one notice covers many
    /// changes, as when an event is cancelled).
    pub notify: bool,
}

impl<'a> Move<'a> {
    pub fn to(to: RegistrationStatus, actor: Option<i32>, note: &'a str) -> Move<'a> {
        Move {
            to,
            actor,
            note,
            changes: <registration::ActiveModel as Default>::default(),
            notify: true,
        }
    }

    /// No notice of its own: the caller tells the person another way.
    pub fn told_elsewhere(mut self) -> Move<'a> {
        self.notify = false;
        self
    }

    /// Charges what the ticket type costs now: a request or a waitlist place was made at the
    /// price of its day, and seats are paid at the price of theirs.
    pub fn priced(self, tt: &entity::ticket_type::Model, quantity: i32) -> Move<'a> {
        let (price, currency) = (tt.price_minor, tt.currency.clone());
        self.with(move |r| {
            r.amount_minor = Set(price * i64::from(quantity));
            r.currency = Set(currency);
        })
    }

    pub fn with(mut self, f: impl FnOnce(&mut registration::ActiveModel)) -> Move<'a> {
        f(&mut self.changes);
        self
    }
}

/// Moves `reg` from the status it was read with to `step.to`, only if nobody moved it since;
/// `Ok(None)` when somebody did. Seats are not touched here (see `close` and `seats`).
pub async fn transition<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    step: Move<'_>,
    now: DateTime<Utc>,
) -> Result<Option<registration::Model>, AppError> {
    let from = status_of(reg)?;
    let mut changes = step.changes;
    changes.id = NotSet;
    changes.status = Set(step.to.as_str().to_owned());
    changes.updated_at = Set(now);
    if !step.to.is_open() {
        changes.holder_key = Set(None);
        changes.expires_at = Set(None);
    }
    let moved = registration::Entity::update_many()
        .set(changes)
        .filter(registration::Column::Id.eq(reg.id))
        .filter(registration::Column::Status.eq(from.as_str()))
        .exec(db)
        .await
        .map_err(internal)?;
    if moved.rows_affected != 1 {
        return Ok(None);
    }
    let change = Change {
        registration_id: reg.id,
        from: Some(from),
        to: step.to,
        actor: step.actor,
        note: step.note,
    };
    record_change(db, change, step.notify, now).await?;
    registration::Entity::find_by_id(reg.id)
        .one(db)
        .await
        .map_err(internal)
}

/// `transition`, or the message people see when the registration changed under them.
pub async fn transition_or_refuse<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    step: Move<'_>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<registration::Model, AppError> {
    transition(db, reg, step, now)
        .await?
        .ok_or_else(|| AppError::Refused(changed(locale).into()))
}

/// Closes a registration (cancelled, declined, refunded): its seats go back, its valid tickets
/// are voided, and the next people on the waitlist are offered what freed. `Ok(None)` when it
/// had moved on already.
pub async fn close<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    step: Move<'_>,
    now: DateTime<Utc>,
) -> Result<Option<registration::Model>, AppError> {
    debug_assert!(!step.to.is_open());
    let held = status_of(reg)?.holds_seats();
    let to = step.to;
    let Some(closed) = transition(db, reg, step, now).await? else {
        return Ok(None);
    };
    let voided = if to == RegistrationStatus::Refunded {
        "refunded"
    } else {
        "cancelled"
    };
    // voided first, and their number given back: a refund of one ticket racing this close
    // has either voided it already (and returned its seat) or waits for this one
    let had_tickets = has_tickets(db, reg.id).await?;
    let voided_now = void_tickets(db, reg.id, voided).await?;
    if held {
        let seats = if had_tickets {
            voided_now as i32
        } else {
            reg.quantity
        };
        if seats > 0 {
            seats::give_back(db, reg.ticket_type_id, reg.event_id, seats).await?;
            super::waitlist::offer_freed(db, reg.ticket_type_id, now).await?;
        }
    }
    Ok(Some(closed))
}

/// `close` in a transaction of its own; refused (with `changed`) when the registration had moved
/// on already.
pub async fn close_now<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    reg: &registration::Model,
    step: Move<'_>,
    changed: &str,
    now: DateTime<Utc>,
) -> Result<registration::Model, AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    let closed = close(&txn, reg, step, now)
        .await?
        .ok_or_else(|| AppError::Refused(changed.to_owned()))?;
    txn.commit().await.map_err(internal)?;
    Ok(closed)
}

/// What people are told when a registration changed under them.
pub fn changed(locale: Locale) -> &'static str {
    td_string!(locale, tickets.registrations.changed)
}

async fn has_tickets<C: ConnectionTrait>(db: &C, registration_id: i32) -> Result<bool, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(ticket::Entity::find()
        .filter(ticket::Column::RegistrationId.eq(registration_id))
        .count(db)
        .await
        .map_err(internal)?
        > 0)
}

/// Adds to what was refunded, in the database, so concurrent refunds add up.
pub async fn add_refunded<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    registration::Entity::update_many()
        .col_expr(
            registration::Column::RefundedMinor,
            Expr::col(registration::Column::RefundedMinor).add(amount),
        )
        .col_expr(registration::Column::UpdatedAt, Expr::value(now))
        .filter(registration::Column::Id.eq(registration_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

pub async fn void_tickets<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
    status: &str,
) -> Result<u64, AppError> {
    use sea_orm::sea_query::Expr;
    Ok(ticket::Entity::update_many()
        .col_expr(ticket::Column::Status, Expr::value(status))
        .filter(ticket::Column::RegistrationId.eq(registration_id))
        .filter(ticket::Column::Status.eq("valid"))
        .exec(db)
        .await
        .map_err(internal)?
        .rows_affected)
}
