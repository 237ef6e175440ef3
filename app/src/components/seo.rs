//! What search engines and link previews read in a page's head besides its title: the canonical
//! address (without tracking or invite parameters), Open Graph and the Twitter card.
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The site's absolute address, from the server's settings (pages render on the server).
pub fn public_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::domain::context::AppState>()
            .map(|s| s.settings.public_url.trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The canonical link and Open Graph data of a page at `path`, with `image` (a path on this
/// site) for the preview when there is one.
#[component]
pub fn Seo(
    path: String,
    title: String,
    description: String,
    #[prop(default = None)] image: Option<String>,
) -> impl IntoView {
    let base = public_url();
    let url = format!("{base}{path}");
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    view! {
        <Link rel="canonical" href=url.clone()/>
        <Meta name="description" content=description.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:url" content=url/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta name="twitter:card" content=card/>
        {image.map(|i| view! { <Meta property="og:image" content=format!("{base}{i}")/> })}
    }
}
