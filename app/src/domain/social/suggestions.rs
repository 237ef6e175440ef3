//! People you may know: friends of friends (with how many friends are mutual), people who went
//! to the same past events, and people in the same city who like the same things. Each comes
//! with its reasons. Only what the candidate lets strangers see is used: someone whose profile
//! is private is never suggested, co-attendance needs their attendance public, and city and
//! interests need their profile public.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{fetch, keys, ties};
use crate::{
    api::{
        social::{PersonCard, PersonRef, Tie},
        taxonomy::Category,
    },
    domain::graph::{key_of, user_node, val, GraphStore, RecordId, SurrealValue},
    error::AppError,
};

pub const LIMIT: usize = 10;
const MUTUAL_WEIGHT: u32 = 3;
const EVENT_WEIGHT: u32 = 2;
/// How many of the viewer's past events, and how many people at each, are looked at.
const PAST_EVENTS: i64 = 20;
const PER_EVENT: i64 = 200;
const SAME_CITY: i64 = 300;

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Me {
    city: Option<String>,
    interests: Vec<String>,
    friends: Vec<RecordId>,
    asked: Vec<RecordId>,
    fof: Vec<Vec<RecordId>>,
    past: Vec<Past>,
    neighbours: Vec<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Past {
    title: String,
    people: Vec<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Candidate {
    id: RecordId,
    name: String,
    city: Option<String>,
    interests: Vec<String>,
    attendance: String,
    profile: String,
}

const SQL: &str = "
LET $friends = $me->friend_of[WHERE accepted = true]->user;
LET $past = SELECT VALUE out FROM $me->attends WHERE out.ends_at < $now ORDER BY at DESC LIMIT $past_events;
RETURN {
    city: $me.city,
    interests: $me.interests ?? [],
    friends: $friends,
    asked: array::union($me->friend_of->user, $me<-friend_of<-user),
    fof: (SELECT VALUE ->friend_of[WHERE accepted = true]->user FROM $friends),
    past: (SELECT title, array::slice(<-attends<-user, 0, $per_event) AS people FROM $past),
    neighbours: IF $me.city THEN (SELECT VALUE id FROM user WHERE city = $me.city LIMIT $same_city) ELSE [] END,
};
";

#[derive(Default)]
struct Score {
    mutual: u32,
    events: Vec<String>,
}

/// Up to `LIMIT` suggestions for `me`, best first; ties go to the smaller id.
pub async fn suggest(
    graph: &dyn GraphStore,
    me: i32,
    now: DateTime<Utc>,
) -> Result<Vec<PersonCard>, AppError> {
    let found: Option<Me> = fetch(
        graph,
        SQL,
        vec![
            ("me", val(user_node(me))),
            ("now", val(now)),
            ("past_events", val(PAST_EVENTS)),
            ("per_event", val(PER_EVENT)),
            ("same_city", val(SAME_CITY)),
        ],
        2,
    )
    .await?;
    let Some(mine) = found else {
        return Ok(Vec::new());
    };
    let blocked = ties::blocked_set(graph, me).await?;
    let mut excluded: BTreeSet<i32> = keys(&mine.friends);
    excluded.extend(keys(&mine.asked));
    excluded.extend(&blocked);
    excluded.insert(me);

    let mut scores: BTreeMap<i32, Score> = BTreeMap::new();
    for friends_of_friend in &mine.fof {
        for id in friends_of_friend.iter().filter_map(key_of) {
            if !excluded.contains(&id) {
                scores.entry(id).or_default().mutual += 1;
            }
        }
    }
    for past in &mine.past {
        for id in past.people.iter().filter_map(key_of) {
            if !excluded.contains(&id) {
                scores
                    .entry(id)
                    .or_default()
                    .events
                    .push(past.title.clone());
            }
        }
    }
    for id in mine.neighbours.iter().filter_map(key_of) {
        if !excluded.contains(&id) {
            scores.entry(id).or_default();
        }
    }
    if scores.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<RecordId> = scores.keys().map(|&id| user_node(id)).collect();
    let candidates: Vec<Candidate> = fetch(
        graph,
        "SELECT id, name, city, interests, attendance, profile FROM $ids WHERE profile != 'private'",
        vec![("ids", val(ids))],
        0,
    )
    .await?;
    let my_interests: BTreeSet<&str> = mine.interests.iter().map(String::as_str).collect();
    let mut ranked: Vec<(u32, u32, i32, PersonCard)> = candidates
        .iter()
        .filter_map(|c| {
            let id = key_of(&c.id)?;
            let score = scores.get(&id)?;
            let public_profile = c.profile == "public";
            let events: &[String] = if c.attendance == "public" {
                &score.events
            } else {
                &[]
            };
            let same_city = public_profile && c.city.is_some() && c.city == mine.city;
            let shared: Vec<&str> = if public_profile {
                c.interests
                    .iter()
                    .map(String::as_str)
                    .filter(|i| my_interests.contains(i))
                    .collect()
            } else {
                Vec::new()
            };
            let mut points = score.mutual * MUTUAL_WEIGHT + events.len() as u32 * EVENT_WEIGHT;
            // a shared city alone is no reason; with shared interests it is one
            if same_city && !shared.is_empty() {
                points += 1 + shared.len() as u32;
            }
            if points == 0 {
                return None;
            }
            let mut reasons = Vec::new();
            if score.mutual > 0 {
                reasons.push(match score.mutual {
                    1 => "1 mutual friend".to_owned(),
                    n => format!("{n} mutual friends"),
                });
            }
            if let Some(first) = events.first() {
                reasons.push(match events.len() {
                    1 => format!("You both went to {first}"),
                    n => format!("You both went to {first} and {} more", n - 1),
                });
            }
            if same_city && !shared.is_empty() {
                let city = c.city.clone().unwrap_or_default();
                let labels: Vec<&str> = shared
                    .iter()
                    .map(|s| Category::from_slug(s).map(Category::label).unwrap_or(s))
                    .collect();
                reasons.push(format!(
                    "Also in {}, likes {}",
                    title_case(&city),
                    labels.join(", ").to_lowercase()
                ));
            }
            Some((
                points,
                score.mutual,
                id,
                PersonCard {
                    person: PersonRef {
                        id,
                        name: c.name.clone(),
                    },
                    tie: Tie::None,
                    following: false,
                    reasons,
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(ranked
        .into_iter()
        .take(LIMIT)
        .map(|(_, _, _, card)| card)
        .collect())
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}
