//! `/unsubscribe?token=…`: one-click unsubscribe (RFC 8058). Mail programs `POST` to it with
//! `List-Unsubscribe=One-Click`; a person who opens the link gets a page whose button does the
//! same, so a link scanner's `GET` changes nothing. No sign-in: the token is the proof.
use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use app::{
    domain::{context::AppState, notifications::unsubscribe},
    i18n::td_string,
    model::language::{from_headers, tag, Locale},
};

#[derive(Deserialize)]
pub struct Link {
    #[serde(default)]
    token: String,
}

/// The question, in the language of the browser that opened the link.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(link): Query<Link>,
) -> Response {
    let locale = from_headers(&headers);
    match unsubscribe::verify(&state.settings.unsubscribe_key, &link.token) {
        Some((_, kind)) => page(
            locale,
            StatusCode::OK,
            td_string!(locale, notifications.unsubscribe.confirm_title),
            &format!(
                "<p>{}</p><form method=\"post\" action=\"/unsubscribe?token={}\">\
                 <button type=\"submit\" name=\"List-Unsubscribe\" value=\"One-Click\">{}</button></form>",
                escape(&td_string!(
                    locale,
                    notifications.unsubscribe.confirm_body,
                    kind = kind.label_in(locale)
                )),
                escape(&link.token),
                td_string!(locale, notifications.unsubscribe.confirm_button),
            ),
        ),
        None => invalid(locale),
    }
}

pub async fn apply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(link): Query<Link>,
) -> Response {
    let locale = from_headers(&headers);
    match unsubscribe::apply(&state.db, &state.settings.unsubscribe_key, &link.token).await {
        Ok(Some(kind)) => {
            state.changes.bump();
            let body = td_string!(
                locale,
                notifications.unsubscribe.done_body,
                kind = kind.label_in(locale)
            );
            page(
                locale,
                StatusCode::OK,
                td_string!(locale, notifications.unsubscribe.done_title),
                &format!("<p>{}</p>", escape(&body)),
            )
        }
        Ok(None) => invalid(locale),
        Err(_) => page(
            locale,
            StatusCode::SERVICE_UNAVAILABLE,
            td_string!(locale, notifications.unsubscribe.retry_title),
            &format!(
                "<p>{}</p>",
                td_string!(locale, notifications.unsubscribe.retry_body)
            ),
        ),
    }
}

fn invalid(locale: Locale) -> Response {
    page(
        locale,
        StatusCode::BAD_REQUEST,
        td_string!(locale, notifications.unsubscribe.invalid_title),
        &format!(
            "<p>{}</p>",
            td_string!(locale, notifications.unsubscribe.invalid_body)
        ),
    )
}

fn page(locale: Locale, status: StatusCode, title: &str, body: &str) -> Response {
    (
        status,
        [(axum::http::header::VARY, "Accept-Language, Cookie")],
        Html(format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title} · Lineup</title>\
             <link rel=\"stylesheet\" href=\"/pkg/lineup.css\"></head>\
             <body><main class=\"page narrow\"><h1>{title}</h1>{body}\
             <p><a href=\"/\">Lineup</a></p></main></body></html>",
            lang = tag(locale),
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
