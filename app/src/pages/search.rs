use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::{
    api::discovery::search_events,
    components::{search::SearchApp, status::ErrorView},
};

/// `/search`: the whole state is in the query string, so a search can be shared and bookmarked.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_location().search.get_untracked();
    let results = OnceResource::new(search_events(query));
    view! {
        <Meta name="description" content="Search upcoming events by what, when, where and price."/>
        <Suspense fallback=|| view! { <p>"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => {
                        let title = if page.params.q.is_empty() {
                            "Search events".to_owned()
                        } else {
                            format!("“{}” — search", page.params.q)
                        };
                        view! {
                            <Title text=title/>
                            <h1 class="visually-hidden">"Search events"</h1>
                            <SearchApp initial=page/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
