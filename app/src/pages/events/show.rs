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
        picture::PictureView, seo::Seo, social_box::SocialBox, status::ErrorView,
        tickets::TicketBox,
    },
    error::AppError,
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
                        Err(error) => view! { <Title text="Not found"/><ErrorView error/> }.into_any(),
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
                <p class="status-banner cancelled">{format!("Cancelled: {reason}")}</p>
            })}
            {event.hidden_reason.clone().map(|reason| view! {
                <p class="status-banner">{reason}</p>
            })}
            {(!matches!(event.status, EventStatus::Published | EventStatus::Completed | EventStatus::Cancelled)).then(|| view! {
                <p class="status-banner">"Not public — status: "{event.status.label()}</p>
            })}
            {(event.status == EventStatus::Completed).then(|| view! {
                <p class="status-banner">"This event has ended."</p>
            })}
            {match (event.visibility, event.invite_url.clone()) {
                (Visibility::Private, Some(url)) => Some(view! {
                    <section class="status-banner invite-link" aria-label="Invite link">
                        <p>"Private: only the people you invite can open this page. Share this link with them:"</p>
                        <p><input type="text" readonly value=url aria-label="Invite link" data-testid="invite-link"/></p>
                        <form method="post" action=NewInviteLink::url()>
                            <input type="hidden" name="event_id" value=id/>
                            <button type="submit" class="button">"Make a new link (the old one stops working)"</button>
                        </form>
                        <form method="post" action=InvitePeople::url() class="stack">
                            <input type="hidden" name="event_id" value=id/>
                            <label for="invite-emails">"Or invite people by email (commas or new lines between addresses)"</label>
                            <textarea id="invite-emails" name="emails" rows="3" required></textarea>
                            <button type="submit" class="button">"Send invitations"</button>
                        </form>
                        {(!event.invite_groups.is_empty()).then(|| view! {
                            <form method="post" action=InviteGroup::url() class="inline">
                                <input type="hidden" name="event_id" value=id/>
                                <label for="invite-group">"Or one of your groups"</label>
                                <select id="invite-group" name="group">
                                    {event.invite_groups.iter().map(|g| view! { <option value=g.key.clone()>{g.name.clone()}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="button">"Invite the group"</button>
                            </form>
                        })}
                    </section>
                }.into_any()),
                (Visibility::Unlisted, _) if event.can_edit => Some(view! {
                    <p class="status-banner">"Unlisted: anyone with this page's address can open it; it is listed nowhere."</p>
                }.into_any()),
                _ => None,
            }}
            {(event.can_edit && event.pending_changes).then(|| view! {
                <p class="status-banner">"Your latest changes wait for review; this page shows the approved version."</p>
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
                            (None, None) if event.is_online => view! { <span>"Online — the join link is shown to ticket holders"</span> }.into_any(),
                            _ => view! { <span>"To be announced"</span> }.into_any(),
                        }}</dd>
                        <dt>"Price"</dt>
                        <dd>{event.price.clone()}</dd>
                        <dt>"Capacity"</dt>
                        <dd>{event.capacity}" people"</dd>
                        <dt>"Organizer"</dt>
                        <dd>{match event.organization.clone() {
                                Some((name, slug)) => view! { <a href=format!("/o/{slug}")>{name}</a> }.into_any(),
                                None => view! { <span>{event.organizer_name.clone()}</span> }.into_any(),
                            }}
                            {event.organizer_rating.clone().map(|r| view! { <br/><small class="muted">{r}" across their events"</small> })}
                        </dd>
                    </dl>
                    <div class="add-to-calendar" role="group" aria-label="Add to your calendar">
                        <a class="button" href=format!("/events/{id}/calendar.ics")>"Calendar file (.ics)"</a>
                        <a class="button" href=event.google_calendar_url.clone() rel="noopener" target="_blank">"Google Calendar"</a>
                        <a class="button" href=event.outlook_calendar_url.clone() rel="noopener" target="_blank">"Outlook"</a>
                    </div>
                    {(event.visibility != Visibility::Private).then(|| view! {
                        <div class="share">
                            <button type="button" class="button" data-share-url=event.public_url.clone() data-share-title=event.title.clone() hidden>"Share"</button>
                            <p class="muted share-status" role="status" aria-live="polite"></p>
                            <script src="/share.js" defer></script>
                        </div>
                    })}
                    {(!event.tags.is_empty()).then(|| view! {
                        <p class="tags">{event.tags.iter().map(|t| view! { <span class="tag">"#"{t.clone()}</span> }).collect_view()}</p>
                    })}
                    {event.can_edit.then(|| view! {
                        <div class="owner-actions">
                            <a class="button" href=format!("/events/{id}/edit")>"Edit event"</a>
                            <a class="button" href=format!("/events/{id}/history")>"Review and history"</a>
                            {matches!(event.status, EventStatus::Draft | EventStatus::NeedsRevision).then(|| view! {
                                <form method="post" action=SubmitEvent::url() class="inline">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="button primary">"Submit for review"</button>
                                </form>
                            })}
                            {(event.visibility == Visibility::Public && event.status == EventStatus::Published).then(|| view! {
                                <details class="calendar-submit">
                                    <summary>"Submit to another calendar"</summary>
                                    <form method="post" action=SubmitToCalendar::url() class="stack">
                                        <input type="hidden" name="event_id" value=id/>
                                        <label for="calendar-slug">"The organization's address (/o/…)"</label>
                                        <input id="calendar-slug" type="text" name="calendar" required placeholder="kulturbrauerei-collective"/>
                                        <button type="submit" class="button">"Submit"</button>
                                    </form>
                                </details>
                            })}
                            <details class="duplicate">
                                <summary>"Duplicate or repeat"</summary>
                                <form method="post" action=DuplicateEvent::url() class="stack">
                                    <input type="hidden" name="event_id" value=id/>
                                    <label for="dup-repeat">"Make"</label>
                                    <select id="dup-repeat" name="repeat">
                                        <option value="once">"One copy, as a draft to edit"</option>
                                        <option value="weekly">"A weekly series"</option>
                                        <option value="monthly">"A monthly series"</option>
                                    </select>
                                    <label for="dup-count">"How many (for a series, up to 12)"</label>
                                    <input id="dup-count" type="number" name="count" min="1" max="12" value="4"/>
                                    <label class="check"><input type="checkbox" name="submit" value="on"/>" Submit them for review"</label>
                                    <button type="submit" class="button">"Duplicate"</button>
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
    view! {
        <section class="community">
            <h2>"Reviews"{community.rating.clone().map(|r| view! { " · "<span class="rating">{r}</span> })}</h2>
            {community.reviews.is_empty().then(|| view! { <p class="muted">"No reviews yet."</p> })}
            <ul class="review-list">
                {community.reviews.into_iter().map(|r| view! {
                    <li>
                        <p><span class="stars" aria-label=format!("{} of 5 stars", r.rating)>{"★".repeat(r.rating as usize)}{"☆".repeat(5 - r.rating as usize)}</span>" "<strong>{r.author}</strong>" · "<span class="muted">{r.when}</span></p>
                        {(!r.text.is_empty()).then(|| view! { <p>{r.text}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            {community.can_review.then(|| view! {
                <form method="post" action=ReviewEvent::url() class="review-form">
                    <input type="hidden" name="id" value=id/>
                    <fieldset class="stars-input">
                        <legend>"Your rating"</legend>
                        {(1..=5).map(|n| view! { <label><input type="radio" name="rating" value=n required/>" "{n}" ★"</label> }).collect_view()}
                    </fieldset>
                    <label for="review-text">"Your review"</label>
                    <textarea id="review-text" name="text" rows="3" maxlength="2000"></textarea>
                    <button type="submit" class="button primary">"Post review"</button>
                </form>
            })}
            {community.has_reviewed.then(|| view! { <p class="muted">"Thank you for your review."</p> })}
            {community.can_flag.then(|| view! {
                <details class="flag">
                    <summary>"Report this event"</summary>
                    <form method="post" action=FlagEvent::url()>
                        <input type="hidden" name="id" value=id/>
                        <label for="flag-reason">"What is wrong?"</label>
                        <select id="flag-reason" name="reason">{FlagReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}</select>
                        <label for="flag-text">"Details for the curators"</label>
                        <textarea id="flag-text" name="text" rows="2" required minlength="5"></textarea>
                        <button type="submit" class="button">"Send report"</button>
                    </form>
                </details>
            })}
            {community.has_flagged.then(|| view! { <p class="muted">"You reported this event. Curators will look at it."</p> })}
        </section>
    }
}
