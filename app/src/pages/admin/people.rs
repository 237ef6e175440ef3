use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::admin::{load_admin_people, load_audit, ActOnPersonAsAdmin},
    components::{form::FormMessage, status::ErrorView},
    model::{
        admin::{AuditRow, PersonRow},
        taxonomy::Role,
    },
};

/// `/admin`: where the platform's operators start, with the latest admin actions.
#[component]
pub fn AdminPage() -> impl IntoView {
    let latest = OnceResource::new(load_audit(None));
    view! {
        <Title text="Admin"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match latest.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(latest) => view! { <AdminHome latest=latest.rows/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminHome(latest: Vec<AuditRow>) -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"Admin"</h1>
            <ul class="admin-links">
                <li><a href="/admin/people">"People"</a>": find anyone, appoint curators and admins, suspend and reinstate"</li>
                <li><a href="/admin/audit">"Audit log"</a>": every admin action, who, when and why"</li>
                <li><a href="/admin/reports">"Reports and appeals"</a>": what waits for curators, and with whom"</li>
                <li><a href="/curation">"Review queue"</a>": reports, appeals and submissions"</li>
                <li><a href="/admin/status">"System status"</a>": the outbox, deliveries, search, graph and workers"</li>
                <li><a href="/admin/organizations">"Organizations and events"</a>": find them, transfer ownership, cancel an event"</li>
                <li><a href="/admin/mail">"Outgoing mail"</a></li>
                <li><a href="/admin/recs">"Recommendations"</a>": the rankers compared"</li>
            </ul>
            <h2>"Latest admin actions"</h2>
            {if latest.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {latest.into_iter().take(5).map(|r| view! {
                            <li>{r.when}" · "{r.actor}" · "{r.action}" · "{r.subject}": "{r.reason}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// `/admin/people`.
#[component]
pub fn AdminPeoplePageView() -> impl IntoView {
    let q = use_query_map().with_untracked(|m| m.get("q"));
    let page = OnceResource::new(load_admin_people(q));
    view! {
        <Title text="People · Admin"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let (me, q) = (page.me, page.q.clone());
                        view! {
                            <section class="panel admin-people">
                                <h1>"People"</h1>
                                <form method="get" class="inline">
                                    <label for="people-q">"Name or email"</label>
                                    <input id="people-q" type="search" name="q" value=page.q.clone()/>
                                    <button type="submit" class="button">"Search"</button>
                                </form>
                                <FormMessage state=page.state.clone()/>
                                {page.people.is_empty().then(|| view! { <p class="empty">"Nobody matches."</p> })}
                                <table class="table">
                                    <thead><tr><th>"Person"</th><th>"Role"</th><th>"Standing"</th><th>"Change, with a reason"</th></tr></thead>
                                    <tbody>
                                        {page.people.into_iter().map(|p| view! { <PersonLine person=p me=me q=q.clone()/> }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonLine(person: PersonRow, me: i32, q: String) -> impl IntoView {
    let id = person.id;
    let reason_id = format!("reason-{id}");
    let role_id = format!("role-{id}");
    let current = person.role;
    let suspended = person.suspended.is_some();
    view! {
        <tr data-testid="person-row">
            <td><strong>{person.name}</strong><br/><small class="muted">{person.email}" · joined "{person.joined}</small></td>
            <td>{current.label()}</td>
            <td>
                {if person.verified { "Confirmed address" } else { "Unconfirmed address" }}
                <br/><small>{person.reputation}" reputation"</small>
                {person.suspended.map(|why| view! { <br/><strong class="warn">"Suspended: "</strong><small>{why}</small> })}
            </td>
            <td>
                {if id == me {
                    view! { <span class="muted">"You"</span> }.into_any()
                } else {
                    view! {
                        <form method="post" action=ActOnPersonAsAdmin::url() class="stack compact">
                            <input type="hidden" name="person" value=id/>
                            <input type="hidden" name="q" value=q/>
                            <label for=reason_id.clone()>"Reason"</label>
                            <input id=reason_id type="text" name="reason" required maxlength="500"/>
                            <div class="inline">
                                <label class="visually-hidden" for=role_id.clone()>"Role"</label>
                                <select id=role_id name="role">
                                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == current>{r.label()}</option> }).collect_view()}
                                </select>
                                <button type="submit" name="action" value="role" class="link">"Set role"</button>
                                {if suspended {
                                    view! { <button type="submit" name="action" value="reinstate" class="link">"Reinstate"</button> }.into_any()
                                } else {
                                    view! { <button type="submit" name="action" value="suspend" class="link danger">"Suspend"</button> }.into_any()
                                }}
                            </div>
                        </form>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}
