//! Events: listings, an event's page, the organizer's events and the event form.
use leptos::server;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::{
    error::AppError,
    model::events::{EventDetails, EventForm, HomeData, MyEventRow},
};

#[server(endpoint = "events/upcoming")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn upcoming_events(
    category: Option<String>,
    page: Option<u32>,
) -> Result<HomeData, AppError> {
    use crate::domain::{accounts::language, context::ctx, events::listings};
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let (db, state) = (&ctx.state.db, &ctx.state);
    let page = page.unwrap_or(1);
    let locale = language::of_request();
    ctx.cached(
        "events/upcoming",
        viewer.as_ref(),
        (&category, page, locale),
        async {
            let now = chrono::Utc::now();
            let mut home =
                listings::upcoming_by_day(db, category.as_deref(), page, now, locale).await?;
            if let Some(me) = &viewer {
                let cards = home.days.iter_mut().flat_map(|d| d.events.iter_mut());
                crate::domain::recs::saves::annotate(state, me.id, cards).await?;
            }
            Ok::<_, AppError>(home)
        },
    )
    .await
}

#[server(endpoint = "events/details")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_event(id: i32, invite: Option<String>) -> Result<EventDetails, AppError> {
    use crate::domain::{accounts::language, context::ctx, events::listings};
    let ctx = ctx().await?;
    let locale = language::of_request();
    let viewer = ctx.viewer().await?;
    let (db, settings) = (&ctx.state.db, &ctx.state.settings);
    let now = chrono::Utc::now();
    let graph = ctx.state.graph.clone();
    let details = async {
        // people blocked either way do not see each other's reviews
        let hidden = match &viewer {
            Some(v) => crate::domain::social::ties::blocked_set(graph.as_ref(), v.id).await?,
            None => Default::default(),
        };
        let invite = invite.as_deref();
        let mut details = listings::details(
            db,
            settings,
            ctx.state.payments.enabled(),
            id,
            viewer.as_ref(),
            invite,
            &hidden,
            now,
            locale,
        )
        .await?;
        if let (Some(_), Some(v)) = (&details.invite_url, &viewer) {
            details.invite_groups =
                crate::domain::social::groups::joined(graph.as_ref(), v.id).await?;
        }
        Ok(details)
    };
    // the token is part of the key: a read made through an invite link is kept for that link
    ctx.cached(
        "events/details",
        viewer.as_ref(),
        (id, &invite, locale),
        details,
    )
    .await
}

#[server(endpoint = "events/mine")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn my_events() -> Result<Vec<MyEventRow>, AppError> {
    use crate::domain::{accounts::language, context::ctx, events::listings};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    listings::by_organizer(&ctx.state.db, &user, language::of_request()).await
}

#[server(endpoint = "events/form")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_event_form(id: Option<i32>) -> Result<EventForm, AppError> {
    use crate::{
        domain::{context::ctx, events::listings},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    let user = ctx.require_role(Role::can_organize).await?;
    let posted = ctx.take_form("event").await?;
    listings::form(&ctx.state.db, &user, id, posted).await
}

/// Creates (no `id` field) or updates an event from the multipart form, cover image included.
/// `intent=submit` also submits it for review.
#[server(endpoint = "events/save", input = MultipartFormData)]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn save_event(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, events::save, forms::FormFields},
        model::taxonomy::Role,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_role(Role::can_organize).await?;
    let form = FormFields::read(data).await?;
    match save::save_from_form(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        &form,
        chrono::Utc::now(),
        locale,
    )
    .await
    {
        Ok((event, outcome)) => {
            ctx.succeed(outcome.notice(locale), &format!("/events/{}", event.id))
                .await
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
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn submit_event(id: i32) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, events::save};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = save::submit(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        id,
        chrono::Utc::now(),
        locale,
    )
    .await;
    ctx.respond(result.map(|o| o.notice(locale)), "/my/events")
        .await
}

/// Revokes a private event's invite links and makes a new one (shown on the event's page).
#[server(endpoint = "events/invite_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn new_invite_link(event_id: i32) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, events::visibility, ticketing::ticket_types::managed_event},
        i18n::td_string,
        model::organizations::OrgAction,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let back = format!("/events/{event_id}");
    let result = async {
        let event = managed_event(&ctx.state.db, &user, event_id, OrgAction::EditEvents).await?;
        visibility::new_link(&ctx.state.db, &event).await
    }
    .await;
    ctx.respond(
        result.map(|_| td_string!(locale, events.notice.new_invite_link)),
        &back,
    )
    .await
}

/// Duplicates an event once (a draft to edit) or as a weekly or monthly series.
#[server(endpoint = "events/duplicate")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn duplicate_event(
    event_id: i32,
    repeat: String,
    #[server(default)] count: String,
    #[server(default)] submit: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, events::series},
        i18n::td_string,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let made = async {
        let plan = series::parse(&repeat, &count, submit.is_some(), locale)?;
        let copies = series::duplicate(
            &ctx.state.db,
            &ctx.state.settings,
            &user,
            event_id,
            plan,
            chrono::Utc::now(),
            locale,
        )
        .await?;
        Ok::<_, AppError>(match copies.as_slice() {
            [one] if plan.repeat == series::Repeat::Once => {
                td_string!(locale, events.notice.copy_ready, title = &one.title)
            }
            many => td_string!(locale, events.notice.copies_made, count = many.len()),
        })
    }
    .await;
    match made {
        Ok(notice) => ctx.succeed(&notice, "/my/events").await,
        Err(err) => ctx.fail(err, &format!("/events/{event_id}"), None).await,
    }
}

/// Invites people by address to a private event (the invite link by mail; accounts become
/// guests at once).
#[server(endpoint = "events/invite_people")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn invite_people(event_id: i32, emails: String) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, events::visibility, ticketing::ticket_types::managed_event},
        i18n::td_string,
        model::organizations::OrgAction,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let back = format!("/events/{event_id}");
    let now = chrono::Utc::now();
    let result = async {
        let event = managed_event(&ctx.state.db, &user, event_id, OrgAction::EditEvents).await?;
        let public_url = &ctx.state.settings.public_url;
        let db = &ctx.state.db;
        visibility::invite_people(db, public_url, &event, &user, &emails, now, locale).await
    }
    .await;
    match result {
        Ok(n) => {
            let notice = td_string!(locale, events.notice.invitations_sent, count = n);
            ctx.succeed(&notice, &back).await
        }
        Err(err) => ctx.fail(err, &back, None).await,
    }
}

/// Invites the members of one of the inviter's groups to a private event.
#[server(endpoint = "events/invite_group")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn invite_group(event_id: i32, group: String) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, events::visibility, ticketing::ticket_types::managed_event},
        i18n::td_string,
        model::organizations::OrgAction,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let back = format!("/events/{event_id}");
    let now = chrono::Utc::now();
    let (db, graph) = (&ctx.state.db, ctx.state.graph.as_ref());
    let result = async {
        let event = managed_event(db, &user, event_id, OrgAction::EditEvents).await?;
        let url = &ctx.state.settings.public_url;
        visibility::invite_group(db, graph, url, &event, &user, &group, now, locale).await
    }
    .await;
    match result {
        Ok(n) => {
            let notice = td_string!(locale, events.notice.group_invited, count = n);
            ctx.succeed(&notice, &back).await
        }
        Err(err) => ctx.fail(err, &back, None).await,
    }
}
