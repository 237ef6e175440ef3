//! Attendee reviews: after an event has ended, people who held a ticket for it leave one rating
//! of 1–5 stars with a text. What reviews do to the organizer's reputation is capped per
//! reviewer and per organizer, and only established reviewers move it at all.
use crate::domain::transaction::begin_write;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{internal, unique_or_internal},
        curation::{reputation, standing::Standing},
        events::access,
        graph, outbox,
    },
    error::AppError,
    i18n::td_string,
    model::language::Locale,
};
use entity::{event, event_review, reputation_change, user};

async fn public_event<C: ConnectionTrait>(db: &C, id: i32) -> Result<event::Model, AppError> {
    event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .filter(access::is_shown)
        .ok_or(AppError::NotFound)
}

pub fn parse_rating(raw: &str, locale: Locale) -> Result<i32, AppError> {
    match raw.trim().parse::<i32>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(AppError::field(
            "rating",
            td_string!(locale, curation.reviews.rating),
        )),
    }
}

pub async fn review<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    event_id: i32,
    rating: &str,
    text: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let rating = parse_rating(rating, locale)?;
    let text = text.trim();
    if text.chars().count() > 2000 {
        return Err(AppError::field(
            "text",
            td_string!(locale, curation.lifecycle.too_long),
        ));
    }
    let event = public_event(db, event_id).await?;
    let refused = |message: &str| Err(AppError::Refused(message.to_owned()));
    if event.ends_at > now {
        return refused(td_string!(locale, curation.reviews.not_ended));
    }
    if event.organizer_id == user.id {
        return refused(td_string!(locale, curation.reviews.own_event));
    }
    if event.cancel_reason.is_some() {
        return refused(td_string!(locale, curation.reviews.cancelled));
    }
    if !access::holds_ticket(db, user.id, event_id).await? {
        return refused(td_string!(locale, curation.reviews.no_ticket));
    }
    let already = event_review::Entity::find()
        .filter(event_review::Column::EventId.eq(event_id))
        .filter(event_review::Column::UserId.eq(user.id))
        .one(db)
        .await
        .map_err(internal)?;
    let already_reviewed =
        || AppError::Refused(td_string!(locale, curation.reviews.already).into());
    if already.is_some() {
        return Err(already_reviewed());
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let review = event_review::ActiveModel {
        event_id: Set(event_id),
        user_id: Set(user.id),
        organizer_id: Set(event.organizer_id),
        rating: Set(rating),
        text: Set(text.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_or_internal(e, already_reviewed()))?;
    outbox::enqueue(&txn, graph::sync::REVIEW, review.id, now).await?;
    if let Some((delta, reason)) = review_points(&txn, user, &event, rating, now).await? {
        reputation::award(&txn, event.organizer_id, delta, reason, Some(event_id), now).await?;
    }
    txn.commit().await.map_err(internal)
}

/// What a new review does to its organizer's reputation: nothing unless the reviewer is
/// established and has not moved this organizer's reputation before, and never past
/// `REVIEW_POINTS_CAP` either way in total. Reviews are still shown either way.
async fn review_points<C: ConnectionTrait>(
    db: &C,
    reviewer: &user::Model,
    event: &event::Model,
    rating: i32,
    now: DateTime<Utc>,
) -> Result<Option<(i32, &'static str)>, AppError> {
    let (delta, reason) = match rating {
        4..=5 => (reputation::GOOD_REVIEW, reputation::GOOD_REVIEW_REASON),
        1..=2 => (reputation::BAD_REVIEW, reputation::POOR_REVIEW_REASON),
        _ => return Ok(None),
    };
    if !Standing::of(db, reviewer, now).await?.review_counts() {
        return Ok(None);
    }
    // one reviewer's word counts once per organizer, however many of their events they review
    let earlier = event_review::Entity::find()
        .filter(event_review::Column::OrganizerId.eq(event.organizer_id))
        .filter(event_review::Column::UserId.eq(reviewer.id))
        .count(db)
        .await
        .map_err(internal)?;
    if earlier > 1 {
        return Ok(None);
    }
    let so_far: i32 = reputation_change::Entity::find()
        .filter(reputation_change::Column::UserId.eq(event.organizer_id))
        .filter(reputation_change::Column::Reason.eq(reason))
        .all(db)
        .await
        .map_err(internal)?
        .iter()
        .map(|c| c.delta)
        .sum();
    Ok(((so_far + delta).abs() <= reputation::REVIEW_POINTS_CAP).then_some((delta, reason)))
}

/// Average rating and count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating {
    pub average: f64,
    pub count: u64,
}

impl Rating {
    /// "★ 4.5 (12 reviews)".
    pub fn label(&self, locale: Locale) -> String {
        let average = super::decimals(locale, self.average, 1);
        td_string!(
            locale,
            curation.reviews.rating_label,
            average,
            count = self.count
        )
    }
}

/// Reviews shown on an event's page: the newest.
pub const SHOWN: u64 = 20;

/// The newest `SHOWN` reviews of an event.
pub async fn for_event<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
) -> Result<Vec<event_review::Model>, AppError> {
    event_review::Entity::find()
        .filter(event_review::Column::EventId.eq(event_id))
        .order_by_desc(event_review::Column::CreatedAt)
        .limit(SHOWN)
        .all(db)
        .await
        .map_err(internal)
}

/// Average rating and count of the reviews matching `filter`, counted in the database, grouped
/// by `by`.
async fn ratings_by<C: ConnectionTrait>(
    db: &C,
    by: event_review::Column,
    ids: &[i32],
) -> Result<HashMap<i32, Rating>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, i64, i64)> = event_review::Entity::find()
        .select_only()
        .column(by)
        .column_as(event_review::Column::Rating.sum(), "total")
        .column_as(event_review::Column::Id.count(), "count")
        .filter(by.is_in(ids.to_vec()))
        .group_by(by)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, count)| *count > 0)
        .map(|(id, total, count)| {
            (
                id,
                Rating {
                    average: total as f64 / count as f64,
                    count: count as u64,
                },
            )
        })
        .collect())
}

/// The event's average rating and count over all its reviews.
pub async fn event_rating<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
) -> Result<Option<Rating>, AppError> {
    Ok(ratings_by(db, event_review::Column::EventId, &[event_id])
        .await?
        .remove(&event_id))
}

/// Ratings across all events of each organizer.
pub async fn organizer_ratings<C: ConnectionTrait>(
    db: &C,
    organizer_ids: &[i32],
) -> Result<HashMap<i32, Rating>, AppError> {
    ratings_by(db, event_review::Column::OrganizerId, organizer_ids).await
}
