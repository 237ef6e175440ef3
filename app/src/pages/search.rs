use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::{
    api::discovery::search_events,
    components::{
        language::use_locale,
        search::{SearchApp, SearchText},
        status::ErrorView,
    },
    i18n::td_string,
};

/// `/search`: the whole state is in the query string, so a search can be shared and bookmarked.
#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_location().search.get_untracked();
    let results = OnceResource::new(search_events(query));
    view! {
        <Meta name="description" content=td_string!(locale, search.page.description)/>
        <Suspense fallback=move || view! { <p>{td_string!(locale, search.page.searching)}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => {
                        let title = if page.params.q.is_empty() {
                            td_string!(locale, search.page.title).to_owned()
                        } else {
                            td_string!(locale, search.page.title_query, query = &page.params.q)
                        };
                        view! {
                            <Title text=title/>
                            <h1 class="visually-hidden">{td_string!(locale, search.page.title)}</h1>
                            <SearchApp initial=page text=SearchText::new(locale)/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
