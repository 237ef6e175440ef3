use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::admin::load_status,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::admin::SystemStatus,
};

/// `/admin/status`: the outbox, deliveries, search, graph and background workers.
#[component]
pub fn StatusPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(load_status());
    view! {
        <Title text=td_string!(locale, admin.status.title)/>
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
    let locale = use_locale();
    let in_sync = status.search_documents == status.searchable_events;
    view! {
        <section class="panel status">
            <h1>{td_string!(locale, admin.status.title)}</h1>
            <h2>{td_string!(locale, admin.status.outbox)}</h2>
            {if status.outbox.is_empty() {
                view! { <p data-testid="outbox-empty">{td_string!(locale, admin.status.outbox_empty)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, admin.status.topic)}</th>
                                <th scope="col">{td_string!(locale, admin.status.waiting)}</th>
                                <th scope="col">{td_string!(locale, admin.status.retrying)}</th>
                                <th scope="col">{td_string!(locale, admin.status.oldest)}</th>
                                <th scope="col">{td_string!(locale, admin.status.last_error)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {status.outbox.into_iter().map(|t| view! {
                                <tr><th scope="row">{t.topic}</th><td>{t.pending}</td><td>{t.retrying}</td><td>{t.oldest}</td><td>{t.last_error.unwrap_or_default()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h2>{td_string!(locale, admin.status.deliveries)}</h2>
            <p>
                {td_string!(
                    locale,
                    admin.status.deliveries_failed,
                    failed = status.failed_deliveries,
                    retrying = status.retrying_deliveries,
                )}
            </p>
            {status.last_delivery_error.map(|e| view! { <p class="muted">{td_string!(locale, admin.status.latest_error, error = e)}</p> })}
            <p><a href="/admin/mail">{td_string!(locale, admin.shared.outgoing_mail)}</a></p>
            <h2>{td_string!(locale, admin.status.search)}</h2>
            <p>
                {if in_sync {
                    td_string!(
                        locale,
                        admin.status.search_in_step,
                        backend = &status.search_backend,
                        documents = status.search_documents,
                        events = status.searchable_events,
                    )
                } else {
                    td_string!(
                        locale,
                        admin.status.search_catching_up,
                        backend = &status.search_backend,
                        documents = status.search_documents,
                        events = status.searchable_events,
                    )
                }}
            </p>
            <h2>{td_string!(locale, admin.status.graph)}</h2>
            <p>
                {td_string!(
                    locale,
                    admin.status.graph_pending,
                    backend = status.graph_backend,
                    writes = status.graph_pending,
                )}
            </p>
            <h2>{td_string!(locale, admin.status.workers)}</h2>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, admin.status.worker)}</th>
                        <th scope="col">{td_string!(locale, admin.status.last_run)}</th>
                        <th scope="col">{td_string!(locale, admin.status.ago)}</th>
                    </tr>
                </thead>
                <tbody>
                    {status.workers.into_iter().map(|(name, at, ago)| view! {
                        <tr><th scope="row">{name}</th><td>{at}</td><td>{ago}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{td_string!(locale, admin.status.curators)}</h2>
            <p>
                {td_string!(
                    locale,
                    admin.status.curators_waiting,
                    reports = status.open_reports,
                    appeals = status.open_appeals,
                )}
                " "
                <a href="/admin/reports">{td_string!(locale, admin.reports.title)}</a>
            </p>
        </section>
    }
}
