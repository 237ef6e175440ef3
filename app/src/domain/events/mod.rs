pub mod access;
pub mod calendar_links;
pub mod changed;
pub mod ics;
pub mod images;
pub mod input;
pub mod listings;
pub mod markdown;
pub mod save;
pub mod schedule;
pub mod series;
pub mod snapshot;
pub mod structured_data;
pub mod visibility;

/// Events for unit tests.
#[cfg(test)]
pub mod testing {
    use chrono::{TimeZone, Utc};

    use entity::event;

    /// A published public event in Berlin on 10 December 2026, 20:00–23:00 local time.
    pub fn event() -> event::Model {
        let at = |h| Utc.with_ymd_and_hms(2026, 12, 10, h, 0, 0).unwrap();
        event::Model {
            id: 7,
            organizer_id: 1,
            organization_id: 1,
            status: "published".into(),
            title: "Night".into(),
            summary: "An evening".into(),
            description_md: String::new(),
            description_html: String::new(),
            category: "music".into(),
            tags: String::new(),
            starts_at: at(19),
            ends_at: at(22),
            timezone: "Europe/Berlin".into(),
            venue_name: None,
            venue_address: None,
            city: None,
            latitude: None,
            longitude: None,
            online_url: None,
            capacity: 100,
            is_free: true,
            price_text: None,
            cover_image_id: None,
            revision: 1,
            published_at: Some(at(9)),
            hidden_at: None,
            hidden_reason: None,
            cancel_reason: None,
            pending_revision: None,
            curation_score: None,
            seats_taken: 0,
            visibility: "public".into(),
            invite_version: 1,
            created_at: at(8),
            updated_at: at(9),
        }
    }
}
