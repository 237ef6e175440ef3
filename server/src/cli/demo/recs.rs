//! The demo's interaction history, for recommendations to learn from and to be measured on:
//! six weeks of views and saves by a few hundred people, generated from a model of behaviour
//! with the structure real use has, so the evaluation's numbers mean something about the
//! method (they say nothing about real users' behaviour):
//! - tastes: each person has a favourite category and a second one, and stays in their city;
//! - drift: partway through, each person's second category changes;
//! - seasons: every category's appeal rises and falls over a four-week cycle;
//! - friends who go together: people come in circles of four, and a save often brings the rest
//!   of the circle to the same event within two days (they are friends in the graph);
//! - popularity: some events appeal to more people than others.
//!
//! The upcoming events' publication dates are spread over those six weeks, so that the history
//! can have happened.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use app::model::{events::EventStatus, taxonomy::Category};
use entity::{event, event_view, saved_event, user};

use super::{accounts::synthetic_attendees, Demo};

pub const PEOPLE: usize = 360;
pub const PREFIX: &str = "taste";
/// People per circle of friends.
pub const CIRCLE: usize = 4;
const DAYS: i64 = 42;
const FIRST: [&str; 24] = [
    "Alex", "Bea", "Caio", "Dana", "Emil", "Fatima", "Gil", "Hanna", "Ines", "Jonas", "Kai", "Lea",
    "Mara", "Nuno", "Olga", "Pia", "Rui", "Sofia", "Tiago", "Uma", "Vera", "Wim", "Yara", "Zoe",
];
const HOMES: [(&str, f64, f64); 2] = [("Berlin", 52.5200, 13.4050), ("Lisbon", 38.7223, -9.1393)];

struct Taste {
    id: i32,
    city: &'static str,
    first: Category,
    second: Category,
    later: Category,
    drift_at: DateTime<Utc>,
    /// Sessions per day.
    rate: f64,
    circle: usize,
}

struct Open {
    id: i32,
    category: String,
    city: Option<String>,
    published_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    appeal: f64,
}

