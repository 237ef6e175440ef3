use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Refuses state-changing requests sent by another site. SameSite=Lax cookies already keep the
/// session off cross-site posts; this also stops forms that need no session (sign-in, sign-up).
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site");
        // HTTP/2 requests name the site in the URI's authority, not in a Host header
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        let foreign_origin = match (headers.get(header::ORIGIN), host) {
            (Some(origin), Some(host)) => {
                let origin = origin.to_str().unwrap_or_default();
                // "null" (sandboxed frames, some redirects) is as foreign as another site
                origin
                    .split("://")
                    .nth(1)
                    .is_none_or(|o| !o.eq_ignore_ascii_case(host))
            }
            // an Origin with no site to compare it with cannot be shown to be ours
            (Some(_), None) => true,
            (None, _) => false,
        };
        if cross_site || foreign_origin {
            return (
                StatusCode::FORBIDDEN,
                "Cross-site requests are not accepted.",
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Headers every response carries. Rendered pages set their own Content-Security-Policy with a
/// script nonce; everything else gets the same policy without one.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&app::security::policy(None, "")) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Bounds every request body as it streams, whatever reads it: past the limit the body ends in
/// an error, which the reader reports.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(
        body,
        crate::startup::BODY_LIMIT,
    ));
    next.run(Request::from_parts(parts, limited)).await
}

/// A multipart server function gets a multipart body with a boundary, or a 400: its codec cannot
/// read anything else.
pub async fn multipart_bodies(request: Request, next: Next) -> Response {
    if request.method() == Method::POST
        && app::api::multipart_paths().contains(&request.uri().path())
    {
        let boundary = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok());
        if boundary.is_none() {
            // read what was sent (the body limit bounds it), so the client gets to see the answer
            let _ = axum::body::to_bytes(request.into_body(), crate::startup::BODY_LIMIT).await;
            return (
                StatusCode::BAD_REQUEST,
                "This form is sent as multipart/form-data.",
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// A server function's error answers with its own status (404, 403, 422, …) whatever kind of
/// server function it came from: the codec answers every error with 500, so the status is put
/// right here from the error it carries.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let app::error::AppError::Throttled(seconds) = err {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                parts.headers.insert(header::RETRY_AFTER, value);
            }
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::Body, routing::post, Router};
    use tower::ServiceExt;

    async fn status(request: axum::http::Request<Body>) -> StatusCode {
        Router::new()
            .route("/api/x", post(|| async { "ok" }))
            .layer(axum::middleware::from_fn(same_origin_writes))
            .oneshot(request)
            .await
            .expect("answer")
            .status()
    }

    #[tokio::test]
    async fn a_foreign_origin_is_refused_with_or_without_a_host_header() {
        let with_host = |origin: &str| {
            axum::http::Request::post("/api/x")
                .header(header::HOST, "lineup.example")
                .header(header::ORIGIN, origin)
                .body(Body::empty())
                .unwrap()
        };
        assert_eq!(
            status(with_host("https://lineup.example")).await,
            StatusCode::OK
        );
        assert_eq!(
            status(with_host("https://evil.example")).await,
            StatusCode::FORBIDDEN
        );
        // HTTP/2: the site is the URI's authority, and there is no Host header
        let h2 = |origin: &str| {
            axum::http::Request::post("https://lineup.example/api/x")
                .header(header::ORIGIN, origin)
                .body(Body::empty())
                .unwrap()
        };
        assert_eq!(status(h2("https://lineup.example")).await, StatusCode::OK);
        assert_eq!(
            status(h2("https://evil.example")).await,
            StatusCode::FORBIDDEN
        );
        // an Origin and nothing to compare it with
        let bare = axum::http::Request::post("/api/x")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::empty())
            .unwrap();
        assert_eq!(status(bare).await, StatusCode::FORBIDDEN);
    }
}
