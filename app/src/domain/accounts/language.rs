//! A person's language: kept on the account for mail and for the next sign-in, and in the
//! browser's cookie for the pages it is shown.
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::{
    domain::context::internal,
    error::AppError,
    model::language::{parse, Locale, LANGUAGE_COOKIE},
};
use entity::user;
use leptos_i18n::Locale as _;

/// A year: a choice is remembered until it is changed again.
const COOKIE_MAX_AGE: u32 = 365 * 24 * 3600;

/// The language of the page being answered (see [`crate::model::language`]).
pub fn of_request() -> Locale {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| crate::model::language::from_headers(&parts.headers))
        .unwrap_or_default()
}

/// Says which language a rendered page is in, and that another cookie or `Accept-Language`
/// may get another one.
pub fn announce(locale: Locale) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(
            http::header::CONTENT_LANGUAGE,
            http::HeaderValue::from_static(locale.as_str()),
        );
        options.append_header(
            http::header::VARY,
            http::HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
}

/// The language mail to this person is written in: theirs, or English.
pub fn of_user(user: &user::Model) -> Locale {
    user.locale.as_deref().and_then(parse).unwrap_or_default()
}

/// The languages of a set of accounts, in one query (for mail to many people).
pub async fn of_users<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, Locale>, AppError> {
    super::names::of_users(db, ids, |u| of_user(&u)).await
}

pub async fn save<C: ConnectionTrait>(
    db: &C,
    user: user::Model,
    locale: Locale,
) -> Result<user::Model, AppError> {
    if user.locale.as_deref() == Some(locale.as_str()) {
        return Ok(user);
    }
    let mut active: user::ActiveModel = user.into();
    active.locale = Set(Some(locale.as_str().to_owned()));
    active.updated_at = Set(chrono::Utc::now());
    active.update(db).await.map_err(internal)
}

/// Sets the language cookie on the response being built.
pub fn remember_in_browser(locale: Locale, secure: bool) {
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly{}",
        locale.as_str(),
        if secure { "; Secure" } else { "" }
    );
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

/// A signed-in person's saved language follows them to this browser.
pub fn bring_to_browser(user: &user::Model, secure: bool) {
    if let Some(locale) = user.locale.as_deref().and_then(parse) {
        remember_in_browser(locale, secure);
    }
}
