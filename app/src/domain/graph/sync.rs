//! How Postgres's rows reach the graph. A change to an account, an event, a registration or a
//! review writes an outbox row (topic `graph.*`) in the transaction that made it; the worker
//! reads the row's subject as it is *now* and writes its node or edge, so delivering a row twice
//! changes nothing and a crash before the delete only delivers it again. `regraph` writes every
//! node and derived edge from scratch, leaving what lives only in the graph (follows,
//! friendships, blocks, interests, groups) alone. Saves ("Interested") are rows too, so their
//! `interested_in` edges are derived like attendance.
use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{edge, event_node, user_node, val, GraphError, GraphStore, RecordId, SurrealValue};
use crate::{
    domain::{
        context::internal,
        outbox::{self, Round, POLL},
    },
    error::AppError,
    model::{social::Visibility, ticketing::RegistrationStatus},
};
use entity::{event, event_review, registration, saved_event, user};

pub const USER: &str = "graph.user";
pub const EVENT: &str = "graph.event";
/// Subject: a registration; the edge is its holder's `attends` for its event.
pub const REGISTRATION: &str = "graph.registration";
pub const REVIEW: &str = "graph.review";
/// Subject: a saved event's row; the edge is its person's `interested_in` while the save stands.
pub const SAVE: &str = "graph.save";
pub const TOPICS: [&str; 5] = [USER, EVENT, REGISTRATION, REVIEW, SAVE];

/// What a `user` node holds.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
pub struct UserNode {
    pub name: String,
    /// Lower-cased, so "you both live in …" compares like with like.
    pub city: Option<String>,
    pub interests: Vec<String>,
    pub organizer: bool,
    pub attendance: String,
    pub profile: String,
}

impl UserNode {
    pub fn of(u: &user::Model) -> UserNode {
        let city = u
            .home_city
            .as_deref()
            .map(|c| c.trim().to_lowercase())
            .filter(|c| !c.is_empty());
        UserNode {
            name: u.display_name.clone(),
            city,
            interests: u
                .interests
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            organizer: u.role != "attendee",
            attendance: Visibility::parse(&u.attendance_visibility)
                .unwrap_or(Visibility::Friends)
                .as_str()
                .to_owned(),
            profile: Visibility::parse(&u.profile_visibility)
                .unwrap_or(Visibility::Public)
                .as_str()
                .to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
pub struct EventNode {
    pub title: String,
    pub organizer: RecordId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Listed: public, and published, completed or cancelled after being out; not hidden.
    pub listed: bool,
    pub published_at: Option<DateTime<Utc>>,
}

impl EventNode {
    pub fn of(e: &event::Model) -> EventNode {
        EventNode {
            title: e.title.clone(),
            organizer: user_node(e.organizer_id),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            listed: crate::domain::events::visibility::is_listed(e),
            published_at: e.published_at,
        }
    }
}

/// Writes (or, with `None`, deletes) a node; deleting a node deletes its edges.
async fn write_node(
    graph: &dyn GraphStore,
    id: RecordId,
    node: Option<impl SurrealValue>,
) -> Result<(), GraphError> {
    let (sql, mut vars) = match node {
        Some(node) => (
            "UPSERT $id CONTENT $node RETURN NONE",
            vec![("node", val(node))],
        ),
        None => ("DELETE $id", Vec::new()),
    };
    vars.push(("id", val(id)));
    graph.query(sql, vars).await.map(drop)
}

pub async fn write_user(
    graph: &dyn GraphStore,
    id: i32,
    node: Option<UserNode>,
) -> Result<(), GraphError> {
    write_node(graph, user_node(id), node).await
}

pub async fn write_event(
    graph: &dyn GraphStore,
    id: i32,
    node: Option<EventNode>,
) -> Result<(), GraphError> {
    write_node(graph, event_node(id), node).await
}

/// Writes or removes one user → event edge of a derived table (`attends`, `reviewed`).
pub async fn write_edge(
    graph: &dyn GraphStore,
    table: &'static str,
    user_id: i32,
    event_id: i32,
    data: Option<BTreeMap<String, surrealdb::types::Value>>,
) -> Result<(), GraphError> {
    let (from, to) = (user_node(user_id), event_node(event_id));
    let id = edge(table, &from, &to);
    match data {
        Some(data) => graph
            .query(
                "RELATE OR UPDATE $from->$id->$to CONTENT $data RETURN NONE",
                vec![
                    ("from", val(from)),
                    ("id", val(id)),
                    ("to", val(to)),
                    ("data", val(data)),
                ],
            )
            .await
            .map(drop),
        None => graph
            .query("DELETE $id", vec![("id", val(id))])
            .await
            .map(drop),
    }
}

pub fn fields<const N: usize>(
    pairs: [(&str, surrealdb::types::Value); N],
) -> BTreeMap<String, surrealdb::types::Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Seat-holding registrations: what makes someone "going".
fn going_statuses() -> [&'static str; 2] {
    [
        RegistrationStatus::Confirmed.as_str(),
        RegistrationStatus::CheckedIn.as_str(),
    ]
}

/// When the person first held a seat at the event, if they hold one now.
async fn going_since<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    event_id: i32,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let regs = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::UserId.eq(user_id))
        .filter(registration::Column::Status.is_in(going_statuses()))
        .all(db)
        .await
        .map_err(internal)?;
    Ok(regs.iter().map(|r| r.created_at).min())
}

async fn deliver_one<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    topic: &str,
    id: i32,
) -> Result<Result<(), GraphError>, AppError> {
    Ok(match topic {
        USER => {
            let u = user::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?;
            write_user(graph, id, u.as_ref().map(UserNode::of)).await
        }
        EVENT => {
            let e = event::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?;
            write_event(graph, id, e.as_ref().map(EventNode::of)).await
        }
        REGISTRATION => {
            let Some(reg) = registration::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?
            else {
                return Ok(Ok(()));
            };
            let Some(user_id) = reg.user_id else {
                return Ok(Ok(()));
            };
            let since = going_since(db, user_id, reg.event_id).await?;
            let data = since.map(|at| fields([("at", val(at))]));
            write_edge(graph, "attends", user_id, reg.event_id, data).await
        }
        REVIEW => {
            let Some(review) = event_review::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?
            else {
                return Ok(Ok(()));
            };
            let data = fields([
                ("rating", val(i64::from(review.rating))),
                ("at", val(review.created_at)),
            ]);
            write_edge(
                graph,
                "reviewed",
                review.user_id,
                review.event_id,
                Some(data),
            )
            .await
        }
        SAVE => {
            let Some(save) = saved_event::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(internal)?
            else {
                return Ok(Ok(()));
            };
            let data = save
                .removed_at
                .is_none()
                .then(|| fields([("at", val(save.created_at))]));
            write_edge(graph, "interested_in", save.user_id, save.event_id, data).await
        }
        _ => Ok(()),
    })
}

