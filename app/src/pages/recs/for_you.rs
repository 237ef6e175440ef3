use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::recs::load_for_you,
    components::{event_card::EventCardView, language::use_locale, status::ErrorView},
    i18n::td_string,
};

/// `/for-you`: the signed-in person's recommendations, each card saying why it is there.
#[component]
pub fn ForYouPage() -> impl IntoView {
    let locale = use_locale();
    let list = OnceResource::new(load_for_you());
    view! {
        <Title text=td_string!(locale, recs.for_you.title)/>
        <section class="panel for-you">
            <h1>{td_string!(locale, recs.for_you.title)}</h1>
            <p class="meta">{td_string!(locale, recs.for_you.intro)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(locale, recs.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) if list.cards.is_empty() => view! {
                            <p class="empty">{td_string!(locale, recs.for_you.empty)}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <div class="cards">
                                {list.cards.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
