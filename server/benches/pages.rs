//! `cargo bench -p server --bench pages`: requests per second and latency of Lineup's pages,
//! served by the real router over loopback with the demo dataset, from 16 keep-alive
//! connections, for three kinds of visitor:
//! - `anonymous`: no cookie, so the home and event pages come from the render cache;
//! - `anonymous_uncached`: no cookie, with `?utm_source=bench`, which the cache never serves;
//! - `signed_in`: the demo attendee Ana (friends, tickets, a group) with her session cookie.
//!
//! Each page runs for BENCH_SECONDS (default 5) after a 1 s warm-up. Requests carry no
//! Accept-Encoding (uncompressed). Runs on a SQLite file, and again on a fresh Postgres database
//! when `TEST_DATABASE_URL` is set.
//!
//! Output: one JSON line per page, viewer and database
//! (`{"page":"event","viewer":"signed_in","db":"sqlite","rps":…,"p50_ms":…,"p99_ms":…}`), then
//! where a signed-in request's time went (`"breakdown"`, from 2 s more with recording on: per span,
//! the wall time per request in data loaders, database statements and graph queries), and last
//! one JSON object with every figure.
use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};
use tracing::{span, subscriber::Interest, Metadata, Subscriber};
use tracing_subscriber::{layer::Context, prelude::*, registry::LookupSpan, Layer};

use server::{cli::demo, config::Config, startup};

const CONNECTIONS: usize = 16;
const VIEWER_EMAIL: &str = "ana@lineup.test";

fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let spans = SpanTimes::default();
    tracing_subscriber::registry().with(spans.clone()).init();

    let dir = tempfile::tempdir()?;
    let setup = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut databases = vec![(
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
        databases.push((
            "postgres",
            setup.block_on(server::db::create_scratch_postgres(&base, "lineup_bench"))?,
        ));
    }
    drop(setup);

    let mut results = Vec::new();
    for (db_name, url) in databases {
        results.extend(run(dir.path(), db_name, &url, seconds, &spans)?);
    }
    println!(
        "{}",
        serde_json::json!({ "bench": "pages", "seconds": seconds, "connections": CONNECTIONS, "pages": results })
    );
    Ok(())
}

/// The pages of one database: boots the server on its own two-worker runtime (as `lineup serve`
/// would on this machine), loads the demo, signs Ana in and loads every page.
fn run(
    dir: &std::path::Path,
    db_name: &str,
    url: &str,
    seconds: u64,
    spans: &SpanTimes,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let config = Config::in_process(dir.join(db_name), url.to_owned());
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (addr, paths) = server_rt.block_on(async {
        std::fs::create_dir_all(&config.data_dir)?;
        let state = startup::build_state(&config).await?;
        demo::load(&state.db, state.graph.as_ref(), chrono::Utc::now()).await?;
        let paths = Paths::of(&state).await?;
        // what the page cache and the search index see, before any request is measured
        app::domain::discovery::indexing::drain(
            &state.db,
            state.search.as_ref(),
            chrono::Utc::now(),
        )
        .await?;
        app::domain::graph::sync::drain(&state.db, state.graph.as_ref(), chrono::Utc::now())
            .await?;
        // Ana's notifications, so her pages carry a real unread count
        while app::domain::notifications::notifier::deliver_due(
            &state.db,
            state.graph.as_ref(),
            chrono::Utc::now(),
        )
        .await?
        .rows
            > 0
        {}
        let mut state = state;
        spans.watch_statements(&mut state.db);
        let router = startup::router(state, startup::leptos_options(&config), false);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = startup::serve(listener, router).await;
        });
        Ok::<_, anyhow::Error>((addr, paths))
    })?;

    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let cookie = client_rt.block_on(sign_in(addr))?;
    let mut lines = Vec::new();
    for (page, path) in paths.pages() {
        let viewers: &[&str] = if matches!(page, "event" | "home") {
            &["anonymous", "anonymous_uncached", "signed_in"]
        } else {
            &["anonymous", "signed_in"]
        };
        for &viewer in viewers {
            let (path, cookie) = match viewer {
                "anonymous_uncached" => {
                    let sep = if path.contains('?') { '&' } else { '?' };
                    (format!("{path}{sep}utm_source=bench"), None)
                }
                "signed_in" => (path.clone(), Some(cookie.as_str())),
                _ => (path.clone(), None),
            };
            client_rt.block_on(load(addr, &path, cookie, Duration::from_secs(1)))?;
            let run =
                client_rt.block_on(load(addr, &path, cookie, Duration::from_secs(seconds)))?;
            let requests = run.latencies_us.len() as u64 + run.errors;
            let mut line = serde_json::json!({
                "page": page,
                "viewer": viewer,
                "db": db_name,
                "path": path,
                "status": run.status,
                "requests": requests,
                "errors": run.errors,
                "rps": (requests as f64 / run.elapsed.as_secs_f64()).round(),
                "p50_ms": percentile(&run.latencies_us, 0.50),
                "p99_ms": percentile(&run.latencies_us, 0.99),
                "bytes": run.bytes,
            });
            if viewer == "signed_in" {
                // timed apart: recording spans and statements slows the server down a little
                spans.start();
                let timed =
                    client_rt.block_on(load(addr, &path, cookie, Duration::from_secs(2)))?;
                line["breakdown"] = spans.stop(timed.latencies_us.len() as u64 + timed.errors);
            }
            println!("{line}");
            lines.push(line);
        }
    }
    drop(server_rt);
    Ok(lines)
}

