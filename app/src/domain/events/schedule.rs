use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| "Choose a time zone such as Europe/Berlin.".to_string())
}

/// Reads a `datetime-local` value as a wall-clock time in `tz`.
pub fn parse_local(value: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Enter a date and time.".into());
    }
    let naive = NaiveDateTime::parse_from_str(value, INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "Enter a date and time like 2026-12-31T20:00.".to_string())?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // the hour repeated when clocks go back: take the first
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "That time does not exist in {tz}: the clocks change then."
        )),
    }
}

/// `parsed`, unless it reads the same on the wall clock in `tz` as `stored`: then `stored`. A
/// form shows a time in the hour repeated when clocks go back without saying which of its two
/// instants it is, and `parse_local` reads the first: an event in the second would move an hour
/// each time its form is saved unchanged.
pub fn keep_wall_time(
    parsed: DateTime<Utc>,
    stored: Option<DateTime<Utc>>,
    tz: Tz,
) -> DateTime<Utc> {
    match stored {
        Some(stored) if to_local_input(stored, tz) == to_local_input(parsed, tz) => stored,
        _ => parsed,
    }
}

pub fn to_local_input(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format(INPUT_FORMAT).to_string()
}

/// "Sat 5 Dec 2026, 19:00 – 22:00 CET", or with both dates when the event spans days.
pub fn format_range(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    if s.date_naive() == e.date_naive() {
        format!(
            "{}, {} – {} {}",
            s.format("%a %-d %b %Y"),
            s.format("%H:%M"),
            e.format("%H:%M"),
            e.format("%Z")
        )
    } else {
        format!(
            "{} – {} {}",
            s.format("%a %-d %b %Y, %H:%M"),
            e.format("%a %-d %b %Y, %H:%M"),
            e.format("%Z")
        )
    }
}

/// "19:00 CET" — the start time on a card under a day heading.
pub fn format_start_time(start: DateTime<Utc>, tz: Tz) -> String {
    start.with_timezone(&tz).format("%H:%M %Z").to_string()
}

pub fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// "Today", "Tomorrow", or "Saturday 5 December".
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "Today".into(),
        1 => "Tomorrow".into(),
        _ if day.year() == today.year() => day.format("%A %-d %B").to_string(),
        _ => day.format("%A %-d %B %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_convert_in_the_events_zone() {
        let berlin = parse_timezone("Europe/Berlin").unwrap();
        let t = parse_local("2026-12-05T19:00", berlin).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-05T18:00:00+00:00");
        assert_eq!(to_local_input(t, berlin), "2026-12-05T19:00");
        let end = parse_local("2026-12-05T22:30", berlin).unwrap();
        assert_eq!(
            format_range(t, end, berlin),
            "Sat 5 Dec 2026, 19:00 – 22:30 CET"
        );
    }

    #[test]
    fn nonexistent_times_and_bad_zones_are_explained() {
        let berlin = parse_timezone("Europe/Berlin").unwrap();
        assert!(parse_local("2026-03-29T02:30", berlin)
            .unwrap_err()
            .contains("clocks change"));
        assert!(parse_local("yesterday", berlin).is_err());
        assert!(parse_timezone("Mars/Olympus").is_err());
    }

    #[test]
    fn day_labels_are_relative_when_near() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(day_label(today, today), "Today");
        assert_eq!(day_label(today.succ_opt().unwrap(), today), "Tomorrow");
        assert_eq!(
            day_label(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), today),
            "Saturday 28 November"
        );
    }
}
