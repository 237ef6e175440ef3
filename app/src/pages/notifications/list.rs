use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::notifications::{load_notifications, MarkRead},
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::notifications::NotificationItem,
};

/// `/notifications`: everything Lineup told the viewer, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(load_notifications());
    view! {
        <Title text=td_string!(locale, notifications.list.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section class="panel notifications-list">
                            <div class="row-head">
                                <h1>{td_string!(locale, notifications.list.title)}</h1>
                                <a href="/notifications/preferences">{td_string!(locale, notifications.list.preferences)}</a>
                            </div>
                            {(page.unread > 0).then(|| view! {
                                <form method="post" action=MarkRead::url() class="inline">
                                    <button type="submit" class="link">{td_string!(locale, notifications.list.mark_all, count = page.unread)}</button>
                                </form>
                            })}
                            {if page.items.is_empty() {
                                view! { <p class="empty">{td_string!(locale, notifications.list.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="notifications" aria-label=td_string!(locale, notifications.list.title)>
                                        {page.items.into_iter().map(|item| view! { <Entry item/> }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Entry(item: NotificationItem) -> impl IntoView {
    let locale = use_locale();
    let class = if item.unread {
        "notification unread"
    } else {
        "notification"
    };
    let id = item.id.to_string();
    view! {
        <li class=class>
            <form method="post" action=MarkRead::url() class="inline">
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="open" value="1"/>
                <button type="submit" class="link title">{item.title}</button>
            </form>
            {item.unread.then(|| view! { <span class="visually-hidden">{td_string!(locale, notifications.list.unread)}</span> })}
            <p>{item.body}</p>
            <p class="meta">
                <time>{item.when}</time>
                " · "<a href=item.link>{td_string!(locale, notifications.list.open)}</a>
                {item.unread.then(|| view! {
                    " · "
                    <form method="post" action=MarkRead::url() class="inline">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="link">{td_string!(locale, notifications.list.mark_read)}</button>
                    </form>
                })}
            </p>
        </li>
    }
}
