//! `/unsubscribe?token=…`: one-click unsubscribe (RFC 8058). Mail programs `POST` to it with
//! `List-Unsubscribe=One-Click`; a person who opens the link gets a page whose button does the
//! same, so a link scanner's `GET` changes nothing. No sign-in: the token is the proof.
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use app::{
    domain::{context::AppState, notifications::unsubscribe},
    error::AppError,
};

#[derive(Deserialize)]
pub struct Link {
    #[serde(default)]
    token: String,
}

const INVALID: &str = "This unsubscribe link is not valid. Sign in and choose what we send you under Notifications → Settings.";

pub async fn confirm(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    match unsubscribe::verify(&state.settings.unsubscribe_key, &link.token) {
        Some((_, kind)) => page(
            StatusCode::OK,
            "Stop these emails?",
            &format!(
                "<p>You get an email when: {}.</p>\
                 <form method=\"post\" action=\"/unsubscribe?token={}\">\
                 <button type=\"submit\" name=\"List-Unsubscribe\" value=\"One-Click\">Stop these emails</button></form>",
                escape(kind.label()),
                escape(&link.token),
            ),
        ),
        None => page(StatusCode::BAD_REQUEST, "Link not valid", &format!("<p>{INVALID}</p>")),
    }
}

pub async fn apply(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    match unsubscribe::apply(&state.db, &state.settings.unsubscribe_key, &link.token).await {
        Ok(kind) => {
            state.changes.bump();
            page(
                StatusCode::OK,
                "Unsubscribed",
                &format!(
                    "<p>We will not email you any more when: {}. You still see it in Lineup, and \
                     you can switch the emails back on under Notifications → Settings.</p>",
                    escape(kind.label())
                ),
            )
        }
        Err(AppError::Refused(_)) => page(
            StatusCode::BAD_REQUEST,
            "Link not valid",
            &format!("<p>{INVALID}</p>"),
        ),
        Err(_) => page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Try again",
            "<p>That did not work just now. Please try again in a minute.</p>",
        ),
    }
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    (
        status,
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title} · Lineup</title>\
             <link rel=\"stylesheet\" href=\"/pkg/lineup.css\"></head>\
             <body><main class=\"page narrow\"><h1>{title}</h1>{body}\
             <p><a href=\"/\">Lineup</a></p></main></body></html>"
        )),
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
