//! Stored text signatures: each screened version's MinHash signature is cut into `BANDS` bands of
//! `ROWS` hashes (locality-sensitive hashing) and kept in `event_signatures`. Two texts share a
//! band with probability 1 − (1 − s⁴)¹⁶ for a Jaccard similarity s: 64% at 0.5, 99% at 0.7,
//! so duplicate screening finds the likely near copies by index lookups instead of reading
//! every event.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Condition, Expr, Func},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::text::minhash;
use crate::{
    domain::{context::internal, events::snapshot::Snapshot},
    error::AppError,
    model::events::EventStatus,
};
use entity::{event, event_signature};

pub const BANDS: usize = 16;
const ROWS: usize = 4;

/// (band, hash of the band's rows) for a text, none for a text too short to compare.
pub fn bands(text: &str) -> Vec<(i16, i64)> {
    let Some(signature) = minhash(text) else {
        return Vec::new();
    };
    signature
        .chunks(ROWS)
        .take(BANDS)
        .enumerate()
        .map(|(band, rows)| {
            let hash = rows.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, r| {
                (h ^ r).wrapping_mul(0x0100_0000_01b3)
            });
            // the bits as they are, in a signed column
            (band as i16, hash as i64)
        })
        .collect()
}

/// Replaces the stored signature of `event_id` with that of `snapshot`.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    snapshot: &Snapshot,
) -> Result<(), AppError> {
    event_signature::Entity::delete_many()
        .filter(event_signature::Column::EventId.eq(event_id))
        .exec(db)
        .await
        .map_err(internal)?;
    let rows: Vec<event_signature::ActiveModel> = bands(&snapshot.text())
        .into_iter()
        .map(|(band, hash)| event_signature::ActiveModel {
            event_id: sea_orm::Set(event_id),
            band: sea_orm::Set(band),
            hash: sea_orm::Set(hash),
        })
        .collect();
    if !rows.is_empty() {
        event_signature::Entity::insert_many(rows)
            .exec(db)
            .await
            .map_err(internal)?;
    }
    Ok(())
}

/// Other events sharing at least one band with `snapshot`'s text, those sharing most first, at
/// most `limit`.
pub async fn sharing<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    snapshot: &Snapshot,
    limit: u64,
) -> Result<Vec<i32>, AppError> {
    let bands = bands(&snapshot.text());
    if bands.is_empty() {
        return Ok(Vec::new());
    }
    let any_band = bands.iter().fold(Condition::any(), |any, (band, hash)| {
        any.add(
            Condition::all()
                .add(event_signature::Column::Band.eq(*band))
                .add(event_signature::Column::Hash.eq(*hash)),
        )
    });
    event_signature::Entity::find()
        .select_only()
        .column(event_signature::Column::EventId)
        .filter(any_band)
        .filter(event_signature::Column::EventId.ne(event_id))
        .group_by(event_signature::Column::EventId)
        .order_by_desc(Func::count(Expr::col(event_signature::Column::Band)))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)
}

/// Events that may be duplicated (on their way to the public or there, not long ended) without
/// a stored signature: those from before signatures were kept. Returns how many it stored.
pub async fn fill_missing<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let signed = sea_orm::sea_query::Query::select()
        .column(event_signature::Column::EventId)
        .from(event_signature::Entity)
        .to_owned();
    let missing = event::Entity::find()
        .filter(
            event::Column::Status
                .is_not_in([EventStatus::Draft.as_str(), EventStatus::Rejected.as_str()]),
        )
        .filter(event::Column::EndsAt.gt(now - Duration::days(30)))
        .filter(event::Column::Id.not_in_subquery(signed))
        .all(db)
        .await
        .map_err(internal)?;
    for e in &missing {
        store(db, e.id, &Snapshot::of(e)).await?;
    }
    Ok(missing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_copies_share_bands_and_unrelated_texts_do_not() {
        let a = bands("a warm evening of jazz by the canal with friends and a small band playing standards until late");
        let b = bands("a warm evening of jazz by the canal with friends and a small band playing standards until late tonight");
        let c = bands(
            "beginner pottery workshop where you learn to throw a bowl on the wheel in two hours",
        );
        assert_eq!(a.len(), BANDS);
        let shared =
            |x: &[(i16, i64)], y: &[(i16, i64)]| x.iter().filter(|p| y.contains(p)).count();
        assert!(shared(&a, &b) >= 4, "{}", shared(&a, &b));
        assert_eq!(shared(&a, &c), 0);
        assert!(bands("too short").is_empty());
    }
}
