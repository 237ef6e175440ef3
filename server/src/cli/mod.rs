//! What the `lineup` binary does besides serving.
pub mod backup;
pub mod demo;
pub mod recs;

use rand::{distributions::Alphanumeric, Rng};

use crate::{config::Config, db, startup};

pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let state = startup::build_state(config).await?;
    startup::spawn_session_sweeper(&state);
    startup::spawn_curation_tasks(&state);
    startup::spawn_search_worker(&state);
    startup::spawn_graph_worker(&state);
    startup::spawn_ticketing_sweeper(&state);
    startup::spawn_cancellation_worker(&state);
    startup::spawn_notification_workers(&state);
    startup::spawn_recs_worker(&state);
    startup::spawn_figures_worker(&state);
    startup::spawn_sitemap_worker(&state);
    let options = startup::leptos_options(config);
    let routers = startup::routers(state.clone(), options, config.secure_cookies());
    if let Some(addr) = config.metrics.addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("LINEUP_METRICS_ADDR: cannot listen on {addr}: {e}"))?;
        tracing::info!(%addr, "metrics on http://{addr}/metrics");
        tokio::spawn(startup::serve(listener, routers.metrics));
    }
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "LEPTOS_SITE_ADDR: cannot listen on {}: {e}",
                config.site_addr
            )
        })?;
    tracing::info!(
        addr = %config.site_addr,
        database = if config.database_url.starts_with("sqlite:") { "sqlite" } else { "postgres" },
        graph = state.graph.backend(),
        search = state.search.backend(),
        payments = if config.stripe.is_some() { "stripe" } else { "disabled" },
        mail = state.mailer.backend(),
        "Lineup listening on http://{}", config.site_addr
    );
    startup::serve(listener, routers.site).await?;
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    println!("migrations applied");
    Ok(())
}

pub async fn seed(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    let now = chrono::Utc::now();
    let graph =
        app::domain::graph::SurrealGraph::connect(&config.surreal_url, config.surreal_root.clone())
            .await
            .map_err(|e| anyhow::anyhow!("SURREAL_URL: cannot connect: {e}"))?;
    match demo::load(&conn, &graph, now).await? {
        Some(report) => println!("{report}"),
        None => println!(
            "demo data already present: nothing to do (demo password: {})",
            demo::DEMO_PASSWORD
        ),
    }
    Ok(())
}

/// Rebuilds the search index from the database (the server also does this when the embedded
/// index is missing).
pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    let index = startup::open_search(config, &conn).await?;
    let started = std::time::Instant::now();
    let n = app::domain::discovery::indexing::reindex(&conn, index.as_ref(), chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    println!(
        "search index ({}) rebuilt: {n} events in {:.1} s",
        index.backend(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Rebuilds the graph's copies of accounts, events, registrations and reviews from the
/// database. Follows, friendships, blocks and groups live only in the graph and are kept.
/// (The embedded store is one process's: stop the server first.)
pub async fn regraph(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    let graph =
        app::domain::graph::SurrealGraph::connect(&config.surreal_url, config.surreal_root.clone())
            .await
            .map_err(|e| anyhow::anyhow!("SURREAL_URL: cannot connect: {e}"))?;
    let started = std::time::Instant::now();
    let counts = app::domain::graph::sync::regraph(&conn, &graph)
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    println!(
        "graph ({}) rebuilt: {counts} in {:.1} s",
        app::domain::graph::GraphStore::backend(&graph),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Trains the spam model on every curator decision so far and reports how well it does on the
/// decisions it did not see.
pub async fn retrain(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    match app::domain::curation::training::retrain(&conn, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?
    {
        Ok(t) => println!(
            "spam model trained on {} decisions ({} spam); held-out accuracy: {}",
            t.samples,
            t.spam_samples,
            t.held_out_accuracy
                .map(|a| format!("{:.1}%", a * 100.0))
                .unwrap_or_else(|| "not enough decisions to hold some out".into())
        ),
        Err(not_enough) => println!("not trained: {not_enough}; pre-screening uses its rules"),
    }
    Ok(())
}

/// The learning curve: held-out accuracy when trained on the first n decisions, for growing n.
pub async fn evaluate(config: &Config) -> anyhow::Result<()> {
    use app::domain::curation::screening::classifier::{accuracy, NaiveBayes};
    let conn = db::connect(&config.database_url).await?;
    let mut samples = app::domain::curation::training::labelled(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    // a fixed shuffle, so that every prefix mixes both classes as real decisions would
    samples.sort_by_key(|s| (s.id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (test, train): (Vec<_>, Vec<_>) = samples.iter().partition(|s| s.id.rem_euclid(5) == 0);
    println!(
        "{} labelled decisions ({} spam); testing on {} held out",
        samples.len(),
        samples.iter().filter(|s| s.spam).count(),
        test.len()
    );
    let rules_only = test
        .iter()
        .filter(|s| {
            let snapshot = app::domain::curation::screening::spam::rules_on_text(&s.text);
            (snapshot >= 0.5) == s.spam
        })
        .count() as f64
        / test.len().max(1) as f64;
    println!("rules alone (spam ≥ 0.5): {:.1}%", rules_only * 100.0);
    for n in [5, 10, 20, 40, 80, 160, usize::MAX] {
        let n = n.min(train.len());
        let model = NaiveBayes::train(train.iter().take(n).map(|s| (s.text.as_str(), s.spam)));
        let acc = accuracy(&model, &test).unwrap_or(0.0);
        let combined = test
            .iter()
            .filter(|s| {
                let rules = app::domain::curation::screening::spam::rules_on_text(&s.text);
                ((rules + model.probability(&s.text)) / 2.0 >= 0.5) == s.spam
            })
            .count() as f64
            / test.len().max(1) as f64;
        println!(
            "trained on {n:>4}: model {:.1}%, rules+model {:.1}%",
            acc * 100.0,
            combined * 100.0
        );
        if n == train.len() {
            break;
        }
    }
    Ok(())
}

pub async fn create_admin(
    config: &Config,
    email: &str,
    password: Option<String>,
) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(|| {
        rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(20)
            .map(char::from)
            .collect()
    });
    let (user, created) = app::domain::accounts::sign_up::ensure_admin(&conn, email, &password)
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    match (created, generated) {
        (true, true) => println!("admin {} created with password: {password}", user.email),
        (true, false) => println!("admin {} created", user.email),
        (false, _) => println!("{} is now an admin (password unchanged)", user.email),
    }
    Ok(())
}

fn describe(err: &app::error::AppError) -> String {
    let fields = err.field_errors();
    if fields.is_empty() {
        err.to_string()
    } else {
        fields
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}
