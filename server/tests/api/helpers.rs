//! `spawn_app`: the real router on 127.0.0.1:0 with a fresh database (a temporary SQLite file, or
//! a new Postgres database when `TEST_DATABASE_URL` is set) and an in-memory graph.
use std::{path::PathBuf, sync::Arc};

use reqwest::{cookie::Jar, header, multipart, redirect::Policy, Client, Response};
use sea_orm::DatabaseConnection;
use tempfile::TempDir;

use app::domain::{context::AppState, discovery::SearchIndex};
use server::{config::Config, startup};

/// No request in these tests should come near this; a hang fails instead of stalling the run.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub jar: Arc<Jar>,
    pub db: DatabaseConnection,
    pub config: Config,
    pub data_dir: Arc<TempDir>,
    pub search: Arc<dyn SearchIndex>,
    /// The server's shared state, for tests that call domain functions directly.
    pub state: AppState,
    server: tokio::task::JoinHandle<()>,
    worker: tokio::task::JoinHandle<()>,
    graph_worker: tokio::task::JoinHandle<()>,
    notify_workers: Vec<tokio::task::JoinHandle<()>>,
    cancellation_worker: tokio::task::JoinHandle<()>,
    sitemap_worker: tokio::task::JoinHandle<()>,
    /// The SMTP server the app mails to, when it was started with one.
    pub smtp: Option<Arc<crate::smtp_sink::SmtpSink>>,
}

/// One mail of the mail directory, parsed.
pub struct WrittenMail {
    pub to: String,
    pub subject: String,
    /// The decoded text part.
    pub text: String,
    pub raw: String,
}

/// Another server process of the same deployment (see `TestApp::second_instance`).
pub struct Instance {
    pub address: String,
    _dir: Arc<TempDir>,
    server: tokio::task::JoinHandle<()>,
    listener: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(listener) = &self.listener {
            listener.abort();
        }
    }
}

/// Runs a test body against SQLite, and against Postgres when `TEST_DATABASE_URL` is set. With
/// `spawn = |backend| …`, the app is started by that instead of `spawn_app`.
#[macro_export]
macro_rules! storage_test {
    ($name:ident, $body:expr) => {
        $crate::storage_test!($name, spawn = $crate::helpers::spawn_app, $body);
    };
    ($name:ident, spawn = $spawn:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = ($spawn)($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("sqlite app");
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = ($spawn)($crate::helpers::Backend::Postgres).await else {
                    // .ci/run sets LINEUP_REQUIRE_POSTGRES when it found a server: there, a
                    // missing database is a failure, not a skip
                    assert!(
                        std::env::var_os("LINEUP_REQUIRE_POSTGRES").is_none(),
                        "LINEUP_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
                    );
                    eprintln!("TEST_DATABASE_URL not set: Postgres variant skipped");
                    return;
                };
                ($body)(app).await;
            }
        }
    };
}

async fn fresh_database_url(backend: Backend, dir: &std::path::Path) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!(
            "sqlite://{}?mode=rwc",
            dir.join("test.db").display()
        )),
        Backend::Postgres => {
            let base = std::env::var("TEST_DATABASE_URL")
                .ok()
                .filter(|v| !v.is_empty())?;
            let url = server::db::create_scratch_postgres(&base, "lineup_test")
                .await
                .expect("create a test database on TEST_DATABASE_URL");
            Some(url)
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, None, None, None).await
}

/// An app behind a reverse proxy on 127.0.0.1 (so `X-Forwarded-For` names the client), with the
/// request limits on as deployed.
pub async fn spawn_app_behind_proxy(backend: Backend) -> Option<TestApp> {
    let mut app = spawn_app_with(backend, None, None, None).await?;
    app.config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")];
    app.config.rate_limit_scale = 1;
    Some(app.restart().await)
}

pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_test_lineup";

/// An app whose Stripe API calls go to `stub` (see `stripe_stub`).
pub async fn spawn_app_with_stripe(backend: Backend, stub: &str) -> Option<TestApp> {
    let stripe = server::config::StripeConfig {
        secret_key: "sk_test_lineup".into(),
        webhook_secret: STRIPE_WEBHOOK_SECRET.into(),
        api_base: stub.to_owned(),
    };
    spawn_app_with(backend, None, Some(stripe), None).await
}

