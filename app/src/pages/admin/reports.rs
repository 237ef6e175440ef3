use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::load_reports, components::status::ErrorView};

/// `/admin/reports`: reports and appeals waiting for curators.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let page = OnceResource::new(load_reports());
    view! {
        <Title text="Reports and appeals · Admin"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(rows) => view! {
                        <section class="panel">
                            <h1>"Reports and appeals"</h1>
                            <p class="muted">"What waits for curators; they decide in the "<a href="/curation">"review queue"</a>"."</p>
                            {if rows.is_empty() {
                                view! { <p class="empty">"Nothing waiting."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <thead><tr><th scope="col">"Event"</th><th scope="col">"Why"</th><th scope="col">"Organization"</th><th scope="col">"Reports"</th><th scope="col">"Waiting"</th><th scope="col">"With"</th></tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| view! {
                                                <tr data-testid="report-row">
                                                    <th scope="row"><a href=format!("/curation/submissions/{}", r.submission_id)>{r.title}</a></th>
                                                    <td>{r.kind}</td>
                                                    <td>{r.organization}</td>
                                                    <td>{r.reports}</td>
                                                    <td>{r.waiting}</td>
                                                    <td>{r.with.unwrap_or_else(|| "nobody yet".to_owned())}</td>
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
