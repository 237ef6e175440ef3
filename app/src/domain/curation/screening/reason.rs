//! The reasons behind the pre-screening scores: stored once with the submission, as values, and
//! read in each reader's language (organizers in the event history, curators on the review
//! screen). Rows written before reasons were values hold English sentences; those still read.
use serde::{Deserialize, Serialize};

use crate::{domain::curation::decimals, i18n::td_string, model::language::Locale};

/// One reason behind a score, stored once (JSON) and read in each reader's language.
///
/// Shares (`lost`, `added`, `similarity`, …) are kept as computed; they are rounded only when
/// read, to the precision the English sentences have always had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    // completeness: each costs `lost` of the 8 points
    TitleShort {
        lost: f64,
    },
    SummaryShort {
        lost: f64,
    },
    DescriptionThin {
        words: usize,
        expected: usize,
        lost: f64,
    },
    NoCover {
        lost: f64,
    },
    NoCoordinates {
        lost: f64,
    },
    NoAddress {
        lost: f64,
    },
    BadTimes {
        lost: f64,
    },
    FewTags {
        lost: f64,
    },
    Complete,
    // quality
    VeryShortDescription {
        words: usize,
    },
    ShortDescription {
        words: usize,
    },
    VeryLongDescription {
        words: usize,
    },
    Fragments,
    /// `words`: the average per sentence.
    LongSentences {
        words: f64,
    },
    Unstructured,
    TitleShouts,
    TitleLength,
    WellWritten,
    // spam rules: each adds `added` (a share) as one signal of the noisy-OR
    Links {
        links: usize,
        per_100_words: f64,
        added: f64,
    },
    TitleCapitals {
        added: f64,
    },
    /// `share`: of the description's letters.
    DescriptionCapitals {
        share: f64,
        added: f64,
    },
    RepeatedCharacter {
        times: usize,
        added: f64,
    },
    ScamPhrases {
        phrases: Vec<String>,
        added: f64,
    },
    CurrencySymbols {
        symbols: usize,
        added: f64,
    },
    NewAccountBurst {
        age_days: i64,
        submissions: u64,
        added: f64,
    },
    NoSpamSignals,
    // spam: the learned model, or why the rules work alone
    /// `spam`: the model's probability.
    LearnedModel {
        samples: i32,
        spam: f64,
    },
    /// The model needs `needed` decisions with `per_class` of each kind; there are `decisions`,
    /// `spam` of them spam.
    RulesOnlyTooFew {
        needed: usize,
        per_class: usize,
        decisions: usize,
        spam: usize,
    },
    RulesOnlyUntrained,
    RulesOnlyUnreadable,
    // duplicates
    TooLittleText,
    /// `similarity`: a share; `title` and `id`: the other event's.
    SimilarText {
        similarity: f64,
        title: String,
        id: i32,
    },
    OtherOrganizer,
    SameOrganizer,
    SamePlace,
    SameHour,
    HoursApart {
        hours: f64,
    },
    NoSimilarEvent,
    // overall
    Formula {
        completeness: f64,
        quality: f64,
        spam: f64,
        duplicate: f64,
        overall: f64,
    },
    LikelyReject {
        threshold: f64,
    },
    FastTrack {
        overall: f64,
        risk: f64,
    },
    NormalReview,
}

/// As stored: a reason written by this version, or the sentence an earlier version stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stored {
    Known(Reason),
    Written(String),
}

