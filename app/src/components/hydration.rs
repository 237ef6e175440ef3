//! The script that brings the islands to life. Leptos' `HydrationScripts` also preloads the
//! WebAssembly with high priority, which on a slow connection competes with the page's own
//! stylesheet and images (Lighthouse measured the largest paint 2.7 s late on a simulated mobile
//! connection); it has no option to leave the preload out, so this renders the script alone.
use std::sync::LazyLock;

use leptos::{nonce::use_nonce, prelude::*, reactive::owner::Owner};

/// `hydration.js` without its comments, which stay out of every page; worked out once.
static CODE: LazyLock<String> = LazyLock::new(|| {
    include_str!("hydration.js")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
});

/// Hydrates the islands once the browser is idle, each in a task of its own (`hydration.js`).
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // outside islands the server renders plain HTML, without hydration markers
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let name = options.output_name.to_string();
    // cargo-leptos names the WebAssembly after the output; a plain wasm-bindgen build adds `_bg`
    let wasm = match option_env!("LEPTOS_OUTPUT_NAME") {
        Some(_) => name.clone(),
        None => format!("{name}_bg"),
    };
    let script = format!(
        "{}({:?}, {name:?}, {wasm:?});",
        *CODE,
        options.site_pkg_dir.to_string()
    );
    view! { <script type="module" nonce=use_nonce()>{script}</script> }
}
