use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{guest_tickets_form, ResendGuestTickets},
    components::form::{Field, FormMessage},
};

/// `/guest/tickets`: booked without an account and lost the links? They come again by mail.
#[component]
pub fn GuestTicketsPage() -> impl IntoView {
    let form = OnceResource::new(guest_tickets_form());
    view! {
        <Title text="Send me my tickets"/>
        <section class="panel narrow">
            <h1>"Send me my tickets"</h1>
            <p>"Booked without an account? Tell us the address you booked with and we mail you the links to your tickets again."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=ResendGuestTickets::url() class="stack">
                            <Field state name="email" label="Email" kind="email" required=true autocomplete="email"/>
                            <button type="submit" class="button primary">"Send me my tickets"</button>
                        </form>
                    }
                })}
            </Suspense>
        </section>
    }
}
