use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::ticketing::my_tickets, components::status::ErrorView, model::ticketing::RegistrationStatus,
};

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let data = OnceResource::new(my_tickets());
    view! {
        <Title text="My tickets"/>
        <section class="panel">
            <h1>"My tickets"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            {data.rows.is_empty().then(|| view! {
                                <p class="empty">"No tickets yet. "<a href="/search">"Find something to go to."</a></p>
                            })}
                            <ul class="ticket-list">
                                {data.rows.into_iter().map(|row| {
                                    let offered = row.status == RegistrationStatus::Offered;
                                    view! {
                                        <li class:past=row.past class:offered=offered>
                                            <a href=format!("/my/tickets/{}", row.id)><strong>{row.event_title}</strong></a>
                                            <span class="muted">" · "{row.event_when}</span><br/>
                                            <span class=format!("status status-{}", row.status.as_str())>{row.status.label()}</span>
                                            " "{row.quantity}" × "{row.ticket_type}
                                            {offered.then(|| view! {
                                                <strong class="offer">" A seat is yours if you accept by "{row.expires_at.clone().unwrap_or_default()}</strong>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {data.calendar_feed_url.map(|url| view! {
                                <p class="muted">"Your private calendar feed (subscribe in your calendar app; keep it to yourself): "
                                    <input class="feed-url" readonly value=url aria-label="Calendar feed URL"/>
                                </p>
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
