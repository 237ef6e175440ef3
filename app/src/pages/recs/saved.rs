use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::recs::load_saved,
    components::{event_card::EventCardView, status::ErrorView},
};

/// `/saved`: the events the person marked "Interested", upcoming first.
#[component]
pub fn SavedPage() -> impl IntoView {
    let saved = OnceResource::new(load_saved());
    view! {
        <Title text="Saved"/>
        <section class="panel saved">
            <h1>"Saved"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match saved.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(s) if s.upcoming.is_empty() && s.past.is_empty() => view! {
                            <p class="empty">"Nothing saved yet. Press Save on an event to keep it here."</p>
                        }.into_any(),
                        Ok(s) => view! {
                            <div class="cards">
                                {s.upcoming.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
                            </div>
                            {(!s.past.is_empty()).then(|| view! {
                                <h2>"Past"</h2>
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
