use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::events::event_form,
    components::status::ErrorView,
    pages::events::{form::EventFormView, show::id_param},
};

#[component]
pub fn EditEventPage() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text="Edit event"/>
        <Suspense fallback=|| ()>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    let loaded = match id {
                        Ok(id) => event_form(Some(id)).await,
                        Err(e) => Err(e),
                    };
                    match loaded {
                        Ok(form) => view! { <EventFormView form/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
