//! Content quality: length, readability and formatting of the description, and a sober title.
use super::{
    reason::Reason,
    text::{sentence_count, upper_ratio, words},
    Score,
};
use crate::domain::events::snapshot::Snapshot;

pub fn score(s: &Snapshot) -> Score {
    let mut reasons = Vec::new();
    let word_count = words(&s.description_md).len();
    let length = match word_count {
        0..40 => {
            reasons.push(Reason::VeryShortDescription { words: word_count });
            0.2
        }
        40..80 => {
            reasons.push(Reason::ShortDescription { words: word_count });
            0.55
        }
        80..=1500 => 1.0,
        _ => {
            reasons.push(Reason::VeryLongDescription { words: word_count });
            0.6
        }
    };
    let sentences = sentence_count(&s.description_md).max(1);
    let per_sentence = word_count as f64 / sentences as f64;
    let readability = if (6.0..=25.0).contains(&per_sentence) {
        1.0
    } else if per_sentence < 6.0 {
        reasons.push(Reason::Fragments);
        0.6
    } else {
        reasons.push(Reason::LongSentences {
            words: per_sentence,
        });
        (25.0 / per_sentence).clamp(0.3, 1.0)
    };
    let lines: Vec<&str> = s.description_md.lines().map(str::trim_start).collect();
    let structure = [
        lines.iter().any(|l| l.starts_with('#')),
        lines
            .iter()
            .any(|l| l.starts_with("- ") || l.starts_with("* ") || l.starts_with("1. ")),
        s.description_md.contains("\n\n"),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let formatting = match structure {
        0 => {
            reasons.push(Reason::Unstructured);
            0.3
        }
        1 => 0.7,
        _ => 1.0,
    };
    let title_len = s.title.chars().count();
    let title = if upper_ratio(&s.title) > 0.6 || s.title.contains("!!") {
        reasons.push(Reason::TitleShouts);
        0.3
    } else if !(4..=90).contains(&title_len) {
        reasons.push(Reason::TitleLength);
        0.6
    } else {
        1.0
    };
    if reasons.is_empty() {
        reasons.push(Reason::WellWritten);
    }
    Score {
        value: 0.35 * length + 0.3 * readability + 0.2 * formatting + 0.15 * title,
        reasons,
    }
}
