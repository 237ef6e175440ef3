//! Quality badges on event cards and pages, from curation numbers.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    domain::{
        context::internal,
        curation::reviews::{organizer_ratings, Rating},
    },
    error::AppError,
    i18n::td_string,
    model::language::Locale,
};
use entity::{event, user};

/// An approved version that pre-screening scored at least this high.
pub const CURATORS_PICK: f64 = 0.85;
pub const HIGHLY_RATED: f64 = 4.5;
pub const HIGHLY_RATED_MIN_REVIEWS: u64 = 3;
pub const TRUSTED_REPUTATION: i32 = 50;

pub fn badges(
    curation_score: Option<f64>,
    reputation: i32,
    rating: Option<Rating>,
    locale: Locale,
) -> Vec<String> {
    let mut out = Vec::new();
    if curation_score.is_some_and(|s| s >= CURATORS_PICK) {
        out.push(td_string!(locale, curation.badges.curators_pick).to_owned());
    }
    if rating.is_some_and(|r| r.average >= HIGHLY_RATED && r.count >= HIGHLY_RATED_MIN_REVIEWS) {
        out.push(td_string!(locale, curation.badges.highly_rated).to_owned());
    } else if reputation >= TRUSTED_REPUTATION {
        out.push(td_string!(locale, curation.badges.trusted).to_owned());
    }
    out
}

/// Badges for a list of events, in two queries.
pub async fn for_events<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
    locale: Locale,
) -> Result<HashMap<i32, Vec<String>>, AppError> {
    let mut organizers: Vec<i32> = events.iter().map(|e| e.organizer_id).collect();
    organizers.sort_unstable();
    organizers.dedup();
    let reputations: HashMap<i32, i32> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Reputation])
        .filter(user::Column::Id.is_in(organizers.clone()))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .collect();
    let ratings = organizer_ratings(db, &organizers).await?;
    Ok(events
        .iter()
        .map(|e| {
            (
                e.id,
                badges(
                    e.curation_score,
                    reputations.get(&e.organizer_id).copied().unwrap_or(0),
                    ratings.get(&e.organizer_id).copied(),
                    locale,
                ),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_follow_the_numbers() {
        assert!(badges(None, 0, None, Locale::en).is_empty());
        assert_eq!(
            badges(Some(0.9), 0, None, Locale::en),
            vec!["Curator's pick"]
        );
        let great = Rating {
            average: 4.7,
            count: 5,
        };
        assert_eq!(
            badges(None, 0, Some(great), Locale::en),
            vec!["Highly rated organizer"]
        );
        let few = Rating {
            average: 5.0,
            count: 1,
        };
        assert!(badges(None, 0, Some(few), Locale::en).is_empty());
        assert_eq!(
            badges(None, 60, None, Locale::en),
            vec!["Trusted organizer"]
        );
    }
}
