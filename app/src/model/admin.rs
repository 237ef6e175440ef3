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

/// One outbox topic's backlog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRow {
    pub topic: String,
    pub pending: i64,
    pub retrying: i64,
    /// How long the oldest waiting row has waited ("3 s", "2 h").
    pub oldest: String,
    pub last_error: Option<String>,
}

/// `/admin/status`: whether the platform's moving parts keep up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemStatus {
    pub outbox: Vec<TopicRow>,
    /// Mail and push deliveries that failed for good in the last 7 days, and the newest error.
    pub failed_deliveries: i64,
    pub last_delivery_error: Option<String>,
    /// Deliveries waiting to be retried.
    pub retrying_deliveries: i64,
    pub search_backend: String,
    /// Documents the index answers with, and events that should be searchable.
    pub search_documents: u64,
    pub searchable_events: u64,
    pub graph_backend: String,
    /// Graph writes waiting in the outbox.
    pub graph_pending: i64,
    /// (worker, last run, how long ago), in this process.
    pub workers: Vec<(String, String, String)>,
    /// Reports and appeals waiting for curators.
    pub open_reports: u64,
    pub open_appeals: u64,
}

/// An organization in the admin's search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOrgRow {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub personal: bool,
    /// Its owners' addresses.
    pub owners: String,
}

/// An event in the admin's search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminEventRow {
    pub id: i32,
    pub title: String,
    pub status: String,
    pub starts: String,
    pub cancellable: bool,
}

/// `/admin/organizations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOrgsPage {
    pub q: String,
    pub organizations: Vec<AdminOrgRow>,
    pub events: Vec<AdminEventRow>,
    /// A refused action's fields, after a post.
    pub state: FormState,
}

/// A report or an appeal waiting for curators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub submission_id: i32,
    /// "Hidden by community flags" or "Appeal".
    pub kind: String,
    pub event_id: i32,
    pub title: String,
    pub organization: String,
    /// Open reports on the event.
    pub reports: usize,
    /// How long it has waited.
    pub waiting: String,
    /// The curator who claimed it, if one did.
    pub with: Option<String>,
}