/// The pages measured, for Ana: an event she holds a ticket for, her friend Ben's profile, her
/// group "Weekend crew".
struct Paths {
    event: i32,
    person: i32,
    group: String,
}

impl Paths {
    async fn of(state: &app::domain::context::AppState) -> anyhow::Result<Paths> {
        use entity::{registration, user};
        let id_of = async |email: &str| -> anyhow::Result<i32> {
            Ok(user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(&state.db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))?
                .id)
        };
        let ana = id_of(VIEWER_EMAIL).await?;
        let event = registration::Entity::find()
            .filter(registration::Column::UserId.eq(ana))
            .filter(registration::Column::Status.eq("confirmed"))
            .order_by_asc(registration::Column::Id)
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("Ana holds no ticket"))?
            .event_id;
        let (mine, _) = app::domain::social::groups::list(state.graph.as_ref(), ana).await?;
        let group = mine
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("Ana is in no group"))?
            .group
            .key;
        Ok(Paths {
            event,
            person: id_of("ben@lineup.test").await?,
            group,
        })
    }

    fn pages(&self) -> Vec<(&'static str, String)> {
        vec![
            ("event", format!("/events/{}", self.event)),
            ("home", "/".into()),
            ("feed", "/feed".into()),
            ("search", "/search?q=music&category=music&price=free".into()),
            ("my_tickets", "/my/tickets".into()),
            ("person", format!("/people/{}", self.person)),
            ("group", format!("/groups/{}", self.group)),
        ]
    }
}

/// Signs Ana in through the sign-in form and returns her session cookie.
async fn sign_in(addr: std::net::SocketAddr) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = client
        .post(format!("http://{addr}/api/accounts/sign_in"))
        .header("accept", "text/html")
        .form(&[("email", VIEWER_EMAIL), ("password", demo::DEMO_PASSWORD)])
        .send()
        .await?;
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(server::http::page_cache::SESSION_COOKIE))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("signing in set no session cookie ({})", response.status()))
}

struct Run {
    latencies_us: Vec<u64>,
    errors: u64,
    elapsed: Duration,
    bytes: usize,
    status: u16,
}

fn percentile(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    (sorted_us[i] as f64 / 10.0).round() / 100.0
}

/// Loads `path` from every connection until `duration` has passed. A page answers with the
/// status of its first response (a signed-out visitor's feed is a 401 page); any other status
/// counts as an error.
async fn load(
    addr: std::net::SocketAddr,
    path: &str,
    cookie: Option<&str>,
    duration: Duration,
) -> anyhow::Result<Run> {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let request: Arc<[u8]> =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n{cookie}\r\n")
            .into_bytes()
            .into();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut size = 0;
            let mut first = None;
            let mut conn = BufReader::new(TcpStream::connect(addr).await?);
            while Instant::now() < deadline {
                let sent = Instant::now();
                conn.get_mut().write_all(&request).await?;
                let (status, len) = read_response(&mut conn).await?;
                let expected = *first.get_or_insert(status);
                if status == expected && status < 500 {
                    latencies.push(sent.elapsed().as_micros() as u64);
                    size = len;
                } else {
                    errors += 1;
                }
            }
            Ok::<_, anyhow::Error>((latencies, errors, size, first.unwrap_or(0)))
        }));
    }
    let mut run = Run {
        latencies_us: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
        bytes: 0,
        status: 0,
    };
    for task in tasks {
        let (latencies, errors, size, status) = task.await??;
        run.latencies_us.extend(latencies);
        run.errors += errors;
        run.bytes = size;
        run.status = status;
    }
    run.elapsed = started.elapsed();
    run.latencies_us.sort_unstable();
    Ok(run)
}

