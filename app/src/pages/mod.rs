pub mod accounts;
pub mod curation;
pub mod events;
pub mod home;
pub mod not_found;
pub mod search;
pub mod social;
pub mod ticketing;
