//! Discovery's shared types: the search page's parameters (its URL), results, facets,
//! suggestions and the home page's sections.
use serde::{Deserialize, Serialize};

use crate::model::{events::EventCard, taxonomy::Category};

slug_enum!(
    SortOrder {
        Relevance = "relevance", "Best match";
        Soonest = "soonest", "Soonest";
        Nearest = "nearest", "Nearest";
        Quality = "quality", "Curators' rating";
    }
);

slug_enum!(
    /// Date presets, in the searcher's time zone. A weekend runs from Friday 18:00 to Sunday night.
    DatePreset {
        Today = "today", "Today";
        Tomorrow = "tomorrow", "Tomorrow";
        Weekend = "weekend", "This weekend";
        Week = "week", "Next 7 days";
        Custom = "custom", "Choose dates";
    }
);

slug_enum!(
    PriceFilter {
        Free = "free", "Free";
        Paid = "paid", "Paid";
    }
);

slug_enum!(
    Format {
        InPerson = "in_person", "In person";
        Online = "online", "Online";
    }
);

slug_enum!(
    /// Where "distance" is measured from: the browser's position (`lat`/`lng`, with consent) or
    /// the home city of the signed-in person's profile.
    NearPoint {
        Here = "here", "My location";
        Home = "home", "My home city";
    }
);

pub const MAX_QUERY_CHARS: usize = 200;

pub const MIN_RADIUS_KM: u32 = 1;

pub const MAX_RADIUS_KM: u32 = 100;

pub const DEFAULT_RADIUS_KM: u32 = 10;

pub const PER_PAGE: u32 = 20;

pub const MAX_PAGE: u32 = 50;

/// The whole state of a search, as carried by the URL: shareable, and the back button works.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    pub categories: Vec<String>,
    pub when: Option<DatePreset>,
    /// `YYYY-MM-DD`, for `when=custom`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub price: Option<PriceFilter>,
    pub min_price: Option<f64>,
    pub max_price: Option<f64>,
    pub format: Option<Format>,
    pub near: Option<NearPoint>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub radius_km: Option<u32>,
    pub sort: Option<SortOrder>,
    pub page: u32,
    /// The browser's IANA time zone, which "today" and "this weekend" are counted in.
    pub tz: Option<String>,
}

/// A part of a search URL that could not be understood and was left out (or, for prices,
/// corrected); the page explains it in the reader's language (`label_in`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SearchProblem {
    UnknownCategory(String),
    UnknownDateChoice,
    BadDate(String),
    UnknownPriceChoice,
    BadAmount,
    UnknownFormat,
    UnknownPlace,
    BadPosition,
    BadRadius,
    UnknownSort,
    BadPage,
    QueryTooLong,
    PricesSwapped,
}

