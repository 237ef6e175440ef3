//! Completeness: are the things an attendee needs to decide present?
use super::{text::words, Score};
use crate::domain::events::snapshot::Snapshot;

/// Full credit for the description from this many words.
const DESCRIPTION_WORDS: f64 = 100.0;

pub fn score(s: &Snapshot) -> Score {
    let mut got = 0.0;
    let mut total = 0.0;
    let mut reasons = Vec::new();
    let mut check = |weight: f64, credit: f64, missing: String| {
        total += weight;
        got += weight * credit.clamp(0.0, 1.0);
        if credit < 1.0 {
            reasons.push(format!(
                "{missing} (−{:.1} of 8 points)",
                weight * (1.0 - credit.clamp(0.0, 1.0))
            ));
        }
    };
    check(
        1.0,
        f64::from(s.title.trim().chars().count() >= 10),
        "Title shorter than 10 characters".into(),
    );
    check(
        1.0,
        f64::from(s.summary.trim().chars().count() >= 30),
        "Summary missing or shorter than 30 characters".into(),
    );
    let description_words = words(&s.description_md).len() as f64;
    check(
        2.0,
        description_words / DESCRIPTION_WORDS,
        format!("Description has {description_words} words; {DESCRIPTION_WORDS} or more expected"),
    );
    check(
        1.0,
        f64::from(s.cover_image_id.is_some()),
        "No cover image".into(),
    );
    let place = match (&s.online_url, s.latitude.zip(s.longitude)) {
        (Some(_), _) | (None, Some(_)) => 1.0,
        _ => 0.5,
    };
    check(1.5, place, "Venue without map coordinates".into());
    let address = s.online_url.is_some()
        || s.venue_address
            .as_deref()
            .is_some_and(|a| a.trim().len() >= 5);
    check(0.5, f64::from(address), "Venue address missing".into());
    let hours = (s.ends_at - s.starts_at).num_minutes() as f64 / 60.0;
    check(
        0.5,
        f64::from(hours > 0.0 && hours <= 24.0 * 14.0),
        "End time not after the start, or the event runs longer than two weeks".into(),
    );
    let tags = s.tags.split(',').filter(|t| !t.trim().is_empty()).count();
    check(0.5, f64::from(tags >= 2), "Fewer than two tags".into());
    if reasons.is_empty() {
        reasons.push("Everything an attendee needs is there".into());
    }
    Score {
        value: got / total,
        reasons,
    }
}
