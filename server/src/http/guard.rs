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
        let foreign_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => {
                let origin = origin.to_str().unwrap_or_default();
                let host = host.to_str().unwrap_or_default();
                // "null" (sandboxed frames, some redirects) is as foreign as another site
                origin
                    .split("://")
                    .nth(1)
                    .is_none_or(|o| !o.eq_ignore_ascii_case(host))
            }
            _ => false,
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
