use leptos::prelude::*;
use leptos_router::hooks::use_location;
use server_fn::ServerFn;

use crate::{
    api::recs::ActOnEvent,
    components::{language::use_locale, picture::PictureView},
    i18n::td_string,
    model::{events::EventCard, language::Locale},
};

/// How wide a card's cover is drawn: a full column on phones, a card of about 300 px otherwise.
pub const CARD_SIZES: &str = "(max-width: 600px) 100vw, 320px";

#[component]
pub fn EventCardView(event: EventCard) -> impl IntoView {
    let locale = use_locale();
    // a recommended card's link says so, which counts the click for the ranker that chose it
    let href = if event.recommended {
        format!("/events/{}?via=recs", event.id)
    } else {
        format!("/events/{}", event.id)
    };
    let (id, title) = (event.id, event.title.clone());
    view! {
        <article class="card">
            <a class="card-link" href=href>
                {match event.cover {
                    Some(picture) => view! { <PictureView picture class="card-cover" sizes=CARD_SIZES/> }.into_any(),
                    None => view! { <div class=format!("card-cover placeholder cat-{}", event.category_slug)></div> }.into_any(),
                }}
                <div class="card-body">
                    <p class="card-meta">
                        <span class="chip small">{event.category_label}</span>
                        <span>{event.start_time}</span>
                    </p>
                    <h3>{event.title}</h3>
                    {event.reason.map(|r| view! { <p class="card-reason">{r}</p> })}
                    {(!event.badges.is_empty()).then(|| view! {
                        <p class="badges">{event.badges.into_iter().map(|b| view! { <span class="badge">{b}</span> }).collect_view()}</p>
                    })}
                    <p class="card-summary">{event.summary}</p>
                    {(event.friends_going > 0).then(|| view! {
                        <p class="friends-going-chip">{friends_going_label(locale, event.friends_going)}</p>
                    })}
                    <p class="card-meta"><span>{event.place}</span><span class="price">{event.price}</span></p>
                </div>
            </a>
            {event.saved.map(|saved| view! {
                <div class="card-actions">
                    <SaveButton event=id title=title.clone() saved/>
                    {event.recommended.then(|| view! { <NotInterestedButton event=id title=title.clone()/> })}
                </div>
            })}
        </article>
    }
}

/// The page the browser is on, for a form to send people back to.
pub fn here() -> String {
    let location = use_location();
    let (path, search) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    if search.is_empty() {
        path
    } else {
        format!("{path}?{}", search.trim_start_matches('?'))
    }
}

/// "Save" / "Saved": a small form, so it works without scripts.
#[component]
pub fn SaveButton(event: i32, title: String, saved: bool) -> impl IntoView {
    let locale = use_locale();
    let (action, label, pressed) = if saved {
        ("unsave", td_string!(locale, events.card.saved), "true")
    } else {
        ("save", td_string!(locale, events.card.save), "false")
    };
    let name = if saved {
        td_string!(locale, events.card.unsave_title, title = &title)
    } else {
        td_string!(locale, events.card.save_title, title = &title)
    };
    view! {
        <form method="post" action=ActOnEvent::url() class="inline save-form">
            <input type="hidden" name="event" value=event/>
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="back" value=here()/>
            <button type="submit" class="button small save" aria-pressed=pressed aria-label=name>
                <span aria-hidden="true">{if saved { "★ " } else { "☆ " }}</span>{label}
            </button>
        </form>
    }
}

#[component]
fn NotInterestedButton(event: i32, title: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <form method="post" action=ActOnEvent::url() class="inline">
            <input type="hidden" name="event" value=event/>
            <input type="hidden" name="action" value="dismiss"/>
            <input type="hidden" name="back" value=here()/>
            <button type="submit" class="link small" aria-label=td_string!(locale, events.card.not_interested_in, title = title)>
                {td_string!(locale, events.card.not_interested)}
            </button>
        </form>
    }
}

pub fn friends_going_label(locale: Locale, n: u32) -> String {
    td_string!(locale, events.card.friends_going, count = n)
}
