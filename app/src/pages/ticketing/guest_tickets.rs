use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{guest_tickets_form, ResendGuestTickets},
    components::{
        form::{Field, FormMessage},
        language::use_locale,
    },
    i18n::td_string,
};

/// `/guest/tickets`: booked without an account and lost the links? They come again by mail.
#[component]
pub fn GuestTicketsPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(guest_tickets_form());
    view! {
        <Title text=td_string!(locale, tickets.guest_tickets.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, tickets.guest_tickets.title)}</h1>
            <p>{td_string!(locale, tickets.guest_tickets.intro)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=ResendGuestTickets::url() class="stack">
                            <Field state name="email" label=td_string!(locale, tickets.guest_tickets.email) kind="email" required=true autocomplete="email"/>
                            <button type="submit" class="button primary">{td_string!(locale, tickets.guest_tickets.title)}</button>
                        </form>
                    }
                })}
            </Suspense>
        </section>
    }
}
