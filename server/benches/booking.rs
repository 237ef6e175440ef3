//! `cargo bench -p server --bench booking`: 1,000 buyers register at once for an event with 100
//! seats, through the same domain function the RSVP form calls (the concurrency guard in
//! `app/src/domain/ticketing/seats.rs`). Runs on a SQLite file, and on Postgres too when
//! `TEST_DATABASE_URL` is set (a fresh database). Prints one JSON line per database; the last
//! line is one JSON object.
use std::time::Instant;

use chrono::Utc;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use app::domain::ticketing::register::{self, Registrant, Request};
use server::{cli::demo, config::Config, startup};

const BUYERS: usize = 1000;
const SEATS: i32 = 100;

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let mut runs = vec![(
        "sqlite",
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        ),
    )];
    if let Some(base) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    {
        runs.push((
            "postgres",
            rt.block_on(server::db::create_scratch_postgres(&base, "lineup_bench"))?,
        ));
    }
    for (db_name, url) in runs {
        let figures = rt.block_on(run(dir.path(), db_name, &url))?;
        println!("{figures}");
    }
    Ok(())
}

async fn run(dir: &std::path::Path, db_name: &str, url: &str) -> anyhow::Result<serde_json::Value> {
    let config = Config::in_process(dir.join(db_name), url.to_owned());
    let state = startup::build_state(&config).await?;
    let db = &state.db;
    demo::seed(db, Utc::now()).await?;
    // a public, upcoming demo event with a free ticket type, emptied and cut down to SEATS seats
    let now = Utc::now();
    let open: Vec<i32> = entity::event::Entity::find()
        .filter(entity::event::Column::Status.eq("published"))
        .filter(entity::event::Column::HiddenAt.is_null())
        .filter(entity::event::Column::StartsAt.gt(now))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let ticket_type = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::PriceMinor.eq(0))
        .filter(entity::ticket_type::Column::EventId.is_in(open))
        .order_by_asc(entity::ticket_type::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no free ticket type of a public demo event"))?;
    let event_id = ticket_type.event_id;
    entity::registration::Entity::delete_many()
        .filter(entity::registration::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    entity::ticket_type::Entity::update_many()
        .col_expr(entity::ticket_type::Column::Quantity, Expr::value(SEATS))
        .col_expr(entity::ticket_type::Column::Taken, Expr::value(0))
        .filter(entity::ticket_type::Column::Id.eq(ticket_type.id))
        .exec(db)
        .await?;
    entity::event::Entity::update_many()
        .col_expr(entity::event::Column::Capacity, Expr::value(SEATS))
        .col_expr(entity::event::Column::SeatsTaken, Expr::value(0))
        .filter(entity::event::Column::Id.eq(event_id))
        .exec(db)
        .await?;

    let buyers = demo::synthetic_attendees(db, "bench-buyer", BUYERS, Utc::now()).await?;

    let started = Instant::now();
    let tasks: Vec<_> = buyers
        .into_iter()
        .map(|buyer| {
            let state = state.clone();
            let ticket_type = ticket_type.id;
            tokio::spawn(async move {
                let begun = Instant::now();
                let outcome = register::register(
                    &state,
                    &Registrant::User(buyer),
                    Request {
                        ticket_type_id: ticket_type,
                        quantity: "1",
                        answers: &[],
                    },
                    Utc::now(),
                    app::model::language::Locale::en,
                )
                .await;
                (
                    outcome.map(|o| o.registration().status.clone()),
                    begun.elapsed(),
                )
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(BUYERS);
    let (mut confirmed, mut waitlisted, mut failed) = (0, 0, 0);
    for task in tasks {
        let (outcome, took) = task.await?;
        latencies.push(took.as_secs_f64() * 1000.0);
        match outcome.as_deref() {
            Ok("confirmed") => confirmed += 1,
            Ok("waitlisted") => waitlisted += 1,
            Ok(other) => anyhow::bail!("unexpected status {other}"),
            Err(e) => {
                if failed == 0 {
                    eprintln!("first failed registration: {e}");
                }
                failed += 1
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let stored_confirmed = entity::registration::Entity::find()
        .filter(entity::registration::Column::EventId.eq(event_id))
        .filter(entity::registration::Column::Status.eq("confirmed"))
        .count(db)
        .await?;
    let event = entity::event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("event vanished"))?;
    Ok(serde_json::json!({
        "bench": "booking",
        "db": db_name,
        "buyers": BUYERS,
        "seats": SEATS,
        "confirmed": stored_confirmed,
        "waitlisted": waitlisted,
        "failed": failed,
        "oversold": (stored_confirmed as i64 - i64::from(SEATS)).max(0),
        "seats_taken": event.seats_taken,
        "seconds": (elapsed * 1000.0).round() / 1000.0,
        "registrations_per_s": (BUYERS as f64 / elapsed).round(),
        "confirmed_per_s": (f64::from(confirmed) / elapsed).round(),
        "p50_ms": (pct(0.50) * 10.0).round() / 10.0,
        "p99_ms": (pct(0.99) * 10.0).round() / 10.0,
    }))
}
