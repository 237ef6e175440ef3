//! Getting back into an account and keeping its address true: confirming the address, resetting
//! a forgotten password, moving to a new address, ending every session. Links go out by mail
//! through the notification pipeline (stored with the change, retried, sent once).
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use super::{
    language, password,
    sign_up::{email_taken, normalize_email_in},
    tokens::{self, Purpose},
};
use crate::{
    domain::{
        context::internal,
        notifications::{compose::Draft, notifier},
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, notifications::Kind},
};
use entity::{session, user};

/// Queues an account mail to `to`: kept out of the in-app list (no recipient account), and
/// stripped of its link once sent. `title` and `body` are in the reader's language (the
/// account's; English for an address without one).
pub async fn mail<C: ConnectionTrait>(
    db: &C,
    key: String,
    to: &str,
    title: String,
    body: String,
    link: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notifier::insert_drafts(
        db,
        vec![Draft {
            user_id: None,
            email: to.to_owned(),
            kind: Kind::Account,
            dedupe_key: key,
            title,
            body,
            link,
            event_id: None,
        }],
        now,
    )
    .await
    .map(|_| ())
}

/// Sends `account` a link that confirms its current address. A refusal is in `locale` (the
/// page's); the mail in the account's language.
pub async fn send_verification<C: ConnectionTrait>(
    db: &C,
    account: &user::Model,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let (token, raw) = tokens::issue(
        db,
        account.id,
        Purpose::VerifyEmail,
        Some(account.email.clone()),
        now,
        locale,
    )
    .await?;
    let locale = language::of_user(account);
    mail(
        db,
        format!("account_token:{}", token.id),
        &account.email,
        td_string!(locale, mail.account.verify_title).into(),
        td_string!(locale, mail.account.verify, name = &account.display_name),
        format!("/email/verify?token={raw}"),
        now,
    )
    .await
}

/// Confirms the address the link was sent to, if the account still uses it; refusals are in
/// `locale`.
pub async fn verify_email<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    raw: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<user::Model, AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    let token = tokens::redeem(&txn, raw, Purpose::VerifyEmail, now, locale).await?;
    let account = crate::domain::context::find::<user::Entity, _>(&txn, token.user_id).await?;
    if token.new_email.as_deref() != Some(account.email.as_str()) {
        return Err(AppError::Refused(
            td_string!(locale, accounts.recovery.address_moved).into(),
        ));
    }
    let mut active: user::ActiveModel = account.into();
    active.email_verified_at = Set(Some(now));
    let account = active.update(&txn).await.map_err(internal)?;
    txn.commit().await.map_err(internal)?;
    Ok(account)
}

/// Sends a reset link when an account uses `email`; says the same either way, and (so as not
/// to tell) says nothing about a limit reached either. A malformed address is refused in
/// `locale`.
pub async fn request_reset<C: ConnectionTrait>(
    db: &C,
    email: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let email = normalize_email_in(email, locale).map_err(|e| AppError::field("email", e))?;
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(());
    };
    let issued = tokens::issue(db, account.id, Purpose::ResetPassword, None, now, locale).await;
    let (token, raw) = match issued {
        Ok(issued) => issued,
        Err(AppError::TooMany(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    let locale = language::of_user(&account);
    mail(
        db,
        format!("account_token:{}", token.id),
        &account.email,
        td_string!(locale, mail.account.reset_title).into(),
        td_string!(locale, mail.account.reset).into(),
        format!("/password/reset?token={raw}"),
        now,
    )
    .await
}

/// Sets a new password from a reset link and ends every session of the account; the caller
/// signs the person in afresh. Refusals are in `locale`.
pub async fn reset_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    raw: &str,
    new_password: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<user::Model, AppError> {
    // checked first, so a weak choice does not use the link up
    password::check_strength(new_password, locale).map_err(|e| AppError::field("password", e))?;
    let hash = password::hash(new_password).await?;
    let txn = begin_write(db).await.map_err(internal)?;
    let token = tokens::redeem(&txn, raw, Purpose::ResetPassword, now, locale).await?;
    let account = crate::domain::context::find::<user::Entity, _>(&txn, token.user_id).await?;
    let mut active: user::ActiveModel = account.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(now);
    // the mailbox was reached: that confirms the address too
    active.email_verified_at = Set(Some(now));
    let account = active.update(&txn).await.map_err(internal)?;
    end_sessions(&txn, account.id).await?;
    txn.commit().await.map_err(internal)?;
    Ok(account)
}

/// Starts moving `account` to `new_email`: the current password must be given, and the new
/// address confirms the move from the link sent to it. Refusals are in `locale` (the page's);
/// the mail in the account's language.
pub async fn request_email_change<C: ConnectionTrait>(
    db: &C,
    account: &user::Model,
    new_email: &str,
    current_password: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let email =
        normalize_email_in(new_email, locale).map_err(|e| AppError::field("new_email", e))?;
    if !password::verify(current_password, &account.password_hash).await? {
        return Err(AppError::field(
            "password",
            td_string!(locale, accounts.recovery.wrong_password),
        ));
    }
    if email == account.email {
        return Err(AppError::field(
            "new_email",
            td_string!(locale, accounts.recovery.same_address),
        ));
    }
    if email_taken(db, &email).await? {
        return Err(AppError::field(
            "new_email",
            td_string!(locale, accounts.recovery.address_taken),
        ));
    }
    let (token, raw) = tokens::issue(
        db,
        account.id,
        Purpose::ChangeEmail,
        Some(email.clone()),
        now,
        locale,
    )
    .await?;
    let locale = language::of_user(account);
    mail(
        db,
        format!("account_token:{}", token.id),
        &email,
        td_string!(locale, mail.account.change_title).into(),
        td_string!(locale, mail.account.change, name = &account.display_name),
        format!("/email/change?token={raw}"),
        now,
    )
    .await
}

/// Moves the account to the address the link was sent to, and tells the old address (in the
/// account's language). Refusals are in `locale`.
pub async fn confirm_email_change<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    raw: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<user::Model, AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    let token = tokens::redeem(&txn, raw, Purpose::ChangeEmail, now, locale).await?;
    let new_email = token
        .new_email
        .clone()
        .ok_or_else(|| internal("a change_email token without an address"))?;
    if email_taken(&txn, &new_email).await? {
        return Err(AppError::Refused(
            td_string!(locale, accounts.recovery.address_taken_now).into(),
        ));
    }
    let account = crate::domain::context::find::<user::Entity, _>(&txn, token.user_id).await?;
    let old = account.email.clone();
    let locale = language::of_user(&account);
    let mut active: user::ActiveModel = account.into();
    active.email = Set(new_email.clone());
    active.email_verified_at = Set(Some(now));
    active.updated_at = Set(now);
    let account = active.update(&txn).await.map_err(internal)?;
    mail(
        &txn,
        format!("account_token:{}:old", token.id),
        &old,
        td_string!(locale, mail.account.changed_title).into(),
        td_string!(locale, mail.account.changed, email = &new_email),
        "/signin".into(),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal)?;
    Ok(account)
}

/// Deletes every stored session of the account (sign out everywhere, a password reset).
pub async fn end_sessions<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<u64, AppError> {
    let done = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(done.rows_affected)
}

/// Whether an account's reports and reviews count, and whether it may publish: a confirmed
/// address.
pub fn verified(account: &user::Model) -> bool {
    account.email_verified_at.is_some()
}
