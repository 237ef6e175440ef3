//! The Content-Security-Policy of rendered pages. Scripts run only from this origin or with the
//! per-response nonce that Leptos puts on its hydration script; WebAssembly may compile.
use leptos::{nonce::use_nonce, prelude::use_context};

pub const CSP_HEADER: &str = "content-security-policy";

/// `form_targets`: other origins forms may lead to (a payment provider's checkout, which the
/// booking form redirects to), space separated; empty for none.
pub fn policy(nonce: Option<&str>, form_targets: &str) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    // debug builds talk to `cargo leptos watch`'s live-reload socket
    let reload = if cfg!(debug_assertions) {
        " ws://127.0.0.1:3001 ws://localhost:3001"
    } else {
        ""
    };
    let form_targets = if form_targets.is_empty() {
        String::new()
    } else {
        format!(" {form_targets}")
    };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'{reload}; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'{form_targets}; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )
}

pub fn provide_nonce_and_csp() {
    leptos::nonce::provide_nonce();
    if let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    {
        let targets = use_context::<crate::domain::context::AppState>()
            .and_then(|s| s.settings.checkout_origin.clone())
            .unwrap_or_default();
        if let Ok(value) = http::HeaderValue::from_str(&policy(Some(&nonce), &targets)) {
            response.insert_header(http::HeaderName::from_static(CSP_HEADER), value);
        }
    }
}
