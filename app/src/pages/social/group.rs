use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::social::{load_group, ActInGroup},
    components::{language::use_locale, people::Face, status::ErrorView},
    error::AppError,
    i18n::td_string,
    model::social::{GroupAction, GroupPage, MemberStatus},
};

/// `/groups/:key`.
#[component]
pub fn GroupPageView() -> impl IntoView {
    let locale = use_locale();
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
                    Err(error) => view! { <Title text=td_string!(locale, social.not_found)/><ErrorView error/> }.into_any(),
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
    let locale = use_locale();
    view! {
        <form method="post" action=ActInGroup::url() class="inline">
            <input type="hidden" name="key" value=key/>
            <input type="hidden" name="action" value=action.as_str()/>
            {person.map(|p| view! { <input type="hidden" name="person" value=p/> })}
            {event.map(|e| view! { <input type="hidden" name="event" value=e/> })}
            <button type="submit" class=class>{label.unwrap_or(action.label_in(locale))}</button>
        </form>
    }
}

#[component]
fn GroupView(page: GroupPage) -> impl IntoView {
    let locale = use_locale();
    let s = page.summary;
    let key = s.group.key.clone();
    let member = s.my_status == Some(MemberStatus::Member);
    let members = td_string!(locale, social.groups.members, count = s.members);
    let join = match s.my_status {
        None => Some(view! { <GroupButton key=key.clone() action=GroupAction::Join class="button primary"/> }.into_any()),
        Some(MemberStatus::Invited) => Some(view! { <GroupButton key=key.clone() action=GroupAction::Join label=td_string!(locale, social.group.accept_invitation) class="button primary"/> }.into_any()),
        Some(MemberStatus::Requested) => Some(view! { <p class="muted">{td_string!(locale, social.group.requested)}</p> }.into_any()),
        Some(MemberStatus::Member) => None,
    };
    view! {
        <Title text=s.group.name.clone()/>
        <section class="panel group">
            <h1>{s.group.name.clone()}</h1>
            <p class="muted">{members}" · "{s.visibility.label_in(locale)}</p>
            {(!s.about.is_empty()).then(|| view! { <p>{s.about.clone()}</p> })}
            {join}
            {member.then(|| view! {
                <section class="shortlist" id="shortlist">
                    <h2>{td_string!(locale, social.group.shortlist)}</h2>
                    {if page.shortlist.is_empty() {
                        view! { <p class="muted">{td_string!(locale, social.group.shortlist_empty)}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="shortlist-items">
                                {page.shortlist.into_iter().map(|item| {
                                    let votes = td_string!(locale, social.group.votes, count = item.votes);
                                    view! {
                                        <li class:top=item.top>
                                            {item.top.then(|| view! { <span class="badge">{td_string!(locale, social.group.top_pick)}</span> })}
                                            <a href=format!("/events/{}", item.event_id)>{item.title}</a>
                                            <span class="muted">" · "{item.start}" · "{td_string!(locale, social.group.added_by, name = item.proposed_by)}</span>
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
                    <h2>{td_string!(locale, social.group.members)}</h2>
                    <ul class="people-rows">
                        {page.members.into_iter().map(|m| {
                            let id = m.person.id;
                            view! {
                                <li class="person-row">
                                    <Face person=m.person.clone() decorative=true/>
                                    <a class="person-name" href=format!("/people/{id}")>{m.person.name}</a>
                                    {m.admin.then(|| view! { <span class="chip small">{td_string!(locale, social.group.admin)}</span> })}
                                    {(page.admin && !m.admin).then(|| view! { <GroupButton key=key.clone() action=GroupAction::MakeAdmin person=id/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(!page.requests.is_empty()).then(|| view! {
                        <h3>{td_string!(locale, social.group.asking_to_join)}</h3>
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
                            <label for="invite-person">{td_string!(locale, social.group.invite_friend)}</label>
                            <select id="invite-person" name="person">
                                {page.invitable.into_iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
                            </select>
                            <button type="submit" class="button small">{td_string!(locale, social.group.invite)}</button>
                        </form>
                    })}
                </section>
                <GroupButton key=key.clone() action=GroupAction::Leave label=td_string!(locale, social.group.leave)/>
            })}
        </section>
    }
}
