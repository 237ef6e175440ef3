//! What people did with events, as one time-ordered list: the input of training, item-to-item,
//! trending and the offline evaluation. Read from the tables each domain owns (saves, views,
//! registrations, reviews), never written here.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{domain::context::internal, error::AppError, model::ticketing::RegistrationStatus};
use entity::{event_review, event_view, registration, saved_event};

/// The kinds of interaction, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    View,
    Save,
    Review,
    Rsvp,
    CheckIn,
}

impl Kind {
    /// How much one interaction says about taste. A registration costs the person an evening
    /// (and often money), a save costs a click, a view costs nothing.
    pub fn weight(self) -> f32 {
        match self {
            Kind::View => 1.0,
            Kind::Save => 3.0,
            Kind::Review => 4.0,
            Kind::Rsvp | Kind::CheckIn => 5.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::View => "view",
            Kind::Save => "save",
            Kind::Review => "review",
            Kind::Rsvp => "rsvp",
            Kind::CheckIn => "check_in",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::View,
            Kind::Save,
            Kind::Review,
            Kind::Rsvp,
            Kind::CheckIn,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// What the evaluation tries to predict: the person chose the event, not just looked.
    pub fn is_choice(self) -> bool {
        matches!(self, Kind::Save | Kind::Rsvp | Kind::CheckIn)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interaction {
    pub person: i32,
    pub event: i32,
    pub kind: Kind,
    pub at: DateTime<Utc>,
}

/// How much older interactions count: halved every 60 days.
const HALF_LIFE_DAYS: f32 = 60.0;

/// One person's history as ranking weighs it: per event, the strongest kind of interaction and
/// the decayed sum of every interaction's weight. The server and the offline evaluation both
/// build seeds through it.
#[derive(Debug, Default)]
pub struct History(std::collections::HashMap<i32, (Kind, f32)>);

impl History {
    pub fn note(&mut self, event: i32, kind: Kind, at: DateTime<Utc>, now: DateTime<Utc>) {
        let age = (now - at).num_hours().max(0) as f32 / 24.0;
        let e = self.0.entry(event).or_insert((kind, 0.0));
        e.0 = e.0.max(kind);
        e.1 += kind.weight() * 0.5f32.powf(age / HALF_LIFE_DAYS);
    }

    pub fn events(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.keys().copied()
    }

    /// The seeds, strongest first (ties by id), for the events `about` describes.
    pub fn seeds(&self, about: impl Fn(i32) -> Option<Described>) -> Vec<super::rank::Seed> {
        let mut seeds: Vec<super::rank::Seed> = self
            .0
            .iter()
            .filter_map(|(&event, &(kind, weight))| {
                let d = about(event)?;
                Some(super::rank::Seed {
                    event,
                    kind,
                    weight,
                    title: d.title,
                    category: d.category,
                    tags: d.tags,
                    price_minor: d.price_minor,
                })
            })
            .collect();
        seeds.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.event.cmp(&b.event)));
        seeds
    }
}

/// What a seed needs to know about its event.
pub struct Described {
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub price_minor: Option<i64>,
}

/// A comma-separated list (tags, interests), trimmed and lower-cased.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A day's views are dated at noon: the table keeps days, not moments.
pub fn day_at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

/// Every interaction of signed-in people since `since` (all of them with `None`), oldest first.
/// Reviews count when they liked the event (4 or 5 stars); views count once per day.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Interaction>, AppError> {
    // the beginning of time as every database can store it
    let since = since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut all = Vec::new();

    let saves: Vec<(i32, i32, DateTime<Utc>)> = saved_event::Entity::find()
        .select_only()
        .columns([
            saved_event::Column::UserId,
            saved_event::Column::EventId,
            saved_event::Column::CreatedAt,
        ])
        .filter(saved_event::Column::RemovedAt.is_null())
        .filter(saved_event::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    all.extend(saves.into_iter().map(|(person, event, at)| Interaction {
        person,
        event,
        kind: Kind::Save,
        at,
    }));

    let regs: Vec<(Option<i32>, i32, String, DateTime<Utc>)> = registration::Entity::find()
        .select_only()
        .columns([
            registration::Column::UserId,
            registration::Column::EventId,
            registration::Column::Status,
            registration::Column::CreatedAt,
        ])
        .filter(registration::Column::UserId.is_not_null())
        .filter(registration::Column::Status.is_in([
            RegistrationStatus::Confirmed.as_str(),
            RegistrationStatus::CheckedIn.as_str(),
        ]))
        .filter(registration::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    all.extend(regs.into_iter().filter_map(|(person, event, status, at)| {
        Some(Interaction {
            person: person?,
            event,
            kind: if status == RegistrationStatus::CheckedIn.as_str() {
                Kind::CheckIn
            } else {
                Kind::Rsvp
            },
            at,
        })
    }));

    let reviews: Vec<(i32, i32, DateTime<Utc>)> = event_review::Entity::find()
        .select_only()
        .columns([
            event_review::Column::UserId,
            event_review::Column::EventId,
            event_review::Column::CreatedAt,
        ])
        .filter(event_review::Column::Rating.gte(4))
        .filter(event_review::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    all.extend(reviews.into_iter().map(|(person, event, at)| Interaction {
        person,
        event,
        kind: Kind::Review,
        at,
    }));

    let views: Vec<(i32, i32, NaiveDate)> = event_view::Entity::find()
        .select_only()
        .columns([
            event_view::Column::PersonId,
            event_view::Column::EventId,
            event_view::Column::Day,
        ])
        .filter(event_view::Column::PersonId.ne(0))
        .filter(event_view::Column::Day.gte(since.date_naive()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    all.extend(views.into_iter().map(|(person, event, day)| Interaction {
        person,
        event,
        kind: Kind::View,
        at: day_at(day),
    }));

    all.sort_by_key(|i| (i.at, i.person, i.event));
    Ok(all)
}

/// Views by people not signed in, per event and day, since `since`.
pub async fn anonymous_views<C: ConnectionTrait>(
    db: &C,
    since: NaiveDate,
) -> Result<Vec<(i32, NaiveDate, i32)>, AppError> {
    event_view::Entity::find()
        .select_only()
        .columns([
            event_view::Column::EventId,
            event_view::Column::Day,
            event_view::Column::Views,
        ])
        .filter(event_view::Column::PersonId.eq(0))
        .filter(event_view::Column::Day.gte(since))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)
}
