//! `cargo bench -p server --bench soak`: Lineup under a steady, mixed, signed-in load for
//! minutes, watching for errors, slow requests and memory that keeps growing.
//!
//! The server is the release `lineup` binary of this build, as deployed: `lineup seed` loads the
//! demo data into a fresh data directory (SQLite, the embedded graph and search index), then
//! `lineup serve` runs on it with every background worker (search, graph, notifications, event
//! cancellation, the ticketing sweeper, sessions and curation) and the request limits off (all
//! the traffic comes from one address). The bench waits until the outbox is empty, so the start
//! figure is the server with its stores caught up, before any traffic. The 10 demo attendees
//! sign in through the sign-in form; then requests leave at a fixed rate (a fixed schedule, not
//! as fast as the server answers) over up to 64 keep-alive connections, each as one of the
//! attendees, in this mix:
//! - browse (40%): the home page (15%) and the pages of published, upcoming events (25%);
//! - search (15%): `/search` with a few queries and filters;
//! - feed (15%): `/feed`;
//! - my tickets (15%): `/my/tickets`;
//! - tickets (15%): an attendee without a registration of the bench's RSVPs to a free event
//!   with seats left (`POST /api/tickets/register`), one who has one cancels it
//!   (`POST /api/tickets/cancel`), so seats come back and each attendee holds at most one.
//!
//! A request's latency runs from sending it to having read the whole response (uncompressed:
//! the requests carry no Accept-Encoding). An error is a transport error, any status of 400 or
//! more (a 401 would mean a lost session), a page that is not 200, or a form post that does not
//! redirect; a refused booking (a redirect with `x-lineup-refused`, say "already registered")
//! is not one. Resident memory (VmRSS of the server process) is read once the stores caught up,
//! before any traffic; halfway through; at the end of the traffic; and after 10 s idle.
//!
//! Environment: `SOAK_SECONDS` (default 180), `SOAK_RPS` (requests per second, default 200).
//!
//! Targets (the issue's): no errors, `p99_ms` < 50, `rss_end_mb` <= 1.1 × `rss_mid_mb` (no
//! growth in the second half), `idle_rss_mb` < 80.
//!
//! Output: a progress line every 10 s on stderr, and last, on stdout, one JSON object:
//! `{"bench":"soak","seconds":180,"requests":…,"errors":…,"p99_ms":…,"rss_start_mb":…,
//! "rss_mid_mb":…,"rss_end_mb":…,"idle_rss_mb":…,"idle_rss_anon_mb":…,"idle_rss_file_mb":…,
//! "rps":…,"server_errors_logged":…,"db":"sqlite"}` (idle resident memory split into the heap
//! and the mapped binary and files; `server_errors_logged`: ERROR lines in the server's log).
use std::{
    collections::BTreeMap,
    net::SocketAddr,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    sync::Semaphore,
};

use server::cli::demo;

/// The demo's attendees (`ATTENDEES` in `server/src/cli/demo/accounts.rs`), all with
/// `demo::DEMO_PASSWORD`.
const ATTENDEES: [&str; 10] = [
    "ana@lineup.test",
    "ben@lineup.test",
    "chloe@lineup.test",
    "dmitri@lineup.test",
    "emma@lineup.test",
    "farid@lineup.test",
    "grace@lineup.test",
    "hiro@lineup.test",
    "ines@lineup.test",
    "jonas@lineup.test",
];
/// Most requests in flight (and so keep-alive connections) at once.
const MAX_IN_FLIGHT: usize = 64;
const PROGRESS_EVERY: Duration = Duration::from_secs(10);
const IDLE: Duration = Duration::from_secs(10);
/// The free ticket types the attendees book, at most.
const TICKET_TYPES: usize = 20;
/// Seats a ticket type must have left to be booked: every attendee could hold one at once.
const SEATS_LEFT: i32 = 2 * ATTENDEES.len() as i32;

const SEARCHES: [&str; 6] = [
    "/search?q=music&cat=music",
    "/search?q=run&cat=sports",
    "/search?q=food&cat=food-drink&price=free",
    "/search?q=open+source&cat=tech",
    "/search?cat=community&when=week",
    "/search?q=berlin",
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Home,
    Event,
    Search,
    Feed,
    MyTickets,
    Rsvp,
    Cancel,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Event => "event",
            Kind::Search => "search",
            Kind::Feed => "feed",
            Kind::MyTickets => "my_tickets",
            Kind::Rsvp => "rsvp",
            Kind::Cancel => "cancel",
        }
    }
}

