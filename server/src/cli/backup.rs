//! `lineup backup DIR` and `lineup restore DIR`.
//!
//! A backup is a directory: `lineup.db`, a consistent copy of the SQLite database made with
//! `VACUUM INTO` (safe while the server runs); `graph.surql`, SurrealDB's own export of the
//! social graph (friendships, follows, blocks and groups live only there); and `media/`, the
//! uploaded images. PostgreSQL is backed up with `pg_dump` instead (README, "Backups"); the graph
//! and media are then taken with `--graph-only`.
//!
//! Restoring puts the database and media in place, imports the graph into a new graph store and
//! leaves the embedded search index to be rebuilt from the database on the next start (a
//! Meilisearch index is rebuilt at once). It needs the server stopped: the embedded stores are
//! locked by a running process.
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use sea_orm::ConnectionTrait;

use app::domain::{
    discovery::indexing,
    graph::{sync as graph_sync, GraphStore, SurrealGraph},
};

use crate::{config::Config, db, startup};

pub const DATABASE_FILE: &str = "lineup.db";
pub const GRAPH_FILE: &str = "graph.surql";
pub const MEDIA_DIR: &str = "media";

/// What a backup holds besides the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    /// The graph and media only: the database is backed up with `pg_dump`.
    GraphOnly,
}

/// Writes a backup of the database (SQLite), the graph and the media into `dir`, which must not
/// exist yet or be empty.
pub async fn backup(config: &Config, dir: &Path, scope: Scope) -> anyhow::Result<()> {
    let sqlite = db::sqlite_path(&config.database_url);
    if scope == Scope::Everything && sqlite.is_none() {
        bail!(
            "the database is PostgreSQL: back it up with pg_dump (see the README, \"Backups\") \
             and take the graph and media with `lineup backup --graph-only {}`",
            dir.display()
        );
    }
    let conn = db::connect(&config.database_url).await?;
    let graph = SurrealGraph::connect(&config.surreal_url, config.surreal_root.clone())
        .await
        .map_err(|e| {
            anyhow!(
                "SURREAL_URL: {e} (the embedded graph is locked while the server runs: stop it \
                 for the backup, or back up a SurrealDB server with `surreal export`)"
            )
        })?;
    write(&conn, &graph, &config.data_dir, dir, scope).await
}

/// The backup itself, from open connections (the tests use the running app's).
pub async fn write(
    conn: &sea_orm::DatabaseConnection,
    graph: &dyn GraphStore,
    data_dir: &Path,
    dir: &Path,
    scope: Scope,
) -> anyhow::Result<()> {
    prepare(dir)?;
    if scope == Scope::Everything {
        let target = dir.join(DATABASE_FILE);
        let path = target
            .to_str()
            .ok_or_else(|| anyhow!("{} is not valid UTF-8", target.display()))?;
        conn.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
            .await
            .context("copying the database")?;
    }
    graph
        .export(&dir.join(GRAPH_FILE))
        .await
        .map_err(|e| anyhow!("exporting the graph: {e}"))?;
    copy_dir(&data_dir.join(MEDIA_DIR), &dir.join(MEDIA_DIR))?;
    Ok(())
}

/// Restores `dir` into the configured data directory and stores; the server must be stopped.
pub async fn restore(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let graph_file = dir.join(GRAPH_FILE);
    if !graph_file.is_file() {
        bail!("{} is not a Lineup backup (no {GRAPH_FILE})", dir.display());
    }
    match db::sqlite_path(&config.database_url) {
        Some(target) => {
            let source = dir.join(DATABASE_FILE);
            if !source.is_file() {
                bail!("{} holds no {DATABASE_FILE}", dir.display());
            }
            let target = PathBuf::from(target);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::copy(&source, &target).context("copying the database into place")?;
        }
        None => tracing::info!("PostgreSQL: restore the database with pg_restore first"),
    }
    // migrations for a backup taken by an older version
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;

    // a new graph store, filled from the export, then its copies refreshed from the database
    if let Some(path) = config.surreal_url.strip_prefix("surrealkv://") {
        let path = Path::new(path);
        if path.exists() {
            std::fs::remove_dir_all(path).context("clearing the graph store")?;
        }
    }
    let graph = SurrealGraph::connect(&config.surreal_url, config.surreal_root.clone())
        .await
        .map_err(|e| anyhow!("SURREAL_URL: {e} (is the server still running?)"))?;
    graph
        .import(&graph_file)
        .await
        .map_err(|e| anyhow!("importing the graph: {e}"))?;
    graph_sync::regraph(&conn, &graph)
        .await
        .map_err(|e| anyhow!("refreshing the graph from the database: {e}"))?;

    let media = config.data_dir.join(MEDIA_DIR);
    if media.exists() {
        std::fs::remove_dir_all(&media)?;
    }
    copy_dir(&dir.join(MEDIA_DIR), &media)?;

    // the embedded index is rebuilt on the next start; a Meilisearch index now
    let index = config.data_dir.join("search");
    if index.exists() {
        std::fs::remove_dir_all(&index)?;
    }
    if config.meili.is_some() {
        let search = startup::open_search(config, &conn).await?;
        indexing::reindex(&conn, search.as_ref(), chrono::Utc::now())
            .await
            .map_err(|e| anyhow!("rebuilding the search index: {e}"))?;
    }
    Ok(())
}

fn prepare(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty: choose a new directory", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
