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
pub mod stripe_webhook;
pub mod unsubscribe;
pub mod views;
