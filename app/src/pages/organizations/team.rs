use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_team, ActOnTeam, DecideCalendarSubmission, EditOrganization},
    components::{
        form::{Field, FieldError, FormMessage},
        language::use_locale,
        status::ErrorView,
    },
    error::AppError,
    i18n::{td, td_string},
    model::{
        language::Locale,
        organizations::{OrgRole, TeamPage},
    },
};

/// `/o/:slug/team`: members, their roles, invitations.
#[component]
pub fn TeamPageView() -> impl IntoView {
    let locale = use_locale();
    let slug = use_params_map().with_untracked(|p| p.get("slug"));
    let page = OnceResource::new(async move {
        match slug {
            Some(slug) => load_team(slug).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, organizations.not_found)/><ErrorView error/> }.into_any(),
                    Ok(page) => view! { <Team page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The roles someone may hand out: owners only by owners.
fn grantable(can_own: bool) -> Vec<OrgRole> {
    OrgRole::ALL
        .iter()
        .copied()
        .filter(|r| can_own || *r != OrgRole::Owner)
        .collect()
}

#[component]
fn Team(page: TeamPage) -> impl IntoView {
    let locale = use_locale();
    let org = page.organization;
    let id = org.id;
    let (can_manage, can_own) = (page.can_manage, page.can_own);
    let state = page.invite;
    let chosen = state.value("role");
    view! {
        <Title text=td_string!(locale, organizations.team.title, name = &org.name)/>
        <section class="panel team">
            <h1>{td_string!(locale, organizations.team.heading, name = &org.name)}</h1>
            <p><a href=format!("/o/{}", org.slug)>{td_string!(locale, organizations.nav.public_page)}</a></p>
            {page.can_edit_profile.then(|| {
                let profile = page.profile.clone();
                view! {
                    <details class="org-profile" open=profile.error("name").is_some() || profile.error("logo").is_some() || profile.error("description").is_some()>
                        <summary>{td_string!(locale, organizations.team.edit)}</summary>
                        <FormMessage state=profile.clone()/>
                        <form method="post" action=EditOrganization::url() enctype="multipart/form-data" class="stack">
                            <input type="hidden" name="slug" value=org.slug.clone()/>
                            {(!org.personal).then(|| view! { <Field state=profile.clone() name="name" label=td_string!(locale, organizations.team.name) required=true/> })}
                            <Field state=profile.clone() name="city" label=td_string!(locale, organizations.team.city)/>
                            <div class="field" class:has-error=profile.error("description").is_some()>
                                <label for="org-description">{td_string!(locale, organizations.team.description)}</label>
                                <textarea id="org-description" name="description" rows="4" maxlength="4000">{profile.value("description")}</textarea>
                                <FieldError id="org-description-error".into() message=profile.error("description")/>
                            </div>
                            <label class="check">
                                <input type="checkbox" name="accepts_submissions" value="on" checked=profile.value("accepts_submissions") == "on"/>
                                " "{td_string!(locale, organizations.team.accepts_submissions)}
                            </label>
                            <div class="field" class:has-error=profile.error("logo").is_some()>
                                <label for="org-logo">{td_string!(locale, organizations.team.logo)}</label>
                                <input id="org-logo" type="file" name="logo" accept="image/png,image/jpeg,image/webp,image/gif"/>
                                <FieldError id="org-logo-error".into() message=profile.error("logo")/>
                            </div>
                            <button type="submit" class="button primary">{td_string!(locale, organizations.team.save)}</button>
                        </form>
                    </details>
                }
            })}
            {page.my_role.map(|r| view! {
                <p class="muted">
                    {td!(locale, organizations.team.you_are, role = in_sentence(locale, r.label_in(locale)), summary = r.summary_in(locale), <strong> = <strong/>)}
                </p>
            })}
            {(page.can_review && !page.submissions.is_empty()).then(|| {
                let slug = org.slug.clone();
                view! {
                    <h2>{td_string!(locale, organizations.team.submitted)}</h2>
                    <ul class="submissions">
                        {page.submissions.clone().into_iter().map(|s| view! {
                            <li data-testid="calendar-submission">
                                {td!(locale, organizations.team.submitted_from, title = s.title, from = s.from, <a> = <a href=format!("/events/{}", s.event_id)/>)}
                                <form method="post" action=DecideCalendarSubmission::url() class="inline">
                                    <input type="hidden" name="id" value=s.id/>
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <button type="submit" name="approve" value="on" class="button">{td_string!(locale, organizations.team.approve)}</button>
                                    <button type="submit" class="link">{td_string!(locale, organizations.team.decline)}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })}
            <table class="table">
                <thead><tr><th>{td_string!(locale, organizations.team.member)}</th><th>{td_string!(locale, organizations.team.role)}</th><th></th></tr></thead>
                <tbody>
                    {page.members.into_iter().map(|m| {
                        let manageable = can_manage && !m.is_me && (can_own || m.role != OrgRole::Owner);
                        let current = m.role;
                        view! {
                            <tr>
                                <td>{m.name}{(!m.email.is_empty()).then(|| view! { <br/><small class="muted">{m.email}</small> })}</td>
                                <td>
                                    {if manageable {
                                        view! {
                                            <form method="post" action=ActOnTeam::url() class="inline">
                                                <input type="hidden" name="organization" value=id/>
                                                <input type="hidden" name="member" value=m.user_id/>
                                                <input type="hidden" name="action" value="role"/>
                                                <label class="visually-hidden" for=format!("role-{}", m.user_id)>{td_string!(locale, organizations.team.role)}</label>
                                                <select id=format!("role-{}", m.user_id) name="role">
                                                    {grantable(can_own).into_iter().map(|r| view! {
                                                        <option value=r.as_str() selected=r == current>{r.label_in(locale)}</option>
                                                    }).collect_view()}
                                                </select>
                                                " "<button type="submit" class="link">{td_string!(locale, organizations.team.change)}</button>
                                            </form>
                                        }.into_any()
                                    } else {
                                        view! { <span>{current.label_in(locale)}</span> }.into_any()
                                    }}
                                </td>
                                <td class="actions">
                                    {manageable.then(|| view! {
                                        <form method="post" action=ActOnTeam::url() class="inline">
                                            <input type="hidden" name="organization" value=id/>
                                            <input type="hidden" name="member" value=m.user_id/>
                                            <button type="submit" name="action" value="remove" class="link danger">{td_string!(locale, organizations.team.remove)}</button>
                                        </form>
                                    })}
                                    {m.is_me.then(|| view! {
                                        <form method="post" action=ActOnTeam::url() class="inline">
                                            <input type="hidden" name="organization" value=id/>
                                            <button type="submit" name="action" value="leave" class="link">{td_string!(locale, organizations.team.leave)}</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {can_manage.then(|| view! {
                <h2>{td_string!(locale, organizations.team.invitations)}</h2>
                {if page.invitations.is_empty() {
                    view! { <p class="muted">{td_string!(locale, organizations.team.no_invitations)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="invitations">
                            {page.invitations.into_iter().map(|i| view! {
                                <li>
                                    {td_string!(locale, organizations.team.invitation, email = i.email, role = i.role.label_in(locale), expires = i.expires)}" "
                                    <form method="post" action=ActOnTeam::url() class="inline">
                                        <input type="hidden" name="organization" value=id/>
                                        <input type="hidden" name="invitation" value=i.id/>
                                        <button type="submit" name="action" value="withdraw" class="link">{td_string!(locale, organizations.team.withdraw)}</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h3>{td_string!(locale, organizations.team.invite)}</h3>
                <FormMessage state=state.clone()/>
                <form method="post" action=ActOnTeam::url() class="stack">
                    <input type="hidden" name="organization" value=id/>
                    <input type="hidden" name="action" value="invite"/>
                    <Field state=state.clone() name="email" label=td_string!(locale, organizations.team.email) kind="email" required=true/>
                    <div class="field">
                        <label for="field-role">{td_string!(locale, organizations.team.role)}</label>
                        <select id="field-role" name="role">
                            {grantable(can_own).into_iter().map(|r| view! {
                                <option value=r.as_str() selected=chosen == r.as_str()>{format!("{} — {}", r.label_in(locale), r.summary_in(locale))}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="field-role-error".into() message=state.error("role")/>
                    </div>
                    <button type="submit" class="button primary">{td_string!(locale, organizations.team.send)}</button>
                </form>
            })}
        </section>
    }
}

/// A role's name within a sentence: lower case, except in German, where nouns keep their capital.
fn in_sentence(locale: Locale, label: &str) -> String {
    match locale {
        Locale::de => label.to_owned(),
        _ => label.to_lowercase(),
    }
}
