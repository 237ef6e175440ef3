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
    let show = |what: &str, r: &Result<(), String>| match r {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!(error = %e, "{what} not ready");
            "unavailable"
        }
    };
    let body = Json(json!({
        "database": show("database", &database),
        "graph": show("graph", &graph),
        "graph_backend": state.graph.backend(),
    }));
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body)
}
