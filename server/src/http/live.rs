//! `/notifications/live`: a server-sent event stream of the signed-in person's unread count and
//! the title of their newest notification, sent when it opens and whenever the notifier
//! announces news for them (see `app::domain::notifications::live`).
use std::convert::Infallible;

use axum::{
    extract::State,
    http::StatusCode,
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures_util::stream::{self, Stream};
use tower_sessions::Session;

use app::{
    domain::{
        context::{session_viewer, AppState},
        notifications::inbox,
    },
    model::notifications::LiveUpdate,
};

pub async fn stream(State(state): State<AppState>, session: Session) -> Response {
    let viewer = match session_viewer(&state, &session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let rx = state.live.subscribe(viewer.id);
    Sse::new(updates(state, viewer.id, rx))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The first event at once (so a page that was open a while catches up), then one whenever the
/// person has news.
fn updates(
    state: AppState,
    user: i32,
    rx: tokio::sync::watch::Receiver<u64>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(
        (state, rx, true),
        move |(state, mut rx, first)| async move {
            if !first && rx.changed().await.is_err() {
                return None;
            }
            rx.mark_unchanged();
            let update: LiveUpdate = inbox::latest(&state.db, user).await.unwrap_or_default();
            let event = Event::default()
                .event("notification")
                .data(serde_json::to_string(&update).unwrap_or_else(|_| "{}".into()));
            Some((Ok(event), (state, rx, false)))
        },
    )
}
