//! Curation: the review queue, decisions, an event's history, community flags, appeals and
//! attendee reviews.
use leptos::server;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::{
    error::AppError,
    model::curation::{EventHistory, QueuePage, SubmissionView},
};

#[server(endpoint = "curation/queue")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn curation_queue(
    kind: Option<String>,
    recommendation: Option<String>,
    category: Option<String>,
    #[server(default)] page: Option<u32>,
) -> Result<QueuePage, AppError> {
    use crate::domain::{context::ctx, curation::queue};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let filter = queue::Filter::parse(kind, recommendation, category);
    let page = page.unwrap_or(0).min(1_000) as usize;
    let locale = crate::domain::accounts::language::of_request();
    queue::page(
        &ctx.state.db,
        &curator,
        &filter,
        page,
        chrono::Utc::now(),
        locale,
    )
    .await
}

#[server(endpoint = "curation/submission")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_submission(id: i32) -> Result<SubmissionView, AppError> {
    use crate::domain::{context::ctx, curation::review};
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let locale = crate::domain::accounts::language::of_request();
    review::view(&ctx.state.db, &curator, id, locale).await
}

/// Marks a submission as being reviewed by the signed-in curator.
#[server(endpoint = "curation/claim")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn claim_submission(id: i32, version: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let now = chrono::Utc::now();
    let result = decisions::claim(&ctx.state.db, &curator, id, version, now, locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, curation.notice.claimed)),
        &format!("/curation/submissions/{id}"),
    )
    .await
}

/// Hands a submission in review back to the queue.
#[server(endpoint = "curation/release")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn release_submission(id: i32, version: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let now = chrono::Utc::now();
    let result = decisions::release(&ctx.state.db, &curator, id, version, now, locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, curation.notice.released)),
        "/curation",
    )
    .await
}

#[server(endpoint = "curation/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn decide_submission(
    id: i32,
    version: i32,
    decision: String,
    reason: Option<String>,
    note: String,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions};
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let result = match decisions::DecisionInput::parse(&decision, reason.as_deref(), &note, locale)
    {
        Ok(input) => {
            decisions::decide(
                &ctx.state.db,
                &ctx.state.settings,
                &curator,
                id,
                version,
                &input,
                chrono::Utc::now(),
                locale,
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
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn batch_decide(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::decisions, forms::FormFields};
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let curator = ctx.require_curator().await?;
    let form = FormFields::read(data).await?;
    let result = decisions::decide_batch(
        &ctx.state.db,
        &ctx.state.settings,
        &curator,
        &form,
        chrono::Utc::now(),
        locale,
    )
    .await;
    match result {
        Ok(report) => ctx.succeed(&report, "/curation").await,
        Err(err) => ctx.fail(err, "/curation", None).await,
    }
}

#[server(endpoint = "events/history")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_event_history(id: i32) -> Result<EventHistory, AppError> {
    use crate::domain::{context::ctx, curation::history};
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    history::load(&ctx.state.db, &user, id, locale).await
}

#[server(endpoint = "events/rollback")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn rollback_event(id: i32, revision: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::history};
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = history::roll_back(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        id,
        revision,
        chrono::Utc::now(),
        locale,
    )
    .await;
    ctx.respond(
        result.as_deref().map_err(Clone::clone),
        &format!("/events/{id}/history"),
    )
    .await
}

#[server(endpoint = "events/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn cancel_event(id: i32, reason: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::lifecycle};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let result = lifecycle::cancel(&ctx.state.db, &user, id, &reason, now, locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, curation.notice.cancelled)),
        &format!("/events/{id}/history"),
    )
    .await
}

#[server(endpoint = "events/appeal")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn appeal_decision(submission_id: i32, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::appeals};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = appeals::appeal(
        &ctx.state.db,
        &user,
        submission_id,
        &text,
        chrono::Utc::now(),
        locale,
    )
    .await;
    match result {
        Ok(event_id) => {
            ctx.succeed(
                td_string!(locale, curation.notice.appealed),
                &format!("/events/{event_id}/history"),
            )
            .await
        }
        Err(err) => ctx.fail(err, "/my/events", None).await,
    }
}

#[server(endpoint = "events/flag")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn flag_event(id: i32, reason: String, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::flags};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let result = flags::flag(&ctx.state.db, &user, id, &reason, &text, now, locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, curation.notice.flagged)),
        &format!("/events/{id}"),
    )
    .await
}

#[server(endpoint = "events/review")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn review_event(id: i32, rating: String, text: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, curation::reviews};
    use crate::i18n::td_string;
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let result = reviews::review(&ctx.state.db, &user, id, &rating, &text, now, locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, curation.notice.reviewed)),
        &format!("/events/{id}"),
    )
    .await
}
