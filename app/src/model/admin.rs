//! The platform admin area's pages.
use serde::{Deserialize, Serialize};

use crate::model::{forms::FormState, taxonomy::Role};

/// One person in the admin's people search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub verified: bool,
    pub reputation: i32,
    /// The reason, while suspended.
    pub suspended: Option<String>,
    pub joined: String,
}

/// `/admin/people`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPeoplePage {
    pub q: String,
    pub people: Vec<PersonRow>,
    pub me: i32,
    /// A refused action's reason field, after a post.
    pub state: FormState,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: String,
    pub details: String,
}

/// `/admin/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub page: u64,
    pub more: bool,
    pub rows: Vec<AuditRow>,
}
