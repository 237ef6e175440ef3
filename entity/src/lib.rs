//! SeaORM entities, one file per table. Shared by the server, the migrations' tests and the CLI.
pub mod appeal;
pub mod attendance;
pub mod event;
pub mod event_image;
pub mod event_review;
pub mod event_revision;
pub mod event_transition;
pub mod flag;
pub mod outbox;
pub mod reputation_change;
pub mod session;
pub mod spam_model;
pub mod submission;
pub mod user;
