//! "Add to Google Calendar" and "Add to Outlook" links: each service's page for a new calendar
//! entry, filled in from the event (times in UTC, the event page in the description).
use url::form_urlencoded::Serializer;

use entity::event;

/// Where the event happens, as one line.
fn place(event: &event::Model) -> String {
    [&event.venue_name, &event.venue_address, &event.city]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn details(event: &event::Model, page_url: &str) -> String {
    format!("{}\n\n{page_url}", event.summary)
}

/// Google Calendar's template (`action=TEMPLATE`, `dates=START/END` in UTC basic format).
pub fn google(event: &event::Model, page_url: &str) -> String {
    let basic = "%Y%m%dT%H%M%SZ";
    let dates = format!(
        "{}/{}",
        event.starts_at.format(basic),
        event.ends_at.format(basic)
    );
    let query = Serializer::new(String::new())
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &event.title)
        .append_pair("dates", &dates)
        .append_pair("details", &details(event, page_url))
        .append_pair("location", &place(event))
        .finish();
    format!("https://calendar.google.com/calendar/render?{query}")
}

/// Outlook on the web's compose page for a new event.
pub fn outlook(event: &event::Model, page_url: &str) -> String {
    let iso = "%Y-%m-%dT%H:%M:%SZ";
    let query = Serializer::new(String::new())
        .append_pair("path", "/calendar/action/compose")
        .append_pair("rru", "addevent")
        .append_pair("subject", &event.title)
        .append_pair("startdt", &event.starts_at.format(iso).to_string())
        .append_pair("enddt", &event.ends_at.format(iso).to_string())
        .append_pair("body", &details(event, page_url))
        .append_pair("location", &place(event))
        .finish();
    format!("https://outlook.live.com/calendar/0/action/compose?{query}")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn the_links_carry_the_event_in_utc() {
        let event = event::Model {
            title: "Jazz & friends".into(),
            summary: "An evening".into(),
            venue_name: Some("Kesselhaus".into()),
            city: Some("Berlin".into()),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 10, 19, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 10, 22, 30, 0).unwrap(),
            ..crate::domain::events::testing::event()
        };
        let g = google(&event, "https://lineup.example/events/7");
        assert!(g.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Jazz+%26+friends&dates=20261210T190000Z%2F20261210T223000Z&"), "{g}");
        assert!(g.contains("location=Kesselhaus%2C+Berlin"), "{g}");
        assert!(
            g.contains("details=An+evening%0A%0Ahttps%3A%2F%2Flineup.example%2Fevents%2F7"),
            "{g}"
        );
        let o = outlook(&event, "https://lineup.example/events/7");
        assert!(
            o.contains("&startdt=2026-12-10T19%3A00%3A00Z&enddt=2026-12-10T22%3A30%3A00Z&"),
            "{o}"
        );
        assert!(o.contains("subject=Jazz+%26+friends"), "{o}");
    }
}
