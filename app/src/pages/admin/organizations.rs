use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::admin::{load_admin_organizations, ActAsAdminOnOrganization},
    components::{form::FormMessage, language::use_locale, status::ErrorView},
    i18n::td_string,
    model::admin::{AdminEventRow, AdminOrgRow},
};

/// `/admin/organizations`: find organizations and events, transfer an organization, cancel an
/// event.
#[component]
pub fn AdminOrganizationsPage() -> impl IntoView {
    let locale = use_locale();
    let q = use_query_map().with_untracked(|m| m.get("q"));
    let page = OnceResource::new(load_admin_organizations(q));
    view! {
        <Title text=td_string!(locale, admin.organizations.page_title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let q = page.q.clone();
                        view! {
                            <section class="panel admin-orgs">
                                <h1>{td_string!(locale, admin.organizations.title)}</h1>
                                <form method="get" class="inline">
                                    <label for="orgs-q">{td_string!(locale, admin.organizations.search_label)}</label>
                                    <input id="orgs-q" type="search" name="q" value=page.q.clone()/>
                                    <button type="submit" class="button">{td_string!(locale, admin.shared.search)}</button>
                                </form>
                                <FormMessage state=page.state.clone()/>
                                <h2>{td_string!(locale, admin.organizations.organizations)}</h2>
                                {page.organizations.is_empty().then(|| view! { <p class="empty">{td_string!(locale, admin.organizations.none_match)}</p> })}
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{td_string!(locale, admin.organizations.organization)}</th>
                                            <th scope="col">{td_string!(locale, admin.organizations.owners)}</th>
                                            <th scope="col">{td_string!(locale, admin.organizations.transfer_heading)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{page.organizations.into_iter().map(|o| view! { <OrgLine org=o q=q.clone()/> }).collect_view()}</tbody>
                                </table>
                                <h2>{td_string!(locale, admin.organizations.events)}</h2>
                                {page.events.is_empty().then(|| view! { <p class="empty">{td_string!(locale, admin.organizations.none_match)}</p> })}
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{td_string!(locale, admin.organizations.event)}</th>
                                            <th scope="col">{td_string!(locale, admin.organizations.status)}</th>
                                            <th scope="col">{td_string!(locale, admin.organizations.cancel_heading)}</th>
                                        </tr>
                                    </thead>
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
    let locale = use_locale();
    let (email_id, reason_id) = (format!("to-{}", org.id), format!("why-org-{}", org.id));
    view! {
        <tr data-testid="org-row">
            <td><a href=format!("/o/{}", org.slug)>{org.name}</a>{org.personal.then(|| view! { " "{td_string!(locale, admin.organizations.personal)} })}</td>
            <td>{org.owners}</td>
            <td>
                <form method="post" action=ActAsAdminOnOrganization::url() class="stack compact">
                    <input type="hidden" name="action" value="transfer"/>
                    <input type="hidden" name="id" value=org.id/>
                    <input type="hidden" name="q" value=q/>
                    <label for=email_id.clone()>{td_string!(locale, admin.organizations.new_owner)}</label>
                    <input id=email_id type="email" name="email" required/>
                    <label for=reason_id.clone()>{td_string!(locale, admin.shared.reason)}</label>
                    <input id=reason_id type="text" name="reason" required maxlength="500"/>
                    <button type="submit" class="link">{td_string!(locale, admin.organizations.transfer)}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn EventLine(event: AdminEventRow, q: String) -> impl IntoView {
    let locale = use_locale();
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
                        <label for=reason_id.clone()>{td_string!(locale, admin.organizations.reason_public)}</label>
                        <input id=reason_id type="text" name="reason" required maxlength="500"/>
                        <button type="submit" class="link danger">{td_string!(locale, admin.organizations.cancel_event)}</button>
                    </form>
                })}
            </td>
        </tr>
    }
}