/// Reads one HTTP/1.1 response (Content-Length or chunked); returns the status and body size.
async fn read_response(conn: &mut BufReader<TcpStream>) -> anyhow::Result<(u16, usize)> {
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            anyhow::bail!("connection closed");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let lower = header.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut total = 0;
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16)?;
            let mut chunk = vec![0; size + 2];
            conn.read_exact(&mut chunk).await?;
            total += size;
            if size == 0 {
                break;
            }
        }
    } else if let Some(len) = length {
        let mut body = vec![0; len];
        conn.read_exact(&mut body).await?;
        total = len;
    }
    Ok((status, total))
}

/// Where requests spend their time: the wall time of every span of Lineup's code (data loaders,
/// graph queries) and of every database statement, summed by name while recording is on.
#[derive(Clone, Default)]
struct SpanTimes(Arc<Recorder>);

#[derive(Default)]
struct Recorder {
    on: AtomicBool,
    totals: Mutex<BTreeMap<String, (u64, Duration)>>,
}

struct Opened(String, Instant);

struct SqlField(Option<String>);

impl tracing::field::Visit for SqlField {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "sql" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

impl SpanTimes {
    fn recording(&self) -> bool {
        self.0.on.load(Ordering::Relaxed)
    }

    fn add(&self, name: String, elapsed: Duration) {
        let mut totals = self.0.totals.lock().unwrap_or_else(|p| p.into_inner());
        let entry = totals.entry(name).or_default();
        entry.0 += 1;
        entry.1 += elapsed;
    }

    fn start(&self) {
        self.0
            .totals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.0.on.store(true, Ordering::Relaxed);
    }

    /// Stops recording. Per request: how often each span ran and its wall time in milliseconds,
    /// busiest first.
    fn stop(&self, requests: u64) -> serde_json::Value {
        self.0.on.store(false, Ordering::Relaxed);
        let totals = self.0.totals.lock().unwrap_or_else(|p| p.into_inner());
        let mut rows: Vec<_> = totals.iter().collect();
        rows.sort_by_key(|row| std::cmp::Reverse(row.1 .1));
        let requests = requests.max(1) as f64;
        serde_json::Value::Array(
            rows.into_iter()
                .take(24)
                .map(|(name, (count, total))| {
                    serde_json::json!({
                        "span": name,
                        "per_request": ((*count as f64 / requests) * 100.0).round() / 100.0,
                        "ms_per_request": ((total.as_secs_f64() * 1000.0 / requests) * 1000.0).round() / 1000.0,
                    })
                })
                .collect(),
        )
    }

    /// Every statement the server's database connection runs, timed as `db <verb> <table>`.
    fn watch_statements(&self, db: &mut sea_orm::DatabaseConnection) {
        let times = self.clone();
        db.set_metric_callback(move |info| {
            if times.recording() {
                times.add(statement_name(&info.statement.sql), info.elapsed);
            }
        });
    }
}

/// `db select user`, `db update session`, …: a statement's verb and first table.
fn statement_name(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().take(64).collect();
    let verb = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    let after = match verb.as_str() {
        "select" | "delete" => "from",
        "insert" => "into",
        _ => "",
    };
    let table = if after.is_empty() {
        words.get(1).copied()
    } else {
        words
            .iter()
            .position(|w| w.eq_ignore_ascii_case(after))
            .and_then(|i| words.get(i + 1).copied())
    }
    .unwrap_or("?")
    .trim_matches(|c| c == '"' || c == '`');
    format!("db {verb} {table}")
}

impl<S> Layer<S> for SpanTimes
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        let ours = ["app", "server"]
            .iter()
            .any(|t| meta.target() == *t || meta.target().starts_with(&format!("{t}::")));
        if ours && meta.is_span() {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, _: &Metadata<'_>, _: Context<'_, S>) -> bool {
        self.recording()
    }

    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            // a graph query is told apart by its first words
            let mut sql = SqlField(None);
            attrs.record(&mut sql);
            let name = match sql.0 {
                Some(sql) => format!("{}: {sql}", span.name()),
                None => span.name().to_owned(),
            };
            span.extensions_mut().insert(Opened(name, Instant::now()));
        }
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            if let Some(Opened(name, at)) = span.extensions().get::<Opened>() {
                self.add(name.clone(), at.elapsed());
            }
        }
    }
}
