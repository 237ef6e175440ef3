//! The Meilisearch adapter, used when `MEILI_URL` is set. Settings mirror the embedded engine
//! (same searchable fields in the same order, typo budgets, quality as the last ranking rule)
//! so both pass one contract. Writes wait for Meilisearch's task to finish, so a change is
//! searchable when the call returns and the outbox only deletes rows that really landed.
use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use meilisearch_sdk::{
    client::{Client, SwapIndexes},
    documents::DocumentsQuery,
    errors::{Error as MeiliError, ErrorCode, MeilisearchError},
    indexes::Index,
    search::{
        MatchingStrategies, SearchQuery as MeiliQuery, SearchResults as MeiliResults, Selectors,
    },
    settings::{
        FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
    },
    task_info::TaskInfo,
    tasks::Task,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{
    domain::discovery::{
        geo::GeoPoint,
        query::{
            segments, Facets, Filters, IndexHit, SearchQuery, SearchResults, Sort, Window,
            CROP_WORDS, MAX_QUERY_WORDS, MAX_TOTAL_HITS,
        },
        SearchDocument, SearchError, SearchIndex,
    },
    model::discovery::Segment,
};

/// `matchingStrategy: all`, `hitsPerPage: 0` and index swaps are all there from 1.6.
const MIN_VERSION: (u64, u64) = (1, 6);
const TASK_TIMEOUT: Duration = Duration::from_secs(120);
const TASK_POLL: Duration = Duration::from_millis(25);
const BATCH: usize = 1000;
/// Highlight marks: private-use characters, which no event text carries, so the adapter can
/// split the marked text into segments instead of handing HTML to the page.
const MARK_START: &str = "\u{E000}";
const MARK_END: &str = "\u{E001}";

const SEARCHABLE: [&str; 6] = ["title", "tags", "summary", "description", "venue", "city"];
const FILTERABLE: [&str; 9] = [
    "category",
    "tags",
    "is_free",
    "price",
    "is_online",
    "start",
    "ends",
    "organizer",
    "_geo",
];
/// The facet groups: category, free/paid, online/in person (in `groups`' order).
static FACETS: [&str; 3] = ["category", "is_free", "is_online"];
const SORTABLE: [&str; 3] = ["start", "quality", "_geo"];
/// `sort` first: an explicit sort is strict, relevance only breaks its ties.
const RANKING: [&str; 7] = [
    "sort",
    "words",
    "typo",
    "proximity",
    "attribute",
    "exactness",
    "quality:desc",
];

pub struct MeiliIndex {
    client: Client,
    uid: String,
}

impl MeiliIndex {
    /// A client for the index `uid`; nothing is sent until `prepare`.
    pub fn new(url: &str, api_key: Option<&str>, uid: &str) -> Result<Self, SearchError> {
        let client = Client::new(url.trim_end_matches('/'), api_key)
            .map_err(|e| SearchError::Engine(format!("Meilisearch client for {url}: {e}")))?;
        Ok(MeiliIndex {
            client,
            uid: uid.to_owned(),
        })
    }

    /// Deletes the index (tests clean up after themselves with it).
    pub async fn delete(&self) -> Result<(), SearchError> {
        self.finish_unless(
            self.client.delete_index(&self.uid).await,
            Some(ErrorCode::IndexNotFound),
        )
        .await
        .map(|_| ())
    }

    fn index(&self) -> Index {
        self.client.index(&self.uid)
    }

    fn error(&self, err: MeiliError) -> SearchError {
        engine_error(&self.uid, err)
    }

    /// Waits for a task and turns its failure into an error.
    async fn finish(&self, task: Result<TaskInfo, MeiliError>) -> Result<(), SearchError> {
        self.finish_unless(task, None).await.map(|_| ())
    }

    /// Like `finish`, but a failure with the code `fine` counts as done: says whether it
    /// succeeded (true) or failed that way (false).
    async fn finish_unless(
        &self,
        task: Result<TaskInfo, MeiliError>,
        fine: Option<ErrorCode>,
    ) -> Result<bool, SearchError> {
        let is_fine = |e: &MeilisearchError| fine.as_ref() == Some(&e.error_code);
        let task = match task {
            Err(MeiliError::Meilisearch(e)) if is_fine(&e) => return Ok(false),
            other => other.map_err(|e| self.error(e))?,
        };
        let task = task
            .wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_TIMEOUT))
            .await
            .map_err(|e| self.error(e))?;
        match task {
            Task::Failed { content } if is_fine(&content.error) => Ok(false),
            Task::Failed { content } => Err(self.error(MeiliError::Meilisearch(content.error))),
            _ => Ok(true),
        }
    }

    /// Creates `uid` with `id` as its primary key unless it is there already; says whether it
    /// was created.
    async fn create(&self, uid: &str) -> Result<bool, SearchError> {
        self.finish_unless(
            self.client.create_index(uid, Some("id")).await,
            Some(ErrorCode::IndexAlreadyExists),
        )
        .await
    }

    async fn configure(&self, index: &Index) -> Result<(), SearchError> {
        self.finish(index.set_settings(&settings()).await).await
    }

    async fn add(&self, index: &Index, docs: &[SearchDocument]) -> Result<(), SearchError> {
        for batch in docs.chunks(BATCH) {
            let batch: Vec<Value> = batch.iter().map(document_json).collect();
            self.finish(index.add_or_replace(&batch, Some("id")).await)
                .await?;
        }
        Ok(())
    }

    async fn check_version(&self) -> Result<(), SearchError> {
        let version = self
            .client
            .get_version()
            .await
            .map_err(|e| self.error(e))?
            .pkg_version;
        let mut parts = version
            .split(['.', '-'])
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        if found < MIN_VERSION {
            return Err(SearchError::Engine(format!(
                "Meilisearch {version} is too old: Lineup needs {}.{} or newer",
                MIN_VERSION.0, MIN_VERSION.1
            )));
        }
        Ok(())
    }
}

