//! Property tests for the parsers of outside input: whatever a browser, a proxy, Stripe or a
//! scanner sends, parsing never panics, what is accepted stays within the documented bounds, and
//! what the app itself writes (form values, URLs, tokens, signatures) reads back as itself.
//!
#![cfg(feature = "ssr")]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{Tz, TZ_VARIANTS};
use http::{HeaderMap, HeaderName, HeaderValue};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use proptest::{
    collection::{btree_map, vec},
    prelude::*,
    sample::{select, subsequence, Index},
};
use serde_json::{json, Value};

use app::{
    domain::{
        accounts::{
            password,
            profile::parse_coordinates_in,
            sign_up::{check_display_name, normalize_email},
        },
        client::ClientAddress,
        curation::{decisions::DecisionInput, reviews::parse_rating},
        discovery::{
            document::lowest_amount,
            meili::query_words,
            query::MAX_QUERY_WORDS,
            search::{custom_window, preset_window},
        },
        events::{
            images,
            input::{parse_http_url, parse_tags, EventInput, Location, CAPACITY_MAX, TAGS_MAX},
            markdown,
            save::snapshot_of,
            schedule::{parse_local, parse_timezone, to_local_input, INPUT_FORMAT},
        },
        forms::{FormFields, UploadedFile},
        notifications::{mailbox, quiet_hours, unsubscribe},
        social::feed::Cursor,
        ticketing::{
            money,
            register::parse_quantity,
            tickets::{display_code, new_code, normalize_code},
            webhooks::{self, Payment, WebhookError, TOLERANCE_SECS},
        },
    },
    error::AppError,
    model::{
        accounts::is_local_path,
        curation::{Decision, RejectReason},
        discovery::{
            encode_component, url_pairs, DatePreset, Format, NearPoint, PriceFilter, SearchParams,
            SearchProblem, SortOrder, MAX_PAGE, MAX_QUERY_CHARS, MAX_RADIUS_KM, MIN_RADIUS_KM,
        },
        forms::number_value,
        language::Locale,
        notifications::Kind,
        taxonomy::Category,
    },
};

// ---------------------------------------------------------------------------------------------
// Shared strategies
// ---------------------------------------------------------------------------------------------

/// Any characters at all: control characters, private use, unassigned, emoji, any script.
fn chars(max: usize) -> BoxedStrategy<String> {
    vec(any::<char>(), 0..max)
        .prop_map(|v| v.into_iter().collect())
        .boxed()
}

/// Text as outside input comes: arbitrary Unicode, control characters, padding, huge numbers,
/// other scripts' digits, separators.
fn messy() -> BoxedStrategy<String> {
    prop_oneof![
        3 => chars(40),
        2 => "\\PC{0,30}",
        3 => "[ \\t\\r\\n\\x00\\x0b\\x0c\\x7f\u{a0}\u{3000}\u{feff}]{0,3}[+-]?[0-9]{0,45}([.,][0-9]{0,45})?[ \\t\\n]{0,3}",
        2 => "[0-9\u{660}-\u{669}\u{ff10}-\u{ff19}.,:;eE+\\-TZtz/ ]{0,30}",
    ]
    .boxed()
}

/// Leading and trailing whitespace a browser or a person may add.
fn padding() -> BoxedStrategy<(String, String)> {
    ("[ \\t\\n]{0,3}", "[ \\t\\n\u{a0}]{0,3}").boxed()
}

fn zone() -> BoxedStrategy<Tz> {
    select(TZ_VARIANTS.to_vec()).boxed()
}

fn utc(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("in range")
}

// ---------------------------------------------------------------------------------------------
// 1. Prices, currencies, quantities, ratings
// ---------------------------------------------------------------------------------------------

const MAX_MAJOR: i64 = 99_999;

fn currency() -> BoxedStrategy<&'static str> {
    select(
        money::CURRENCIES
            .iter()
            .map(|(code, _)| *code)
            .collect::<Vec<_>>(),
    )
    .boxed()
}

/// The highest price in minor units: 99,999 and all the currency's decimals at 9.
fn max_minor(currency: &str) -> i64 {
    let places = money::digits(currency).unwrap_or(2);
    (MAX_MAJOR + 1) * 10i64.pow(places) - 1
}

proptest! {
    #[test]
    fn price_parser_never_panics_and_accepts_only_free_to_the_maximum(
        raw in prop_oneof![messy(), "[ ]?[0-9]{0,8}([.,][0-9]{0,3})?[ ]?"],
        currency in prop_oneof![currency().prop_map(String::from), messy()],
    ) {
        if let Ok(minor) = money::parse_price(&raw, &currency, Locale::en) {
            prop_assert!(
                (0..=max_minor(&currency)).contains(&minor),
                "{raw:?} in {currency:?} became {minor}"
            );
        }
    }

    #[test]
    fn price_parser_reads_back_the_price_the_ticket_form_shows(
        (currency, minor) in currency().prop_flat_map(|c| (Just(c), 0..=max_minor(c))),
        comma in any::<bool>(),
        (before, after) in padding(),
    ) {
        let shown = money::input_value(minor, currency);
        let shown = if comma { shown.replace('.', ",") } else { shown };
        prop_assert_eq!(
            money::parse_price(&format!("{before}{shown}{after}"), currency, Locale::en),
            Ok(minor)
        );
    }

    #[test]
    fn price_parser_reads_written_amounts_in_minor_units(
        currency in currency(),
        whole in 0..=MAX_MAJOR,
        fraction in "[0-9]{0,2}",
    ) {
        let places = money::digits(currency).unwrap() as usize;
        let fraction = &fraction[..fraction.len().min(places)];
        let raw = if fraction.is_empty() { whole.to_string() } else { format!("{whole}.{fraction}") };
        let scaled: i64 = format!("{fraction:0<places$}").parse().unwrap_or(0);
        prop_assert_eq!(
            money::parse_price(&raw, currency, Locale::en),
            Ok(whole * 10i64.pow(places as u32) + scaled)
        );
    }

    #[test]
    fn price_parser_refuses_negative_too_large_and_too_precise_prices(
        currency in currency(),
        whole in 0..=MAX_MAJOR,
        too_large in (MAX_MAJOR + 1)..=i64::MAX,
        extra_digits in "[0-9]{3,8}",
    ) {
        let negative = format!("-{whole}");
        prop_assert!(money::parse_price(&negative, currency, Locale::en).is_err());
        prop_assert!(money::parse_price(&too_large.to_string(), currency, Locale::en).is_err());
        let places = money::digits(currency).unwrap() as usize;
        let too_precise = format!("{whole}.{}", &extra_digits[..places + 1]);
        prop_assert!(money::parse_price(&too_precise, currency, Locale::en).is_err(), "{}", too_precise);
    }

    #[test]
    fn currency_parser_accepts_only_listed_currencies(raw in messy()) {
        if let Ok(code) = money::parse_currency(&raw, Locale::en) {
            prop_assert!(money::digits(&code).is_some(), "{raw:?} became {code:?}");
            prop_assert!(code == raw.trim().to_lowercase() || (raw.trim().is_empty() && code == "eur"));
        }
    }

    #[test]
    fn currency_parser_reads_every_listed_code_in_any_case(
        currency in currency(),
        upper in vec(any::<bool>(), 3),
        (before, after) in padding(),
    ) {
        let typed: String = currency
            .chars()
            .zip(upper)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(
            money::parse_currency(&format!("{before}{typed}{after}"), Locale::en),
            Ok(currency.to_owned())
        );
    }

    #[test]
    fn quantity_parser_stays_between_one_and_the_limit_per_order(raw in prop_oneof![messy(), "[ ]?[+-]?[0-9]{1,3}[ ]?"], max in -3i32..=60) {
        if let Ok(n) = parse_quantity(&raw, max, Locale::en) {
            prop_assert!((1..=max).contains(&n), "{raw:?} with max {max} became {n}");
        }
    }

    #[test]
    fn quantity_parser_reads_back_every_allowed_quantity(
        (max, n) in (1i32..=50).prop_flat_map(|max| (Just(max), 1..=max)),
        (before, after) in padding(),
    ) {
        prop_assert_eq!(parse_quantity(&format!("{before}{n}{after}"), max, Locale::en), Ok(n));
    }

    #[test]
    fn quantity_parser_refuses_every_quantity_beyond_the_limits(max in 1i32..=50, n in any::<i64>()) {
        prop_assume!(!(1..=i64::from(max)).contains(&n));
        prop_assert!(parse_quantity(&n.to_string(), max, Locale::en).is_err());
    }

    #[test]
    fn rating_parser_accepts_only_one_to_five_stars(raw in prop_oneof![messy(), "[ ]?[+-]?[0-9]{1,2}[ ]?"]) {
        if let Ok(n) = parse_rating(&raw, Locale::en) {
            prop_assert!((1..=5).contains(&n), "{raw:?} became {n}");
        }
    }

    #[test]
    fn rating_parser_reads_back_every_star_count(n in 1i32..=5, (before, after) in padding()) {
        prop_assert_eq!(parse_rating(&format!("{before}{n}{after}"), Locale::en), Ok(n));
    }

    #[test]
    fn rating_parser_refuses_every_other_number(n in any::<i64>()) {
        prop_assume!(!(1..=5).contains(&n));
        prop_assert!(parse_rating(&n.to_string(), Locale::en).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Ticket codes
// ---------------------------------------------------------------------------------------------

/// Crockford's base32, as `tickets::new_code` writes codes.
const CODE_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn code() -> BoxedStrategy<String> {
    "[0-9A-HJKMNP-TV-Z]{26}".boxed()
}

proptest! {
    #[test]
    fn normalized_codes_hold_only_upper_case_letters_and_digits_without_look_alikes(raw in chars(80)) {
        let code = normalize_code(&raw);
        prop_assert!(code
            .chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'L' | 'O'))),
            "{raw:?} became {code:?}");
        prop_assert!(code.chars().count() <= raw.chars().count());
        prop_assert_eq!(normalize_code(&code), code);
    }

    #[test]
    fn codes_survive_any_case_and_any_separators(
        code in code(),
        lower in vec(any::<bool>(), 26),
        separators in vec((any::<Index>(), any::<char>().prop_filter("separator", |c| !c.is_ascii_alphanumeric())), 0..12),
    ) {
        let mut typed: Vec<char> = code
            .chars()
            .zip(lower)
            .map(|(c, low)| if low { c.to_ascii_lowercase() } else { c })
            .collect();
        for (at, separator) in separators {
            typed.insert(at.index(typed.len() + 1), separator);
        }
        let typed: String = typed.into_iter().collect();
        prop_assert_eq!(normalize_code(&typed), code);
    }

    #[test]
    fn printed_codes_read_back_when_typed_in_lower_case(code in code()) {
        let printed = display_code(&code);
        prop_assert!(printed.split('-').all(|group| (1..=4).contains(&group.len())));
        prop_assert_eq!(normalize_code(&printed.to_lowercase()), code.clone());
        prop_assert_eq!(normalize_code(&printed.replace('-', " ")), code);
    }

    #[test]
    fn look_alike_letters_read_as_the_digits_they_look_like(
        code in code(),
        swaps in vec(0usize..3, 26),
    ) {
        let typed: String = code
            .chars()
            .zip(swaps)
            .map(|(c, swap)| match (c, swap) {
                ('0', 1) => 'O',
                ('0', 2) => 'o',
                ('1', 1) => 'I',
                ('1', 2) => 'l',
                _ => c,
            })
            .collect();
        prop_assert_eq!(normalize_code(&typed), code);
    }
}

