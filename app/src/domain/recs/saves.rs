//! Saving an event ("Interested"), taking it back, and "Not interested". A save is a row
//! here and an `interested_in` edge in the graph, written by the graph worker from the outbox
//! row this transaction writes; friends see it under the attendance rule.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal},
        events::{access::can_view, listings::public_cards},
        graph::sync,
        outbox,
        transaction::begin_write,
    },
    error::AppError,
    i18n::td_string,
    model::{events::EventCard, language::Locale},
};
use entity::{event, event_dismissal, saved_event, user};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveAction {
    Save,
    Unsave,
    Dismiss,
}

impl SaveAction {
    pub fn parse(s: &str) -> Option<SaveAction> {
        match s {
            "save" => Some(SaveAction::Save),
            "unsave" => Some(SaveAction::Unsave),
            "dismiss" => Some(SaveAction::Dismiss),
            _ => None,
        }
    }

    /// What the person is told afterwards.
    pub fn notice(self, locale: Locale) -> &'static str {
        match self {
            SaveAction::Save => td_string!(locale, recs.saves.saved),
            SaveAction::Unsave => td_string!(locale, recs.saves.unsaved),
            SaveAction::Dismiss => td_string!(locale, recs.saves.dismissed),
        }
    }
}

/// Does `action` for `me` on `event_id`. Saving an event twice, or taking back a save that is
/// not there, changes nothing. `NotFound` for an event the person may not see.
pub async fn act<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    me: &user::Model,
    event_id: i32,
    action: SaveAction,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let event = find::<event::Entity, _>(db, event_id).await?;
    if !can_view(db, &event, Some(me)).await? {
        return Err(AppError::NotFound);
    }
    let txn = begin_write(db).await.map_err(internal)?;
    match action {
        SaveAction::Save | SaveAction::Unsave => {
            let existing = saved_event::Entity::find()
                .filter(saved_event::Column::UserId.eq(me.id))
                .filter(saved_event::Column::EventId.eq(event_id))
                .one(&txn)
                .await
                .map_err(internal)?;
            let changed = match (existing, action) {
                (None, SaveAction::Save) => Some(
                    saved_event::ActiveModel {
                        user_id: Set(me.id),
                        event_id: Set(event_id),
                        created_at: Set(now),
                        removed_at: Set(None),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await
                    .map_err(internal)?,
                ),
                (Some(row), SaveAction::Save) if row.removed_at.is_some() => {
                    let mut active: saved_event::ActiveModel = row.into();
                    active.created_at = Set(now);
                    active.removed_at = Set(None);
                    Some(active.update(&txn).await.map_err(internal)?)
                }
                (Some(row), SaveAction::Unsave) if row.removed_at.is_none() => {
                    let mut active: saved_event::ActiveModel = row.into();
                    active.removed_at = Set(Some(now));
                    Some(active.update(&txn).await.map_err(internal)?)
                }
                _ => None,
            };
            if let Some(row) = changed {
                outbox::enqueue(&txn, sync::SAVE, row.id, now).await?;
            }
        }
        SaveAction::Dismiss => {
            let exists = event_dismissal::Entity::find()
                .filter(event_dismissal::Column::UserId.eq(me.id))
                .filter(event_dismissal::Column::EventId.eq(event_id))
                .one(&txn)
                .await
                .map_err(internal)?
                .is_some();
            if !exists {
                event_dismissal::ActiveModel {
                    user_id: Set(me.id),
                    event_id: Set(event_id),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(internal)?;
            }
        }
    }
    txn.commit().await.map_err(internal)
}

/// Which of `events` the person saved.
pub async fn saved_among<C: ConnectionTrait>(
    db: &C,
    me: i32,
    events: &[i32],
) -> Result<HashSet<i32>, AppError> {
    if events.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<i32> = saved_event::Entity::find()
        .select_only()
        .column(saved_event::Column::EventId)
        .filter(saved_event::Column::UserId.eq(me))
        .filter(saved_event::Column::RemovedAt.is_null())
        .filter(saved_event::Column::EventId.is_in(events.iter().copied()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    Ok(ids.into_iter().collect())
}

/// The person's saved events that are still public, latest save first; ended ones last.
pub async fn saved_cards<C: ConnectionTrait>(
    db: &C,
    me: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(Vec<EventCard>, Vec<EventCard>), AppError> {
    let rows: Vec<(i32, DateTime<Utc>)> = saved_event::Entity::find()
        .select_only()
        .columns([saved_event::Column::EventId, saved_event::Column::CreatedAt])
        .filter(saved_event::Column::UserId.eq(me))
        .filter(saved_event::Column::RemovedAt.is_null())
        .order_by_desc(saved_event::Column::CreatedAt)
        .limit(500)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let ended: HashMap<i32, bool> = event::Entity::find()
        .select_only()
        .columns([event::Column::Id, event::Column::EndsAt])
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i32, DateTime<Utc>)>()
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(id, ends)| (id, ends <= now))
        .collect();
    let mut cards = public_cards(db, &ids, locale).await?;
    for c in cards.iter_mut() {
        c.saved = Some(true);
    }
    Ok(cards
        .into_iter()
        .partition(|c| !ended.get(&c.id).copied().unwrap_or(true)))
}

/// Puts what the viewer has to do with each card on it: friends going, and whether they saved
/// it.
pub async fn annotate<'a>(
    state: &crate::domain::context::AppState,
    viewer: i32,
    cards: impl Iterator<Item = &'a mut EventCard>,
) -> Result<(), AppError> {
    let mut cards: Vec<&mut EventCard> = cards.collect();
    crate::domain::social::going::annotate(
        state.graph.as_ref(),
        viewer,
        cards.iter_mut().map(|c| &mut **c),
    )
    .await?;
    let ids: Vec<i32> = cards.iter().map(|c| c.id).collect();
    let saved = saved_among(&state.db, viewer, &ids).await?;
    for card in cards.iter_mut() {
        card.saved = Some(saved.contains(&card.id));
    }
    Ok(())
}
