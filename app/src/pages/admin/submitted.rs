use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::admin::{submitted_events, PublishEvent},
    components::status::ErrorView,
};

#[component]
pub fn SubmittedPage() -> impl IntoView {
    let rows = OnceResource::new(submitted_events());
    view! {
        <Title text="Submitted events"/>
        <section class="panel">
            <h1>"Submitted events"</h1>
            <p class="muted">"Until the curation workspace arrives, an admin publishes submitted events here."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"Nothing is waiting for review."</p> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table">
                                <thead><tr><th>"Event"</th><th>"Organizer"</th><th>"Category"</th><th>"When"</th><th></th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td><a href=format!("/events/{}", row.id)>{row.title.clone()}</a></td>
                                            <td>{row.organizer_name}</td>
                                            <td>{row.category_label}</td>
                                            <td>{row.when}</td>
                                            <td>
                                                <form method="post" action=PublishEvent::url() class="inline">
                                                    <input type="hidden" name="id" value=row.id/>
                                                    <button type="submit" class="button primary" aria-label=format!("Publish {}", row.title)>"Publish"</button>
                                                </form>
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
