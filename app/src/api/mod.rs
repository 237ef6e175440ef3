//! Server functions: the doorways. Each parses its input, authorizes, calls the domain and maps
//! errors. The types they take and return live in `crate::model`.
pub mod accounts;
pub mod curation;
pub mod discovery;
pub mod events;
pub mod notifications;
pub mod social;
pub mod ticketing;
