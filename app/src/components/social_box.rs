use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::social::{load_event_social, ActInGroup},
    components::people::{Face, FriendsGoingLine},
    model::social::GroupAction,
};

/// The event page's social part, for people signed in: friends going with their faces, others
/// going who share it, and adding the event to one of the viewer's groups' shortlists.
#[component]
pub fn SocialBox(event_id: i32) -> impl IntoView {
    let social = OnceResource::new(load_event_social(event_id));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(s)) = social.await else { return ().into_any() };
                let back = format!("/events/{}", s.event_id);
                view! {
                    <section class="social-box" aria-label="Who is going">
                        <FriendsGoingLine friends=s.friends/>
                        {(!s.others.is_empty()).then(|| view! {
                            <div class="others-going">
                                <p class="muted">"Also going"</p>
                                <div class="faces">
                                    {s.others.into_iter().map(|person| view! { <Face person/> }).collect_view()}
                                </div>
                            </div>
                        })}
                        {(!s.groups.is_empty()).then(|| view! {
                            <form method="post" action=ActInGroup::url() class="row shortlist-add">
                                <input type="hidden" name="action" value=GroupAction::Propose.as_str()/>
                                <input type="hidden" name="event" value=s.event_id/>
                                <input type="hidden" name="back" value=back/>
                                <label for="shortlist-group">"Plan it with"</label>
                                <select id="shortlist-group" name="key">
                                    {s.groups.into_iter().map(|g| view! { <option value=g.key>{g.name}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="button small">{GroupAction::Propose.label()}</button>
                            </form>
                        })}
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
