//! The events a list can be made of, with what ranking needs to know about each, held in
//! memory: ranking a "For you" list looks at every upcoming event, which a query per list
//! could not afford. Reloaded when it is older than `Recs::CATALOG_TTL`; the final few events
//! of a list are checked against the database before they are shown.
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{context::internal, discovery::geo::GeoPoint},
    error::AppError,
    model::events::EventStatus,
};
use entity::{event, ticket_type};

/// When in the week an event happens: weekday or weekend, morning, afternoon or evening (in
/// the event's own time zone). No list may have more than half its events in one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub weekend: bool,
    /// 0 morning (before noon), 1 afternoon (before 17:00), 2 evening.
    pub part: u8,
}

impl Slot {
    pub fn of(at: DateTime<Utc>, tz: Tz) -> Slot {
        let local = at.with_timezone(&tz);
        let hour = local.hour();
        Slot {
            weekend: matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
            part: match hour {
                0..=11 => 0,
                12..=16 => 1,
                _ => 2,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: i32,
    pub organizer: i32,
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub slot: Slot,
    pub point: Option<GeoPoint>,
    /// The cheapest ticket on sale, in minor units (0: free).
    pub price_minor: i64,
    /// Every seat is taken and there is no waitlist to join.
    pub full: bool,
    /// A ticket type has a waitlist, so a full event can still be joined.
    pub waitlist: bool,
    /// The curators' pre-screening score (0–1), a tie-break.
    pub quality: f32,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub items: Vec<Item>,
    index: FxHashMap<i32, usize>,
    /// Positions by category and by tag, soonest first.
    by_category: HashMap<String, Vec<usize>>,
    by_tag: HashMap<String, Vec<usize>>,
    /// Positions, most recently published first.
    by_publication: Vec<usize>,
}

impl Catalog {
    pub fn new(items: Vec<Item>) -> Catalog {
        let index = items.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let mut soonest: Vec<usize> = (0..items.len()).collect();
        soonest.sort_by_key(|&i| (items[i].starts_at, items[i].id));
        let mut by_category: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_tag: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in &soonest {
            let e = &items[i];
            by_category.entry(e.category.clone()).or_default().push(i);
            for t in &e.tags {
                by_tag.entry(t.clone()).or_default().push(i);
            }
        }
        let mut by_publication: Vec<usize> = (0..items.len()).collect();
        by_publication.sort_by_key(|&i| std::cmp::Reverse((items[i].published_at, items[i].id)));
        Catalog {
            items,
            index,
            by_category,
            by_tag,
            by_publication,
        }
    }

    /// A category's events, soonest first.
    pub fn in_category<'a>(&'a self, category: &str) -> impl Iterator<Item = &'a Item> + 'a {
        self.positions(self.by_category.get(category))
    }

    /// A tag's events, soonest first.
    pub fn tagged<'a>(&'a self, tag: &str) -> impl Iterator<Item = &'a Item> + 'a {
        self.positions(self.by_tag.get(tag))
    }

    /// Events by publication, newest first.
    pub fn newest(&self) -> impl Iterator<Item = &Item> + '_ {
        self.by_publication.iter().map(|&i| &self.items[i])
    }

    fn positions<'a>(&'a self, at: Option<&'a Vec<usize>>) -> impl Iterator<Item = &'a Item> + 'a {
        at.into_iter().flatten().map(|&i| &self.items[i])
    }

    pub fn get(&self, id: i32) -> Option<&Item> {
        self.index.get(&id).map(|&i| &self.items[i])
    }

    /// Where an event is in `items`.
    pub fn position(&self, id: i32) -> Option<usize> {
        self.index.get(&id).copied()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Public events that have not ended: what lists are made of.
    pub async fn upcoming<C: ConnectionTrait>(
        db: &C,
        now: DateTime<Utc>,
    ) -> Result<Catalog, AppError> {
        let events = event::Entity::find()
            .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
            .filter(crate::domain::events::visibility::listed_condition())
            .filter(event::Column::EndsAt.gt(now))
            .all(db)
            .await
            .map_err(internal)?;
        Self::of(db, events).await
    }

    /// Every event that was ever public (the offline evaluation replays the past).
    pub async fn ever_public<C: ConnectionTrait>(db: &C) -> Result<Catalog, AppError> {
        let events = event::Entity::find()
            .filter(event::Column::PublishedAt.is_not_null())
            .all(db)
            .await
            .map_err(internal)?;
        Self::of(db, events).await
    }

    async fn of<C: ConnectionTrait>(
        db: &C,
        events: Vec<event::Model>,
    ) -> Result<Catalog, AppError> {
        let mut types: HashMap<i32, Vec<ticket_type::Model>> = HashMap::new();
        for chunk in events.chunks(10_000) {
            let rows = ticket_type::Entity::find()
                .filter(ticket_type::Column::EventId.is_in(chunk.iter().map(|e| e.id)))
                .all(db)
                .await
                .map_err(internal)?;
            for t in rows {
                types.entry(t.event_id).or_default().push(t);
            }
        }
        let none = Vec::new();
        Ok(Catalog::new(
            events
                .into_iter()
                .map(|e| item(&e, types.get(&e.id).unwrap_or(&none)))
                .collect(),
        ))
    }
}

fn item(e: &event::Model, types: &[ticket_type::Model]) -> Item {
    let on_sale: Vec<&ticket_type::Model> = types.iter().filter(|t| t.on_sale).collect();
    let price_minor = if e.is_free {
        0
    } else {
        on_sale.iter().map(|t| t.price_minor).min().unwrap_or(0)
    };
    let sold_out = e.seats_taken >= e.capacity
        || (!on_sale.is_empty() && on_sale.iter().all(|t| t.taken >= t.quantity));
    let tz: Tz = e.timezone.parse().unwrap_or(Tz::UTC);
    Item {
        id: e.id,
        organizer: e.organizer_id,
        title: e.title.clone(),
        category: e.category.clone(),
        tags: super::interactions::split_list(&e.tags),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        slot: Slot::of(e.starts_at, tz),
        point: e
            .latitude
            .zip(e.longitude)
            .map(|(lat, lng)| GeoPoint { lat, lng }),
        price_minor,
        full: sold_out && !types.iter().any(|t| t.waitlist),
        waitlist: types.iter().any(|t| t.waitlist),
        quality: e.curation_score.unwrap_or(0.5) as f32,
        published_at: e.published_at,
    }
}

impl Catalog {
    /// Of `ids` (events of this catalog), those still public, upcoming and not full right now,
    /// in the order asked, read whole from the database: the cards are made from these rows, so
    /// the live check costs no query of its own.
    pub async fn open_now<C: ConnectionTrait>(
        &self,
        db: &C,
        ids: &[i32],
        now: DateTime<Utc>,
    ) -> Result<Vec<event::Model>, AppError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // by id alone, so the database reads these rows by their key (with the status and end
        // in the query it may pick an index that walks every published event)
        let rows = event::Entity::find()
            .filter(event::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await
            .map_err(internal)?;
        let published = EventStatus::Published.as_str();
        let mut open: FxHashMap<i32, event::Model> = rows
            .into_iter()
            .filter(|e| e.status == published && e.hidden_at.is_none() && e.ends_at > now)
            .filter(|e| {
                let known = self.get(e.id);
                let full = e.seats_taken >= e.capacity && !known.is_some_and(|k| k.waitlist);
                !full && !known.is_some_and(|k| k.full)
            })
            .map(|e| (e.id, e))
            .collect();
        Ok(ids.iter().filter_map(|id| open.remove(id)).collect())
    }
}