fn settings() -> Settings {
    Settings::new()
        .with_searchable_attributes(SEARCHABLE)
        .with_filterable_attributes(FILTERABLE)
        .with_sortable_attributes(SORTABLE)
        .with_ranking_rules(RANKING)
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(9),
            }),
            ..Default::default()
        })
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_TOTAL_HITS as usize,
        })
        .with_faceting(FacetingSettings {
            max_values_per_facet: 100,
            sort_facet_values_by: None,
        })
}

fn engine_error(uid: &str, err: MeiliError) -> SearchError {
    match &err {
        MeiliError::Meilisearch(e) if e.error_code == ErrorCode::IndexNotFound => {
            SearchError::Engine(format!(
                "the Meilisearch index `{uid}` does not exist: run `lineup reindex`"
            ))
        }
        MeiliError::Meilisearch(e) => SearchError::Engine(format!(
            "Meilisearch refused a request ({}): {}",
            serde_json::to_value(&e.error_code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("{:?}", e.error_code)),
            e.error_message
        )),
        MeiliError::Timeout => SearchError::Engine(format!(
            "Meilisearch did not finish a task within {} s",
            TASK_TIMEOUT.as_secs()
        )),
        _ => SearchError::Engine(format!("Meilisearch: {err}")),
    }
}

/// The document as Meilisearch takes it: a missing place is no `_geo` at all.
fn document_json(doc: &SearchDocument) -> Value {
    let mut json = serde_json::to_value(doc).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut json {
        if map.get("_geo").is_some_and(Value::is_null) {
            map.remove("_geo");
        }
    }
    json
}

/// The words of a query as plain text: quotes (phrase search), a leading `-` (negation) and
/// every other operator character carry meaning to Meilisearch but none to Lineup, so only
/// letters and digits are sent, like the embedded engine's tokenizer sees them.
pub fn query_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_QUERY_WORDS)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which filter group a facet count leaves out (its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Nothing,
    Category,
    Price,
    Format,
    Window,
}