/// An app that sends its mail to a real SMTP server of its own (`smtp_sink`), which refuses
/// the first `refuse` messages for a while.
pub async fn spawn_app_with_smtp(backend: Backend, refuse: usize) -> Option<TestApp> {
    let sink = crate::smtp_sink::SmtpSink::start(refuse).await;
    let mut app = spawn_app_with(backend, None, None, Some(sink.url())).await?;
    app.smtp = Some(Arc::new(sink));
    Some(app)
}

/// An app on SQLite whose search index is a new Meilisearch index, when `MEILI_URL` is set.
pub async fn spawn_app_with_meilisearch() -> Option<TestApp> {
    let url = std::env::var("MEILI_URL").ok().filter(|v| !v.is_empty())?;
    let meili = server::config::MeiliConfig {
        url,
        master_key: std::env::var("MEILI_MASTER_KEY").ok(),
        index: format!("test_{}", uuid::Uuid::new_v4().simple()),
    };
    spawn_app_with(Backend::Sqlite, Some(meili), None, None).await
}

async fn spawn_app_with(
    backend: Backend,
    meili: Option<server::config::MeiliConfig>,
    stripe: Option<server::config::StripeConfig>,
    smtp_url: Option<String>,
) -> Option<TestApp> {
    let data_dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = fresh_database_url(backend, data_dir.path()).await?;
    let config = Config {
        meili,
        stripe,
        smtp_url,
        fast_track_reputation: Some(server::config::DEFAULT_FAST_TRACK_REPUTATION),
        ..Config::in_process(PathBuf::from(data_dir.path()), database_url)
    };
    Some(start(config, data_dir, Arc::new(Jar::default())).await)
}

/// A server on `config` (its stores already there), with a new cookie jar; `data_dir` is kept
/// as long as the app.
pub async fn start_on(config: Config, data_dir: Arc<TempDir>) -> TestApp {
    start(config, data_dir, Arc::new(Jar::default())).await
}

async fn start(config: Config, data_dir: Arc<TempDir>, jar: Arc<Jar>) -> TestApp {
    let state = tokio::time::timeout(REQUEST_TIMEOUT, async {
        loop {
            match startup::build_state(&config).await {
                // after a restart, the old server's connections (and the index's write lock
                // they keep alive through its state) close a moment later
                // (and a graph store closed a moment ago still holds its lock file)
                Err(e)
                    if e.to_string().contains("in use by another Lineup process")
                        || e.to_string().contains("already locked") =>
                {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await
                }
                other => return other,
            }
        }
    })
    .await
    .expect("start-up finishes")
    .expect("build state");
    let db = state.db.clone();
    let search = state.search.clone();
    let worker = startup::spawn_search_worker(&state);
    let graph_worker = startup::spawn_graph_worker(&state);
    let notify_workers = startup::spawn_notification_workers(&state);
    let cancellation_worker = startup::spawn_cancellation_worker(&state);
    let sitemap_worker = startup::spawn_sitemap_worker(&state);
    let shared = state.clone();
    let router = startup::router(state, startup::leptos_options(&config), false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        let _ = startup::serve(listener, router).await;
    });
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        jar,
        db,
        config,
        data_dir,
        search,
        state: shared,
        server,
        worker,
        graph_worker,
        notify_workers,
        cancellation_worker,
        sitemap_worker,
        smtp: None,
    }
}

impl TestApp {
    /// Stops this server and starts a new one on the same database and data directory, keeping
    /// the browser's cookies.
    pub async fn restart(self) -> TestApp {
        let (config, data_dir, jar) = self.stop().await;
        start(config, data_dir, jar).await
    }

    /// Stops this server, its workers and its connections; what it leaves is the configuration
    /// and the data directory, for another process to use.
    pub async fn stop(self) -> (Config, Arc<TempDir>, Arc<Jar>) {
        let TestApp {
            client,
            jar,
            db,
            config,
            data_dir,
            search,
            server,
            worker,
            graph_worker,
            notify_workers,
            cancellation_worker,
            sitemap_worker,
            state,
            ..
        } = self;
        server.abort();
        worker.abort();
        graph_worker.abort();
        cancellation_worker.abort();
        sitemap_worker.abort();
        for w in &notify_workers {
            w.abort();
        }
        for w in notify_workers {
            let _ = w.await;
        }
        let _ = server.await;
        let _ = worker.await;
        let _ = graph_worker.await;
        let _ = cancellation_worker.await;
        let _ = sitemap_worker.await;
        // the old server's state (and the search index's write lock) lives as long as its
        // connections, which this client keeps open
        drop((client, search, state));
        db.close().await.ok();
        (config, data_dir, jar)
    }

