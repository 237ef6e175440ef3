//! Recommendations: what the "For you" list, trending, saved events and the experiment report
//! carry between server and page.
use serde::{Deserialize, Serialize};

use super::events::EventCard;

/// A person's "For you" list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForYou {
    /// Each card's `reason` says why it is there.
    pub cards: Vec<EventCard>,
    /// The ranker that made the list (the person's experiment variant).
    pub variant: String,
}

/// One ranker's figures in the running experiment, over the days the report covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VariantFigures {
    pub variant: String,
    pub description: String,
    /// People who were shown at least one recommended card.
    pub people: u64,
    pub impressions: u64,
    pub clicks: u64,
    /// Saves and registrations of an event after it was recommended to that person.
    pub saves: u64,
    pub registrations: u64,
}

impl VariantFigures {
    /// Clicks per impression, in percent.
    pub fn click_rate(&self) -> f64 {
        percent(self.clicks, self.impressions)
    }

    /// Saves and registrations per impression, in percent.
    pub fn conversion_rate(&self) -> f64 {
        percent(self.saves + self.registrations, self.impressions)
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// The admin page comparing the rankers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExperimentReport {
    pub experiment: String,
    pub days: u32,
    pub variants: Vec<VariantFigures>,
    /// The model in use: when it was trained and on how much.
    pub model: Option<String>,
}

/// The person's saved events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedEvents {
    pub upcoming: Vec<EventCard>,
    pub past: Vec<EventCard>,
}
