use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_team, ActOnTeam, DecideCalendarSubmission, EditOrganization},
    components::{
        form::{Field, FieldError, FormMessage},
        status::ErrorView,
    },
    error::AppError,
    model::organizations::{OrgRole, TeamPage},
};

/// `/o/:slug/team`: members, their roles, invitations.
#[component]
pub fn TeamPageView() -> impl IntoView {
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
                    Err(error) => view! { <Title text="Not found"/><ErrorView error/> }.into_any(),
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
    let org = page.organization;
    let id = org.id;
    let (can_manage, can_own) = (page.can_manage, page.can_own);
    let state = page.invite;
    let chosen = state.value("role");
    view! {
        <Title text=format!("Team · {}", org.name)/>
        <section class="panel team">
            <h1>{org.name.clone()}" · Team"</h1>
            <p><a href=format!("/o/{}", org.slug)>"Public page"</a></p>
            {page.can_edit_profile.then(|| {
                let profile = page.profile.clone();
                view! {
                    <details class="org-profile" open=profile.error("name").is_some() || profile.error("logo").is_some() || profile.error("description").is_some()>
                        <summary>"Edit the organization"</summary>
                        <FormMessage state=profile.clone()/>
                        <form method="post" action=EditOrganization::url() enctype="multipart/form-data" class="stack">
                            <input type="hidden" name="slug" value=org.slug.clone()/>
                            {(!org.personal).then(|| view! { <Field state=profile.clone() name="name" label="Name" required=true/> })}
                            <Field state=profile.clone() name="city" label="City"/>
                            <div class="field" class:has-error=profile.error("description").is_some()>
                                <label for="org-description">"Description"</label>
                                <textarea id="org-description" name="description" rows="4" maxlength="4000">{profile.value("description")}</textarea>
                                <FieldError id="org-description-error".into() message=profile.error("description")/>
                            </div>
                            <label class="check">
                                <input type="checkbox" name="accepts_submissions" value="on" checked=profile.value("accepts_submissions") == "on"/>
                                " Take events others submit to our calendar (we approve each)"
                            </label>
                            <div class="field" class:has-error=profile.error("logo").is_some()>
                                <label for="org-logo">"Logo"</label>
                                <input id="org-logo" type="file" name="logo" accept="image/png,image/jpeg,image/webp,image/gif"/>
                                <FieldError id="org-logo-error".into() message=profile.error("logo")/>
                            </div>
                            <button type="submit" class="button primary">"Save"</button>
                        </form>
                    </details>
                }
            })}
            {page.my_role.map(|r| view! { <p class="muted">"You are "<strong>{r.label().to_lowercase()}</strong>": "{r.summary()}</p> })}
            {(page.can_review && !page.submissions.is_empty()).then(|| {
                let slug = org.slug.clone();
                view! {
                    <h2>"Submitted to your calendar"</h2>
                    <ul class="submissions">
                        {page.submissions.clone().into_iter().map(|s| view! {
                            <li data-testid="calendar-submission">
                                <a href=format!("/events/{}", s.event_id)>{s.title}</a>" from "{s.from}
                                <form method="post" action=DecideCalendarSubmission::url() class="inline">
                                    <input type="hidden" name="id" value=s.id/>
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <button type="submit" name="approve" value="on" class="button">"Approve"</button>
                                    <button type="submit" class="link">"Decline"</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })}
            <table class="table">
                <thead><tr><th>"Member"</th><th>"Role"</th><th></th></tr></thead>
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
                                                <label class="visually-hidden" for=format!("role-{}", m.user_id)>"Role"</label>
                                                <select id=format!("role-{}", m.user_id) name="role">
                                                    {grantable(can_own).into_iter().map(|r| view! {
                                                        <option value=r.as_str() selected=r == current>{r.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                                " "<button type="submit" class="link">"Change"</button>
                                            </form>
                                        }.into_any()
                                    } else {
                                        view! { <span>{current.label()}</span> }.into_any()
                                    }}
                                </td>
                                <td class="actions">
                                    {manageable.then(|| view! {
                                        <form method="post" action=ActOnTeam::url() class="inline">
                                            <input type="hidden" name="organization" value=id/>
                                            <input type="hidden" name="member" value=m.user_id/>
                                            <button type="submit" name="action" value="remove" class="link danger">"Remove"</button>
                                        </form>
                                    })}
                                    {m.is_me.then(|| view! {
                                        <form method="post" action=ActOnTeam::url() class="inline">
                                            <input type="hidden" name="organization" value=id/>
                                            <button type="submit" name="action" value="leave" class="link">"Leave"</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {can_manage.then(|| view! {
                <h2>"Invitations"</h2>
                {if page.invitations.is_empty() {
                    view! { <p class="muted">"No invitation is waiting for an answer."</p> }.into_any()
                } else {
                    view! {
                        <ul class="invitations">
                            {page.invitations.into_iter().map(|i| view! {
                                <li>
                                    {i.email}" · "{i.role.label()}" · until "{i.expires}" "
                                    <form method="post" action=ActOnTeam::url() class="inline">
                                        <input type="hidden" name="organization" value=id/>
                                        <input type="hidden" name="invitation" value=i.id/>
                                        <button type="submit" name="action" value="withdraw" class="link">"Withdraw"</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h3>"Invite someone"</h3>
                <FormMessage state=state.clone()/>
                <form method="post" action=ActOnTeam::url() class="stack">
                    <input type="hidden" name="organization" value=id/>
                    <input type="hidden" name="action" value="invite"/>
                    <Field state=state.clone() name="email" label="Email address" kind="email" required=true/>
                    <div class="field">
                        <label for="field-role">"Role"</label>
                        <select id="field-role" name="role">
                            {grantable(can_own).into_iter().map(|r| view! {
                                <option value=r.as_str() selected=chosen == r.as_str()>{format!("{} — {}", r.label(), r.summary())}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="field-role-error".into() message=state.error("role")/>
                    </div>
                    <button type="submit" class="button primary">"Send invitation"</button>
                </form>
            })}
        </section>
    }
}
