//! What the index holds for one event, and which events it holds.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{domain::discovery::geo::GeoPoint, model::events::EventStatus};
use entity::event;

/// One indexed event. Field names are Meilisearch's attribute names (`_geo` is its geo field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDocument {
    pub id: i32,
    pub title: String,
    pub summary: String,
    /// The description as plain text (Markdown syntax removed), cut at `MAX_DESCRIPTION_CHARS`.
    pub description: String,
    pub tags: Vec<String>,
    /// Category slug.
    pub category: String,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub organizer: i32,
    /// Start and end as Unix seconds.
    pub start: i64,
    pub ends: i64,
    pub is_free: bool,
    /// The lowest amount in the price text, when there is one (0 when free).
    pub price: Option<f64>,
    pub is_online: bool,
    /// The curation score of the approved version, 0..1.
    pub quality: f64,
    #[serde(rename = "_geo")]
    pub geo: Option<GeoPoint>,
}

pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// Whether attendees can find the event now: public (published, not hidden) and not ended.
pub fn is_searchable(event: &event::Model, now: DateTime<Utc>) -> bool {
    crate::domain::events::visibility::is_listed(event)
        && event.status == EventStatus::Published.as_str()
        && event.ends_at > now
}

impl SearchDocument {
    pub fn of(event: &event::Model) -> SearchDocument {
        SearchDocument {
            id: event.id,
            title: event.title.clone(),
            summary: event.summary.clone(),
            description: plain_text(&event.description_md, MAX_DESCRIPTION_CHARS),
            tags: event
                .tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            category: event.category.clone(),
            venue: event.venue_name.clone(),
            city: event.city.clone(),
            organizer: event.organizer_id,
            start: event.starts_at.timestamp(),
            ends: event.ends_at.timestamp(),
            is_free: event.is_free,
            price: if event.is_free {
                Some(0.0)
            } else {
                event.price_text.as_deref().and_then(lowest_amount)
            },
            is_online: event.online_url.is_some(),
            quality: event.curation_score.unwrap_or(0.5).clamp(0.0, 1.0),
            geo: event
                .latitude
                .zip(event.longitude)
                .map(|(lat, lng)| GeoPoint { lat, lng }),
        }
    }
}

/// The lowest amount written in a display price ("€12–15" → 12, "from 9.50 EUR" → 9.5).
/// Ticket types replace this when ticketing arrives.
pub fn lowest_amount(text: &str) -> Option<f64> {
    let mut lowest: Option<f64> = None;
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (matches!(c, '.' | ',') && !current.is_empty()) {
            current.push(if c == ',' { '.' } else { c });
        } else if !current.is_empty() {
            if let Ok(v) = current.trim_end_matches('.').parse::<f64>() {
                lowest = Some(lowest.map_or(v, |l: f64| l.min(v)));
            }
            current.clear();
        }
    }
    lowest
}

/// Markdown to searchable text: markup characters and link targets dropped, whitespace folded.
pub fn plain_text(markdown: &str, max_chars: usize) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    let folded = out.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_from_display_text() {
        assert_eq!(lowest_amount("€12–15"), Some(12.0));
        assert_eq!(lowest_amount("from 9,50 EUR"), Some(9.5));
        assert_eq!(lowest_amount("Pay what you want"), None);
        assert_eq!(lowest_amount("20 / 15 reduced"), Some(15.0));
    }

    #[test]
    fn markdown_becomes_plain_text() {
        let text = plain_text(
            "# Jazz *night*\n\nSee [the site](https://x.test) — **free**.",
            100,
        );
        assert_eq!(text, "Jazz night See the site — free .");
    }
}
