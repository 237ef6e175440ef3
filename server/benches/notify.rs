//! `cargo bench -p server --bench notify`: an event with 10,000 ticket holders is cancelled, and
//! the pipeline tells all of them, while 1,000 of them have the live stream open.
//!
//! The server runs as `lineup serve` does (the real router over loopback, the cancellation
//! worker, the mail worker through lettre to an SMTP sink on this machine); the notifier loop is
//! the worker's own (`deliver_due`, then `live::announce`), run here so the moment each round
//! committed is known. Figures:
//! - `stored_s`: from the cancellation until every holder's in-app notification is stored;
//! - `mailed_s`, `emails_per_s`: until the sink accepted every mail, and the sending rate from
//!   the first accepted mail to the last;
//! - `live_p50_ms`/`live_p99_ms`: from the commit of a person's notification until their open
//!   `/notifications/live` stream delivered it, over the `live_clients` streams.
//!
//! SQLite by default, Postgres too when `TEST_DATABASE_URL` is set (a fresh database). One JSON
//! line per database; the last line is one JSON object.
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use futures_util::StreamExt;
use lettre::message::Mailbox;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};
use tower_sessions::{cookie::time::OffsetDateTime, session::Record, SessionStore};

use app::domain::{
    accounts::session_store::DbSessionStore,
    curation::lifecycle,
    notifications::{deliver, live, notifier},
    ticketing::register::{self, Registrant, Request},
};
use server::{cli::demo, config::Config, startup};

const HOLDERS: usize = 10_000;
const LIVE_CLIENTS: usize = 1_000;

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

/// An SMTP server that accepts every message and counts them: the stand-in for a relay.
struct Sink {
    accepted: AtomicUsize,
    first: Mutex<Option<Instant>>,
    last: Mutex<Option<Instant>>,
}

async fn start_sink() -> anyhow::Result<(u16, Arc<Sink>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let sink = Arc::new(Sink {
        accepted: AtomicUsize::new(0),
        first: Mutex::new(None),
        last: Mutex::new(None),
    });
    let shared = sink.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let sink = shared.clone();
            tokio::spawn(async move {
                let _ = session(socket, &sink).await;
            });
        }
    });
    Ok((port, sink))
}

async fn session(socket: tokio::net::TcpStream, sink: &Sink) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?,
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                }
                let now = Instant::now();
                sink.first.lock().expect("lock").get_or_insert(now);
                *sink.last.lock().expect("lock") = Some(now);
                sink.accepted.fetch_add(1, Ordering::SeqCst);
                write.write_all(b"250 accepted\r\n").await?;
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"250 ok\r\n").await?,
        }
    }
}