#[test]
fn fresh_codes_are_26_characters_of_the_alphabet_and_already_normal() {
    for _ in 0..2_000 {
        let code = new_code();
        assert_eq!(code.len(), 26);
        assert!(code.chars().all(|c| CODE_ALPHABET.contains(c)), "{code}");
        assert_eq!(normalize_code(&code), code);
        assert_eq!(normalize_code(&display_code(&code).to_lowercase()), code);
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Dates, times and time zones: the event form, ticket sales times, quiet hours
// ---------------------------------------------------------------------------------------------

fn datetime_like() -> BoxedStrategy<String> {
    prop_oneof![
        "[+-]?[0-9]{1,7}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?",
        "[ \\t]{0,2}20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9](:[0-6][0-9])?(Z|[+-][0-9]{2}:?[0-9]{2})?[ \\t]{0,2}",
        messy(),
    ]
    .boxed()
}

proptest! {
    #[test]
    fn time_zone_parser_accepts_exactly_the_iana_names(raw in prop_oneof![messy(), "[A-Za-z_/+-]{1,25}"]) {
        if let Ok(tz) = parse_timezone(&raw, Locale::en) {
            prop_assert_eq!(tz.name(), raw.trim());
        }
    }

    #[test]
    fn time_zone_parser_reads_every_zone_by_its_name(tz in zone(), (before, after) in padding()) {
        prop_assert_eq!(parse_timezone(&format!("{before}{}{after}", tz.name()), Locale::en), Ok(tz));
    }

    #[test]
    fn local_time_parser_never_panics_on_any_text(raw in datetime_like(), tz in zone()) {
        let _ = parse_local(&raw, tz, Locale::en);
    }

    #[test]
    fn local_time_parser_reads_any_wall_clock_time_of_any_year_or_explains_it(
        year in -262_143i32..=262_142,
        day in 1u32..=366,
        minute in 0u32..1440,
        tz in zone(),
    ) {
        let Some(date) = NaiveDate::from_yo_opt(year, day) else { return Ok(()) };
        let naive = date.and_hms_opt(minute / 60, minute % 60, 0).unwrap();
        let typed = naive.format(INPUT_FORMAT).to_string();
        match parse_local(&typed, tz, Locale::en) {
            Ok(t) => {
                let expected = match tz.from_local_datetime(&naive) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
                    LocalResult::None => return Err(TestCaseError::fail(format!("{typed} in {tz} does not exist but parsed"))),
                };
                prop_assert_eq!(t, expected);
            }
            Err(_) => prop_assert!(matches!(tz.from_local_datetime(&naive), LocalResult::None)),
        }
    }

    /// Offsets have been whole minutes everywhere since 1973 (Monrovia's −0:44:30 ended in 1972).
    #[test]
    fn a_time_shown_in_a_form_reads_back_as_the_minute_it_shows(
        secs in utc_range(1973, 2199),
        tz in zone(),
    ) {
        let t = utc(secs);
        let shown = to_local_input(t, tz);
        let parsed = parse_local(&shown, tz, Locale::en).map_err(|e| TestCaseError::fail(format!("{shown} in {tz}: {e}")))?;
        prop_assert_eq!(to_local_input(parsed, tz), shown.clone());
        let naive = NaiveDateTime::parse_from_str(&shown, INPUT_FORMAT).unwrap();
        if let LocalResult::Single(_) = tz.from_local_datetime(&naive) {
            let behind = (t - parsed).num_seconds();
            prop_assert!((0..60).contains(&behind), "{t} shown as {shown} in {tz} read back as {parsed}");
        }
    }

    #[test]
    fn tag_parser_gives_at_most_ten_short_lower_case_distinct_tags(raw in prop_oneof![messy(), "[a-zA-Z0-9 ,\\-#]{0,120}"]) {
        if let Ok(tags) = parse_tags(&raw, Locale::en) {
            prop_assert!(tags.len() <= TAGS_MAX);
            for (i, tag) in tags.iter().enumerate() {
                prop_assert!((1..=30).contains(&tag.chars().count()), "{tag:?}");
                prop_assert_eq!(tag.trim(), tag.as_str());
                prop_assert_eq!(&tag.to_lowercase(), tag);
                prop_assert!(tag.chars().all(|c| c.is_alphanumeric() || c == '-' || c == ' '));
                prop_assert!(!tags[..i].contains(tag));
            }
            prop_assert_eq!(parse_tags(&tags.join(", "), Locale::en), Ok(tags));
        }
    }

    #[test]
    fn web_address_parser_accepts_only_http_links_a_page_can_carry(
        raw in prop_oneof![
            messy(),
            "[ \\t]{0,2}(https?|javascript|data|HTTPS|ftp):(//)?[a-zA-Z0-9./:@?#%\\[\\]\"<> -]{0,40}",
        ],
    ) {
        if let Ok(url) = parse_http_url(&raw, Locale::en) {
            prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
            prop_assert!(url.len() <= 500);
            prop_assert!(!url.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>')));
            if let Ok(parsed) = url::Url::parse(&url) {
                prop_assert!(matches!(parsed.scheme(), "http" | "https"));
            }
        }
    }

    #[test]
    fn coordinate_parser_gives_only_real_positions(lat in messy(), lng in messy()) {
        let mut errors = Default::default();
        if let Some((lat, lng)) = parse_coordinates_in(&lat, &lng, &mut errors, "latitude", "longitude", Locale::en) {
            prop_assert!(lat.is_finite() && lat.abs() <= 90.0 && lng.is_finite() && lng.abs() <= 180.0);
            prop_assert!(errors.is_empty());
        }
    }

    #[test]
    fn coordinate_parser_reads_back_the_positions_the_form_shows(lat in -90.0f64..=90.0, lng in -180.0f64..=180.0) {
        let mut errors = Default::default();
        prop_assert_eq!(
            parse_coordinates_in(&number_value(Some(lat)), &number_value(Some(lng)), &mut errors, "latitude", "longitude", Locale::en),
            Some((lat, lng))
        );
    }
}

fn utc_range(from_year: i32, to_year: i32) -> std::ops::Range<i64> {
    let at = |y| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
    };
    at(from_year)..at(to_year + 1)
}

/// "Now" for the event form tests.
fn form_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn wall_clock(offset_minutes: i64) -> String {
    (form_now().naive_utc() + Duration::minutes(offset_minutes))
        .format(INPUT_FORMAT)
        .to_string()
}

/// One value per field of the event form, mostly plausible, sometimes garbage.
fn event_form() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    fn field(valid: impl Strategy<Value = String> + 'static) -> BoxedStrategy<String> {
        prop_oneof![14 => valid, 1 => messy()].boxed()
    }
    fn number(range: std::ops::RangeInclusive<f64>) -> BoxedStrategy<String> {
        prop_oneof![
            range.prop_map(|v| v.to_string()),
            "-?[0-9]{1,3}(\\.[0-9]{1,6})?"
        ]
        .boxed()
    }
    let slugs: Vec<String> = Category::ALL.iter().map(|c| c.slug().to_owned()).collect();
    let names: Vec<String> = TZ_VARIANTS.iter().map(|t| t.name().to_owned()).collect();
    let text = (
        field("\\PC{0,125}"),
        field("\\PC{0,205}"),
        field("\\PC{0,300}"),
        field(select(slugs)),
        field(vec("[a-zA-Z0-9 \\-]{0,31}", 0..11).prop_map(|t| t.join(", "))),
        field(select(names)),
    );
    // start: from three days ago to six years ahead; end: from two hours before to 40 days after
    let times = (-4_320i64..3_200_000, -120i64..57_600, 0u8..10, messy()).prop_map(
        |(start, length, bad, junk)| match bad {
            0 => (junk, wall_clock(start + length)),
            1 => (wall_clock(start), junk),
            _ => (wall_clock(start), wall_clock(start + length)),
        },
    );
    let place = (
        field(select(vec!["venue".to_owned(), "online".to_owned()])),
        field("\\PC{0,125}"),
        field("\\PC{0,205}"),
        field("\\PC{0,85}"),
        field(number(-95.0..=95.0)),
        field(number(-185.0..=185.0)),
        field("https?://[a-z]{1,10}\\.example(/[a-z0-9]{0,10})?"),
    );
    let rest = (
        field(prop_oneof![3 => "[1-9][0-9]{0,5}", 1 => "-?[0-9]{1,7}"]),
        field(select(vec!["on".to_owned(), String::new()])),
        field("\\PC{0,42}"),
    );
    (text, times, place, rest).prop_map(
        |(
            (title, summary, description, category, tags, timezone),
            (starts_at, ends_at),
            (kind, venue, address, city, lat, lng, online),
            (capacity, is_free, price),
        )| {
            vec![
                ("title", title),
                ("summary", summary),
                ("description", description),
                ("category", category),
                ("tags", tags),
                ("timezone", timezone),
                ("starts_at", starts_at),
                ("ends_at", ends_at),
                ("location_kind", kind),
                ("venue_name", venue),
                ("venue_address", address),
                ("city", city),
                ("latitude", lat),
                ("longitude", lng),
                ("online_url", online),
                ("capacity", capacity),
                ("is_free", is_free),
                ("price_text", price),
            ]
        },
    )
}