/// What is picked for a request, out of 20: the mix above. `Rsvp` stands for a ticket action,
/// a booking or a cancellation as the attendee's state says.
const MIX: [(Kind, u32); 6] = [
    (Kind::Home, 3),
    (Kind::Event, 5),
    (Kind::Search, 3),
    (Kind::Feed, 3),
    (Kind::MyTickets, 3),
    (Kind::Rsvp, 3),
];

fn main() -> anyhow::Result<()> {
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .filter(|&v| v > 0)
            .unwrap_or(default)
    };
    let seconds = env("SOAK_SECONDS", 180);
    let rps = env("SOAK_RPS", 200);

    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("data");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("soak.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let lineup = |command: &str| {
        let mut process = Command::new(env!("CARGO_BIN_EXE_lineup"));
        process
            .arg(command)
            .env("LINEUP_DATA_DIR", &data_dir)
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_OUTPUT_NAME", "lineup")
            .env("LINEUP_PUBLIC_URL", format!("http://{addr}"))
            .env("LINEUP_RATE_LIMITS", "off")
            .env("RUST_LOG", "warn")
            .env_remove("SURREAL_URL")
            .env_remove("MEILI_URL")
            .env_remove("SMTP_URL")
            .stdout(Stdio::null());
        process
    };

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let loading = Instant::now();
    let seeded = lineup("seed").stderr(Stdio::inherit()).status()?;
    anyhow::ensure!(seeded.success(), "lineup seed failed: {seeded}");
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path)?;
    let mut server = Server(lineup("serve").stderr(log).spawn()?);
    let pid = server.0.id();
    let plan = rt.block_on(caught_up(addr, &url, &mut server, &log_path))?;
    eprintln!(
        "soak: demo loaded, server up and caught up in {:.1} s: {} event pages, {} free ticket types to book",
        loading.elapsed().as_secs_f64(),
        plan.events.len(),
        plan.ticket_types.len(),
    );

    let cookies = rt.block_on(async {
        let mut cookies = Vec::new();
        for email in ATTENDEES {
            cookies.push(sign_in(addr, email).await?);
        }
        Ok::<_, anyhow::Error>(cookies)
    })?;

    let rss_start_mb = rss_mb(pid);
    let run = rt.block_on(traffic(addr, &plan, &cookies, seconds, rps, pid))?;
    std::thread::sleep(IDLE);
    let idle_rss_mb = rss_mb(pid);
    let (idle_anon_mb, idle_file_mb) = (status_mb(pid, "RssAnon:"), status_mb(pid, "RssFile:"));
    let errors_logged = std::fs::read_to_string(&log_path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("ERROR"))
        .count();
    drop(server);

    let summary = format!(
        "{{\"bench\":\"soak\",\"seconds\":{seconds},\"requests\":{},\"errors\":{},\"p99_ms\":{},\"rss_start_mb\":{},\"rss_mid_mb\":{},\"rss_end_mb\":{},\"idle_rss_mb\":{},\"idle_rss_anon_mb\":{idle_anon_mb},\"idle_rss_file_mb\":{idle_file_mb},\"rps\":{},\"server_errors_logged\":{errors_logged},\"db\":\"sqlite\"}}",
        run.requests,
        run.errors,
        run.p99_ms,
        rss_start_mb,
        run.rss_mid_mb,
        run.rss_end_mb,
        idle_rss_mb,
        run.rps,
    );
    // the figures by kind of request, then the one line that sums it up
    eprintln!("soak: by kind {}", run.by_kind);
    println!("{summary}");
    Ok(())
}

/// The `lineup serve` process, killed when dropped (its data directory goes with the bench).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the traffic uses: published upcoming events and free ticket types with seats left.
struct Plan {
    events: Vec<i32>,
    /// (event id, ticket type id)
    ticket_types: Vec<(i32, i32)>,
}

