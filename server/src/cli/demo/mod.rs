//! The demo dataset: deterministic (fixed seed), relative to the day it is loaded so its events
//! are always upcoming. Each domain writes its own part, through the same domain functions the
//! pages use, in one transaction.
mod accounts;
mod curation;
mod events;
mod notifications;
mod recs;
mod social;
mod teams;
mod ticketing;

use app::domain::transaction::begin_write;
use chrono::{DateTime, NaiveDate, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use app::domain::{
    context::Settings,
    curation::{lifecycle, training},
    graph::{sync::regraph, GraphStore},
};

pub use accounts::{
    synthetic_attendees, ADMIN_EMAIL, CURATOR_EMAIL, DEMO_PASSWORD, SECOND_CURATOR_EMAIL,
};
pub use events::EVENT_COUNT;
pub use social::seed_social;

pub const SEED: u64 = 20261122;

/// What every domain's demo writer works with. One random stream in a fixed order keeps the
/// dataset the same from one load to the next.
pub struct Demo<'a> {
    txn: &'a DatabaseTransaction,
    /// The demo decides everything itself; the fast track would skip those decisions.
    settings: Settings,
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    today: NaiveDate,
}

/// Loads the whole demo: the database's part, then the graph's copies of it and the friendships
/// and groups that live only in the graph. Returns the report to print, or `None` when the demo
/// was loaded before.
pub async fn load(
    db: &DatabaseConnection,
    graph: &dyn GraphStore,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let Some(report) = seed(db, now).await? else {
        return Ok(None);
    };
    regraph(db, graph).await.map_err(app_err)?;
    seed_social(db, graph, now).await?;
    Ok(Some(report))
}

fn app_err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Loads the demo dataset unless it is already present. Returns the report to print.
///
/// Besides upcoming events it holds a curation history: every published event went through a
/// curator's decision, spam accounts' submissions were rejected as spam (the labels the spam
/// model is trained on at the end), and the queue has submissions in every state — pending,
/// in review, an edit of a published event, an appeal, an event hidden by community reports,
/// an obvious spam submission and a copy of another organizer's event.
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    if accounts::present(db).await? {
        return Ok(None);
    }
    let txn = begin_write(db).await?;
    let mut demo = Demo {
        txn: &txn,
        settings: Settings {
            data_dir: std::path::PathBuf::new(),
            public_url: String::new(),
            platform_fee_bps: 0,
            stripe_webhook_secret: None,
            checkout_origin: None,
            fast_track_reputation: None,
            time_zone: chrono_tz::Europe::Berlin,
            mail_from: String::new(),
            unsubscribe_key: Vec::new(),
            vapid_private: String::new(),
            trusted_proxies: Vec::new(),
            rate_limit_scale: 0,
            metrics_token: None,
        },
        rng: ChaCha8Rng::seed_from_u64(SEED),
        now,
        today: now.date_naive(),
    };
    let people = accounts::create(&demo).await?;
    let curated = curation::seed(&mut demo, &people).await?;
    let teams = teams::seed(&txn, &people, now).await?;
    let ids: Vec<i32> = curated.published.iter().skip(40).copied().collect();
    let ticketing = ticketing::seed(&txn, &ids, &people.attendees, now)
        .await
        .map_err(app_err)?;
    lifecycle::complete_ended(&txn, now)
        .await
        .map_err(app_err)?;
    notifications::seed(&txn, &people.attendees[0], now).await?;
    let history = recs::seed(&mut demo).await?;
    txn.commit().await?;

    let training = training::retrain(db, now).await.map_err(app_err)?;
    let mut report = format!(
        "Demo data loaded: {EVENT_COUNT} upcoming events in Berlin and Lisbon ({}), {} past events with reviews, spam and a copied event in the review queue.\n",
        curated.counts.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "),
        curated.past,
    );
    match training {
        Ok(t) => report.push_str(&format!(
            "Spam model trained on {} curator decisions ({} spam), held-out accuracy {}.\n",
            t.samples,
            t.spam_samples,
            t.held_out_accuracy
                .map(|a| format!("{:.0}%", a * 100.0))
                .unwrap_or_else(|| "n/a".into())
        )),
        Err(not_enough) => report.push_str(&format!("Spam model not trained: {not_enough}.\n")),
    }
    report.push_str(&ticketing);
    report.push_str(&teams);
    report.push_str(&history);
    if let Some(trained) = app::domain::recs::training::train(db, now)
        .await
        .map_err(app_err)?
    {
        report.push_str(&format!("Recommendations' {trained}.\n"));
    }
    report.push_str(&accounts::report());
    Ok(Some(report))
}
