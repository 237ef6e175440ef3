//! `cargo bench -p server --bench search`: latency and throughput of discovery searches.
//!
//! Generates LINEUP_BENCH_EVENTS (default 100,000) synthetic events from a fixed seed, builds
//! the embedded index from them (timed: open + `replace_all`), then runs a fixed mix of queries
//! — a quarter each of free text (with typos and unfinished words), text + filters, geo +
//! distance sort, and facet counts — 200 as warm-up and LINEUP_BENCH_QUERIES (default 2,000)
//! measured one after another for p50/p95/p99 latency, then the same measured queries again
//! from two concurrent tasks on a two-worker runtime for queries per second.
//!
//! When MEILI_URL is set (MEILI_MASTER_KEY optional) the same is done against Meilisearch, in
//! the index `bench_events`; a failure there is printed and the bench goes on.
//!
//! Targets on a 2-core machine: index build under 60 s, p99 under 20 ms, at least 1,000
//! queries/second; a missed target is reported as a warning, not a failure.
//! The last line of output is one JSON object with the embedded figures (and Meilisearch's
//! under `meilisearch` when it was measured).
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use app::domain::discovery::{
    geo::GeoPoint,
    query::{FacetRequest, Filters, Radius, Sort, Window},
    EmbeddedIndex, MeiliIndex, SearchDocument, SearchIndex, SearchQuery,
};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::runtime::Runtime;

const DATA_SEED: u64 = 0x11E0_2024;
const WARMUP_SEED: u64 = 7;
const QUERY_SEED: u64 = 42;
const WARMUP_QUERIES: usize = 200;
/// Concurrent searchers for the throughput run: one per core of the target machine.
const TASKS: usize = 2;
const MEILI_UID: &str = "bench_events";

const TARGET_BUILD_S: f64 = 60.0;
const TARGET_P99_MS: f64 = 20.0;
const TARGET_QPS: f64 = 1000.0;

const DAY: i64 = 86_400;

fn main() {
    let events = env_usize("LINEUP_BENCH_EVENTS", 100_000);
    let queries = env_usize("LINEUP_BENCH_QUERIES", 2_000).max(1);
    let now = {
        let t = chrono::Utc::now().timestamp();
        t - t.rem_euclid(3600)
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(TASKS)
        .enable_all()
        .build()
        .expect("cannot start the tokio runtime");

    let started = Instant::now();
    let docs = generate(events, now);
    println!(
        "generated {} events in {:.2} s",
        docs.len(),
        started.elapsed().as_secs_f64()
    );
    let warmup = query_mix(WARMUP_QUERIES, WARMUP_SEED, now);
    let measured = Arc::new(query_mix(queries, QUERY_SEED, now));

    // Embedded: open a fresh index on disk and fill it in one replace.
    let dir = tempfile::tempdir().expect("cannot create a temporary directory for the index");
    let started = Instant::now();
    let embedded = EmbeddedIndex::open(dir.path())
        .unwrap_or_else(|e| panic!("cannot open the embedded index: {e}"));
    rt.block_on(embedded.replace_all(&docs))
        .unwrap_or_else(|e| panic!("cannot build the embedded index: {e}"));
    let build_s = started.elapsed().as_secs_f64();
    let indexed = embedded.len();
    if indexed != docs.len() as u64 {
        println!(
            "WARNING: embedded index holds {indexed} documents, {} were written",
            docs.len()
        );
    }
    let embedded: Arc<dyn SearchIndex> = Arc::new(embedded);
    let stats = measure(&rt, &embedded, build_s, &warmup, &measured);
    drop(embedded);
    stats.report(docs.len());
    let mut last = stats.json(docs.len());

    // Meilisearch, when configured.
    if let Some(url) = std::env::var("MEILI_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        let url = url.trim().to_owned();
        let key = std::env::var("MEILI_MASTER_KEY")
            .ok()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty());
        let meili_line = match meili(&rt, &url, key.as_deref(), &docs, &warmup, &measured) {
            Ok(stats) => {
                stats.report(docs.len());
                let line = stats.json(docs.len());
                println!("{line}");
                line
            }
            Err(e) => {
                println!("meilisearch at {url}: {e}");
                serde_json::json!({ "backend": "meilisearch", "error": e })
            }
        };
        if let Some(obj) = last.as_object_mut() {
            obj.insert("meilisearch".into(), meili_line);
        }
    }

    drop(rt);
    drop(dir);
    println!("{last}");
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

/// Builds the Meilisearch index (client, settings, documents: timed together) and measures it.
fn meili(
    rt: &Runtime,
    url: &str,
    key: Option<&str>,
    docs: &[SearchDocument],
    warmup: &[Bench],
    measured: &Arc<Vec<Bench>>,
) -> Result<Stats, String> {
    let started = Instant::now();
    let index = rt.block_on(async {
        let index = MeiliIndex::new(url, key, MEILI_UID).map_err(|e| e.to_string())?;
        index.prepare().await.map_err(|e| e.to_string())?;
        index.replace_all(docs).await.map_err(|e| e.to_string())?;
        Ok::<_, String>(index)
    })?;
    let build_s = started.elapsed().as_secs_f64();
    let index: Arc<dyn SearchIndex> = Arc::new(index);
    let stats = measure(rt, &index, build_s, warmup, measured);
    if stats.latencies.is_empty() {
        return Err(format!(
            "every query failed: {}",
            stats.first_error.as_deref().unwrap_or("no error given")
        ));
    }
    Ok(stats)
}

// ---------------------------------------------------------------------------------------------
// Measuring

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Filtered,
    Geo,
    Facets,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Text, Kind::Filtered, Kind::Geo, Kind::Facets];

    fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Filtered => "text_filters",
            Kind::Geo => "geo_sort",
            Kind::Facets => "facets",
        }
    }
}

