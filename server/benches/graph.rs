//! `cargo bench -p server --bench graph`: a social graph of 10,000 people and 200,000 edges on
//! the embedded engine (a SurrealKV directory, as `lineup serve` uses by default), then the
//! latency of the three reads a signed-in page makes: "friends going to event", one feed page
//! and the suggestions, through the same domain functions the server functions call. The last
//! line is one JSON object.
use std::{
    collections::{BTreeMap, BTreeSet},
    time::Instant,
};

use chrono::{DateTime, Duration, Utc};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use app::{
    domain::{
        graph::{
            event_node, group_node,
            sync::{edge_row, fields, relate_all, upsert_nodes, EventNode, UserNode},
            user_node, val, RecordId, SurrealGraph, Value,
        },
        social::{feed, going, suggestions},
    },
    model::{language::Locale, taxonomy::Category},
};

const USERS: i32 = 10_000;
const EVENTS: i32 = 2_000;
const GROUPS: i32 = 200;
const FRIENDSHIPS: usize = 40_000; // two edges each
const FOLLOWS: usize = 20_000;
const ATTENDS: usize = 89_000;
const REVIEWS: usize = 5_000;
const BLOCKS: usize = 1_000;
const MEMBERS: usize = 4_000;
const SHORTLISTED: usize = 1_000;
const SAMPLES: usize = 300;
const CITIES: [&str; 8] = [
    "berlin", "hamburg", "munich", "cologne", "leipzig", "dresden", "bremen", "hanover",
];

type Row = BTreeMap<String, Value>;

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("surrealkv://{}", dir.path().join("graph").display());
    let graph = SurrealGraph::connect(&url, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc::now();
    let mut rng = ChaCha8Rng::seed_from_u64(7);

    let started = Instant::now();
    let built = build(&graph, &mut rng, now).await?;
    let edges = built.edges;
    let build_s = started.elapsed().as_secs_f64();
    eprintln!("built {USERS} users and {edges} edges in {build_s:.1} s");

    let viewers: Vec<i32> = (0..SAMPLES).map(|_| rng.gen_range(1..=USERS)).collect();
    let mut friends_going = Vec::new();
    let mut feed_page = Vec::new();
    let mut suggested = Vec::new();
    let mut nonempty = [0usize; 3];
    for &viewer in &viewers {
        // an event one of the viewer's friends attends, so the query has something to find
        let friends_events: Vec<i32> = built
            .friends
            .range((viewer, i32::MIN)..=(viewer, i32::MAX))
            .flat_map(|&(_, friend)| {
                built
                    .attended
                    .range((friend, i32::MIN)..=(friend, i32::MAX))
            })
            .map(|&(_, event)| event)
            .collect();
        let event = match friends_events.choose(&mut rng) {
            Some(&event) => event,
            None => rng.gen_range(1..=EVENTS),
        };
        let t = Instant::now();
        let f = going::friends_going(&graph, viewer, event)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        friends_going.push(t.elapsed().as_secs_f64() * 1000.0);
        nonempty[0] += usize::from(f.count > 0);

        let t = Instant::now();
        let page = feed::page(&graph, viewer, None, chrono_tz::Europe::Berlin, Locale::en)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        feed_page.push(t.elapsed().as_secs_f64() * 1000.0);
        nonempty[1] += usize::from(!page.items.is_empty());

        let t = Instant::now();
        let s = suggestions::suggest(&graph, viewer, now, Locale::en)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        suggested.push(t.elapsed().as_secs_f64() * 1000.0);
        nonempty[2] += usize::from(!s.is_empty());
    }
    // the reads must have found something, or they measured nothing
    anyhow::ensure!(nonempty[0] > SAMPLES / 2, "friends going was mostly empty");
    anyhow::ensure!(nonempty[1] > SAMPLES / 2, "feeds were mostly empty");
    anyhow::ensure!(nonempty[2] > SAMPLES / 2, "suggestions were mostly empty");
    let figures = serde_json::json!({
        "backend": "embedded (surrealkv)",
        "users": USERS,
        "edges": edges,
        "build_s": (build_s * 10.0).round() / 10.0,
        "samples": SAMPLES,
        "friends_going": percentiles(&mut friends_going, nonempty[0]),
        "feed_page": percentiles(&mut feed_page, nonempty[1]),
        "suggestions": percentiles(&mut suggested, nonempty[2]),
    });
    println!("{figures}");
    Ok(())
}

fn percentiles(ms: &mut [f64], nonempty: usize) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((ms.len() as f64 - 1.0) * q).round() as usize;
        (ms[i] * 100.0).round() / 100.0
    };
    serde_json::json!({ "p50_ms": at(0.5), "p99_ms": at(0.99), "nonempty": nonempty })
}

/// Distinct random pairs from `a` × `b`, `n` of them, never a person with themselves.
fn pairs(
    rng: &mut ChaCha8Rng,
    n: usize,
    a: i32,
    b: i32,
    seen: &mut BTreeSet<(i32, i32)>,
) -> Vec<(i32, i32)> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let pair = (rng.gen_range(1..=a), rng.gen_range(1..=b));
        if pair.0 != pair.1 && seen.insert(pair) {
            out.push(pair);
        }
    }
    out
}

/// What the benchmark built: how many edges, and the pairs it needs to pick meaningful reads.
struct Built {
    edges: usize,
    /// (person, friend), both ways
    friends: BTreeSet<(i32, i32)>,
    /// (person, event)
    attended: BTreeSet<(i32, i32)>,
}