/// Writes the nodes of these accounts now if the worker has not yet: a social write right
/// after sign-up must not wait for the outbox. `NotFound` if an account does not exist.
pub async fn ensure_users<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    ids: &[i32],
) -> Result<(), AppError> {
    let nodes: Vec<RecordId> = ids.iter().map(|&id| user_node(id)).collect();
    let mut rows = graph
        .query("SELECT VALUE id FROM $ids", vec![("ids", val(nodes))])
        .await
        .map_err(internal)?;
    let present: BTreeSet<i32> = rows
        .take::<Vec<RecordId>>(0)
        .map_err(internal)?
        .iter()
        .filter_map(super::key_of)
        .collect();
    for &id in ids.iter().filter(|id| !present.contains(id)) {
        let u = user::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        write_user(graph, id, Some(UserNode::of(&u)))
            .await
            .map_err(internal)?;
    }
    Ok(())
}

/// Delivers one batch of due graph rows, in order. A graph failure stops the batch: the rows
/// delivered so far are deleted, the failed one and the rest wait for a retry.
pub async fn deliver_due<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    let rows = outbox::due(db, &TOPICS, now).await?;
    for (i, row) in rows.iter().enumerate() {
        if let Err(error) = deliver_one(db, graph, &row.topic, row.subject_id).await? {
            tracing::warn!(%error, topic = row.topic, "graph update failed; will retry");
            let done = outbox::delivered(db, &rows[..i]).await?;
            let waiting = outbox::failed(db, &rows[i..], &error.to_string(), now).await?;
            return Ok(Round {
                delivered: done.delivered,
                failed: waiting.failed,
            });
        }
    }
    outbox::delivered(db, &rows).await
}