async fn run(dir: &std::path::Path, db_name: &str, url: &str) -> anyhow::Result<serde_json::Value> {
    let (smtp_port, sink) = start_sink().await?;
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}?tls=none")),
        ..Config::in_process(dir.join(db_name), url.to_owned())
    };
    let state = startup::build_state(&config).await?;
    let db = state.db.clone();
    demo::seed(&db, Utc::now()).await?;

    // a public, upcoming demo event with a free ticket type, emptied and made big enough
    let now = Utc::now();
    let open: Vec<i32> = entity::event::Entity::find()
        .filter(entity::event::Column::Status.eq("published"))
        .filter(entity::event::Column::HiddenAt.is_null())
        .filter(entity::event::Column::StartsAt.gt(now))
        .all(&db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let ticket_type = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::PriceMinor.eq(0))
        .filter(entity::ticket_type::Column::EventId.is_in(open))
        .order_by_asc(entity::ticket_type::Column::Id)
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no free ticket type of a public demo event"))?;
    let event_id = ticket_type.event_id;
    entity::registration::Entity::delete_many()
        .filter(entity::registration::Column::EventId.eq(event_id))
        .exec(&db)
        .await?;
    let seats = HOLDERS as i32;
    entity::ticket_type::Entity::update_many()
        .col_expr(entity::ticket_type::Column::Quantity, Expr::value(seats))
        .col_expr(entity::ticket_type::Column::MaxPerOrder, Expr::value(1))
        .col_expr(entity::ticket_type::Column::Taken, Expr::value(0))
        .filter(entity::ticket_type::Column::Id.eq(ticket_type.id))
        .exec(&db)
        .await?;
    entity::event::Entity::update_many()
        .col_expr(entity::event::Column::Capacity, Expr::value(seats))
        .col_expr(entity::event::Column::SeatsTaken, Expr::value(0))
        .filter(entity::event::Column::Id.eq(event_id))
        .exec(&db)
        .await?;

    let holders = demo::synthetic_attendees(&db, "bench-holder", HOLDERS, Utc::now()).await?;
    let setup = Instant::now();
    futures_util::stream::iter(holders.iter().cloned())
        .map(|holder| {
            let state = state.clone();
            let ticket_type = ticket_type.id;
            async move {
                register::register(
                    &state,
                    &Registrant::User(holder),
                    Request {
                        ticket_type_id: ticket_type,
                        quantity: "1",
                        answers: &[],
                    },
                    Utc::now(),
                    app::model::language::Locale::en,
                )
                .await
                .map(|_| ())
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()?;
    // their booking notices are not what is measured
    entity::outbox::Entity::delete_many()
        .filter(entity::outbox::Column::Topic.starts_with("notify."))
        .exec(&db)
        .await?;
    eprintln!(
        "{db_name}: {HOLDERS} holders registered in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    // the server, its cancellation worker and mail worker
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = startup::router(state.clone(), startup::leptos_options(&config), false);
    let server = tokio::spawn(async move {
        let _ = startup::serve(listener, router).await;
    });
    let listener_task = live::spawn_listener(&db, state.live.clone());
    let cancellations = startup::spawn_cancellation_worker(&state);
    let mailer = {
        let (db, state) = (db.clone(), state.clone());
        tokio::spawn(async move {
            let from: Mailbox = state.settings.mail_from.parse().expect("from");
            let ctx = deliver::MailContext {
                mailer: state.mailer.as_ref(),
                from: &from,
                public_url: &state.settings.public_url,
                unsubscribe_key: &state.settings.unsubscribe_key,
            };
            loop {
                match deliver::send_due(&db, &ctx, Utc::now()).await {
                    Ok(s) if s.sent + s.retrying + s.failed > 0 => continue,
                    Ok(_) => {}
                    Err(e) => eprintln!("mail round failed: {e}"),
                }
                tokio::time::sleep(app::domain::outbox::POLL).await;
            }
        })
    };

    // 1,000 of the holders with the live stream open
    let store = DbSessionStore::new(db.clone(), state.caches.sessions.clone());
    let client = reqwest::Client::builder().build()?;
    let heard: Arc<Mutex<HashMap<i32, Instant>>> = Arc::default();
    let ready = Arc::new(AtomicUsize::new(0));
    let mut streams = Vec::new();
    for holder in holders.iter().take(LIVE_CLIENTS) {
        let mut record = Record {
            id: Default::default(),
            data: HashMap::from([("user_id".to_owned(), serde_json::json!(holder.id))]),
            expiry_date: OffsetDateTime::now_utc()
                + tower_sessions::cookie::time::Duration::days(1),
        };
        store.create(&mut record).await?;
        let request = client
            .get(format!("http://{addr}/notifications/live"))
            .header("accept", "text/event-stream")
            .header(
                "cookie",
                format!("{}={}", server::http::page_cache::SESSION_COOKIE, record.id),
            );
        let (heard, ready, user) = (heard.clone(), ready.clone(), holder.id);
        streams.push(tokio::spawn(async move {
            let response = request.send().await?;
            anyhow::ensure!(response.status() == 200, "stream: {}", response.status());
            let mut body = response.bytes_stream();
            let mut buffer = String::new();
            let mut events = 0;
            while let Some(chunk) = body.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk?));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if !block.contains("event: notification") {
                        continue;
                    }
                    events += 1;
                    if events == 1 {
                        ready.fetch_add(1, Ordering::SeqCst);
                    } else if block.contains("\"unread\":1") {
                        heard.lock().expect("lock").insert(user, Instant::now());
                        return Ok(());
                    }
                }
            }
            anyhow::bail!("stream of {user} ended")
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while ready.load(Ordering::SeqCst) < LIVE_CLIENTS {
        anyhow::ensure!(Instant::now() < deadline, "live streams did not open");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // the notifier loop, stamping when each recipient's notification committed
    let committed: Arc<Mutex<HashMap<i32, Instant>>> = Arc::default();
    let notifier_task = {
        let (db, state, committed) = (db.clone(), state.clone(), committed.clone());
        tokio::spawn(async move {
            loop {
                match notifier::deliver_due(&db, state.graph.as_ref(), Utc::now()).await {
                    Ok(round) if round.rows > 0 => {
                        let at = Instant::now();
                        let mut users = round.recipients;
                        users.sort_unstable();
                        users.dedup();
                        {
                            let mut committed = committed.lock().expect("lock");
                            for &u in &users {
                                committed.entry(u).or_insert(at);
                            }
                        }
                        state.changes.bump();
                        if let Err(e) = live::announce(&db, &state.live, &users).await {
                            eprintln!("announce failed: {e}");
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("notifier round failed: {e}"),
                }
                tokio::time::sleep(app::domain::outbox::POLL).await;
            }
        })
    };

    let organizer = entity::user::Entity::find_by_id(
        entity::event::Entity::find_by_id(event_id)
            .one(&db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("event vanished"))?
            .organizer_id,
    )
    .one(&db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("no organizer"))?;
    let started = Instant::now();
    lifecycle::cancel(
        &db,
        &organizer,
        event_id,
        "The venue flooded and there is no other.",
        Utc::now(),
        app::model::language::Locale::en,
    )
    .await?;

    let told = || {
        entity::notification::Entity::find()
            .filter(entity::notification::Column::EventId.eq(event_id))
            .filter(entity::notification::Column::Kind.eq("event_cancelled"))
            .count(&db)
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while (told().await? as usize) < HOLDERS {
        anyhow::ensure!(Instant::now() < deadline, "not every holder was told");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stored_s = started.elapsed().as_secs_f64();
    eprintln!("{db_name}: every holder told in {stored_s:.2} s");
    let mut reported = Instant::now();
    while sink.accepted.load(Ordering::SeqCst) < HOLDERS {
        if Instant::now() > deadline {
            let pending = entity::notification_delivery::Entity::find()
                .filter(entity::notification_delivery::Column::Channel.eq("email"))
                .filter(entity::notification_delivery::Column::Status.ne("sent"))
                .count(&db)
                .await?;
            anyhow::bail!(
                "{} mails accepted, {pending} email deliveries not sent",
                sink.accepted.load(Ordering::SeqCst)
            );
        }
        if reported.elapsed() > Duration::from_secs(5) {
            eprintln!(
                "{db_name}: {} mails accepted",
                sink.accepted.load(Ordering::SeqCst)
            );
            reported = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mailed_s = started.elapsed().as_secs_f64();
    for stream in streams {
        tokio::time::timeout(Duration::from_secs(30), stream).await???;
    }

    let (first, last) = (
        sink.first.lock().expect("lock").expect("a mail"),
        sink.last.lock().expect("lock").expect("a mail"),
    );
    let sending_s = (last - first).as_secs_f64().max(1e-3);
    let mut latencies: Vec<f64> = {
        let heard = heard.lock().expect("lock");
        let committed = committed.lock().expect("lock");
        heard
            .iter()
            .map(|(user, at)| {
                let from = committed.get(user).copied().unwrap_or(*at);
                at.saturating_duration_since(from).as_secs_f64() * 1000.0
            })
            .collect()
    };
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let refunded_or_cancelled = entity::registration::Entity::find()
        .filter(entity::registration::Column::EventId.eq(event_id))
        .filter(entity::registration::Column::Status.eq("cancelled"))
        .count(&db)
        .await?;

    for task in [server, cancellations, mailer, notifier_task]
        .into_iter()
        .chain(listener_task)
    {
        task.abort();
    }
    Ok(serde_json::json!({
        "bench": "notify",
        "db": db_name,
        "holders": HOLDERS,
        "registrations_closed": refunded_or_cancelled,
        "stored_s": (stored_s * 1000.0).round() / 1000.0,
        "mailed_s": (mailed_s * 1000.0).round() / 1000.0,
        "emails": sink.accepted.load(Ordering::SeqCst),
        "emails_per_s": (HOLDERS as f64 / sending_s).round(),
        "live_clients": latencies.len(),
        "live_p50_ms": (pct(0.50) * 10.0).round() / 10.0,
        "live_p99_ms": (pct(0.99) * 10.0).round() / 10.0,
    }))
}
