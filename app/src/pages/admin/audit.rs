use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{api::admin::load_audit, components::status::ErrorView};

/// `/admin/audit`: read-only, newest first.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let page_no =
        use_query_map().with_untracked(|m| m.get("page").and_then(|p| p.parse::<u64>().ok()));
    let page = OnceResource::new(load_audit(page_no));
    view! {
        <Title text="Audit log · Admin"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section class="panel audit">
                            <h1>"Audit log"</h1>
                            <p class="muted">"Every admin action, as it was written. Nobody can change it."</p>
                            {page.rows.is_empty().then(|| view! { <p class="empty">"Nothing yet."</p> })}
                            <table class="table">
                                <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"To whom"</th><th>"Why"</th></tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|r| view! {
                                        <tr data-testid="audit-row">
                                            <td>{r.when}</td>
                                            <td>{r.actor}</td>
                                            <td>{r.action}<br/><small class="muted">{r.details}</small></td>
                                            <td>{r.subject}</td>
                                            <td>{r.reason}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <nav class="pages">
                                {(page.page > 1).then(|| view! { <a href=format!("/admin/audit?page={}", page.page - 1)>"Newer"</a> })}
                                {page.more.then(|| view! { <a href=format!("/admin/audit?page={}", page.page + 1)>"Older"</a> })}
                            </nav>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
