//! The social features over the graph. Every read takes the viewer and applies blocks and
//! privacy itself, so no caller can forget to.
pub mod connections;
pub mod feed;
pub mod going;
pub mod groups;
pub mod people;
pub mod privacy;
pub mod shortlist;
pub mod suggestions;
pub mod ties;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::{
    domain::{
        context::internal,
        graph::{key_of, GraphError, GraphStore, RecordId, SurrealValue, Vars},
    },
    error::AppError,
};

pub(crate) fn graph_err(e: GraphError) -> AppError {
    internal(e)
}

/// Runs a query and takes the result of its statement `at`.
pub(crate) async fn fetch<T>(
    graph: &dyn GraphStore,
    sql: &str,
    vars: Vars,
    at: usize,
) -> Result<T, AppError>
where
    T: SurrealValue,
    usize: surrealdb::opt::QueryResult<T>,
{
    graph
        .query(sql, vars)
        .await
        .and_then(|mut rows| rows.take(at))
        .map_err(graph_err)
}

/// Runs a statement for its effect.
pub(crate) async fn exec(graph: &dyn GraphStore, sql: &str, vars: Vars) -> Result<(), AppError> {
    graph.query(sql, vars).await.map(drop).map_err(graph_err)
}

pub(crate) fn keys(ids: &[RecordId]) -> BTreeSet<i32> {
    ids.iter().filter_map(key_of).collect()
}