fn form_of(pairs: &[(&'static str, String)]) -> FormFields {
    FormFields::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// An event as the organizer may describe it, every field valid, times on whole minutes.
fn valid_event() -> impl Strategy<Value = EventInput> {
    fn trimmed(pattern: &'static str) -> BoxedStrategy<String> {
        pattern
            .prop_map(|s: String| s.trim().to_owned())
            .prop_filter("not blank", |s| !s.is_empty())
            .boxed()
    }
    let tags = vec(
        "[a-z0-9äöüß]([a-z0-9äöüß -]{0,26}[a-z0-9äöüß])?",
        0..=TAGS_MAX,
    )
    .prop_map(|tags| {
        let mut unique: Vec<String> = Vec::new();
        for tag in tags {
            if !unique.contains(&tag) {
                unique.push(tag);
            }
        }
        unique
    });
    let location = prop_oneof![
        (
            trimmed("\\PC{1,100}"),
            trimmed("\\PC{1,150}"),
            proptest::option::of(trimmed("\\PC{1,60}")),
            proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0)),
        )
            .prop_map(|(name, address, city, coordinates)| Location::Venue {
                name,
                address,
                city,
                coordinates
            }),
        "https?://[a-z]{1,10}\\.example(/[a-zA-Z0-9_.~-]{0,20})?"
            .prop_map(|url| Location::Online { url }),
    ];
    (
        (
            trimmed("\\PC{1,120}"),
            trimmed("\\PC{1,200}"),
            "\\PC{0,300}".prop_map(|s: String| s.trim().to_owned()),
            select(Category::ALL.to_vec()),
            tags,
            zone(),
        ),
        // start: an hour to four years ahead; then up to 31 days long
        (60i64..2_100_000, 1i64..=44_640),
        location,
        1..=CAPACITY_MAX,
        proptest::option::of(trimmed("\\PC{1,40}")),
    )
        .prop_map(
            |(
                (title, summary, description_md, category, tags, timezone),
                (start, length),
                location,
                capacity,
                price_text,
            )| {
                let starts_at = form_now() + Duration::minutes(start);
                EventInput {
                    title,
                    summary,
                    description_md,
                    category,
                    tags,
                    starts_at,
                    ends_at: starts_at + Duration::minutes(length),
                    timezone,
                    location,
                    capacity,
                    price_text,
                }
            },
        )
}

/// The edit form of a saved event, as its edit page fills it.
fn edit_form_of(input: &EventInput) -> Vec<(&'static str, String)> {
    snapshot_of(input.clone(), None).form_values()
}

/// Whether `t` is the second of two instants showing the same wall-clock time (clocks went back).
fn second_of_repeated_hour(t: DateTime<Utc>, tz: Tz) -> bool {
    let local = t.with_timezone(&tz).naive_local();
    matches!(tz.from_local_datetime(&local), LocalResult::Ambiguous(first, _) if first.with_timezone(&Utc) != t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_024))]

    #[test]
    fn event_form_never_panics_and_accepted_events_keep_every_limit(pairs in event_form()) {
        let now = form_now();
        let Ok(event) = EventInput::parse(&form_of(&pairs), now, None, Locale::en) else { return Ok(()) };
        prop_assert!((1..=120).contains(&event.title.chars().count()));
        prop_assert!((1..=200).contains(&event.summary.chars().count()));
        prop_assert!(event.description_md.chars().count() <= 20_000);
        prop_assert!(event.tags.len() <= TAGS_MAX);
        prop_assert!(event.starts_at >= now, "started in the past: {}", event.starts_at);
        prop_assert!(event.starts_at <= now + Duration::days(5 * 366));
        prop_assert!(event.ends_at > event.starts_at);
        prop_assert!(event.ends_at - event.starts_at <= Duration::days(31));
        prop_assert!((1..=CAPACITY_MAX).contains(&event.capacity));
        match &event.location {
            Location::Online { url } => prop_assert!(url.starts_with("https://") || url.starts_with("http://")),
            Location::Venue { name, address, city, coordinates } => {
                prop_assert!((1..=120).contains(&name.chars().count()));
                prop_assert!((1..=200).contains(&address.chars().count()));
                prop_assert!(city.as_ref().is_none_or(|c| (1..=80).contains(&c.chars().count())));
                if let Some((lat, lng)) = coordinates {
                    prop_assert!(lat.abs() <= 90.0 && lng.abs() <= 180.0);
                }
            }
        }
        let free = pairs.iter().any(|(k, v)| *k == "is_free" && v == "on");
        prop_assert_eq!(event.price_text.is_none(), free);
        if let Some(price) = &event.price_text {
            prop_assert!((1..=40).contains(&price.chars().count()));
        }
    }

    #[test]
    fn a_saved_event_reads_back_unchanged_from_its_edit_form(input in valid_event()) {
        prop_assume!(!second_of_repeated_hour(input.starts_at, input.timezone)
            && !second_of_repeated_hour(input.ends_at, input.timezone));
        let form = form_of(&edit_form_of(&input));
        let parsed = EventInput::parse(&form, form_now(), Some((input.starts_at, input.ends_at)), Locale::en)
            .map_err(|e| TestCaseError::fail(format!("{:?}", e.field_errors())))?;
        prop_assert_eq!(parsed, input);
    }
}

proptest! {
    #[test]
    fn an_event_in_the_repeated_hour_keeps_its_time_through_its_edit_form(
        input in valid_event(),
        (tz, fold) in select(vec![
            // the second 02:30 in Berlin, 01:30 in New York, 02:30 in Sydney
            (chrono_tz::Europe::Berlin, (2026, 10, 25, 1)),
            (chrono_tz::America::New_York, (2026, 11, 1, 6)),
            (chrono_tz::Australia::Sydney, (2027, 4, 3, 16)),
        ]),
        start_in_fold in any::<bool>(),
    ) {
        let (y, m, d, h) = fold;
        let fold = Utc.with_ymd_and_hms(y, m, d, h, 30, 0).unwrap();
        prop_assert!(second_of_repeated_hour(fold, tz));
        let mut input = input;
        input.timezone = tz;
        let length = input.ends_at - input.starts_at;
        if start_in_fold {
            input.starts_at = fold;
            input.ends_at = fold + length;
        } else {
            input.ends_at = fold;
            input.starts_at = fold - length;
        }
        let form = form_of(&edit_form_of(&input));
        let parsed = EventInput::parse(&form, form_now(), Some((input.starts_at, input.ends_at)), Locale::en);
        prop_assert_eq!(
            parsed.map(|e| (e.starts_at, e.ends_at)),
            Ok((input.starts_at, input.ends_at))
        );
    }
}

fn clock_like() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[ \\t]{0,2}([01]?[0-9]|2[0-3]):[0-5][0-9][ \\t]{0,2}",
        1 => "[ \\t]{0,2}[0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,2})?[ \\t]{0,2}",
        1 => "[ \\t]{0,3}",
        1 => messy(),
    ]
    .boxed()
}

proptest! {
    #[test]
    fn quiet_hours_parser_never_panics_and_gives_minutes_of_one_day(
        from in clock_like(),
        until in clock_like(),
        zone in prop_oneof![3 => zone().prop_map(|z| z.name().to_owned()), 1 => messy()],
    ) {
        match quiet_hours::parse(&from, &until, &zone, Locale::en) {
            Ok(Some(w)) => {
                prop_assert!(w.from < 1440 && w.until < 1440);
                prop_assert_eq!(w.zone.name(), zone.trim());
            }
            Ok(None) => prop_assert!(from.trim().is_empty() && until.trim().is_empty()),
            Err(e) => prop_assert!(matches!(e, AppError::Validation(_))),
        }
    }

    #[test]
    fn quiet_hours_read_back_what_the_preferences_page_shows(
        from in 0u32..1440,
        until in 0u32..1440,
        zone in zone(),
    ) {
        let shown = (quiet_hours::clock(from), quiet_hours::clock(until));
        prop_assert_eq!(
            quiet_hours::parse(&shown.0, &shown.1, zone.name(), Locale::en),
            Ok(Some(quiet_hours::Window { from, until, zone }))
        );
    }

    #[test]
    fn a_push_held_by_quiet_hours_waits_for_a_later_moment_within_a_day(
        from in 0u32..1440,
        until in 0u32..1440,
        zone in zone(),
        now in utc_range(2000, 2100),
    ) {
        let now = utc(now);
        // the repeated hour when clocks go back is tested below
        prop_assume!(!second_of_repeated_hour(now, zone));
        let window = quiet_hours::Window { from, until, zone };
        if let Some(t) = window.wait_until(now) {
            prop_assert!(t > now, "{window:?} at {now} waits until {t}");
            prop_assert!(t - now <= Duration::hours(26), "{window:?} at {now} waits until {t}");
        }
    }
}

