//! PLACEHOLDER until the Meilisearch adapter lands.
use async_trait::async_trait;

use crate::domain::discovery::{
    SearchDocument, SearchError, SearchIndex, SearchQuery, SearchResults,
};

pub struct MeiliIndex;

impl MeiliIndex {
    pub fn new(_url: &str, _key: Option<&str>, _uid: &str) -> Result<Self, SearchError> {
        Err(SearchError::Engine("not yet".into()))
    }
}

#[async_trait]
impl SearchIndex for MeiliIndex {
    fn backend(&self) -> &'static str {
        "meilisearch"
    }
    async fn prepare(&self) -> Result<(), SearchError> {
        Err(SearchError::Engine("x".into()))
    }
    async fn upsert(&self, _: &[SearchDocument]) -> Result<(), SearchError> {
        Err(SearchError::Engine("x".into()))
    }
    async fn remove(&self, _: &[i32]) -> Result<(), SearchError> {
        Err(SearchError::Engine("x".into()))
    }
    async fn replace_all(&self, _: &[SearchDocument]) -> Result<(), SearchError> {
        Err(SearchError::Engine("x".into()))
    }
    async fn search(&self, _: &SearchQuery) -> Result<SearchResults, SearchError> {
        Err(SearchError::Engine("x".into()))
    }
    async fn documents(&self) -> Result<Vec<SearchDocument>, SearchError> {
        Err(SearchError::Engine("x".into()))
    }
}
