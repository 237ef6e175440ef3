use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::admin::{load_admin_organizations, ActAsAdminOnOrganization},
    components::{form::FormMessage, status::ErrorView},
    model::admin::{AdminEventRow, AdminOrgRow},
};

/// `/admin/organizations`: find organizations and events, transfer an organization, cancel an
/// event.
#[component]
pub fn AdminOrganizationsPage() -> impl IntoView {
    let q = use_query_map().with_untracked(|m| m.get("q"));
    let page = OnceResource::new(load_admin_organizations(q));
    view! {
        <Title text="Organizations and events · Admin"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let q = page.q.clone();
                        view! {
                            <section class="panel admin-orgs">
                                <h1>"Organizations and events"</h1>
                                <form method="get" class="inline">
                                    <label for="orgs-q">"Name, address or title"</label>
                                    <input id="orgs-q" type="search" name="q" value=page.q.clone()/>
                                    <button type="submit" class="button">"Search"</button>
                                </form>
                                <FormMessage state=page.state.clone()/>
                                <h2>"Organizations"</h2>
                                {page.organizations.is_empty().then(|| view! { <p class="empty">"None match."</p> })}
                                <table class="table">
                                    <thead><tr><th scope="col">"Organization"</th><th scope="col">"Owners"</th><th scope="col">"Transfer, with a reason"</th></tr></thead>
                                    <tbody>{page.organizations.into_iter().map(|o| view! { <OrgLine org=o q=q.clone()/> }).collect_view()}</tbody>
                                </table>
                                <h2>"Events"</h2>
                                {page.events.is_empty().then(|| view! { <p class="empty">"None match."</p> })}
                                <table class="table">
                                    <thead><tr><th scope="col">"Event"</th><th scope="col">"Status"</th><th scope="col">"Cancel, with a reason"</th></tr></thead>
                                    <tbody>{page.events.into_iter().map(|e| view! { <EventLine event=e q=q.clone()/> }).collect_view()}</tbody>
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
fn OrgLine(org: AdminOrgRow, q: String) -> impl IntoView {
    let (email_id, reason_id) = (format!("to-{}", org.id), format!("why-org-{}", org.id));
    view! {
        <tr data-testid="org-row">
            <td><a href=format!("/o/{}", org.slug)>{org.name}</a>{org.personal.then_some(" (personal)")}</td>
            <td>{org.owners}</td>
            <td>
                <form method="post" action=ActAsAdminOnOrganization::url() class="stack compact">
                    <input type="hidden" name="action" value="transfer"/>
                    <input type="hidden" name="id" value=org.id/>
                    <input type="hidden" name="q" value=q/>
                    <label for=email_id.clone()>"New owner's email"</label>
                    <input id=email_id type="email" name="email" required/>
                    <label for=reason_id.clone()>"Reason"</label>
                    <input id=reason_id type="text" name="reason" required maxlength="500"/>
                    <button type="submit" class="link">"Transfer"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn EventLine(event: AdminEventRow, q: String) -> impl IntoView {
    let reason_id = format!("why-event-{}", event.id);
    view! {
        <tr data-testid="event-row">
            <td><a href=format!("/events/{}", event.id)>{event.title}</a><br/><small class="muted">{event.starts}</small></td>
            <td>{event.status}</td>
            <td>
                {event.cancellable.then(|| view! {
                    <form method="post" action=ActAsAdminOnOrganization::url() class="stack compact">
                        <input type="hidden" name="action" value="cancel"/>
                        <input type="hidden" name="id" value=event.id/>
                        <input type="hidden" name="q" value=q/>
                        <label for=reason_id.clone()>"Reason (attendees see it)"</label>
                        <input id=reason_id type="text" name="reason" required maxlength="500"/>
                        <button type="submit" class="link danger">"Cancel event"</button>
                    </form>
                })}
            </td>
        </tr>
    }
}
