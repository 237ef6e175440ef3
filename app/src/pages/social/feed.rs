use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::social::load_feed,
    components::{language::use_locale, people::Face, status::ErrorView},
    i18n::{td, td_string},
    model::social::{FeedItem, FeedKind},
    model::urlencode,
};

/// `/feed`: what friends, followed organizers and groups have been up to.
#[component]
pub fn FeedPage() -> impl IntoView {
    let locale = use_locale();
    let after = use_query_map().with_untracked(|m| m.get("after"));
    let page = OnceResource::new(load_feed(after));
    view! {
        <Title text=td_string!(locale, social.feed.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section class="panel feed">
                            <h1>{td_string!(locale, social.feed.title)}</h1>
                            {if page.items.is_empty() {
                                view! {
                                    <p class="muted">
                                        {td_string!(locale, social.feed.empty)}" "
                                        <a href="/people">{td_string!(locale, social.feed.find_friends)}</a>" "
                                        {td_string!(locale, social.feed.empty_follow)}
                                    </p>
                                }.into_any()
                            } else {
                                view! {
                                    <ol class="feed-items">
                                        {page.items.into_iter().map(|item| view! { <FeedEntry item/> }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {page.next.map(|next| view! {
                                <p><a class="button" href=format!("/feed?after={}", urlencode(&next))>{td_string!(locale, social.feed.older)}</a></p>
                            })}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One line of the feed: who did what with which event, as a sentence of the reader's language
/// with the person, the event and the group as links.
#[component]
fn FeedEntry(item: FeedItem) -> impl IntoView {
    let locale = use_locale();
    let who = item.who;
    let (person, name) = (format!("/people/{}", who.id), who.name.clone());
    let who_link = move || view! { <a href=person.clone()>{name.clone()}</a> };
    let (event, title) = (format!("/events/{}", item.event_id), item.event_title);
    let stars = item.rating.map(|r| format!(" ({r}/5)"));
    let event_link = move || view! { <a href=event.clone()>{title.clone()}</a>{stars.clone()} };
    let line = match item.kind {
        FeedKind::Going => td!(
            locale,
            social.feed.line.going,
            who = who_link,
            event = event_link
        )
        .into_any(),
        FeedKind::Reviewed => td!(
            locale,
            social.feed.line.reviewed,
            who = who_link,
            event = event_link
        )
        .into_any(),
        FeedKind::Published => td!(
            locale,
            social.feed.line.published,
            who = who_link,
            event = event_link
        )
        .into_any(),
        FeedKind::Shortlisted => {
            let group = item.group.map(|g| (format!("/groups/{}", g.key), g.name));
            let group_link = move || {
                group
                    .clone()
                    .map(|(href, name)| view! { <a href=href>{name}</a> })
            };
            td!(
                locale,
                social.feed.line.shortlisted,
                who = who_link,
                group = group_link,
                event = event_link
            )
            .into_any()
        }
    };
    view! {
        <li class="feed-item" data-kind=item.kind.as_str()>
            <Face person=who decorative=true/>
            <div>
                <p>{line}</p>
                <p class="muted">{item.event_start}" · "{item.when}</p>
            </div>
        </li>
    }
}
