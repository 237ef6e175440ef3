use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use app::{
    domain::{
        context::{session_viewer, AppState},
        ticketing::guest_list,
    },
    error::AppError,
    model::language,
};

/// `/events/{id}/guests.csv`: the whole guest list, for the event's organizer (or an admin).
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let locale = language::from_headers(&headers);
    let Ok(id) = id.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let viewer = match session_viewer(&state, &session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return super::refuse(AppError::Unauthorized, locale),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match guest_list::csv(&state.db, &viewer, id).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"lineup-guests-{id}.csv\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(err) => super::refuse(err, locale),
    }
}
