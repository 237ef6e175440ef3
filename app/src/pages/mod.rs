pub mod accounts;
pub mod admin;
pub mod events;
pub mod home;
pub mod not_found;