/// Waits until the server answers and its outbox has been empty for a few seconds (the search
/// index, the graph and the notifications have caught up with the demo), then reads the plan.
async fn caught_up(
    addr: SocketAddr,
    url: &str,
    server: &mut Server,
    log: &std::path::Path,
) -> anyhow::Result<Plan> {
    use sea_orm::PaginatorTrait;
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(status) = server.0.try_wait()? {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            anyhow::bail!("lineup serve exited ({status}):\n{log}");
        }
        let up = client
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        if up {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "lineup serve did not come up");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let db = sea_orm::Database::connect(url).await?;
    let mut empty_since = None;
    loop {
        let left = entity::outbox::Entity::find().count(&db).await?;
        let now = Instant::now();
        match (left, empty_since) {
            (0, None) => empty_since = Some(now),
            (0, Some(since)) if now - since >= Duration::from_secs(5) => break,
            (0, Some(_)) => {}
            _ => empty_since = None,
        }
        anyhow::ensure!(
            now < deadline,
            "the outbox did not empty ({left} rows left)"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    plan(&db).await
}

async fn plan(db: &sea_orm::DatabaseConnection) -> anyhow::Result<Plan> {
    use app::{domain::ticketing::ticket_types, model::language::Locale};
    use entity::{event, ticket_type};
    let now = chrono::Utc::now();
    let open: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::Status.eq("published"))
        .filter(event::Column::HiddenAt.is_null())
        .filter(event::Column::EndsAt.gt(now))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    let bookable: Vec<i32> = open
        .iter()
        .filter(|e| e.capacity - e.seats_taken >= SEATS_LEFT)
        .map(|e| e.id)
        .collect();
    let ticket_types: Vec<(i32, i32)> = ticket_type::Entity::find()
        .filter(ticket_type::Column::EventId.is_in(bookable))
        .filter(ticket_type::Column::PriceMinor.eq(0))
        .filter(ticket_type::Column::RequiresApproval.eq(false))
        .order_by_asc(ticket_type::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|tt| {
            tt.quantity - tt.taken >= SEATS_LEFT
                && ticket_types::unavailable_reason(tt, None, now, Locale::en).is_none()
                && ticket_types::questions_of(tt).is_empty()
        })
        .map(|tt| (tt.event_id, tt.id))
        .take(TICKET_TYPES)
        .collect();
    anyhow::ensure!(!open.is_empty(), "the demo has no published upcoming event");
    anyhow::ensure!(
        !ticket_types.is_empty(),
        "the demo has no free ticket type with seats left"
    );
    Ok(Plan {
        events: open.into_iter().map(|e| e.id).collect(),
        ticket_types,
    })
}

/// Signs an attendee in through the sign-in form and returns their session cookie.
async fn sign_in(addr: SocketAddr, email: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = client
        .post(format!("http://{addr}/api/accounts/sign_in"))
        .header("accept", "text/html")
        .form(&[("email", email), ("password", demo::DEMO_PASSWORD)])
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
        .ok_or_else(|| {
            anyhow::anyhow!(
                "signing {email} in set no session cookie ({})",
                response.status()
            )
        })
}

/// One attendee's bookings: whether a ticket action of theirs is under way, the registration
/// the bench made for them (to cancel next) and how many bookings they tried.
#[derive(Default)]
struct Attendee {
    busy: bool,
    held: Option<i32>,
    bookings: usize,
}

#[derive(Default)]
struct Stats {
    latencies_us: Vec<u64>,
    /// latencies since the last progress line
    window_us: Vec<u64>,
    errors: u64,
    window_errors: u64,
    /// per kind: requests, errors, refused form posts
    by_kind: BTreeMap<Kind, (u64, u64, u64)>,
    error_samples: usize,
}

impl Stats {
    fn record(
        &mut self,
        kind: Kind,
        latency: Option<Duration>,
        error: Option<String>,
        refused: bool,
    ) {
        let entry = self.by_kind.entry(kind).or_default();
        entry.0 += 1;
        if refused {
            entry.2 += 1;
        }
        if let Some(latency) = latency {
            let us = latency.as_micros() as u64;
            self.latencies_us.push(us);
            self.window_us.push(us);
        }
        if let Some(error) = error {
            entry.1 += 1;
            self.errors += 1;
            self.window_errors += 1;
            if self.error_samples < 20 {
                self.error_samples += 1;
                eprintln!("soak: error: {} {error}", kind.name());
            }
        }
    }
}

struct Run {
    requests: u64,
    errors: u64,
    p99_ms: f64,
    rps: f64,
    rss_mid_mb: f64,
    rss_end_mb: f64,
    by_kind: String,
}

type Conn = BufReader<TcpStream>;

struct Shared {
    addr: SocketAddr,
    cookies: Vec<String>,
    ticket_types: Vec<(i32, i32)>,
    attendees: Vec<Mutex<Attendee>>,
    idle: Mutex<Vec<Conn>>,
    stats: Mutex<Stats>,
}

/// Sends `seconds × rps` requests, request `i` at `i / rps` s from the start, each on its own
/// task; waits for the last answers.
async fn traffic(
    addr: SocketAddr,
    plan: &Plan,
    cookies: &[String],
    seconds: u64,
    rps: u64,
    pid: u32,
) -> anyhow::Result<Run> {
    let shared = Arc::new(Shared {
        addr,
        cookies: cookies.to_vec(),
        ticket_types: plan.ticket_types.clone(),
        attendees: cookies.iter().map(|_| Mutex::default()).collect(),
        idle: Mutex::new(Vec::new()),
        stats: Mutex::default(),
    });
    let slots: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut rng = ChaCha8Rng::seed_from_u64(demo::SEED);
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let total = seconds * rps;
    let period = Duration::from_secs(1).as_secs_f64() / rps as f64;
    let mut rss_mid_mb = 0.0;
    let mut behind_max = Duration::ZERO;
    let start = tokio::time::Instant::now();
    let mut next_progress = PROGRESS_EVERY;
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 * period);
        tokio::time::sleep_until(due).await;
        let permit = in_flight.clone().acquire_owned().await?;
        behind_max = behind_max.max(tokio::time::Instant::now().saturating_duration_since(due));
        if i == total / 2 {
            rss_mid_mb = rss_mb(pid);
        }
        let user = rng.gen_range(0..shared.cookies.len());
        let mut pick = rng.gen_range(0..slots);
        let kind = MIX
            .iter()
            .find(|(_, w)| {
                let hit = pick < *w;
                pick = pick.saturating_sub(*w);
                hit
            })
            .map(|(k, _)| *k)
            .unwrap_or(Kind::Home);
        let path = match kind {
            Kind::Home => "/".to_owned(),
            Kind::Event => format!(
                "/events/{}",
                plan.events[rng.gen_range(0..plan.events.len())]
            ),
            Kind::Search => SEARCHES[rng.gen_range(0..SEARCHES.len())].to_owned(),
            Kind::Feed => "/feed".to_owned(),
            _ => "/my/tickets".to_owned(),
        };
        let task = shared.clone();
        tokio::spawn(async move {
            one(&task, user, kind, path).await;
            drop(permit);
        });

        let elapsed = start.elapsed();
        if elapsed >= next_progress {
            next_progress += PROGRESS_EVERY;
            let mut stats = shared.stats.lock().unwrap_or_else(|p| p.into_inner());
            let mut window = std::mem::take(&mut stats.window_us);
            window.sort_unstable();
            eprintln!(
                "soak: {:>4.0} s: {} requests sent, {} errors ({} in the last {} s), p99 {} ms, max {} ms, schedule behind by up to {} ms, rss {} MB",
                elapsed.as_secs_f64(),
                i + 1,
                stats.errors,
                stats.window_errors,
                PROGRESS_EVERY.as_secs(),
                percentile(&window, 0.99),
                percentile(&window, 1.0),
                behind_max.as_millis(),
                rss_mb(pid),
            );
            stats.window_errors = 0;
            behind_max = Duration::ZERO;
        }
    }
    // the last answers
    let _all = in_flight.acquire_many(MAX_IN_FLIGHT as u32).await?;
    let elapsed = start.elapsed();
    let rss_end_mb = rss_mb(pid);
    shared
        .idle
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();

    let mut stats = shared.stats.lock().unwrap_or_else(|p| p.into_inner());
    stats.latencies_us.sort_unstable();
    let by_kind: serde_json::Map<String, serde_json::Value> = stats
        .by_kind
        .iter()
        .map(|(kind, (n, errors, refused))| {
            (
                kind.name().to_owned(),
                serde_json::json!({ "requests": n, "errors": errors, "refused": refused }),
            )
        })
        .collect();
    let requests: u64 = stats.by_kind.values().map(|v| v.0).sum();
    Ok(Run {
        requests,
        errors: stats.errors,
        p99_ms: percentile(&stats.latencies_us, 0.99),
        rps: (requests as f64 / elapsed.as_secs_f64()).round(),
        rss_mid_mb,
        rss_end_mb,
        by_kind: serde_json::Value::Object(by_kind).to_string(),
    })
}

