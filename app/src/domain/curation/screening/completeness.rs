//! Completeness: are the things an attendee needs to decide present?
use super::{reason::Reason, text::words, Score};
use crate::domain::events::snapshot::Snapshot;

/// Full credit for the description from this many words.
const DESCRIPTION_WORDS: usize = 100;

pub fn score(s: &Snapshot) -> Score {
    let mut got = 0.0;
    let mut total = 0.0;
    let mut reasons = Vec::new();
    // `missing` names what is missing, given the points (of 8) it costs
    let mut check = |weight: f64, credit: f64, missing: &dyn Fn(f64) -> Reason| {
        total += weight;
        got += weight * credit.clamp(0.0, 1.0);
        if credit < 1.0 {
            reasons.push(missing(weight * (1.0 - credit.clamp(0.0, 1.0))));
        }
    };
    check(
        1.0,
        f64::from(s.title.trim().chars().count() >= 10),
        &|lost: f64| Reason::TitleShort { lost },
    );
    check(
        1.0,
        f64::from(s.summary.trim().chars().count() >= 30),
        &|lost: f64| Reason::SummaryShort { lost },
    );
    let description_words = words(&s.description_md).len();
    check(
        2.0,
        description_words as f64 / DESCRIPTION_WORDS as f64,
        &|lost: f64| Reason::DescriptionThin {
            words: description_words,
            expected: DESCRIPTION_WORDS,
            lost,
        },
    );
    check(1.0, f64::from(s.cover_image_id.is_some()), &|lost: f64| {
        Reason::NoCover { lost }
    });
    let place = match (&s.online_url, s.latitude.zip(s.longitude)) {
        (Some(_), _) | (None, Some(_)) => 1.0,
        _ => 0.5,
    };
    check(1.5, place, &|lost: f64| Reason::NoCoordinates { lost });
    let address = s.online_url.is_some()
        || s.venue_address
            .as_deref()
            .is_some_and(|a| a.trim().len() >= 5);
    check(0.5, f64::from(address), &|lost: f64| Reason::NoAddress {
        lost,
    });
    let hours = (s.ends_at - s.starts_at).num_minutes() as f64 / 60.0;
    check(
        0.5,
        f64::from(hours > 0.0 && hours <= 24.0 * 14.0),
        &|lost: f64| Reason::BadTimes { lost },
    );
    let tags = s.tags.split(',').filter(|t| !t.trim().is_empty()).count();
    check(0.5, f64::from(tags >= 2), &|lost: f64| Reason::FewTags {
        lost,
    });
    if reasons.is_empty() {
        reasons.push(Reason::Complete);
    }
    Score {
        value: got / total,
        reasons,
    }
}
