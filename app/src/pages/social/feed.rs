use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::social::load_feed,
    components::{people::Face, status::ErrorView},
    model::social::{FeedItem, FeedKind},
    model::urlencode,
};

/// `/feed`: what friends, followed organizers and groups have been up to.
#[component]
pub fn FeedPage() -> impl IntoView {
    let after = use_query_map().with_untracked(|m| m.get("after"));
    let page = OnceResource::new(load_feed(after));
    view! {
        <Title text="Feed"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section class="panel feed">
                            <h1>"Feed"</h1>
                            {if page.items.is_empty() {
                                view! {
                                    <p class="muted">"Nothing here yet. "<a href="/people">"Find friends"</a>" or follow organizers to see what they are up to."</p>
                                }.into_any()
                            } else {
                                view! {
                                    <ol class="feed-items">
                                        {page.items.into_iter().map(|item| view! { <FeedEntry item/> }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {page.next.map(|next| view! {
                                <p><a class="button" href=format!("/feed?after={}", urlencode(&next))>"Older"</a></p>
                            })}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FeedEntry(item: FeedItem) -> impl IntoView {
    let who = item.who.clone();
    let person = format!("/people/{}", who.id);
    let event = format!("/events/{}", item.event_id);
    let stars = item.rating.map(|r| format!(" ({r}/5)"));
    view! {
        <li class="feed-item" data-kind=item.kind.as_str()>
            <Face person=who.clone() decorative=true/>
            <div>
                <p>
                    <a href=person>{who.name}</a>" "{item.kind.label()}" "
                    {(item.kind == FeedKind::Shortlisted).then(|| item.group.clone().map(|g| view! {
                        <a href=format!("/groups/{}", g.key)>{g.name}</a>": "
                    }))}
                    <a href=event>{item.event_title}</a>{stars}
                </p>
                <p class="muted">{item.event_start}" · "{item.when}</p>
            </div>
        </li>
    }
}
