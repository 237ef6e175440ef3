use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::load_audit,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
};

/// `/admin/audit`: read-only, newest first.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let locale = use_locale();
    let page_no =
        use_query_map().with_untracked(|m| m.get("page").and_then(|p| p.parse::<u64>().ok()));
    let page = OnceResource::new(load_audit(page_no));
    view! {
        <Title text=td_string!(locale, admin.audit.page_title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section class="panel audit">
                            <h1>{td_string!(locale, admin.audit.title)}</h1>
                            <p class="muted">{td_string!(locale, admin.audit.intro)}</p>
                            {page.rows.is_empty().then(|| view! { <p class="empty">{td_string!(locale, admin.audit.empty)}</p> })}
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th>{td_string!(locale, admin.audit.when)}</th>
                                        <th>{td_string!(locale, admin.audit.who)}</th>
                                        <th>{td_string!(locale, admin.audit.what)}</th>
                                        <th>{td_string!(locale, admin.audit.to_whom)}</th>
                                        <th>{td_string!(locale, admin.audit.why)}</th>
                                    </tr>
                                </thead>
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
                                {(page.page > 1).then(|| view! { <a href=format!("/admin/audit?page={}", page.page - 1)>{td_string!(locale, admin.audit.newer)}</a> })}
                                {page.more.then(|| view! { <a href=format!("/admin/audit?page={}", page.page + 1)>{td_string!(locale, admin.audit.older)}</a> })}
                            </nav>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
