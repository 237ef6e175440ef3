use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use app::domain::{context::AppState, events::images::content_type_for_key};

/// Uploaded images. Names are content hashes, so a name always means the same bytes and the
/// response may be cached for a year.
pub async fn serve(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let Some(content_type) = content_type_for_key(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(state.settings.media_dir().join(&key)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, key, "reading media file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
