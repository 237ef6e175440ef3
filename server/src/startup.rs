use std::{
    net::SocketAddr,
    sync::{Arc, LazyLock},
    time::Duration,
};

use axum::{
    extract::{DefaultBodyLimit, FromRef},
    middleware,
    routing::{get, post, MethodRouter},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, CompressionLevel},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use app::{
    domain::{
        accounts::{session_store::DbSessionStore, throttle::SignInThrottle},
        context::{AppState, RequestMemo, Settings},
        discovery::{indexing, EmbeddedIndex, MeiliIndex, SearchIndex},
        graph::{sync as graph_sync, SurrealGraph},
        notifications::{
            self,
            mail::{MailDir, Mailer, SmtpMailer},
        },
        platform_keys,
        ticketing::{
            event_cancellation, expiry,
            payments::{NoPayments, PaymentGateway, StripeGateway},
        },
    },
    shell, App,
};

use app::domain::curation::screening::signatures;

use crate::{
    config::Config,
    db,
    http::{
        calendar, client, dashboard_csv, guard, guests_csv, health, live, media, metrics,
        page_cache, rate_limit, sitemap, stripe_webhook, unsubscribe, views,
    },
};

/// Largest request body: a 5 MB image plus the rest of the event form.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// No request may hold a connection longer than this, however it got stuck.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The app's routes, generated once per process. Generating them renders the app with a
/// process-global "don't load resources" flag set (leptos#4773): a page rendering on another
/// thread at that moment would wait forever, so it must never happen while anything is serving.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    pub metrics: Arc<metrics::Metrics>,
    pub page_cache: Arc<page_cache::PageCache>,
}

/// Connects every store, runs migrations and returns the shared state.
pub async fn build_state(config: &Config) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "LINEUP_DATA_DIR: cannot create {}: {e}",
            config.data_dir.display()
        )
    })?;
    let db = db::connect(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("DATABASE_URL: cannot connect: {e}"))?;
    db::migrate(&db)
        .await
        .map_err(|e| anyhow::anyhow!("DATABASE_URL: migrations failed: {e}"))?;
    let signed = signatures::fill_missing(&db, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("storing text signatures: {e}"))?;
    if signed > 0 {
        tracing::info!(
            events = signed,
            "text signatures stored for duplicate screening"
        );
    }
    let graph = SurrealGraph::connect(&config.surreal_url, config.surreal_root.clone())
        .await
        .map_err(|e| anyhow::anyhow!("SURREAL_URL: cannot connect: {e}"))?;
    fill_new_graph(&db, &graph).await?;
    let search = open_search(config, &db).await?;
    let payments: Arc<dyn PaymentGateway> = match &config.stripe {
        Some(stripe) => Arc::new(
            StripeGateway::new(&stripe.secret_key, &stripe.api_base)
                .map_err(|e| anyhow::anyhow!("STRIPE_SECRET_KEY: {e}"))?,
        ),
        None => Arc::new(NoPayments),
    };
    let mailer: Arc<dyn Mailer> = match &config.smtp_url {
        Some(url) => {
            Arc::new(SmtpMailer::from_url(url).map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?)
        }
        None => Arc::new(MailDir::new(config.data_dir.join("mail"))),
    };
    let unsubscribe_key = platform_keys::get_or_create(
        &db,
        platform_keys::UNSUBSCRIBE,
        platform_keys::random_secret,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("the unsubscribe key: {e}"))?
    .into_bytes();
    let vapid_private = platform_keys::get_or_create(
        &db,
        notifications::push::VAPID_KEY,
        notifications::push::new_vapid_key,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("the VAPID key: {e}"))?;
    Ok(AppState {
        db,
        graph: Arc::new(graph),
        search,
        payments,
        mailer,
        live: Default::default(),
        changes: Default::default(),
        caches: Default::default(),
        recs: Default::default(),
        settings: Arc::new(Settings {
            data_dir: config.data_dir.clone(),
            public_url: config.public_url.clone(),
            platform_fee_bps: config.platform_fee_bps,
            stripe_webhook_secret: config.stripe.as_ref().map(|s| s.webhook_secret.clone()),
            checkout_origin: config.stripe.as_ref().map(|s| s.checkout_origin()),
            fast_track_reputation: config.fast_track_reputation,
            time_zone: config.time_zone,
            mail_from: config.mail_from.clone(),
            unsubscribe_key,
            vapid_private,
            trusted_proxies: config.trusted_proxies.clone(),
            rate_limit_scale: config.rate_limit_scale,
            metrics_token: config.metrics.token.clone(),
        }),
        throttle: Arc::new(SignInThrottle::default()),
    })
}