async fn build(
    graph: &SurrealGraph,
    rng: &mut ChaCha8Rng,
    now: DateTime<Utc>,
) -> anyhow::Result<Built> {
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.slug()).collect();
    let attendance = ["public", "friends", "friends", "private"];
    let users: Vec<Row> = (1..=USERS)
        .map(|id| {
            let interests: Vec<String> = categories
                .choose_multiple(rng, 2)
                .map(|s| s.to_string())
                .collect();
            let node = UserNode {
                name: format!("Person {id}"),
                city: Some(CITIES[rng.gen_range(0..CITIES.len())].to_owned()),
                interests,
                organizer: id <= 300,
                attendance: attendance[rng.gen_range(0..attendance.len())].to_owned(),
                profile: "public".to_owned(),
            };
            fields([("id", val(user_node(id))), ("node", val(node))])
        })
        .collect();
    nodes(graph, users).await?;
    let events: Vec<Row> = (1..=EVENTS)
        .map(|id| {
            let starts = now + Duration::hours(rng.gen_range(-24 * 60..24 * 60));
            let node = EventNode {
                title: format!("Event {id}"),
                organizer: user_node(rng.gen_range(1..=300)),
                starts_at: starts,
                ends_at: starts + Duration::hours(3),
                listed: true,
                published_at: Some(starts - Duration::days(rng.gen_range(1..60))),
            };
            fields([("id", val(event_node(id))), ("node", val(node))])
        })
        .collect();
    nodes(graph, events).await?;
    let groups: Vec<Row> = (1..=GROUPS)
        .map(|id| {
            let node: Row = fields([
                ("name", val(format!("Group {id}"))),
                ("about", val(String::new())),
                ("visibility", val("public")),
                ("created_by", val(user_node(id))),
                ("at", val(now - Duration::days(90))),
            ]);
            fields([
                ("id", val(group_node(&format!("g{id}")))),
                ("node", val(node)),
            ])
        })
        .collect();
    nodes(graph, groups).await?;

    let ago = |rng: &mut ChaCha8Rng| now - Duration::minutes(rng.gen_range(1..60 * 24 * 90));
    let person = |(a, b): (i32, i32)| (user_node(a), user_node(b));
    let mut count = 0;

    let mut friends = BTreeSet::new();
    let friendships = pairs(rng, FRIENDSHIPS, USERS, USERS, &mut friends);
    let both_ways: Vec<(i32, i32)> = friendships
        .iter()
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .collect();
    friends.extend(both_ways.iter().copied());
    let ends: Vec<_> = both_ways.into_iter().map(person).collect();
    count += connect(graph, "friend_of", ends, || {
        fields([("accepted", val(true)), ("at", val(ago(rng)))])
    })
    .await?;

    let ends: Vec<_> = pairs(rng, FOLLOWS, USERS, 300, &mut BTreeSet::new())
        .into_iter()
        .map(person)
        .collect();
    count += connect(graph, "follows", ends, || fields([("at", val(ago(rng)))])).await?;

    let mut attended = BTreeSet::new();
    let ends: Vec<_> = pairs(rng, ATTENDS, USERS, EVENTS, &mut attended)
        .into_iter()
        .map(|(u, e)| (user_node(u), event_node(e)))
        .collect();
    count += connect(graph, "attends", ends, || fields([("at", val(ago(rng)))])).await?;
    let ends: Vec<_> = attended
        .iter()
        .take(REVIEWS)
        .map(|&(u, e)| (user_node(u), event_node(e)))
        .collect();
    count += connect(graph, "reviewed", ends, || {
        fields([
            ("rating", val(rng.gen_range(1..=5_i64))),
            ("at", val(ago(rng))),
        ])
    })
    .await?;

    // blocks between people who are not friends (a block ends a friendship)
    let mut taken = friends.clone();
    let ends: Vec<_> = pairs(rng, BLOCKS, USERS, USERS, &mut taken)
        .into_iter()
        .map(person)
        .collect();
    count += connect(graph, "blocks", ends, || fields([("at", val(ago(rng)))])).await?;

    let memberships = pairs(rng, MEMBERS, USERS, GROUPS, &mut BTreeSet::new());
    let ends: Vec<_> = memberships
        .iter()
        .map(|&(u, g)| (user_node(u), group_node(&format!("g{g}"))))
        .collect();
    count += connect(graph, "member_of", ends, || {
        fields([
            ("role", val("member")),
            ("status", val("member")),
            ("at", val(ago(rng))),
        ])
    })
    .await?;
    // each shortlisted event proposed (and voted for) by a member of its group
    let mut rows = Vec::new();
    for (g, e) in pairs(rng, SHORTLISTED, GROUPS, EVENTS, &mut BTreeSet::new()) {
        let by = memberships.iter().find(|m| m.1 == g).map_or(g, |m| m.0);
        let data = fields([
            ("by", val(user_node(by))),
            ("voters", val(vec![user_node(by)])),
            ("at", val(ago(rng))),
        ]);
        rows.push(edge_row(
            "shortlists",
            group_node(&format!("g{g}")),
            event_node(e),
            data,
        ));
    }
    count += rows.len();
    relate_all(graph, rows)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Built {
        edges: count,
        friends,
        attended,
    })
}

/// Writes edges of `table` between `ends`, each with the fields `data` gives it; returns how
/// many.
async fn connect(
    graph: &SurrealGraph,
    table: &str,
    ends: Vec<(RecordId, RecordId)>,
    mut data: impl FnMut() -> Row,
) -> anyhow::Result<usize> {
    let n = ends.len();
    let rows = ends
        .into_iter()
        .map(|(from, to)| edge_row(table, from, to, data()))
        .collect();
    relate_all(graph, rows)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(n)
}

async fn nodes(graph: &SurrealGraph, rows: Vec<Row>) -> anyhow::Result<()> {
    upsert_nodes(graph, rows)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}
