//! Organizations own events; their members act on them by role. Every permission check within
//! an organization goes through `access::permits`.
pub mod access;
pub mod calendar;
pub mod follows;
pub mod invitations;
pub mod payouts;
pub mod personal;
pub mod profile;
pub mod slug;
pub mod team;
