use std::{
    collections::BTreeMap,
    fmt::Write,
    sync::{Arc, Mutex},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The route template a request matched (`/events/{id}`), carried on the response so the outer
/// metrics layer can label requests that were answered before routing (cache hits).
#[derive(Debug, Clone)]
pub struct RouteLabel(pub Arc<str>);

const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// `(method, route, status)`.
type SeriesKey = (String, Arc<str>, u16);

/// Request counts and latency histograms by method, route and status, in Prometheus' text format.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<SeriesKey, Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: Arc<str>, status: u16, seconds: f64) {
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = series
            .entry((method.to_owned(), route, status))
            .or_default();
        s.count += 1;
        s.sum += seconds;
        for (bucket, bound) in s.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    pub fn render(&self) -> String {
        let series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::from(
            "# HELP lineup_http_requests_total HTTP requests by method, route and status.\n\
             # TYPE lineup_http_requests_total counter\n",
        );
        for ((method, route, status), s) in series.iter() {
            let _ = writeln!(out, "lineup_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}", s.count);
        }
        out.push_str(
            "# HELP lineup_http_request_duration_seconds Time to the response head, by method and route.\n\
             # TYPE lineup_http_request_duration_seconds histogram\n",
        );
        let mut by_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((method, route, _), s) in series.iter() {
            let agg = by_route.entry((method, route)).or_default();
            agg.count += s.count;
            agg.sum += s.sum;
            for (a, b) in agg.buckets.iter_mut().zip(s.buckets) {
                *a += b;
            }
        }
        for ((method, route), s) in by_route {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "lineup_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "lineup_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "lineup_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "lineup_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out
    }
}

/// Inner layer (per matched route): remembers which route answered.
pub async fn label_route(request: Request, next: Next) -> Response {
    let label = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| RouteLabel(Arc::from(p.as_str())));
    let mut response = next.run(request).await;
    if let Some(label) = label {
        response.extensions_mut().insert(label);
    }
    response
}

/// Outer layer: times every request.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // a fixed set: any token is a valid HTTP method, and each would be a new series
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "OTHER",
    }
    .to_owned();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map(|l| l.0.clone())
        .unwrap_or_else(|| Arc::from("unmatched"));
    metrics.observe(
        &method,
        route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `/metrics` on the site: only with `Authorization: Bearer <LINEUP_METRICS_TOKEN>`, and not at
/// all without a token configured.
pub async fn export_with_token(
    State(metrics): State<Arc<Metrics>>,
    State(app): State<app::domain::context::AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use subtle::ConstantTimeEq;
    let Some(token) = app.settings.metrics_token.as_deref() else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    export(State(metrics), State(app)).await.into_response()
}

pub async fn export(
    State(metrics): State<Arc<Metrics>>,
    State(app): State<app::domain::context::AppState>,
) -> impl IntoResponse {
    let mut text = metrics.render();
    // the search index's delivery backlog: rows waiting, and those already retried
    if let Ok(backlog) = app::domain::outbox::backlog(&app.db).await {
        text.push_str(&format!(
            "# TYPE lineup_outbox_pending gauge\nlineup_outbox_pending {}\n\
             # TYPE lineup_outbox_retrying gauge\nlineup_outbox_retrying {}\n",
            backlog.pending, backlog.retrying
        ));
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.observe("GET", Arc::from("/events/{id}"), 200, 0.003);
        metrics.observe("GET", Arc::from("/events/{id}"), 404, 0.2);
        let text = metrics.render();
        assert!(text.contains(
            "lineup_http_requests_total{method=\"GET\",route=\"/events/{id}\",status=\"200\"} 1"
        ));
        assert!(text.contains("lineup_http_request_duration_seconds_bucket{method=\"GET\",route=\"/events/{id}\",le=\"0.005\"} 1"));
        assert!(text.contains("lineup_http_request_duration_seconds_bucket{method=\"GET\",route=\"/events/{id}\",le=\"+Inf\"} 2"));
        assert!(text.contains(
            "lineup_http_request_duration_seconds_count{method=\"GET\",route=\"/events/{id}\"} 2"
        ));
    }
}
