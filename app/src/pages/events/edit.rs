use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::events::load_event_form,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    pages::events::{form::EventFormView, show::id_param},
};

#[component]
pub fn EditEventPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let form = OnceResource::new(async move {
        match id {
            Ok(id) => load_event_form(Some(id)).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Title text=td_string!(locale, events.edit_event)/>
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <EventFormView form/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
