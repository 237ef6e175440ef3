//! Recommendations: saves and engagement signals, trending, and a personal "For you" list
//! blended from several retrieval sources (`rank`), kept diverse (`diversity`), explained on
//! every card, compared between rankers (`experiments`) and measured offline (`evaluate`).
//!
//! The engines' state lives in memory ([`Recs`]): the catalog of upcoming events, the
//! co-occurrence index, the factor model and trending, each reloaded in the background when it
//! is stale, so a list is computed without scanning tables. What the person did is read live
//! for every list, so a save shows in their next list.
pub mod catalog;
pub mod diversity;
pub mod evaluate;
pub mod experiments;
pub mod factors;
pub mod for_you;
pub mod interactions;
pub mod neighbors;
pub mod plans;
pub mod rank;
pub mod saves;
pub mod signals;
pub mod training;
pub mod trending;

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, RwLock,
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::{domain::cache::Changes, error::AppError};
use catalog::Catalog;
use factors::FactorModel;
use neighbors::CoIndex;
use plans::Plans;
use trending::Trending;

/// A catalog or trending read older than this is reloaded once something changed…
const RELOAD_AFTER_CHANGE: Duration = Duration::from_secs(2);
/// …and in any case after this long.
const CATALOG_TTL: Duration = Duration::from_secs(120);
/// The co-occurrence index is rebuilt from every interaction this often.
const INDEX_TTL: Duration = Duration::from_secs(600);

/// The engines' state at one moment.
#[derive(Clone)]
pub struct Snapshot {
    pub catalog: Arc<Catalog>,
    pub co: Arc<CoIndex>,
    /// Who is going to or saved which upcoming event, as of the index.
    pub plans: Arc<Plans>,
    pub factors: Option<Arc<FactorModel>>,
    /// The model's event factors in the catalog's order.
    pub aligned: Option<Arc<factors::Aligned>>,
    pub trending: Arc<Trending>,
    /// The catalog by popularity, for the popularity source.
    pub popular: Arc<Vec<i32>>,
    /// The model in use.
    pub model: Option<training::ModelInfo>,
    loaded: Instant,
    index_loaded: Instant,
    changes: u64,
}

impl Snapshot {
    /// What ranking reads.
    pub fn sources(&self) -> rank::Sources<'_> {
        rank::Sources {
            catalog: &self.catalog,
            co: &self.co,
            factors: self.factors.as_deref(),
            aligned: self.aligned.as_deref(),
            trending: &self.trending,
            popular: &self.popular,
        }
    }
}

/// The recommender's shared state (one per process, in `AppState`).
#[derive(Default)]
pub struct Recs {
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    refreshing: AtomicBool,
    pub signals: signals::Signals,
}

impl Recs {
    /// The current snapshot; a stale one is refreshed in the background while this one
    /// answers. The first call of a process waits for the first load.
    pub async fn current(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        changes: &Arc<Changes>,
    ) -> Result<Arc<Snapshot>, AppError> {
        let now = changes.current();
        let current = self
            .snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let Some(snapshot) = current else {
            return self.reload(db, now, true).await;
        };
        let age = snapshot.loaded.elapsed();
        let stale = age > CATALOG_TTL
            || (snapshot.changes != now && age > RELOAD_AFTER_CHANGE)
            || snapshot.index_loaded.elapsed() > INDEX_TTL;
        if stale && !self.refreshing.swap(true, Ordering::SeqCst) {
            let (recs, db) = (self.clone(), db.clone());
            tokio::spawn(async move {
                if let Err(e) = recs.reload(&db, now, false).await {
                    tracing::warn!(error = %e, "recommendations: reload failed");
                }
                recs.refreshing.store(false, Ordering::SeqCst);
            });
        }
        Ok(snapshot)
    }

    /// Reloads the catalog, trending and the newest model; the co-occurrence index too when it
    /// is older than `INDEX_TTL` or `everything` is asked for.
    pub async fn reload(
        &self,
        db: &DatabaseConnection,
        changes: u64,
        everything: bool,
    ) -> Result<Arc<Snapshot>, AppError> {
        let now = Utc::now();
        let previous = self
            .snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let catalog = Arc::new(Catalog::upcoming(db, now).await?);
        let trending = Arc::new(Trending::load(db, now).await?);
        let rebuild = everything
            || previous
                .as_ref()
                .is_none_or(|p| p.index_loaded.elapsed() > INDEX_TTL);
        let (co, plans, index_loaded) = match (&previous, rebuild) {
            (Some(p), false) => (p.co.clone(), p.plans.clone(), p.index_loaded),
            _ => {
                let all = interactions::load(db, None).await?;
                let upcoming = catalog.clone();
                let (co, plans) = tokio::task::spawn_blocking(move || {
                    let upcoming = |e| upcoming.get(e).is_some();
                    (CoIndex::build(&all, upcoming), Plans::build(&all, upcoming))
                })
                .await
                .map_err(crate::domain::context::internal)?;
                (Arc::new(co), Arc::new(plans), Instant::now())
            }
        };
        let newest = training::newest_id(db).await?;
        let (factors, model) = match (&previous, newest) {
            (Some(p), Some(id)) if p.model.as_ref().map(|m| m.id) == Some(id) => {
                (p.factors.clone(), p.model.clone())
            }
            (_, Some(_)) => match training::load_newest(db).await? {
                Some((model, info)) => (Some(Arc::new(model)), Some(info)),
                None => (None, None),
            },
            (_, None) => (None, None),
        };
        let popular = Arc::new(rank::by_popularity(&catalog, &co));
        let aligned = factors.as_ref().map(|f| Arc::new(f.aligned(&catalog)));
        let snapshot = Arc::new(Snapshot {
            popular,
            aligned,
            catalog,
            co,
            plans,
            factors,
            trending,
            model,
            loaded: Instant::now(),
            index_loaded,
            changes,
        });
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }
}
