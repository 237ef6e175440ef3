pub mod event_card;
pub mod form;
pub mod islands;
pub mod layout;
pub mod scores;
pub mod search;
pub mod status;
pub mod tickets;
