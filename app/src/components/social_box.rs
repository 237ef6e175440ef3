use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::social::{load_event_social, ActInGroup},
    components::{
        event_card::SaveButton,
        people::{Face, FriendsGoingLine},
    },
    model::social::GroupAction,
};

/// The event page's social part, for people signed in: saving it, friends going and friends
/// interested with their faces, others going who share it, and adding the event to one of the
/// viewer's groups' shortlists. People not signed in are offered to sign in to save it.
#[component]
pub fn SocialBox(event_id: i32, title: String) -> impl IntoView {
    let social = OnceResource::new(load_event_social(event_id));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let title = title.clone();
                Suspend::new(async move {
                let Ok(Some(s)) = social.await else {
                    return view! {
                        <section class="social-box">
                            <a class="button small" href="/signin">"Sign in to save this event"</a>
                        </section>
                    }
                    .into_any();
                };
                let back = format!("/events/{}", s.event_id);
                let interested = s.interested.count;
                view! {
                    <section class="social-box" aria-label="Who is going">
                        <SaveButton event=s.event_id title saved=s.saved/>
                        <FriendsGoingLine friends=s.friends/>
                        {(interested > 0).then(|| view! {
                            <div class="friends-interested">
                                <div class="faces">
                                    {s.interested.faces.into_iter().map(|person| view! { <Face person/> }).collect_view()}
                                </div>
                                <p>{if interested == 1 { "1 friend is interested".to_owned() } else { format!("{interested} friends are interested") }}</p>
                            </div>
                        })}
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
            })}}
        </Suspense>
    }
}
