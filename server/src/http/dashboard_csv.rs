use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use super::refuse;

use app::{
    domain::{
        context::{session_viewer, AppState},
        dashboard,
    },
    error::AppError,
    i18n::td_string,
    model::{dashboard::DashboardQuery, language},
};

/// `/o/{slug}/dashboard.csv?table=…&from=…&to=…&event=…`: one table of the organizer dashboard
/// (or, for `finance-…` tables, of the finance page), for the members who may see it (the same
/// checks as the pages), in the language the pages are in.
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let locale = language::from_headers(&headers);
    let viewer = match session_viewer(&state, &session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return refuse(AppError::Unauthorized, locale),
        Err(err) => return refuse(err, locale),
    };
    let event = match params
        .get("event")
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(raw) => match raw.parse::<i32>() {
            Ok(id) => Some(id),
            Err(_) => {
                let why = td_string!(locale, accounts.error.event_not_a_number);
                return refuse(AppError::BadRequest(why.into()), locale);
            }
        },
    };
    let query = DashboardQuery {
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        event,
    };
    let table = params.get("table").map(String::as_str).unwrap_or("events");
    let csv = if table.starts_with("finance-") {
        dashboard::finance::page(&state, &viewer, &slug, false, locale)
            .await
            .and_then(|page| dashboard::finance::table_csv(&page, table))
    } else {
        dashboard::load(
            &state.db,
            &viewer,
            &slug,
            &query,
            chrono::Utc::now(),
            locale,
        )
        .await
        .and_then(|d| dashboard::table_csv(&d, table))
    };
    match csv {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(err) => refuse(err, locale),
    }
}
