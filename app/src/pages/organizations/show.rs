use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_organization, FollowOrganization},
    components::{event_card::EventCardView, language::use_locale, seo::Seo, status::ErrorView},
    error::AppError,
    i18n::td_string,
};

/// `/o/:slug`: an organization's public page.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let locale = use_locale();
    let slug = use_params_map().with_untracked(|p| p.get("slug"));
    let page = OnceResource::new(async move {
        match slug {
            Some(slug) => load_organization(slug).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, organizations.not_found)/><ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let org = page.organization;
                        let feed = format!("/o/{}/calendar.ics", org.slug);
                        view! {
                            <Title text=org.name.clone()/>
                            <Seo
                                path=format!("/o/{}", org.slug)
                                title=org.name.clone()
                                description=if org.description.is_empty() { td_string!(locale, organizations.show.description, name = &org.name) } else { org.description.chars().take(200).collect() }
                                image=org.logo_url.clone()
                            />
                            <section class="panel organization">
                                <header class="org-head">
                                    {org.logo_url.map(|src| view! { <img class="org-logo" src=src alt="" width="64" height="64"/> })}
                                    <div>
                                        <h1>{org.name.clone()}</h1>
                                        {org.city.map(|c| view! { <p class="muted">{c}</p> })}
                                    </div>
                                </header>
                                {(!org.description.is_empty()).then(|| view! { <p class="org-about">{org.description}</p> })}
                                <div class="org-actions">
                                    <form method="post" action=FollowOrganization::url() class="inline">
                                        <input type="hidden" name="slug" value=org.slug.clone()/>
                                        {(!page.following).then(|| view! { <input type="hidden" name="follow" value="on"/> })}
                                        <button type="submit" class="button" aria-pressed=if page.following { "true" } else { "false" }>
                                            {if page.following {
                                                td_string!(locale, organizations.show.following)
                                            } else {
                                                td_string!(locale, organizations.show.follow)
                                            }}
                                        </button>
                                    </form>
                                    <span class="muted" data-testid="followers">{td_string!(locale, organizations.show.followers, count = page.followers)}</span>
                                    <a class="button" href=feed>{td_string!(locale, organizations.show.subscribe)}</a>
                                </div>
                                <h2>{td_string!(locale, organizations.show.upcoming)}</h2>
                                {if page.upcoming.is_empty() {
                                    view! { <p class="muted">{td_string!(locale, organizations.show.nothing_planned)}</p> }.into_any()
                                } else {
                                    view! { <div class="cards">{page.upcoming.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}</div> }.into_any()
                                }}
                                {(!page.past.is_empty()).then(|| view! {
                                    <h2>{td_string!(locale, organizations.show.past)}</h2>
                                    <div class="cards">{page.past.into_iter().map(|event| view! { <EventCardView event/> }).collect_view()}</div>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
