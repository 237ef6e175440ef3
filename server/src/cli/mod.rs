//! What the `lineup` binary does besides serving.
pub mod demo;

use rand::{distributions::Alphanumeric, Rng};

use crate::{config::Config, db, startup};

pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let state = startup::build_state(config).await?;
    startup::spawn_session_sweeper(&state);
    let options = startup::leptos_options(config);
    let router = startup::router(state.clone(), options, config.secure_cookies());
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
        search = if config.meili.is_some() { "meilisearch" } else { "embedded" },
        payments = if config.stripe.is_some() { "stripe" } else { "disabled" },
        "Lineup listening on http://{}", config.site_addr
    );
    startup::serve(listener, router).await?;
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    println!("migrations applied");
    Ok(())
}

pub async fn seed(config: &Config) -> anyhow::Result<()> {
    let state = startup::build_state(config).await?;
    match demo::seed(&state.db, chrono::Utc::now()).await? {
        Some(report) => println!("{report}"),
        None => println!(
            "demo data already present: nothing to do (demo password: {})",
            demo::DEMO_PASSWORD
        ),
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
