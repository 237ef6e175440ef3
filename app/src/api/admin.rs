use leptos::server;

use crate::{api::events::SubmittedEventRow, error::AppError};

#[server(endpoint = "admin/submitted")]
pub async fn submitted_events() -> Result<Vec<SubmittedEventRow>, AppError> {
    use crate::{
        api::taxonomy::Role,
        domain::{context::ctx, events::listings},
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    listings::submitted(&ctx.state.db).await
}

/// Until curation lands, an admin makes a submitted event public.
#[server(endpoint = "admin/publish")]
pub async fn publish_event(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, events::save};
    let ctx = ctx().await?;
    let admin = ctx.require_user().await?;
    let result = save::publish(&ctx.state.db, &admin, id, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Published: the event is now public."),
        "/admin/events",
    )
    .await
}
