//! How two people are connected, and the sets every read filters by.
use std::collections::BTreeSet;

use super::{fetch, keys};
use crate::{
    domain::graph::{edge, user_node, val, GraphStore, RecordId, SurrealValue},
    error::AppError,
    model::social::Tie,
};

/// Every edge between two people, seen from `me`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ties {
    pub friends: bool,
    pub asked_them: bool,
    pub asked_me: bool,
    pub following: bool,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
}

impl Ties {
    pub fn blocked_either(&self) -> bool {
        self.blocking || self.blocked_by
    }

    pub fn tie(&self) -> Tie {
        if self.blocking {
            Tie::Blocking
        } else if self.friends {
            Tie::Friends
        } else if self.asked_them {
            Tie::AskedThem
        } else if self.asked_me {
            Tie::AskedMe
        } else {
            Tie::None
        }
    }
}

#[derive(Debug, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct EdgeRow {
    id: RecordId,
    accepted: Option<bool>,
}

pub async fn between(graph: &dyn GraphStore, me: i32, them: i32) -> Result<Ties, AppError> {
    let (a, b) = (user_node(me), user_node(them));
    let ids = vec![
        edge("friend_of", &a, &b),
        edge("friend_of", &b, &a),
        edge("follows", &a, &b),
        edge("follows", &b, &a),
        edge("blocks", &a, &b),
        edge("blocks", &b, &a),
    ];
    let found: Vec<EdgeRow> = fetch(
        graph,
        "SELECT id, accepted FROM $ids",
        vec![("ids", val(ids.clone()))],
        0,
    )
    .await?;
    let row = |i: usize| found.iter().find(|r| r.id == ids[i]);
    let accepted = |i: usize| row(i).is_some_and(|r| r.accepted == Some(true));
    Ok(Ties {
        friends: accepted(0) && accepted(1),
        asked_them: row(0).is_some() && !accepted(0),
        asked_me: row(1).is_some() && !accepted(1),
        following: row(2).is_some(),
        followed_by: row(3).is_some(),
        blocking: row(4).is_some(),
        blocked_by: row(5).is_some(),
    })
}

/// `me`'s friends.
pub async fn friends(graph: &dyn GraphStore, me: i32) -> Result<Vec<RecordId>, AppError> {
    fetch(
        graph,
        "RETURN $me->friend_of[WHERE accepted = true]->user",
        vec![("me", val(user_node(me)))],
        0,
    )
    .await
}

pub async fn friend_set(graph: &dyn GraphStore, me: i32) -> Result<BTreeSet<i32>, AppError> {
    Ok(keys(&friends(graph, me).await?))
}

/// Everyone `me` blocks or is blocked by: hidden from `me` everywhere, and `me` from them.
pub async fn blocked_set(graph: &dyn GraphStore, me: i32) -> Result<BTreeSet<i32>, AppError> {
    let ids: Vec<RecordId> = fetch(
        graph,
        "RETURN array::union($me->blocks->user, $me<-blocks<-user)",
        vec![("me", val(user_node(me)))],
        0,
    )
    .await?;
    Ok(keys(&ids))
}

/// Requests waiting for `me` (incoming) and those `me` sent (outgoing).
pub async fn requests(
    graph: &dyn GraphStore,
    me: i32,
) -> Result<(Vec<RecordId>, Vec<RecordId>), AppError> {
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct Pending {
        incoming: Vec<RecordId>,
        outgoing: Vec<RecordId>,
    }
    let p: Option<Pending> = fetch(
        graph,
        "RETURN {
            incoming: $me<-friend_of[WHERE accepted = false]<-user,
            outgoing: $me->friend_of[WHERE accepted = false]->user,
        }",
        vec![("me", val(user_node(me)))],
        0,
    )
    .await?;
    Ok(p.map(|p| (p.incoming, p.outgoing)).unwrap_or_default())
}

/// Whom `me` follows.
pub async fn following(graph: &dyn GraphStore, me: i32) -> Result<Vec<RecordId>, AppError> {
    fetch(
        graph,
        "RETURN $me->follows->user",
        vec![("me", val(user_node(me)))],
        0,
    )
    .await
}
