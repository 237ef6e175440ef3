use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use app::domain::context::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the core database and the graph store both answer.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.db.ping().await.map_err(|e| e.to_string());
    let graph = state.graph.health().await.map_err(|e| e.to_string());
    let ready = database.is_ok() && graph.is_ok();
    let show = |r: &Result<(), String>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.clone(),
    };
    let body = Json(json!({
        "database": show(&database),
        "graph": show(&graph),
        "graph_backend": state.graph.backend(),
    }));
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body)
}
