use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::recs::load_saved,
    components::{event_card::EventCardView, language::use_locale, status::ErrorView},
    i18n::td_string,
};

/// `/saved`: the events the person marked "Interested", upcoming first.
#[component]
pub fn SavedPage() -> impl IntoView {
    let locale = use_locale();
    let saved = OnceResource::new(load_saved());
    view! {
        <Title text=td_string!(locale, recs.saved.title)/>
        <section class="panel saved">
            <h1>{td_string!(locale, recs.saved.title)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(locale, recs.loading)}</p> }>
                {move || Suspend::new(async move {
                    match saved.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(s) if s.upcoming.is_empty() && s.past.is_empty() => view! {
                            <p class="empty">{td_string!(locale, recs.saved.empty)}</p>
                        }.into_any(),
                        Ok(s) => view! {
                            <div class="cards">
                                {s.upcoming.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
                            </div>
                            {(!s.past.is_empty()).then(|| view! {
                                <h2>{td_string!(locale, recs.saved.past)}</h2>
                                <div class="cards">
                                    {s.past.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
                                </div>
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
