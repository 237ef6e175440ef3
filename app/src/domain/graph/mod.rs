//! The social graph's store. Graph features arrive with the social issue; today the store is
//! connected, namespaced and health-checked at start-up and by `/readyz`.
mod surreal;

pub use surreal::SurrealGraph;

#[derive(Debug, thiserror::Error)]
#[error("graph store: {0}")]
pub struct GraphError(pub String);

#[async_trait::async_trait]
pub trait GraphStore: Send + Sync {
    /// Which engine answers: `embedded` (in-process) or `remote` (a SurrealDB server).
    fn backend(&self) -> &'static str;
    async fn health(&self) -> Result<(), GraphError>;
}
