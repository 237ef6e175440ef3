//! Following an organization: an edge in the social graph from the person to the organization,
//! like following a person. Followers hear about the organization's new events (the daily batch
//! of `notifications::followed`).
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        graph::{edge, key_of, organization_node, user_node, val, GraphStore, RecordId},
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
