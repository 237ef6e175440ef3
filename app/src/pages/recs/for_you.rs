use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::recs::load_for_you,
    components::{event_card::EventCardView, status::ErrorView},
};

/// `/for-you`: the signed-in person's recommendations, each card saying why it is there.
#[component]
pub fn ForYouPage() -> impl IntoView {
    let list = OnceResource::new(load_for_you());
    view! {
        <Title text="For you"/>
        <section class="panel for-you">
            <h1>"For you"</h1>
            <p class="meta">"Picked from what you saved, booked and looked at, what your friends are going to and what is popular near you."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) if list.cards.is_empty() => view! {
                            <p class="empty">"Nothing to recommend yet. Save a few events you like and come back."</p>
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
