use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::load_status, components::status::ErrorView, model::admin::SystemStatus};

/// `/admin/status`: the outbox, deliveries, search, graph and background workers.
#[component]
pub fn StatusPage() -> impl IntoView {
    let page = OnceResource::new(load_status());
    view! {
        <Title text="System status"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(status) => view! { <Status status/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Status(status: SystemStatus) -> impl IntoView {
    let in_sync = status.search_documents == status.searchable_events;
    view! {
        <section class="panel status">
            <h1>"System status"</h1>
            <h2>"Outbox"</h2>
            {if status.outbox.is_empty() {
                view! { <p data-testid="outbox-empty">"Nothing waiting: every write has reached search, the graph and notifications."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Topic"</th><th scope="col">"Waiting"</th><th scope="col">"Retrying"</th><th scope="col">"Oldest"</th><th scope="col">"Last error"</th></tr></thead>
                        <tbody>
                            {status.outbox.into_iter().map(|t| view! {
                                <tr><th scope="row">{t.topic}</th><td>{t.pending}</td><td>{t.retrying}</td><td>{t.oldest}</td><td>{t.last_error.unwrap_or_default()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h2>"Deliveries"</h2>
            <p>{format!("{} mail and push deliveries failed in the last 7 days; {} wait for a retry.", status.failed_deliveries, status.retrying_deliveries)}</p>
            {status.last_delivery_error.map(|e| view! { <p class="muted">"Latest error: "{e}</p> })}
            <p><a href="/admin/mail">"Outgoing mail"</a></p>
            <h2>"Search"</h2>
            <p>{format!(
                "{} index ({}): {} documents for {} searchable events{}.",
                status.search_backend,
                if in_sync { "in step" } else { "catching up" },
                status.search_documents,
                status.searchable_events,
                if in_sync { "" } else { "; the search worker is applying the outbox" },
            )}</p>
            <h2>"Graph"</h2>
            <p>{format!("{} graph: {} writes waiting in the outbox.", status.graph_backend, status.graph_pending)}</p>
            <h2>"Background workers (this process)"</h2>
            <table class="table">
                <thead><tr><th scope="col">"Worker"</th><th scope="col">"Last run"</th><th scope="col">"Ago"</th></tr></thead>
                <tbody>
                    {status.workers.into_iter().map(|(name, at, ago)| view! {
                        <tr><th scope="row">{name}</th><td>{at}</td><td>{ago}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h2>"Waiting for curators"</h2>
            <p>
                {format!("{} reported events and {} appeals. ", status.open_reports, status.open_appeals)}
                <a href="/admin/reports">"Reports and appeals"</a>
            </p>
        </section>
    }
}