/// Meilisearch when `MEILI_URL` is set, else the embedded index under the data directory;
/// either is filled from the database when it was missing.
pub async fn open_search(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<Arc<dyn SearchIndex>> {
    let (index, setting): (Arc<dyn SearchIndex>, &str) = match &config.meili {
        Some(meili) => (
            Arc::new(
                MeiliIndex::new(&meili.url, meili.master_key.as_deref(), &meili.index)
                    .map_err(|e| anyhow::anyhow!("MEILI_URL: {e}"))?,
            ),
            "MEILI_URL",
        ),
        None => (
            Arc::new(
                EmbeddedIndex::open(&config.data_dir.join("search"))
                    .map_err(|e| anyhow::anyhow!("LINEUP_DATA_DIR: {e}"))?,
            ),
            "LINEUP_DATA_DIR",
        ),
    };
    let created = index
        .prepare()
        .await
        .map_err(|e| anyhow::anyhow!("{setting}: {e}"))?;
    if created {
        let n = indexing::reindex(db, index.as_ref(), chrono::Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("building the search index: {e}"))?;
        tracing::info!(
            events = n,
            backend = index.backend(),
            "search index built from the database"
        );
    }
    Ok(index)
}

/// A new graph (a first start, or a new embedded store) is filled from the database.
async fn fill_new_graph(
    db: &sea_orm::DatabaseConnection,
    graph: &SurrealGraph,
) -> anyhow::Result<()> {
    let empty = graph_sync::is_empty(graph)
        .await
        .map_err(|e| anyhow::anyhow!("SURREAL_URL: {e}"))?;
    if empty {
        let counts = graph_sync::regraph(db, graph)
            .await
            .map_err(|e| anyhow::anyhow!("building the graph: {e}"))?;
        tracing::info!(%counts, "graph built from the database");
    }
    Ok(())
}

/// Delivers outbox rows to the graph until the process ends.
pub fn spawn_graph_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    graph_sync::spawn_worker(state.db.clone(), state.graph.clone(), state.changes.clone())
}

/// Delivers outbox rows to the search index until the process ends.
pub fn spawn_search_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    indexing::spawn_worker(
        state.db.clone(),
        state.search.clone(),
        state.changes.clone(),
    )
}

/// Turns notify rows into notifications and sends their mail until the process ends.
pub fn spawn_notification_workers(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    notifications::spawn_workers(state)
}

/// Lapses unpaid reservations and unanswered waitlist offers until the process ends.
pub fn spawn_ticketing_sweeper(state: &AppState) -> tokio::task::JoinHandle<()> {
    expiry::spawn_sweeper(state.db.clone(), state.changes.clone())
}

/// Closes and refunds the registrations of cancelled events until the process ends.
pub fn spawn_cancellation_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    event_cancellation::spawn_worker(
        state.db.clone(),
        state.payments.clone(),
        state.changes.clone(),
    )
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let mut options = get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("lineup").build());
    if options.output_name.is_empty() {
        options.output_name = "lineup".into();
    }
    options.site_addr = config.site_addr;
    options
}

/// The routes outside Leptos (its pages and server functions register themselves), in one
/// list: the authorization matrix test walks every one of them.
pub fn http_routes() -> Vec<(&'static str, MethodRouter<ServerState>)> {
    vec![
        ("/healthz", get(health::healthz)),
        ("/readyz", get(health::readyz)),
        ("/metrics", get(metrics::export_with_token)),
        ("/media/{key}", get(media::serve)),
        ("/events/{id}/calendar.ics", get(calendar::event_ics)),
        ("/calendar/{token}", get(calendar::feed)),
        ("/o/{slug}/calendar.ics", get(calendar::organization_feed)),
        ("/events/{id}/guests.csv", get(guests_csv::export)),
        ("/o/{slug}/dashboard.csv", get(dashboard_csv::export)),
        ("/stripe/webhook", post(stripe_webhook::receive)),
        (
            "/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::apply),
        ),
        ("/notifications/live", get(live::stream)),
        ("/sitemap.xml", get(sitemap::root)),
        ("/sitemaps/{file}", get(sitemap::file)),
        ("/robots.txt", get(sitemap::robots)),
    ]
}

/// The site's router (see `routers`).
pub fn router(state: AppState, leptos_options: LeptosOptions, secure_cookies: bool) -> Router {
    routers(state, leptos_options, secure_cookies).site
}

/// The site, and `/metrics` alone for a listener of its own (`LINEUP_METRICS_ADDR`); both count
/// into the same metrics.
pub struct Routers {
    pub site: Router,
    pub metrics: Router,
}

