//! Counts event page views for trending and recommendations: people only (browsers, not bots
//! or scripts), whether the page came from the anonymous cache or was rendered, and clicks on
//! recommended cards (`?via=recs`), and where each view came from (`utm_source`, the referring
//! host). Counting is in memory (`recs::signals`); nothing is written
//! per request.
use std::sync::{Arc, OnceLock};

use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use tower_sessions::Session;

use app::domain::{
    context::{AppState, USER_ID_KEY},
    recs::{
        experiments,
        signals::{is_person, referral_source},
    },
};

/// Who is viewing: filled in by `identify`, inside the session layer, when someone is signed in.
#[derive(Clone, Default)]
struct Viewer(Arc<OnceLock<i32>>);

/// The event a request shows the page of (`GET /events/{id}`).
fn event_page(method: &Method, path: &str) -> Option<i32> {
    if method != Method::GET {
        return None;
    }
    path.strip_prefix("/events/")?.parse().ok()
}

/// Outside the page cache, so cached pages count too.
pub async fn record(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(event) = event_page(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let person_like = is_person(
        request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    );
    let query = request.uri().query().unwrap_or_default();
    let from_recs = query.split('&').any(|pair| pair == "via=recs");
    let utm_source = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "utm_source")
        .map(|(_, v)| v.into_owned());
    let (referer, host) = {
        let headers = request.headers();
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        (header(header::REFERER), header(header::HOST))
    };
    let viewer = Viewer::default();
    request.extensions_mut().insert(viewer.clone());
    let response = next.run(request).await;
    if person_like && response.status() == StatusCode::OK {
        let person = viewer.0.get().copied();
        let clicked = person
            .filter(|_| from_recs)
            .map(|p| experiments::assign(p).name);
        let now = chrono::Utc::now();
        let signals = &state.recs.signals;
        signals.view(event, person, clicked, now);
        let own_host = host.as_deref().unwrap_or_default();
        let own_host = own_host.split(':').next().unwrap_or_default();
        let source = referral_source(utm_source.as_deref(), referer.as_deref(), own_host);
        signals.referred(event, person, source, now);
    }
    response
}

/// Inside the session layer: tells `record` who is signed in.
pub async fn identify(request: Request, next: Next) -> Response {
    if let (Some(viewer), Some(session)) = (
        request.extensions().get::<Viewer>(),
        request.extensions().get::<Session>(),
    ) {
        if let Ok(Some(id)) = session.get::<i32>(USER_ID_KEY).await {
            let _ = viewer.0.set(id);
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_event_pages_are_counted() {
        assert_eq!(event_page(&Method::GET, "/events/12"), Some(12));
        assert_eq!(event_page(&Method::GET, "/events/12/edit"), None);
        assert_eq!(event_page(&Method::GET, "/events/new"), None);
        assert_eq!(event_page(&Method::POST, "/events/12"), None);
    }
}
