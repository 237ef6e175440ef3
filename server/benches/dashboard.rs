//! `cargo bench -p server --bench dashboard`: the organizer dashboard of an organization with 200
//! events and 100,000 registrations (a third of them paid, some refunded, waitlisted or checked
//! in) made over the last 120 days, with 300,000 page-view rows, 40,000 saves and referrals from
//! five sources, on a SQLite file. Measures the whole dashboard as the page's server function
//! builds it (the grouped reads, the totals, four SVG charts and every table) for the last 90
//! days and for one event, one after another, with the figures folded as the server's worker
//! keeps them. The last line is one JSON object.
use std::time::Instant;

use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ActiveValue::Set, EntityTrait};

use app::{
    domain::{dashboard, organizations::personal},
    model::dashboard::DashboardQuery,
    model::language::Locale,
};
use server::{cli::demo, config::Config, startup};

const EVENTS: usize = 200;
const REGISTRATIONS: usize = 100_000;
const VIEW_ROWS: usize = 300_000;
const SAVES: usize = 40_000;
const PEOPLE: usize = 5_000;
const DAYS: i64 = 120;
const RUNS: usize = 200;
const SOURCES: [&str; 5] = [
    "lineup",
    "direct",
    "instagram.com",
    "newsletter",
    "google.com",
];

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("dashboard.db").display()
    );
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

