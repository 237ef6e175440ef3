//! Ticketing: ticket types, registrations and their seats, payments, the waitlist, approvals,
//! tickets and check-in.
//!
//! Seats are counters (`ticket_types.taken`, `events.seats_taken`) changed only by guarded
//! updates inside the transaction that changes a registration's status (`seats.rs`), so the
//! counters and the statuses can never disagree and no interleaving can oversell.
pub mod cancel;
pub mod check_in;
pub mod checkout;
pub mod event_cancellation;
pub mod expiry;
pub mod guest_list;
pub mod guest_tickets;
pub mod money;
pub mod notes;
pub mod organizer_actions;
pub mod payments;
pub mod refunds;
pub mod register;
pub mod registrations;
pub mod seats;
pub mod ticket_types;
pub mod tickets;
pub mod waitlist;
pub mod webhooks;
