use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::social::load_person,
    components::{
        people::{Face, PersonActions},
        status::ErrorView,
    },
    model::social::Tie,
    pages::events::show::id_param,
};

/// `/people/:id`: a person as the viewer may see them.
#[component]
pub fn PersonPage() -> impl IntoView {
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
                    Err(error) => view! { <Title text="Not found"/><ErrorView error/> }.into_any(),
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
                                            {(tie != Tie::None).then(|| tie.label())}
                                            {p.card.following.then_some(" · Following")}
                                        </p>
                                    </div>
                                </header>
                                <PersonActions person=id actions=p.actions back/>
                                {match p.friends {
                                    Some(friends) => view! {
                                        <dl class="facts">
                                            {p.city.map(|c| view! { <dt>"City"</dt><dd>{c}</dd> })}
                                            {(!p.interests.is_empty()).then(|| view! { <dt>"Likes"</dt><dd>{p.interests.join(", ")}</dd> })}
                                            <dt>"Friends"</dt><dd>{friends}</dd>
                                        </dl>
                                    }.into_any(),
                                    None => view! { <p class="muted">"Their profile details are private."</p> }.into_any(),
                                }}
                                {match p.going {
                                    Some(events) if events.is_empty() => view! { <p class="muted">"Not going to anything coming up."</p> }.into_any(),
                                    Some(events) => view! {
                                        <h2>"Going to"</h2>
                                        <ul class="plain-list">
                                            {events.into_iter().map(|(id, title)| view! {
                                                <li><a href=format!("/events/{id}")>{title}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any(),
                                    None => view! { <p class="muted">"What they go to is private."</p> }.into_any(),
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