async fn run(dir: &std::path::Path, url: &str) -> anyhow::Result<serde_json::Value> {
    let config = Config::in_process(dir.join("data"), url.to_owned());
    let state = startup::build_state(&config).await?;
    let db = &state.db;
    let now = Utc::now();
    let mut rng = ChaCha8Rng::seed_from_u64(20);
    let started = Instant::now();

    let people = demo::synthetic_attendees(db, "dash-bench-", PEOPLE, now).await?;
    let owner = &people[0];
    let org = personal::of(db, owner, now).await?;

    // 200 events from four months ago to two months ahead, each with a free and a paid type
    let mut events = Vec::with_capacity(EVENTS);
    for i in 0..EVENTS {
        let starts =
            now - Duration::days(DAYS) + Duration::hours(rng.gen_range(0..24 * (DAYS + 60)));
        events.push(entity::event::ActiveModel {
            organizer_id: Set(owner.id),
            organization_id: Set(org.id),
            status: Set("published".into()),
            title: Set(format!("Night {i}")),
            summary: Set("An event".into()),
            description_md: Set("An event.".into()),
            description_html: Set("<p>An event.</p>".into()),
            category: Set("music".into()),
            tags: Set("music".into()),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::hours(3)),
            timezone: Set("Europe/Berlin".into()),
            capacity: Set(1_000),
            is_free: Set(false),
            revision: Set(1),
            published_at: Set(Some(starts - Duration::days(30))),
            seats_taken: Set(0),
            created_at: Set(starts - Duration::days(30)),
            updated_at: Set(starts - Duration::days(30)),
            ..Default::default()
        });
    }
    entity::event::Entity::insert_many(events)
        .exec_without_returning(db)
        .await?;
    let event_ids: Vec<i32> = (1..=EVENTS as i32).collect();
    let mut types = Vec::new();
    for &e in &event_ids {
        for (name, price) in [("Free", 0i64), ("Supporter", 1500)] {
            types.push(entity::ticket_type::ActiveModel {
                event_id: Set(e),
                name: Set(name.into()),
                description: Set(String::new()),
                price_minor: Set(price),
                currency: Set("eur".into()),
                quantity: Set(1_000),
                taken: Set(0),
                max_per_order: Set(4),
                requires_approval: Set(false),
                guests_allowed: Set(true),
                waitlist: Set(true),
                questions: Set("[]".into()),
                on_sale: Set(true),
                position: Set(if price == 0 { 0 } else { 1 }),
                created_at: Set(now - Duration::days(DAYS)),
                updated_at: Set(now - Duration::days(DAYS)),
                ..Default::default()
            });
        }
    }
    entity::ticket_type::Entity::insert_many(types)
        .exec_without_returning(db)
        .await?;

    // registrations: mostly confirmed, some checked in, waitlisted, cancelled or refunded
    let mut rows = Vec::with_capacity(REGISTRATIONS);
    for i in 0..REGISTRATIONS {
        let e = rng.gen_range(0..EVENTS);
        let paid = rng.gen_bool(0.35);
        let status = match rng.gen_range(0..100) {
            0..=69 => "confirmed",
            70..=84 => "checked_in",
            85..=89 => "waitlisted",
            90..=95 => "cancelled",
            _ => "refunded",
        };
        let quantity = rng.gen_range(1..=3);
        let amount = if paid { 1500 * quantity as i64 } else { 0 };
        let at = now - Duration::minutes(rng.gen_range(0..60 * 24 * DAYS));
        let person = &people[rng.gen_range(1..PEOPLE)];
        rows.push(entity::registration::ActiveModel {
            event_id: Set(event_ids[e]),
            ticket_type_id: Set((e * 2 + 1 + usize::from(paid)) as i32),
            user_id: Set(Some(person.id)),
            holder_key: Set(None),
            name: Set(person.display_name.clone()),
            email: Set(format!("r{i}@example.com")),
            quantity: Set(quantity),
            status: Set(status.into()),
            tier: Set(0),
            answers: Set("{}".into()),
            amount_minor: Set(amount),
            currency: Set("eur".into()),
            refunded_minor: Set(if status == "refunded" { amount } else { 0 }),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    for chunk in rows.chunks(1_000) {
        entity::registration::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }

    // page views per (day, event, person), saves, referrals and refunds
    let mut seen = std::collections::HashSet::with_capacity(VIEW_ROWS);
    let mut views = Vec::with_capacity(VIEW_ROWS);
    while views.len() < VIEW_ROWS {
        let day = (now - Duration::days(rng.gen_range(0..DAYS))).date_naive();
        let event = event_ids[rng.gen_range(0..EVENTS)];
        let person = if rng.gen_bool(0.3) {
            0
        } else {
            people[rng.gen_range(1..PEOPLE)].id
        };
        if seen.insert((day, event, person)) {
            views.push(entity::event_view::ActiveModel {
                day: Set(day),
                event_id: Set(event),
                person_id: Set(person),
                views: Set(rng.gen_range(1..4)),
                ..Default::default()
            });
        }
    }
    for chunk in views.chunks(1_000) {
        entity::event_view::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let mut saved = std::collections::HashSet::with_capacity(SAVES);
    let mut saves = Vec::with_capacity(SAVES);
    while saves.len() < SAVES {
        let (person, event) = (
            people[rng.gen_range(1..PEOPLE)].id,
            event_ids[rng.gen_range(0..EVENTS)],
        );
        if saved.insert((person, event)) {
            saves.push(entity::saved_event::ActiveModel {
                user_id: Set(person),
                event_id: Set(event),
                created_at: Set(now - Duration::minutes(rng.gen_range(0..60 * 24 * DAYS))),
                removed_at: Set(None),
                ..Default::default()
            });
        }
    }
    for chunk in saves.chunks(1_000) {
        entity::saved_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let mut referrals = Vec::new();
    for &event in &event_ids {
        for d in 0..DAYS {
            for source in SOURCES {
                if rng.gen_bool(0.5) {
                    referrals.push(entity::event_referral::ActiveModel {
                        day: Set((now - Duration::days(d)).date_naive()),
                        event_id: Set(event),
                        source: Set(source.into()),
                        views: Set(rng.gen_range(1..40)),
                        ..Default::default()
                    });
                }
            }
        }
    }
    let referral_rows = referrals.len();
    for chunk in referrals.chunks(1_000) {
        entity::event_referral::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    // the running server's worker folds what the triggers recorded every few seconds
    let folded = dashboard::rollup::fold(db).await?;
    eprintln!(
        "{folded} figure changes folded; data written in {:.0} s: {EVENTS} events, {REGISTRATIONS} registrations, {VIEW_ROWS} view rows, {SAVES} saves, {referral_rows} referral rows",
        started.elapsed().as_secs_f64()
    );

    let whole = DashboardQuery {
        from: Some((now - Duration::days(89)).date_naive().to_string()),
        to: Some(now.date_naive().to_string()),
        event: None,
    };
    let one = DashboardQuery {
        event: Some(event_ids[EVENTS / 2]),
        ..whole.clone()
    };
    // the first load warms SQLite's page cache, as a running server's would be
    let first = dashboard::load(db, owner, &org.slug, &whole, now, Locale::en).await?;
    let registered: i64 = first
        .totals
        .iter()
        .find(|(l, _)| l == "Registrations")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    eprintln!(
        "90 days: {} registrations counted, {} charts, {} event rows",
        registered,
        first.charts.len(),
        first.per_event.rows.len()
    );
    let mut took = Vec::with_capacity(RUNS);
    let mut took_one = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let d = dashboard::load(db, owner, &org.slug, &whole, now, Locale::en).await?;
        took.push(ms(t.elapsed()));
        assert_eq!(d.charts.len(), 4);
        let t = Instant::now();
        dashboard::load(db, owner, &org.slug, &one, now, Locale::en).await?;
        took_one.push(ms(t.elapsed()));
    }
    took.sort_by(f64::total_cmp);
    took_one.sort_by(f64::total_cmp);
    eprintln!(
        "one event, 90 days: p50 {:.1} ms, p99 {:.1} ms",
        percentile(&took_one, 0.5),
        percentile(&took_one, 0.99)
    );
    Ok(serde_json::json!({
        "bench": "dashboard",
        "events": EVENTS,
        "registrations": REGISTRATIONS,
        "p50_ms": percentile(&took, 0.5),
        "p99_ms": percentile(&took, 0.99),
    }))
}
