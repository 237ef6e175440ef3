use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use crate::{domain::context::internal, error::AppError, i18n::td_string, model::language::Locale};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Hashes with argon2id (the crate's default parameters) on the blocking pool: a hash takes tens
/// of milliseconds of CPU and must not stall the async workers.
pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(internal)
    })
    .await
    .map_err(internal)?
}

pub async fn verify(password: &str, stored: &str) -> Result<bool, AppError> {
    let password = password.to_owned();
    let stored = stored.to_owned();
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored).map_err(internal)?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(internal)?
}

/// Whether a password is long enough and not absurdly long; the error is in `locale`.
pub fn check_strength(password: &str, locale: Locale) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(td_string!(locale, accounts.fields.at_least, min = MIN_LEN));
    }
    if len > MAX_LEN {
        return Err(td_string!(locale, accounts.fields.at_most, max = MAX_LEN));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored).await.unwrap());
        assert!(!verify("correct horse battery!", &stored).await.unwrap());
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert_eq!(
            check_strength("short", Locale::en),
            Err("Use at least 10 characters.".to_owned())
        );
        assert_eq!(
            check_strength(&"x".repeat(MAX_LEN + 1), Locale::en),
            Err("Use at most 128 characters.".to_owned())
        );
        assert!(check_strength("long enough pass", Locale::de).is_ok());
    }
}
