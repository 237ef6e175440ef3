//! Single-use links sent by mail: confirming an address, resetting a password, moving an account
//! to a new address. Only a SHA-256 of each token is stored, so the table leaks nothing usable;
//! a token works once, before it expires, for the purpose it was made for.
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::{domain::context::internal, error::AppError, i18n::td_string, model::language::Locale};
use entity::account_token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail | Purpose::ChangeEmail => Duration::hours(48),
            Purpose::ResetPassword => Duration::hours(1),
        }
    }
}

/// Links of one purpose one account may ask for per hour.
pub const PER_HOUR: u64 = 3;

/// What is stored of a token: its SHA-256, in hex.
pub fn digest(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

/// 32 random bytes in hex: a token for a link.
pub fn new_raw() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `raw` could be a token `new_raw` made (anything else is refused unread).
pub fn well_formed(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A new token for `user`; returns the raw token, which exists only in the mail. Refused (in
/// `locale`) with 429 when the account asked for this purpose `PER_HOUR` times in the last hour.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    user: i32,
    purpose: Purpose,
    new_email: Option<String>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(account_token::Model, String), AppError> {
    let recent = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(user))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db)
        .await
        .map_err(internal)?;
    if recent >= PER_HOUR {
        return Err(AppError::TooMany(
            td_string!(locale, accounts.tokens.too_many).into(),
        ));
    }
    let raw = new_raw();
    let row = account_token::ActiveModel {
        user_id: Set(user),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(digest(&raw)),
        new_email: Set(new_email),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok((row, raw))
}

/// Uses a token: the one update that marks it used succeeds for exactly one caller, only while
/// it is unused and unexpired. Anything else (unknown, used, expired, another purpose) is the
/// same refusal (in `locale`), so a guess learns nothing.
pub async fn redeem<C: ConnectionTrait>(
    db: &C,
    raw: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<account_token::Model, AppError> {
    let refused = || AppError::Refused(td_string!(locale, accounts.tokens.expired).into());
    if !well_formed(raw) {
        return Err(refused());
    }
    let hash = digest(raw);
    let used = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(account_token::Column::TokenHash.eq(&hash))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await
        .map_err(internal)?;
    if used.rows_affected != 1 {
        return Err(refused());
    }
    account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(hash))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or_else(refused)
}
