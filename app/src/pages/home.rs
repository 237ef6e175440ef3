use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::{discovery::load_home_sections, events::upcoming_events},
    components::{event_card::EventCardView, search::SearchBox, seo::Seo, status::ErrorView},
    model::{discovery::HomeSections, events::EventCard, taxonomy::Category},
};

#[component]
pub fn HomePage() -> impl IntoView {
    let (category, page) = use_query_map().with_untracked(|q| {
        let page = q.get("page").and_then(|p| p.parse::<u32>().ok());
        (q.get("category"), page.filter(|p| *p > 1))
    });
    let home = OnceResource::new(upcoming_events(category.clone(), page));
    let sections = OnceResource::new(load_home_sections());
    view! {
        <Title text=""/>
        <Seo
            path=match (&category, page) {
                (None, None) => "/".to_owned(),
                _ => format!("/?{}", [category.clone().map(|c| format!("category={c}")), page.map(|p| format!("page={p}"))].into_iter().flatten().collect::<Vec<_>>().join("&")),
            }
            title="Lineup — curated events".to_owned()
            description="Upcoming events in your city, each one checked by a curator.".to_owned()
            image=Some("/og-home.jpg".to_owned())
        />
        <Meta property="og:image:width" content="1200"/>
        <Meta property="og:image:height" content="630"/>
        <Meta property="og:image:alt" content="Lineup: events worth your evening, each one checked by a curator."/>
        <section class="hero">
            <h1>"Upcoming events"</h1>
            <p>"Concerts, workshops, runs and dinners — every one vetted by a curator."</p>
            <SearchBox/>
        </section>
        {(category.is_none() && page.is_none()).then(|| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    sections.await.ok().map(|s| view! { <Sections sections=s/> })
                })}
            </Suspense>
        })}
        <CategoryChips active=category.clone()/>
        <Suspense fallback=|| view! { <p>"Loading events…"</p> }>
            {move || {
                Suspend::new(async move {
                    match home.await {
                        Ok(home) if home.days.is_empty() => view! {
                            <p class="empty">"No upcoming events here yet. Check back soon."</p>
                        }
                        .into_any(),
                        Ok(home) => {
                            let more = home.next_page.map(|next| {
                                let href = match &home.category {
                                    Some(slug) => format!("/?category={slug}&page={next}"),
                                    None => format!("/?page={next}"),
                                };
                                view! {
                                    <nav class="pager" aria-label="Pages">
                                        <a href=href rel="next">"More events"</a>
                                    </nav>
                                }
                            });
                            let days = home
                                .days
                                .into_iter()
                                .map(|day| view! {
                                    <section class="day">
                                        <h2>{day.label}</h2>
                                        <div class="cards">
                                            {day.events.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
                                        </div>
                                    </section>
                                })
                                .collect_view();
                            view! { {days} {more} }.into_any()
                        }
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Sections(sections: HomeSections) -> impl IntoView {
    let weekend_title = match &sections.weekend_near {
        Some(city) => format!("This weekend near {city}"),
        None => "This weekend".to_owned(),
    };
    let trending_title = if sections.trending_is_picks {
        "Curators' picks"
    } else {
        "Trending"
    };
    view! {
        <Row title="For you".to_owned() class="for-you" href="/for-you".to_owned() events=sections.for_you/>
        <Row title=trending_title.to_owned() class="trending" href="/search?sort=quality".to_owned() events=sections.trending/>
        <Row title=weekend_title class="weekend" href=sections.weekend_href events=sections.weekend/>
    }
}

#[component]
fn Row(title: String, class: &'static str, href: String, events: Vec<EventCard>) -> impl IntoView {
    (!events.is_empty()).then(|| view! {
        <section class=format!("shelf {class}")>
            <div class="row-head">
                <h2>{title}</h2>
                <a href=href>"See all"</a>
            </div>
            <div class="cards scroller">
                {events.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
            </div>
        </section>
    })
}

#[component]
fn CategoryChips(active: Option<String>) -> impl IntoView {
    let all_class = if active.is_none() {
        "chip active"
    } else {
        "chip"
    };
    view! {
        <nav class="chips" aria-label="Categories">
            <a class=all_class href="/">"All"</a>
            {Category::ALL
                .into_iter()
                .map(|c| {
                    let class = if active.as_deref() == Some(c.slug()) { "chip active" } else { "chip" };
                    view! { <a class=class href=format!("/?category={}", c.slug())>{c.label()}</a> }
                })
                .collect_view()}
        </nav>
    }
}
