//! Routes that are not server functions, and the middleware around every request.
pub mod calendar;
pub mod guard;
pub mod health;
pub mod media;
pub mod metrics;
pub mod page_cache;