/// One request of `user`: a page, or for `Kind::Rsvp` the attendee's next ticket action.
async fn one(shared: &Shared, user: usize, mut kind: Kind, path: String) {
    let cookie = &shared.cookies[user];
    let addr = shared.addr;
    let request = if kind == Kind::Rsvp {
        let mut attendee = shared.attendees[user]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if attendee.busy {
            // their last ticket action is still under way: a look at their tickets instead
            kind = Kind::MyTickets;
            get(addr, &path, cookie)
        } else {
            attendee.busy = true;
            match attendee.held {
                Some(id) => {
                    kind = Kind::Cancel;
                    post(addr, "/api/tickets/cancel", &format!("id={id}"), cookie)
                }
                None => {
                    let n = shared.ticket_types.len();
                    let (event, tt) = shared.ticket_types[(user + attendee.bookings) % n];
                    attendee.bookings += 1;
                    post(
                        addr,
                        "/api/tickets/register",
                        &format!("event_id={event}&ticket_type={tt}&quantity=1"),
                        cookie,
                    )
                }
            }
        }
    } else {
        get(addr, &path, cookie)
    };

    let conn = shared.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let result = exchange(addr, conn, &request).await;
    let (latency, error, refused) = match result {
        Err(e) => (None, Some(format!("transport: {e}")), false),
        Ok((conn, response, latency)) => {
            if let Some(conn) = conn {
                shared
                    .idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(conn);
            }
            let status = response.status;
            let expected = match kind {
                Kind::Rsvp | Kind::Cancel => (300..400).contains(&status),
                _ => status == 200,
            };
            let error = (!expected || status >= 400).then(|| {
                format!(
                    "{} → {status}{}",
                    request
                        .split(|&b| b == b'\r')
                        .next()
                        .map(String::from_utf8_lossy)
                        .unwrap_or_default(),
                    response
                        .location
                        .as_deref()
                        .map(|l| format!(" (to {l})"))
                        .unwrap_or_default()
                )
            });
            if matches!(kind, Kind::Rsvp | Kind::Cancel) {
                let mut attendee = shared.attendees[user]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                attendee.busy = false;
                if kind == Kind::Cancel {
                    attendee.held = None;
                } else if error.is_none() && !response.refused {
                    attendee.held = response
                        .location
                        .as_deref()
                        .and_then(|l| l.strip_prefix("/my/tickets/"))
                        .and_then(|id| id.parse().ok());
                }
            }
            (Some(latency), error, response.refused)
        }
    };
    if latency.is_none() && matches!(kind, Kind::Rsvp | Kind::Cancel) {
        let mut attendee = shared.attendees[user]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        attendee.busy = false;
        attendee.held = None;
    }
    shared
        .stats
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .record(kind, latency, error, refused);
}