proptest! {
    #[test]
    fn a_push_held_in_the_repeated_hour_waits_for_a_later_moment(
        (zone, fold) in select(vec![
            // the start of the second run of the repeated hour, in UTC, and its local hour
            (chrono_tz::Europe::Berlin, (2026, 10, 25, 1, 2)),
            (chrono_tz::America::New_York, (2026, 11, 1, 6, 1)),
            (chrono_tz::Australia::Sydney, (2027, 4, 3, 16, 2)),
        ]),
        minute in 0u32..60,
        from_back in 0u32..=120,
        until_ahead in 1u32..=180,
    ) {
        let (y, m, d, h, local_hour) = fold;
        let now = Utc.with_ymd_and_hms(y, m, d, h, minute, 0).unwrap();
        prop_assert!(second_of_repeated_hour(now, zone));
        let local = local_hour * 60 + minute;
        let window = quiet_hours::Window {
            from: local.saturating_sub(from_back),
            until: (local + until_ahead).min(1439),
            zone,
        };
        let t = window.wait_until(now);
        prop_assert!(t.is_some_and(|t| t > now), "{window:?} at {now} waits until {t:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Search URLs and filters
// ---------------------------------------------------------------------------------------------

const SEARCH_KEYS: &[&str] = &[
    "q", "cat", "category", "when", "from", "to", "price", "min", "max", "format", "near", "lat",
    "lng", "radius", "sort", "page", "tz", "x",
];

fn search_value() -> BoxedStrategy<String> {
    let slugs: Vec<&str> = [
        "music",
        "arts",
        "food-drink",
        "astrology",
        "today",
        "tomorrow",
        "weekend",
        "week",
        "custom",
        "free",
        "paid",
        "online",
        "in_person",
        "here",
        "home",
        "relevance",
        "soonest",
        "nearest",
        "quality",
        "Europe/Berlin",
        "NaN",
        "inf",
        "-0",
    ]
    .to_vec();
    prop_oneof![
        select(slugs).prop_map(String::from),
        "-?[0-9]{1,12}([.,][0-9]{0,8})?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        messy(),
    ]
    .boxed()
}

/// A raw query string: plausible pairs, percent escapes (valid, broken, or not UTF-8) and junk.
fn query_string() -> BoxedStrategy<String> {
    let pair =
        (select(SEARCH_KEYS.to_vec()), search_value(), any::<bool>()).prop_map(|(k, v, encode)| {
            if encode {
                format!("{k}={}", encode_component(&v))
            } else {
                format!("{k}={v}")
            }
        });
    prop_oneof![
        3 => vec(pair, 0..12).prop_map(|p| p.join("&")),
        1 => "[a-z=&%+0-9A-F\u{e9}]{0,60}",
        1 => chars(60),
    ]
    .boxed()
}

fn parse_query(query: &str) -> (SearchParams, Vec<SearchProblem>) {
    let pairs = url_pairs(query);
    SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Search state as the search page produces it: only combinations the URL can carry.
fn canonical_params() -> impl Strategy<Value = SearchParams> {
    let slugs: Vec<String> = Category::ALL.iter().map(|c| c.slug().to_owned()).collect();
    let four_places =
        |limit: i64| (-limit * 10_000..=limit * 10_000).prop_map(|n| n as f64 / 10_000.0);
    let date = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    (
        (
            prop_oneof![
                Just(String::new()),
                "\\PC{1,250}".prop_map(|q: String| q
                    .trim()
                    .chars()
                    .take(MAX_QUERY_CHARS)
                    .collect::<String>()
                    .trim()
                    .to_owned())
            ],
            subsequence(slugs.clone(), 0..=slugs.len()).prop_shuffle(),
            proptest::option::of(select(DatePreset::ALL.to_vec())),
            proptest::option::of(date),
            proptest::option::of(date),
        ),
        (
            proptest::option::of(select(PriceFilter::ALL.to_vec())),
            proptest::option::of(0.0f64..=100_000.0),
            proptest::option::of(0.0f64..=100_000.0),
            proptest::option::of(select(Format::ALL.to_vec())),
        ),
        (
            proptest::option::of(select(NearPoint::ALL.to_vec())),
            four_places(90),
            four_places(180),
            proptest::option::of(MIN_RADIUS_KM..=MAX_RADIUS_KM),
        ),
        (
            proptest::option::of(select(SortOrder::ALL.to_vec())),
            prop_oneof![Just(0u32), 2..=MAX_PAGE],
            proptest::option::of(
                "\\PC{1,30}"
                    .prop_map(|s: String| s.trim().to_owned())
                    .prop_filter("not blank", |s| !s.is_empty()),
            ),
        ),
    )
        .prop_map(
            |(
                (q, categories, when, from, to),
                (price, min, max, format),
                (near, lat, lng, radius),
                (sort, page, tz),
            )| {
                let custom = when == Some(DatePreset::Custom) || from.is_some() || to.is_some();
                let (min_price, max_price) = match (min, max) {
                    (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                    other => other,
                };
                let here = near == Some(NearPoint::Here);
                SearchParams {
                    q,
                    categories,
                    when: if custom {
                        Some(DatePreset::Custom)
                    } else {
                        when
                    },
                    from,
                    to,
                    price,
                    min_price,
                    max_price,
                    format,
                    near,
                    lat: here.then_some(lat),
                    lng: here.then_some(lng),
                    radius_km: near.and(radius),
                    sort,
                    page,
                    tz,
                }
            },
        )
}

proptest! {
    #[test]
    fn search_url_parser_never_panics_and_keeps_every_value_in_range(query in query_string()) {
        let (p, _) = parse_query(&query);
        prop_assert!(p.q.chars().count() <= MAX_QUERY_CHARS);
        prop_assert!(p.categories.iter().all(|c| Category::from_slug(c).is_some()));
        for (i, c) in p.categories.iter().enumerate() {
            prop_assert!(!p.categories[..i].contains(c), "{:?}", p.categories);
        }
        for date in [&p.from, &p.to].into_iter().flatten() {
            prop_assert!(date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-');
        }
        if p.from.is_some() || p.to.is_some() {
            prop_assert_eq!(p.when, Some(DatePreset::Custom));
        }
        for price in [p.min_price, p.max_price].into_iter().flatten() {
            prop_assert!(price.is_finite() && (0.0..=100_000.0).contains(&price));
        }
        if let (Some(min), Some(max)) = (p.min_price, p.max_price) {
            prop_assert!(min <= max);
        }
        prop_assert!(p.lat.is_none_or(|v| v.is_finite() && v.abs() <= 90.0));
        prop_assert!(p.lng.is_none_or(|v| v.is_finite() && v.abs() <= 180.0));
        if p.near == Some(NearPoint::Here) {
            prop_assert!(p.lat.is_some() && p.lng.is_some());
        }
        prop_assert!(p.radius_km.is_none_or(|r| (MIN_RADIUS_KM..=MAX_RADIUS_KM).contains(&r)));
        prop_assert!(p.page <= MAX_PAGE);
    }

    #[test]
    fn search_urls_the_page_writes_read_back_as_the_same_search(p in canonical_params()) {
        let query = p.to_query();
        prop_assert_eq!(parse_query(&query), (p, Vec::<SearchProblem>::new()), "{}", query);
    }

    #[test]
    fn any_search_becomes_a_url_that_reads_back_without_complaints(query in query_string()) {
        let (first, _) = parse_query(&query);
        let (second, problems) = parse_query(&first.to_query());
        prop_assert!(problems.is_empty(), "{:?} from {:?}", problems, first.to_query());
        let (third, problems) = parse_query(&second.to_query());
        prop_assert!(problems.is_empty());
        prop_assert_eq!(third, second);
    }

    #[test]
    fn url_decoding_reads_back_every_encoded_value(key in "[a-z]{1,5}", value in chars(60)) {
        prop_assert_eq!(
            url_pairs(&format!("?{key}={}", encode_component(&value))),
            vec![(key, value)]
        );
    }

    #[test]
    fn custom_date_ranges_never_panic_and_hold_both_of_their_days(
        from in prop_oneof![date_in(0, 9999).prop_map(|d| d.to_string()), "[0-9]{4}-[0-9]{2}-[0-9]{2}"],
        to in prop_oneof![date_in(0, 9999).prop_map(|d| d.to_string()), "[0-9]{4}-[0-9]{2}-[0-9]{2}"],
        open in 0usize..4,
        tz in zone(),
    ) {
        let from = (open & 1 == 0).then_some(from);
        let to = (open & 2 == 0).then_some(to);
        let window = custom_window(from.as_deref(), to.as_deref(), tz);
        if let Some(w) = window {
            prop_assert!(w.from < w.to);
        }
        let day = |s: &Option<String>| s.as_deref().map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d"));
        if let (Some(Ok(a)), Some(Ok(b))) = (day(&from), day(&to)) {
            if a <= b {
                let w = window.ok_or_else(|| TestCaseError::fail("a forward range was refused"))?;
                let noon = |d: NaiveDate| tz.from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap()).earliest().map(|t| t.timestamp());
                if let (Some(a), Some(b)) = (noon(a), noon(b)) {
                    prop_assert!(w.from <= a && b < w.to, "{w:?} misses {a} or {b}");
                }
            } else {
                prop_assert!(window.is_none());
            }
        }
    }

    #[test]
    fn every_date_preset_is_a_window_that_has_not_ended(
        preset in select(DatePreset::ALL.to_vec()),
        now in utc_range(1980, 2150),
        tz in zone(),
    ) {
        if let Some(w) = preset_window(preset, utc(now), tz) {
            prop_assert!(w.from < w.to, "{preset:?} at {now} in {tz}: {w:?}");
            prop_assert!(w.from >= now && w.to > now);
        }
    }

    #[test]
    fn search_words_sent_to_meilisearch_are_plain_words_at_most_ten(text in chars(300)) {
        let words = query_words(&text);
        prop_assert!(words.split(' ').count() <= MAX_QUERY_WORDS);
        prop_assert!(words.chars().all(|c| c.is_alphanumeric() || c == ' '));
        prop_assert!(!words.starts_with(' ') && !words.ends_with(' ') && !words.contains("  "));
    }
}

fn date_in(from_year: i32, to_year: i32) -> impl Strategy<Value = NaiveDate> {
    (from_year..=to_year, 1u32..=366)
        .prop_filter_map("a day of the year", |(y, d)| NaiveDate::from_yo_opt(y, d))
}

// ---------------------------------------------------------------------------------------------
// 5. Markdown descriptions
// ---------------------------------------------------------------------------------------------

type Tag = (String, Vec<(String, String)>);

/// The start tags of serialized HTML with their attributes, values unescaped.
fn start_tags(html: &str) -> Vec<Tag> {
    let c: Vec<char> = html.chars().collect();
    let word = |from: usize, stop: &dyn Fn(char) -> bool| {
        let mut i = from;
        while i < c.len() && !stop(c[i]) {
            i += 1;
        }
        (
            c[from..i].iter().collect::<String>().to_ascii_lowercase(),
            i,
        )
    };
    let mut tags = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '<' || !c.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let (name, mut j) = word(i + 1, &|ch| ch.is_whitespace() || ch == '>' || ch == '/');
        let mut attributes = Vec::new();
        loop {
            while j < c.len() && (c[j].is_whitespace() || c[j] == '/') {
                j += 1;
            }
            if j >= c.len() || c[j] == '>' {
                break;
            }
            let (attribute, k) = word(j, &|ch| {
                ch.is_whitespace() || ch == '=' || ch == '>' || ch == '/'
            });
            j = k.max(j + 1);
            let mut value = String::new();
            if j < c.len() && c[j] == '=' {
                j += 1;
                if j < c.len() && (c[j] == '"' || c[j] == '\'') {
                    let quote = c[j];
                    let start = j + 1;
                    j = start;
                    while j < c.len() && c[j] != quote {
                        j += 1;
                    }
                    value = c[start..j.min(c.len())].iter().collect();
                    j += 1;
                } else {
                    let start = j;
                    while j < c.len() && !c[j].is_whitespace() && c[j] != '>' {
                        j += 1;
                    }
                    value = c[start..j].iter().collect();
                }
            }
            attributes.push((attribute, unescape(&value)));
        }
        tags.push((name, attributes));
        i = j;
    }
    tags
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 12).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme a browser would see in a link: C0 controls and spaces around it trimmed, tabs and
/// newlines inside removed. `None` for a relative link.
fn scheme_of(link: &str) -> Option<String> {
    let cleaned: String = link
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme = &cleaned[..cleaned.find(':')?];
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

const BANNED_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "form", "input", "button", "textarea", "select", "base", "meta", "link", "noscript",
    "template",
];
const LINK_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "longdesc",
    "srcset",
];

/// Everything a description may not carry, checked on the rendered HTML.
fn assert_safe(markdown: &str, html: &str) -> Result<(), TestCaseError> {
    let lower = html.to_lowercase();
    for banned in [
        "<script", "</script", "<iframe", "<svg", "<style", "<object", "<embed",
    ] {
        prop_assert!(!lower.contains(banned), "{markdown:?} rendered as {html:?}");
    }
    for (name, attributes) in start_tags(html) {
        prop_assert!(
            !BANNED_TAGS.contains(&name.as_str()),
            "<{name}> in {html:?} from {markdown:?}"
        );
        for (attribute, value) in &attributes {
            prop_assert!(
                !attribute.starts_with("on")
                    && !matches!(attribute.as_str(), "style" | "srcdoc" | "formaction"),
                "{attribute}= in {html:?} from {markdown:?}"
            );
            if LINK_ATTRIBUTES.contains(&attribute.as_str()) {
                if let Some(scheme) = scheme_of(value) {
                    prop_assert!(
                        matches!(scheme.as_str(), "http" | "https" | "mailto"),
                        "{attribute}={value:?} in {html:?} from {markdown:?}"
                    );
                }
            }
        }
        if name == "a" && attributes.iter().any(|(a, _)| a == "href") {
            prop_assert!(
                attributes
                    .iter()
                    .any(|(a, v)| a == "rel" && v.contains("noopener") && v.contains("nofollow")),
                "a link without rel: {html:?} from {markdown:?}"
            );
        }
    }
    Ok(())
}

fn hostile_markdown() -> BoxedStrategy<String> {
    let fragments =
        vec![
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\"/onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\" \tjavascript:alert(1)\">x</a>",
        "<a/href=javascript:alert(1)>x</a>",
        "<a href=vbscript:msgbox(1)>x</a>",
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](javascript&colon;alert(1))",
        "[click](<javascript:alert(1)>)",
        "[x]: javascript:alert(1)\n\n[x]\n",
        "![x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "<svg onload=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<details open ontoggle=alert(1)>",
        "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
        "<body onload=alert(1)>",
        "<x onclick=alert(1)>",
        "<base href=\"javascript:/\">",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<object data=javascript:alert(1)>",
        "<a href=\"https://ok.example\">ok</a>",
        "<https://ok.example/a?b=c&d=e>",
        "<mailto:a@b.example>",
        "[ok](https://ok.example \"title\")",
        "`<script>`",
        "```\n<script>alert(1)</script>\n```\n",
        "<!-- <script> -->",
        "<![CDATA[<script>]]>",
        "| a | <script> |\n|---|---|\n| [x](javascript:alert(1)) | b |\n",
        "- [ ] <img src=x onerror=alert(1)>\n",
        "~~<s onmouseover=alert(1)>~~",
        "\"", "'", "<", ">", "&", "\n", "\n\n", " ", "*", "_", "[", "]", "(", ")", "=", ":", "/",
        "on", "error", "javascript", "script", "&#", "&#x", ";", "\u{0}", "\u{2028}", "\t",
    ];
    vec(
        prop_oneof![
            4 => select(fragments).prop_map(String::from),
            1 => chars(12),
        ],
        0..30,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

/// The checker above would notice what it looks for.
#[test]
fn the_html_checker_catches_scripts_handlers_and_script_links() {
    for bad in [
        "<script>x</script>",
        "<p><img src=x onerror=alert(1)></p>",
        "<p style=\"color:red\">x</p>",
        "<a href=\"java&#x09;script:alert(1)\" rel=\"noopener nofollow\">x</a>",
        "<a href=' JAVASCRIPT:alert(1)' rel=\"noopener nofollow\">x</a>",
        "<img src=\"data:image/svg+xml,x\">",
        "<a href=\"https://ok.example\">no rel</a>",
        "<svg><g></g></svg>",
    ] {
        assert!(assert_safe("", bad).is_err(), "{bad}");
    }
    for good in [
        "<p>&lt;script&gt; and javascript: and onerror= as text</p>",
        "<a href=\"https://ok.example/a:b\" rel=\"noopener noreferrer nofollow ugc\">x</a>",
        "<a href=\"/relative:path\" rel=\"noopener noreferrer nofollow ugc\">x</a>",
        "<img src=\"https://ok.example/x.png\" alt=\"x\">",
    ] {
        assert!(assert_safe("", good).is_ok(), "{good}");
    }
}

proptest! {
    #[test]
    fn rendered_descriptions_carry_no_scripts_handlers_or_script_links(markdown in hostile_markdown()) {
        let html = markdown::render(&markdown);
        assert_safe(&markdown, &html)?;
    }

    #[test]
    fn any_text_renders_without_panicking_into_safe_html(markdown in chars(400)) {
        let html = markdown::render(&markdown);
        assert_safe(&markdown, &html)?;
    }

    #[test]
    fn web_links_in_descriptions_survive_rendering(host in "[a-z]{1,12}", path in "[a-z0-9/]{0,12}") {
        let url = format!("https://{host}.example/{path}");
        let html = markdown::render(&format!("[link]({url})"));
        let tags = start_tags(&html);
        prop_assert!(tags.iter().any(|(name, attributes)| name == "a"
            && attributes.iter().any(|(a, v)| a == "href" && *v == url)), "{}", html);
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Stripe webhooks: signatures and payloads
// ---------------------------------------------------------------------------------------------

/// Webhook secrets as configured (`whsec_…`, or anything without NUL: HMAC pads short keys with
/// zero bytes, so a secret and the same secret with trailing NULs are one key).
fn secret() -> BoxedStrategy<String> {
    prop_oneof!["whsec_[A-Za-z0-9]{24,40}", "\\PC{0,70}"].boxed()
}

fn body() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..400),
        "\\{\"id\":\"evt_[a-z0-9]{8}\",\"type\":\"checkout\\.session\\.[a-z]{4,9}\"\\}"
            .prop_map(String::into_bytes),
    ]
    .boxed()
}

/// Signing times: the last fifty years to the next fifty.
fn signed_at() -> std::ops::Range<i64> {
    utc_range(1976, 2075)
}

fn header_like() -> BoxedStrategy<String> {
    prop_oneof![
        chars(120),
        "t=-?[0-9]{0,25},v1=[0-9a-fA-F]{0,70}(,v0=[0-9a-f]{0,8})?(,v1=[0-9a-fA-Fxyz]{0,66})?",
        "[ tv10=,a-f]{0,40}",
        vec("[a-z0-9]{0,3}=?[0-9a-f]{0,66}", 0..6).prop_map(|p| p.join(",")),
    ]
    .boxed()
}

proptest! {
    #[test]
    fn a_signed_body_verifies_within_five_minutes(
        secret in secret(),
        body in body(),
        t in signed_at(),
        skew in -TOLERANCE_SECS..=TOLERANCE_SECS,
    ) {
        let header = webhooks::sign(&secret, &body, t);
        prop_assert_eq!(webhooks::verify(&secret, Some(&header), &body, utc(t + skew)), Ok(()));
    }

    #[test]
    fn any_single_byte_change_of_the_body_is_refused(
        secret in secret(),
        body in body().prop_filter("not empty", |b| !b.is_empty()),
        at in any::<Index>(),
        change in 1u8..=255,
        t in signed_at(),
    ) {
        let header = webhooks::sign(&secret, &body, t);
        let mut altered = body.clone();
        let i = at.index(altered.len());
        altered[i] = altered[i].wrapping_add(change);
        prop_assert_eq!(
            webhooks::verify(&secret, Some(&header), &altered, utc(t)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_body_with_a_byte_added_or_removed_is_refused(
        secret in secret(),
        body in body().prop_filter("not empty", |b| !b.is_empty()),
        at in any::<Index>(),
        byte in any::<u8>(),
        add in any::<bool>(),
        t in signed_at(),
    ) {
        let header = webhooks::sign(&secret, &body, t);
        let mut altered = body.clone();
        if add {
            altered.insert(at.index(altered.len() + 1), byte);
        } else {
            altered.remove(at.index(altered.len()));
        }
        prop_assert_eq!(
            webhooks::verify(&secret, Some(&header), &altered, utc(t)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_signature_made_with_another_secret_is_refused(
        secret in secret(),
        other in secret(),
        body in body(),
        t in signed_at(),
    ) {
        prop_assume!(secret != other);
        let header = webhooks::sign(&other, &body, t);
        prop_assert_eq!(
            webhooks::verify(&secret, Some(&header), &body, utc(t)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_signature_moved_to_another_time_is_refused(
        secret in secret(),
        body in body(),
        t in signed_at(),
        shift in prop_oneof![-TOLERANCE_SECS..0, 1..=TOLERANCE_SECS, -1_000_000_000i64..1_000_000_000],
    ) {
        prop_assume!(shift != 0);
        let header = webhooks::sign(&secret, &body, t);
        let signature = header.split_once(",v1=").unwrap().1;
        let moved = format!("t={},v1={signature}", t + shift);
        prop_assert_eq!(
            webhooks::verify(&secret, Some(&moved), &body, utc(t + shift)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn signatures_older_or_newer_than_five_minutes_are_refused(
        secret in secret(),
        body in body(),
        t in signed_at(),
        skew in prop_oneof![(TOLERANCE_SECS + 1)..1_000_000_000, -1_000_000_000..-TOLERANCE_SECS],
    ) {
        let header = webhooks::sign(&secret, &body, t);
        prop_assert_eq!(
            webhooks::verify(&secret, Some(&header), &body, utc(t + skew)),
            Err(WebhookError::Stale)
        );
    }

    #[test]
    fn signature_headers_nobody_signed_never_panic_and_are_refused(
        secret in secret(),
        header in proptest::option::of(header_like()),
        body in body(),
        now in signed_at(),
    ) {
        let result = webhooks::verify(&secret, header.as_deref(), &body, utc(now));
        prop_assert!(result.is_err());
        if header.is_none() {
            prop_assert_eq!(result, Err(WebhookError::MissingSignature));
        }
    }

    #[test]
    fn a_signature_among_others_in_the_header_still_verifies(
        secret in secret(),
        body in body(),
        t in signed_at(),
        others in vec("[0-9a-f]{64}", 0..3),
        before in any::<bool>(),
    ) {
        let header = webhooks::sign(&secret, &body, t);
        let others: String = others.iter().map(|o| format!(",v1={o}")).collect();
        let header = if before {
            let (stamp, signature) = header.split_once(',').unwrap();
            format!("{stamp}{others},{signature}")
        } else {
            format!("{header}{others},v0=00")
        };
        prop_assert_eq!(webhooks::verify(&secret, Some(&header), &body, utc(t)), Ok(()));
    }
}

proptest! {
    #[test]
    fn a_signed_header_with_any_timestamp_is_judged_without_panicking(
        secret in secret(),
        body in body(),
        t in prop_oneof![Just(i64::MIN), Just(i64::MIN + 1), Just(i64::MAX), any::<i64>()],
        now in -8_000_000_000_000i64..8_000_000_000_000,
    ) {
        let header = webhooks::sign(&secret, &body, t);
        let verdict = std::panic::catch_unwind(|| webhooks::verify(&secret, Some(&header), &body, utc(now)));
        let verdict = verdict.map_err(|_| TestCaseError::fail(format!("panicked for t={t} at {now}")))?;
        if (i128::from(now) - i128::from(t)).abs() > i128::from(TOLERANCE_SECS) {
            prop_assert_eq!(verdict, Err(WebhookError::Stale));
        } else {
            prop_assert_eq!(verdict, Ok(()));
        }
    }
}

/// A session object whose known fields are mostly of the right type, sometimes of any other.
fn session_like() -> BoxedStrategy<Value> {
    fn any_value() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(Value::from("")),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
            "\\PC{0,8}".prop_map(Value::from),
        ]
        .boxed()
    }
    fn text() -> BoxedStrategy<Value> {
        prop_oneof![4 => "\\PC{1,12}".prop_map(Value::from), 1 => any_value()].boxed()
    }
    let amount = prop_oneof![4 => any::<i64>().prop_map(Value::from), 1 => any_value()];
    let field = |v: BoxedStrategy<Value>| proptest::option::weighted(0.9, v);
    (
        field(text()),
        field(text()),
        field(amount.boxed()),
        field(text()),
        field(any_value()),
    )
        .prop_map(|(id, intent, amount, currency, livemode)| {
            let mut session = serde_json::Map::new();
            for (key, value) in [
                ("id", id),
                ("payment_intent", intent),
                ("amount_total", amount),
                ("currency", currency),
                ("livemode", livemode),
            ] {
                if let Some(value) = value {
                    session.insert(key.to_owned(), value);
                }
            }
            Value::Object(session)
        })
        .boxed()
}

fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        select(vec![
            "id",
            "payment_intent",
            "amount_total",
            "currency",
            "livemode",
            "object",
            "metadata",
        ])
        .prop_map(String::from),
        "\\PC{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("")),
    ];
    leaf.prop_recursive(3, 40, 8, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn checkout_sessions_of_any_shape_are_read_or_refused_without_panicking(
        session in prop_oneof![json(), session_like()],
    ) {
        let nonempty = |key: &str| session[key].as_str().is_some_and(|s| !s.is_empty());
        match Payment::of(&session) {
            Ok(payment) => {
                prop_assert!(!payment.session_id.is_empty());
                prop_assert!(!payment.currency.is_empty());
                prop_assert_eq!(payment.currency.to_ascii_lowercase(), payment.currency.clone());
                prop_assert_eq!(Some(payment.amount), session["amount_total"].as_i64());
                prop_assert!(payment.intent.as_ref().is_none_or(|i| !i.is_empty()));
            }
            Err(e) => {
                prop_assert!(matches!(e, WebhookError::Payload(_)));
                prop_assert!(!(nonempty("id") && nonempty("currency") && session["amount_total"].is_i64()));
            }
        }
    }

    #[test]
    fn checkout_sessions_read_back_as_the_payment_they_describe(
        id in "cs_(test|live)_[A-Za-z0-9]{1,40}",
        intent in proptest::option::of("pi_[A-Za-z0-9]{1,30}"),
        amount in any::<i64>(),
        currency in "[a-zA-Z]{3}",
        livemode in proptest::option::of(any::<bool>()),
    ) {
        let session = json!({
            "id": id,
            "object": "checkout.session",
            "payment_intent": intent,
            "amount_total": amount,
            "currency": currency,
            "livemode": livemode,
        });
        let payment = Payment::of(&session).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(payment.session_id, id);
        prop_assert_eq!(payment.intent, intent);
        prop_assert_eq!(payment.amount, amount);
        prop_assert_eq!(payment.currency, currency.to_ascii_lowercase());
        prop_assert_eq!(payment.livemode, livemode.unwrap_or(false));
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The client's address behind reverse proxies
// ---------------------------------------------------------------------------------------------

fn ip() -> BoxedStrategy<IpAddr> {
    prop_oneof![
        any::<Ipv4Addr>().prop_map(IpAddr::V4),
        any::<Ipv6Addr>().prop_map(IpAddr::V6),
        any::<Ipv4Addr>().prop_map(|v4| IpAddr::V6(v4.to_ipv6_mapped())),
        select(vec![
            "10.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "127.0.0.1",
            "::1",
            "fd00::1",
            "203.0.113.9",
            "2001:db8::1",
            "::ffff:10.0.0.7",
        ])
        .prop_map(|s| s.parse().unwrap()),
    ]
    .boxed()
}

fn trusted_nets() -> BoxedStrategy<Vec<IpNet>> {
    vec(
        prop_oneof![
            select(vec![
                "10.0.0.0/8",
                "192.168.0.0/16",
                "127.0.0.1/32",
                "::1/128",
                "fd00::/8",
                "2001:db8::/32",
            ])
            .prop_map(|s| s.parse::<IpNet>().unwrap()),
            (any::<Ipv4Addr>(), 0u8..=32)
                .prop_map(|(a, p)| IpNet::V4(Ipv4Net::new(a, p).unwrap().trunc())),
            (any::<Ipv6Addr>(), 0u8..=128)
                .prop_map(|(a, p)| IpNet::V6(Ipv6Net::new(a, p).unwrap().trunc())),
        ],
        0..4,
    )
    .boxed()
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn trusts(nets: &[IpNet], ip: IpAddr) -> bool {
    nets.iter().any(|n| n.contains(&ip))
}

/// Header values a client may send: any bytes a header can hold (visible ASCII, tab, obs-text).
fn header_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        vec(
            prop_oneof![Just(b'\t'), 0x20u8..=0x7e, 0x80u8..=0xff],
            0..80
        ),
        "[0-9a-f.:,; \\[\\]\"=_A-Za-z]{0,60}".prop_map(String::into_bytes),
    ]
    .boxed()
}

/// One hop as a proxy writes it: an address in one of its spellings, or a hop naming none.
#[derive(Debug, Clone)]
struct Hop {
    ip: Option<IpAddr>,
    spelling: usize,
}

fn hop() -> BoxedStrategy<Hop> {
    prop_oneof![
        4 => (ip(), 0usize..4).prop_map(|(ip, spelling)| Hop { ip: Some(ip), spelling }),
        1 => (0usize..4).prop_map(|spelling| Hop { ip: None, spelling }),
    ]
    .boxed()
}

impl Hop {
    fn node(&self) -> String {
        match (self.ip, self.spelling) {
            (None, 0) => "unknown".into(),
            (None, 1) => "_hidden".into(),
            (None, 2) => "\"_gateway\"".into(),
            (None, _) => "not-an-address".into(),
            (Some(IpAddr::V4(v4)), 0 | 1) => v4.to_string(),
            (Some(IpAddr::V4(v4)), 2) => format!("{v4}:8080"),
            (Some(IpAddr::V4(v4)), _) => format!("\"{v4}:443\""),
            (Some(IpAddr::V6(v6)), 0) => v6.to_string(),
            (Some(IpAddr::V6(v6)), 1) => format!("\"[{v6}]\""),
            (Some(IpAddr::V6(v6)), 2) => format!("[{v6}]:8080"),
            (Some(IpAddr::V6(v6)), _) => format!("\"[{v6}]:4711\""),
        }
    }

    fn forwarded(&self) -> String {
        let name = ["for", "For", "FOR", "for"][self.spelling];
        let node = self.node();
        let node = if node.contains(':') && !node.starts_with('"') {
            format!("\"{node}\"")
        } else {
            node
        };
        match self.spelling {
            1 => format!("proto=https;{name}={node}"),
            2 => format!("{name}={node};by=10.0.0.1"),
            _ => format!("{name}={node}"),
        }
    }
}

fn header_map(lines: &[(&str, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in lines {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(value).unwrap(),
        );
    }
    map
}

/// What `client`'s documentation says: from the nearest hop back, the first address no trusted
/// proxy stands for; a hop naming no address stops the walk at the last trusted proxy.
fn expected_client(peer: IpAddr, chain: &[Hop], nets: &[IpNet]) -> IpAddr {
    let peer = canonical(peer);
    if !trusts(nets, peer) {
        return peer;
    }
    let mut client = peer;
    for hop in chain.iter().rev() {
        match hop.ip {
            Some(ip) => {
                client = canonical(ip);
                if !trusts(nets, client) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

proptest! {
    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored(
        peer in ip(),
        nets in trusted_nets(),
        lines in vec((select(vec!["forwarded", "x-forwarded-for", "x-real-ip", "Forwarded", "X-FORWARDED-FOR"]), header_bytes()), 0..4),
    ) {
        prop_assume!(!trusts(&nets, canonical(peer)));
        let headers = header_map(&lines);
        prop_assert_eq!(ClientAddress::resolve(peer, &headers, &nets), ClientAddress(canonical(peer)));
    }

    #[test]
    fn any_forwarding_header_resolves_to_the_peer_or_an_address_it_names(
        peer in ip(),
        nets in trusted_nets(),
        lines in vec((select(vec!["forwarded", "x-forwarded-for"]), header_bytes()), 0..4),
    ) {
        let headers = header_map(&lines);
        let ClientAddress(client) = ClientAddress::resolve(peer, &headers, &nets);
        if client != canonical(peer) {
            prop_assert!(trusts(&nets, canonical(peer)));
            let named = lines.iter().any(|(_, v)| {
                String::from_utf8_lossy(v)
                    .split([',', ';', '=', ' ', '\t', '"', '[', ']'])
                    .flat_map(|token| [Some(token), token.rsplit_once(':').map(|(ip, _)| ip)])
                    .flatten()
                    .filter_map(|token| token.parse::<IpAddr>().ok())
                    .any(|ip| canonical(ip) == client)
            });
            prop_assert!(named, "{client} is in none of {lines:?}");
        }
    }

    #[test]
    fn x_forwarded_for_resolves_to_the_first_untrusted_hop_from_the_proxy_back(
        peer in ip(),
        nets in trusted_nets(),
        chain in vec(hop(), 1..6),
        split in any::<Index>(),
    ) {
        // the chain may arrive in one header line or two
        let nodes: Vec<String> = chain.iter().map(Hop::node).collect();
        let at = split.index(nodes.len() + 1);
        let lines: Vec<(&str, Vec<u8>)> = [&nodes[..at], &nodes[at..]]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| ("x-forwarded-for", part.join(", ").into_bytes()))
            .collect();
        prop_assert_eq!(
            ClientAddress::resolve(peer, &header_map(&lines), &nets).0,
            expected_client(peer, &chain, &nets),
            "{:?}", nodes
        );
    }

    #[test]
    fn forwarded_resolves_to_the_first_untrusted_hop_from_the_proxy_back(
        peer in ip(),
        nets in trusted_nets(),
        chain in vec(hop(), 1..6),
        split in any::<Index>(),
    ) {
        let elements: Vec<String> = chain.iter().map(Hop::forwarded).collect();
        let at = split.index(elements.len() + 1);
        let lines: Vec<(&str, Vec<u8>)> = [&elements[..at], &elements[at..]]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| ("forwarded", part.join(", ").into_bytes()))
            .collect();
        prop_assert_eq!(
            ClientAddress::resolve(peer, &header_map(&lines), &nets).0,
            expected_client(peer, &chain, &nets),
            "{:?}", elements
        );
    }

    #[test]
    fn whatever_a_client_writes_before_the_proxys_hop_it_cannot_choose_its_address(
        claimed in "[\\x20-\\x7e\\t]{0,80}",
        real in ip(),
        proxies in vec((0u8..=255, 0u8..=255, 1u8..=254), 0..3),
        forwarded in any::<bool>(),
        same_line in any::<bool>(),
    ) {
        let nets: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        prop_assume!(!trusts(&nets, canonical(real)));
        let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let hops: Vec<IpAddr> = std::iter::once(real)
            .chain(proxies.iter().map(|&(b, c, d)| IpAddr::V4(Ipv4Addr::new(10, b, c, d))))
            .collect();
        let (name, appended) = if forwarded {
            ("forwarded", hops.iter().map(|ip| match ip {
                IpAddr::V4(_) => format!("for={ip}"),
                IpAddr::V6(_) => format!("for=\"[{ip}]\""),
            }).collect::<Vec<_>>().join(", "))
        } else {
            ("x-forwarded-for", hops.iter().map(IpAddr::to_string).collect::<Vec<_>>().join(", "))
        };
        let lines = if same_line {
            vec![(name, format!("{claimed}, {appended}").into_bytes())]
        } else {
            vec![(name, claimed.into_bytes()), (name, appended.into_bytes())]
        };
        prop_assert_eq!(ClientAddress::resolve(peer, &header_map(&lines), &nets).0, canonical(real));
    }
}

proptest! {
    #[test]
    fn a_client_sent_forwarded_header_cannot_override_the_proxys_x_forwarded_for(
        claimed in any::<Ipv4Addr>(),
        real in any::<Ipv4Addr>(),
    ) {
        let nets: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        prop_assume!(claimed != real && !trusts(&nets, IpAddr::V4(real)));
        let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let headers = header_map(&[
            ("forwarded", format!("for={claimed}").into_bytes()),
            ("x-forwarded-for", real.to_string().into_bytes()),
        ]);
        prop_assert_eq!(ClientAddress::resolve(peer, &headers, &nets).0, IpAddr::V4(real));
    }

    #[test]
    fn a_client_cannot_hide_behind_its_proxy_with_bytes_that_are_not_ascii(
        claimed in vec(prop_oneof![0x20u8..=0x7e, 0x80u8..=0xff], 0..20)
            .prop_filter("not ASCII", |b| b.iter().any(|&c| c >= 0x80)),
        real in any::<Ipv4Addr>(),
    ) {
        let nets: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        prop_assume!(!trusts(&nets, IpAddr::V4(real)));
        let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let mut line = claimed;
        line.extend_from_slice(format!(", {real}").as_bytes());
        let headers = header_map(&[("x-forwarded-for", line)]);
        prop_assert_eq!(ClientAddress::resolve(peer, &headers, &nets).0, IpAddr::V4(real));
    }
}

// ---------------------------------------------------------------------------------------------
// Other outside input: accounts, redirects, unsubscribe links, uploads, the mail directory,
// feed cursors, curator decisions, display prices, closed vocabularies
// ---------------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn email_normalizer_gives_lower_case_addresses_it_accepts_again(raw in prop_oneof![messy(), "[ \\t]{0,2}[A-Za-z0-9._%+\u{e9}-]{0,12}@{0,2}[A-Za-z0-9.-]{0,12}[ \\t]{0,2}"]) {
        if let Ok(email) = normalize_email(&raw) {
            prop_assert_eq!(email.to_lowercase(), email.clone());
            prop_assert!(email.len() <= 254);
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert!(!email.chars().any(char::is_whitespace));
            prop_assert_eq!(normalize_email(&email), Ok(email));
        }
    }

    #[test]
    fn email_normalizer_reads_plain_addresses_in_any_case(
        local in "[A-Za-z0-9._+-]{1,20}",
        domain in "[A-Za-z0-9-]{1,20}\\.[A-Za-z]{2,6}",
        (before, after) in padding(),
    ) {
        prop_assert_eq!(
            normalize_email(&format!("{before}{local}@{domain}{after}")),
            Ok(format!("{local}@{domain}").to_lowercase())
        );
    }

    #[test]
    fn display_names_are_trimmed_and_at_most_sixty_characters(raw in prop_oneof![messy(), "\\PC{0,70}"]) {
        if let Ok(name) = check_display_name(&raw, Locale::en) {
            prop_assert_eq!(name.as_str(), raw.trim());
            prop_assert!((1..=60).contains(&name.chars().count()));
        }
    }

    #[test]
    fn sign_in_redirects_never_leave_the_site(
        next in prop_oneof![
            chars(40),
            "/[\\x21-\\x7e]{0,30}",
            "[/\\\\]{1,3}[\\x09\\x0a\\x20]?[a-z.]{0,12}(/[a-z]{0,5})?",
            select(vec![
                "//evil.example", "/\\evil.example", "/%2F/evil.example", "/\t/evil.example",
                "/ /evil.example", "/..//evil.example", "/.//evil.example", "https://evil.example",
                "/\\/evil.example", "/;//evil.example", "/@evil.example", "/:evil.example",
                "\\\\evil.example", "javascript:alert(1)", "/javascript:alert(1)",
            ]).prop_map(String::from),
        ],
    ) {
        if is_local_path(&next) {
            let base = url::Url::parse("https://lineup.example/sign-in?x=1").unwrap();
            let target = base.join(&next).map_err(|e| TestCaseError::fail(format!("{next:?}: {e}")))?;
            prop_assert_eq!(target.scheme(), "https");
            prop_assert_eq!(target.host_str(), Some("lineup.example"), "{:?} leads to {}", next, target);
            prop_assert_eq!(target.port(), None);
        }
    }

    #[test]
    fn unsubscribe_links_verify_for_their_person_and_kind_only(
        key in vec(any::<u8>(), 1..64),
        other_key in vec(any::<u8>(), 1..64),
        user in any::<i32>(),
        kind in select(Kind::ALL.to_vec()),
    ) {
        let token = unsubscribe::token(&key, user, kind);
        let expected = kind.switchable().then_some((user, kind));
        prop_assert_eq!(unsubscribe::verify(&key, &token), expected);
        prop_assert_eq!(unsubscribe::verify(&key, &format!(" {token}\n")), expected);
        // HMAC pads short keys with zeros: only keys that differ after that are other keys
        let padded = |k: &[u8]| { let mut k = k.to_vec(); while k.last() == Some(&0) { k.pop(); } k };
        if padded(&key) != padded(&other_key) {
            prop_assert_eq!(unsubscribe::verify(&other_key, &token), None);
        }
    }

    #[test]
    fn an_altered_unsubscribe_link_never_names_someone_else(
        key in vec(any::<u8>(), 1..64),
        user in any::<i32>(),
        kind in select(Kind::ALL.to_vec()),
        at in any::<Index>(),
        replacement in any::<char>(),
    ) {
        let token = unsubscribe::token(&key, user, kind);
        let mut altered: Vec<char> = token.chars().collect();
        let i = at.index(altered.len());
        altered[i] = replacement;
        let altered: String = altered.into_iter().collect();
        let verdict = unsubscribe::verify(&key, &altered);
        prop_assert!(verdict.is_none() || verdict == Some((user, kind)), "{altered:?} gave {verdict:?}");
    }

    #[test]
    fn forged_unsubscribe_links_are_refused(key in vec(any::<u8>(), 1..64), token in prop_oneof![chars(100), "-?[0-9]{1,11}\\.[a-z_]{3,25}\\.[0-9a-f]{0,66}"]) {
        prop_assert_eq!(unsubscribe::verify(&key, &token), None);
    }

    #[test]
    fn uploads_of_any_bytes_are_read_or_refused_without_panicking(
        magic in select(vec![
            &b""[..],
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
            &[0xFF, 0xD8, 0xFF][..],
            &b"RIFF\0\0\0\0WEBPVP8 "[..],
            &b"RIFF\0\0\0\0WEBPVP8L"[..],
            &b"RIFF\0\0\0\0WEBPVP8X"[..],
            &b"GIF89a"[..],
            &b"GIF87a"[..],
        ]),
        rest in vec(any::<u8>(), 0..200),
        too_large in any::<bool>(),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(rest);
        let file = UploadedFile { field: "cover".into(), file_name: "x".into(), bytes, too_large };
        if let Ok(image) = images::prepare(&file, Locale::en) {
            let original = &image.original;
            prop_assert!(!too_large);
            prop_assert!((1..=12_000).contains(&original.width) && (1..=12_000).contains(&original.height));
            prop_assert_eq!(images::content_type_for_key(&original.key), Some(original.content_type));
            prop_assert!(!image.variants.is_empty());
        }
    }

    #[test]
    fn png_uploads_are_refused_for_their_size_exactly_when_a_side_is_not_1_to_12000_pixels(
        width in prop_oneof![0u32..=13_000, any::<u32>()],
        height in prop_oneof![0u32..=13_000, any::<u32>()],
        tail in vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        bytes.extend_from_slice(b"IHDR");
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend(tail);
        let file = UploadedFile { field: "cover".into(), file_name: "x.png".into(), bytes, too_large: false };
        let fits = (1..=12_000).contains(&width) && (1..=12_000).contains(&height);
        // the header alone decides the size check; the pixels (absent here) are read after it
        match images::prepare(&file, Locale::en) {
            Ok(image) => {
                prop_assert!(fits);
                prop_assert_eq!((image.original.width, image.original.height), (width, height));
            }
            Err(e) if fits => prop_assert!(!e.contains("12,000"), "{}", e),
            Err(e) => prop_assert!(e.contains("12,000"), "{}", e),
        }
    }

    #[test]
    fn media_keys_name_only_hash_named_images(key in prop_oneof![
        chars(80),
        "[0-9a-fA-F./\\\\]{60,70}\\.(png|jpg|webp|gif|svg|PNG)",
        "\\.\\./[a-z/.]{0,20}",
    ]) {
        if let Some(content_type) = images::content_type_for_key(&key) {
            let (hash, ext) = key.split_once('.').unwrap();
            prop_assert_eq!(hash.len(), 64);
            prop_assert!(hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            prop_assert!(matches!(ext, "png" | "jpg" | "webp" | "gif"));
            prop_assert!(content_type.starts_with("image/"));
        }
    }

    #[test]
    fn feed_cursors_read_back_as_themselves(at_micros in any::<i64>(), key in chars(40)) {
        let cursor = Cursor { at_micros, key };
        prop_assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
    }

    #[test]
    fn feed_cursor_parser_never_panics(raw in prop_oneof![chars(60), "-?[0-9]{0,25}~\\PC{0,10}"]) {
        if let Some(cursor) = Cursor::parse(&raw) {
            prop_assert_eq!(cursor.encode().split_once('~').map(|(_, k)| k.to_owned()), Some(cursor.key.clone()));
        }
    }

    #[test]
    fn curator_decisions_carry_a_note_of_5_to_2000_characters_and_a_reason_for_rejections(
        decision in prop_oneof![select(Decision::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>()).prop_map(String::from), messy()],
        reason in proptest::option::of(prop_oneof![select(RejectReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()).prop_map(String::from), messy()]),
        note in prop_oneof!["\\PC{0,12}", messy(), "\\PC{1990,2010}"],
    ) {
        if let Ok(input) = DecisionInput::parse(&decision, reason.as_deref(), &note, Locale::en) {
            prop_assert!((5..=2000).contains(&input.note.chars().count()));
            prop_assert_eq!(input.note.as_str(), note.trim());
            prop_assert_eq!(input.reason.is_some(), input.decision == Decision::Reject);
            prop_assert_eq!(input.decision.as_str(), decision.as_str());
        }
    }

    #[test]
    fn display_prices_give_non_negative_amounts(text in prop_oneof!["\\PC{0,40}", "[0-9.,€$ -]{0,40}"]) {
        if let Some(amount) = lowest_amount(&text) {
            prop_assert!(amount.is_finite() && amount >= 0.0, "{text:?} gave {amount}");
        }
    }

    #[test]
    fn display_prices_read_the_amount_written(cents in 0u64..100_000_000, symbol in select(vec!["€", "$", "from ", "", "CHF "])) {
        let written = format!("{symbol}{}.{:02}", cents / 100, cents % 100);
        prop_assert_eq!(lowest_amount(&written), Some(format!("{}.{:02}", cents / 100, cents % 100).parse().unwrap()));
    }

    #[test]
    fn closed_vocabularies_accept_only_their_own_slugs(raw in prop_oneof![messy(), "[a-z_-]{1,20}"]) {
        if let Some(c) = Category::from_slug(&raw) { prop_assert_eq!(c.slug(), raw.as_str()); }
        if let Some(v) = DatePreset::parse(&raw) { prop_assert_eq!(v.as_str(), raw.as_str()); }
        if let Some(v) = SortOrder::parse(&raw) { prop_assert_eq!(v.as_str(), raw.as_str()); }
        if let Some(v) = Kind::parse(&raw) { prop_assert_eq!(v.as_str(), raw.as_str()); }
        if let Some(v) = Decision::parse(&raw) { prop_assert_eq!(v.as_str(), raw.as_str()); }
    }
}

#[test]
fn closed_vocabularies_read_back_every_slug() {
    for c in Category::ALL {
        assert_eq!(Category::from_slug(c.slug()), Some(c));
    }
    for v in DatePreset::ALL {
        assert_eq!(DatePreset::parse(v.as_str()), Some(*v));
    }
    for v in SortOrder::ALL {
        assert_eq!(SortOrder::parse(v.as_str()), Some(*v));
    }
    for v in Kind::ALL {
        assert_eq!(Kind::parse(v.as_str()), Some(*v));
    }
    for v in Decision::ALL {
        assert_eq!(Decision::parse(v.as_str()), Some(*v));
    }
    for v in RejectReason::ALL {
        assert_eq!(RejectReason::parse(v.as_str()), Some(*v));
    }
}

/// A directory with `inner/ok.eml` and, next to `inner`, `outer.eml`; made once.
fn mail_dirs() -> &'static std::path::Path {
    static DIRS: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIRS.get_or_init(|| {
        let root = std::env::temp_dir().join("lineup-properties-mailbox");
        let inner = root.join("inner");
        std::fs::create_dir_all(&inner).unwrap();
        let mail = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n";
        std::fs::write(inner.join("ok.eml"), mail).unwrap();
        std::fs::write(root.join("outer.eml"), mail).unwrap();
        inner
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_mail_directory_opens_only_its_own_mails(name in prop_oneof![
        chars(30),
        "(\\.\\./|\\./|/|\\\\|%2e%2e%2f|inner/){0,3}(outer|ok|\\.ok|ok\\.eml/\\.\\.)\\.eml",
        "[a-z0-9._-]{0,10}\\.eml",
    ]) {
        let inner = mail_dirs();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let opened = runtime.block_on(mailbox::open(inner, &name));
        match opened {
            Ok(_) => prop_assert_eq!(name.as_str(), "ok.eml"),
            Err(e) => prop_assert_eq!(e, AppError::NotFound),
        }
    }
}

proptest! {
    // argon2 takes tens of milliseconds a hash
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn a_password_hash_verifies_its_password_and_no_other(
        password in "\\PC{10,40}",
        other in "\\PC{0,40}",
        stored_garbage in prop_oneof![chars(60), "\\$argon2id\\$v=19\\$m=[0-9]{1,6},t=[0-9],p=[0-9]\\$[A-Za-z0-9+/]{0,30}\\$[A-Za-z0-9+/]{0,50}"],
    ) {
        prop_assume!(other != password);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let stored = password::hash(&password).await.unwrap();
            prop_assert_eq!(password::verify(&password, &stored).await, Ok(true));
            prop_assert_eq!(password::verify(&other, &stored).await, Ok(false));
            // a stored value that is not a hash is an error or a refusal, never a panic
            prop_assert_ne!(password::verify(&password, &stored_garbage).await, Ok(true));
            Ok(())
        })?;
    }
}
