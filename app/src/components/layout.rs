use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::accounts::{load_chrome, SignOut},
    components::{
        islands::{Enhanced, LiveNotifications, NotificationLabels},
        language::{use_locale, LanguageSwitch},
    },
    i18n::td_string,
    model::{accounts::Chrome, taxonomy::Role},
};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let chrome = OnceResource::new(load_chrome());
    let locale = use_locale();
    let location = leptos_router::hooks::use_location();
    let here = format!(
        "{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked()
    );
    view! {
        <a class="skip" href="#main">{td_string!(locale, common.skip_to_content)}</a>
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
            <p>{td_string!(locale, common.site_tagline)}</p>
            <LanguageSwitch back=here/>
        </footer>
        // words for the scripts outside Leptos: the update offer (`sw-register.js`) and the
        // service worker's note on a kept ticket page (`sw.js`, `{when}` is filled in there)
        <div id="script-words" hidden
            data-update-ready=td_string!(locale, common.app_update.update_ready)
            data-reload=td_string!(locale, common.app_update.reload)
            data-later=td_string!(locale, common.app_update.later)
            data-offline-copy=td_string!(locale, common.app_update.offline_copy)></div>
        <Enhanced/>
    }
}

#[component]
fn Nav(chrome: Chrome) -> impl IntoView {
    let locale = use_locale();
    let unread = chrome.unread;
    let links = match chrome.viewer {
        Some(viewer) => {
            let organizer = viewer.role.can_organize();
            let curator = viewer.role.can_curate();
            let admin = viewer.role == Role::Admin;
            let labels = NotificationLabels {
                none: td_string!(locale, common.nav.notifications).to_owned(),
                unread: td_string!(locale, common.nav.notifications_unread, count = "{count}"),
            };
            let label = labels.for_count(unread);
            view! {
                <a href="/">{td_string!(locale, common.nav.discover)}</a>
                <a href="/search">{td_string!(locale, common.nav.search)}</a>
                <a href="/for-you">{td_string!(locale, common.nav.for_you)}</a>
                <a href="/saved">{td_string!(locale, common.nav.saved)}</a>
                <a href="/feed">{td_string!(locale, common.nav.feed)}</a>
                <a href="/people">{td_string!(locale, common.nav.people)}</a>
                <a href="/groups">{td_string!(locale, common.nav.groups)}</a>
                <a href="/my/tickets">{td_string!(locale, common.nav.my_tickets)}</a>
                {organizer.then(|| view! { <a href="/my/events">{td_string!(locale, common.nav.my_events)}</a><a href="/events/new">{td_string!(locale, common.nav.new_event)}</a><a href="/o/mine">{td_string!(locale, common.nav.organizations)}</a> })}
                {curator.then(|| view! { <a href="/curation">{td_string!(locale, common.nav.review_queue)}</a> })}
                {admin.then(|| view! { <a href="/admin">{td_string!(locale, common.nav.admin)}</a><a href="/admin/mail">{td_string!(locale, common.nav.mail)}</a><a href="/admin/recs">{td_string!(locale, common.nav.experiments)}</a> })}
                // the space keeps the visible text ("Notifications 3") inside the name
                <a href="/notifications" class="notifications" aria-label=label>
                    {td_string!(locale, common.nav.notifications)}" "
                    {(unread > 0).then(|| view! { <span class="count" aria-hidden="true">{unread}</span> })}
                </a>
                <LiveNotifications labels/>
                <a href="/profile" class="who">{viewer.display_name}</a>
                <form method="post" action=SignOut::url() class="inline">
                    <button type="submit" class="link">{td_string!(locale, common.nav.sign_out)}</button>
                </form>
            }
            .into_any()
        }
        None => view! {
            <a href="/">{td_string!(locale, common.nav.discover)}</a>
            <a href="/search">{td_string!(locale, common.nav.search)}</a>
            <a href="/signin">{td_string!(locale, common.nav.sign_in)}</a>
            <a class="button" href="/signup">{td_string!(locale, common.nav.sign_up)}</a>
        }
        .into_any(),
    };
    view! {
        <nav class="site-nav" aria-label=td_string!(locale, common.nav.main)>{links}</nav>
        {chrome.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
    }
}
