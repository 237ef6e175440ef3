//! Automated pre-screening: four scores in 0..1, each with the reasons that produced it, an
//! overall score and a recommendation. Runs on every submission.
//!
//! overall = 0.30·completeness + 0.25·quality + 0.30·(1 − spam) + 0.15·(1 − duplicate)
//!
//! recommendation: `likely_reject` when spam ≥ 0.7 or duplicate ≥ 0.7; `fast_track` when overall
//! ≥ 0.8 with spam < 0.3 and duplicate < 0.3; `normal` otherwise.
pub mod classifier;
pub mod completeness;
pub mod duplicates;
pub mod quality;
pub mod reason;
pub mod signatures;
pub mod spam;
pub mod text;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        context::{find, internal},
        events::snapshot::Snapshot,
    },
    error::AppError,
    model::{curation::Recommendation, events::EventStatus},
};
use entity::{event, spam_model, submission, user};

use classifier::NaiveBayes;
use duplicates::Candidate;
use reason::{Reason, Stored};
use spam::OrganizerActivity;

pub const HIGH_RISK: f64 = 0.7;
pub const LOW_RISK: f64 = 0.3;
pub const FAST_TRACK_OVERALL: f64 = 0.8;

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub value: f64,
    pub reasons: Vec<Reason>,
}

/// The reasons behind each score, as stored with the submission (JSON) and read in each
/// reader's language; a row an earlier version wrote holds English sentences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reasons {
    pub completeness: Vec<Stored>,
    pub spam: Vec<Stored>,
    pub duplicate: Vec<Stored>,
    pub quality: Vec<Stored>,
    pub overall: Vec<Stored>,
}

/// Reasons as this version stores them.
fn known(reasons: Vec<Reason>) -> Vec<Stored> {
    reasons.into_iter().map(Stored::Known).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub completeness: f64,
    pub spam: f64,
    pub duplicate: f64,
    pub quality: f64,
    pub overall: f64,
    pub recommendation: Recommendation,
    pub spam_source: &'static str,
    pub duplicate_of: Option<i32>,
    pub reasons: Reasons,
}

/// The learned model in use, if one has been trained.
pub struct SpamModel {
    pub model: NaiveBayes,
    pub samples: i32,
}

pub fn overall(completeness: f64, quality: f64, spam: f64, duplicate: f64) -> f64 {
    0.30 * completeness + 0.25 * quality + 0.30 * (1.0 - spam) + 0.15 * (1.0 - duplicate)
}

pub fn recommend(overall: f64, spam: f64, duplicate: f64) -> Recommendation {
    if spam >= HIGH_RISK || duplicate >= HIGH_RISK {
        Recommendation::LikelyReject
    } else if overall >= FAST_TRACK_OVERALL && spam < LOW_RISK && duplicate < LOW_RISK {
        Recommendation::FastTrack
    } else {
        Recommendation::Normal
    }
}

/// The scores of one version of an event: pure, so every rule is testable without a database.
/// `model` is the learned model, or why there is none (then the rules work alone).
pub fn assess(
    organizer_id: i32,
    snapshot: &Snapshot,
    activity: OrganizerActivity,
    candidates: &[Candidate],
    model: Result<&SpamModel, &Reason>,
) -> Screening {
    let completeness = completeness::score(snapshot);
    let quality = quality::score(snapshot);
    let rules = spam::rules(snapshot, activity);
    let duplicate = duplicates::score(organizer_id, snapshot, candidates);
    let mut spam_reasons = rules.reasons.clone();
    let (spam, spam_source) = match model {
        Ok(m) => {
            let p = m.model.probability(&snapshot.text());
            spam_reasons.push(Reason::LearnedModel {
                samples: m.samples,
                spam: p,
            });
            ((rules.value + p) / 2.0, "rules+model")
        }
        Err(why) => {
            spam_reasons.push(why.clone());
            (rules.value, "rules")
        }
    };
    let overall = overall(completeness.value, quality.value, spam, duplicate.value);
    let recommendation = recommend(overall, spam, duplicate.value);
    let overall_reasons = vec![
        Reason::Formula {
            completeness: completeness.value,
            quality: quality.value,
            spam,
            duplicate: duplicate.value,
            overall,
        },
        match recommendation {
            Recommendation::LikelyReject => Reason::LikelyReject {
                threshold: HIGH_RISK,
            },
            Recommendation::FastTrack => Reason::FastTrack {
                overall: FAST_TRACK_OVERALL,
                risk: LOW_RISK,
            },
            Recommendation::Normal => Reason::NormalReview,
        },
    ];
    Screening {
        completeness: completeness.value,
        spam,
        duplicate: duplicate.value,
        quality: quality.value,
        overall,
        recommendation,
        spam_source,
        duplicate_of: duplicate.twin,
        reasons: Reasons {
            completeness: known(completeness.reasons),
            spam: known(spam_reasons),
            duplicate: known(duplicate.reasons),
            quality: known(quality.reasons),
            overall: known(overall_reasons),
        },
    }
}

