use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::events::{load_event, EventDetails, EventStatus, SubmitEvent},
    components::status::ErrorView,
    error::AppError,
};

/// The `:id` route parameter as a number; anything else is a 404.
pub fn id_param() -> Result<i32, AppError> {
    use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse().ok())
        .ok_or(AppError::NotFound)
}

#[component]
pub fn EventPage() -> impl IntoView {
    let id = id_param();
    let event = OnceResource::new(async move {
        match id {
            Ok(id) => load_event(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                    match event.await {
                        Ok(event) => view! { <EventView event/> }.into_any(),
                        Err(error) => view! { <Title text="Not found"/><ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EventView(event: EventDetails) -> impl IntoView {
    let id = event.id;
    let og_image = event.cover_url.clone().map(|url| {
        let base = event
            .public_url
            .split("/events/")
            .next()
            .unwrap_or_default()
            .to_owned();
        format!("{base}{url}")
    });
    view! {
        <Title text=event.title.clone()/>
        <Meta name="description" content=event.summary.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:title" content=event.title.clone()/>
        <Meta property="og:description" content=event.summary.clone()/>
        <Meta property="og:url" content=event.public_url.clone()/>
        {og_image.map(|img| view! { <Meta property="og:image" content=img/> })}
        <article class="event">
            {(event.status != EventStatus::Published).then(|| view! {
                <p class="status-banner">"Not public yet — status: "{event.status.label()}</p>
            })}
            {event.cover_url.clone().map(|url| view! { <img class="event-cover" src=url alt=""/> })}
            <header class="event-header">
                <p class="chip">{event.category_label.clone()}</p>
                <h1>{event.title.clone()}</h1>
                <p class="lead">{event.summary.clone()}</p>
            </header>
            <div class="event-grid">
                <div class="event-description" inner_html=event.description_html.clone()></div>
                <aside class="event-facts">
                    <dl>
                        <dt>"When"</dt>
                        <dd><time datetime=event.starts_at_iso.clone()>{event.when.clone()}</time></dd>
                        <dt>"Where"</dt>
                        <dd>{match (event.venue_name.clone(), event.online_url.clone()) {
                            (Some(venue), _) => view! {
                                <span>{venue}</span><br/>
                                <span>{event.venue_address.clone().unwrap_or_default()}</span>
                                {event.map_url.clone().map(|url| view! { <br/><a href=url rel="noopener" target="_blank">"Open map"</a> })}
                            }.into_any(),
                            (None, Some(link)) => view! { <span>"Online — "</span><a href=link rel="noopener nofollow">"join link"</a> }.into_any(),
                            _ => view! { <span>"To be announced"</span> }.into_any(),
                        }}</dd>
                        <dt>"Price"</dt>
                        <dd>{event.price.clone()}</dd>
                        <dt>"Capacity"</dt>
                        <dd>{event.capacity}" people"</dd>
                        <dt>"Organizer"</dt>
                        <dd>{event.organizer_name.clone()}</dd>
                    </dl>
                    <a class="button" href=format!("/events/{id}/calendar.ics")>"Add to calendar"</a>
                    {(!event.tags.is_empty()).then(|| view! {
                        <p class="tags">{event.tags.iter().map(|t| view! { <span class="tag">"#"{t.clone()}</span> }).collect_view()}</p>
                    })}
                    {event.can_edit.then(|| view! {
                        <div class="owner-actions">
                            <a class="button" href=format!("/events/{id}/edit")>"Edit event"</a>
                            {(event.status == EventStatus::Draft).then(|| view! {
                                <form method="post" action=SubmitEvent::url() class="inline">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="button primary">"Submit for review"</button>
                                </form>
                            })}
                        </div>
                    })}
                </aside>
            </div>
        </article>
    }
}