fn quoted(value: &str) -> String {
    // the filter grammar unescapes only `\"` inside a quoted value
    format!("\"{}\"", value.replace('"', "\\\""))
}

fn window_clause(w: &Window) -> String {
    format!("(start < {} AND ends > {})", w.to, w.from)
}

/// The filter expression for `filters`, without the group `skip`.
pub fn filter_expression(filters: &Filters, skip: Skip) -> String {
    let f = filters;
    let mut clauses: Vec<String> = Vec::new();
    if skip != Skip::Category && !f.categories.is_empty() {
        let values: Vec<String> = f.categories.iter().map(|c| quoted(c)).collect();
        clauses.push(format!("category IN [{}]", values.join(", ")));
    }
    for tag in &f.tags {
        // a trailing backslash would escape the closing quote; tags never end in one
        clauses.push(format!("tags = {}", quoted(tag.trim_end_matches('\\'))));
    }
    if skip != Skip::Price {
        if let Some(free) = f.free {
            clauses.push(format!("is_free = {free}"));
        }
        if let Some(min) = f.price_min {
            clauses.push(format!("price >= {min}"));
        }
        if let Some(max) = f.price_max {
            clauses.push(format!("price <= {max}"));
        }
    }
    if skip != Skip::Format {
        if let Some(online) = f.online {
            clauses.push(format!("is_online = {online}"));
        }
    }
    if skip != Skip::Window {
        if let Some(w) = &f.window {
            clauses.push(window_clause(w));
        }
    }
    if let Some(t) = f.ends_after {
        clauses.push(format!("ends > {t}"));
    }
    if let Some(o) = f.organizer {
        clauses.push(format!("organizer = {o}"));
    }
    if let Some(r) = f.radius {
        clauses.push(format!(
            "_geoRadius({}, {}, {})",
            r.center.lat,
            r.center.lng,
            r.metres.round()
        ));
    }
    clauses.join(" AND ")
}

fn sort_expression(sort: Sort) -> Vec<String> {
    match sort {
        Sort::Relevance => Vec::new(),
        Sort::StartAsc => vec!["start:asc".into()],
        Sort::Distance(p) => vec![format!("_geoPoint({}, {}):asc", p.lat, p.lng)],
        Sort::QualityDesc => vec!["quality:desc".into()],
    }
}

/// `_formatted` text split at the highlight marks.
pub fn marked_segments(text: &str) -> Vec<Segment> {
    let mut pieces = Vec::new();
    for (i, part) in text.split(MARK_START).enumerate() {
        match part.split_once(MARK_END) {
            Some((marked, rest)) if i > 0 => {
                pieces.push((marked.to_owned(), true));
                pieces.push((rest.replace(MARK_END, ""), false));
            }
            _ => pieces.push((part.replace(MARK_END, ""), false)),
        }
    }
    segments(pieces)
}

/// The highlighted title, and the first of description and summary with a match (else the
/// first that is not empty), as the embedded engine picks them.
fn highlights(formatted: &Map<String, Value>) -> (Vec<Segment>, Vec<Segment>) {
    let text = |field: &str| formatted.get(field).and_then(Value::as_str).unwrap_or("");
    let title = marked_segments(text("title"));
    let fields = ["description", "summary"];
    let snippet = fields
        .iter()
        .map(|f| text(f))
        .find(|t| t.contains(MARK_START))
        .or_else(|| {
            fields
                .iter()
                .map(|f| text(f))
                .find(|t| !t.trim().is_empty())
        })
        .map(marked_segments)
        .unwrap_or_default();
    (title, snippet)
}

/// What a hit carries back: the id and the place (for its distance).
#[derive(Debug, Deserialize)]
struct Hit {
    id: i32,
    #[serde(rename = "_geo", default)]
    geo: Option<GeoPoint>,
}

/// One request of the multi-search and what its answer is for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Main,
    /// The facet group `FACETS[i]`, counted without its own filter.
    Group(usize),
    /// The count of date window i, without the window filter.
    Window(usize),
}

