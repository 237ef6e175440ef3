//! Discovery: what attendees search. Only public events are indexed (published, not hidden,
//! not cancelled, not ended). The index is fed by the outbox and can be rebuilt from the
//! database at any time; two engines answer the same contract: Meilisearch, and an embedded
//! tantivy index used when no Meilisearch is configured.
pub mod document;
pub mod embedded;
pub mod geo;
pub mod home;
pub mod indexing;
pub mod meili;
pub mod query;
pub mod search;
pub mod sitemap;
pub mod suggest;
pub mod text;

use async_trait::async_trait;

pub use document::SearchDocument;
pub use embedded::EmbeddedIndex;
pub use meili::MeiliIndex;
pub use query::{IndexHit, SearchQuery, SearchResults};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot be run as given; the message is for the person searching.
    #[error("{0}")]
    Invalid(String),
    /// The engine is missing, unreachable or misconfigured; the message is for operators.
    #[error("search engine: {0}")]
    Engine(String),
}

impl SearchError {
    pub fn engine(err: impl std::fmt::Display) -> Self {
        SearchError::Engine(err.to_string())
    }
}

/// A full-text index of public events. Both adapters pass the same contract tests
/// (`server/tests/api/discovery_contract.rs`).
#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// `embedded` or `meilisearch`.
    fn backend(&self) -> &'static str;
    /// Creates the index if it is missing and applies its settings; checks the engine version.
    /// Says whether the index was created, i.e. must be filled from the database.
    async fn prepare(&self) -> Result<bool, SearchError>;
    /// Adds or replaces documents by id; visible to searches when it returns.
    async fn upsert(&self, docs: &[SearchDocument]) -> Result<(), SearchError>;
    /// Removes documents by id; ids that are not there are fine.
    async fn remove(&self, ids: &[i32]) -> Result<(), SearchError>;
    /// Replaces the whole index with `docs`; searches see either the old or the new one.
    async fn replace_all(&self, docs: &[SearchDocument]) -> Result<(), SearchError>;
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError>;
    /// Every document, ordered by id: for checks and for comparing a rebuild with the live index.
    async fn documents(&self) -> Result<Vec<SearchDocument>, SearchError>;
}
