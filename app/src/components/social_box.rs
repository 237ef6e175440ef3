use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::social::{load_event_social, ActInGroup},
    components::{
        event_card::SaveButton,
        language::use_locale,
        people::{Face, FriendsGoingLine},
    },
    i18n::td_string,
    model::social::GroupAction,
};

/// The event page's social part, for people signed in: saving it, friends going and friends
/// interested with their faces, others going who share it, and adding the event to one of the
/// viewer's groups' shortlists. People not signed in are offered to sign in to save it.
#[component]
pub fn SocialBox(event_id: i32, title: String) -> impl IntoView {
    let locale = use_locale();
    let social = OnceResource::new(load_event_social(event_id));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let title = title.clone();
                Suspend::new(async move {
                let Ok(Some(s)) = social.await else {
                    return view! {
                        <section class="social-box">
                            <a class="button small" href="/signin">{td_string!(locale, social.event.sign_in_to_save)}</a>
                        </section>
                    }
                    .into_any();
                };
                let back = format!("/events/{}", s.event_id);
                let interested = s.interested.count;
                view! {
                    <section class="social-box" aria-label=td_string!(locale, social.event.who_is_going)>
                        <SaveButton event=s.event_id title saved=s.saved/>
                        <FriendsGoingLine friends=s.friends/>
                        {(interested > 0).then(|| view! {
                            <div class="friends-interested">
                                <div class="faces">
                                    {s.interested.faces.into_iter().map(|person| view! { <Face person/> }).collect_view()}
                                </div>
                                <p>{td_string!(locale, social.event.friends_interested, count = interested)}</p>
                            </div>
                        })}
                        {(!s.others.is_empty()).then(|| view! {
                            <div class="others-going">
                                <p class="muted">{td_string!(locale, social.event.also_going)}</p>
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
                                <label for="shortlist-group">{td_string!(locale, social.event.plan_it_with)}</label>
                                <select id="shortlist-group" name="key">
                                    {s.groups.into_iter().map(|g| view! { <option value=g.key>{g.name}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="button small">{GroupAction::Propose.label_in(locale)}</button>
                            </form>
                        })}
                    </section>
                }
                .into_any()
            })}}
        </Suspense>
    }
}
