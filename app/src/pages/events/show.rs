use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use crate::{
    api::{
        curation::{FlagEvent, ReviewEvent},
        events::{
            load_event, DuplicateEvent, InviteGroup, InvitePeople, NewInviteLink, SubmitEvent,
        },
        organizations::SubmitToCalendar,
        ticketing::load_ticket_section,
    },
    components::{
        language::use_locale, picture::PictureView, seo::Seo, social_box::SocialBox,
        status::ErrorView, tickets::TicketBox,
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::FlagReason,
        events::{Community, EventDetails, EventStatus, Visibility},
    },
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
    let locale = use_locale();
    let id = id_param();
    let ticket_id = id.clone();
    // a private event's invite link carries its token
    let invite = use_query_map()
        .with_untracked(|q| q.get("invite"))
        .filter(|t| !t.is_empty());
    let ticket_invite = invite.clone();
    let event = OnceResource::new(async move {
        match id {
            Ok(id) => load_event(id, invite).await,
            Err(e) => Err(e),
        }
    });
    let tickets = OnceResource::new(async move {
        match ticket_id {
            Ok(id) => load_ticket_section(id, ticket_invite).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                    match event.await {
                        Ok(event) => {
                            let tickets = tickets.await.ok();
                            view! { <EventView event tickets/> }.into_any()
                        }
                        Err(error) => view! { <Title text=td_string!(locale, events.show.not_found)/><ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EventView(
    event: EventDetails,
    tickets: Option<crate::model::ticketing::TicketSection>,
) -> impl IntoView {
    let locale = use_locale();
    let id = event.id;
    view! {
        <Title text=event.title.clone()/>
        <Seo
            path=format!("/events/{id}")
            title=event.title.clone()
            description=event.summary.clone()
            image=event.cover.as_ref().map(|p| p.src.clone())
        />
        {event.structured_data.is_none().then(|| view! { <Meta name="robots" content="noindex"/> })}
        {event.structured_data.clone().map(|data| view! {
            <script type="application/ld+json" inner_html=data></script>
        })}
        <article class="event">
            {event.cancel_reason.clone().map(|reason| view! {
                <p class="status-banner cancelled">{td_string!(locale, events.cancelled, reason = reason)}</p>
            })}
            {event.hidden_reason.clone().map(|reason| view! {
                <p class="status-banner">{reason}</p>
            })}
            {(!matches!(event.status, EventStatus::Published | EventStatus::Completed | EventStatus::Cancelled)).then(|| view! {
                <p class="status-banner">{td_string!(locale, events.show.not_public, status = event.status.label_in(locale))}</p>
            })}
            {(event.status == EventStatus::Completed).then(|| view! {
                <p class="status-banner">{td_string!(locale, events.show.ended)}</p>
            })}
            {match (event.visibility, event.invite_url.clone()) {
                (Visibility::Private, Some(url)) => Some(view! {
                    <section class="status-banner invite-link" aria-label=td_string!(locale, events.show.invite_link)>
                        <p>{td_string!(locale, events.show.private_hint)}</p>
                        <p><input type="text" readonly value=url aria-label=td_string!(locale, events.show.invite_link) data-testid="invite-link"/></p>
                        <form method="post" action=NewInviteLink::url()>
                            <input type="hidden" name="event_id" value=id/>
                            <button type="submit" class="button">{td_string!(locale, events.show.new_link)}</button>
                        </form>
                        <form method="post" action=InvitePeople::url() class="stack">
                            <input type="hidden" name="event_id" value=id/>
                            <label for="invite-emails">{td_string!(locale, events.show.invite_emails)}</label>
                            <textarea id="invite-emails" name="emails" rows="3" required></textarea>
                            <button type="submit" class="button">{td_string!(locale, events.show.send_invitations)}</button>
                        </form>
                        {(!event.invite_groups.is_empty()).then(|| view! {
                            <form method="post" action=InviteGroup::url() class="inline">
                                <input type="hidden" name="event_id" value=id/>
                                <label for="invite-group">{td_string!(locale, events.show.invite_group_label)}</label>
                                <select id="invite-group" name="group">
                                    {event.invite_groups.iter().map(|g| view! { <option value=g.key.clone()>{g.name.clone()}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="button">{td_string!(locale, events.show.invite_group)}</button>
                            </form>
                        })}
                    </section>
                }.into_any()),
                (Visibility::Unlisted, _) if event.can_edit => Some(view! {
                    <p class="status-banner">{td_string!(locale, events.show.unlisted_hint)}</p>
                }.into_any()),
                _ => None,
            }}
            {(event.can_edit && event.pending_changes).then(|| view! {
                <p class="status-banner">{td_string!(locale, events.show.changes_pending)}</p>
            })}
            {event.cover.clone().map(|picture| view! { <PictureView picture class="event-cover" sizes="(max-width: 1152px) 100vw, 1120px" priority=true/> })}
            <header class="event-header">
                <p class="chip">{event.category_label.clone()}</p>
                <h1>{event.title.clone()}</h1>
                {(!event.badges.is_empty()).then(|| view! {
                    <p class="badges">{event.badges.iter().map(|b| view! { <span class="badge">{b.clone()}</span> }).collect_view()}</p>
                })}
                <p class="lead">{event.summary.clone()}</p>
            </header>
            <div class="event-grid">
                <div class="event-description" inner_html=event.description_html.clone()></div>
                <aside class="event-facts">
                    <dl>
                        <dt>{td_string!(locale, events.when_label)}</dt>
                        <dd><time datetime=event.starts_at_iso.clone()>{event.when.clone()}</time></dd>
                        <dt>{td_string!(locale, events.where_label)}</dt>
                        <dd>{match (event.venue_name.clone(), event.online_url.clone()) {
                            (Some(venue), _) => view! {
                                <span>{venue}</span><br/>
                                <span>{event.venue_address.clone().unwrap_or_default()}</span>
                                {event.map_url.clone().map(|url| view! { <br/><a href=url rel="noopener" target="_blank">{td_string!(locale, events.show.open_map)}</a> })}
                            }.into_any(),
                            (None, Some(link)) => view! {
                                <span>{td_string!(locale, events.show.online)}" — "</span>
                                <a href=link rel="noopener nofollow">{td_string!(locale, events.show.join_link)}</a>
                            }.into_any(),
                            (None, None) if event.is_online => view! { <span>{td_string!(locale, events.show.online_for_ticket_holders)}</span> }.into_any(),
                            _ => view! { <span>{td_string!(locale, events.show.to_be_announced)}</span> }.into_any(),
                        }}</dd>
                        <dt>{td_string!(locale, events.price)}</dt>
                        <dd>{event.price.clone()}</dd>
                        <dt>{td_string!(locale, events.capacity)}</dt>
                        <dd>{td_string!(locale, events.show.people, count = event.capacity)}</dd>
                        <dt>{td_string!(locale, events.show.organizer)}</dt>
                        <dd>{match event.organization.clone() {
                                Some((name, slug)) => view! { <a href=format!("/o/{slug}")>{name}</a> }.into_any(),
                                None => view! { <span>{event.organizer_name.clone()}</span> }.into_any(),
                            }}
                            {event.organizer_rating.clone().map(|r| view! { <br/><small class="muted">{td_string!(locale, events.show.organizer_rating, rating = r)}</small> })}
                        </dd>
                    </dl>
                    <div class="add-to-calendar" role="group" aria-label=td_string!(locale, events.show.add_to_calendar)>
                        <a class="button" href=format!("/events/{id}/calendar.ics")>{td_string!(locale, events.show.calendar_file)}</a>
                        <a class="button" href=event.google_calendar_url.clone() rel="noopener" target="_blank">"Google Calendar"</a>
                        <a class="button" href=event.outlook_calendar_url.clone() rel="noopener" target="_blank">"Outlook"</a>
                    </div>
                    {(event.visibility != Visibility::Private).then(|| view! {
                        <div class="share">
                            <button type="button" class="button" data-share-url=event.public_url.clone() data-share-title=event.title.clone() data-copy-label=td_string!(locale, events.show.copy_link) data-copied=td_string!(locale, events.show.link_copied) data-copy-by-hand=td_string!(locale, events.show.copy_by_hand) hidden>{td_string!(locale, events.show.share)}</button>
                            <p class="muted share-status" role="status" aria-live="polite"></p>
                            <script src="/share.js" defer></script>
                        </div>
                    })}
                    {(!event.tags.is_empty()).then(|| view! {
                        <p class="tags">{event.tags.iter().map(|t| view! { <span class="tag">"#"{t.clone()}</span> }).collect_view()}</p>
                    })}
                    {event.can_edit.then(|| view! {
                        <div class="owner-actions">
                            <a class="button" href=format!("/events/{id}/edit")>{td_string!(locale, events.edit_event)}</a>
                            <a class="button" href=format!("/events/{id}/history")>{td_string!(locale, events.review_and_history)}</a>
                            {matches!(event.status, EventStatus::Draft | EventStatus::NeedsRevision).then(|| view! {
                                <form method="post" action=SubmitEvent::url() class="inline">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="button primary">{td_string!(locale, events.submit_for_review)}</button>
                                </form>
                            })}
                            {(event.visibility == Visibility::Public && event.status == EventStatus::Published).then(|| view! {
                                <details class="calendar-submit">
                                    <summary>{td_string!(locale, events.show.submit_to_calendar)}</summary>
                                    <form method="post" action=SubmitToCalendar::url() class="stack">
                                        <input type="hidden" name="event_id" value=id/>
                                        <label for="calendar-slug">{td_string!(locale, events.show.calendar_address)}</label>
                                        <input id="calendar-slug" type="text" name="calendar" required placeholder="kulturbrauerei-collective"/>
                                        <button type="submit" class="button">{td_string!(locale, events.show.submit)}</button>
                                    </form>
                                </details>
                            })}
                            <details class="duplicate">
                                <summary>{td_string!(locale, events.show.duplicate_or_repeat)}</summary>
                                <form method="post" action=DuplicateEvent::url() class="stack">
                                    <input type="hidden" name="event_id" value=id/>
                                    <label for="dup-repeat">{td_string!(locale, events.show.make)}</label>
                                    <select id="dup-repeat" name="repeat">
                                        <option value="once">{td_string!(locale, events.show.once)}</option>
                                        <option value="weekly">{td_string!(locale, events.show.weekly)}</option>
                                        <option value="monthly">{td_string!(locale, events.show.monthly)}</option>
                                    </select>
                                    <label for="dup-count">{td_string!(locale, events.show.how_many)}</label>
                                    <input id="dup-count" type="number" name="count" min="1" max="12" value="4"/>
                                    <label class="check"><input type="checkbox" name="submit" value="on"/>" "{td_string!(locale, events.show.submit_copies)}</label>
                                    <button type="submit" class="button">{td_string!(locale, events.show.duplicate)}</button>
                                </form>
                            </details>
                        </div>
                    })}
                </aside>
            </div>
            {tickets.map(|section| view! { <TicketBox section/> })}
            <SocialBox event_id=id title=event.title.clone()/>
            <CommunityView id community=event.community/>
        </article>
    }
}

#[component]
fn CommunityView(id: i32, community: Community) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="community">
            <h2>{td_string!(locale, events.community.reviews)}{community.rating.clone().map(|r| view! { " · "<span class="rating">{r}</span> })}</h2>
            {community.reviews.is_empty().then(|| view! { <p class="muted">{td_string!(locale, events.community.no_reviews)}</p> })}
            <ul class="review-list">
                {community.reviews.into_iter().map(|r| view! {
                    <li>
                        <p><span class="stars" aria-label=td_string!(locale, events.community.stars, rating = r.rating)>{"★".repeat(r.rating as usize)}{"☆".repeat(5 - r.rating as usize)}</span>" "<strong>{r.author}</strong>" · "<span class="muted">{r.when}</span></p>
                        {(!r.text.is_empty()).then(|| view! { <p>{r.text}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            {community.can_review.then(|| view! {
                <form method="post" action=ReviewEvent::url() class="review-form">
                    <input type="hidden" name="id" value=id/>
                    <fieldset class="stars-input">
                        <legend>{td_string!(locale, events.community.your_rating)}</legend>
                        {(1..=5).map(|n| view! { <label><input type="radio" name="rating" value=n required/>" "{n}" ★"</label> }).collect_view()}
                    </fieldset>
                    <label for="review-text">{td_string!(locale, events.community.your_review)}</label>
                    <textarea id="review-text" name="text" rows="3" maxlength="2000"></textarea>
                    <button type="submit" class="button primary">{td_string!(locale, events.community.post_review)}</button>
                </form>
            })}
            {community.has_reviewed.then(|| view! { <p class="muted">{td_string!(locale, events.community.thanks)}</p> })}
            {community.can_flag.then(|| view! {
                <details class="flag">
                    <summary>{td_string!(locale, events.community.report)}</summary>
                    <form method="post" action=FlagEvent::url()>
                        <input type="hidden" name="id" value=id/>
                        <label for="flag-reason">{td_string!(locale, events.community.what_is_wrong)}</label>
                        <select id="flag-reason" name="reason">{FlagReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label_in(locale)}</option> }).collect_view()}</select>
                        <label for="flag-text">{td_string!(locale, events.community.details)}</label>
                        <textarea id="flag-text" name="text" rows="2" required minlength="5"></textarea>
                        <button type="submit" class="button">{td_string!(locale, events.community.send_report)}</button>
                    </form>
                </details>
            })}
            {community.has_flagged.then(|| view! { <p class="muted">{td_string!(locale, events.community.reported)}</p> })}
        </section>
    }
}
