use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::admin::{load_admin_people, load_audit, ActOnPersonAsAdmin},
    components::{form::FormMessage, language::use_locale, status::ErrorView},
    i18n::td_string,
    model::{
        admin::{AuditRow, PersonRow},
        taxonomy::Role,
    },
};

/// `/admin`: where the platform's operators start, with the latest admin actions.
#[component]
pub fn AdminPage() -> impl IntoView {
    let locale = use_locale();
    let latest = OnceResource::new(load_audit(None));
    view! {
        <Title text=td_string!(locale, admin.home.title)/>
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
    let locale = use_locale();
    view! {
        <section class="panel narrow">
            <h1>{td_string!(locale, admin.home.title)}</h1>
            <ul class="admin-links">
                <li>
                    <a href="/admin/people">{td_string!(locale, admin.people.title)}</a>
                    ": "{td_string!(locale, admin.home.people_about)}
                </li>
                <li>
                    <a href="/admin/audit">{td_string!(locale, admin.audit.title)}</a>
                    ": "{td_string!(locale, admin.home.audit_about)}
                </li>
                <li>
                    <a href="/admin/reports">{td_string!(locale, admin.reports.title)}</a>
                    ": "{td_string!(locale, admin.home.reports_about)}
                </li>
                <li>
                    <a href="/curation">{td_string!(locale, admin.home.review_queue)}</a>
                    ": "{td_string!(locale, admin.home.review_queue_about)}
                </li>
                <li>
                    <a href="/admin/status">{td_string!(locale, admin.status.title)}</a>
                    ": "{td_string!(locale, admin.home.status_about)}
                </li>
                <li>
                    <a href="/admin/organizations">{td_string!(locale, admin.organizations.title)}</a>
                    ": "{td_string!(locale, admin.home.organizations_about)}
                </li>
                <li><a href="/admin/mail">{td_string!(locale, admin.shared.outgoing_mail)}</a></li>
                <li>
                    <a href="/admin/recs">{td_string!(locale, admin.home.recommendations)}</a>
                    ": "{td_string!(locale, admin.home.recommendations_about)}
                </li>
            </ul>
            <h2>{td_string!(locale, admin.home.latest)}</h2>
            {if latest.is_empty() {
                view! { <p class="muted">{td_string!(locale, admin.home.none_yet)}</p> }.into_any()
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
    let locale = use_locale();
    let q = use_query_map().with_untracked(|m| m.get("q"));
    let page = OnceResource::new(load_admin_people(q));
    view! {
        <Title text=td_string!(locale, admin.people.page_title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let (me, q) = (page.me, page.q.clone());
                        view! {
                            <section class="panel admin-people">
                                <h1>{td_string!(locale, admin.people.title)}</h1>
                                <form method="get" class="inline">
                                    <label for="people-q">{td_string!(locale, admin.people.search_label)}</label>
                                    <input id="people-q" type="search" name="q" value=page.q.clone()/>
                                    <button type="submit" class="button">{td_string!(locale, admin.shared.search)}</button>
                                </form>
                                <FormMessage state=page.state.clone()/>
                                {page.people.is_empty().then(|| view! { <p class="empty">{td_string!(locale, admin.people.nobody_matches)}</p> })}
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th>{td_string!(locale, admin.people.person)}</th>
                                            <th>{td_string!(locale, admin.people.role)}</th>
                                            <th>{td_string!(locale, admin.people.standing)}</th>
                                            <th>{td_string!(locale, admin.people.change)}</th>
                                        </tr>
                                    </thead>
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
    let locale = use_locale();
    let id = person.id;
    let reason_id = format!("reason-{id}");
    let role_id = format!("role-{id}");
    let current = person.role;
    let suspended = person.suspended.is_some();
    view! {
        <tr data-testid="person-row">
            <td><strong>{person.name}</strong><br/><small class="muted">{person.email}" · "{td_string!(locale, admin.people.joined, date = person.joined)}</small></td>
            <td>{current.label_in(locale)}</td>
            <td>
                {if person.verified {
                    td_string!(locale, admin.people.confirmed)
                } else {
                    td_string!(locale, admin.people.unconfirmed)
                }}
                <br/><small>{td_string!(locale, admin.people.reputation, points = person.reputation)}</small>
                {person.suspended.map(|why| view! { <br/><strong class="warn">{td_string!(locale, admin.people.suspended)}" "</strong><small>{why}</small> })}
            </td>
            <td>
                {if id == me {
                    view! { <span class="muted">{td_string!(locale, admin.people.you)}</span> }.into_any()
                } else {
                    view! {
                        <form method="post" action=ActOnPersonAsAdmin::url() class="stack compact">
                            <input type="hidden" name="person" value=id/>
                            <input type="hidden" name="q" value=q/>
                            <label for=reason_id.clone()>{td_string!(locale, admin.shared.reason)}</label>
                            <input id=reason_id type="text" name="reason" required maxlength="500"/>
                            <div class="inline">
                                <label class="visually-hidden" for=role_id.clone()>{td_string!(locale, admin.people.role)}</label>
                                <select id=role_id name="role">
                                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == current>{r.label_in(locale)}</option> }).collect_view()}
                                </select>
                                <button type="submit" name="action" value="role" class="link">{td_string!(locale, admin.people.set_role)}</button>
                                {if suspended {
                                    view! { <button type="submit" name="action" value="reinstate" class="link">{td_string!(locale, admin.people.reinstate)}</button> }.into_any()
                                } else {
                                    view! { <button type="submit" name="action" value="suspend" class="link danger">{td_string!(locale, admin.people.suspend)}</button> }.into_any()
                                }}
                            </div>
                        </form>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}
