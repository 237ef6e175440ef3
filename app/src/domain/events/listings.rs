use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        accounts::names::display_names,
        context::{internal, Settings},
        curation::{badges, review::revision_snapshot, reviews},
        events::{
            access::{self, is_curator, is_publicly_visible, EventAccess},
            calendar_links,
            save::load_editable,
            schedule::local_date,
            snapshot::Snapshot,
            structured_data, visibility,
        },
        locale_format,
        organizations::{payouts, profile::goes_by},
        ticketing::ticket_types,
    },
    error::AppError,
    i18n::td_string,
    model::{
        events::{
            Community, DayGroup, EventCard, EventDetails, EventForm, EventStatus, HomeData,
            MyEventRow, Picture, ReviewView, Visibility,
        },
        forms::FormState,
        language::Locale,
        organizations::OrgAction,
        taxonomy::Category,
    },
};
use entity::{event, event_image, flag, user};

/// Events on one page of the home listing; later ones are behind "More events".
pub const HOME_PAGE_SIZE: u64 = 24;
/// Pages past this are not offered: by then search and its filters serve better.
pub const HOME_MAX_PAGE: u32 = 20;

pub fn tz_of(event: &event::Model) -> Tz {
    event.timezone.parse().unwrap_or(Tz::UTC)
}

pub fn category_label(slug: &str, locale: Locale) -> String {
    Category::from_slug(slug)
        .map(|c| c.label_in(locale).to_owned())
        .unwrap_or_else(|| slug.to_owned())
}

/// The organizer's own price text (their words, in their language), or "Free".
pub fn price_label(event: &event::Model, locale: Locale) -> String {
    match (&event.price_text, event.is_free) {
        (Some(text), false) => text.clone(),
        _ => td_string!(locale, common.price.free).to_owned(),
    }
}

pub fn place_label(event: &event::Model, locale: Locale) -> String {
    match (&event.venue_name, &event.city) {
        (Some(venue), Some(city)) => format!("{venue}, {city}"),
        (Some(venue), None) => venue.clone(),
        _ => td_string!(locale, common.place.online).to_owned(),
    }
}

pub fn media_url(key: &str) -> String {
    format!("/media/{key}")
}

/// Cover images of a set of events, in one query.
pub async fn covers<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, Picture>, AppError> {
    pictures(db, events.iter().filter_map(|e| e.cover_image_id).collect()).await
}

/// Stored images as pages show them, by their id.
pub async fn pictures<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, Picture>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(event_image::Entity::find()
        .filter(event_image::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|img| (img.id, picture(&img)))
        .collect())
}

#[derive(serde::Deserialize)]
struct Variant {
    key: String,
    width: u32,
}

/// How pages show a stored image.
pub fn picture(img: &event_image::Model) -> Picture {
    let variants: Vec<Variant> = serde_json::from_str(&img.variants).unwrap_or_default();
    let srcset = variants
        .iter()
        .map(|v| format!("{} {}w", media_url(&v.key), v.width))
        .collect::<Vec<_>>()
        .join(", ");
    Picture {
        src: media_url(&img.key),
        width: img.width.max(0) as u32,
        height: img.height.max(0) as u32,
        webp_srcset: (!srcset.is_empty()).then_some(srcset),
    }
}

/// Cover image URLs (the originals) for a set of events.
pub async fn cover_urls<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, String>, AppError> {
    media_urls(db, events.iter().filter_map(|e| e.cover_image_id).collect()).await
}

/// The URLs of stored images (the originals), by their id.
pub async fn media_urls<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(pictures(db, ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.src))
        .collect())
}

pub async fn organizer_names<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, String>, AppError> {
    display_names(db, events.iter().map(|e| e.organizer_id)).await
}

fn card(
    event: &event::Model,
    covers: &HashMap<i32, Picture>,
    badges: &HashMap<i32, Vec<String>>,
    locale: Locale,
) -> EventCard {
    EventCard {
        id: event.id,
        title: event.title.clone(),
        summary: event.summary.clone(),
        category_slug: event.category.clone(),
        category_label: category_label(&event.category, locale),
        start_time: locale_format::time(locale, event.starts_at, tz_of(event)),
        place: place_label(event, locale),
        price: price_label(event, locale),
        cover: event.cover_image_id.and_then(|id| covers.get(&id).cloned()),
        badges: badges.get(&event.id).cloned().unwrap_or_default(),
        friends_going: 0,
        saved: None,
        reason: None,
        recommended: false,
    }
}

