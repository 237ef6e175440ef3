//! Integration tests: the real server over HTTP, one binary (see STYLE.md).
mod accounts;
mod caching;
mod curation;
mod discovery;
mod discovery_contract;
mod events;
mod helpers;
mod live;
mod notifications;
mod operations;
mod push;
mod push_stub;
mod recovery;
mod smtp_sink;
mod social;
mod stripe_stub;
mod ticketing;