/// Delivers until nothing is due; returns how many rows were delivered.
pub async fn drain<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut total = 0;
    loop {
        let round = deliver_due(db, graph, now).await?;
        total += round.delivered;
        if round.delivered == 0 {
            return Ok(total);
        }
    }
}

/// The background worker: delivers due rows, then waits a moment when there were none.
/// `changes` moves on after every round that changed the graph.
pub fn spawn_worker(
    db: DatabaseConnection,
    graph: Arc<dyn GraphStore>,
    changes: Arc<crate::domain::cache::Changes>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&db, graph.as_ref(), Utc::now()).await {
                Ok(round) if round.delivered > 0 => {
                    changes.bump();
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "graph outbox delivery failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Regraphed {
    pub users: usize,
    pub events: usize,
    pub attends: usize,
    pub reviews: usize,
    pub saves: usize,
}

impl std::fmt::Display for Regraphed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} users, {} events, {} going, {} reviews, {} saves",
            self.users, self.events, self.attends, self.reviews, self.saves
        )
    }
}

const CHUNK: usize = 200;

/// Rebuilds every node and derived edge from Postgres. Nodes are written over (so the edges
/// that live only in the graph stay attached), nodes whose rows are gone are deleted, and the
/// derived edge tables are emptied and written again.
pub async fn regraph<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
) -> Result<Regraphed, AppError> {
    let fail = |e: GraphError| internal(e);
    let users = user::Entity::find().all(db).await.map_err(internal)?;
    let events = event::Entity::find().all(db).await.map_err(internal)?;
    let going = registration::Entity::find()
        .filter(registration::Column::Status.is_in(going_statuses()))
        .filter(registration::Column::UserId.is_not_null())
        .all(db)
        .await
        .map_err(internal)?;
    let reviews = event_review::Entity::find()
        .all(db)
        .await
        .map_err(internal)?;
    let saves = saved_event::Entity::find()
        .filter(saved_event::Column::RemovedAt.is_null())
        .all(db)
        .await
        .map_err(internal)?;

    let user_rows: Vec<BTreeMap<String, surrealdb::types::Value>> = users
        .iter()
        .map(|u| fields([("id", val(user_node(u.id))), ("node", val(UserNode::of(u)))]))
        .collect();
    upsert_nodes(graph, user_rows).await.map_err(fail)?;
    let event_rows: Vec<BTreeMap<String, surrealdb::types::Value>> = events
        .iter()
        .map(|e| {
            fields([
                ("id", val(event_node(e.id))),
                ("node", val(EventNode::of(e))),
            ])
        })
        .collect();
    upsert_nodes(graph, event_rows).await.map_err(fail)?;
    delete_missing(graph, "user", users.iter().map(|u| u.id).collect())
        .await
        .map_err(fail)?;
    delete_missing(graph, "event", events.iter().map(|e| e.id).collect())
        .await
        .map_err(fail)?;

    let mut since: BTreeMap<(i32, i32), DateTime<Utc>> = BTreeMap::new();
    for r in &going {
        if let Some(u) = r.user_id {
            since
                .entry((u, r.event_id))
                .and_modify(|at| *at = (*at).min(r.created_at))
                .or_insert(r.created_at);
        }
    }
    let attends: Vec<_> = since
        .iter()
        .map(|(&(u, e), &at)| (u, e, fields([("at", val(at))])))
        .collect();
    let reviewed: Vec<_> = reviews
        .iter()
        .map(|r| {
            (
                r.user_id,
                r.event_id,
                fields([
                    ("rating", val(i64::from(r.rating))),
                    ("at", val(r.created_at)),
                ]),
            )
        })
        .collect();
    let interested: Vec<_> = saves
        .iter()
        .map(|s| (s.user_id, s.event_id, fields([("at", val(s.created_at))])))
        .collect();
    let counts = Regraphed {
        users: users.len(),
        events: events.len(),
        attends: attends.len(),
        reviews: reviewed.len(),
        saves: interested.len(),
    };
    replace_edges(graph, "attends", attends)
        .await
        .map_err(fail)?;
    replace_edges(graph, "reviewed", reviewed)
        .await
        .map_err(fail)?;
    replace_edges(graph, "interested_in", interested)
        .await
        .map_err(fail)?;
    Ok(counts)
}