/// Cards for the given events in the given order, leaving out any that are not public (an index
/// can trail the database by a moment).
pub async fn public_cards<C: ConnectionTrait>(
    db: &C,
    ids: &[i32],
    locale: Locale,
) -> Result<Vec<EventCard>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    let mut by_id: HashMap<i32, event::Model> = events.into_iter().map(|e| (e.id, e)).collect();
    let ordered: Vec<event::Model> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    cards_of(db, ordered, locale).await
}

/// Cards for events already read, in their order, leaving out those not publicly visible.
pub async fn cards_of<C: ConnectionTrait>(
    db: &C,
    mut events: Vec<event::Model>,
    locale: Locale,
) -> Result<Vec<EventCard>, AppError> {
    events.retain(visibility::is_listed);
    let covers = covers(db, &events).await?;
    let badges = badges::for_events(db, &events, locale).await?;
    Ok(events
        .iter()
        .map(|e| card(e, &covers, &badges, locale))
        .collect())
}

/// One page (from 1) of the published events that have not ended, soonest first, grouped by
/// their local day.
pub async fn upcoming_by_day<C: ConnectionTrait>(
    db: &C,
    category: Option<&str>,
    page: u32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<HomeData, AppError> {
    let page = page.clamp(1, HOME_MAX_PAGE);
    let category = category.and_then(Category::from_slug);
    let mut query = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::EndsAt.gt(now));
    if let Some(c) = category {
        query = query.filter(event::Column::Category.eq(c.slug()));
    }
    let mut events = query
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .offset(u64::from(page - 1) * HOME_PAGE_SIZE)
        .limit(HOME_PAGE_SIZE + 1)
        .all(db)
        .await
        .map_err(internal)?;
    let more = events.len() as u64 > HOME_PAGE_SIZE && page < HOME_MAX_PAGE;
    events.truncate(HOME_PAGE_SIZE as usize);
    let covers = covers(db, &events).await?;
    let badges = badges::for_events(db, &events, locale).await?;
    // Each event is shown on its own local day; with several time zones that order can differ
    // from the UTC order, so sort by it before grouping.
    let mut dated: Vec<_> = events
        .iter()
        .map(|e| {
            let tz = tz_of(e);
            (
                local_date(e.starts_at, tz).max(local_date(now, tz)),
                local_date(now, tz),
                e,
            )
        })
        .collect();
    dated.sort_by_key(|(day, _, e)| (*day, e.starts_at, e.id));
    let mut days: Vec<DayGroup> = Vec::new();
    let mut last_day = None;
    for (day, today, event) in dated {
        if last_day != Some(day) {
            days.push(DayGroup {
                label: locale_format::day_heading(locale, day, today),
                events: Vec::new(),
            });
            last_day = Some(day);
        }
        if let Some(group) = days.last_mut() {
            group.events.push(card(event, &covers, &badges, locale));
        }
    }
    Ok(HomeData {
        category: category.map(|c| c.slug().to_owned()),
        days,
        next_page: more.then_some(page + 1),
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn details<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    payments_enabled: bool,
    id: i32,
    viewer: Option<&user::Model>,
    invite: Option<&str>,
    hidden_authors: &BTreeSet<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<EventDetails, AppError> {
    let event = event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let access = EventAccess::of(db, &event, viewer).await?;
    let by_link = match invite {
        Some(token) => {
            visibility::open_with_link(db, &event, viewer.map(|v| v.id), token, now).await?
        }
        None => false,
    };
    if !(access.can_view(&event) || by_link) {
        return Err(AppError::NotFound);
    }
    let shown_as = visibility::of(&event);
    let editable = access.may(OrgAction::EditEvents);
    // the invite link is for the people who run the event
    let invite_url = match (shown_as, editable) {
        (Visibility::Private, true) => {
            Some(visibility::invite_url(db, &settings.public_url, &event).await?)
        }
        _ => None,
    };
    let on_the_team = access.on_the_team() || viewer.is_some_and(is_curator);
    let covers = covers(db, std::slice::from_ref(&event)).await?;
    let organizer = organizer_names(db, std::slice::from_ref(&event)).await?;
    let badges = badges::for_events(db, std::slice::from_ref(&event), locale).await?;
    let organizer_rating = reviews::organizer_ratings(db, &[event.organizer_id])
        .await?
        .get(&event.organizer_id)
        .map(|r| r.label(locale));
    let community = community(db, &event, viewer, hidden_authors, now, locale).await?;
    // the online link is for ticket holders and those who run or review the event
    let join_link = community.held_ticket || on_the_team;
    let tz = tz_of(&event);
    let organization = entity::organization::Entity::find_by_id(event.organization_id)
        .one(db)
        .await
        .map_err(internal)?;
    let base = settings.public_url.trim_end_matches('/');
    let page_url = format!("{base}/events/{}", event.id);
    let cover = event.cover_image_id.and_then(|c| covers.get(&c).cloned());
    let organization_name = organization
        .as_ref()
        .map(|o| goes_by(o, organizer.get(&event.organizer_id)));
    // search engines read about listed events only; the rest are not to be indexed
    let structured_data = match visibility::is_listed(&event) {
        true => {
            let types = ticket_types::of_event(db, event.id).await?;
            let paid_closed = organization
                .as_ref()
                .is_none_or(|o| payouts::why_no_sales(o, payments_enabled).is_some());
            let organizer =
                organization
                    .as_ref()
                    .zip(organization_name.as_deref())
                    .map(|(o, name)| structured_data::Organizer {
                        name,
                        url: format!("{base}/o/{}", o.slug),
                    });
            let image = cover.as_ref().map(|p| format!("{base}{}", p.src));
            Some(structured_data::script_text(&structured_data::event(
                &event,
                &page_url,
                image.as_deref(),
                organizer,
                &types,
                paid_closed,
                now,
            )))
        }
        false => None,
    };
    Ok(EventDetails {
        id: event.id,
        title: event.title.clone(),
        summary: event.summary.clone(),
        description_html: event.description_html.clone(),
        category_slug: event.category.clone(),
        category_label: category_label(&event.category, locale),
        tags: event
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        when: locale_format::range(locale, event.starts_at, event.ends_at, tz),
        starts_at_iso: event.starts_at.to_rfc3339(),
        timezone: event.timezone.clone(),
        venue_name: event.venue_name.clone(),
        venue_address: event.venue_address.clone(),
        city: event.city.clone(),
        map_url: event.latitude.zip(event.longitude).map(|(lat, lng)| {
            format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}")
        }),
        is_online: event.online_url.is_some(),
        online_url: event.online_url.clone().filter(|_| join_link),
        capacity: event.capacity,
        price: price_label(&event, locale),
        cover,
        organizer_name: organizer
            .get(&event.organizer_id)
            .cloned()
            .unwrap_or_default(),
        organizer_rating,
        organization: organization
            .as_ref()
            .zip(organization_name)
            .map(|(o, name)| (name, o.slug.clone())),
        status: EventStatus::parse(&event.status).unwrap_or(EventStatus::Draft),
        can_edit: editable,
        google_calendar_url: calendar_links::google(&event, &page_url),
        outlook_calendar_url: calendar_links::outlook(&event, &page_url),
        structured_data,
        public_url: page_url,
        badges: badges.get(&event.id).cloned().unwrap_or_default(),
        hidden_reason: event
            .hidden_reason
            .as_deref()
            .map(|r| crate::domain::admin::people::hidden_reason_in(r, locale)),
        cancel_reason: event.cancel_reason.clone(),
        pending_changes: event.pending_revision.is_some(),
        visibility: shown_as,
        invite_url,
        invite_groups: Vec::new(),
        community,
    })
}

/// The event's reviews and what the viewer may do about it. Reviews by `hidden_authors` (people
/// the viewer blocks or is blocked by) are left out of the list; the rating still counts them.
async fn community<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    viewer: Option<&user::Model>,
    hidden_authors: &BTreeSet<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Community, AppError> {
    let list = reviews::for_event(db, event.id).await?;
    let names = display_names(db, list.iter().map(|r| r.user_id)).await?;
    let public = is_publicly_visible(event);
    let status = EventStatus::parse(&event.status);
    let (mut has_flagged, mut held_ticket, mut has_reviewed) = (false, false, false);
    if let Some(v) = viewer {
        has_flagged = flag::Entity::find()
            .filter(flag::Column::EventId.eq(event.id))
            .filter(flag::Column::UserId.eq(v.id))
            .one(db)
            .await
            .map_err(internal)?
            .is_some();
        held_ticket = access::holds_ticket(db, v.id, event.id).await?;
        has_reviewed = list.iter().any(|r| r.user_id == v.id)
            || entity::event_review::Entity::find()
                .filter(entity::event_review::Column::EventId.eq(event.id))
                .filter(entity::event_review::Column::UserId.eq(v.id))
                .one(db)
                .await
                .map_err(internal)?
                .is_some();
    }
    let other = viewer.is_some_and(|v| v.id != event.organizer_id);
    let reviewable = public && event.starts_at <= now && event.cancel_reason.is_none();
    Ok(Community {
        rating: reviews::event_rating(db, event.id)
            .await?
            .map(|r| r.label(locale)),
        reviews: list
            .iter()
            .filter(|r| !hidden_authors.contains(&r.user_id))
            .map(|r| ReviewView {
                author: names.get(&r.user_id).cloned().unwrap_or_default(),
                rating: r.rating,
                text: r.text.clone(),
                when: locale_format::date(locale, r.created_at, tz_of(event)),
            })
            .collect(),
        signed_in: viewer.is_some(),
        can_flag: other && public && status == Some(EventStatus::Published) && !has_flagged,
        has_flagged,
        held_ticket,
        can_review: other && reviewable && held_ticket && event.ends_at <= now && !has_reviewed,
        has_reviewed,
    })
}

/// The most events "My events" lists: the latest by start.
pub const MY_EVENTS: u64 = 200;

/// The events of every organization the person works on (door staff excepted), and those they
/// created.
pub async fn by_organizer<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    locale: Locale,
) -> Result<Vec<MyEventRow>, AppError> {
    let teams =
        crate::domain::organizations::access::where_permitted(db, person.id, OrgAction::SeeEvents)
            .await?;
    Ok(event::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::OrganizerId.eq(person.id))
                .add(event::Column::OrganizationId.is_in(teams)),
        )
        .order_by_desc(event::Column::StartsAt)
        .limit(MY_EVENTS)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| MyEventRow {
            id: e.id,
            when: locale_format::range(locale, e.starts_at, e.ends_at, tz_of(&e)),
            status: EventStatus::parse(&e.status).unwrap_or(EventStatus::Draft),
            revision: e.revision,
            hidden: e.hidden_at.is_some(),
            pending_changes: e.pending_revision.is_some(),
            title: e.title,
        })
        .collect())
}

