//! `cargo bench -p server --bench recs`: recommendations at scale. 10,000 people in eight
//! cities with tastes (two favourite categories each) and five friends each, 50,000 upcoming
//! events, 1,000,000 interactions (350,000 saves, also in the graph as `interested_in` edges,
//! and 650,000 daily views) over the last 60 days, on a SQLite file and the in-process graph.
//! Measures the factor model's training (reading every interaction, training, storing), then a
//! "For you" list and trending for sampled people through the same domain functions the server
//! functions call (the live reads of what the person did, retrieval, the blend, the diversity
//! rules, the live check and the cards), one after another for latency and 16 at a time for
//! throughput, and the process's resident memory. The last line is one JSON object.
use std::time::Instant;

use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{sea_query::Expr, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use app::{
    domain::{
        graph::{
            event_node,
            sync::{edge_row, fields, relate_all, upsert_nodes, UserNode},
            user_node, val,
        },
        organizations::personal,
        recs::{for_you, training},
    },
    model::{language::Locale, taxonomy::Category},
};
use server::{cli::demo, config::Config, startup};

const PEOPLE: usize = 10_000;
const EVENTS: usize = 50_000;
const SAVES: usize = 350_000;
const VIEWS: usize = 650_000;
const FRIENDS: usize = 5;
const ORGANIZERS: usize = 200;
const SAMPLES: usize = 500;
const LISTS: usize = 2_000;
const CONCURRENCY: usize = 16;
const CITIES: [(&str, f64, f64); 8] = [
    ("Berlin", 52.52, 13.405),
    ("Hamburg", 53.551, 9.994),
    ("Munich", 48.137, 11.575),
    ("Cologne", 50.938, 6.96),
    ("Lisbon", 38.722, -9.139),
    ("Porto", 41.158, -8.629),
    ("Leipzig", 51.34, 12.375),
    ("Dresden", 51.05, 13.738),
];

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("recs.db").display());
    let figures = rt.block_on(run(dir.path(), &url))?;
    println!("{figures}");
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    (sorted[i.min(sorted.len() - 1)] * 100.0).round() / 100.0
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| (kb / 1024.0 * 10.0).round() / 10.0)
}

