//! Training the factor model: by `lineup recs train` and every few hours by the server's
//! worker. Reads every interaction, trains, stores the model as a new row (the newest row is the
//! one in use; older rows beyond the last few are deleted), and each server picks it up on its
//! next reload.
use std::time::Instant;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{
    factors::{FactorModel, ITERATIONS, K},
    interactions,
};
use crate::{
    domain::{context::internal, locale_format},
    error::AppError,
    i18n::td_string,
    model::language::Locale,
};
use entity::recs_model;

/// Models kept (the newest is used; the others are there to compare or roll back).
const KEEP: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub people: usize,
    pub events: usize,
    pub interactions: usize,
    pub seconds: f64,
}

impl std::fmt::Display for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "factor model trained on {} interactions of {} people with {} events in {:.1} s",
            self.interactions, self.people, self.events, self.seconds
        )
    }
}

/// Trains on every interaction so far and stores the model. `None` when there is nothing to
/// learn from yet.
pub async fn train<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Option<Trained>, AppError> {
    let started = Instant::now();
    let all = interactions::load(db, None).await?;
    if all.is_empty() {
        return Ok(None);
    }
    let count = all.len();
    let model = tokio::task::spawn_blocking(move || FactorModel::train(&all, ITERATIONS))
        .await
        .map_err(internal)?;
    let trained = Trained {
        people: model.people(),
        events: model.events(),
        interactions: count,
        seconds: started.elapsed().as_secs_f64(),
    };
    recs_model::ActiveModel {
        people: Set(trained.people as i32),
        events: Set(trained.events as i32),
        interactions: Set(count as i32),
        factors: Set(K as i32),
        model: Set(model.to_bytes()),
        trained_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    let ids: Vec<i32> = recs_model::Entity::find()
        .select_only()
        .column(recs_model::Column::Id)
        .order_by_desc(recs_model::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let old: Vec<i32> = ids.into_iter().skip(KEEP).collect();
    if !old.is_empty() {
        recs_model::Entity::delete_many()
            .filter(recs_model::Column::Id.is_in(old))
            .exec(db)
            .await
            .map_err(internal)?;
    }
    Ok(Some(trained))
}

pub async fn newest_id<C: ConnectionTrait>(db: &C) -> Result<Option<i32>, AppError> {
    recs_model::Entity::find()
        .select_only()
        .column(recs_model::Column::Id)
        .order_by_desc(recs_model::Column::Id)
        .into_tuple()
        .one(db)
        .await
        .map_err(internal)
}

/// A stored model, as the admin page describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    pub id: i32,
    pub trained_at: DateTime<Utc>,
    pub interactions: i32,
    pub people: i32,
    pub events: i32,
}

impl ModelInfo {
    /// "model 3 trained Sat, 5 Dec 2026, 19:00 UTC on 1200 interactions (80 people, 150 events)".
    pub fn describe(&self, locale: Locale) -> String {
        td_string!(
            locale,
            recs.training.model,
            id = self.id,
            trained = locale_format::date_time(locale, self.trained_at, chrono_tz::UTC),
            interactions = self.interactions,
            people = self.people,
            events = self.events
        )
    }
}

/// The newest model and what it is.
pub async fn load_newest<C: ConnectionTrait>(
    db: &C,
) -> Result<Option<(FactorModel, ModelInfo)>, AppError> {
    let Some(row) = recs_model::Entity::find()
        .order_by_desc(recs_model::Column::Id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let Some(model) = FactorModel::from_bytes(&row.model) else {
        tracing::warn!(
            id = row.id,
            "recommendations: stored model does not unpack; ignored"
        );
        return Ok(None);
    };
    let info = ModelInfo {
        id: row.id,
        trained_at: row.trained_at,
        interactions: row.interactions,
        people: row.people,
        events: row.events,
    };
    Ok(Some((model, info)))
}
