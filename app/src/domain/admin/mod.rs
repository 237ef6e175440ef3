//! The platform admin area: people (roles, suspensions) and the audit log every admin action
//! is written to.
pub mod audit;
pub mod organizations;
pub mod people;
pub mod reports;
pub mod status;