/// At most this many events whose text may be a near copy, and as many starting around the same
/// time, are compared with a submission.
pub const MAX_CANDIDATES: u64 = 200;

/// Events a submission could duplicate: other events that are or were on their way to the
/// public and have not long ended, among those whose stored text signature shares a band with
/// this one or that start within a day of it.
async fn candidates<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, AppError> {
    let mut ids = signatures::sharing(db, event_id, snapshot, MAX_CANDIDATES).await?;
    let around: Vec<i32> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Id.ne(event_id))
        .filter(
            event::Column::Status
                .is_not_in([EventStatus::Draft.as_str(), EventStatus::Rejected.as_str()]),
        )
        .filter(event::Column::StartsAt.gte(snapshot.starts_at - Duration::hours(24)))
        .filter(event::Column::StartsAt.lte(snapshot.starts_at + Duration::hours(24)))
        .order_by_asc(event::Column::StartsAt)
        .limit(MAX_CANDIDATES)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    ids.extend(around);
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(event::Entity::find()
        .filter(event::Column::Id.is_in(ids))
        .filter(
            event::Column::Status
                .is_not_in([EventStatus::Draft.as_str(), EventStatus::Rejected.as_str()]),
        )
        .filter(event::Column::EndsAt.gt(now - Duration::days(30)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| Candidate {
            id: e.id,
            organizer_id: e.organizer_id,
            title: e.title.clone(),
            snapshot: Snapshot::of(&e),
        })
        .collect())
}

