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

const CONFLICT_RETRIES: u32 = 5;

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

    async fn export(&self, path: &std::path::Path) -> Result<(), GraphError> {
        self.db.export(path).await.map_err(err)
    }

    async fn import(&self, path: &std::path::Path) -> Result<(), GraphError> {
        self.db.import(path).await.map_err(err)
    }

    /// Two writers touching the same record make one of them fail with a retryable conflict;
    /// that one is run again a few times. (Every multi-statement write here is one transaction
    /// or idempotent, so running it again is safe.)
    #[tracing::instrument(level = "debug", name = "graph.query", skip_all, fields(sql = %first_words(sql)))]
    async fn query(&self, sql: &str, vars: Vars) -> Result<Rows, GraphError> {
        let mut attempt = 0;
        loop {
            let mut query = self.db.query(sql);
            for (name, value) in vars.iter().cloned() {
                query = query.bind((name, value));
            }
            match query.await.and_then(|r| r.check()) {
                Ok(results) => return Ok(Rows(results)),
                Err(e)
                    if attempt < CONFLICT_RETRIES && e.to_string().contains("can be retried") =>
                {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(10 * u64::from(attempt)))
                        .await;
                }
                Err(e) => return Err(err(e)),
            }
        }
    }
}

/// A query's first words, to tell queries apart in traces.
fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(8).collect::<Vec<_>>().join(" ")
}
