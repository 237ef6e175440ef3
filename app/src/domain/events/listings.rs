use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    api::{
        events::{
            DayGroup, EventCard, EventDetails, EventForm, EventStatus, HomeData, MyEventRow,
            SubmittedEventRow,
        },
        flash::{number_value, FormState},
        taxonomy::Category,
    },
    domain::{
        context::{internal, Settings},
        events::{
            access::{can_edit, can_view},
            save::load_editable,
            schedule::{day_label, format_range, format_start_time, local_date, to_local_input},
        },
    },
    error::AppError,
};
use entity::{event, event_image, user};

pub const HOME_LIMIT: u64 = 60;

fn tz_of(event: &event::Model) -> Tz {
    event.timezone.parse().unwrap_or(Tz::UTC)
}

fn category_label(slug: &str) -> String {
    Category::from_slug(slug)
        .map(|c| c.label().to_owned())
        .unwrap_or_else(|| slug.to_owned())
}

fn price_label(event: &event::Model) -> String {
    match (&event.price_text, event.is_free) {
        (Some(text), false) => text.clone(),
        _ => "Free".into(),
    }
}

fn place_label(event: &event::Model) -> String {
    match (&event.venue_name, &event.city) {
        (Some(venue), Some(city)) => format!("{venue}, {city}"),
        (Some(venue), None) => venue.clone(),
        _ => "Online".into(),
    }
}

pub fn media_url(key: &str) -> String {
    format!("/media/{key}")
}

/// Cover image URLs for a set of events, in one query.
async fn cover_urls<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = events.iter().filter_map(|e| e.cover_image_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(event_image::Entity::find()
        .filter(event_image::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|img| (img.id, media_url(&img.key)))
        .collect())
}

async fn organizer_names<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let mut ids: Vec<i32> = events.iter().map(|e| e.organizer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn card(event: &event::Model, covers: &HashMap<i32, String>) -> EventCard {
    EventCard {
        id: event.id,
        title: event.title.clone(),
        summary: event.summary.clone(),
        category_slug: event.category.clone(),
        category_label: category_label(&event.category),
        start_time: format_start_time(event.starts_at, tz_of(event)),
        place: place_label(event),
        price: price_label(event),
        cover_url: event.cover_image_id.and_then(|id| covers.get(&id).cloned()),
    }
}

/// Published events that have not ended, soonest first, grouped by their local day.
pub async fn upcoming_by_day<C: ConnectionTrait>(
    db: &C,
    category: Option<&str>,
    now: DateTime<Utc>,
) -> Result<HomeData, AppError> {
    let category = category.and_then(Category::from_slug);
    let mut query = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::EndsAt.gt(now));
    if let Some(c) = category {
        query = query.filter(event::Column::Category.eq(c.slug()));
    }
    let events = query
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .limit(HOME_LIMIT)
        .all(db)
        .await
        .map_err(internal)?;
    let covers = cover_urls(db, &events).await?;
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
                label: day_label(day, today),
                events: Vec::new(),
            });
            last_day = Some(day);
        }
        if let Some(group) = days.last_mut() {
            group.events.push(card(event, &covers));
        }
    }
    Ok(HomeData {
        category: category.map(|c| c.slug().to_owned()),
        days,
    })
}

