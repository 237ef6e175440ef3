use surrealdb::{
    engine::any::{self, Any},
    opt::auth::Root,
    Surreal,
};

use super::{GraphError, GraphStore};

/// SurrealDB through the official client. The URL picks the engine: `surrealkv://<dir>` and
/// `mem://` run it in-process (the embedded default), `ws://`/`wss://` talk to a server.
pub struct SurrealGraph {
    db: Surreal<Any>,
    backend: &'static str,
}

fn err(e: impl std::fmt::Display) -> GraphError {
    GraphError(e.to_string())
}

impl SurrealGraph {
    pub async fn connect(url: &str, root: Option<(String, String)>) -> Result<Self, GraphError> {
        let remote = ["ws://", "wss://", "http://", "https://"]
            .iter()
            .any(|s| url.starts_with(s));
        let db = any::connect(url).await.map_err(err)?;
        if let Some((username, password)) = root {
            db.signin(Root { username, password }).await.map_err(err)?;
        }
        db.use_ns("lineup").use_db("lineup").await.map_err(err)?;
        let graph = SurrealGraph {
            db,
            backend: if remote { "remote" } else { "embedded" },
        };
        graph.health().await?;
        Ok(graph)
    }
}

#[async_trait::async_trait]
impl GraphStore for SurrealGraph {
    fn backend(&self) -> &'static str {
        self.backend
    }

    async fn health(&self) -> Result<(), GraphError> {
        self.db.health().await.map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_in_memory_graph_connects_and_is_healthy() {
        let graph = SurrealGraph::connect("mem://", None).await.unwrap();
        assert_eq!(graph.backend(), "embedded");
        graph.health().await.unwrap();
    }
}
