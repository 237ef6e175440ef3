use chrono::{DateTime, Utc};

use entity::event;

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\r', '\n'], "\\n")
}

/// Folds content lines at 75 octets, as RFC 5545 requires, without splitting a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for ch in line.chars() {
        if width + ch.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += ch.len_utf8();
    }
    out
}

/// Whether a calendar file may carry the online join link: only for people who may attend
/// (`access::may_join_online`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinLink {
    Included,
    Withheld,
}

/// A one-event calendar file for "Add to calendar".
pub fn render(
    event: &event::Model,
    public_url: &str,
    now: DateTime<Utc>,
    link: JoinLink,
) -> String {
    calendar(std::slice::from_ref(event), public_url, now, None, link)
}

/// A calendar of several events, e.g. a person's private feed of what they are going to.
pub fn calendar(
    events: &[event::Model],
    public_url: &str,
    now: DateTime<Utc>,
    name: Option<&str>,
    link: JoinLink,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Lineup//Events//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
    ];
    if let Some(name) = name {
        lines.push(format!("X-WR-CALNAME:{}", escape(name)));
    }
    for event in events {
        lines.extend(vevent(event, public_url, now, link));
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = lines
        .iter()
        .map(|l| fold(l))
        .collect::<Vec<_>>()
        .join("\r\n");
    out.push_str("\r\n");
    out
}

fn vevent(
    event: &event::Model,
    public_url: &str,
    now: DateTime<Utc>,
    link: JoinLink,
) -> Vec<String> {
    let url = format!("{}/events/{}", public_url.trim_end_matches('/'), event.id);
    let location = match (&event.venue_name, &event.venue_address, &event.online_url) {
        (Some(name), Some(address), _) => format!("{name}, {address}"),
        (Some(name), None, _) => name.clone(),
        (_, _, Some(join)) if link == JoinLink::Included => join.clone(),
        (_, _, Some(_)) => "Online".to_owned(),
        _ => String::new(),
    };
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:event-{}@lineup", event.id),
        // calendars replace their copy with a higher sequence: every revision counts up
        format!("SEQUENCE:{}", event.revision),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(event.starts_at)),
        format!("DTEND:{}", stamp(event.ends_at)),
        format!("SUMMARY:{}", escape(&event.title)),
        format!(
            "DESCRIPTION:{}",
            escape(&format!("{}\n\n{url}", event.summary))
        ),
        format!("LOCATION:{}", escape(&location)),
        format!("URL:{url}"),
    ];
    if let (Some(lat), Some(lng)) = (event.latitude, event.longitude) {
        lines.push(format!("GEO:{lat};{lng}"));
    }
    if event.status == "cancelled" {
        lines.push("STATUS:CANCELLED".to_owned());
    }
    lines.push("END:VEVENT".to_owned());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_is_escaped() {
        let folded = fold(&format!("DESCRIPTION:{}", "é".repeat(100)));
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(escape("a,b;c\nd"), "a\\,b\\;c\\nd");
        // a bare CR would end the content line early in a calendar that splits on it
        assert_eq!(escape("a\rDTSTART:x\r\nb"), "a\\nDTSTART:x\\nb");
        assert!(!escape("title\rEND:VEVENT").contains('\r'));
    }
}
