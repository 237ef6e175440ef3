use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{
        accounts::profile::parse_coordinates_in,
        events::schedule::{keep_wall_time, parse_local, parse_timezone},
        forms::FormFields,
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{language::Locale, taxonomy::Category},
};

pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const TAGS_MAX: usize = 10;
pub const CAPACITY_MAX: i32 = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Venue {
        name: String,
        address: String,
        city: Option<String>,
        coordinates: Option<(f64, f64)>,
    },
    Online {
        url: String,
    },
}

/// An event as the organizer described it, every field checked.
#[derive(Debug, Clone, PartialEq)]
pub struct EventInput {
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: Tz,
    pub location: Location,
    pub capacity: i32,
    /// `None` for a free event, else the price as shown ("€12", "from $20").
    pub price_text: Option<String>,
}

/// `what` names the field at the start of a sentence.
fn required(value: &str, max: usize, what: &str, locale: Locale) -> Result<String, String> {
    let value = value.trim();
    match value.chars().count() {
        0 => Err(td_string!(locale, events.input.required, what = what)),
        n if n > max => Err(td_string!(
            locale,
            events.input.too_long,
            what = what,
            max = max
        )),
        _ => Ok(value.to_owned()),
    }
}

fn optional(value: &str, max: usize, what: &str, locale: Locale) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else {
        required(value, max, what, locale).map(Some)
    }
}