async fn activity<C: ConnectionTrait>(
    db: &C,
    organizer_id: i32,
    now: DateTime<Utc>,
) -> Result<OrganizerActivity, AppError> {
    let organizer = find::<user::Entity, _>(db, organizer_id).await?;
    let events: Vec<i32> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::OrganizerId.eq(organizer_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let submissions_last_day = submission::Entity::find()
        .filter(submission::Column::EventId.is_in(events))
        .filter(submission::Column::CreatedAt.gt(now - Duration::days(1)))
        .count(db)
        .await
        .map_err(internal)?;
    Ok(OrganizerActivity {
        account_age_days: (now - organizer.created_at).num_days().max(0),
        // the submission being screened is not stored yet
        submissions_last_day: submissions_last_day + 1,
    })
}

/// The newest trained model, or why there is none.
pub async fn current_model<C: ConnectionTrait>(
    db: &C,
) -> Result<Result<SpamModel, Reason>, AppError> {
    let row = spam_model::Entity::find()
        .order_by_desc(spam_model::Column::Id)
        .one(db)
        .await
        .map_err(internal)?;
    Ok(match row {
        Some(row) => match serde_json::from_str::<NaiveBayes>(&row.model) {
            Ok(model) => Ok(SpamModel {
                model,
                samples: row.samples,
            }),
            Err(e) => {
                tracing::warn!(error = %e, id = row.id, "stored spam model unreadable");
                Err(Reason::RulesOnlyUnreadable)
            }
        },
        None => Err(super::training::why_untrained(db).await?),
    })
}

/// Screens one version of an event against the database as it is now.
pub async fn screen<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
) -> Result<Screening, AppError> {
    let candidates = candidates(db, event.id, snapshot, now).await?;
    signatures::store(db, event.id, snapshot).await?;
    let activity = activity(db, event.organizer_id, now).await?;
    let model = current_model(db).await?;
    Ok(assess(
        event.organizer_id,
        snapshot,
        activity,
        &candidates,
        model.as_ref(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{domain::events::snapshot::tests::sample, model::language::Locale};

    const GOOD: &str = "## About\n\nA relaxed evening of live jazz on the canal with a quartet playing standards and a few new songs. \
Everyone is welcome, whether you play yourself or just love to listen.\n\n## What to expect\n\n- Two sets of about forty minutes\n\
- Drinks from the bar\n\nThe venue is a short walk from the tram stop and has step-free access. Doors open half an hour \
before the music starts. Seats are first come, first served, so come early if you want one near the stage. The band takes \
requests in the second set, and the bar serves small plates until late. Bring friends and enjoy a warm summer night by the water.";

    fn good() -> Snapshot {
        Snapshot {
            summary: "Live jazz on the canal with a local quartet".into(),
            description_md: GOOD.into(),
            tags: "jazz,live".into(),
            cover_image_id: Some(1),
            ..sample()
        }
    }

    fn spammy() -> Snapshot {
        Snapshot {
            title: "EARN $5000 A WEEK!!!".into(),
            description_md: "GUARANTEED passive income!!!! DM me on whatsapp https://a.example https://b.example \
                             https://c.example crypto forex, act now".into(),
            ..good()
        }
    }

    fn screen(s: &Snapshot, candidates: &[Candidate]) -> Screening {
        assess(
            7,
            s,
            OrganizerActivity {
                account_age_days: 300,
                submissions_last_day: 1,
            },
            candidates,
            Err(&Reason::RulesOnlyUntrained),
        )
    }

    /// Reasons as an English reader sees them.
    fn english(reasons: &[Stored]) -> Vec<String> {
        reasons.iter().map(|r| r.message_in(Locale::en)).collect()
    }

    #[test]
    fn a_spammy_event_scores_higher_spam_than_a_good_one() {
        let (good, spam) = (screen(&good(), &[]), screen(&spammy(), &[]));
        assert!(good.spam < 0.1, "{}", good.spam);
        assert!(spam.spam >= HIGH_RISK, "{}", spam.spam);
        let said = english(&spam.reasons.spam);
        assert!(said.iter().any(|r| r.contains("Scam phrases")));
        assert!(said.iter().any(|r| r.contains("Title in capitals")));
        assert_eq!(spam.recommendation, Recommendation::LikelyReject);
        assert!(good.overall > spam.overall);
        // a burst of submissions from a brand-new account adds to it
        let burst = rules_score_with(OrganizerActivity {
            account_age_days: 0,
            submissions_last_day: 5,
        });
        let settled = rules_score_with(OrganizerActivity {
            account_age_days: 300,
            submissions_last_day: 1,
        });
        assert!(burst > settled);
    }

    fn rules_score_with(activity: OrganizerActivity) -> f64 {
        spam::rules(&good(), activity).value
    }

    #[test]
    fn a_copied_event_is_found_as_the_duplicate_of_its_original() {
        let original = Candidate {
            id: 41,
            organizer_id: 99,
            title: "Jazz by the Water".into(),
            snapshot: good(),
        };
        let unrelated = Candidate {
            id: 42,
            organizer_id: 98,
            title: "Pottery".into(),
            snapshot: Snapshot {
                title: "Beginner pottery".into(),
                description_md: "Learn to throw a bowl on the wheel with clay, tea and a patient teacher in a small studio.".into(),
                venue_name: Some("Studio Ton".into()),
                latitude: Some(52.1),
                longitude: Some(13.1),
                ..good()
            },
        };
        let copy = screen(&good(), &[unrelated.clone(), original.clone()]);
        assert_eq!(copy.duplicate_of, Some(41));
        assert!(copy.duplicate >= HIGH_RISK, "{}", copy.duplicate);
        assert_eq!(copy.recommendation, Recommendation::LikelyReject);
        // a lightly reworded copy is still found
        let mut reworded = good();
        reworded.description_md = reworded
            .description_md
            .replace("relaxed", "lovely")
            .replace("warm", "balmy");
        let found = screen(&reworded, &[unrelated.clone(), original.clone()]);
        assert_eq!(found.duplicate_of, Some(41));
        assert!(found.duplicate > 0.5, "{}", found.duplicate);
        // the same organizer repeating the event another week is a series, not a duplicate
        let mut next_week = good();
        next_week.starts_at += chrono::Duration::days(7);
        next_week.ends_at += chrono::Duration::days(7);
        let own = Candidate {
            organizer_id: 7,
            ..original
        };
        assert!(screen(&next_week, &[own]).duplicate < LOW_RISK);
        // nothing similar: no twin
        let alone = screen(&good(), &[unrelated]);
        assert_eq!(alone.duplicate_of, None);
        assert!(alone.duplicate < 0.2);
    }

    #[test]
    fn an_incomplete_event_scores_lower_completeness() {
        let complete = screen(&good(), &[]);
        let incomplete = screen(
            &Snapshot {
                summary: String::new(),
                description_md: "Jazz.".into(),
                cover_image_id: None,
                latitude: None,
                longitude: None,
                tags: String::new(),
                ..good()
            },
            &[],
        );
        assert!(
            (complete.completeness - 1.0).abs() < 1e-9,
            "{:?}",
            complete.reasons.completeness
        );
        assert!(incomplete.completeness < 0.5, "{}", incomplete.completeness);
        let said = english(&incomplete.reasons.completeness);
        for missing in [
            "No cover image",
            "Summary missing",
            "Description has",
            "Venue without map coordinates",
            "Fewer than two tags",
        ] {
            assert!(said.iter().any(|r| r.contains(missing)), "{missing}");
        }
    }

    #[test]
    fn formatted_readable_text_scores_higher_quality_than_a_wall_of_shouting() {
        let good = screen(&good(), &[]);
        let poor = screen(
            &Snapshot {
                title: "PARTY!!".into(),
                description_md: "party party party come".into(),
                ..sample()
            },
            &[],
        );
        assert!(good.quality > 0.9, "{:?}", good.reasons.quality);
        assert!(poor.quality < 0.5, "{}", poor.quality);
        let said = english(&poor.reasons.quality);
        assert!(said.iter().any(|r| r.contains("Very short")));
    }

    #[test]
    fn the_overall_formula_and_recommendations_are_as_documented() {
        assert!((overall(1.0, 1.0, 0.0, 0.0) - 1.0).abs() < 1e-9);
        assert!((overall(0.5, 0.5, 0.5, 0.5) - 0.5).abs() < 1e-9);
        assert_eq!(recommend(0.95, 0.1, 0.1), Recommendation::FastTrack);
        assert_eq!(recommend(0.95, 0.35, 0.1), Recommendation::Normal);
        assert_eq!(recommend(0.95, 0.1, 0.7), Recommendation::LikelyReject);
        assert_eq!(recommend(0.6, 0.1, 0.1), Recommendation::Normal);
    }

    #[test]
    fn the_learned_model_joins_the_rules_once_trained() {
        let trained = classifier::train(&classifier::tests::corpus(60)).unwrap();
        let model = SpamModel {
            model: trained.model,
            samples: 60,
        };
        let with_model = assess(7, &spammy(), OrganizerActivity::default(), &[], Ok(&model));
        assert_eq!(with_model.spam_source, "rules+model");
        let said = english(&with_model.reasons.spam).join(" · ");
        assert!(said.contains("Learned model (trained on 60"), "{said}");
        let without = screen(&spammy(), &[]);
        assert_eq!(without.spam_source, "rules");
        let said = english(&without.reasons.spam);
        assert!(said.iter().any(|r| r.starts_with("Rules only")));
    }
}