    /// Stops the outbox worker, as if the process died after its transactions committed: what
    /// they wrote waits in the outbox.
    pub async fn stop_search_worker(&mut self) {
        self.worker.abort();
        let _ = (&mut self.worker).await;
    }

    /// Stops the worker that closes the registrations of cancelled events.
    pub async fn stop_cancellation_worker(&mut self) {
        self.cancellation_worker.abort();
        let _ = (&mut self.cancellation_worker).await;
    }

    /// Stops the graph's outbox worker: what changes write for the graph waits in the outbox.
    pub async fn stop_graph_worker(&mut self) {
        self.graph_worker.abort();
        let _ = (&mut self.graph_worker).await;
    }

    /// A second server process on the same database, with its own data directory and graph:
    /// it serves requests and hears live announcements, but runs no worker, so whatever it
    /// shows of the others' work came through the database.
    pub async fn second_instance(&self) -> Instance {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let config = Config {
            data_dir: PathBuf::from(dir.path()),
            ..self.config.clone()
        };
        let state = startup::build_state(&config).await.expect("second state");
        let listener =
            app::domain::notifications::live::spawn_listener(&state.db, state.live.clone());
        let router = startup::router(state, startup::leptos_options(&config), false);
        let socket = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", socket.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let _ = startup::serve(socket, router).await;
        });
        Instance {
            address,
            _dir: dir,
            server,
            listener,
        }
    }

    /// The mails the embedded mailer wrote to the data directory, oldest first.
    pub fn mails(&self) -> Vec<WrittenMail> {
        let Ok(entries) = std::fs::read_dir(self.data_dir.path().join("mail")) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let raw = std::fs::read_to_string(path).expect("mail");
                let message = mail_parser::MessageParser::default()
                    .parse(raw.as_bytes())
                    .expect("MIME");
                let to = message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_owned();
                WrittenMail {
                    to,
                    subject: message.subject().unwrap_or_default().to_owned(),
                    text: message.body_text(0).unwrap_or_default().into_owned(),
                    raw,
                }
            })
            .collect()
    }

    /// Stops the notifier and the mail worker: `notify.*` rows wait in the outbox.
    pub async fn stop_notifier(&mut self) {
        for worker in self.notify_workers.drain(..) {
            worker.abort();
            let _ = worker.await;
        }
    }

    pub fn start_notifier(&mut self) {
        self.notify_workers = startup::spawn_notification_workers(&self.state);
    }

    /// Waits until the outbox workers have delivered everything (or fails after five seconds).
    pub async fn outbox_delivered(&self) {
        for _ in 0..100 {
            let backlog = app::domain::outbox::backlog(&self.db)
                .await
                .expect("backlog");
            if backlog.pending == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the outbox was not delivered within five seconds");
    }

    /// A second browser with its own cookies, against the same server.
    pub fn other_browser(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn page(&self, path: &str) -> String {
        self.page_as(&self.client, path).await
    }

    /// A page's HTML as seen by `browser`.
    pub async fn page_as(&self, browser: &Client, path: &str) -> String {
        browser
            .get(self.url(path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .text()
            .await
            .expect("body")
    }

    /// Posts a plain form the way a browser without JavaScript does.
    pub async fn post_form(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        client
            .post(self.url(path))
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, self.url("/"))
            .form(fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn post_multipart(
        &self,
        client: &Client,
        path: &str,
        form: multipart::Form,
    ) -> Response {
        client
            .post(self.url(path))
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, self.url("/"))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn sign_up(&self, client: &Client, email: &str, organizer: bool) -> Response {
        let mut fields = vec![
            ("email", email),
            ("password", "a long password"),
            ("display_name", "Test Person"),
        ];
        if organizer {
            fields.push(("organizer", "on"));
        }
        self.post_form(client, "/api/accounts/sign_up", &fields)
            .await
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        self.post_form(
            client,
            "/api/accounts/sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A new browser signed in as a new account with `role`.
    pub async fn browser_as(&self, email: &str, role: &str) -> Client {
        let browser = self.other_browser();
        let response = self.sign_up(&browser, email, role == "organizer").await;
        assert_eq!(response.status(), 302, "sign-up of {email}");
        self.set_role(email, role).await;
        self.verify_email(email).await;
        browser
    }

    /// Marks the account's address confirmed, as its mailed link would.
    pub async fn verify_email(&self, email: &str) {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::update_many()
            .col_expr(
                entity::user::Column::EmailVerifiedAt,
                Expr::value(Some(chrono::Utc::now())),
            )
            .filter(entity::user::Column::Email.eq(email))
            .exec(&self.db)
            .await
            .expect("verify");
        self.state.changes.bump();
    }

    pub async fn set_role(&self, email: &str, role: &str) {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::update_many()
            .col_expr(entity::user::Column::Role, Expr::value(role))
            .filter(entity::user::Column::Email.eq(email))
            .exec(&self.db)
            .await
            .expect("set role");
        // written behind the server's back, as another process would: what it caches must know
        self.state.changes.bump();
    }

    pub async fn set_reputation(&self, email: &str, points: i32) {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::update_many()
            .col_expr(entity::user::Column::Reputation, Expr::value(points))
            .filter(entity::user::Column::Email.eq(email))
            .exec(&self.db)
            .await
            .expect("set reputation");
        // written behind the server's back, as another process would: what it caches must know
        self.state.changes.bump();
    }

    /// Makes the account look `days` old, as if it had signed up then.
    pub async fn age_account(&self, email: &str, days: i64) {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::update_many()
            .col_expr(
                entity::user::Column::CreatedAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::days(days)),
            )
            .filter(entity::user::Column::Email.eq(email))
            .exec(&self.db)
            .await
            .expect("age account");
        self.state.changes.bump();
    }

    /// A new browser signed in as an established attendee: confirmed, two months old, with one
    /// upheld report to their name.
    pub async fn established_account(&self, email: &str) -> Client {
        let browser = self.browser_as(email, "attendee").await;
        self.age_account(email, 60).await;
        self.set_reputation(email, 3).await;
        browser
    }

    /// Moves a published event into the past (it started 5 hours ago and ended 2 hours ago) and
    /// completes it, as the server's lifecycle task would.
    pub async fn end_event(&self, id: i32) {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        let now = chrono::Utc::now();
        entity::event::Entity::update_many()
            .col_expr(
                entity::event::Column::StartsAt,
                Expr::value(now - chrono::Duration::hours(5)),
            )
            .col_expr(
                entity::event::Column::EndsAt,
                Expr::value(now - chrono::Duration::hours(2)),
            )
            .filter(entity::event::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .expect("move the event");
        let completed = app::domain::curation::lifecycle::complete_ended(&self.db, now)
            .await
            .expect("complete");
        assert_eq!(completed, 1);
        self.state.changes.bump();
    }

    pub async fn user(&self, email: &str) -> entity::user::Model {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .expect("query")
            .expect("user exists")
    }

    pub async fn event(&self, id: i32) -> entity::event::Model {
        use sea_orm::EntityTrait;
        entity::event::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .expect("query")
            .expect("event exists")
    }

    /// The address (`/o/<slug>`) of the organization an event belongs to.
    pub async fn organization_slug(&self, event_id: i32) -> String {
        use sea_orm::EntityTrait;
        let org = self.event(event_id).await.organization_id;
        entity::organization::Entity::find_by_id(org)
            .one(&self.db)
            .await
            .expect("query")
            .expect("organization")
            .slug
    }

    /// Saves an event through the form as `browser` and returns its id.
    pub async fn create_event(&self, browser: &Client, changes: &[(&str, &str)]) -> i32 {
        let response = self
            .post_multipart(browser, "/api/events/save", event_form(changes))
            .await;
        assert_eq!(response.status(), 302);
        assert!(!refused(&response), "event saved");
        location(&response)
            .trim_start_matches("/events/")
            .parse()
            .expect("redirect to the event")
    }

    /// The newest review round of an event.
    pub async fn latest_round(&self, event_id: i32) -> entity::submission::Model {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        entity::submission::Entity::find()
            .filter(entity::submission::Column::EventId.eq(event_id))
            .order_by_desc(entity::submission::Column::Id)
            .one(&self.db)
            .await
            .expect("query")
            .expect("a review round")
    }

    /// A curator's decision posted like the review form does.
    pub async fn decide(
        &self,
        curator: &Client,
        round: &entity::submission::Model,
        decision: &str,
        note: &str,
    ) -> Response {
        self.post_form(
            curator,
            "/api/curation/decide",
            &[
                ("id", &round.id.to_string()),
                ("version", &round.version.to_string()),
                ("decision", decision),
                ("reason", "low_quality"),
                ("note", note),
            ],
        )
        .await
    }

    /// Creates, submits and approves an event; returns its id.
    pub async fn published_event(
        &self,
        organizer: &Client,
        curator: &Client,
        changes: &[(&str, &str)],
    ) -> i32 {
        let mut fields = changes.to_vec();
        fields.push(("intent", "submit"));
        let id = self.create_event(organizer, &fields).await;
        let round = self.latest_round(id).await;
        let response = self.decide(curator, &round, "approve", "Looks good.").await;
        assert!(!refused(&response), "approved");
        assert_eq!(self.event(id).await.status, "published");
        id
    }
}

/// Three established reporters (a month old, one upheld report each) report the event: enough
/// to hide it. Returns their addresses.
pub async fn hide_with_established_reports(app: &TestApp, event_id: i32) -> Vec<String> {
    let mut reporters = Vec::new();
    for n in 0..3 {
        let email = format!("established{n}@example.com");
        let reporter = app.established_account(&email).await;
        let response = app
            .post_form(
                &reporter,
                "/api/events/flag",
                &[
                    ("id", &event_id.to_string()),
                    ("reason", "spam"),
                    ("text", "This is a pyramid scheme"),
                ],
            )
            .await;
        assert!(!refused(&response));
        reporters.push(email);
    }
    assert!(app.event(event_id).await.hidden_at.is_some());
    reporters
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Whether a form post was refused (it still redirects, like a browser expects).
pub fn refused(response: &Response) -> bool {
    response.headers().contains_key("x-lineup-refused")
}

/// A description long, readable and structured enough to score well.
pub const GOOD_DESCRIPTION: &str = "## About\n\nA relaxed evening of live jazz on the canal with a quartet playing standards and a few new songs. \
Everyone is welcome, whether you play yourself or just love to listen. The band takes requests in the second set.\n\n\
## What to expect\n\n- Two sets of about forty minutes each\n- Drinks and small plates from the bar\n- A quiet corner for conversation\n\n\
## Getting there\n\nThe venue is a short walk from the tram stop and has step-free access. Bikes can be parked in the courtyard. \
Doors open half an hour before the music starts, and seats are first come, first served. Bring friends and enjoy a warm summer night by the water.";

/// A valid event form; `changes` replace or add fields.
pub fn event_form(changes: &[(&str, &str)]) -> multipart::Form {
    let mut fields: Vec<(String, String)> = [
        ("title", "Jazz by the Water"),
        ("summary", "Live jazz on the canal"),
        ("description", "Bring **friends**."),
        ("category", "music"),
        ("tags", "jazz, live"),
        ("timezone", "Europe/Berlin"),
        ("starts_at", "2031-06-01T19:00"),
        ("ends_at", "2031-06-01T22:00"),
        ("location_kind", "venue"),
        ("venue_name", "Kesselhaus"),
        ("venue_address", "Schönhauser Allee 36"),
        ("city", "Berlin"),
        ("latitude", "52.539"),
        ("longitude", "13.413"),
        ("capacity", "120"),
        ("is_free", "on"),
        ("intent", "draft"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in changes {
        fields.retain(|(key, _)| key != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
        .into_iter()
        .fold(multipart::Form::new(), |form, (k, v)| form.text(k, v))
}

/// A 1×1 PNG.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xB0, 0xD6, 0xDE, 0xFA,
    0x1F, 0x00, 0x03, 0xDB, 0x02, 0x1B, 0xE1, 0x2B, 0x02, 0x9B, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The script nonce in a response's Content-Security-Policy.
pub fn csp_nonce(response: &Response) -> String {
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii policy");
    csp.split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_owned()
}
