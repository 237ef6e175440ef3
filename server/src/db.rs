use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Opens the core database: SQLite (WAL, foreign keys, a busy timeout so writers queue instead
/// of failing) or Postgres, with the same entities either way.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_path(url) {
        if let Some(parent) = std::path::Path::new(&path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(if url.starts_with("sqlite:") { 8 } else { 16 })
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // sorting for GROUP BY stays in memory instead of a temporary file
                .pragma("temp_store", "memory")
        });
    Ok(Database::connect(options).await?)
}

/// Creates an empty database named `<prefix>_<random>` on the Postgres server of `base` (any
/// database URL there whose user may create databases) and returns its URL. For tests and
/// benchmarks, which each want a database of their own.
pub async fn create_scratch_postgres(base: &str, prefix: &str) -> anyhow::Result<String> {
    use sea_orm::ConnectionTrait;
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    Database::connect(base)
        .await?
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let mut url = url::Url::parse(base)?;
    url.set_path(&name);
    Ok(url.to_string())
}

/// The file of a `sqlite:` database URL.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            super::sqlite_path("sqlite://data/x.db?mode=rwc").as_deref(),
            Some("data/x.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://x/y"), None);
    }
}