/// A share as a whole percentage ("87"), as `{:.0}` rounds it.
fn percent(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

/// A threshold with as many decimals as the code gives it (0.7 → "0.7", "0,7").
fn threshold(locale: Locale, x: f64) -> String {
    let places = x.to_string().split_once('.').map_or(0, |(_, f)| f.len());
    decimals(locale, x, places)
}

impl Reason {
    /// The reason as a reader of `locale` reads it.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            Self::TitleShort { lost } => td_string!(
                locale,
                curation.screening.title_short,
                lost = decimals(locale, *lost, 1)
            ),
            Self::SummaryShort { lost } => td_string!(
                locale,
                curation.screening.summary_short,
                lost = decimals(locale, *lost, 1)
            ),
            Self::DescriptionThin {
                words,
                expected,
                lost,
            } => td_string!(
                locale,
                curation.screening.description_thin,
                words = words,
                expected = expected,
                lost = decimals(locale, *lost, 1)
            ),
            Self::NoCover { lost } => td_string!(
                locale,
                curation.screening.no_cover,
                lost = decimals(locale, *lost, 1)
            ),
            Self::NoCoordinates { lost } => td_string!(
                locale,
                curation.screening.no_coordinates,
                lost = decimals(locale, *lost, 1)
            ),
            Self::NoAddress { lost } => td_string!(
                locale,
                curation.screening.no_address,
                lost = decimals(locale, *lost, 1)
            ),
            Self::BadTimes { lost } => td_string!(
                locale,
                curation.screening.bad_times,
                lost = decimals(locale, *lost, 1)
            ),
            Self::FewTags { lost } => td_string!(
                locale,
                curation.screening.few_tags,
                lost = decimals(locale, *lost, 1)
            ),
            Self::Complete => td_string!(locale, curation.screening.complete).to_owned(),
            Self::VeryShortDescription { words } => td_string!(
                locale,
                curation.screening.very_short_description,
                words = words
            ),
            Self::ShortDescription { words } => {
                td_string!(locale, curation.screening.short_description, words = words)
            }
            Self::VeryLongDescription { words } => td_string!(
                locale,
                curation.screening.very_long_description,
                words = words
            ),
            Self::Fragments => td_string!(locale, curation.screening.fragments).to_owned(),
            Self::LongSentences { words } => td_string!(
                locale,
                curation.screening.long_sentences,
                words = format!("{words:.0}")
            ),
            Self::Unstructured => td_string!(locale, curation.screening.unstructured).to_owned(),
            Self::TitleShouts => td_string!(locale, curation.screening.title_shouts).to_owned(),
            Self::TitleLength => td_string!(locale, curation.screening.title_length).to_owned(),
            Self::WellWritten => td_string!(locale, curation.screening.well_written).to_owned(),
            Self::Links {
                links,
                per_100_words,
                added,
            } => td_string!(
                locale,
                curation.screening.links,
                links = links,
                density = decimals(locale, *per_100_words, 1),
                added = percent(*added)
            ),
            Self::TitleCapitals { added } => td_string!(
                locale,
                curation.screening.title_capitals,
                added = percent(*added)
            ),
            Self::DescriptionCapitals { share, added } => td_string!(
                locale,
                curation.screening.description_capitals,
                share = percent(*share),
                added = percent(*added)
            ),
            Self::RepeatedCharacter { times, added } => td_string!(
                locale,
                curation.screening.repeated_character,
                times = times,
                added = percent(*added)
            ),
            Self::ScamPhrases { phrases, added } => td_string!(
                locale,
                curation.screening.scam_phrases,
                phrases = phrases.join(", "),
                added = percent(*added)
            ),
            Self::CurrencySymbols { symbols, added } => td_string!(
                locale,
                curation.screening.currency_symbols,
                symbols = symbols,
                added = percent(*added)
            ),
            Self::NewAccountBurst {
                age_days,
                submissions,
                added,
            } => td_string!(
                locale,
                curation.screening.new_account_burst,
                days = age_days,
                submissions = submissions,
                added = percent(*added)
            ),
            Self::NoSpamSignals => {
                td_string!(locale, curation.screening.no_spam_signals).to_owned()
            }
            Self::LearnedModel { samples, spam } => td_string!(
                locale,
                curation.screening.learned_model,
                samples = samples,
                spam = percent(*spam)
            ),
            Self::RulesOnlyTooFew {
                needed,
                per_class,
                decisions,
                spam,
            } => td_string!(
                locale,
                curation.screening.rules_only_too_few,
                needed = needed,
                per_class = per_class,
                decisions = decisions,
                spam = spam
            ),
            Self::RulesOnlyUntrained => {
                td_string!(locale, curation.screening.rules_only_untrained).to_owned()
            }
            Self::RulesOnlyUnreadable => {
                td_string!(locale, curation.screening.rules_only_unreadable).to_owned()
            }
            Self::TooLittleText => {
                td_string!(locale, curation.screening.too_little_text).to_owned()
            }
            Self::SimilarText {
                similarity,
                title,
                id,
            } => td_string!(
                locale,
                curation.screening.similar_text,
                similarity = percent(*similarity),
                title = title,
                id = id
            ),
            Self::OtherOrganizer => {
                td_string!(locale, curation.screening.other_organizer).to_owned()
            }
            Self::SameOrganizer => td_string!(locale, curation.screening.same_organizer).to_owned(),
            Self::SamePlace => td_string!(locale, curation.screening.same_place).to_owned(),
            Self::SameHour => td_string!(locale, curation.screening.same_hour).to_owned(),
            Self::HoursApart { hours } => td_string!(
                locale,
                curation.screening.hours_apart,
                hours = format!("{hours:.0}")
            ),
            Self::NoSimilarEvent => {
                td_string!(locale, curation.screening.no_similar_event).to_owned()
            }
            Self::Formula {
                completeness,
                quality,
                spam,
                duplicate,
                overall,
            } => td_string!(
                locale,
                curation.screening.formula,
                completeness = decimals(locale, *completeness, 2),
                quality = decimals(locale, *quality, 2),
                spam = decimals(locale, *spam, 2),
                duplicate = decimals(locale, *duplicate, 2),
                overall = decimals(locale, *overall, 2)
            ),
            Self::LikelyReject { threshold: at } => td_string!(
                locale,
                curation.screening.likely_reject,
                threshold = threshold(locale, *at)
            ),
            Self::FastTrack { overall, risk } => td_string!(
                locale,
                curation.screening.fast_track,
                overall = threshold(locale, *overall),
                risk = threshold(locale, *risk)
            ),
            Self::NormalReview => td_string!(locale, curation.screening.normal_review).to_owned(),
        }
    }
}

