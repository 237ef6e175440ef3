use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use sea_orm::EntityTrait;
use tower_sessions::Session;

use app::domain::{
    context::{session_viewer, AppState},
    events::{
        access::{can_view, may_join_online},
        ics,
    },
};

/// `/events/{id}/calendar.ics`: "Add to calendar" for anyone who may see the event.
pub async fn event_ics(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let loaded = async {
        let event = entity::event::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .map_err(|e| e.to_string())?;
        let viewer = session_viewer(&state, &session)
            .await
            .map_err(|e| e.to_string())?;
        let Some(event) = event else {
            return Ok(None);
        };
        if !can_view(&state.db, &event, viewer.as_ref())
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(None);
        }
        let link = match may_join_online(&state.db, &event, viewer.as_ref())
            .await
            .map_err(|e| e.to_string())?
        {
            true => ics::JoinLink::Included,
            false => ics::JoinLink::Withheld,
        };
        Ok::<_, String>(Some((event, link)))
    }
    .await;
    match loaded {
        Ok(Some((event, link))) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"lineup-event-{id}.ics\""),
                ),
            ],
            ics::render(&event, &state.settings.public_url, chrono::Utc::now(), link),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "loading event for calendar");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `/calendar/{token}.ics`: a person's private feed of the events they have tickets for.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::domain::ticketing::tickets::feed_events(&state.db, token).await {
        Ok((owner, events)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics::calendar(
                &events,
                &state.settings.public_url,
                chrono::Utc::now(),
                Some(&format!("Lineup: {}", owner.display_name)),
                // the feed lists the events its owner holds tickets for
                ics::JoinLink::Included,
            ),
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `/o/{slug}/calendar.ics`: an organization's upcoming public events, for anyone to subscribe
/// to.
pub async fn organization_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Response {
    use app::domain::organizations::profile;
    let now = chrono::Utc::now();
    let loaded = async {
        let org = profile::by_slug(&state.db, &slug).await?;
        let events = profile::upcoming_events(&state.db, org.id, now).await?;
        Ok::<_, app::error::AppError>((org, events))
    }
    .await;
    match loaded {
        Ok((org, events)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            ics::calendar(
                &events,
                &state.settings.public_url,
                now,
                Some(&format!("Lineup: {}", org.name)),
                // a public feed: online links are for ticket holders
                ics::JoinLink::Withheld,
            ),
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
