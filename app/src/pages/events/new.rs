use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::{accounts::BecomeOrganizer, events::load_event_form},
    components::status::ErrorView,
    error::AppError,
    pages::events::form::EventFormView,
};

#[component]
pub fn NewEventPage() -> impl IntoView {
    let form = OnceResource::new(load_event_form(None));
    view! {
        <Title text="New event"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <EventFormView form/> }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <section class="panel narrow">
                            <h1>"Become an organizer"</h1>
                            <p>"Creating events is for organizers. It takes one click."</p>
                            <form method="post" action=BecomeOrganizer::url()>
                                <button type="submit" class="button primary">"Become an organizer"</button>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
