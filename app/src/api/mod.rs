//! Server functions and the data types both sides share. No database types cross this line.
pub mod accounts;
pub mod admin;
pub mod events;
pub mod flash;
pub mod taxonomy;