impl SearchParams {
    /// Reads URL query pairs. Values that cannot be understood are left out and explained in the
    /// returned problems, so a bad link still shows a search rather than an error page.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Self, Vec<SearchProblem>) {
        let mut p = SearchParams::default();
        let mut problems = Vec::new();
        let mut bad = |what: SearchProblem| problems.push(what);
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => p.q = value.to_owned(),
                "cat" | "category" => match Category::from_slug(value) {
                    Some(c) if !p.categories.iter().any(|s| s == c.slug()) => {
                        p.categories.push(c.slug().to_owned())
                    }
                    Some(_) => {}
                    None => bad(SearchProblem::UnknownCategory(
                        value.chars().take(60).collect(),
                    )),
                },
                "when" => match DatePreset::parse(value) {
                    Some(w) => p.when = Some(w),
                    None => bad(SearchProblem::UnknownDateChoice),
                },
                "from" | "to" => match is_iso_date(value) {
                    true if key == "from" => p.from = Some(value.to_owned()),
                    true => p.to = Some(value.to_owned()),
                    false => bad(SearchProblem::BadDate(value.chars().take(60).collect())),
                },
                "price" => match PriceFilter::parse(value) {
                    Some(v) => p.price = Some(v),
                    None => bad(SearchProblem::UnknownPriceChoice),
                },
                "min" | "max" => match value.replace(',', ".").parse::<f64>() {
                    Ok(v) if v.is_finite() && (0.0..=100_000.0).contains(&v) => {
                        if key == "min" {
                            p.min_price = Some(v)
                        } else {
                            p.max_price = Some(v)
                        }
                    }
                    _ => bad(SearchProblem::BadAmount),
                },
                "format" => match Format::parse(value) {
                    Some(v) => p.format = Some(v),
                    None => bad(SearchProblem::UnknownFormat),
                },
                "near" => match NearPoint::parse(value) {
                    Some(v) => p.near = Some(v),
                    None => bad(SearchProblem::UnknownPlace),
                },
                "lat" | "lng" => {
                    let limit = if key == "lat" { 90.0 } else { 180.0 };
                    match value.parse::<f64>() {
                        Ok(v) if v.is_finite() && v.abs() <= limit => {
                            if key == "lat" {
                                p.lat = Some(v)
                            } else {
                                p.lng = Some(v)
                            }
                        }
                        _ => bad(SearchProblem::BadPosition),
                    }
                }
                "radius" => match value.parse::<u32>() {
                    Ok(v) if (MIN_RADIUS_KM..=MAX_RADIUS_KM).contains(&v) => p.radius_km = Some(v),
                    _ => bad(SearchProblem::BadRadius),
                },
                "sort" => match SortOrder::parse(value) {
                    Some(v) => p.sort = Some(v),
                    None => bad(SearchProblem::UnknownSort),
                },
                "page" => match value.parse::<u32>() {
                    Ok(v) if (1..=MAX_PAGE).contains(&v) => p.page = v,
                    _ => bad(SearchProblem::BadPage),
                },
                "tz" => p.tz = Some(value.to_owned()),
                _ => {}
            }
        }
        if p.q.chars().count() > MAX_QUERY_CHARS {
            bad(SearchProblem::QueryTooLong);
            p.q = p.q.chars().take(MAX_QUERY_CHARS).collect();
        }
        if p.near == Some(NearPoint::Here) && (p.lat.is_none() || p.lng.is_none()) {
            p.near = None;
        }
        if p.near.is_none() && p.lat.is_some() && p.lng.is_some() {
            p.near = Some(NearPoint::Here);
        }
        if let (Some(min), Some(max)) = (p.min_price, p.max_price) {
            if min > max {
                bad(SearchProblem::PricesSwapped);
                (p.min_price, p.max_price) = (Some(max), Some(min));
            }
        }
        if p.when != Some(DatePreset::Custom) && (p.from.is_some() || p.to.is_some()) {
            p.when = Some(DatePreset::Custom);
        }
        (p, problems)
    }

    /// The URL query string (without `?`) that `parse` reads back into the same state.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        for c in &self.categories {
            pairs.push(("cat", c.clone()));
        }
        if let Some(w) = self.when {
            pairs.push(("when", w.as_str().into()));
        }
        if self.when == Some(DatePreset::Custom) {
            if let Some(v) = &self.from {
                pairs.push(("from", v.clone()));
            }
            if let Some(v) = &self.to {
                pairs.push(("to", v.clone()));
            }
        }
        if let Some(v) = self.price {
            pairs.push(("price", v.as_str().into()));
        }
        if let Some(v) = self.min_price {
            pairs.push(("min", v.to_string()));
        }
        if let Some(v) = self.max_price {
            pairs.push(("max", v.to_string()));
        }
        if let Some(v) = self.format {
            pairs.push(("format", v.as_str().into()));
        }
        if let Some(v) = self.near {
            pairs.push(("near", v.as_str().into()));
            if v == NearPoint::Here {
                if let (Some(lat), Some(lng)) = (self.lat, self.lng) {
                    pairs.push(("lat", format!("{lat:.4}")));
                    pairs.push(("lng", format!("{lng:.4}")));
                }
            }
            if let Some(r) = self.radius_km {
                pairs.push(("radius", r.to_string()));
            }
        }
        if let Some(v) = self.sort {
            pairs.push(("sort", v.as_str().into()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if let Some(tz) = &self.tz {
            pairs.push(("tz", tz.clone()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn href(&self) -> String {
        match self.to_query() {
            q if q.is_empty() => "/search".into(),
            q => format!("/search?{q}"),
        }
    }

    /// The same search with something changed, back on its first page.
    pub fn with(&self, change: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut next = self.clone();
        change(&mut next);
        next.page = 0;
        next
    }

    pub fn has_filters(&self) -> bool {
        !self.categories.is_empty()
            || self.when.is_some()
            || self.price.is_some()
            || self.min_price.is_some()
            || self.max_price.is_some()
            || self.format.is_some()
            || self.near.is_some()
    }

    pub fn sort_or_default(&self) -> SortOrder {
        self.sort.unwrap_or(if self.q.trim().is_empty() {
            SortOrder::Soonest
        } else {
            SortOrder::Relevance
        })
    }
}

fn is_iso_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Percent-encodes a URL query value (UTF-8, everything but unreserved characters).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A piece of text, marked where it matched the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub card: EventCard,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
    /// "2.4 km away", when the search has a point to measure from.
    pub distance: Option<String>,
}

/// How many results each filter value would give, with the other filters as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// (slug, label, count) for every category.
    pub categories: Vec<(String, String, u64)>,
    /// (preset, count) for the presets other than `Custom`.
    pub dates: Vec<(DatePreset, u64)>,
    pub free: u64,
    pub paid: u64,
    pub in_person: u64,
    pub online: u64,
}

/// A way out of an empty result: a link with what it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hint {
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub params: SearchParams,
    /// Parts of the URL that could not be understood and were left out.
    pub problems: Vec<String>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub hits: Vec<SearchHit>,
    pub facets: FacetCounts,
    pub hints: Vec<Hint>,
    /// What distance is measured from, when it is: "your location", "Berlin (your profile)".
    pub point_label: Option<String>,
    /// Whether the signed-in person has a home city with coordinates to search around.
    pub has_home: bool,
}

slug_enum!(
    SuggestionKind {
        Event = "event", "Event";
        Category = "category", "Category";
        Venue = "venue", "Venue";
        City = "city", "City";
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub label: String,
    pub href: String,
}

/// The home page's sections that come from the search index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HomeSections {
    /// The signed-in person's first recommendations, each with its reason.
    #[serde(default)]
    pub for_you: Vec<EventCard>,
    /// The ranker that made `for_you`.
    #[serde(default)]
    pub for_you_variant: Option<String>,
    /// Events gaining attention now, each with its reason; the curators' favourites of the next
    /// two weeks while too few are (`trending_is_picks`).
    pub trending: Vec<EventCard>,
    #[serde(default)]
    pub trending_is_picks: bool,
    pub weekend: Vec<EventCard>,
    /// Where "this weekend" is near, when it is near somewhere.
    pub weekend_near: Option<String>,
    pub weekend_href: String,
}

/// Splits a query string into decoded pairs (`+` is a space, as browsers send GET forms).
pub fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn decode_component(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> (SearchParams, Vec<SearchProblem>) {
        let pairs = url_pairs(query);
        SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn the_url_round_trips() {
        let (p, problems) = parse(
            "q=jazz+night%21&cat=music&cat=arts&when=custom&from=2026-12-01&to=2026-12-03\
             &price=paid&min=5&max=20.5&format=in_person&near=here&lat=52.52&lng=13.405\
             &radius=25&sort=nearest&page=3&tz=Europe%2FBerlin",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(p.q, "jazz night!");
        assert_eq!(p.categories, ["music", "arts"]);
        assert_eq!(p.radius_km, Some(25));
        assert_eq!(p.tz.as_deref(), Some("Europe/Berlin"));
        let (again, _) = parse(&p.to_query());
        assert_eq!(again, p);
    }

    #[test]
    fn bad_values_are_left_out_and_explained() {
        let (p, problems) = parse("cat=astrology&radius=500&page=0&min=-3&lat=91&q=ok&sort=x");
        assert_eq!(p.q, "ok");
        assert!(p.categories.is_empty() && p.radius_km.is_none() && p.lat.is_none());
        assert_eq!(
            problems,
            [
                SearchProblem::UnknownCategory("astrology".into()),
                SearchProblem::BadRadius,
                SearchProblem::BadPage,
                SearchProblem::BadAmount,
                SearchProblem::BadPosition,
                SearchProblem::UnknownSort,
            ]
        );
        let (p, problems) = parse(&format!("q={}", "a".repeat(10_000)));
        assert_eq!(p.q.len(), MAX_QUERY_CHARS);
        assert_eq!(problems, [SearchProblem::QueryTooLong]);
        // unbalanced escapes decode to something rather than failing
        assert_eq!(url_pairs("q=%E2%82&x=%zz%")[0].0, "q");
    }

    #[test]
    fn swapped_prices_and_dates_imply_custom() {
        let (p, problems) = parse("min=30&max=10&from=2026-01-01");
        assert_eq!((p.min_price, p.max_price), (Some(10.0), Some(30.0)));
        assert_eq!(problems, [SearchProblem::PricesSwapped]);
        assert_eq!(p.when, Some(DatePreset::Custom));
    }
}
