//! The embedded search engine: a tantivy index in the data directory (in memory for tests),
//! used when no Meilisearch is configured. Writes go through one writer and are visible when
//! the call returns; searches run on the latest committed state.
mod collector;
mod highlight;
mod schema;

use std::{ops::Bound, path::Path, sync::Arc};

use async_trait::async_trait;
use tantivy::{
    collector::DocSetCollector,
    query::{
        AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
    },
    schema::{IndexRecordOption, Value},
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};
use tokio::sync::Mutex;

use crate::domain::discovery::{
    query::{Facets, IndexHit, SearchQuery, SearchResults, MAX_QUERY_WORDS, MAX_TOTAL_HITS},
    text::typo_budget,
    SearchDocument, SearchError, SearchIndex,
};
use collector::{EventCollector, Spec};
use highlight::Terms;
use schema::{category_ordinal, Fields};

pub use schema::{words, VERSION};

const WRITER_MEMORY: usize = 50_000_000;

pub struct EmbeddedIndex {
    inner: Arc<Inner>,
    /// The index was created when opened (empty: to be filled from the database).
    created: bool,
}

struct Inner {
    fields: Fields,
    reader: IndexReader,
    writer: Arc<Mutex<IndexWriter>>,
}

impl EmbeddedIndex {
    /// Opens the index under `dir` (`<dir>/events-v1`), creating it when missing (`prepare`
    /// then says so).
    pub fn open(dir: &Path) -> Result<EmbeddedIndex, SearchError> {
        let path = dir.join(VERSION);
        let created = !path.join("meta.json").exists();
        std::fs::create_dir_all(&path)
            .map_err(|e| SearchError::Engine(format!("cannot create {}: {e}", path.display())))?;
        let (schema, fields) = schema::build();
        let index = if created {
            Index::create_in_dir(&path, schema)
        } else {
            Index::open_in_dir(&path)
        }
        .map_err(|e| SearchError::Engine(format!("search index at {}: {e}", path.display())))?;
        Ok(EmbeddedIndex {
            created,
            ..EmbeddedIndex::with(index, fields)?
        })
    }

    pub fn in_memory() -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = schema::build();
        EmbeddedIndex::with(Index::create_in_ram(schema), fields)
    }

    fn with(index: Index, fields: Fields) -> Result<EmbeddedIndex, SearchError> {
        schema::register_tokenizer(&index);
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Engine(
                    "the search index is in use by another Lineup process (a running server?)"
                        .into(),
                ),
                other => SearchError::engine(other),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(SearchError::engine)?;
        Ok(EmbeddedIndex {
            inner: Arc::new(Inner {
                fields,
                reader,
                writer: Arc::new(Mutex::new(writer)),
            }),
            created: true,
        })
    }

    /// Runs index writes off the async runtime: commits touch the disk.
    async fn write(
        &self,
        change: impl FnOnce(&Inner, &mut IndexWriter) -> tantivy::Result<()> + Send + 'static,
    ) -> Result<(), SearchError> {
        let inner = self.inner.clone();
        let mut writer = inner.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || {
            change(&inner, &mut writer)?;
            writer.commit()?;
            inner.reader.reload()
        })
        .await
        .map_err(SearchError::engine)?
        .map_err(SearchError::engine)
    }
}

