//! Duplicate risk: near-identical text (MinHash over word 3-shingles) combined with the same
//! place and a close start time.
//!
//! The same organizer posting the same text at another time is a recurring event, not a
//! duplicate, so for them only the same text in the same slot counts. Another organizer's copy
//! of the text is suspicious on its own.
use chrono::{DateTime, Utc};

use super::{
    reason::Reason,
    text::{minhash, similarity},
};
use crate::domain::events::snapshot::Snapshot;

/// An existing event to compare with.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i32,
    pub organizer_id: i32,
    pub title: String,
    pub snapshot: Snapshot,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateScore {
    pub value: f64,
    pub reasons: Vec<Reason>,
    pub twin: Option<i32>,
}

/// Metres between two coordinates (haversine).
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

fn norm(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty())
}

fn same_place(a: &Snapshot, b: &Snapshot) -> bool {
    if let (Some(x), Some(y)) = (norm(&a.online_url), norm(&b.online_url)) {
        return x == y;
    }
    let coords = a
        .latitude
        .zip(a.longitude)
        .zip(b.latitude.zip(b.longitude))
        .is_some_and(|(p, q)| distance_m(p, q) < 150.0);
    coords || (norm(&a.venue_name).is_some() && norm(&a.venue_name) == norm(&b.venue_name))
}

fn hours_apart(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (a - b).num_minutes().abs() as f64 / 60.0
}

pub fn score(organizer_id: i32, s: &Snapshot, candidates: &[Candidate]) -> DuplicateScore {
    let Some(signature) = minhash(&s.text()) else {
        return DuplicateScore {
            value: 0.0,
            reasons: vec![Reason::TooLittleText],
            twin: None,
        };
    };
    let mut best: Option<(f64, &Candidate, f64, bool, f64)> = None;
    for c in candidates {
        let text = minhash(&c.snapshot.text())
            .map(|sig| similarity(&signature, &sig))
            .unwrap_or(0.0);
        let place = same_place(s, &c.snapshot);
        let gap = hours_apart(s.starts_at, c.snapshot.starts_at);
        let time = if gap <= 3.0 {
            0.5
        } else if gap <= 24.0 {
            0.25
        } else {
            0.0
        };
        let place_time = if place { 0.5 } else { 0.0 } + time;
        let risk = if c.organizer_id == organizer_id {
            // only the same slot counts: the same text another day is a series
            text * (2.0 * time) * if place { 1.0 } else { 0.6 }
        } else {
            0.7 * text + 0.3 * place_time * text.max(0.3)
        };
        if best.as_ref().is_none_or(|b| risk > b.0) {
            best = Some((risk, c, text, place, gap));
        }
    }
    match best {
        Some((risk, c, text, place, gap)) if risk >= 0.2 => {
            let mut reasons = vec![Reason::SimilarText {
                similarity: text,
                title: c.title.clone(),
                id: c.id,
            }];
            if c.organizer_id != organizer_id {
                reasons.push(Reason::OtherOrganizer);
            } else {
                reasons.push(Reason::SameOrganizer);
            }
            if place {
                reasons.push(Reason::SamePlace);
            }
            reasons.push(if gap < 1.0 {
                Reason::SameHour
            } else {
                Reason::HoursApart { hours: gap }
            });
            DuplicateScore {
                value: risk.clamp(0.0, 1.0),
                reasons,
                twin: Some(c.id),
            }
        }
        _ => DuplicateScore {
            value: best.map(|b| b.0).unwrap_or(0.0).clamp(0.0, 1.0),
            reasons: vec![Reason::NoSimilarEvent],
            twin: None,
        },
    }
}
