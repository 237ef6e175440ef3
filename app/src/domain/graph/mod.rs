//! The social graph's store: SurrealDB, embedded by default or a server. Postgres stays the
//! source of truth for accounts, events, registrations and reviews; their graph copies arrive
//! through the outbox (`sync`) and can be rebuilt (`sync::regraph`). Follows, friendships,
//! blocks, interests, groups and shortlists live only here.
mod ids;
pub mod schema;
mod surreal;
pub mod sync;

pub use ids::{edge, event_node, group_node, key_of, organization_node, user_node};
pub use surreal::SurrealGraph;
pub use surrealdb::types::{RecordId, SurrealValue, Value};

#[derive(Debug, thiserror::Error)]
#[error("graph store: {0}")]
pub struct GraphError(pub String);

impl GraphError {
    /// A write refused by one of the unique indexes on an edge's two ends.
    pub fn is_duplicate(&self) -> bool {
        self.0.contains("already contains")
    }
}

/// Named parameters of a query.
pub type Vars = Vec<(&'static str, Value)>;

/// A parameter value.
pub fn val(v: impl SurrealValue) -> Value {
    v.into_value()
}

/// The results of a query's statements, by position.
pub struct Rows(pub(crate) surrealdb::IndexedResults);

impl Rows {
    pub fn take<T>(&mut self, statement: usize) -> Result<T, GraphError>
    where
        T: SurrealValue,
        usize: surrealdb::opt::QueryResult<T>,
    {
        self.0
            .take(statement)
            .map_err(|e| GraphError(e.to_string()))
    }
}

#[async_trait::async_trait]
pub trait GraphStore: Send + Sync {
    /// Which engine answers: `embedded` (in-process) or `remote` (a SurrealDB server).
    fn backend(&self) -> &'static str;
    async fn health(&self) -> Result<(), GraphError>;
    /// Runs SurrealQL with bound parameters; an error in any statement is the result.
    async fn query(&self, sql: &str, vars: Vars) -> Result<Rows, GraphError>;
    /// Writes the whole graph (schema and records) to a SurrealQL file, for backups.
    async fn export(&self, path: &std::path::Path) -> Result<(), GraphError>;
    /// Runs a file written by `export` against this (empty) graph.
    async fn import(&self, path: &std::path::Path) -> Result<(), GraphError>;
}