pub fn routers(state: AppState, leptos_options: LeptosOptions, secure_cookies: bool) -> Routers {
    let server_state = ServerState {
        leptos_options,
        app: state.clone(),
        metrics: Arc::new(metrics::Metrics::default()),
        page_cache: Arc::new(page_cache::PageCache::new(
            Duration::from_secs(30),
            state.changes.clone(),
        )),
    };
    let routes = ROUTES.clone();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(RequestMemo::default());
        }
    };

    let limits = rate_limit::RateLimits::new(state.settings.rate_limit_scale);
    let sessions = SessionManagerLayer::new(DbSessionStore::new(
        state.db.clone(),
        state.caches.sessions.clone(),
    ))
    .with_name(page_cache::SESSION_COOKIE)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(secure_cookies)
    .with_expiry(Expiry::OnInactivity(
        app::domain::context::SIGNED_IN_SESSION,
    ));

    let site = http_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
        .leptos_routes_with_context(&server_state, routes, context.clone(), {
            let options = server_state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context, shell))
        .route_layer(middleware::from_fn(metrics::label_route))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn_with_state(server_state.metrics.clone(), metrics::track))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
                .layer(middleware::from_fn_with_state(state.clone(), client::resolve))
                .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
                .layer(middleware::from_fn(guard::security_headers))
                .layer(middleware::from_fn(guard::same_origin_writes))
                .layer(middleware::from_fn(guard::server_fn_status))
                .layer(middleware::from_fn_with_state(state.clone(), views::record))
                .layer(middleware::from_fn_with_state(server_state.page_cache.clone(), page_cache::layer))
                .layer(sessions)
                .layer(middleware::from_fn(views::identify))
                .layer(middleware::from_fn_with_state(limits, rate_limit::layer))
                // the multipart server functions read the raw stream, which only this bounds
                .layer(middleware::from_fn(guard::limit_body))
                .layer(middleware::from_fn(guard::multipart_bodies))
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(server_state.clone());
    let metrics = Router::new()
        .route("/metrics", get(metrics::export))
        .with_state(server_state);
    Routers { site, metrics }
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Removes expired sessions every hour.
/// Completes ended events every few minutes and retrains the spam model every few hours.
pub fn spawn_curation_tasks(state: &AppState) {
    let (db, changes) = (state.db.clone(), state.changes.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            let now = chrono::Utc::now();
            app::domain::workers::ran("curation: complete ended events, retrain", now);
            match app::domain::curation::lifecycle::complete_ended(&db, now).await {
                Ok(n) if n > 0 => {
                    changes.bump();
                    tracing::info!(completed = n, "ended events completed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "completing ended events failed"),
            }
            // every 6 hours, starting with the first tick
            if ticks.is_multiple_of(72) {
                match app::domain::curation::training::retrain(&db, now).await {
                    Ok(Ok(t)) => tracing::info!(
                        samples = t.samples,
                        spam = t.spam_samples,
                        held_out_accuracy = ?t.held_out_accuracy,
                        "spam model retrained"
                    ),
                    Ok(Err(not_enough)) => tracing::info!("spam model not trained: {not_enough}"),
                    Err(e) => tracing::warn!(error = %e, "spam model training failed"),
                }
            }
            ticks += 1;
        }
    });
}

/// Keeps `sitemap.xml` up to date with listed events and organizations until the process ends.
pub fn spawn_sitemap_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    app::domain::discovery::sitemap::spawn_worker(state.db.clone())
}

/// Folds the dashboard's waiting figure changes into its totals every ten seconds (readers add
/// what is waiting, so this only keeps their reads small).
pub fn spawn_figures_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            app::domain::workers::ran("dashboard: fold figures", chrono::Utc::now());
            if let Err(e) = app::domain::dashboard::rollup::fold(&db).await {
                tracing::warn!(error = %e, "dashboard: folding figures failed");
            }
        }
    })
}

/// The recommender's background work: writes the counted views every two seconds, loads its
/// state at start, trains the factor model at start when there is none and every 6 hours, and
/// deletes views and impressions past their retention once a day.
pub fn spawn_recs_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    use app::domain::recs::{signals, training};
    let state = state.clone();
    tokio::spawn(async move {
        let (db, recs) = (&state.db, &state.recs);
        match training::newest_id(db).await {
            Ok(None) => match training::train(db, chrono::Utc::now()).await {
                Ok(Some(t)) => tracing::info!("{t}"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "recommendations: training failed"),
            },
            Ok(Some(_)) => {}
            Err(e) => tracing::warn!(error = %e, "recommendations: reading the model failed"),
        }
        if let Err(e) = recs.current(db, &state.changes).await {
            tracing::warn!(error = %e, "recommendations: first load failed");
        }
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            ticks += 1;
            app::domain::workers::ran("recommendations: views, training", chrono::Utc::now());
            if let Err(e) = recs.signals.flush(db).await {
                tracing::warn!(error = %e, "recommendations: writing views failed");
            }
            let now = chrono::Utc::now();
            // every 6 hours
            if ticks.is_multiple_of(6 * 1800) {
                match training::train(db, now).await {
                    Ok(Some(t)) => tracing::info!("{t}"),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "recommendations: training failed"),
                }
            }
            // once a day
            if ticks == 1 || ticks.is_multiple_of(43_200) {
                match signals::sweep(db, now).await {
                    Ok(n) if n > 0 => {
                        tracing::info!(removed = n, "old views and impressions removed")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "recommendations: retention sweep failed"),
                }
            }
        }
    })
}

pub fn spawn_session_sweeper(state: &AppState) {
    let store = DbSessionStore::new(state.db.clone(), state.caches.sessions.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match store.delete_expired().await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session sweep failed"),
            }
        }
    });
}
