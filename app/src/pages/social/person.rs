use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::social::load_person,
    components::{
        language::use_locale,
        people::{Face, PersonActions},
        status::ErrorView,
    },
    i18n::td_string,
    model::social::Tie,
    pages::events::show::id_param,
};

/// `/people/:id`: a person as the viewer may see them.
#[component]
pub fn PersonPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let profile = OnceResource::new(async move {
        match id {
            Ok(id) => load_person(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(error) => view! { <Title text=td_string!(locale, social.not_found)/><ErrorView error/> }.into_any(),
                    Ok(p) => {
                        let id = p.card.person.id;
                        let back = format!("/people/{id}");
                        let name = p.card.person.name.clone();
                        let tie = p.card.tie;
                        view! {
                            <Title text=name.clone()/>
                            <section class="panel narrow person">
                                <header class="person-head">
                                    <Face person=p.card.person.clone() decorative=true/>
                                    <div>
                                        <h1>{name}</h1>
                                        <p class="muted tie">
                                            {(tie != Tie::None).then(|| tie.label_in(locale))}
                                            {p.card.following.then(|| format!(" · {}", td_string!(locale, social.person.following)))}
                                        </p>
                                    </div>
                                </header>
                                <PersonActions person=id actions=p.actions back/>
                                {match p.friends {
                                    Some(friends) => view! {
                                        <dl class="facts">
                                            {p.city.map(|c| view! { <dt>{td_string!(locale, social.person.city)}</dt><dd>{c}</dd> })}
                                            {(!p.interests.is_empty()).then(|| view! { <dt>{td_string!(locale, social.person.likes)}</dt><dd>{p.interests.join(", ")}</dd> })}
                                            <dt>{td_string!(locale, social.person.friends)}</dt><dd>{friends}</dd>
                                        </dl>
                                    }.into_any(),
                                    None => view! { <p class="muted">{td_string!(locale, social.person.details_private)}</p> }.into_any(),
                                }}
                                {match p.going {
                                    Some(events) if events.is_empty() => view! { <p class="muted">{td_string!(locale, social.person.going_none)}</p> }.into_any(),
                                    Some(events) => view! {
                                        <h2>{td_string!(locale, social.person.going_to)}</h2>
                                        <ul class="plain-list">
                                            {events.into_iter().map(|(id, title)| view! {
                                                <li><a href=format!("/events/{id}")>{title}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any(),
                                    None => view! { <p class="muted">{td_string!(locale, social.person.going_private)}</p> }.into_any(),
                                }}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
