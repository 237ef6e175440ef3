use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::events::{my_events, SubmitEvent},
    components::status::ErrorView,
    model::events::EventStatus,
};

#[component]
pub fn MyEventsPage() -> impl IntoView {
    let rows = OnceResource::new(my_events());
    view! {
        <Title text="My events"/>
        <section class="panel">
            <div class="panel-head">
                <h1>"My events"</h1>
                <a class="button primary" href="/events/new">"New event"</a>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty">"You have no events yet. "<a href="/events/new">"Create your first one."</a></p>
                        }
                        .into_any(),
                        Ok(rows) => view! {
                            <table class="table">
                                <thead><tr><th>"Event"</th><th>"When"</th><th>"Status"</th><th></th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td><a href=format!("/events/{}", row.id)>{row.title}</a></td>
                                            <td>{row.when}</td>
                                            <td>
                                                <span class=format!("status status-{}", row.status.as_str())>{row.status.label()}</span>
                                                {row.hidden.then(|| view! { <br/><small class="warn">"Hidden by community reports"</small> })}
                                                {row.pending_changes.then(|| view! { <br/><small class="muted">"Changes wait for review"</small> })}
                                            </td>
                                            <td class="actions">
                                                <a href=format!("/events/{}/edit", row.id)>"Edit"</a>
                                                " "<a href=format!("/events/{}/history", row.id)>"History"</a>
                                                " "<a href=format!("/events/{}/tickets", row.id)>"Tickets"</a>
                                                " "<a href=format!("/events/{}/guests", row.id)>"Guests"</a>
                                                {matches!(row.status, EventStatus::Draft | EventStatus::NeedsRevision).then(|| view! {
                                                    <form method="post" action=SubmitEvent::url() class="inline">
                                                        <input type="hidden" name="id" value=row.id/>
                                                        <button type="submit" class="link">"Submit"</button>
                                                    </form>
                                                })}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
