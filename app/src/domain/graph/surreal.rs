use surrealdb::{
    engine::any::{self, Any},
    opt::auth::Root,
    Surreal,
};

use super::{schema::SCHEMA, GraphError, GraphStore, Rows, Vars};

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
    /// Connects, selects the `lineup` namespace and database, and applies the schema.
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
        graph.query(SCHEMA, Vec::new()).await?;
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

    async fn query(&self, sql: &str, vars: Vars) -> Result<Rows, GraphError> {
        let mut query = self.db.query(sql);
        for (name, value) in vars {
            query = query.bind((name, value));
        }
        let results = query.await.map_err(err)?.check().map_err(err)?;
        Ok(Rows(results))
    }
}
