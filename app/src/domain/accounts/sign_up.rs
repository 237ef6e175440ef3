use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::{
    domain::{
        accounts::{password, store},
        context::{internal, unique_or_internal},
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{language::Locale, taxonomy::Role},
};
use entity::user;
use leptos_i18n::Locale as _;

pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
    /// The language the person signed up in: their mail's, until they pick another.
    pub locale: Option<Locale>,
}

/// Lower-cases and checks an email address: one `@`, a dotted domain, no spaces, sane length.
/// The error says in `locale` what an address looks like.
pub fn normalize_email_in(raw: &str, locale: Locale) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.contains('@') && domain.contains('.')
               && !domain.starts_with('.') && !domain.ends_with('.'));
    if valid {
        Ok(email)
    } else {
        Err(td_string!(locale, accounts.fields.invalid_email).to_owned())
    }
}

/// [`normalize_email_in`] with the error in English, for callers with no reader's language.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    normalize_email_in(raw, Locale::en)
}

/// The longest display name.
const NAME_MAX: usize = 60;

/// A trimmed display name; the error is in `locale`.
pub fn check_display_name(raw: &str, locale: Locale) -> Result<String, String> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err(td_string!(locale, accounts.sign_up.name_missing).to_owned()),
        n if n > NAME_MAX => Err(td_string!(locale, accounts.fields.at_most, max = NAME_MAX)),
        _ => Ok(name.to_owned()),
    }
}

/// Creates an account. Attendee and organizer are the roles anyone may choose. Refusals are in
/// the language the person signs up in.
pub async fn sign_up<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    input: NewAccount,
) -> Result<user::Model, AppError> {
    let locale = input.locale.unwrap_or_default();
    let mut errors = FieldErrors::new();
    let email = normalize_email_in(&input.email, locale)
        .map_err(|e| errors.insert("email".into(), e))
        .ok();
    let name = check_display_name(&input.display_name, locale)
        .map_err(|e| errors.insert("display_name".into(), e))
        .ok();
    if let Err(e) = password::check_strength(&input.password, locale) {
        errors.insert("password".into(), e);
    }
    if !matches!(input.role, Role::Attendee | Role::Organizer) {
        errors.insert(
            "role".into(),
            td_string!(locale, accounts.sign_up.choose_role).into(),
        );
    }
    let (Some(email), Some(name), true) = (email, name, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let password_hash = password::hash(&input.password).await?;
    insert_user(db, email, password_hash, name, input.role, input.locale).await
}

/// Whether an account uses `email` (already normalized).
pub async fn email_taken<C: ConnectionTrait>(db: &C, email: &str) -> Result<bool, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
        .map_err(internal)?
        .is_some())
}

/// Stores a new account; `locale` is its language, which a refusal is in too (English without).
pub async fn insert_user<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    email: String,
    password_hash: String,
    display_name: String,
    role: Role,
    locale: Option<Locale>,
) -> Result<user::Model, AppError> {
    let shown_in = locale.unwrap_or_default();
    if email_taken(db, &email).await? {
        return Err(AppError::field(
            "email",
            td_string!(shown_in, accounts.sign_up.email_taken),
        ));
    }
    let now = Utc::now();
    let account = user::ActiveModel {
        email: Set(email),
        password_hash: Set(password_hash),
        display_name: Set(display_name),
        role: Set(role.as_str().to_owned()),
        interests: Set(String::new()),
        reputation: Set(0),
        locale: Set(locale.map(|l| l.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // two sign-ups racing for one address: the unique index decides
    store::save(db, account, |e| {
        unique_or_internal(
            e,
            AppError::field("email", td_string!(shown_in, accounts.sign_up.email_exists)),
        )
    })
    .await
}

/// `lineup admin create`: makes `email` an admin, creating the account if needed.
/// Returns the user and whether it was created. The command line answers in English.
pub async fn ensure_admin<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    email: &str,
    password: &str,
) -> Result<(user::Model, bool), AppError> {
    let email = normalize_email(email).map_err(|e| AppError::field("email", e))?;
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?
    {
        let mut active: user::ActiveModel = existing.into();
        active.role = Set(Role::Admin.as_str().to_owned());
        active.updated_at = Set(Utc::now());
        return Ok((store::save(db, active, internal).await?, false));
    }
    password::check_strength(password, Locale::en).map_err(|e| AppError::field("password", e))?;
    let hash = password::hash(password).await?;
    let name = email.split('@').next().unwrap_or("admin").to_owned();
    Ok((
        insert_user(db, email, hash, name, Role::Admin, None).await?,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            normalize_email("  Ana@Example.COM ").unwrap(),
            "ana@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.com",
            "ana@x",
            "a b@x.com",
            "a@@x.com",
            "a@x.com.",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad} should be refused");
        }
    }
}
