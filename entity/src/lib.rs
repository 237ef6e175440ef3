//! SeaORM entities, one file per table. Shared by the server, the migrations' tests and the CLI.
pub mod event;
pub mod event_image;
pub mod event_revision;
pub mod session;
pub mod user;
