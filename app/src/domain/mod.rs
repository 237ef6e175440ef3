//! Rules and use-cases. Server only: plain async functions over explicit dependencies, no HTTP.
pub mod accounts;
pub mod cache;
pub mod client;
pub mod context;
pub mod curation;
pub mod discovery;
pub mod events;
pub mod forms;
pub mod graph;
pub mod notifications;
pub mod outbox;
pub mod platform_keys;
pub mod recs;
pub mod social;
pub mod ticketing;
pub mod transaction;
