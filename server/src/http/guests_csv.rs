use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use app::{
    domain::{
        context::{session_viewer, AppState},
        ticketing::guest_list,
    },
    error::AppError,
};

/// `/events/{id}/guests.csv`: the whole guest list, for the event's organizer (or an admin).
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let viewer = match session_viewer(&state, &session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string()).into_response()
        }
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
        Err(err) => super::refuse(err),
    }
}
