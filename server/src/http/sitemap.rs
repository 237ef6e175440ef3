//! `/sitemap.xml`, `/sitemaps/{n}.xml` and `/robots.txt` (`discovery::sitemap`).
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use super::refuse;
use app::{
    domain::{context::AppState, discovery::sitemap},
    model::language::Locale,
};

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn root(State(state): State<AppState>) -> Response {
    match sitemap::root(&state.db, &state.settings.public_url).await {
        Ok(body) => xml(body),
        Err(e) => refuse(e, Locale::en),
    }
}

/// One file of a sitemap split into several: `{n}.xml`.
pub async fn file(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some(n) = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match sitemap::file(&state.db, &state.settings.public_url, n).await {
        Ok(Some(body)) => xml(body),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => refuse(e, Locale::en),
    }
}

pub async fn robots(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        sitemap::robots(&state.settings.public_url),
    )
        .into_response()
}