/// Writes nodes given as `{id, node}` rows, a chunk per query.
pub async fn upsert_nodes(
    graph: &dyn GraphStore,
    rows: Vec<BTreeMap<String, surrealdb::types::Value>>,
) -> Result<(), GraphError> {
    for chunk in rows.chunks(CHUNK) {
        graph
            .query(
                "FOR $row IN $rows { UPSERT ($row.id) CONTENT $row.node RETURN NONE; }",
                vec![("rows", val(chunk.to_vec()))],
            )
            .await?;
    }
    Ok(())
}

async fn delete_missing(
    graph: &dyn GraphStore,
    table: &'static str,
    keep: BTreeSet<i32>,
) -> Result<(), GraphError> {
    let sql = format!("SELECT VALUE id FROM {table}");
    let ids: Vec<RecordId> = graph.query(&sql, Vec::new()).await?.take(0)?;
    let gone: Vec<RecordId> = ids
        .into_iter()
        .filter(|id| super::key_of(id).is_none_or(|k| !keep.contains(&k)))
        .collect();
    for chunk in gone.chunks(CHUNK) {
        graph
            .query(
                "FOR $id IN $ids { DELETE $id; }",
                vec![("ids", val(chunk.to_vec()))],
            )
            .await?;
    }
    Ok(())
}

async fn replace_edges(
    graph: &dyn GraphStore,
    table: &'static str,
    edges: Vec<(i32, i32, BTreeMap<String, surrealdb::types::Value>)>,
) -> Result<(), GraphError> {
    graph.query(&format!("DELETE {table}"), Vec::new()).await?;
    let rows: Vec<BTreeMap<String, surrealdb::types::Value>> = edges
        .into_iter()
        .map(|(u, e, data)| edge_row(table, user_node(u), event_node(e), data))
        .collect();
    relate_all(graph, rows).await
}

/// An edge to write with `relate_all`.
pub fn edge_row(
    table: &str,
    from: RecordId,
    to: RecordId,
    data: BTreeMap<String, surrealdb::types::Value>,
) -> BTreeMap<String, surrealdb::types::Value> {
    fields([
        ("id", val(edge(table, &from, &to))),
        ("from", val(from)),
        ("to", val(to)),
        ("data", val(data)),
    ])
}

/// Writes edges given as `edge_row`s, a chunk per query.
pub async fn relate_all(
    graph: &dyn GraphStore,
    rows: Vec<BTreeMap<String, surrealdb::types::Value>>,
) -> Result<(), GraphError> {
    for chunk in rows.chunks(CHUNK) {
        graph
            .query(
                "FOR $row IN $rows { RELATE OR UPDATE ($row.from)->($row.id)->($row.to) CONTENT $row.data RETURN NONE; }",
                vec![("rows", val(chunk.to_vec()))],
            )
            .await?;
    }
    Ok(())
}

/// Everything `regraph` writes, in a comparable form: the nodes' fields and the derived edges.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
pub struct Dump {
    pub users: Vec<surrealdb::types::Value>,
    pub events: Vec<surrealdb::types::Value>,
    pub attends: Vec<surrealdb::types::Value>,
    pub reviewed: Vec<surrealdb::types::Value>,
    pub interested: Vec<surrealdb::types::Value>,
    pub local_interests: Vec<surrealdb::types::Value>,
}

pub async fn dump(graph: &dyn GraphStore) -> Result<Dump, GraphError> {
    let mut rows = graph
        .query(
            "RETURN {
                users: (SELECT * FROM user ORDER BY id),
                events: (SELECT * FROM event ORDER BY id),
                attends: (SELECT in, out, at FROM attends ORDER BY in, out),
                reviewed: (SELECT in, out, rating, at FROM reviewed ORDER BY in, out),
                interested: (SELECT in, out, at FROM interested_in ORDER BY in, out),
                local_interests: (SELECT VALUE id FROM local_interest ORDER BY id),
            }",
            Vec::new(),
        )
        .await?;
    rows.take::<Option<Dump>>(0)?
        .ok_or_else(|| GraphError("empty dump".into()))
}

/// Whether the graph holds any user yet (a new embedded store is filled from Postgres).
pub async fn is_empty(graph: &dyn GraphStore) -> Result<bool, GraphError> {
    let mut rows = graph
        .query("SELECT VALUE id FROM user LIMIT 1", Vec::new())
        .await?;
    Ok(rows.take::<Vec<RecordId>>(0)?.is_empty())
}
