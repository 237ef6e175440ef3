use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::admin::load_reports,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
};

/// `/admin/reports`: reports and appeals waiting for curators.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(load_reports());
    view! {
        <Title text=td_string!(locale, admin.reports.page_title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(rows) => view! {
                        <section class="panel">
                            <h1>{td_string!(locale, admin.reports.title)}</h1>
                            <p class="muted">
                                {td_string!(locale, admin.reports.intro)}" "
                                <a href="/curation">{td_string!(locale, admin.reports.review_queue)}</a>"."
                            </p>
                            {if rows.is_empty() {
                                view! { <p class="empty">{td_string!(locale, admin.reports.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{td_string!(locale, admin.reports.event)}</th>
                                                <th scope="col">{td_string!(locale, admin.reports.why)}</th>
                                                <th scope="col">{td_string!(locale, admin.reports.organization)}</th>
                                                <th scope="col">{td_string!(locale, admin.reports.reports)}</th>
                                                <th scope="col">{td_string!(locale, admin.reports.waiting)}</th>
                                                <th scope="col">{td_string!(locale, admin.reports.with)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| view! {
                                                <tr data-testid="report-row">
                                                    <th scope="row"><a href=format!("/curation/submissions/{}", r.submission_id)>{r.title}</a></th>
                                                    <td>{r.kind}</td>
                                                    <td>{r.organization}</td>
                                                    <td>{r.reports}</td>
                                                    <td>{r.waiting}</td>
                                                    <td>{r.with.unwrap_or_else(|| td_string!(locale, admin.reports.nobody_yet).to_owned())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
