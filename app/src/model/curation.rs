//! Curation's shared types: decisions and their reasons, the review queue, a submission under
//! review, an event's history, appeals and flags.
use serde::{Deserialize, Serialize};

slug_enum!(
    /// What pre-screening suggests.
    Recommendation {
        FastTrack = "fast_track", "Fast track";
        Normal = "normal", "Normal review";
        LikelyReject = "likely_reject", "Likely reject";
    }
);

slug_enum!(
    /// Why an event is in the queue.
    SubmissionKind {
        New = "new", "New submission";
        Edit = "edit", "Edit of a published event";
        Flagged = "flagged", "Hidden by community flags";
        Appeal = "appeal", "Appeal";
    }
);

slug_enum!(
    Decision {
        Approve = "approve", "Approved";
        NeedsRevision = "needs_revision", "Revision requested";
        Reject = "reject", "Rejected";
    }
);

slug_enum!(
    /// Why a curator rejected; `spam` rejections teach the spam model.
    RejectReason {
        Spam = "spam", "Spam or scam";
        Duplicate = "duplicate", "Duplicate";
        LowQuality = "low_quality", "Low quality";
        Policy = "policy", "Against the guidelines";
        Other = "other", "Other";
    }
);

slug_enum!(
    FlagReason {
        Spam = "spam", "Spam or scam";
        Misleading = "misleading", "Misleading or wrong details";
        Inappropriate = "inappropriate", "Inappropriate content";
        Duplicate = "duplicate", "Duplicate of another event";
        Other = "other", "Something else";
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreView {
    pub label: String,
    /// 0 to 100.
    pub percent: u32,
    /// Whether a high value is bad (spam, duplicate risk).
    pub risk: bool,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub submission_id: i32,
    pub version: i32,
    pub event_id: i32,
    pub title: String,
    pub organizer_name: String,
    pub organizer_reputation: i32,
    pub kind: SubmissionKind,
    pub category_label: String,
    pub when: String,
    pub overall: u32,
    pub spam: u32,
    pub duplicate: u32,
    pub recommendation: Recommendation,
    pub priority: u32,
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueMetrics {
    pub waiting: u64,
    pub in_review: u64,
    pub decided_30_days: u64,
    pub median_hours_to_decision: Option<f64>,
    /// Percent of the last 30 days' decisions that approved.
    pub approval_rate: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Which page of `queue::PAGE` rows this is, from 0, and whether another follows.
    pub page: u32,
    pub more: bool,
    pub metrics: QueueMetrics,
    pub kind: Option<String>,
    pub recommendation: Option<String>,
    pub category: Option<String>,
}

/// One side of the review screen: the submitted version, or its suspected twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSide {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub when: String,
    pub place: String,
    pub organizer_name: String,
    pub status_label: String,
    pub cover_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastDecision {
    pub event_title: String,
    pub decision: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizerRecord {
    pub name: String,
    pub reputation: i32,
    pub member_since: String,
    pub events: u64,
    pub approved: u64,
    pub rejected: u64,
    pub revisions_requested: u64,
    pub rating: Option<String>,
    pub recent: Vec<PastDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub label: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagView {
    pub reason: String,
    pub text: String,
    pub weight: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecidedView {
    pub by: String,
    pub decision: String,
    pub note: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub id: i32,
    pub version: i32,
    pub kind: SubmissionKind,
    pub in_review_by: Option<String>,
    pub decided: Option<DecidedView>,
    /// Why this curator cannot decide it, if they cannot.
    pub blocked: Option<String>,
    pub event: EventSide,
    pub twin: Option<EventSide>,
    pub recommendation: Recommendation,
    pub scores: Vec<ScoreView>,
    pub changes: Vec<ChangeView>,
    pub flags: Vec<FlagView>,
    pub appeal_text: Option<String>,
    pub organizer: OrganizerRecord,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub number: i32,
    pub when: String,
    pub editor: String,
    /// What this revision changed compared with the one before it.
    pub changes: Vec<ChangeView>,
    pub live: bool,
    pub pending: bool,
    pub can_roll_back: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealOption {
    pub submission_id: i32,
    pub about: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventHistory {
    pub id: i32,
    pub title: String,
    pub status_label: String,
    pub hidden_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub pending_revision: Option<i32>,
    pub timeline: Vec<TimelineEntry>,
    pub revisions: Vec<RevisionRow>,
    pub appeal: Option<AppealOption>,
    pub can_cancel: bool,
    pub can_resubmit: bool,
    pub latest_scores: Vec<ScoreView>,
}
