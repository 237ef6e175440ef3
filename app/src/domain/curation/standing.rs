//! How much a person's word weighs in curation. Reports and reviews from an address nobody
//! confirmed, a days-old account or an account with no history weigh next to nothing, so a batch
//! of throwaway accounts can neither hide an event nor lift or sink an organizer.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Query, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::{
    domain::{accounts::recovery, context::internal, curation::reputation},
    error::AppError,
    model::ticketing::RegistrationStatus,
};
use entity::{event, registration, user};

/// An account younger than this is "days old": its reports weigh next to nothing.
pub const NEW_ACCOUNT_DAYS: i64 = 7;
/// An account is established after this long with a confirmed address and some history.
pub const ESTABLISHED_DAYS: i64 = 30;
/// The weight of a report from a confirmed account that is days old.
pub const NEW_ACCOUNT_WEIGHT: f64 = 0.05;
/// The weight of a report from a confirmed account that is not established yet.
pub const UNPROVEN_WEIGHT: f64 = 0.25;
/// A report this heavy comes from an established reporter in good standing.
pub const ESTABLISHED_WEIGHT: f64 = 1.0;

/// What curation knows of a person when they report or review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub verified: bool,
    pub age_days: i64,
    /// Ended events they held a confirmed ticket for (or were checked in at).
    pub events_attended: u64,
    pub reputation: i32,
}

impl Standing {
    pub async fn of<C: ConnectionTrait>(
        db: &C,
        user: &user::Model,
        now: DateTime<Utc>,
    ) -> Result<Standing, AppError> {
        let ended = Query::select()
            .column(event::Column::Id)
            .from(event::Entity)
            .and_where(event::Column::EndsAt.lt(now))
            .to_owned();
        let events_attended = registration::Entity::find()
            .filter(registration::Column::UserId.eq(user.id))
            .filter(
                registration::Column::Status.is_in(RegistrationStatus::slugs_where(
                    RegistrationStatus::is_going,
                )),
            )
            .filter(registration::Column::EventId.in_subquery(ended))
            .count(db)
            .await
            .map_err(internal)?;
        Ok(Standing {
            verified: recovery::verified(user),
            age_days: (now - user.created_at).num_days(),
            events_attended,
            reputation: user.reputation,
        })
    }

    /// Confirmed, a month old, and either went to an event with a ticket or earned points
    /// (an approved event, an upheld report).
    pub fn established(&self) -> bool {
        self.verified
            && self.age_days >= ESTABLISHED_DAYS
            && (self.events_attended > 0 || self.reputation > 0)
    }

    /// What one report from this person adds towards hiding an event.
    pub fn report_weight(&self) -> f64 {
        if !self.verified {
            0.0
        } else if self.established() {
            reputation::flag_weight(self.reputation)
        } else if self.age_days < NEW_ACCOUNT_DAYS {
            NEW_ACCOUNT_WEIGHT
        } else {
            UNPROVEN_WEIGHT
        }
    }

    /// Whether this person's review may move the organizer's reputation at all (the caps in
    /// `reviews` apply on top).
    pub fn review_counts(&self) -> bool {
        self.established() && self.reputation >= 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(verified: bool, age_days: i64, events_attended: u64, reputation: i32) -> Standing {
        Standing {
            verified,
            age_days,
            events_attended,
            reputation,
        }
    }

    #[test]
    fn throwaway_accounts_weigh_next_to_nothing() {
        assert_eq!(standing(false, 400, 10, 50).report_weight(), 0.0);
        assert_eq!(standing(true, 0, 0, 0).report_weight(), NEW_ACCOUNT_WEIGHT);
        assert_eq!(standing(true, 2, 3, 0).report_weight(), NEW_ACCOUNT_WEIGHT);
        assert_eq!(standing(true, 90, 0, 0).report_weight(), UNPROVEN_WEIGHT);
        // ten days-old accounts together weigh less than one established reporter
        const { assert!(10.0 * NEW_ACCOUNT_WEIGHT < ESTABLISHED_WEIGHT) };
        assert!(!standing(true, 2, 3, 0).review_counts());
    }

    #[test]
    fn established_reporters_weigh_by_their_record() {
        let regular = standing(true, 60, 1, 0);
        assert!(regular.established());
        assert_eq!(regular.report_weight(), ESTABLISHED_WEIGHT);
        assert!(
            standing(true, 60, 0, 3).established(),
            "an upheld report is history"
        );
        assert!(standing(true, 60, 0, 40).report_weight() > ESTABLISHED_WEIGHT);
        // dismissed reports cost weight below what counts as established
        assert!(standing(true, 60, 4, -10).report_weight() < ESTABLISHED_WEIGHT);
        assert!(!standing(true, 60, 4, -10).review_counts());
        assert!(regular.review_counts());
    }
}
