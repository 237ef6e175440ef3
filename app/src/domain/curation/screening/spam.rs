//! Spam likelihood from rules. Each signal is a probability-like strength; they combine as a
//! noisy-OR (1 − Π(1 − pᵢ)), so one strong signal or several weak ones both raise the score.
use super::{
    reason::Reason,
    text::{link_count, longest_repeat, upper_ratio, words},
    Score,
};
use crate::domain::events::snapshot::Snapshot;

/// Phrases that in practice only appear in scams and spam.
pub const SCAM_PHRASES: [&str; 26] = [
    "guaranteed",
    "double your",
    "crypto",
    "bitcoin",
    "forex",
    "get rich",
    "earn $",
    "make money",
    "work from home",
    "100% free",
    "act now",
    "click here",
    "whatsapp",
    "telegram",
    "dm me",
    "investment opportunity",
    "passive income",
    "no risk",
    "risk free",
    "cash prize",
    "free iphone",
    "miracle",
    "lose weight fast",
    "limited spots!!!",
    "wire transfer",
    "gift card",
];

/// What the rules know about who submits.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrganizerActivity {
    pub account_age_days: i64,
    pub submissions_last_day: u64,
}

pub fn rules(s: &Snapshot, organizer: OrganizerActivity) -> Score {
    rules_for(
        &s.title,
        &format!("{}\n{}", s.summary, s.description_md),
        organizer,
    )
}

/// The rules' score for a stored text (title on the first line), as the evaluation needs it.
pub fn rules_on_text(text: &str) -> f64 {
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let settled = OrganizerActivity {
        account_age_days: 365,
        submissions_last_day: 1,
    };
    rules_for(title, body, settled).value
}

fn rules_for(title: &str, body: &str, organizer: OrganizerActivity) -> Score {
    let text = format!("{title}\n{body}");
    let lower = text.to_lowercase();
    // each signal's strength, and the reason naming it with that strength
    let mut signals: Vec<(f64, Reason)> = Vec::new();

    let links = link_count(&text);
    let word_count = words(&text).len().max(1);
    let density = links as f64 * 100.0 / word_count as f64;
    if links >= 3 || (links >= 1 && density > 2.0) {
        let added = (0.15 * links as f64 + 0.05 * density).min(0.6);
        signals.push((
            added,
            Reason::Links {
                links,
                per_100_words: density,
                added,
            },
        ));
    }
    if upper_ratio(title) > 0.6 {
        let added = 0.35;
        signals.push((added, Reason::TitleCapitals { added }));
    }
    let body_upper = upper_ratio(body);
    if body_upper > 0.35 {
        let added = 0.3;
        signals.push((
            added,
            Reason::DescriptionCapitals {
                share: body_upper,
                added,
            },
        ));
    }
    let repeat = longest_repeat(&text);
    if repeat >= 4 {
        let added = 0.2;
        signals.push((
            added,
            Reason::RepeatedCharacter {
                times: repeat,
                added,
            },
        ));
    }
    let phrases: Vec<String> = SCAM_PHRASES
        .iter()
        .copied()
        .filter(|p| lower.contains(p))
        .map(str::to_owned)
        .collect();
    if !phrases.is_empty() {
        let added = (0.3 * phrases.len() as f64).min(0.85);
        signals.push((added, Reason::ScamPhrases { phrases, added }));
    }
    let money = text.matches(['$', '€', '£']).count();
    if money > 5 {
        let added = 0.15;
        signals.push((
            added,
            Reason::CurrencySymbols {
                symbols: money,
                added,
            },
        ));
    }
    if organizer.account_age_days < 7 && organizer.submissions_last_day >= 3 {
        let added = 0.3;
        signals.push((
            added,
            Reason::NewAccountBurst {
                age_days: organizer.account_age_days,
                submissions: organizer.submissions_last_day,
                added,
            },
        ));
    }

    let value = 1.0 - signals.iter().map(|(p, _)| 1.0 - p).product::<f64>();
    let mut reasons: Vec<Reason> = signals.into_iter().map(|(_, why)| why).collect();
    if reasons.is_empty() {
        reasons.push(Reason::NoSpamSignals);
    }
    Score { value, reasons }
}
