use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::{accounts::BecomeOrganizer, events::load_event_form},
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::td_string,
    pages::events::form::EventFormView,
};

#[component]
pub fn NewEventPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(load_event_form(None));
    view! {
        <Title text=td_string!(locale, events.new_event)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <EventFormView form/> }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <section class="panel narrow">
                            <h1>{td_string!(locale, events.create.become_organizer)}</h1>
                            <p>{td_string!(locale, events.create.for_organizers)}</p>
                            <form method="post" action=BecomeOrganizer::url()>
                                <button type="submit" class="button primary">{td_string!(locale, events.create.become_organizer)}</button>
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
