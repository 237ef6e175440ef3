//! Spam likelihood from rules. Each signal is a probability-like strength; they combine as a
//! noisy-OR (1 − Π(1 − pᵢ)), so one strong signal or several weak ones both raise the score.
use super::{
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
    let mut signals: Vec<(f64, String)> = Vec::new();

    let links = link_count(&text);
    let word_count = words(&text).len().max(1);
    let density = links as f64 * 100.0 / word_count as f64;
    if links >= 3 || (links >= 1 && density > 2.0) {
        signals.push((
            (0.15 * links as f64 + 0.05 * density).min(0.6),
            format!("{links} links ({density:.1} per 100 words)"),
        ));
    }
    if upper_ratio(title) > 0.6 {
        signals.push((0.35, "Title in capitals".into()));
    }
    let body_upper = upper_ratio(body);
    if body_upper > 0.35 {
        signals.push((
            0.3,
            format!("{:.0}% of the description in capitals", body_upper * 100.0),
        ));
    }
    let repeat = longest_repeat(&text);
    if repeat >= 4 {
        signals.push((0.2, format!("A character repeated {repeat} times in a row")));
    }
    let phrases: Vec<&str> = SCAM_PHRASES
        .iter()
        .copied()
        .filter(|p| lower.contains(p))
        .collect();
    if !phrases.is_empty() {
        signals.push((
            (0.3 * phrases.len() as f64).min(0.85),
            format!("Scam phrases: {}", phrases.join(", ")),
        ));
    }
    let money = text.matches(['$', '€', '£']).count();
    if money > 5 {
        signals.push((0.15, format!("{money} currency symbols")));
    }
    if organizer.account_age_days < 7 && organizer.submissions_last_day >= 3 {
        signals.push((
            0.3,
            format!(
                "Account {} days old with {} submissions in the last day",
                organizer.account_age_days, organizer.submissions_last_day
            ),
        ));
    }

    let value = 1.0 - signals.iter().map(|(p, _)| 1.0 - p).product::<f64>();
    let mut reasons: Vec<String> = signals
        .into_iter()
        .map(|(p, why)| format!("{why} (+{:.0}%)", p * 100.0))
        .collect();
    if reasons.is_empty() {
        reasons.push("No spam signals".into());
    }
    Score { value, reasons }
}
