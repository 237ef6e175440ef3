use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};

use leptos::server;

use crate::{api::flash::FormState, error::AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventStatus {
    Draft,
    Submitted,
    Published,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Submitted => "submitted",
            EventStatus::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Draft => "Draft",
            EventStatus::Submitted => "Submitted for review",
            EventStatus::Published => "Published",
        }
    }
}

/// One event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub category_slug: String,
    pub category_label: String,
    pub start_time: String,
    pub place: String,
    pub price: String,
    pub cover_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayGroup {
    pub label: String,
    pub events: Vec<EventCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub category: Option<String>,
    pub days: Vec<DayGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetails {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub category_slug: String,
    pub category_label: String,
    pub tags: Vec<String>,
    pub when: String,
    pub starts_at_iso: String,
    pub timezone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub city: Option<String>,
    pub map_url: Option<String>,
    pub online_url: Option<String>,
    pub capacity: i32,
    pub price: String,
    pub cover_url: Option<String>,
    pub organizer_name: String,
    pub status: EventStatus,
    pub can_edit: bool,
    pub public_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyEventRow {
    pub id: i32,
    pub title: String,
    pub when: String,
    pub status: EventStatus,
    pub revision: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedEventRow {
    pub id: i32,
    pub title: String,
    pub when: String,
    pub organizer_name: String,
    pub category_label: String,
}

/// What the create/edit form starts from: stored values, or what was posted if it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventForm {
    pub id: Option<i32>,
    pub status: Option<EventStatus>,
    pub cover_url: Option<String>,
    pub state: FormState,
}

#[server(endpoint = "events/upcoming")]
pub async fn upcoming_events(category: Option<String>) -> Result<HomeData, AppError> {
    use crate::domain::{context::ctx, events::listings};
    let ctx = ctx().await?;
    listings::upcoming_by_day(&ctx.state.db, category.as_deref(), chrono::Utc::now()).await
}

#[server(endpoint = "events/details")]
pub async fn load_event(id: i32) -> Result<EventDetails, AppError> {
    use crate::domain::{context::ctx, events::listings};
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    listings::details(&ctx.state.db, &ctx.state.settings, id, viewer.as_ref()).await
}

#[server(endpoint = "events/mine")]
pub async fn my_events() -> Result<Vec<MyEventRow>, AppError> {
    use crate::domain::{context::ctx, events::listings};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    listings::by_organizer(&ctx.state.db, user.id).await
}

#[server(endpoint = "events/form")]
pub async fn load_event_form(id: Option<i32>) -> Result<EventForm, AppError> {
    use crate::{
        api::taxonomy::Role,
        domain::{context::ctx, events::listings},
    };
    let ctx = ctx().await?;
    let user = ctx.require_role(Role::can_organize).await?;
    let posted = ctx.take_form("event").await?;
    listings::form(&ctx.state.db, &user, id, posted).await
}

/// Creates (no `id` field) or updates an event from the multipart form, cover image included.
/// `intent=submit` also submits it for review.
#[server(endpoint = "events/save", input = MultipartFormData)]
pub async fn save_event(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        api::taxonomy::Role,
        domain::{context::ctx, events::save, forms::FormFields},
    };
    let ctx = ctx().await?;
    let user = ctx.require_role(Role::can_organize).await?;
    let form = FormFields::read(data).await?;
    match save::save_from_form(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        &form,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(event) => {
            let notice = if event.status == "submitted" && form.text("intent") == "save" {
                "Saved and sent back for review: it is hidden until it is published again."
            } else if event.status == "submitted" {
                "Saved and submitted for review."
            } else {
                "Saved."
            };
            ctx.succeed(notice, &format!("/events/{}", event.id)).await
        }
        Err(err) => {
            let back = match form.text("id").parse::<i32>() {
                Ok(id) => format!("/events/{id}/edit"),
                Err(_) => "/events/new".into(),
            };
            ctx.fail(err, &back, Some(("event", &form))).await
        }
    }
}

#[server(endpoint = "events/submit")]
pub async fn submit_event(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, events::save};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = save::submit(&ctx.state.db, &user, id).await;
    ctx.respond(result.map(|_| "Submitted for review."), "/my/events")
        .await
}
