use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::social::ActOnPerson,
    components::{event_card::friends_going_label, language::use_locale},
    model::social::{FriendsGoing, PersonAction, PersonCard, PersonRef},
};

/// A face: the person's initials in a circle, linking to their profile. `decorative` where the
/// name is written next to it (and so the link would be said twice).
#[component]
pub fn Face(person: PersonRef, #[prop(optional)] decorative: bool) -> impl IntoView {
    let href = format!("/people/{}", person.id);
    let initials = person.initials();
    let title = person.name.clone();
    if decorative {
        return view! { <span class="face" aria-hidden="true">{initials}</span> }.into_any();
    }
    view! {
        <a class="face" href=href title=title>
            <span aria-hidden="true">{initials}</span>
            <span class="visually-hidden">{person.name}</span>
        </a>
    }
    .into_any()
}

/// "3 friends going" with their faces.
#[component]
pub fn FriendsGoingLine(friends: FriendsGoing) -> impl IntoView {
    let locale = use_locale();
    (friends.count > 0).then(|| {
        let label = friends_going_label(locale, friends.count);
        view! {
            <div class="friends-going">
                <div class="faces">
                    {friends.faces.into_iter().map(|person| view! { <Face person/> }).collect_view()}
                </div>
                <p>{label}</p>
            </div>
        }
    })
}

/// One button per action, each its own small form, so it works without scripts.
#[component]
pub fn PersonActions(person: i32, actions: Vec<PersonAction>, back: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="person-actions">
            {actions.into_iter().map(|action| {
                let class = match action {
                    PersonAction::Befriend | PersonAction::Accept => "button primary small",
                    PersonAction::Block => "button danger small",
                    _ => "button small",
                };
                view! {
                    <form method="post" action=ActOnPerson::url() class="inline">
                        <input type="hidden" name="person" value=person/>
                        <input type="hidden" name="action" value=action.as_str()/>
                        <input type="hidden" name="back" value=back.clone()/>
                        <button type="submit" class=class>{action.label_in(locale)}</button>
                    </form>
                }
            }).collect_view()}
        </div>
    }
}

/// A person in a list, with what may be done and why they are there.
#[component]
pub fn PersonRow(
    card: PersonCard,
    actions: Vec<PersonAction>,
    #[prop(into)] back: String,
) -> impl IntoView {
    let href = format!("/people/{}", card.person.id);
    let id = card.person.id;
    view! {
        <li class="person-row">
            <Face person=card.person.clone() decorative=true/>
            <div class="person-main">
                <a href=href class="person-name">{card.person.name.clone()}</a>
                {(!card.reasons.is_empty()).then(|| view! {
                    <p class="muted reasons">{card.reasons.join(" · ")}</p>
                })}
            </div>
            <PersonActions person=id actions back/>
        </li>
    }
}
