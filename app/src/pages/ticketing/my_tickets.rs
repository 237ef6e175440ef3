use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::ticketing::my_tickets,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::ticketing::RegistrationStatus,
};

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let locale = use_locale();
    let data = OnceResource::new(my_tickets());
    view! {
        <Title text=td_string!(locale, tickets.mine.title)/>
        <section class="panel">
            <h1>{td_string!(locale, tickets.mine.title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            {data.rows.is_empty().then(|| view! {
                                <p class="empty">{td_string!(locale, tickets.mine.empty)}" "<a href="/search">{td_string!(locale, tickets.mine.find)}</a></p>
                            })}
                            <ul class="ticket-list">
                                {data.rows.into_iter().map(|row| {
                                    let offered = row.status == RegistrationStatus::Offered;
                                    view! {
                                        <li class:past=row.past class:offered=offered>
                                            <a href=format!("/my/tickets/{}", row.id)><strong>{row.event_title}</strong></a>
                                            <span class="muted">" · "{row.event_when}</span><br/>
                                            <span class=format!("status status-{}", row.status.as_str())>{row.status.label_in(locale)}</span>
                                            " "{row.quantity}" × "{row.ticket_type}
                                            {offered.then(|| view! {
                                                <strong class="offer">" "{td_string!(locale, tickets.mine.offer, expires = row.expires_at.clone().unwrap_or_default())}</strong>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {data.calendar_feed_url.map(|url| view! {
                                <p class="muted">{td_string!(locale, tickets.mine.feed)}" "
                                    <input class="feed-url" readonly value=url aria-label=td_string!(locale, tickets.mine.feed_url)/>
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
