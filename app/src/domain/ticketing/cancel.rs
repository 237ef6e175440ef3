//! People cancelling their own registration.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::{
    domain::ticketing::{
        notes,
        registrations::{changed, close_now, held_by, status_of, Move},
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, ticketing::RegistrationStatus},
};
use entity::{registration, user};

/// Holders may drop anything not yet paid for; a paid ticket is refunded by the organizer.
pub fn holder_may_cancel(reg: &registration::Model, status: RegistrationStatus) -> bool {
    use RegistrationStatus as S;
    match status {
        S::PendingApproval | S::Waitlisted | S::Offered | S::Reserved => true,
        S::Confirmed => reg.amount_minor == 0,
        _ => false,
    }
}

pub async fn by_holder<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let reg = held_by(db, user, id).await?;
    let status = status_of(&reg)?;
    if !holder_may_cancel(&reg, status) {
        return Err(AppError::Refused(match status {
            RegistrationStatus::Confirmed => td_string!(locale, tickets.cancel.paid).into(),
            other => td_string!(
                locale,
                tickets.cancel.closed,
                status = other.label_in(locale).to_lowercase()
            ),
        }));
    }
    close_now(
        db,
        &reg,
        Move::to(
            RegistrationStatus::Cancelled,
            Some(user.id),
            notes::CANCELLED_BY_ATTENDEE,
        ),
        changed(locale),
        now,
    )
    .await?;
    Ok(())
}