struct Bench {
    kind: Kind,
    query: SearchQuery,
}

struct Stats {
    backend: &'static str,
    build_s: f64,
    /// Successful queries' latencies in milliseconds, in the order they ran.
    latencies: Vec<(Kind, f64)>,
    queries: usize,
    errors: usize,
    first_error: Option<String>,
    /// Successful queries that matched nothing.
    empty: usize,
    qps: f64,
    qps_errors: usize,
}

fn measure(
    rt: &Runtime,
    index: &Arc<dyn SearchIndex>,
    build_s: f64,
    warmup: &[Bench],
    measured: &Arc<Vec<Bench>>,
) -> Stats {
    let mut stats = Stats {
        backend: index.backend(),
        build_s,
        latencies: Vec::with_capacity(measured.len()),
        queries: measured.len(),
        errors: 0,
        first_error: None,
        empty: 0,
        qps: 0.0,
        qps_errors: 0,
    };

    // Latency: one query at a time.
    rt.block_on(async {
        for b in warmup {
            let _ = index.search(&b.query).await;
        }
        for b in measured.iter() {
            let sent = Instant::now();
            let result = index.search(&b.query).await;
            let ms = sent.elapsed().as_secs_f64() * 1000.0;
            match result {
                Ok(results) => {
                    if results.total == 0 {
                        stats.empty += 1;
                    }
                    stats.latencies.push((b.kind, ms));
                }
                Err(e) => {
                    stats.errors += 1;
                    stats.first_error.get_or_insert_with(|| e.to_string());
                }
            }
        }
    });

    // Throughput: the measured queries split between concurrent tasks, one per worker.
    let started = Instant::now();
    let (ok, failed) = rt.block_on(async {
        let chunk = measured.len().div_ceil(TASKS).max(1);
        let tasks: Vec<_> = (0..TASKS)
            .map(|t| {
                let index = index.clone();
                let measured = measured.clone();
                tokio::spawn(async move {
                    let to = ((t + 1) * chunk).min(measured.len());
                    let from = (t * chunk).min(to);
                    let (mut ok, mut failed) = (0usize, 0usize);
                    for b in &measured[from..to] {
                        match index.search(&b.query).await {
                            Ok(_) => ok += 1,
                            Err(_) => failed += 1,
                        }
                    }
                    (ok, failed)
                })
            })
            .collect();
        let (mut ok, mut failed) = (0usize, 0usize);
        for task in tasks {
            let (o, f) = task.await.expect("a throughput task panicked");
            ok += o;
            failed += f;
        }
        (ok, failed)
    });
    let elapsed = started.elapsed().max(Duration::from_nanos(1));
    stats.qps = ok as f64 / elapsed.as_secs_f64();
    stats.qps_errors = failed;
    stats
}

