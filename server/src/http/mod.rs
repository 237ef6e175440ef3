//! Routes that are not server functions, and the middleware around every request.
pub mod calendar;
pub mod client;
pub mod dashboard_csv;
pub mod guard;
pub mod guests_csv;
pub mod health;
pub mod live;
pub mod media;
pub mod metrics;
pub mod page_cache;
pub mod rate_limit;
pub mod sitemap;
pub mod stripe_webhook;
pub mod unsubscribe;
pub mod views;

/// A refusal as the response: the error's status and its message as plain text, in `locale`.
pub fn refuse(
    err: app::error::AppError,
    locale: app::model::language::Locale,
) -> axum::response::Response {
    use axum::{http::StatusCode, response::IntoResponse};
    (
        StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        err.message_in(locale),
    )
        .into_response()
}
