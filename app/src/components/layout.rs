use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::accounts::{load_chrome, SignOut},
    components::islands::{Enhanced, LiveNotifications},
    model::{accounts::Chrome, taxonomy::Role},
};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let chrome = OnceResource::new(load_chrome());
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"Lineup"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let chrome = chrome.await.unwrap_or(Chrome { viewer: None, notice: None, unread: 0 });
                    view! { <Nav chrome/> }
                })}
            </Suspense>
        </header>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>"Lineup — events worth your evening, vetted by people who care."</p>
        </footer>
        <Enhanced/>
    }
}

#[component]
fn Nav(chrome: Chrome) -> impl IntoView {
    let unread = chrome.unread;
    let links = match chrome.viewer {
        Some(viewer) => {
            let organizer = viewer.role.can_organize();
            let curator = viewer.role.can_curate();
            let admin = viewer.role == Role::Admin;
            let label = match unread {
                0 => "Notifications".to_owned(),
                n => format!("Notifications, {n} unread"),
            };
            view! {
                <a href="/">"Discover"</a>
                <a href="/search">"Search"</a>
                <a href="/for-you">"For you"</a>
                <a href="/saved">"Saved"</a>
                <a href="/feed">"Feed"</a>
                <a href="/people">"People"</a>
                <a href="/groups">"Groups"</a>
                <a href="/my/tickets">"My tickets"</a>
                {organizer.then(|| view! { <a href="/my/events">"My events"</a><a href="/events/new">"New event"</a><a href="/o/mine">"Organizations"</a> })}
                {curator.then(|| view! { <a href="/curation">"Review queue"</a> })}
                {admin.then(|| view! { <a href="/admin">"Admin"</a><a href="/admin/mail">"Mail"</a><a href="/admin/recs">"Experiments"</a> })}
                // the space keeps the visible text ("Notifications 3") inside the name
                <a href="/notifications" class="notifications" aria-label=label>
                    "Notifications "
                    {(unread > 0).then(|| view! { <span class="count" aria-hidden="true">{unread}</span> })}
                </a>
                <LiveNotifications/>
                <a href="/profile" class="who">{viewer.display_name}</a>
                <form method="post" action=SignOut::url() class="inline">
                    <button type="submit" class="link">"Sign out"</button>
                </form>
            }
            .into_any()
        }
        None => view! {
            <a href="/">"Discover"</a>
            <a href="/search">"Search"</a>
            <a href="/signin">"Sign in"</a>
            <a class="button" href="/signup">"Sign up"</a>
        }
        .into_any(),
    };
    view! {
        <nav class="site-nav" aria-label="Main">{links}</nav>
        {chrome.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
    }
}
