//! Two rankers side by side. Each person is assigned a variant by a stable hash of the
//! experiment's name and their id (the same person gets the same ranker on every server and
//! after every restart; a new experiment name reshuffles everyone). Impressions and clicks are
//! recorded with the variant; saves and registrations count for a variant when they follow an
//! impression of the same event to the same person.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use sha2::{Digest, Sha256};

use super::rank::{Weights, BLEND};
use crate::{
    domain::context::internal,
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        recs::{ExperimentReport, VariantFigures},
        ticketing::RegistrationStatus,
    },
};

pub const EXPERIMENT: &str = "for-you-2026-12";

pub struct Variant {
    pub name: &'static str,
    /// What the ranker does, for the admin page.
    pub description: fn(Locale) -> &'static str,
    pub weights: Weights,
}

pub const VARIANTS: [Variant; 2] = [
    Variant {
        name: "blend",
        description: |locale| td_string!(locale, recs.experiments.blend),
        weights: BLEND,
    },
    Variant {
        name: "neighbours",
        description: |locale| td_string!(locale, recs.experiments.neighbours),
        weights: Weights {
            item: 0.45,
            factor: 0.0,
            content: 0.15,
            social: 0.20,
            trending: 0.10,
            popular: 0.05,
            fresh: 0.05,
        },
    },
];

/// The person's variant in `EXPERIMENT`.
pub fn assign(person: i32) -> &'static Variant {
    let digest = Sha256::digest(format!("{EXPERIMENT}:{person}").as_bytes());
    let n = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
    &VARIANTS[(n % VARIANTS.len() as u64) as usize]
}

pub fn variant(name: &str) -> Option<&'static Variant> {
    VARIANTS.iter().find(|v| v.name == name)
}

/// The figures of every variant over the last `days` days, described in `locale`.
pub async fn report<C: ConnectionTrait>(
    db: &C,
    days: u32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<ExperimentReport, AppError> {
    let since = (now - Duration::days(i64::from(days))).date_naive();
    let backend = db.get_database_backend();
    // a date literal we format ourselves, so the same text runs on both databases
    let since = format!("'{}'", since.format("%Y-%m-%d"));
    let day_of = |column: &str| match backend {
        DatabaseBackend::Sqlite => format!("substr({column}, 1, 10)"),
        _ => format!("CAST({column} AS DATE)"),
    };
    let going = format!(
        "'{}', '{}'",
        RegistrationStatus::Confirmed.as_str(),
        RegistrationStatus::CheckedIn.as_str()
    );
    let shown = format!(
        "SELECT variant, COUNT(DISTINCT person_id) AS people, CAST(SUM(shown) AS BIGINT) AS shown, CAST(SUM(clicked) AS BIGINT) AS clicked \
         FROM recs_impressions WHERE day >= {since} GROUP BY variant"
    );
    let saves = format!(
        "SELECT i.variant AS variant, COUNT(DISTINCT s.id) AS n FROM saved_events s \
         JOIN recs_impressions i ON i.person_id = s.user_id AND i.event_id = s.event_id \
         WHERE i.day >= {since} AND i.shown > 0 AND s.removed_at IS NULL AND {} >= i.day GROUP BY i.variant",
        day_of("s.created_at")
    );
    let registrations = format!(
        "SELECT i.variant AS variant, COUNT(DISTINCT r.id) AS n FROM registrations r \
         JOIN recs_impressions i ON i.person_id = r.user_id AND i.event_id = r.event_id \
         WHERE i.day >= {since} AND i.shown > 0 AND r.status IN ({going}) AND {} >= i.day GROUP BY i.variant",
        day_of("r.created_at")
    );
    let mut variants: Vec<VariantFigures> = VARIANTS
        .iter()
        .map(|v| VariantFigures {
            variant: v.name.to_owned(),
            description: (v.description)(locale).to_owned(),
            ..Default::default()
        })
        .collect();
    let figures = |variants: &mut Vec<VariantFigures>, name: String| -> usize {
        match variants.iter().position(|v| v.variant == name) {
            Some(i) => i,
            None => {
                variants.push(VariantFigures {
                    variant: name,
                    description: td_string!(locale, recs.experiments.ended).into(),
                    ..Default::default()
                });
                variants.len() - 1
            }
        }
    };
    for row in query(db, backend, &shown).await? {
        let name: String = row.try_get("", "variant").map_err(internal)?;
        let i = figures(&mut variants, name);
        variants[i].people = count(&row, "people")?;
        variants[i].impressions = count(&row, "shown")?;
        variants[i].clicks = count(&row, "clicked")?;
    }
    for (sql, saves) in [(saves, true), (registrations, false)] {
        for row in query(db, backend, &sql).await? {
            let name: String = row.try_get("", "variant").map_err(internal)?;
            let i = figures(&mut variants, name);
            let n = count(&row, "n")?;
            if saves {
                variants[i].saves = n;
            } else {
                variants[i].registrations = n;
            }
        }
    }
    Ok(ExperimentReport {
        experiment: EXPERIMENT.to_owned(),
        days,
        variants,
        model: None,
    })
}

async fn query<C: ConnectionTrait>(
    db: &C,
    backend: DatabaseBackend,
    sql: &str,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    db.query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .map_err(internal)
}

/// A count or sum (cast to BIGINT in the query, so both databases return an i64).
fn count(row: &sea_orm::QueryResult, column: &str) -> Result<u64, AppError> {
    row.try_get::<Option<i64>>("", column)
        .map(|v| v.unwrap_or(0).max(0) as u64)
        .map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_keeps_their_variant_and_both_variants_are_used() {
        let first: Vec<&str> = (1..=200).map(|p| assign(p).name).collect();
        let again: Vec<&str> = (1..=200).map(|p| assign(p).name).collect();
        assert_eq!(first, again);
        let blend = first.iter().filter(|v| **v == "blend").count();
        assert!((60..=140).contains(&blend), "{blend} of 200 in blend");
    }
}
