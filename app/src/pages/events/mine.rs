use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::events::{my_events, SubmitEvent},
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::events::EventStatus,
};

#[component]
pub fn MyEventsPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(my_events());
    view! {
        <Title text=td_string!(locale, events.mine.title)/>
        <section class="panel">
            <div class="panel-head">
                <h1>{td_string!(locale, events.mine.title)}</h1>
                <a class="button primary" href="/events/new">{td_string!(locale, events.new_event)}</a>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty">
                                {td_string!(locale, events.mine.empty)}" "
                                <a href="/events/new">{td_string!(locale, events.mine.create_first)}</a>
                            </p>
                        }
                        .into_any(),
                        Ok(rows) => view! {
                            <table class="table">
                                <thead><tr>
                                    <th>{td_string!(locale, events.mine.event)}</th>
                                    <th>{td_string!(locale, events.when_label)}</th>
                                    <th>{td_string!(locale, events.status)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td><a href=format!("/events/{}", row.id)>{row.title}</a></td>
                                            <td>{row.when}</td>
                                            <td>
                                                <span class=format!("status status-{}", row.status.as_str())>{row.status.label_in(locale)}</span>
                                                {row.hidden.then(|| view! { <br/><small class="warn">{td_string!(locale, events.mine.hidden)}</small> })}
                                                {row.pending_changes.then(|| view! { <br/><small class="muted">{td_string!(locale, events.mine.changes_pending)}</small> })}
                                            </td>
                                            <td class="actions">
                                                <a href=format!("/events/{}/edit", row.id)>{td_string!(locale, events.mine.edit)}</a>
                                                " "<a href=format!("/events/{}/history", row.id)>{td_string!(locale, events.mine.history)}</a>
                                                " "<a href=format!("/events/{}/tickets", row.id)>{td_string!(locale, events.mine.tickets)}</a>
                                                " "<a href=format!("/events/{}/guests", row.id)>{td_string!(locale, events.mine.guests)}</a>
                                                {matches!(row.status, EventStatus::Draft | EventStatus::NeedsRevision).then(|| view! {
                                                    <form method="post" action=SubmitEvent::url() class="inline">
                                                        <input type="hidden" name="id" value=row.id/>
                                                        <button type="submit" class="link">{td_string!(locale, events.mine.submit)}</button>
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
