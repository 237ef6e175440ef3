//! The engine-neutral search request and answer that both adapters speak.
use std::collections::BTreeMap;

use crate::{
    domain::discovery::{geo::GeoPoint, SearchError},
    model::discovery::{Segment, MAX_QUERY_CHARS},
};

/// Meilisearch reads at most ten words of a query; both adapters do the same.
pub const MAX_QUERY_WORDS: usize = 10;
pub const MAX_PER_PAGE: u32 = 100;
/// Results past this are not reachable by paging (Meilisearch's `maxTotalHits`).
pub const MAX_TOTAL_HITS: u32 = 10_000;
/// Words in a snippet around the first match (Meilisearch's `cropLength`).
pub const CROP_WORDS: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sort {
    /// Best match first, then the curators' quality score.
    Relevance,
    StartAsc,
    /// Nearest to the point first; events without coordinates last.
    Distance(GeoPoint),
    QualityDesc,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radius {
    pub center: GeoPoint,
    pub metres: f64,
}

/// A time window as Unix seconds, `[from, to)`: an event falls in it if it overlaps it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

impl Window {
    pub fn overlaps(&self, start: i64, ends: i64) -> bool {
        start < self.to && ends > self.from
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Any of these category slugs (empty: all).
    pub categories: Vec<String>,
    /// Every one of these tags.
    pub tags: Vec<String>,
    pub free: Option<bool>,
    /// Inclusive bounds on `price`; events without a known price never match a bound.
    pub price_min: Option<f64>,
    pub price_max: Option<f64>,
    pub online: Option<bool>,
    pub window: Option<Window>,
    /// Only events that have not ended by then (Unix seconds): "upcoming".
    pub ends_after: Option<i64>,
    pub organizer: Option<i32>,
    pub radius: Option<Radius>,
}

/// Facet groups are disjunctive: each group's counts apply every filter except the group's own,
/// so choosing one category still shows how many the others have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetRequest {
    /// Count per category, per free/paid and per online/in person.
    pub values: bool,
    /// Count per window (for date presets).
    pub windows: Vec<Window>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    /// Where distances in results are measured from (the radius' centre or the sort's point
    /// unless set).
    pub point: Option<GeoPoint>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub facets: FacetRequest,
    /// Mark matches in titles and cut a snippet around the first match of the description.
    pub highlight: bool,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            point: None,
            page: 1,
            per_page: 20,
            facets: FacetRequest::default(),
            highlight: false,
        }
    }
}

impl SearchQuery {
    pub fn text(text: &str) -> Self {
        SearchQuery {
            text: text.to_owned(),
            ..Default::default()
        }
    }

    /// Refuses what no engine should be asked: overlong text, nonsense paging or numbers.
    pub fn validate(&self) -> Result<(), SearchError> {
        if self.text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::Invalid(format!(
                "Searches are at most {MAX_QUERY_CHARS} characters."
            )));
        }
        if self.page == 0 || self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(SearchError::Invalid(format!(
                "Pages start at 1 and hold 1 to {MAX_PER_PAGE} results."
            )));
        }
        if u64::from(self.page - 1) * u64::from(self.per_page) >= u64::from(MAX_TOTAL_HITS) {
            return Err(SearchError::Invalid(format!(
                "Only the first {MAX_TOTAL_HITS} results can be paged through; narrow the search."
            )));
        }
        let f = &self.filters;
        let numbers = [f.price_min, f.price_max, f.radius.map(|r| r.metres)];
        let points = [f.radius.map(|r| r.center), self.point, self.sort_point()];
        if numbers.iter().flatten().any(|v| !v.is_finite() || *v < 0.0)
            || points
                .iter()
                .flatten()
                .any(|p| !(p.lat.abs() <= 90.0 && p.lng.abs() <= 180.0))
        {
            return Err(SearchError::Invalid(
                "Prices, distances and positions must be real, non-negative numbers.".into(),
            ));
        }
        Ok(())
    }

    pub fn sort_point(&self) -> Option<GeoPoint> {
        match self.sort {
            Sort::Distance(p) => Some(p),
            _ => None,
        }
    }

    /// The point distances are reported from.
    pub fn distance_from(&self) -> Option<GeoPoint> {
        self.point
            .or(self.sort_point())
            .or(self.filters.radius.map(|r| r.center))
    }

    pub fn offset(&self) -> usize {
        ((self.page - 1) * self.per_page) as usize
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexHit {
    pub id: i32,
    pub distance_m: Option<f64>,
    /// The title with its matches marked (when highlighting was asked for).
    pub title: Vec<Segment>,
    /// A short cut of the summary or description around the first match.
    pub snippet: Vec<Segment>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    pub categories: BTreeMap<String, u64>,
    pub free: u64,
    pub paid: u64,
    pub online: u64,
    pub in_person: u64,
    /// Parallel to the request's windows.
    pub windows: Vec<u64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// All matches (capped at `MAX_TOTAL_HITS`).
    pub total: u64,
    pub hits: Vec<IndexHit>,
    pub facets: Facets,
}

/// Plain text split into marked and unmarked pieces, merging neighbours of the same kind.
pub fn segments(pieces: impl IntoIterator<Item = (String, bool)>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for (text, marked) in pieces {
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.marked == marked => last.text.push_str(&text),
            _ => out.push(Segment { text, marked }),
        }
    }
    out
}

/// Segments as text with marked parts in brackets, for assertions.
#[cfg(test)]
pub fn render_marked(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| {
            if s.marked {
                format!("[{}]", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}
