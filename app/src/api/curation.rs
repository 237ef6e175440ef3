//! Curation: the review queue, decisions, an event's history, community flags, appeals and
//! attendee reviews. DTOs shared with the browser and the server functions behind them.
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;

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

#[server(endpoint = "curation/queue")]
pub async fn curation_queue(
    kind: Option<String>,
    recommendation: Option<String>,
    category: Option<String>,
) -> Result<QueuePage, AppError> {
    use crate::domain::{context::ctx, curation::queue};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let filter = queue::Filter::parse(kind, recommendation, category);
    queue::page(&ctx.state.db, &curator, &filter, chrono::Utc::now()).await
}

#[server(endpoint = "curation/submission")]
pub async fn load_submission(id: i32) -> Result<SubmissionView, AppError> {
    use crate::domain::{context::ctx, curation::review};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    review::view(&ctx.state.db, &curator, id).await
}

/// Marks a submission as being reviewed by the signed-in curator.
#[server(endpoint = "curation/claim")]
pub async fn claim_submission(id: i32, version: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let result = decisions::claim(&ctx.state.db, &curator, id, version, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "You are reviewing this submission."),
        &format!("/curation/submissions/{id}"),
    )
    .await
}

/// Hands a submission in review back to the queue.
#[server(endpoint = "curation/release")]
pub async fn release_submission(id: i32, version: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let result = decisions::release(&ctx.state.db, &curator, id, version, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Back in the queue for anyone to review."),
        "/curation",
    )
    .await
}

#[server(endpoint = "curation/decide")]
pub async fn decide_submission(
    id: i32,
    version: i32,
    decision: String,
    reason: Option<String>,
    note: String,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let result = match decisions::DecisionInput::parse(&decision, reason.as_deref(), &note) {
        Ok(input) => {
            decisions::decide(
                &ctx.state.db,
                &ctx.state.settings,
                &curator,
                id,
                version,
                &input,
                chrono::Utc::now(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(outcome) => ctx.succeed(&outcome, "/curation").await,
        Err(err) => {
            ctx.fail(err, &format!("/curation/submissions/{id}"), None)
                .await
        }
    }
}

/// Approves or rejects every ticked submission in the queue with one note. Each item carries the
/// version the curator saw; items decided meanwhile are skipped and reported.
#[server(endpoint = "curation/batch", input = MultipartFormData)]
pub async fn batch_decide(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions, forms::FormFields};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let form = FormFields::read(data).await?;
    let result = decisions::decide_batch(
        &ctx.state.db,
        &ctx.state.settings,
        &curator,
        &form,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(report) => ctx.succeed(&report, "/curation").await,
        Err(err) => ctx.fail(err, "/curation", None).await,
    }
}

#[server(endpoint = "events/history")]
pub async fn load_event_history(id: i32) -> Result<EventHistory, AppError> {
    use crate::domain::{context::ctx, curation::history};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    history::load(&ctx.state.db, &user, id).await
}

#[server(endpoint = "events/rollback")]
pub async fn rollback_event(id: i32, revision: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::history};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = history::roll_back(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        id,
        revision,
        chrono::Utc::now(),
    )
    .await;
    ctx.respond(
        result.as_deref().map_err(Clone::clone),
        &format!("/events/{id}/history"),
    )
    .await
}

#[server(endpoint = "events/cancel")]
pub async fn cancel_event(id: i32, reason: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::lifecycle};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = lifecycle::cancel(&ctx.state.db, &user, id, &reason, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "The event is cancelled; its page says why."),
        &format!("/events/{id}/history"),
    )
    .await
}

#[server(endpoint = "events/appeal")]
pub async fn appeal_decision(submission_id: i32, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::appeals};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = appeals::appeal(
        &ctx.state.db,
        &user,
        submission_id,
        &text,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(event_id) => {
            ctx.succeed(
                "Appeal sent: a different curator will look at it.",
                &format!("/events/{event_id}/history"),
            )
            .await
        }
        Err(err) => ctx.fail(err, "/my/events", None).await,
    }
}

#[server(endpoint = "events/flag")]
pub async fn flag_event(id: i32, reason: String, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::flags};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = flags::flag(&ctx.state.db, &user, id, &reason, &text, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Thank you: curators will look at your report."),
        &format!("/events/{id}"),
    )
    .await
}

#[server(endpoint = "events/attended")]
pub async fn mark_attended(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::reviews};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = reviews::mark_attended(&ctx.state.db, &user, id, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Marked: you can now review the event."),
        &format!("/events/{id}"),
    )
    .await
}

#[server(endpoint = "events/review")]
pub async fn review_event(id: i32, rating: String, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::reviews};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result =
        reviews::review(&ctx.state.db, &user, id, &rating, &text, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Thank you for your review."),
        &format!("/events/{id}"),
    )
    .await
}