/// Writes the history; returns a line for the report.
pub async fn seed(demo: &mut Demo<'_>) -> anyhow::Result<String> {
    let (txn, now) = (demo.txn, demo.now);
    let start = now - Duration::days(DAYS);
    let people = synthetic_attendees(txn, PREFIX, PEOPLE, start).await?;
    let mut people: Vec<user::Model> = people;
    people.sort_by_key(|u| u.id);
    let rng = &mut demo.rng;

    // spread the upcoming events' publication over the six weeks
    let upcoming: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::StartsAt.gt(now))
        .all(txn)
        .await?;
    for e in &upcoming {
        let at = now - Duration::hours(rng.gen_range(24..DAYS * 24));
        event::Entity::update_many()
            .col_expr(event::Column::PublishedAt, Expr::value(at))
            .filter(event::Column::Id.eq(e.id))
            .exec(txn)
            .await?;
    }
    let events: Vec<Open> = event::Entity::find()
        .filter(event::Column::PublishedAt.is_not_null())
        .filter(event::Column::HiddenAt.is_null())
        .filter(event::Column::Status.is_in([
            EventStatus::Published.as_str(),
            EventStatus::Completed.as_str(),
        ]))
        .all(txn)
        .await?
        .into_iter()
        .map(|e| Open {
            id: e.id,
            category: e.category,
            city: e.city,
            published_at: e.published_at.unwrap_or(now),
            ends_at: e.ends_at,
            appeal: rng.gen_range(0.2f64..1.0).powi(2),
        })
        .collect();

    let categories = Category::ALL;
    let mut tastes = Vec::with_capacity(people.len());
    for (i, p) in people.iter().enumerate() {
        let first = categories[rng.gen_range(0..categories.len())];
        let pick_other = |rng: &mut rand_chacha::ChaCha8Rng, not: &[Category]| loop {
            let c = categories[rng.gen_range(0..categories.len())];
            if !not.contains(&c) {
                return c;
            }
        };
        let second = pick_other(rng, &[first]);
        let later = pick_other(rng, &[first, second]);
        let circle = i / CIRCLE;
        // circles live in one city
        let (city, lat, lng) = HOMES[if circle % 5 < 3 { 0 } else { 1 }];
        tastes.push(Taste {
            id: p.id,
            city,
            first,
            second,
            later,
            drift_at: now - Duration::days(rng.gen_range(8..DAYS - 8)),
            rate: rng.gen_range(0.15..0.9),
            circle,
        });
        user::Entity::update_many()
            .col_expr(
                user::Column::DisplayName,
                Expr::value(format!(
                    "{} {}.",
                    FIRST[i % FIRST.len()],
                    (b'A' + (i / FIRST.len()) as u8 % 26) as char
                )),
            )
            .col_expr(user::Column::HomeCity, Expr::value(city))
            .col_expr(user::Column::HomeLat, Expr::value(lat))
            .col_expr(user::Column::HomeLng, Expr::value(lng))
            .col_expr(user::Column::Interests, Expr::value(first.slug()))
            .filter(user::Column::Id.eq(p.id))
            .exec(txn)
            .await?;
    }
    let circles: HashMap<usize, Vec<i32>> = tastes.iter().fold(HashMap::new(), |mut m, t| {
        m.entry(t.circle).or_insert_with(Vec::new).push(t.id);
        m
    });

    let mut saves: HashMap<(i32, i32), DateTime<Utc>> = HashMap::new();
    let mut views: HashMap<(NaiveDate, i32, i32), i32> = HashMap::new();
    for t in &tastes {
        let sessions = (t.rate * DAYS as f64) as i64;
        for _ in 0..sessions {
            let at = start + Duration::minutes(rng.gen_range(0..DAYS * 24 * 60));
            let roll: f64 = rng.gen();
            let category = if roll < 0.5 {
                t.first
            } else if roll < 0.8 {
                if at < t.drift_at {
                    t.second
                } else {
                    t.later
                }
            } else {
                seasonal(rng, at, start)
            };
            let open: Vec<&Open> = events
                .iter()
                .filter(|e| {
                    e.category == category.slug()
                        && e.published_at <= at
                        && e.ends_at > at
                        && e.city.as_deref() == Some(t.city)
                })
                .collect();
            let Some(e) = weighted(rng, &open) else {
                continue;
            };
            *views.entry((at.date_naive(), e.id, t.id)).or_insert(0) += 1;
            if rng.gen_bool(0.4) && !saves.contains_key(&(t.id, e.id)) {
                saves.insert((t.id, e.id), at);
                for &friend in circles.get(&t.circle).into_iter().flatten() {
                    let later = at + Duration::hours(rng.gen_range(1..48));
                    if friend != t.id && rng.gen_bool(0.5) && later < now && later < e.ends_at {
                        saves.entry((friend, e.id)).or_insert(later);
                        *views.entry((later.date_naive(), e.id, friend)).or_insert(0) += 1;
                    }
                }
            }
        }
    }

    let save_rows: Vec<saved_event::ActiveModel> = saves
        .iter()
        .map(|(&(person, event), &at)| saved_event::ActiveModel {
            user_id: Set(person),
            event_id: Set(event),
            created_at: Set(at),
            removed_at: Set(None),
            ..Default::default()
        })
        .collect();
    let view_rows: Vec<event_view::ActiveModel> = views
        .iter()
        .map(|(&(day, event, person), &n)| event_view::ActiveModel {
            day: Set(day),
            event_id: Set(event),
            person_id: Set(person),
            views: Set(n),
            ..Default::default()
        })
        .collect();
    insert_all(txn, save_rows).await?;
    insert_all(txn, view_rows).await?;
    let active: HashSet<i32> = saves.keys().map(|k| k.0).collect();
    Ok(format!(
        "Six weeks of interactions for recommendations: {} people ({} active) saved {} times and viewed {} event pages.\n",
        tastes.len(),
        active.len(),
        saves.len(),
        views.values().sum::<i32>()
    ))
}

async fn insert_all<C: ConnectionTrait, A: sea_orm::ActiveModelTrait + Clone>(
    db: &C,
    rows: Vec<A>,
) -> anyhow::Result<()>
where
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    for chunk in rows.chunks(500) {
        A::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A category by the season: each one's appeal follows a four-week cycle of its own phase.
fn seasonal(
    rng: &mut rand_chacha::ChaCha8Rng,
    at: DateTime<Utc>,
    start: DateTime<Utc>,
) -> Category {
    let t = (at - start).num_hours() as f64 / (28.0 * 24.0);
    let weights: Vec<f64> = Category::ALL
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let phase = i as f64 / Category::ALL.len() as f64;
            1.0 + 0.9 * (std::f64::consts::TAU * (t + phase)).sin()
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let mut roll = rng.gen_range(0.0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return Category::ALL[i];
        }
        roll -= w;
    }
    Category::ALL[0]
}

fn weighted<'a>(rng: &mut rand_chacha::ChaCha8Rng, open: &[&'a Open]) -> Option<&'a Open> {
    let total: f64 = open.iter().map(|e| e.appeal).sum();
    if total <= 0.0 {
        return None;
    }
    let mut roll = rng.gen_range(0.0..total);
    for e in open {
        if roll < e.appeal {
            return Some(e);
        }
        roll -= e.appeal;
    }
    open.last().copied()
}

/// The circles of friends, as (person, person) pairs of demo accounts by email.
pub fn circle_pairs() -> Vec<(String, String)> {
    let email = |i: usize| format!("{PREFIX}{i}@example.com");
    let mut pairs = Vec::new();
    for first in (0..PEOPLE).step_by(CIRCLE) {
        for a in first..(first + CIRCLE).min(PEOPLE) {
            for b in a + 1..(first + CIRCLE).min(PEOPLE) {
                pairs.push((email(a), email(b)));
            }
        }
    }
    pairs
}
