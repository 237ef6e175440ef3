//! `lineup recs …`: training the factor model and the offline evaluation.
use std::path::Path;

use app::domain::recs::{evaluate as eval, training};

use crate::{config::Config, db};

pub async fn train(config: &Config) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    match training::train(&conn, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        Some(trained) => println!("{trained}; servers pick it up within two minutes"),
        None => println!("no interactions yet: nothing to train on"),
    }
    Ok(())
}

pub async fn evaluate(config: &Config, export: Option<&Path>) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    let data = eval::load(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let split = eval::split(&data.interactions, eval::TRAIN_SHARE);
    println!(
        "{} interactions; split at {} ({:.0}% train): {} train, {} later choices to find",
        data.interactions.len(),
        split.at.format("%Y-%m-%d %H:%M UTC"),
        eval::TRAIN_SHARE * 100.0,
        split.train.len(),
        split.test.len()
    );
    if let Some(dir) = export {
        eval::export(dir, &split)?;
        println!("wrote {0}/train.csv and {0}/test.csv", dir.display());
    }
    let started = std::time::Instant::now();
    let results = eval::evaluate(&data, &split);
    if let Some(first) = results.first() {
        println!("lists of {} for {} people:", eval::AT, first.people);
    }
    for m in &results {
        println!("{m}");
    }
    println!("evaluated in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