/// The form's starting values: what was just posted (after a failure), else the stored event,
/// else sensible defaults for a new one.
pub async fn form<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    id: Option<i32>,
    posted: FormState,
) -> Result<EventForm, AppError> {
    let Some(id) = id else {
        let state = posted.or_stored(|| {
            FormState::from_values(
                [
                    ("timezone", "Europe/Berlin"),
                    ("capacity", "50"),
                    ("is_free", "on"),
                    ("location_kind", "venue"),
                    ("visibility", "public"),
                ]
                .map(|(k, v)| (k, v.to_owned())),
            )
        });
        return Ok(EventForm {
            id: None,
            status: None,
            cover_url: None,
            state,
            organizations: crate::domain::organizations::team::choices(db, editor).await?,
        });
    };
    let live = load_editable(db, editor, id).await?;
    // with changes waiting for review, the organizer goes on from those
    let event = match live.pending_revision {
        Some(number) => revision_snapshot(db, id, number)
            .await?
            .map(|s| s.applied_to(&live))
            .unwrap_or(live),
        None => live,
    };
    let covers = cover_urls(db, std::slice::from_ref(&event)).await?;
    let state = posted.or_stored(|| {
        let mut values = vec![
            ("id", event.id.to_string()),
            ("visibility", event.visibility.clone()),
        ];
        values.extend(Snapshot::of(&event).form_values());
        FormState::from_values(values)
    });
    Ok(EventForm {
        id: Some(event.id),
        status: EventStatus::parse(&event.status),
        cover_url: event.cover_image_id.and_then(|c| covers.get(&c).cloned()),
        state,
        organizations: Vec::new(),
    })
}