pub async fn details<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    id: i32,
    viewer: Option<&user::Model>,
) -> Result<EventDetails, AppError> {
    let event = event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .filter(|e| can_view(e, viewer))
        .ok_or(AppError::NotFound)?;
    let covers = cover_urls(db, std::slice::from_ref(&event)).await?;
    let organizer = organizer_names(db, std::slice::from_ref(&event)).await?;
    let tz = tz_of(&event);
    Ok(EventDetails {
        id: event.id,
        title: event.title.clone(),
        summary: event.summary.clone(),
        description_html: event.description_html.clone(),
        category_slug: event.category.clone(),
        category_label: category_label(&event.category),
        tags: event
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        when: format_range(event.starts_at, event.ends_at, tz),
        starts_at_iso: event.starts_at.to_rfc3339(),
        timezone: event.timezone.clone(),
        venue_name: event.venue_name.clone(),
        venue_address: event.venue_address.clone(),
        city: event.city.clone(),
        map_url: event.latitude.zip(event.longitude).map(|(lat, lng)| {
            format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}")
        }),
        online_url: event.online_url.clone(),
        capacity: event.capacity,
        price: price_label(&event),
        cover_url: event.cover_image_id.and_then(|c| covers.get(&c).cloned()),
        organizer_name: organizer
            .get(&event.organizer_id)
            .cloned()
            .unwrap_or_default(),
        status: EventStatus::parse(&event.status).unwrap_or(EventStatus::Draft),
        can_edit: viewer.is_some_and(|v| can_edit(&event, v)),
        public_url: format!(
            "{}/events/{}",
            settings.public_url.trim_end_matches('/'),
            event.id
        ),
    })
}

pub async fn by_organizer<C: ConnectionTrait>(
    db: &C,
    organizer_id: i32,
) -> Result<Vec<MyEventRow>, AppError> {
    Ok(event::Entity::find()
        .filter(event::Column::OrganizerId.eq(organizer_id))
        .order_by_desc(event::Column::StartsAt)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| MyEventRow {
            id: e.id,
            when: format_range(e.starts_at, e.ends_at, tz_of(&e)),
            status: EventStatus::parse(&e.status).unwrap_or(EventStatus::Draft),
            revision: e.revision,
            title: e.title,
        })
        .collect())
}

pub async fn submitted<C: ConnectionTrait>(db: &C) -> Result<Vec<SubmittedEventRow>, AppError> {
    let events = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Submitted.as_str()))
        .order_by_asc(event::Column::StartsAt)
        .all(db)
        .await
        .map_err(internal)?;
    let names = organizer_names(db, &events).await?;
    Ok(events
        .iter()
        .map(|e| SubmittedEventRow {
            id: e.id,
            title: e.title.clone(),
            when: format_range(e.starts_at, e.ends_at, tz_of(e)),
            organizer_name: names.get(&e.organizer_id).cloned().unwrap_or_default(),
            category_label: category_label(&e.category),
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
                ]
                .map(|(k, v)| (k, v.to_owned())),
            )
        });
        return Ok(EventForm {
            id: None,
            status: None,
            cover_url: None,
            state,
        });
    };
    let event = load_editable(db, editor, id).await?;
    let covers = cover_urls(db, std::slice::from_ref(&event)).await?;
    let state = posted.or_stored(|| {
        let tz = tz_of(&event);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        FormState::from_values([
            ("id", event.id.to_string()),
            ("title", event.title.clone()),
            ("summary", event.summary.clone()),
            ("description", event.description_md.clone()),
            ("category", event.category.clone()),
            ("tags", event.tags.replace(',', ", ")),
            ("timezone", event.timezone.clone()),
            ("starts_at", to_local_input(event.starts_at, tz)),
            ("ends_at", to_local_input(event.ends_at, tz)),
            (
                "location_kind",
                if event.online_url.is_some() {
                    "online"
                } else {
                    "venue"
                }
                .to_owned(),
            ),
            ("venue_name", opt(&event.venue_name)),
            ("venue_address", opt(&event.venue_address)),
            ("city", opt(&event.city)),
            ("latitude", number_value(event.latitude)),
            ("longitude", number_value(event.longitude)),
            ("online_url", opt(&event.online_url)),
            ("capacity", event.capacity.to_string()),
            ("is_free", if event.is_free { "on" } else { "" }.to_owned()),
            ("price_text", opt(&event.price_text)),
        ])
    });
    Ok(EventForm {
        id: Some(event.id),
        status: EventStatus::parse(&event.status),
        cover_url: event.cover_image_id.and_then(|c| covers.get(&c).cloned()),
        state,
    })
}
