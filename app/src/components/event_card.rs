use leptos::prelude::*;

use crate::model::events::EventCard;

#[component]
pub fn EventCardView(event: EventCard) -> impl IntoView {
    let href = format!("/events/{}", event.id);
    view! {
        <article class="card">
            <a class="card-link" href=href>
                {match event.cover_url {
                    Some(url) => view! { <img class="card-cover" src=url alt="" loading="lazy"/> }.into_any(),
                    None => view! { <div class=format!("card-cover placeholder cat-{}", event.category_slug)></div> }.into_any(),
                }}
                <div class="card-body">
                    <p class="card-meta">
                        <span class="chip small">{event.category_label}</span>
                        <span>{event.start_time}</span>
                    </p>
                    <h3>{event.title}</h3>
                    {(!event.badges.is_empty()).then(|| view! {
                        <p class="badges">{event.badges.into_iter().map(|b| view! { <span class="badge">{b}</span> }).collect_view()}</p>
                    })}
                    <p class="card-summary">{event.summary}</p>
                    {(event.friends_going > 0).then(|| view! {
                        <p class="friends-going-chip">{friends_going_label(event.friends_going)}</p>
                    })}
                    <p class="card-meta"><span>{event.place}</span><span class="price">{event.price}</span></p>
                </div>
            </a>
        </article>
    }
}

pub fn friends_going_label(n: u32) -> String {
    match n {
        1 => "1 friend going".into(),
        n => format!("{n} friends going"),
    }
}
