use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::social::{load_group, ActInGroup},
    components::{people::Face, status::ErrorView},
    error::AppError,
    model::social::{GroupAction, GroupPage, MemberStatus},
};

/// `/groups/:key`.
#[component]
pub fn GroupPageView() -> impl IntoView {
    let key = use_params_map().with_untracked(|p| p.get("key"));
    let page = OnceResource::new(async move {
        match key {
            Some(key) => load_group(key).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text="Not found"/><ErrorView error/> }.into_any(),
                    Ok(page) => view! { <GroupView page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A one-button form for a group action.
#[component]
fn GroupButton(
    key: String,
    action: GroupAction,
    #[prop(optional)] person: Option<i32>,
    #[prop(optional)] event: Option<i32>,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(default = "button small")] class: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=ActInGroup::url() class="inline">
            <input type="hidden" name="key" value=key/>
            <input type="hidden" name="action" value=action.as_str()/>
            {person.map(|p| view! { <input type="hidden" name="person" value=p/> })}
            {event.map(|e| view! { <input type="hidden" name="event" value=e/> })}
            <button type="submit" class=class>{label.unwrap_or(action.label())}</button>
        </form>
    }
}

#[component]
fn GroupView(page: GroupPage) -> impl IntoView {
    let s = page.summary;
    let key = s.group.key.clone();
    let member = s.my_status == Some(MemberStatus::Member);
    let members = match s.members {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    let join = match s.my_status {
        None => Some(view! { <GroupButton key=key.clone() action=GroupAction::Join class="button primary"/> }.into_any()),
        Some(MemberStatus::Invited) => Some(view! { <GroupButton key=key.clone() action=GroupAction::Join label="Accept invitation" class="button primary"/> }.into_any()),
        Some(MemberStatus::Requested) => Some(view! { <p class="muted">"You asked to join; an admin will answer."</p> }.into_any()),
        Some(MemberStatus::Member) => None,
    };
    view! {
        <Title text=s.group.name.clone()/>
        <section class="panel group">
            <h1>{s.group.name.clone()}</h1>
            <p class="muted">{members}" · "{s.visibility.label()}</p>
            {(!s.about.is_empty()).then(|| view! { <p>{s.about.clone()}</p> })}
            {join}
            {member.then(|| view! {
                <section class="shortlist" id="shortlist">
                    <h2>"Shortlist"</h2>
                    {if page.shortlist.is_empty() {
                        view! { <p class="muted">"Nothing yet. Add events from their pages with “Add to shortlist”."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="shortlist-items">
                                {page.shortlist.into_iter().map(|item| {
                                    let votes = match item.votes { 1 => "1 vote".to_owned(), n => format!("{n} votes") };
                                    view! {
                                        <li class:top=item.top>
                                            {item.top.then(|| view! { <span class="badge">"Top pick"</span> })}
                                            <a href=format!("/events/{}", item.event_id)>{item.title}</a>
                                            <span class="muted">" · "{item.start}" · added by "{item.proposed_by}</span>
                                            <span class="votes">{votes}</span>
                                            {if item.voted {
                                                view! { <GroupButton key=key.clone() action=GroupAction::Unvote event=item.event_id/> }.into_any()
                                            } else {
                                                view! { <GroupButton key=key.clone() action=GroupAction::Vote event=item.event_id class="button primary small"/> }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
                <section class="members">
                    <h2>"Members"</h2>
                    <ul class="people-rows">
                        {page.members.into_iter().map(|m| {
                            let id = m.person.id;
                            view! {
                                <li class="person-row">
                                    <Face person=m.person.clone() decorative=true/>
                                    <a class="person-name" href=format!("/people/{id}")>{m.person.name}</a>
                                    {m.admin.then(|| view! { <span class="chip small">"Admin"</span> })}
                                    {(page.admin && !m.admin).then(|| view! { <GroupButton key=key.clone() action=GroupAction::MakeAdmin person=id/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(!page.requests.is_empty()).then(|| view! {
                        <h3>"Asking to join"</h3>
                        <ul class="people-rows">
                            {page.requests.into_iter().map(|p| {
                                let id = p.id;
                                view! {
                                    <li class="person-row">
                                        <Face person=p.clone() decorative=true/>
                                        <span class="person-name">{p.name}</span>
                                        <GroupButton key=key.clone() action=GroupAction::Approve person=id class="button primary small"/>
                                        <GroupButton key=key.clone() action=GroupAction::Reject person=id/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                    {(!page.invitable.is_empty()).then(|| view! {
                        <form method="post" action=ActInGroup::url() class="row">
                            <input type="hidden" name="key" value=key.clone()/>
                            <input type="hidden" name="action" value=GroupAction::Invite.as_str()/>
                            <label for="invite-person">"Invite a friend"</label>
                            <select id="invite-person" name="person">
                                {page.invitable.into_iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
                            </select>
                            <button type="submit" class="button small">"Invite"</button>
                        </form>
                    })}
                </section>
                <GroupButton key=key.clone() action=GroupAction::Leave label="Leave group"/>
            })}
        </section>
    }
}
