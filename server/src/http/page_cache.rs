use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};

use app::domain::{cache::Changes, context::REFUSED_HEADER};

use crate::http::metrics::RouteLabel;

pub const SESSION_COOKIE: &str = "lineup_session";
const MAX_BODY: usize = 4 * 1024 * 1024;
const MAX_ENTRIES: usize = 5_000;

/// Rendered public pages for visitors without a session. Every page a signed-out visitor sees
/// is the same for all of them, so it is rendered once and served from memory until something
/// changes (any successful non-GET request moves the shared [`Changes`] on, as do the outbox
/// workers and the sweeps) or `ttl` passes (times such as "Today" move on by themselves).
///
/// Each response still gets its own script nonce: the cached nonce is replaced in the body and
/// in the Content-Security-Policy header.
pub struct PageCache {
    ttl: Duration,
    changes: Arc<Changes>,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
}

struct Entry {
    generation: u64,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
    nonce: Option<String>,
    route: Option<RouteLabel>,
}

impl PageCache {
    pub fn new(ttl: Duration, changes: Arc<Changes>) -> Self {
        PageCache {
            ttl,
            changes,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// A write succeeded: every cached page and every read keyed on [`Changes`] expire.
    fn invalidate(&self) {
        self.changes.bump();
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self
            .entries
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()?;
        (entry.generation == self.changes.current() && entry.stored.elapsed() < self.ttl)
            .then_some(entry)
    }

    fn put(&self, key: String, entry: Entry) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Arc::new(entry));
    }
}

/// The cache key of a public page, or `None` when the request is not one. Query strings other
/// than a known category are not cached, so made-up URLs cannot fill the cache.
fn cache_key(uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    let event = path.strip_prefix("/events/").is_some_and(|id| {
        !id.is_empty() && id.len() <= 10 && id.bytes().all(|b| b.is_ascii_digit())
    });
    match (path, uri.query()) {
        (_, None) if path == "/" || event => Some(path.to_owned()),
        ("/", Some(query)) => query
            .strip_prefix("category=")
            .filter(|slug| app::model::taxonomy::Category::from_slug(slug).is_some())
            .map(|_| format!("/?{query}")),
        _ => None,
    }
}

/// Writes go through server functions; a successful one may change what public pages show.
fn is_successful_write(method: &Method, path: &str, response: &Response) -> bool {
    let status = response.status();
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        && path.starts_with("/api/")
        && (status.is_success() || status.is_redirection())
        && !response.headers().contains_key(REFUSED_HEADER)
}

fn has_session(headers: &HeaderMap) -> bool {
    headers.get_all(header::COOKIE).iter().any(|v| {
        v.to_str()
            .map(|s| {
                s.split(';')
                    .any(|c| c.trim_start().starts_with(SESSION_COOKIE))
            })
            .unwrap_or(true)
    })
}

fn nonce_in(headers: &HeaderMap) -> Option<String> {
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_owned())
}

fn fresh_nonce() -> String {
    leptos::nonce::Nonce::new().to_string()
}

fn replay(entry: &Entry) -> Response {
    let (body, csp) = match &entry.nonce {
        Some(old) => {
            let new = fresh_nonce();
            let body = String::from_utf8_lossy(&entry.body).replace(old.as_str(), &new);
            let csp = entry
                .headers
                .get(header::CONTENT_SECURITY_POLICY)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| HeaderValue::from_str(&v.replace(old.as_str(), &new)).ok());
            (Bytes::from(body), csp)
        }
        None => (entry.body.clone(), None),
    };
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = entry.headers.clone();
    if let Some(csp) = csp {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
        .headers_mut()
        .insert("x-lineup-cache", HeaderValue::from_static("hit"));
    if let Some(route) = &entry.route {
        response.extensions_mut().insert(route.clone());
    }
    response
}

pub async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET {
        let path = request.uri().path().to_owned();
        let response = next.run(request).await;
        if is_successful_write(&method, &path, &response) {
            cache.invalidate();
        }
        return response;
    }
    let key = match cache_key(request.uri()) {
        // a page per language: the one the request negotiates (`model::language`)
        Some(key) if !has_session(request.headers()) => {
            let locale = app::model::language::from_headers(request.headers());
            format!("{} {key}", app::model::language::tag(locale))
        }
        _ => return next.run(request).await,
    };
    if let Some(entry) = cache.get(&key) {
        return replay(&entry);
    }
    let generation = cache.changes.current();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "buffering a page for the cache");
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            return Response::from_parts(parts, Body::empty());
        }
    };
    cache.put(
        key,
        Entry {
            generation,
            stored: Instant::now(),
            headers: parts.headers.clone(),
            body: body.clone(),
            nonce: nonce_in(&parts.headers),
            route: parts.extensions.get::<RouteLabel>().cloned(),
        },
    );
    parts
        .headers
        .insert("x-lineup-cache", HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_pages_are_cacheable() {
        let key = |uri: &str| cache_key(&uri.parse().unwrap());
        assert_eq!(key("/").as_deref(), Some("/"));
        assert_eq!(key("/events/42").as_deref(), Some("/events/42"));
        assert_eq!(key("/?category=music").as_deref(), Some("/?category=music"));
        for not_cached in [
            "/events/42/edit",
            "/events/new",
            "/my/events",
            "/?x=1",
            "/?category=nope",
            "/events/42?x=1",
        ] {
            assert_eq!(key(not_cached), None, "{not_cached}");
        }
    }

    #[test]
    fn only_successful_server_function_writes_invalidate() {
        let answer = |status: u16, refused: bool| {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            if refused {
                response
                    .headers_mut()
                    .insert(REFUSED_HEADER, HeaderValue::from_static("1"));
            }
            response
        };
        assert!(is_successful_write(
            &Method::POST,
            "/api/events/save",
            &answer(302, false)
        ));
        assert!(!is_successful_write(
            &Method::POST,
            "/api/events/save",
            &answer(302, true)
        ));
        assert!(!is_successful_write(
            &Method::POST,
            "/api/events/save",
            &answer(403, false)
        ));
        assert!(!is_successful_write(
            &Method::POST,
            "/nowhere",
            &answer(200, false)
        ));
        assert!(!is_successful_write(
            &Method::OPTIONS,
            "/api/x",
            &answer(200, false)
        ));
    }

    #[test]
    fn session_cookies_bypass_the_cache() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark"));
        assert!(!has_session(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; lineup_session=abc"),
        );
        assert!(has_session(&headers));
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'self' 'nonce-abc_D' 'wasm-unsafe-eval'"),
        );
        assert_eq!(nonce_in(&headers).as_deref(), Some("abc_D"));
    }
}
