use std::time::Instant;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{
        accounts::{password, sign_up::normalize_email, throttle::SignInThrottle},
        context::internal,
    },
    error::AppError,
    i18n::td_string,
    model::language::Locale,
};
use entity::user;

/// A valid argon2id hash of a random password. Checking unknown emails against it costs the same
/// time as checking a real account, so response times do not reveal which emails exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0M8rNXR3uKHXAyjn4HbGNUPZuzpA4eDhR2S0jGmFtbI";

/// Checks credentials, throttling repeated failures per account from this client and per client
/// address (`client` is `ClientAddress::key`). Refusals are in `locale`.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    throttle: &SignInThrottle,
    email: &str,
    password_attempt: &str,
    client: &str,
    locale: Locale,
) -> Result<user::Model, AppError> {
    let wrong = || AppError::Refused(td_string!(locale, accounts.sign_in.wrong).into());
    let email = normalize_email(email).map_err(|_| wrong())?;
    let email_key = format!("account:{email} client:{client}");
    let client_key = format!("client:{client}");
    let now = Instant::now();
    throttle
        .per_account_from_client
        .check(&email_key, now)
        .map_err(AppError::Throttled)?;
    throttle
        .per_client
        .check(&client_key, now)
        .map_err(AppError::Throttled)?;
    // Counted before the (slow) password check, so guesses sent in parallel cannot all slip
    // through before the first failure is recorded; a success clears the count again.
    let locked = [
        throttle
            .per_account_from_client
            .record_failure(&email_key, now),
        throttle.per_client.record_failure(&client_key, now),
    ];
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?;
    let stored = found
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(DUMMY_HASH);
    let matches = password::verify(password_attempt, stored).await? && found.is_some();
    match found {
        Some(user) if matches => {
            throttle.per_account_from_client.record_success(&email_key);
            throttle.per_client.forgive_one(&client_key);
            // said only to whoever knows the password
            if user.suspended_at.is_some() {
                return Err(AppError::Refused(td_string!(
                    locale,
                    accounts.sign_in.suspended,
                    reason = user.suspension_reason.as_deref().unwrap_or("")
                )));
            }
            Ok(user)
        }
        _ => {
            // say so at once when this failure started a lock-out
            match locked.into_iter().flatten().max() {
                Some(seconds) => Err(AppError::Throttled(seconds)),
                None => Err(wrong()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dummy_hash_is_well_formed_so_unknown_emails_cost_a_full_check() {
        assert!(!password::verify("anything", DUMMY_HASH).await.unwrap());
    }
}
