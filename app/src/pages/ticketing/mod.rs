pub mod check_in;
pub mod guest_tickets;
pub mod guests;
pub mod my_tickets;
pub mod registration;
pub mod ticket_types;
