//! Following an organization: an edge in the social graph from the person to the organization,
//! like following a person. Followers hear about the organization's new events (the daily batch
//! of `notifications::followed`).
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        graph::{
            edge, key_of, organization_node, user_node, val, GraphStore, RecordId, SurrealValue,
        },
        social::{exec, fetch},
    },
    error::AppError,
};

/// Follows (or, with `follow` false, stops following) organization `org`.
pub async fn set(
    graph: &dyn GraphStore,
    me: i32,
    org: i32,
    follow: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (a, b) = (user_node(me), organization_node(org));
    let sql = match follow {
        true => "UPSERT $b RETURN NONE; RELATE OR UPDATE $a->$e->$b SET at = $now RETURN NONE;",
        false => "DELETE $e",
    };
    exec(
        graph,
        sql,
        vec![
            ("e", val(edge("follows_org", &a, &b))),
            ("a", val(a)),
            ("b", val(b)),
            ("now", val(now)),
        ],
    )
    .await
}

/// Who follows the organization.
pub async fn followers(graph: &dyn GraphStore, org: i32) -> Result<Vec<i32>, AppError> {
    let ids: Vec<RecordId> = fetch(
        graph,
        "SELECT VALUE in FROM follows_org WHERE out = $o",
        vec![("o", val(organization_node(org)))],
        0,
    )
    .await?;
    Ok(ids.iter().filter_map(key_of).collect())
}

/// How many follow the organization, and whether `me` does: one statement, without reading
/// every follower.
pub async fn standing(
    graph: &dyn GraphStore,
    me: Option<i32>,
    org: i32,
) -> Result<(usize, bool), AppError> {
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct Found {
        followers: i64,
        mine: bool,
    }
    let o = organization_node(org);
    // nobody signed in asks about an edge that cannot exist
    let mine = edge("follows_org", &user_node(me.unwrap_or(0)), &o);
    let found: Option<Found> = fetch(
        graph,
        "RETURN {
            followers: count(SELECT VALUE in FROM follows_org WHERE out = $o),
            mine: record::exists($mine),
        }",
        vec![("o", val(o)), ("mine", val(mine))],
        0,
    )
    .await?;
    let found = found.unwrap_or(Found {
        followers: 0,
        mine: false,
    });
    Ok((found.followers.max(0) as usize, me.is_some() && found.mine))
}
