//! Training the spam model on curator decisions: approvals are "not spam", rejections with the
//! reason "spam" are "spam". Retrained by `lineup curation retrain` and on a schedule.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::{
    domain::{context::internal, events::snapshot::Snapshot},
    error::AppError,
    model::curation::{Decision, RejectReason},
};
use entity::{event_revision, spam_model, submission};

use super::screening::{
    classifier::{self, Labelled, NotEnough, Trained},
    reason::Reason,
};

/// Every labelled decision so far, with the text of the version that was decided.
pub async fn labelled<C: ConnectionTrait>(db: &C) -> Result<Vec<Labelled>, AppError> {
    let decided = submission::Entity::find()
        .filter(submission::Column::State.eq("decided"))
        .filter(submission::Column::DecidedBy.is_not_null())
        .all(db)
        .await
        .map_err(internal)?;
    let decided: Vec<(submission::Model, bool)> = decided
        .into_iter()
        .filter_map(|s| {
            let spam = match (
                s.decision.as_deref().and_then(Decision::parse),
                s.decision_reason.as_deref().and_then(RejectReason::parse),
            ) {
                (Some(Decision::Approve), _) => false,
                (Some(Decision::Reject), Some(RejectReason::Spam)) => true,
                _ => return None,
            };
            Some((s, spam))
        })
        .collect();
    let mut event_ids: Vec<i32> = decided.iter().map(|(s, _)| s.event_id).collect();
    event_ids.sort_unstable();
    event_ids.dedup();
    let mut texts = HashMap::new();
    for chunk in event_ids.chunks(500) {
        for rev in event_revision::Entity::find()
            .filter(event_revision::Column::EventId.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(internal)?
        {
            if let Some(snapshot) = Snapshot::parse(&rev.snapshot) {
                texts.insert((rev.event_id, rev.number), snapshot.text());
            }
        }
    }
    Ok(decided
        .into_iter()
        .filter_map(|(s, spam)| {
            texts.get(&(s.event_id, s.revision)).map(|text| Labelled {
                id: s.id,
                text: text.clone(),
                spam,
            })
        })
        .collect())
}

/// Why there is no model, as the reason the spam score rests on the rules alone: counted, not
/// loaded, since every screening without a model asks.
pub async fn why_untrained<C: ConnectionTrait>(db: &C) -> Result<Reason, AppError> {
    let decided = || {
        submission::Entity::find()
            .filter(submission::Column::State.eq("decided"))
            .filter(submission::Column::DecidedBy.is_not_null())
    };
    let approved = decided()
        .filter(submission::Column::Decision.eq(Decision::Approve.as_str()))
        .count(db)
        .await
        .map_err(internal)?;
    let spam = decided()
        .filter(submission::Column::Decision.eq(Decision::Reject.as_str()))
        .filter(submission::Column::DecisionReason.eq(RejectReason::Spam.as_str()))
        .count(db)
        .await
        .map_err(internal)?;
    Ok(
        match classifier::enough((approved + spam) as usize, spam as usize) {
            Err(not_enough) => Reason::RulesOnlyTooFew {
                needed: classifier::MIN_SAMPLES,
                per_class: classifier::MIN_PER_CLASS,
                decisions: not_enough.samples,
                spam: not_enough.spam_samples,
            },
            Ok(()) => Reason::RulesOnlyUntrained,
        },
    )
}

/// Trains on every decision so far and stores the model when there are enough.
pub async fn retrain<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Result<Trained, NotEnough>, AppError> {
    let samples = labelled(db).await?;
    let trained = match classifier::train(&samples) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    spam_model::ActiveModel {
        samples: Set(trained.samples as i32),
        spam_samples: Set(trained.spam_samples as i32),
        held_out_accuracy: Set(trained.held_out_accuracy),
        model: Set(serde_json::to_string(&trained.model).map_err(internal)?),
        trained_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(Ok(trained))
}