pub fn parse_tags(raw: &str, locale: Locale) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > 30
            || !tag
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == ' ')
        {
            return Err(td_string!(
                locale,
                events.input.not_a_tag,
                tag = tag.chars().take(30).collect::<String>()
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(td_string!(
            locale,
            events.input.too_many_tags,
            max = TAGS_MAX
        ));
    }
    Ok(tags)
}

pub fn parse_http_url(raw: &str, locale: Locale) -> Result<String, String> {
    let url = raw.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && url
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    if ok {
        Ok(url.to_owned())
    } else {
        Err(td_string!(locale, events.input.web_address).into())
    }
}

impl EventInput {
    /// Checks a posted event form. `previous` is the stored start and end when editing: an event
    /// that already started may keep its time, but no event may be moved into the past; and a
    /// time whose wall clock reading is unchanged keeps its stored instant (see
    /// `schedule::keep_wall_time`).
    pub fn parse(
        form: &FormFields,
        now: DateTime<Utc>,
        previous: Option<(DateTime<Utc>, DateTime<Utc>)>,
        locale: Locale,
    ) -> Result<EventInput, AppError> {
        let previous_start = previous.map(|(start, _)| start);
        let mut errors = FieldErrors::new();
        macro_rules! check {
            ($field:expr, $result:expr $(,)?) => {
                match $result {
                    Ok(value) => Some(value),
                    Err(message) => {
                        errors.insert(String::from($field), message);
                        None
                    }
                }
            };
        }

        let title = check!(
            "title",
            required(
                form.text("title"),
                TITLE_MAX,
                td_string!(locale, events.input.title),
                locale
            )
        );
        let summary = check!(
            "summary",
            required(
                form.text("summary"),
                SUMMARY_MAX,
                td_string!(locale, events.input.summary),
                locale
            )
        );
        let description = check!(
            "description",
            optional(
                form.text("description"),
                DESCRIPTION_MAX,
                td_string!(locale, events.input.description),
                locale
            )
            .map(Option::unwrap_or_default),
        );
        let category = check!(
            "category",
            Category::from_slug(form.text("category")).ok_or_else(|| td_string!(
                locale,
                events.input.category
            )
            .to_string()),
        );
        let tags = check!("tags", parse_tags(form.text("tags"), locale));
        let timezone = check!("timezone", parse_timezone(form.text("timezone"), locale));
        let (starts_at, ends_at) = match timezone {
            Some(tz) => (
                check!("starts_at", parse_local(form.text("starts_at"), tz, locale))
                    .map(|t| keep_wall_time(t, previous.map(|(start, _)| start), tz)),
                check!("ends_at", parse_local(form.text("ends_at"), tz, locale))
                    .map(|t| keep_wall_time(t, previous.map(|(_, end)| end), tz)),
            ),
            None => (None, None),
        };
        if let Some(start) = starts_at {
            // the form round-trips to the minute: an unchanged start compares equal at that grain
            let minute = |t: DateTime<Utc>| t.timestamp().div_euclid(60);
            let unchanged = previous_start.is_some_and(|p| minute(p) == minute(start));
            if start < now && !unchanged {
                check!(
                    "starts_at",
                    Err::<(), String>(td_string!(locale, events.input.start_in_past).into())
                );
            } else if start > now + chrono::Duration::days(5 * 366) {
                check!(
                    "starts_at",
                    Err::<(), String>(td_string!(locale, events.input.too_far_ahead).into())
                );
            }
        }
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            if end <= start {
                check!(
                    "ends_at",
                    Err::<(), String>(td_string!(locale, events.input.end_before_start).into())
                );
            } else if end - start > chrono::Duration::days(31) {
                check!(
                    "ends_at",
                    Err::<(), String>(td_string!(locale, events.input.too_long_event).into())
                );
            }
        }
        let location = match form.text("location_kind") {
            "online" => check!(
                "online_url",
                parse_http_url(form.text("online_url"), locale)
            )
            .map(|url| Location::Online { url }),
            _ => {
                let name = check!(
                    "venue_name",
                    required(
                        form.text("venue_name"),
                        120,
                        td_string!(locale, events.input.venue_name),
                        locale
                    )
                );
                let address = check!(
                    "venue_address",
                    required(
                        form.text("venue_address"),
                        200,
                        td_string!(locale, events.input.address),
                        locale
                    )
                );
                let city = check!(
                    "city",
                    optional(
                        form.text("city"),
                        80,
                        td_string!(locale, events.input.city),
                        locale
                    )
                );
                let mut coord_errors = FieldErrors::new();
                let coordinates = parse_coordinates_in(
                    form.text("latitude"),
                    form.text("longitude"),
                    &mut coord_errors,
                    "latitude",
                    "longitude",
                    locale,
                );
                for (field, message) in coord_errors {
                    check!(field, Err::<(), String>(message));
                }
                match (name, address, city) {
                    (Some(name), Some(address), Some(city)) => Some(Location::Venue {
                        name,
                        address,
                        city,
                        coordinates,
                    }),
                    _ => None,
                }
            }
        };
        let capacity = check!(
            "capacity",
            form.text("capacity")
                .trim()
                .parse::<i64>()
                .map_err(|_| td_string!(locale, events.input.capacity_number).to_string())
                .and_then(|c| match c {
                    c if c < 1 => Err(td_string!(locale, events.input.capacity_min).to_string()),
                    c if c > CAPACITY_MAX as i64 => Err(td_string!(
                        locale,
                        events.input.capacity_max,
                        max = CAPACITY_MAX
                    )),
                    c => Ok(c as i32),
                }),
        );
        let price_text = if form.checked("is_free") {
            Some(None)
        } else {
            check!(
                "price_text",
                required(
                    form.text("price_text"),
                    40,
                    td_string!(locale, events.input.price),
                    locale
                )
                .map(Some)
            )
        };

        match (
            title,
            summary,
            description,
            category,
            tags,
            timezone,
            starts_at,
            ends_at,
            location,
            capacity,
            price_text,
        ) {
            (
                Some(title),
                Some(summary),
                Some(description_md),
                Some(category),
                Some(tags),
                Some(timezone),
                Some(starts_at),
                Some(ends_at),
                Some(location),
                Some(capacity),
                Some(price_text),
            ) if errors.is_empty() => Ok(EventInput {
                title,
                summary,
                description_md,
                category,
                tags,
                starts_at,
                ends_at,
                timezone,
                location,
                capacity,
                price_text,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Vec<(&'static str, String)> {
        vec![
            ("title", "Jazz night".into()),
            ("summary", "Live jazz by the river".into()),
            ("description", "Bring **friends**".into()),
            ("category", "music".into()),
            ("tags", "Jazz, live , jazz".into()),
            ("timezone", "Europe/Berlin".into()),
            ("starts_at", "2030-06-01T19:00".into()),
            ("ends_at", "2030-06-01T23:00".into()),
            ("location_kind", "venue".into()),
            ("venue_name", "Kesselhaus".into()),
            ("venue_address", "Schönhauser Allee 36".into()),
            ("city", "Berlin".into()),
            ("latitude", "52.539".into()),
            ("longitude", "13.413".into()),
            ("capacity", "120".into()),
            ("is_free", "on".into()),
        ]
    }

    fn parse_with(changes: &[(&'static str, &str)]) -> Result<EventInput, AppError> {
        let mut pairs = valid();
        for (k, v) in changes {
            pairs.retain(|(key, _)| key != k);
            pairs.push((k, v.to_string()));
        }
        let form = FormFields::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        EventInput::parse(&form, Utc::now(), None, Locale::en)
    }

    fn error_on(changes: &[(&'static str, &str)], field: &str) -> String {
        parse_with(changes)
            .unwrap_err()
            .field_errors()
            .get(field)
            .cloned()
            .unwrap_or_else(|| panic!("no error on {field}"))
    }

    #[test]
    fn a_complete_form_parses() {
        let event = parse_with(&[]).unwrap();
        assert_eq!(event.tags, vec!["jazz", "live"]);
        assert_eq!(event.price_text, None);
        assert!(matches!(
            event.location,
            Location::Venue {
                coordinates: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        assert!(error_on(&[("title", "  ")], "title").contains("required"));
        assert!(error_on(&[("title", &"x".repeat(121))], "title").contains("at most 120"));
        assert!(error_on(&[("ends_at", "2030-06-01T18:00")], "ends_at").contains("after the start"));
        assert!(error_on(&[("capacity", "0")], "capacity").contains("at least 1"));
        assert!(error_on(&[("capacity", "-5")], "capacity").contains("at least 1"));
        assert!(error_on(&[("capacity", "lots")], "capacity").contains("whole number"));
        assert!(error_on(&[("category", "astrology")], "category").contains("category"));
        assert!(error_on(
            &[
                ("starts_at", "2001-01-01T10:00"),
                ("ends_at", "2001-01-01T12:00")
            ],
            "starts_at"
        )
        .contains("past"));
        assert!(error_on(&[("latitude", "123")], "latitude").contains("-90"));
        assert!(error_on(
            &[
                ("starts_at", "+10000-01-01T10:00"),
                ("ends_at", "+10000-01-01T12:00")
            ],
            "starts_at"
        )
        .contains("five years"));
        assert!(error_on(
            &[
                ("location_kind", "online"),
                ("online_url", "javascript:alert(1)")
            ],
            "online_url"
        )
        .contains("https"));
        assert!(error_on(&[("is_free", "")], "price_text").contains("required"));
        assert!(error_on(&[("timezone", "Mars/Base")], "timezone").contains("time zone"));
    }

    #[test]
    fn online_events_need_no_venue() {
        let event = parse_with(&[
            ("location_kind", "online"),
            ("online_url", "https://meet.example/x"),
            ("venue_name", ""),
        ])
        .unwrap();
        assert_eq!(
            event.location,
            Location::Online {
                url: "https://meet.example/x".into()
            }
        );
    }
}