fn sorted(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Nearest-rank percentile of sorted values, rounded to two decimals.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    round2(sorted[i.min(sorted.len() - 1)])
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl Stats {
    fn all(&self) -> Vec<f64> {
        sorted(self.latencies.iter().map(|(_, ms)| *ms))
    }

    fn of(&self, kind: Kind) -> Vec<f64> {
        sorted(
            self.latencies
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, ms)| *ms),
        )
    }

    fn report(&self, events: usize) {
        let b = self.backend;
        let all = self.all();
        let p99 = percentile(&all, 0.99);
        println!(
            "{b}: index build {:.2} s for {events} events (target < {TARGET_BUILD_S} s)",
            self.build_s
        );
        println!(
            "{b}: latency p50 {:.2} ms, p95 {:.2} ms, p99 {p99:.2} ms over {} queries \
             (target p99 < {TARGET_P99_MS} ms)",
            percentile(&all, 0.50),
            percentile(&all, 0.95),
            all.len(),
        );
        for kind in Kind::ALL {
            let v = self.of(kind);
            println!(
                "{b}:   {:<12} p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} queries)",
                kind.name(),
                percentile(&v, 0.50),
                percentile(&v, 0.95),
                percentile(&v, 0.99),
                v.last().copied().map_or(0.0, round2),
                v.len(),
            );
        }
        println!(
            "{b}: throughput {:.1} queries/s from {TASKS} concurrent tasks (target >= {TARGET_QPS})",
            self.qps
        );
        println!(
            "{b}: {} of {} queries matched nothing",
            self.empty, self.queries
        );
        if self.errors > 0 || self.qps_errors > 0 {
            println!(
                "WARNING: {b}: {} queries failed in the latency run and {} in the throughput run; \
                 first error: {}",
                self.errors,
                self.qps_errors,
                self.first_error.as_deref().unwrap_or("-"),
            );
        }
        if self.build_s >= TARGET_BUILD_S {
            println!(
                "WARNING: {b}: index build took {:.2} s, target is under {TARGET_BUILD_S} s",
                self.build_s
            );
        }
        if p99 >= TARGET_P99_MS {
            println!("WARNING: {b}: p99 is {p99:.2} ms, target is under {TARGET_P99_MS} ms");
        }
        if self.qps < TARGET_QPS {
            println!(
                "WARNING: {b}: {:.1} queries/s, target is at least {TARGET_QPS}",
                self.qps
            );
        }
    }

    fn json(&self, events: usize) -> serde_json::Value {
        let all = self.all();
        let mut by_kind = serde_json::Map::new();
        for kind in Kind::ALL {
            let v = self.of(kind);
            by_kind.insert(
                kind.name().into(),
                serde_json::json!({
                    "p50_ms": percentile(&v, 0.50),
                    "p95_ms": percentile(&v, 0.95),
                    "p99_ms": percentile(&v, 0.99),
                }),
            );
        }
        serde_json::json!({
            "events": events,
            "queries": self.queries,
            "p50_ms": percentile(&all, 0.50),
            "p95_ms": percentile(&all, 0.95),
            "p99_ms": percentile(&all, 0.99),
            "qps": (self.qps * 10.0).round() / 10.0,
            "index_build_s": round2(self.build_s),
            "backend": self.backend,
            "errors": self.errors + self.qps_errors,
            "empty_results": self.empty,
            "by_kind": by_kind,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic data

const CATEGORIES: &[&str] = &[
    "music",
    "arts",
    "food-drink",
    "tech",
    "sports",
    "wellness",
    "community",
    "nightlife",
    "family",
    "education",
    "business",
    "outdoors",
];

struct Topic {
    /// As it appears in titles.
    name: &'static str,
    category: &'static str,
    /// Lower-case words about the topic: in descriptions, tags and queries.
    words: &'static [&'static str],
}

const fn topic(
    name: &'static str,
    category: &'static str,
    words: &'static [&'static str],
) -> Topic {
    Topic {
        name,
        category,
        words,
    }
}

#[rustfmt::skip]
static TOPICS: &[Topic] = &[
    topic("Jazz", "music", &["jazz", "saxophone", "swing", "improvisation"]),
    topic("Techno", "music", &["techno", "electronic", "synthesizer", "rave"]),
    topic("Choir", "music", &["choir", "singing", "harmony", "vocals"]),
    topic("Folk", "music", &["folk", "acoustic", "guitar", "ballads"]),
    topic("Pottery", "arts", &["pottery", "ceramics", "clay", "wheel"]),
    topic("Painting", "arts", &["painting", "watercolour", "canvas", "brushes"]),
    topic("Photography", "arts", &["photography", "camera", "portraits", "darkroom"]),
    topic("Poetry", "arts", &["poetry", "spoken", "verses", "readings"]),
    topic("Wine", "food-drink", &["wine", "tasting", "vineyard", "sommelier"]),
    topic("Coffee", "food-drink", &["coffee", "espresso", "roasting", "barista"]),
    topic("Sourdough", "food-drink", &["sourdough", "baking", "bread", "fermentation"]),
    topic("Cocktail", "food-drink", &["cocktail", "mixology", "gin", "bitters"]),
    topic("Rust", "tech", &["rust", "programming", "compiler", "systems"]),
    topic("Python", "tech", &["python", "programming", "data", "notebooks"]),
    topic("Robotics", "tech", &["robotics", "arduino", "sensors", "electronics"]),
    topic("Running", "sports", &["running", "marathon", "jogging", "pace"]),
    topic("Climbing", "sports", &["climbing", "bouldering", "ropes", "wall"]),
    topic("Football", "sports", &["football", "match", "league", "goals"]),
    topic("Yoga", "wellness", &["yoga", "stretching", "asanas", "flow"]),
    topic("Meditation", "wellness", &["meditation", "mindfulness", "breathing", "silence"]),
    topic("Breathwork", "wellness", &["breathwork", "relaxation", "breathing", "sauna"]),
    topic("Volunteering", "community", &["volunteering", "charity", "cleanup", "neighbours"]),
    topic("Gardening", "community", &["gardening", "plants", "compost", "seeds"]),
    topic("Board Game", "community", &["board", "boardgames", "dice", "strategy"]),
    topic("Karaoke", "nightlife", &["karaoke", "singing", "microphone", "hits"]),
    topic("Disco", "nightlife", &["disco", "funk", "dancefloor", "vinyl"]),
    topic("Salsa", "nightlife", &["salsa", "latin", "dancing", "bachata"]),
    topic("Puppetry", "family", &["puppetry", "puppets", "theatre", "kids"]),
    topic("Storytelling", "family", &["storytelling", "stories", "fairytales", "kids"]),
    topic("Lego", "family", &["lego", "bricks", "building", "kids"]),
    topic("Chess", "education", &["chess", "openings", "tournament", "strategy"]),
    topic("History", "education", &["history", "archives", "medieval", "museum"]),
    topic("Astronomy", "education", &["astronomy", "telescope", "stars", "planets"]),
    topic("Marketing", "business", &["marketing", "branding", "growth", "campaigns"]),
    topic("Networking", "business", &["networking", "founders", "startups", "pitching"]),
    topic("Leadership", "business", &["leadership", "management", "coaching", "teams"]),
    topic("Hiking", "outdoors", &["hiking", "trail", "mountains", "nature"]),
    topic("Kayaking", "outdoors", &["kayaking", "paddling", "river", "canoe"]),
    topic("Birdwatching", "outdoors", &["birdwatching", "birds", "binoculars", "wetlands"]),
    topic("Cycling", "outdoors", &["cycling", "bikes", "gravel", "touring"]),
];

const FORMATS: &[&str] = &[
    "Session",
    "Workshop",
    "Meetup",
    "Night",
    "Class",
    "Tour",
    "Festival",
    "Talk",
    "Jam",
    "Masterclass",
    "Social",
    "Evening",
    "Showcase",
    "Retreat",
    "Club",
];

const ADJECTIVES: &[&str] = &[
    "Late-night",
    "Beginner",
    "Advanced",
    "Weekly",
    "Open",
    "Sunday",
    "Midweek",
    "Summer",
    "Autumn",
    "Intimate",
    "Outdoor",
    "Rooftop",
    "Friendly",
    "Experimental",
    "Classic",
    "Acoustic",
    "Sunrise",
    "Monthly",
    "Grand",
    "Cosy",
];

struct City {
    name: &'static str,
    lat: f64,
    lng: f64,
}

#[rustfmt::skip]
static CITIES: &[City] = &[
    City { name: "Berlin", lat: 52.5200, lng: 13.4050 },
    City { name: "Lisbon", lat: 38.7223, lng: -9.1393 },
    City { name: "Paris", lat: 48.8566, lng: 2.3522 },
    City { name: "Madrid", lat: 40.4168, lng: -3.7038 },
    City { name: "Rome", lat: 41.9028, lng: 12.4964 },
    City { name: "Vienna", lat: 48.2082, lng: 16.3738 },
    City { name: "Prague", lat: 50.0755, lng: 14.4378 },
    City { name: "Amsterdam", lat: 52.3676, lng: 4.9041 },
    City { name: "Copenhagen", lat: 55.6761, lng: 12.5683 },
    City { name: "Warsaw", lat: 52.2297, lng: 21.0122 },
];

const VENUE_KINDS: &[&str] = &[
    "Town Hall",
    "Riverside Studio",
    "Old Market Hall",
    "Art Factory",
    "Community Centre",
    "Harbour Club",
    "Central Library",
    "Park Pavilion",
    "Warehouse Nine",
    "Garden Loft",
    "Corner Bar",
    "Student House",
    "Glasshouse",
    "Cellar Stage",
];

const GENERIC_TAGS: &[&str] = &[
    "beginners",
    "english",
    "outdoor",
    "indoor",
    "social",
    "kids",
    "accessible",
    "live",
    "weekly",
    "students",
    "evening",
    "weekend",
];

const AUDIENCES: &[&str] = &[
    "beginners",
    "families",
    "night owls",
    "curious minds",
    "locals and visitors",
    "students",
    "professionals",
    "newcomers",
];

const EXTRAS: &[&str] = &[
    "drinks",
    "snacks",
    "live music",
    "new friends",
    "great views",
    "plenty of questions",
];

/// The general vocabulary of descriptions and queries (topic words come on top).
#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    "evening", "friends", "together", "learn", "share", "music", "space", "local", "community",
    "hands", "session", "guests", "artists", "experience", "practice", "welcome", "everyone",
    "beginners", "people", "city", "weekend", "drinks", "snacks", "tickets", "limited", "places",
    "bring", "open", "discover", "explore", "enjoy", "relaxed", "atmosphere", "friendly", "night",
    "morning", "afternoon", "venue", "stage", "garden", "terrace", "studio", "kitchen", "library",
    "market", "harbour", "park", "courtyard", "warehouse", "gallery", "basement", "rooftop",
    "neighbourhood", "tradition", "modern", "classic", "stories", "ideas", "conversation",
    "questions", "answers", "techniques", "skills", "tools", "materials", "included", "provided",
    "language", "english", "german", "french", "spanish", "italian", "portuguese", "polish",
    "czech", "danish", "dutch", "host", "hosts", "team", "volunteers", "organisers", "partners",
    "collective", "club", "society", "school", "academy", "festival", "season", "series",
    "edition", "programme", "schedule", "break", "start", "finish", "doors", "entry", "donation",
    "free", "price", "discount", "students", "seniors", "children", "families", "parents", "dogs",
    "wheelchair", "accessible", "quiet", "loud", "energetic", "calm", "creative", "curious",
    "passionate", "experienced", "professional", "amateur", "informal", "casual", "intense",
    "gentle", "playful", "serious", "inspiring", "practical", "theory", "exercise", "games",
    "challenge", "prize", "winners", "groups", "pairs", "solo", "partner", "dance", "sing",
    "listen", "watch", "taste", "cook", "build", "make", "create", "write", "read", "play", "move",
    "walk", "talk", "meet", "connect", "network", "celebrate", "support", "help", "grow",
    "improve", "sustainable", "green", "recycled", "seasonal", "organic", "vegan", "vegetarian",
    "homemade", "fresh", "warm", "cold", "summer", "winter", "spring", "autumn", "sunset",
    "sunrise", "lights", "sound", "colour", "paper", "wood", "glass", "fabric", "screen",
    "laptop", "phone", "map", "route", "lake", "forest", "beach", "bridge", "tower", "square",
    "station", "island", "canal", "hill", "valley", "castle", "cathedral", "theatre", "cinema",
    "concert", "exhibition", "lecture", "screening", "performance", "reading", "tasting", "class",
    "course", "lesson", "workshop", "meetup", "gathering", "party", "picnic", "brunch", "dinner",
    "lunch", "breakfast", "midnight", "tonight", "tomorrow",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A point uniformly within `radius_m` of the city centre.
fn jitter(rng: &mut ChaCha8Rng, city: &City, radius_m: f64) -> GeoPoint {
    let r = radius_m * rng.gen::<f64>().sqrt();
    let angle = rng.gen::<f64>() * std::f64::consts::TAU;
    let dlat = r * angle.cos() / 111_320.0;
    let dlng = r * angle.sin() / (111_320.0 * city.lat.to_radians().cos());
    GeoPoint {
        lat: city.lat + dlat,
        lng: city.lng + dlng,
    }
}

fn generate(n: usize, now: i64) -> Vec<SearchDocument> {
    let mut rng = ChaCha8Rng::seed_from_u64(DATA_SEED);
    (0..n)
        .map(|i| document(&mut rng, i as i32 + 1, now))
        .collect()
}

fn document(rng: &mut ChaCha8Rng, id: i32, now: i64) -> SearchDocument {
    let topic = pick(rng, TOPICS);
    let adjective = *pick(rng, ADJECTIVES);
    let format = *pick(rng, FORMATS);
    let title = format!("{adjective} {} {format}", topic.name);
    let category = if rng.gen_bool(0.9) {
        topic.category
    } else {
        *pick(rng, CATEGORIES)
    };

    let online = rng.gen_bool(0.10);
    let (venue, city, geo) = if online {
        (None, None, None)
    } else {
        let c = pick(rng, CITIES);
        let venue = format!("{} {}", pick(rng, VENUE_KINDS), c.name);
        (
            Some(venue),
            Some(c.name.to_owned()),
            Some(jitter(rng, c, 15_000.0)),
        )
    };

    let summary = summary(rng, topic, adjective, format, city.as_deref());
    let description = description(rng, topic, format);

    let mut pool: Vec<&str> = topic
        .words
        .iter()
        .chain(GENERIC_TAGS.iter())
        .copied()
        .collect();
    pool.shuffle(rng);
    let count = rng.gen_range(1..=4usize);
    let mut tags: Vec<String> = Vec::new();
    for t in pool {
        if tags.len() >= count {
            break;
        }
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    if tags.is_empty() {
        tags.push(topic.words[0].to_owned());
    }

    let start = now + rng.gen_range(0..90 * DAY);
    let start = start - start.rem_euclid(900);
    let ends = start + rng.gen_range(2..=8) * 1800;
    let is_free = rng.gen_bool(0.40);
    let price = if is_free {
        Some(0.0)
    } else {
        Some(f64::from(rng.gen_range(10..=160u32)) / 2.0)
    };
    let quality = (rng.gen_range(0.3..1.0f64) * 100.0).round() / 100.0;

    SearchDocument {
        id,
        title,
        summary,
        description,
        tags,
        category: category.to_owned(),
        venue,
        city,
        organizer: rng.gen_range(1..=2000),
        start,
        ends,
        is_free,
        price,
        is_online: online,
        quality,
        geo,
    }
}

fn summary(
    rng: &mut ChaCha8Rng,
    topic: &Topic,
    adjective: &str,
    format: &str,
    city: Option<&str>,
) -> String {
    let adj = adjective.to_lowercase();
    let fmt = format.to_lowercase();
    let name = topic.name;
    let lower = name.to_lowercase();
    let word = *pick(rng, topic.words);
    let audience = *pick(rng, AUDIENCES);
    let extra = *pick(rng, EXTRAS);
    let place = city.unwrap_or("an online room");
    match rng.gen_range(0..5) {
        0 => format!("A {adj} {fmt} for {audience} who want to explore {word}."),
        1 => format!("Meet fellow {lower} fans for an evening of {word} in {place}."),
        2 => format!("Learn the basics of {word} in a relaxed {fmt} with other {audience}."),
        3 => format!("{name} lovers, this {fmt} is for you: {word}, good company and {extra}."),
        _ => format!("Our {adj} {lower} {fmt} returns with {word} and {extra}."),
    }
}

/// 40–120 words in sentences of 6–14, mostly general vocabulary, with the topic's words mixed
/// in (the first two always present).
fn description(rng: &mut ChaCha8Rng, topic: &Topic, format: &str) -> String {
    let n = rng.gen_range(40..=120usize);
    let fmt = format.to_lowercase();
    let mut words: Vec<&str> = Vec::with_capacity(n);
    while words.len() < n {
        let w = match rng.gen_range(0..100) {
            0..15 => *pick(rng, topic.words),
            15..18 => fmt.as_str(),
            _ => *pick(rng, VOCABULARY),
        };
        words.push(w);
    }
    let a = rng.gen_range(0..5);
    words[a] = topic.words[0];
    let b = rng.gen_range(5..n);
    words[b] = topic.words[1];

    let mut out = String::with_capacity(n * 9);
    let mut i = 0;
    while i < words.len() {
        let len = rng.gen_range(6..=14usize).min(words.len() - i);
        for (j, w) in words[i..i + len].iter().enumerate() {
            if j == 0 {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&capitalize(w));
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
        out.push('.');
        i += len;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Queries

/// `n` queries, kinds in turn (text, text + filters, geo + sort, facets), from `seed`.
fn query_mix(n: usize, seed: u64, now: i64) -> Vec<Bench> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let kind = Kind::ALL[i % Kind::ALL.len()];
            let query = match kind {
                Kind::Text => text_query(&mut rng, now),
                Kind::Filtered => filtered_query(&mut rng, now),
                Kind::Geo => geo_query(&mut rng, now),
                Kind::Facets => facet_query(&mut rng, now),
            };
            Bench { kind, query }
        })
        .collect()
}

fn base(text: String, now: i64) -> SearchQuery {
    SearchQuery {
        highlight: !text.is_empty(),
        text,
        filters: Filters {
            ends_after: Some(now),
            ..Default::default()
        },
        page: 1,
        per_page: 20,
        ..Default::default()
    }
}

/// One word someone might search for: mostly topics, then general words, formats and cities.
fn query_word(rng: &mut ChaCha8Rng) -> String {
    match rng.gen_range(0..100) {
        0..50 => {
            let topic = pick(rng, TOPICS);
            (*pick(rng, topic.words)).to_owned()
        }
        50..75 => (*pick(rng, VOCABULARY)).to_owned(),
        75..90 => pick(rng, FORMATS).to_lowercase(),
        _ => pick(rng, CITIES).name.to_lowercase(),
    }
}

/// Two neighbouring letters swapped (not the first), in words of five letters or more.
fn typo(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() >= 5 {
        let i = rng.gen_range(1..chars.len() - 1);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

/// 1–2 words, sometimes with a typo, sometimes with the last word cut short (still typing).
fn free_text(rng: &mut ChaCha8Rng) -> String {
    let count = if rng.gen_bool(0.65) { 1 } else { 2 };
    let mut words: Vec<String> = (0..count).map(|_| query_word(rng)).collect();
    if rng.gen_bool(0.2) {
        let long: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].chars().count() >= 5)
            .collect();
        if !long.is_empty() {
            let i = long[rng.gen_range(0..long.len())];
            let changed = typo(rng, &words[i]);
            words[i] = changed;
        }
    }
    if rng.gen_bool(0.2) {
        if let Some(last) = words.last_mut() {
            let len = last.chars().count();
            if len >= 4 {
                let keep = rng.gen_range(3..len);
                *last = last.chars().take(keep).collect();
            }
        }
    }
    words.join(" ")
}

fn text_query(rng: &mut ChaCha8Rng, now: i64) -> SearchQuery {
    base(free_text(rng), now)
}

/// A category, free or a price range, a 7-day window, and a word (usually about the category).
fn filtered_query(rng: &mut ChaCha8Rng, now: i64) -> SearchQuery {
    let category = *pick(rng, CATEGORIES);
    let related: Vec<&Topic> = TOPICS.iter().filter(|t| t.category == category).collect();
    let word = if !related.is_empty() && rng.gen_bool(0.7) {
        let topic = *pick(rng, &related);
        (*pick(rng, topic.words)).to_owned()
    } else {
        query_word(rng)
    };
    let mut q = base(word, now);
    q.filters.categories = vec![category.to_owned()];
    if rng.gen_bool(0.5) {
        q.filters.free = Some(true);
    } else {
        let min = f64::from(rng.gen_range(0..40u32));
        q.filters.price_min = Some(min);
        q.filters.price_max = Some(min + f64::from(rng.gen_range(10..=40u32)));
    }
    let from = now + rng.gen_range(0..83) * DAY;
    q.filters.window = Some(Window {
        from,
        to: from + 7 * DAY,
    });
    q
}

/// Within 10–50 km of a city centre, nearest first, half the time with a word.
fn geo_query(rng: &mut ChaCha8Rng, now: i64) -> SearchQuery {
    let city = pick(rng, CITIES);
    let center = GeoPoint {
        lat: city.lat,
        lng: city.lng,
    };
    let text = if rng.gen_bool(0.5) {
        query_word(rng)
    } else {
        String::new()
    };
    let mut q = base(text, now);
    q.filters.radius = Some(Radius {
        center,
        metres: f64::from(rng.gen_range(10..=50u32)) * 1000.0,
    });
    q.sort = Sort::Distance(center);
    q
}

/// Facet counts (values and four date windows), half the time for a word.
fn facet_query(rng: &mut ChaCha8Rng, now: i64) -> SearchQuery {
    let text = if rng.gen_bool(0.5) {
        query_word(rng)
    } else {
        String::new()
    };
    let mut q = base(text, now);
    q.facets = FacetRequest {
        values: true,
        windows: vec![
            Window {
                from: now,
                to: now + DAY,
            },
            Window {
                from: now,
                to: now + 7 * DAY,
            },
            Window {
                from: now + 7 * DAY,
                to: now + 14 * DAY,
            },
            Window {
                from: now,
                to: now + 30 * DAY,
            },
        ],
    };
    q
}
