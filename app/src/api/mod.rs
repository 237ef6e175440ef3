//! Server functions and the data types both sides share. No database types cross this line.
pub mod accounts;
pub mod curation;
pub mod events;
pub mod flash;
pub mod taxonomy;
