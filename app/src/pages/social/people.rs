use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::social::load_people,
    components::{language::use_locale, people::PersonRow, status::ErrorView},
    i18n::td_string,
    model::social::{PersonAction as A, PersonCard},
    model::urlencode,
};

/// `/people`: find people, answer requests, see friends and suggestions.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let locale = use_locale();
    let q = use_query_map().with_untracked(|m| m.get("q"));
    let page = OnceResource::new(load_people(q));
    view! {
        <Title text=td_string!(locale, social.people.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let back = if page.query.is_empty() { "/people".to_owned() } else { format!("/people?q={}", urlencode(&page.query)) };
                        let searched = !page.query.is_empty();
                        view! {
                            <section class="panel people">
                                <h1>{td_string!(locale, social.people.title)}</h1>
                                <form method="get" action="/people" class="row people-search" role="search">
                                    <label for="people-q" class="visually-hidden">{td_string!(locale, social.people.search)}</label>
                                    <input id="people-q" type="search" name="q" value=page.query.clone() placeholder=td_string!(locale, social.people.search)/>
                                    <button type="submit" class="button">{td_string!(locale, social.people.find)}</button>
                                </form>
                                {searched.then(|| view! {
                                    <PeopleList id="results" title=td_string!(locale, social.people.found) empty=td_string!(locale, social.people.found_none) cards=page.results back=back.clone()/>
                                })}
                                <PeopleList id="requests" title=td_string!(locale, social.people.requests) empty="" cards=page.requests back=back.clone()/>
                                <PeopleList id="suggestions" title=td_string!(locale, social.people.suggestions) empty="" cards=page.suggestions back=back.clone()/>
                                <PeopleList id="friends" title=td_string!(locale, social.people.friends) empty=td_string!(locale, social.people.friends_none) cards=page.friends back=back.clone()/>
                                <PeopleList id="sent" title=td_string!(locale, social.people.sent) empty="" cards=page.sent back=back.clone()/>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The quick actions a list offers for a person (the profile has them all).
fn quick_actions(card: &PersonCard) -> Vec<A> {
    use crate::model::social::Tie;
    match card.tie {
        Tie::None => vec![A::Befriend],
        Tie::AskedMe => vec![A::Accept, A::Decline],
        Tie::AskedThem => vec![A::CancelRequest],
        Tie::Blocking => vec![A::Unblock],
        Tie::Friends | Tie::Me => Vec::new(),
    }
}

#[component]
fn PeopleList(
    id: &'static str,
    title: &'static str,
    empty: &'static str,
    cards: Vec<PersonCard>,
    back: String,
) -> impl IntoView {
    if cards.is_empty() && empty.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="people-list" id=id>
            <h2>{title}</h2>
            {if cards.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="people-rows">
                        {cards.into_iter().map(|card| {
                            let actions = quick_actions(&card);
                            view! { <PersonRow card actions back=back.clone()/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
