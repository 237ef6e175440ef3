//! Who is going to an event, as the viewer may see it: friends first (their faces), then others
//! whose attendance is public. Someone who keeps their attendance to themselves is never
//! shown, and blocked people are never shown either way.
use std::collections::{BTreeMap, BTreeSet};

use super::{fetch, ties};
use crate::{
    domain::graph::{edge, event_node, key_of, user_node, val, GraphStore, RecordId, SurrealValue},
    error::AppError,
    model::social::{FriendsGoing, PersonRef},
};

/// How many faces an event page shows.
pub const FACES: usize = 8;
/// How many other people going an event page lists.
pub const OTHERS: usize = 24;

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
pub(crate) struct Named {
    pub id: RecordId,
    pub name: String,
}

impl Named {
    pub fn person(&self) -> Option<PersonRef> {
        key_of(&self.id).map(|id| PersonRef {
            id,
            name: self.name.clone(),
        })
    }
}

/// Of the viewer's friends, those going to `event` who let friends see it.
pub async fn friends_going(
    graph: &dyn GraphStore,
    viewer: i32,
    event: i32,
) -> Result<FriendsGoing, AppError> {
    friends_with_edge(graph, viewer, event, "attends").await
}

/// Of the viewer's friends, those who saved `event` ("Interested"): the same rule as going, as
/// a save says as much about someone's plans.
pub async fn friends_interested(
    graph: &dyn GraphStore,
    viewer: i32,
    event: i32,
) -> Result<FriendsGoing, AppError> {
    friends_with_edge(graph, viewer, event, "interested_in").await
}

async fn friends_with_edge(
    graph: &dyn GraphStore,
    viewer: i32,
    event: i32,
    table: &str,
) -> Result<FriendsGoing, AppError> {
    let friends = ties::friends(graph, viewer).await?;
    let e = event_node(event);
    let edges: Vec<RecordId> = friends.iter().map(|f| edge(table, f, &e)).collect();
    let mut going: Vec<Named> = fetch(
        graph,
        "SELECT id, name FROM (SELECT VALUE in FROM $edges) WHERE attendance != 'private' ORDER BY name",
        vec![("edges", val(edges))],
        0,
    )
    .await?;
    let count = going.len() as u32;
    going.truncate(FACES);
    Ok(FriendsGoing {
        count,
        faces: going.iter().filter_map(Named::person).collect(),
    })
}

/// People going whose attendance is public, friends and blocked people left out.
pub async fn others_going(
    graph: &dyn GraphStore,
    viewer: i32,
    event: i32,
) -> Result<Vec<PersonRef>, AppError> {
    let friends = ties::friend_set(graph, viewer).await?;
    let blocked = ties::blocked_set(graph, viewer).await?;
    let public: Vec<Named> = fetch(
        graph,
        "SELECT id, name FROM $event<-attends<-user WHERE attendance = 'public' LIMIT $limit",
        vec![
            ("event", val(event_node(event))),
            (
                "limit",
                val((OTHERS + friends.len() + blocked.len() + 1) as i64),
            ),
        ],
        0,
    )
    .await?;
    Ok(public
        .iter()
        .filter_map(Named::person)
        .filter(|p| p.id != viewer && !friends.contains(&p.id) && !blocked.contains(&p.id))
        .take(OTHERS)
        .collect())
}

/// Puts the viewer's friends-going counts on event cards.
pub async fn annotate<'a>(
    graph: &dyn GraphStore,
    viewer: i32,
    cards: impl Iterator<Item = &'a mut crate::model::events::EventCard>,
) -> Result<(), AppError> {
    let mut cards: Vec<&mut crate::model::events::EventCard> = cards.collect();
    let ids: Vec<i32> = cards.iter().map(|c| c.id).collect();
    let counts = friends_going_counts(graph, viewer, &ids).await?;
    for card in cards.iter_mut() {
        card.friends_going = counts.get(&card.id).copied().unwrap_or(0);
    }
    Ok(())
}

/// For event cards: how many of the viewer's friends go to each of `events` (privacy kept).
pub async fn friends_going_counts(
    graph: &dyn GraphStore,
    viewer: i32,
    events: &[i32],
) -> Result<BTreeMap<i32, u32>, AppError> {
    if events.is_empty() {
        return Ok(BTreeMap::new());
    }
    let wanted: BTreeSet<i32> = events.iter().copied().collect();
    let rows: Vec<Vec<RecordId>> = fetch(
        graph,
        "SELECT VALUE ->attends->event FROM $me->friend_of[WHERE accepted = true]->user WHERE attendance != 'private'",
        vec![("me", val(user_node(viewer)))],
        0,
    )
    .await?;
    let mut counts = BTreeMap::new();
    for friend_events in rows {
        for e in friend_events.iter().filter_map(key_of) {
            if wanted.contains(&e) {
                *counts.entry(e).or_insert(0) += 1;
            }
        }
    }
    Ok(counts)
}