async fn run(dir: &std::path::Path, url: &str) -> anyhow::Result<serde_json::Value> {
    let config = Config::in_process(dir.join("data"), url.to_owned());
    let state = startup::build_state(&config).await?;
    let db = &state.db;
    let now = Utc::now();
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let started = Instant::now();

    // people, each in a city with two favourite categories
    let mut people = demo::synthetic_attendees(db, "recs-bench-", PEOPLE, now).await?;
    people.sort_by_key(|u| u.id);
    for (c, (city, lat, lng)) in CITIES.iter().enumerate() {
        let ids: Vec<i32> = people
            .iter()
            .skip(c)
            .step_by(CITIES.len())
            .map(|p| p.id)
            .collect();
        entity::user::Entity::update_many()
            .col_expr(entity::user::Column::HomeCity, Expr::value(*city))
            .col_expr(entity::user::Column::HomeLat, Expr::value(*lat))
            .col_expr(entity::user::Column::HomeLng, Expr::value(*lng))
            .filter(entity::user::Column::Id.is_in(ids))
            .exec(db)
            .await?;
    }
    for (i, p) in people.iter_mut().enumerate() {
        let (city, lat, lng) = CITIES[i % CITIES.len()];
        p.home_city = Some(city.to_owned());
        p.home_lat = Some(lat);
        p.home_lng = Some(lng);
    }
    let tastes: Vec<[usize; 2]> = (0..PEOPLE)
        .map(|_| {
            let first = rng.gen_range(0..Category::ALL.len());
            [
                first,
                (first + rng.gen_range(1..Category::ALL.len())) % Category::ALL.len(),
            ]
        })
        .collect();

    // events: by city and category, each starting in the next 60 days, from 200 organizers'
    // own organizations
    let mut homes = Vec::with_capacity(ORGANIZERS);
    for person in &people[..ORGANIZERS] {
        homes.push(personal::of(db, person, now).await?.id);
    }
    let mut by_place: Vec<Vec<Vec<i32>>> =
        vec![vec![Vec::new(); Category::ALL.len()]; CITIES.len()];
    let mut rows = Vec::with_capacity(EVENTS);
    for i in 0..EVENTS {
        let city = i % CITIES.len();
        let category = rng.gen_range(0..Category::ALL.len());
        let (name, lat, lng) = CITIES[city];
        let starts = now + Duration::hours(rng.gen_range(2..60 * 24));
        rows.push((
            city,
            category,
            entity::event::ActiveModel {
                organizer_id: Set(people[i % ORGANIZERS].id),
                organization_id: Set(homes[i % ORGANIZERS]),
                status: Set("published".into()),
                title: Set(format!("{} event {i}", Category::ALL[category].label())),
                summary: Set("An event".into()),
                description_md: Set("An event.".into()),
                description_html: Set("<p>An event.</p>".into()),
                category: Set(Category::ALL[category].slug().into()),
                tags: Set(format!("{},tag{}", Category::ALL[category].slug(), i % 40)),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(3)),
                timezone: Set("Europe/Berlin".into()),
                venue_name: Set(Some("Hall".into())),
                venue_address: Set(Some("Street 1".into())),
                city: Set(Some(name.into())),
                latitude: Set(Some(lat + rng.gen_range(-0.05..0.05))),
                longitude: Set(Some(lng + rng.gen_range(-0.05..0.05))),
                online_url: Set(None),
                capacity: Set(200),
                is_free: Set(true),
                price_text: Set(None),
                cover_image_id: Set(None),
                revision: Set(1),
                published_at: Set(Some(now - Duration::days(rng.gen_range(1..60)))),
                hidden_at: Set(None),
                hidden_reason: Set(None),
                cancel_reason: Set(None),
                pending_revision: Set(None),
                curation_score: Set(Some(rng.gen_range(0.3..0.95))),
                seats_taken: Set(0),
                created_at: Set(now - Duration::days(60)),
                updated_at: Set(now - Duration::days(60)),
                ..Default::default()
            },
        ));
    }
    let mut next_id = 1;
    for chunk in rows.chunks(500) {
        entity::event::Entity::insert_many(chunk.iter().map(|r| r.2.clone()))
            .exec_without_returning(db)
            .await?;
        for (city, category, _) in chunk {
            by_place[*city][*category].push(next_id);
            next_id += 1;
        }
    }

    // interactions with taste, place and popularity (a few events draw most of the attention)
    let pick = |rng: &mut ChaCha8Rng, person: usize| -> i32 {
        let city = if rng.gen_bool(0.9) {
            person % CITIES.len()
        } else {
            rng.gen_range(0..CITIES.len())
        };
        let category = if rng.gen_bool(0.75) {
            tastes[person][rng.gen_range(0..2)]
        } else {
            rng.gen_range(0..Category::ALL.len())
        };
        let events = &by_place[city][category];
        let u: f64 = rng.gen();
        events[((u * u) * events.len() as f64) as usize]
    };
    let mut saved = std::collections::HashSet::with_capacity(SAVES);
    let mut saves = Vec::with_capacity(SAVES);
    while saves.len() < SAVES {
        let person = rng.gen_range(0..PEOPLE);
        let event = pick(&mut rng, person);
        if saved.insert((person, event)) {
            let at = now - Duration::minutes(rng.gen_range(1..60 * 24 * 60));
            saves.push((people[person].id, event, at));
        }
    }
    let mut viewed = std::collections::HashSet::with_capacity(VIEWS);
    let mut views = Vec::with_capacity(VIEWS);
    while views.len() < VIEWS {
        let person = rng.gen_range(0..PEOPLE);
        let event = pick(&mut rng, person);
        let day = (now - Duration::days(rng.gen_range(0..60))).date_naive();
        if viewed.insert((day, event, person)) {
            views.push(entity::event_view::ActiveModel {
                day: Set(day),
                event_id: Set(event),
                person_id: Set(people[person].id),
                views: Set(rng.gen_range(1..3)),
                ..Default::default()
            });
        }
    }
    for chunk in saves.chunks(1000) {
        let rows = chunk
            .iter()
            .map(|&(person, event, at)| entity::saved_event::ActiveModel {
                user_id: Set(person),
                event_id: Set(event),
                created_at: Set(at),
                removed_at: Set(None),
                ..Default::default()
            });
        entity::saved_event::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in views.chunks(1000) {
        entity::event_view::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    eprintln!(
        "database written in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    // the graph: people, friendships within each city, saves as interested_in edges
    let graph = state.graph.as_ref();
    let nodes = people
        .iter()
        .map(|p| fields([("id", val(user_node(p.id))), ("node", val(UserNode::of(p)))]))
        .collect();
    upsert_nodes(graph, nodes)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut edges = Vec::new();
    for i in 0..PEOPLE {
        for k in 1..=FRIENDS {
            let j = (i + k * CITIES.len() * 7) % PEOPLE;
            let data = fields([("accepted", val(true)), ("at", val(now))]);
            edges.push(edge_row(
                "friend_of",
                user_node(people[i].id),
                user_node(people[j].id),
                data.clone(),
            ));
            edges.push(edge_row(
                "friend_of",
                user_node(people[j].id),
                user_node(people[i].id),
                data,
            ));
        }
    }
    for &(person, event, at) in &saves {
        edges.push(edge_row(
            "interested_in",
            user_node(person),
            event_node(event),
            fields([("at", val(at))]),
        ));
    }
    relate_all(graph, edges)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    drop((saves, views, saved, viewed, rows));
    eprintln!("graph written in {:.0} s", started.elapsed().as_secs_f64());

    let trained_at = Instant::now();
    let trained = training::train(db, now)
        .await?
        .ok_or_else(|| anyhow::anyhow!("nothing trained"))?;
    let train_s = trained_at.elapsed().as_secs_f64();
    eprintln!("{trained}");
    let loaded_at = Instant::now();
    let snapshot = state.recs.reload(db, state.changes.current(), true).await?;
    eprintln!(
        "engines loaded in {:.1} s: {} events, trending {}",
        loaded_at.elapsed().as_secs_f64(),
        snapshot.catalog.len(),
        snapshot.trending.ranked.len()
    );

    let sample: Vec<&entity::user::Model> =
        (0..SAMPLES).map(|i| &people[(i * 7919) % PEOPLE]).collect();
    stages(&state, &snapshot, &sample[..50]).await?;
    let mut list_ms = Vec::with_capacity(SAMPLES);
    let mut shown = 0usize;
    for &p in &sample {
        let begun = Instant::now();
        let list =
            for_you::for_you(&state, &snapshot, p, for_you::LIST, Utc::now(), Locale::en).await?;
        list_ms.push(ms(begun.elapsed()));
        shown += list.cards.len();
    }
    let mut trend_ms = Vec::with_capacity(SAMPLES);
    let mut trending_cards = 0usize;
    for &p in &sample {
        let begun = Instant::now();
        let cards =
            for_you::trending(&state, &snapshot, Some(p), 8, Utc::now(), Locale::en).await?;
        trend_ms.push(ms(begun.elapsed()));
        trending_cards += cards.len();
    }
    eprintln!(
        "{:.1} cards per list, {:.1} trending cards",
        shown as f64 / SAMPLES as f64,
        trending_cards as f64 / SAMPLES as f64
    );

    let through = Instant::now();
    let per_task = LISTS / CONCURRENCY;
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let (state, snapshot) = (state.clone(), snapshot.clone());
            let people: Vec<entity::user::Model> = (0..per_task)
                .map(|i| people[(t * per_task + i) * 13 % PEOPLE].clone())
                .collect();
            tokio::spawn(async move {
                for p in &people {
                    for_you::for_you(&state, &snapshot, p, for_you::LIST, Utc::now(), Locale::en)
                        .await?;
                }
                Ok::<_, app::error::AppError>(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let lists_per_s = (per_task * CONCURRENCY) as f64 / through.elapsed().as_secs_f64();

    list_ms.sort_by(f64::total_cmp);
    trend_ms.sort_by(f64::total_cmp);
    Ok(serde_json::json!({
        "bench": "recs",
        "people": PEOPLE,
        "events": EVENTS,
        "interactions": SAVES + VIEWS,
        "for_you": {"p50_ms": percentile(&list_ms, 0.5), "p99_ms": percentile(&list_ms, 0.99)},
        "trending": {"p50_ms": percentile(&trend_ms, 0.5), "p99_ms": percentile(&trend_ms, 0.99)},
        "lists_per_s": lists_per_s.round(),
        "train_s": (train_s * 10.0).round() / 10.0,
        "rss_mb": rss_mb(),
    }))
}

/// Where a list's time goes, for the log: what the person did (database and graph), ranking,
/// the live check with the diversity rules, and the cards.
async fn stages(
    state: &app::domain::context::AppState,
    snapshot: &app::domain::recs::Snapshot,
    people: &[&entity::user::Model],
) -> anyhow::Result<()> {
    use app::domain::recs::rank;
    let mut took = [0.0f64; 5];
    for &p in people {
        let now = Utc::now();
        let locale = Locale::en;
        let t = Instant::now();
        for_you::ties(state.graph.as_ref(), p.id).await?;
        took[0] += ms(t.elapsed());
        let t = Instant::now();
        let person = for_you::person(&state.db, state.graph.as_ref(), snapshot, p, now).await?;
        took[1] += ms(t.elapsed());
        let t = Instant::now();
        let ranked = rank::rank(&person, &snapshot.sources(), &rank::BLEND, now);
        took[2] += ms(t.elapsed());
        let t = Instant::now();
        let picked =
            for_you::finish(&state.db, &ranked, &snapshot.catalog, for_you::LIST, locale).await?;
        took[3] += ms(t.elapsed());
        let t = Instant::now();
        for_you::cards(&state.db, picked, true, locale).await?;
        took[4] += ms(t.elapsed());
    }
    let n = people.len() as f64;
    eprintln!(
        "per list, ms: blocks and friends who share (graph) {:.2}, person (database and graph, that included) {:.2}, rank {:.2}, live check {:.2}, cards {:.2}",
        took[0] / n, took[1] / n, took[2] / n, took[3] / n, took[4] / n
    );
    Ok(())
}