impl Stored {
    /// A stored reason as a reader of `locale` reads it; an earlier version's sentence as written.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            Self::Known(reason) => reason.message_in(locale),
            Self::Written(sentence) => sentence.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::curation::screening::Reasons;

    const OLD_ROW: &str = r#"{"completeness":["No cover image"],"spam":[],"duplicate":[],"quality":[],"overall":["Normal review"]}"#;

    #[test]
    fn reasons_read_in_each_language_and_old_sentences_still_read() {
        let cover = Reason::NoCover { lost: 1.0 };
        assert_eq!(
            cover.message_in(Locale::en),
            "No cover image (−1.0 of 8 points)"
        );
        let german = cover.message_in(Locale::de);
        assert_ne!(german, cover.message_in(Locale::en));
        assert!(german.contains("1,0"), "{german}");
        let formula = Reason::Formula {
            completeness: 1.0,
            quality: 0.9,
            spam: 0.05,
            duplicate: 0.0,
            overall: 0.92,
        };
        assert_eq!(
            formula.message_in(Locale::en),
            "0.30 × completeness 1.00 + 0.25 × quality 0.90 + 0.30 × (1 − spam 0.05) + 0.15 × (1 − duplicate 0.00) = 0.92"
        );
        assert!(formula.message_in(Locale::pt_PT).contains("0,05"));
        let reject = Reason::LikelyReject { threshold: 0.7 };
        assert_eq!(
            reject.message_in(Locale::en),
            "Likely reject: spam or duplicate risk at or above 0.7"
        );

        // what an earlier version stored reads as it was written
        let old: Stored = serde_json::from_str("\"No cover image\"").unwrap();
        assert_eq!(old, Stored::Written("No cover image".into()));
        assert_eq!(old.message_in(Locale::de), "No cover image");
        let row: Reasons = serde_json::from_str(OLD_ROW).unwrap();
        assert_eq!(row.overall, vec![Stored::Written("Normal review".into())]);

        // what this version stores comes back as the same value
        let similar = Stored::Known(Reason::SimilarText {
            similarity: 0.87,
            title: "Jazz night".into(),
            id: 41,
        });
        let json = serde_json::to_string(&similar).unwrap();
        assert_eq!(serde_json::from_str::<Stored>(&json).unwrap(), similar);
        assert_eq!(
            similar.message_in(Locale::en),
            "Text 87% similar to “Jazz night” (#41)"
        );
    }
}