/// The filter group each of `FACETS` leaves out, and whether the query has that filter.
fn groups(f: &Filters) -> [(Skip, bool); 3] {
    [
        (Skip::Category, !f.categories.is_empty()),
        (
            Skip::Price,
            f.free.is_some() || f.price_min.is_some() || f.price_max.is_some(),
        ),
        (Skip::Format, f.online.is_some()),
    ]
}

/// Every request a query needs, with its filter. A facet group without its own filter is
/// counted by the main request.
fn plan(query: &SearchQuery) -> Vec<(Part, String)> {
    let f = &query.filters;
    let mut parts = vec![(Part::Main, filter_expression(f, Skip::Nothing))];
    if query.facets.values {
        for (i, (skip, active)) in groups(f).into_iter().enumerate() {
            if active {
                parts.push((Part::Group(i), filter_expression(f, skip)));
            }
        }
    }
    let without_window = filter_expression(f, Skip::Window);
    for (i, w) in query.facets.windows.iter().enumerate() {
        let clause = window_clause(w);
        let filter = if without_window.is_empty() {
            clause
        } else {
            format!("{without_window} AND {clause}")
        };
        parts.push((Part::Window(i), filter));
    }
    parts
}

type Distribution = HashMap<String, HashMap<String, usize>>;

/// The answers of `plan`'s requests, in order, as one result.
fn assemble(
    query: &SearchQuery,
    parts: &[(Part, String)],
    answers: Vec<MeiliResults<Hit>>,
) -> SearchResults {
    let from = query.distance_from();
    let mut results = SearchResults {
        facets: Facets {
            windows: vec![0; query.facets.windows.len()],
            ..Default::default()
        },
        ..Default::default()
    };
    let mut main_facets: Option<Distribution> = None;
    let mut group_facets: [Option<Distribution>; 3] = [None, None, None];
    for ((part, _), answer) in parts.iter().zip(answers) {
        let total = answer
            .total_hits
            .or(answer.estimated_total_hits)
            .unwrap_or(0) as u64;
        match *part {
            Part::Main => {
                results.total = total.min(u64::from(MAX_TOTAL_HITS));
                results.hits = answer
                    .hits
                    .into_iter()
                    .map(|hit| {
                        let (title, snippet) = match &hit.formatted_result {
                            Some(formatted) if query.highlight => highlights(formatted),
                            _ => (Vec::new(), Vec::new()),
                        };
                        IndexHit {
                            id: hit.result.id,
                            distance_m: from.zip(hit.result.geo).map(|(a, b)| a.distance_m(b)),
                            title,
                            snippet,
                        }
                    })
                    .collect();
                main_facets = answer.facet_distribution;
            }
            Part::Group(i) => {
                if let Some(slot) = group_facets.get_mut(i) {
                    *slot = answer.facet_distribution;
                }
            }
            Part::Window(i) => {
                if let Some(n) = results.facets.windows.get_mut(i) {
                    *n = total;
                }
            }
        }
    }
    if query.facets.values {
        let counts = |i: usize| -> HashMap<String, usize> {
            group_facets[i]
                .as_ref()
                .or(main_facets.as_ref())
                .and_then(|d| d.get(FACETS[i]))
                .cloned()
                .unwrap_or_default()
        };
        let [categories, price, format] = [0, 1, 2].map(counts);
        let n =
            |values: &HashMap<String, usize>, key: &str| values.get(key).map_or(0, |n| *n as u64);
        results.facets.categories = categories
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k, n as u64))
            .collect();
        (results.facets.free, results.facets.paid) = (n(&price, "true"), n(&price, "false"));
        (results.facets.online, results.facets.in_person) =
            (n(&format, "true"), n(&format, "false"));
    }
    results
}

