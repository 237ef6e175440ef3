//! Reputation: points kept in `users.reputation`, each change written to a ledger with its
//! reason. Organizers gain from approvals and good reviews and lose from rejections and upheld
//! flags; flaggers gain when curators uphold their flags and lose when they are dismissed.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait,
    QueryFilter, Set,
};

use crate::{domain::context::internal, error::AppError};
use entity::{reputation_change, user};

pub const APPROVED: i32 = 5;
pub const REJECTED: i32 = -10;
pub const GOOD_REVIEW: i32 = 2;
pub const BAD_REVIEW: i32 = -2;
pub const HIDE_UPHELD: i32 = -15;
pub const FLAG_UPHELD: i32 = 3;
pub const FLAG_DISMISSED: i32 = -2;

/// Weighted flags at or above this hide an event until a curator re-reviews it, when enough of
/// them come from established reporters.
pub const HIDE_THRESHOLD: f64 = 3.0;
/// Independent established reporters needed to hide an event.
pub const REPORTERS_TO_HIDE: usize = 3;

/// Reviews move an organizer's reputation by at most this much in total, either way, so reviews
/// alone never reach the fast track (25 by default) nor sink an organizer.
pub const REVIEW_POINTS_CAP: i32 = 10;
pub const GOOD_REVIEW_REASON: &str = "Good review";
pub const POOR_REVIEW_REASON: &str = "Poor review";

/// An established reporter's flag counts 1, more when curators upheld their flags, less when
/// they were dismissed: 1 + reputation / 20, kept within 0.25 and 3.
pub fn flag_weight(reputation: i32) -> f64 {
    (1.0 + f64::from(reputation) / 20.0).clamp(0.25, 3.0)
}

pub async fn award<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    delta: i32,
    reason: &str,
    event_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    reputation_change::ActiveModel {
        user_id: Set(user_id),
        delta: Set(delta),
        reason: Set(reason.to_owned()),
        event_id: Set(event_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    user::Entity::update_many()
        .col_expr(
            user::Column::Reputation,
            Expr::col(user::Column::Reputation).add(delta),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reputable_flaggers_weigh_more_and_weights_stay_bounded() {
        assert_eq!(flag_weight(0), 1.0);
        assert!(flag_weight(30) > flag_weight(0));
        assert!(flag_weight(-10) < flag_weight(0));
        assert_eq!(flag_weight(10_000), 3.0);
        assert_eq!(flag_weight(-10_000), 0.25);
        // three established reporters reach the threshold; two do not
        assert!(2.0 * flag_weight(0) < HIDE_THRESHOLD);
        assert!(REPORTERS_TO_HIDE as f64 * flag_weight(0) >= HIDE_THRESHOLD);
    }
}
