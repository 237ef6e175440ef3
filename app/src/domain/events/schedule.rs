use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{i18n::td_string, model::language::Locale};

pub const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

pub fn parse_timezone(name: &str, locale: Locale) -> Result<Tz, String> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| td_string!(locale, events.schedule.time_zone).to_string())
}

/// Reads a `datetime-local` value as a wall-clock time in `tz`.
pub fn parse_local(value: &str, tz: Tz, locale: Locale) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(td_string!(locale, events.schedule.date_time).into());
    }
    let naive = NaiveDateTime::parse_from_str(value, INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| td_string!(locale, events.schedule.date_time_like).to_string())?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // the hour repeated when clocks go back: take the first
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(td_string!(locale, events.schedule.no_such_time, zone = tz)),
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

pub fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_convert_in_the_events_zone() {
        let berlin = parse_timezone("Europe/Berlin", Locale::en).unwrap();
        let t = parse_local("2026-12-05T19:00", berlin, Locale::en).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-05T18:00:00+00:00");
        assert_eq!(to_local_input(t, berlin), "2026-12-05T19:00");
    }

    #[test]
    fn nonexistent_times_and_bad_zones_are_explained() {
        let berlin = parse_timezone("Europe/Berlin", Locale::en).unwrap();
        assert!(parse_local("2026-03-29T02:30", berlin, Locale::en)
            .unwrap_err()
            .contains("clocks change"));
        assert!(parse_local("yesterday", berlin, Locale::en).is_err());
        assert!(parse_timezone("Mars/Olympus", Locale::en).is_err());
    }
}
