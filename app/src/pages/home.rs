use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::{
    api::{discovery::load_home_sections, events::upcoming_events},
    components::{
        event_card::EventCardView, language::use_locale, search::SearchBox, seo::Seo,
        status::ErrorView,
    },
    i18n::td_string,
    model::{discovery::HomeSections, events::EventCard, taxonomy::Category},
};

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
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
            title=td_string!(locale, home.seo_title).to_owned()
            description=td_string!(locale, home.seo_description).to_owned()
            image=Some("/og-home.jpg".to_owned())
        />
        <Meta property="og:image:width" content="1200"/>
        <Meta property="og:image:height" content="630"/>
        <Meta property="og:image:alt" content=td_string!(locale, home.og_image_alt)/>
        <section class="hero">
            <h1>{td_string!(locale, home.heading)}</h1>
            <p>{td_string!(locale, home.lead)}</p>
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
        <Suspense fallback=move || view! { <p>{td_string!(locale, home.loading)}</p> }>
            {move || {
                Suspend::new(async move {
                    match home.await {
                        Ok(home) if home.days.is_empty() => view! {
                            <p class="empty">{td_string!(locale, home.empty)}</p>
                        }
                        .into_any(),
                        Ok(home) => {
                            let more = home.next_page.map(|next| {
                                let href = match &home.category {
                                    Some(slug) => format!("/?category={slug}&page={next}"),
                                    None => format!("/?page={next}"),
                                };
                                view! {
                                    <nav class="pager" aria-label=td_string!(locale, home.pages)>
                                        <a href=href rel="next">{td_string!(locale, home.more)}</a>
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
    let locale = use_locale();
    let weekend_title = match &sections.weekend_near {
        Some(city) => td_string!(locale, home.weekend_near, city = city),
        None => td_string!(locale, home.weekend).to_owned(),
    };
    let trending_title = if sections.trending_is_picks {
        td_string!(locale, home.curators_picks)
    } else {
        td_string!(locale, home.trending)
    };
    view! {
        <Row title=td_string!(locale, home.for_you).to_owned() class="for-you" href="/for-you".to_owned() events=sections.for_you/>
        <Row title=trending_title.to_owned() class="trending" href="/search?sort=quality".to_owned() events=sections.trending/>
        <Row title=weekend_title class="weekend" href=sections.weekend_href events=sections.weekend/>
    }
}

#[component]
fn Row(title: String, class: &'static str, href: String, events: Vec<EventCard>) -> impl IntoView {
    let locale = use_locale();
    (!events.is_empty()).then(|| view! {
        <section class=format!("shelf {class}")>
            <div class="row-head">
                <h2>{title}</h2>
                <a href=href>{td_string!(locale, home.see_all)}</a>
            </div>
            <div class="cards scroller">
                {events.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}
            </div>
        </section>
    })
}

#[component]
fn CategoryChips(active: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let all_class = if active.is_none() {
        "chip active"
    } else {
        "chip"
    };
    view! {
        <nav class="chips" aria-label=td_string!(locale, home.categories)>
            <a class=all_class href="/">{td_string!(locale, home.all)}</a>
            {Category::ALL
                .into_iter()
                .map(|c| {
                    let class = if active.as_deref() == Some(c.slug()) { "chip active" } else { "chip" };
                    view! { <a class=class href=format!("/?category={}", c.slug())>{c.label_in(locale)}</a> }
                })
                .collect_view()}
        </nav>
    }
}
