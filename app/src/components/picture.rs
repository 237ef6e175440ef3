//! A stored image in a page: WebP at the width the layout needs where the browser takes it, the
//! original otherwise, always with its size so nothing moves while it loads.
use leptos::prelude::*;

use crate::model::events::Picture;

/// `sizes` says how wide the image is drawn; `priority` is for the one image that matters most
/// on the page (loaded first, never lazily).
#[component]
pub fn PictureView(
    picture: Picture,
    class: &'static str,
    sizes: &'static str,
    #[prop(optional)] priority: bool,
) -> impl IntoView {
    view! {
        <picture>
            {picture.webp_srcset.map(|set| view! { <source type="image/webp" srcset=set sizes=sizes/> })}
            <img
                class=class
                src=picture.src
                width=picture.width
                height=picture.height
                alt=""
                decoding="async"
                loading=if priority { "eager" } else { "lazy" }
                fetchpriority=if priority { "high" } else { "auto" }
            />
        </picture>
    }
}
