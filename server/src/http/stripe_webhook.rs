use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use app::domain::{context::AppState, ticketing::webhooks};

/// `POST /stripe/webhook`: Stripe's events about checkout sessions and refunds. Answers 2xx
/// once an event is handled (or was before), 400 for a bad signature or payload, and 500 when
/// it could not be stored, so Stripe delivers it again.
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    let secret = state.settings.stripe_webhook_secret.clone();
    match webhooks::receive(
        &state,
        secret.as_deref(),
        signature,
        &body,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(handled) => {
            if matches!(handled, webhooks::Handled::Processed(_)) {
                // going counts and bookings changed: cached pages and reads expire
                state.changes.bump();
            }
            tracing::info!(outcome = ?handled, "Stripe webhook handled");
            (StatusCode::OK, format!("{handled:?}")).into_response()
        }
        Err(err) => {
            tracing::warn!(error = %err, "Stripe webhook refused");
            (
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST),
                err.to_string(),
            )
                .into_response()
        }
    }
}