fn get(addr: SocketAddr, path: &str, cookie: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nCookie: {cookie}\r\n\r\n")
        .into_bytes()
}

/// A browser's form post: same-origin, wanting HTML back (so a refusal is a redirect).
fn post(addr: SocketAddr, path: &str, body: &str, cookie: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nContent-Type: application/x-www-form-urlencoded\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends a request on `conn` (a new connection when there is none) and reads the response.
/// Returns the connection when it may be used again, and the time from sending to the end of
/// the response.
async fn exchange(
    addr: SocketAddr,
    conn: Option<Conn>,
    request: &[u8],
) -> anyhow::Result<(Option<Conn>, Response, Duration)> {
    let mut conn = match conn {
        Some(conn) => conn,
        None => BufReader::new(TcpStream::connect(addr).await?),
    };
    let sent = Instant::now();
    conn.get_mut().write_all(request).await?;
    let response = read_response(&mut conn).await?;
    let latency = sent.elapsed();
    Ok(((!response.close).then_some(conn), response, latency))
}

struct Response {
    status: u16,
    location: Option<String>,
    refused: bool,
    close: bool,
}

/// Reads one HTTP/1.1 response (Content-Length or chunked).
async fn read_response(conn: &mut Conn) -> anyhow::Result<Response> {
    let mut line = String::new();
    if conn.read_line(&mut line).await? == 0 {
        anyhow::bail!("connection closed");
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut response = Response {
        status,
        location: None,
        refused: false,
        close: false,
    };
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
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "location" => response.location = Some(value.to_owned()),
            "connection" => response.close = value.eq_ignore_ascii_case("close"),
            n if n == app::domain::context::REFUSED_HEADER => response.refused = true,
            _ => {}
        }
    }
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16)?;
            let mut chunk = vec![0; size + 2];
            conn.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(len) = length {
        let mut body = vec![0; len];
        conn.read_exact(&mut body).await?;
    }
    Ok(response)
}

/// Milliseconds, to 0.01.
fn percentile(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    (sorted_us[i] as f64 / 10.0).round() / 100.0
}

/// The resident memory (VmRSS) of process `pid`, in MB to 0.1.
fn rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmRSS:")
}

/// A memory figure of `/proc/<pid>/status` (`VmRSS:`, `RssAnon:`, `RssFile:`), in MB to 0.1.
fn status_mb(pid: u32, field: &str) -> f64 {
    let kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .unwrap_or(0.0);
    (kb / 1024.0 * 10.0).round() / 10.0
}