impl Inner {
    fn tantivy_doc(&self, doc: &SearchDocument) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_u64(f.id, doc.id as u64);
        let [title, tags, summary, description, venue, city] = f.text.map(|(field, _)| field);
        d.add_text(title, &doc.title);
        d.add_text(tags, doc.tags.join(" "));
        for tag in &doc.tags {
            d.add_text(f.tag, tag);
        }
        d.add_text(summary, &doc.summary);
        d.add_text(description, &doc.description);
        if let Some(v) = &doc.venue {
            d.add_text(venue, v);
        }
        if let Some(c) = &doc.city {
            d.add_text(city, c);
        }
        d.add_u64(f.category, category_ordinal(&doc.category));
        d.add_i64(f.organizer, i64::from(doc.organizer));
        d.add_i64(f.start, doc.start);
        d.add_i64(f.ends, doc.ends);
        d.add_bool(f.is_free, doc.is_free);
        if let Some(p) = doc.price {
            d.add_f64(f.price, p);
        }
        d.add_bool(f.is_online, doc.is_online);
        d.add_f64(f.quality, doc.quality);
        if let Some(g) = doc.geo {
            d.add_f64(f.lat, g.lat);
            d.add_f64(f.lng, g.lng);
        }
        d.add_text(
            f.doc,
            serde_json::to_string(doc).unwrap_or_else(|_| "{}".into()),
        );
        d
    }

    fn id_term(&self, id: i32) -> Term {
        Term::from_field_u64(self.fields.id, id as u64)
    }

    fn stored(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Option<SearchDocument> {
        let doc: TantivyDocument = searcher.doc(address).ok()?;
        let json = doc.get_first(self.fields.doc)?.as_str()?.to_owned();
        serde_json::from_str(&json).ok()
    }

    /// The text part of a query: every word must match some field, exactly or within its typo
    /// budget; the last word also as a prefix. Exact matches and better fields score higher.
    fn text_query(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let last = words.len().checked_sub(1)?;
        let per_word = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let budget = typo_budget(word.chars().count());
                let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (field, weight) in self.fields.text {
                    let term = Term::from_field_text(field, word);
                    options.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                            weight * 2.0,
                        )),
                    ));
                    let fuzzy = if i == last {
                        Some(FuzzyTermQuery::new_prefix(term, budget, true))
                    } else if budget > 0 {
                        Some(FuzzyTermQuery::new(term, budget, true))
                    } else {
                        None
                    };
                    if let Some(q) = fuzzy {
                        options.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(Box::new(q), weight)),
                        ));
                    }
                }
                (
                    Occur::Must,
                    Box::new(BooleanQuery::new(options)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::new(per_word)))
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        query.validate()?;
        let words: Vec<String> = schema::words(&query.text)
            .into_iter()
            .map(|(w, _)| w)
            .take(MAX_QUERY_WORDS)
            .collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text = self.text_query(&words);
        let scoring = text.is_some();
        if let Some(text) = text {
            must.push((Occur::Must, text));
        }
        for tag in &query.filters.tags {
            let term = Term::from_field_text(self.fields.tag, &tag.to_lowercase());
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(radius) = query.filters.radius {
            // a range scan of the latitude column narrows a radius search to a band of the
            // globe before the collector looks at each document
            let (south, north) =
                collector::GeoBox::around(radius.center, radius.metres).lat_bounds();
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_f64(self.fields.lat, south)),
                    Bound::Included(Term::from_field_f64(self.fields.lat, north)),
                )),
            ));
        }
        let tantivy_query: Box<dyn Query> = if must.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(must))
        };
        let keep = (query.offset() + query.per_page as usize).min(MAX_TOTAL_HITS as usize);
        let spec = Spec::new(
            &query.filters,
            query.sort,
            query.facets.values,
            &query.facets.windows,
            keep,
        );
        let searcher = self.reader.searcher();
        let (counts, ranked) = searcher
            .search(
                tantivy_query.as_ref(),
                &EventCollector {
                    spec: Arc::new(spec),
                    scoring,
                },
            )
            .map_err(SearchError::engine)?;
        let terms = Terms::of(&words);
        let from = query.distance_from();
        let hits = ranked
            .into_iter()
            .skip(query.offset())
            .filter_map(|r| {
                let doc = self.stored(&searcher, r.address)?;
                let (title, snippet) = if query.highlight {
                    (
                        terms.mark(&doc.title),
                        terms.snippet(&[&doc.description, &doc.summary]),
                    )
                } else {
                    (Vec::new(), Vec::new())
                };
                Some(IndexHit {
                    id: doc.id,
                    distance_m: from.zip(doc.geo).map(|(a, b)| a.distance_m(b)),
                    title,
                    snippet,
                })
            })
            .collect();
        let mut facets = Facets {
            windows: counts.windows,
            ..Default::default()
        };
        if query.facets.values {
            facets.categories = crate::model::taxonomy::Category::ALL
                .iter()
                .zip(counts.categories)
                .filter(|(_, n)| *n > 0)
                .map(|(c, n)| (c.slug().to_owned(), n))
                .collect();
            (facets.free, facets.paid) = (counts.free, counts.paid);
            (facets.online, facets.in_person) = (counts.online, counts.in_person);
        }
        Ok(SearchResults {
            total: counts.total.min(u64::from(MAX_TOTAL_HITS)),
            hits,
            facets,
        })
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    fn backend(&self) -> &'static str {
        "embedded"
    }

    async fn prepare(&self) -> Result<bool, SearchError> {
        Ok(self.created)
    }

    async fn upsert(&self, docs: &[SearchDocument]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let docs = docs.to_vec();
        self.write(move |inner, writer| {
            for doc in &docs {
                writer.delete_term(inner.id_term(doc.id));
                writer.add_document(inner.tantivy_doc(doc))?;
            }
            Ok(())
        })
        .await
    }

    async fn remove(&self, ids: &[i32]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.to_vec();
        self.write(move |inner, writer| {
            for id in ids {
                writer.delete_term(inner.id_term(id));
            }
            Ok(())
        })
        .await
    }

    async fn replace_all(&self, docs: &[SearchDocument]) -> Result<(), SearchError> {
        let docs = docs.to_vec();
        // one commit: searches see the old index until the new one is complete
        self.write(move |inner, writer| {
            writer.delete_all_documents()?;
            for doc in &docs {
                writer.add_document(inner.tantivy_doc(doc))?;
            }
            Ok(())
        })
        .await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        // scoring and facet counting are CPU work: off the threads that serve requests
        let (inner, query) = (self.inner.clone(), query.clone());
        tokio::task::spawn_blocking(move || inner.search(&query))
            .await
            .map_err(SearchError::engine)?
    }

    async fn documents(&self) -> Result<Vec<SearchDocument>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let addresses = searcher
            .search(&AllQuery, &DocSetCollector)
            .map_err(SearchError::engine)?;
        let mut docs: Vec<SearchDocument> = addresses
            .into_iter()
            .filter_map(|a| self.inner.stored(&searcher, a))
            .collect();
        docs.sort_by_key(|d| d.id);
        Ok(docs)
    }
}

impl EmbeddedIndex {
    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