#[async_trait]
impl SearchIndex for MeiliIndex {
    fn backend(&self) -> &'static str {
        "meilisearch"
    }

    async fn prepare(&self) -> Result<bool, SearchError> {
        self.check_version().await?;
        let created = self.create(&self.uid).await?;
        self.configure(&self.index()).await?;
        Ok(created)
    }

    async fn upsert(&self, docs: &[SearchDocument]) -> Result<(), SearchError> {
        self.add(&self.index(), docs).await
    }

    async fn remove(&self, ids: &[i32]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.finish(self.index().delete_documents(ids).await).await
    }

    /// Builds a second index and swaps it in, so searches see the old documents until the
    /// new set is complete.
    async fn replace_all(&self, docs: &[SearchDocument]) -> Result<(), SearchError> {
        let temp_uid = format!("{}_rebuild", self.uid);
        self.finish_unless(
            self.client.delete_index(&temp_uid).await,
            Some(ErrorCode::IndexNotFound),
        )
        .await?;
        self.create(&temp_uid).await?;
        let temp = self.client.index(&temp_uid);
        self.configure(&temp).await?;
        self.add(&temp, docs).await?;
        self.create(&self.uid).await?;
        let swap = SwapIndexes {
            indexes: (self.uid.clone(), temp_uid.clone()),
            rename: None,
        };
        self.finish(self.client.swap_indexes([&swap]).await).await?;
        self.finish(self.client.delete_index(&temp_uid).await).await
    }

    /// One multi-search: the page itself, a facet count for each group that has its own filter
    /// (counted without it), and a count for each date window (without the window filter).
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        query.validate()?;
        let index = self.index();
        let text = query_words(&query.text);
        let sort = sort_expression(query.sort);
        let sort: Vec<&str> = sort.iter().map(String::as_str).collect();
        let parts = plan(query);
        let retrieve = ["id", "_geo", "title", "summary", "description"];
        let highlight = ["title", "summary", "description"];
        let crop = [("summary", None), ("description", None)];
        let mut multi = self.client.multi_search();
        for (part, filter) in &parts {
            let mut q = MeiliQuery::new(&index);
            q.with_query(&text)
                .with_matching_strategy(MatchingStrategies::ALL)
                .with_page(1)
                .with_hits_per_page(0);
            if !filter.is_empty() {
                q.with_filter(filter);
            }
            match part {
                Part::Main => {
                    q.with_page(query.page as usize)
                        .with_hits_per_page(query.per_page as usize)
                        .with_sort(&sort)
                        .with_attributes_to_retrieve(Selectors::Some(&retrieve[..2]));
                    if query.facets.values {
                        q.with_facets(Selectors::Some(&FACETS[..]));
                    }
                    if query.highlight {
                        q.with_attributes_to_retrieve(Selectors::Some(&retrieve[..]))
                            .with_attributes_to_highlight(Selectors::Some(&highlight[..]))
                            .with_attributes_to_crop(Selectors::Some(&crop[..]))
                            .with_crop_length(CROP_WORDS)
                            .with_crop_marker("…")
                            .with_highlight_pre_tag(MARK_START)
                            .with_highlight_post_tag(MARK_END);
                    }
                }
                Part::Group(group) => {
                    q.with_facets(Selectors::Some(&FACETS[*group..=*group]));
                }
                Part::Window(_) => {}
            }
            multi.with_search_query(q.build());
        }
        let answers = multi
            .execute::<Hit>()
            .await
            .map_err(|e| self.error(e))?
            .results;
        if answers.len() != parts.len() {
            return Err(SearchError::Engine(format!(
                "Meilisearch answered {} of {} searches",
                answers.len(),
                parts.len()
            )));
        }
        Ok(assemble(query, &parts, answers))
    }

    async fn documents(&self) -> Result<Vec<SearchDocument>, SearchError> {
        let index = self.index();
        let mut docs: Vec<SearchDocument> = Vec::new();
        loop {
            let page = DocumentsQuery::new(&index)
                .with_offset(docs.len())
                .with_limit(BATCH)
                .execute::<SearchDocument>()
                .await
                .map_err(|e| self.error(e))?;
            let done = page.results.len() < BATCH
                || docs.len() + page.results.len() >= page.total as usize;
            docs.extend(page.results);
            if done {
                break;
            }
        }
        docs.sort_by_key(|d| d.id);
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::discovery::query::{render_marked as render, FacetRequest, Radius};

    #[test]
    fn queries_lose_operators_and_keep_ten_words() {
        assert_eq!(query_words("\"jazz -night\" ((🎷 café"), "jazz night café");
        assert_eq!(query_words("'; drop table events; --"), "drop table events");
        let long = (0..15)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(query_words(&long).split(' ').count(), MAX_QUERY_WORDS);
    }

    #[test]
    fn filters_become_one_expression_and_skip_their_own_group() {
        let filters = Filters {
            categories: vec!["music".into(), "arts".into()],
            tags: vec!["say \"hi\"".into()],
            free: Some(false),
            price_min: Some(10.0),
            price_max: Some(20.5),
            online: Some(false),
            window: Some(Window { from: 100, to: 200 }),
            ends_after: Some(50),
            organizer: Some(7),
            radius: Some(Radius {
                center: GeoPoint {
                    lat: 52.52,
                    lng: 13.405,
                },
                metres: 25_000.0,
            }),
        };
        assert_eq!(
            filter_expression(&filters, Skip::Nothing),
            "category IN [\"music\", \"arts\"] AND tags = \"say \\\"hi\\\"\" AND is_free = false \
             AND price >= 10 AND price <= 20.5 AND is_online = false \
             AND (start < 200 AND ends > 100) AND ends > 50 AND organizer = 7 \
             AND _geoRadius(52.52, 13.405, 25000)"
        );
        let no_price = filter_expression(&filters, Skip::Price);
        assert!(!no_price.contains("is_free") && !no_price.contains("price"));
        assert!(no_price.contains("category IN"));
        assert!(!filter_expression(&filters, Skip::Category).contains("category"));
        assert!(!filter_expression(&filters, Skip::Format).contains("is_online"));
        assert!(!filter_expression(&filters, Skip::Window).contains("start <"));
        assert_eq!(filter_expression(&Filters::default(), Skip::Nothing), "");
    }

    #[test]
    fn sorts_name_meilisearch_attributes() {
        assert!(sort_expression(Sort::Relevance).is_empty());
        assert_eq!(sort_expression(Sort::StartAsc), vec!["start:asc"]);
        assert_eq!(
            sort_expression(Sort::Distance(GeoPoint {
                lat: 1.5,
                lng: -2.0
            })),
            vec!["_geoPoint(1.5, -2):asc"]
        );
    }

    #[test]
    fn a_query_plans_one_request_per_filtered_group_and_window() {
        let query = SearchQuery {
            filters: Filters {
                categories: vec!["music".into()],
                free: Some(true),
                window: Some(Window { from: 10, to: 20 }),
                ..Default::default()
            },
            facets: FacetRequest {
                values: true,
                windows: vec![Window { from: 0, to: 5 }, Window { from: 5, to: 9 }],
            },
            ..Default::default()
        };
        let parts = plan(&query);
        let kinds: Vec<Part> = parts.iter().map(|(p, _)| *p).collect();
        // no format filter: its counts come from the main request
        assert_eq!(
            kinds,
            vec![
                Part::Main,
                Part::Group(0),
                Part::Group(1),
                Part::Window(0),
                Part::Window(1)
            ]
        );
        let filter = |i: usize| parts[i].1.as_str();
        assert!(filter(0).contains("category") && filter(0).contains("is_free"));
        assert!(!filter(1).contains("category") && filter(1).contains("is_free"));
        assert!(filter(2).contains("category") && !filter(2).contains("is_free"));
        assert_eq!(
            filter(3),
            "category IN [\"music\"] AND is_free = true AND (start < 5 AND ends > 0)"
        );
    }

    #[test]
    fn answers_become_one_result_with_disjunctive_counts() {
        let query = SearchQuery {
            filters: Filters {
                categories: vec!["music".into()],
                ..Default::default()
            },
            facets: FacetRequest {
                values: true,
                windows: vec![Window { from: 0, to: 5 }],
            },
            point: Some(GeoPoint {
                lat: 52.52,
                lng: 13.405,
            }),
            ..Default::default()
        };
        let answer = |json: Value| -> MeiliResults<Hit> {
            serde_json::from_value(json).expect("a Meilisearch answer")
        };
        let main = answer(serde_json::json!({
            "hits": [
                {"id": 1, "_geo": {"lat": 52.39, "lng": 13.06}},
                {"id": 4}
            ],
            "query": "", "processingTimeMs": 1, "page": 1, "hitsPerPage": 20,
            "totalHits": 2, "totalPages": 1,
            "facetDistribution": {
                "category": {"music": 2},
                "is_free": {"true": 1, "false": 1},
                "is_online": {"false": 2}
            }
        }));
        let categories = answer(serde_json::json!({
            "hits": [], "query": "", "processingTimeMs": 1, "page": 1, "hitsPerPage": 0,
            "totalHits": 5, "totalPages": 0,
            "facetDistribution": {"category": {"music": 2, "arts": 3, "tech": 0}}
        }));
        let window = answer(serde_json::json!({
            "hits": [], "query": "", "processingTimeMs": 1, "page": 1, "hitsPerPage": 0,
            "totalHits": 1, "totalPages": 0
        }));
        let parts = plan(&query);
        let results = assemble(&query, &parts, vec![main, categories, window]);
        assert_eq!(results.total, 2);
        assert_eq!(
            results.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![1, 4]
        );
        let d = results.hits[0].distance_m.expect("a distance");
        assert!((d - 25_000.0).abs() < 3_000.0, "{d}");
        assert_eq!(results.hits[1].distance_m, None);
        let f = &results.facets;
        assert_eq!(
            f.categories
                .iter()
                .map(|(k, n)| (k.as_str(), *n))
                .collect::<Vec<_>>(),
            vec![("arts", 3), ("music", 2)]
        );
        assert_eq!((f.free, f.paid, f.online, f.in_person), (1, 1, 0, 2));
        assert_eq!(f.windows, vec![1]);
    }

    #[test]
    fn formatted_text_becomes_segments() {
        let text = format!("{MARK_START}Jazz{MARK_END} Concert by the {MARK_START}Wat{MARK_END}er");
        assert_eq!(
            render(&marked_segments(&text)),
            "[Jazz] Concert by the [Wat]er"
        );
        assert_eq!(render(&marked_segments("plain")), "plain");
        // a stray mark never leaks into the text
        assert_eq!(render(&marked_segments(&format!("a{MARK_END}b"))), "ab");
    }

    #[test]
    fn snippets_prefer_a_marked_description_then_summary() {
        let mut formatted = Map::new();
        formatted.insert("title".into(), Value::from("Listening Session"));
        formatted.insert("summary".into(), Value::from("Records"));
        formatted.insert(
            "description".into(),
            Value::from(format!("about {MARK_START}jazz{MARK_END} history")),
        );
        let (title, snippet) = highlights(&formatted);
        assert_eq!(render(&title), "Listening Session");
        assert_eq!(render(&snippet), "about [jazz] history");
        formatted.insert("description".into(), Value::from(""));
        assert_eq!(render(&highlights(&formatted).1), "Records");
    }

    #[test]
    fn documents_without_a_place_have_no_geo_field() {
        let doc = SearchDocument {
            id: 1,
            title: "t".into(),
            summary: String::new(),
            description: String::new(),
            tags: Vec::new(),
            category: "music".into(),
            venue: None,
            city: None,
            organizer: 1,
            start: 0,
            ends: 1,
            is_free: true,
            price: Some(0.0),
            is_online: true,
            quality: 0.5,
            geo: None,
        };
        let json = document_json(&doc);
        assert!(json.get("_geo").is_none());
        let back: SearchDocument = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, doc);
    }
}
