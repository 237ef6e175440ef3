//! Dates, times and prices as each language writes them, from ICU4X's compiled CLDR data: what
//! the server puts into pages and mail for a reader in `locale`. English is written the British
//! way (day before month, 24-hour clock), as Lineup's cities do; German as in Germany and
//! Portuguese as in Portugal. Time zones are named by their abbreviation ("CET").
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use fixed_decimal::Decimal;
use icu_datetime::{fieldsets, DateTimeFormatter, NoCalendarFormatter};
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::{
    formatter::CurrencyFormatter, options::CurrencyFormatterOptions, CurrencyCode,
};
use icu_locale_core::{locale, Locale as IcuLocale};

use crate::{
    domain::ticketing::money,
    i18n::td_string,
    model::language::{Locale, LANGUAGES},
};

/// The CLDR locale each language is written in.
fn icu_locale(locale: Locale) -> IcuLocale {
    match locale {
        Locale::en => locale!("en-GB"),
        Locale::de => locale!("de-DE"),
        Locale::pt_PT => locale!("pt-PT"),
    }
}

/// Formatters are built once per language and shared (building one loads its data).
struct Formatters {
    date_time: DateTimeFormatter<fieldsets::YMDET>,
    short_date_time: DateTimeFormatter<fieldsets::MDET>,
    date: DateTimeFormatter<fieldsets::YMDE>,
    day: DateTimeFormatter<fieldsets::MDE>,
    day_month: DateTimeFormatter<fieldsets::MD>,
    day_of_year: DateTimeFormatter<fieldsets::YMDE>,
    month_year: DateTimeFormatter<fieldsets::YM>,
    time: NoCalendarFormatter<fieldsets::T>,
    decimal: DecimalFormatter,
    currency: CurrencyFormatter,
}

impl Formatters {
    fn new(icu: &IcuLocale) -> Option<Formatters> {
        Some(Formatters {
            date_time: DateTimeFormatter::try_new(
                icu.into(),
                fieldsets::YMDE::medium().with_time_hm(),
            )
            .ok()?,
            short_date_time: DateTimeFormatter::try_new(
                icu.into(),
                fieldsets::MDE::medium().with_time_hm(),
            )
            .ok()?,
            date: DateTimeFormatter::try_new(icu.into(), fieldsets::YMDE::medium()).ok()?,
            day: DateTimeFormatter::try_new(icu.into(), fieldsets::MDE::long()).ok()?,
            day_month: DateTimeFormatter::try_new(icu.into(), fieldsets::MD::medium()).ok()?,
            day_of_year: DateTimeFormatter::try_new(icu.into(), fieldsets::YMDE::long()).ok()?,
            month_year: DateTimeFormatter::try_new(icu.into(), fieldsets::YM::long()).ok()?,
            time: NoCalendarFormatter::try_new(icu.into(), fieldsets::T::hm()).ok()?,
            decimal: DecimalFormatter::try_new(icu.into(), Default::default()).ok()?,
            currency: CurrencyFormatter::try_new(icu.into(), CurrencyFormatterOptions::default())
                .ok()?,
        })
    }
}

/// The language's formatters, built once. CLDR's compiled data has every language Lineup
/// speaks (the tests format in each); were one missing, its text falls back to ISO forms.
fn formatters(locale: Locale) -> Option<&'static Formatters> {
    static ALL: OnceLock<Vec<Option<Formatters>>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        LANGUAGES
            .iter()
            .map(|&l| {
                let built = Formatters::new(&icu_locale(l));
                if built.is_none() {
                    tracing::error!(locale = ?l, "CLDR data is missing a formatter");
                }
                built
            })
            .collect()
    });
    let index = LANGUAGES.iter().position(|&l| l == locale)?;
    all[index].as_ref()
}

fn icu_date_time(at: &DateTime<Tz>) -> Option<icu_time::DateTime<icu_calendar::Iso>> {
    Some(icu_time::DateTime {
        date: icu_calendar::Date::try_new_iso(at.year(), at.month() as u8, at.day() as u8).ok()?,
        time: icu_time::Time::try_new(at.hour() as u8, at.minute() as u8, 0, 0).ok()?,
    })
}

/// A moment in a time zone, weekday to minute: "Sat, 5 Dec 2026, 19:00 CET".
pub fn date_time(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    match (formatters(locale), icu_date_time(&local)) {
        (Some(f), Some(dt)) => format!("{} {}", f.date_time.format(&dt), local.format("%Z")),
        _ => local.format("%F %R %Z").to_string(),
    }
}

/// Like [`date_time`] without the year, for what is days away: "Sat, 5 Dec, 19:00 CET".
pub fn short_date_time(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    match (formatters(locale), icu_date_time(&local)) {
        (Some(f), Some(dt)) => format!("{} {}", f.short_date_time.format(&dt), local.format("%Z")),
        _ => local.format("%F %R %Z").to_string(),
    }
}

/// A start time under a day heading: "19:00 CET".
pub fn time(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    match (formatters(locale), icu_date_time(&local)) {
        (Some(f), Some(dt)) => format!("{} {}", f.time.format(&dt.time), local.format("%Z")),
        _ => local.format("%R %Z").to_string(),
    }
}

/// A day heading: "Today", "Tomorrow", else the day in full ("Saturday 5 December", with the
/// year when it is not this year's).
pub fn day_heading(locale: Locale, day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => return td_string!(locale, common.day.today).to_owned(),
        1 => return td_string!(locale, common.day.tomorrow).to_owned(),
        _ => {}
    }
    let (Some(f), Ok(date)) = (
        formatters(locale),
        icu_calendar::Date::try_new_iso(day.year(), day.month() as u8, day.day() as u8),
    ) else {
        return day.to_string();
    };
    if day.year() == today.year() {
        f.day.format(&date).to_string()
    } else {
        f.day_of_year.format(&date).to_string()
    }
}

/// When an event runs, in its own time zone: "Sat, 5 Dec 2026, 19:00 – 22:00 CET"
/// ("Sa., 05.12.2026, …", "sábado, 05/12/2026, …"), or with both dates when it spans days.
pub fn range(locale: Locale, start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let f = formatters(locale);
    match (f, icu_date_time(&s), icu_date_time(&e)) {
        (Some(f), Some(sd), Some(ed)) if s.date_naive() == e.date_naive() => format!(
            "{}, {} – {} {}",
            f.date.format(&sd),
            f.time.format(&sd.time),
            f.time.format(&ed.time),
            e.format("%Z")
        ),
        (Some(f), Some(sd), Some(ed)) => format!(
            "{} – {} {}",
            f.date_time.format(&sd),
            f.date_time.format(&ed),
            e.format("%Z")
        ),
        _ => format!("{} – {}", s.format("%F %R"), e.format("%F %R %Z")),
    }
}

/// A day without its time: "Sat, 5 Dec 2026".
pub fn date(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    match (formatters(locale), icu_date_time(&local)) {
        (Some(f), Some(dt)) => f.date.format(&dt.date).to_string(),
        _ => local.format("%F").to_string(),
    }
}

/// A day of a month, short, for a chart's axis: "5 Dec" ("05.12.", "05/12").
pub fn day_month(locale: Locale, day: NaiveDate) -> String {
    match (
        formatters(locale),
        icu_calendar::Date::try_new_iso(day.year(), day.month() as u8, day.day() as u8),
    ) {
        (Some(f), Ok(date)) => f.day_month.format(&date).to_string(),
        _ => day.format("%m-%d").to_string(),
    }
}

/// A month of a year, for since when: "December 2026" ("Dezember 2026", "dezembro de 2026").
pub fn month_year(locale: Locale, at: DateTime<Utc>) -> String {
    match (
        formatters(locale),
        icu_calendar::Date::try_new_iso(at.year(), at.month() as u8, 1),
    ) {
        (Some(f), Ok(month)) => f.month_year.format(&month).to_string(),
        _ => at.format("%Y-%m").to_string(),
    }
}

/// A number given in units of its last decimal (`decimal(l, 24, 1)` is 2.4), as the language
/// writes it: "2.4", "2,4"; thousands grouped ("1,234" / "1.234").
pub fn decimal(locale: Locale, units: i64, fraction_digits: i16) -> String {
    let mut value = Decimal::from(units);
    value.multiply_pow10(-fraction_digits);
    match formatters(locale) {
        Some(f) => f.decimal.format(&value).to_string(),
        None => value.to_string(),
    }
}

/// A price in its currency's own decimals: "€12.50", "12,50 €" (a no-break space before the
/// sign), "Free" for nothing.
pub fn money(locale: Locale, minor: i64, currency: &str) -> String {
    if minor == 0 {
        return td_string!(locale, common.price.free).to_owned();
    }
    let places = money::digits(currency).unwrap_or(2);
    let mut amount = Decimal::from(minor);
    amount.multiply_pow10(-(places as i16));
    match (formatters(locale), currency.to_ascii_uppercase().parse()) {
        (Some(f), Ok(code)) => f
            .currency
            .format_fixed_decimal(&amount, &CurrencyCode(code))
            .to_string(),
        _ => format!("{amount} {}", currency.to_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Berlin
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_evening_reads_in_each_language() {
        let (s, e) = (berlin(2026, 12, 5, 19, 0), berlin(2026, 12, 5, 22, 0));
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(
            range(Locale::en, s, e, tz),
            "Sat, 5 Dec 2026, 19:00 – 22:00 CET"
        );
        assert_eq!(
            range(Locale::de, s, e, tz),
            "Sa., 05.12.2026, 19:00 – 22:00 CET"
        );
        assert_eq!(
            range(Locale::pt_PT, s, e, tz),
            "sábado, 05/12/2026, 19:00 – 22:00 CET"
        );
        assert_eq!(
            range(Locale::de, s, berlin(2026, 12, 6, 2, 0), tz),
            "Sa., 05.12.2026, 19:00 – So., 06.12.2026, 02:00 CET"
        );
        assert_eq!(short_date_time(Locale::en, s, tz), "Sat 5 Dec, 19:00 CET");
        assert_eq!(
            date_time(Locale::pt_PT, s, tz),
            "sábado, 05/12/2026, 19:00 CET"
        );
    }

    #[test]
    fn day_headings_are_relative_when_near() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(day_heading(Locale::en, day(3), today), "Today");
        assert_eq!(day_heading(Locale::de, day(4), today), "Morgen");
        assert_eq!(
            day_heading(Locale::en, day(5), today),
            "Saturday 5 December"
        );
        assert_eq!(
            day_heading(Locale::de, day(5), today),
            "Samstag, 5. Dezember"
        );
        assert_eq!(
            day_heading(Locale::pt_PT, day(5), today),
            "sábado, 5 de dezembro"
        );
        let next_year = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
        assert_eq!(
            day_heading(Locale::en, next_year, today),
            "Saturday, 2 January 2027"
        );
        assert_eq!(
            time(
                Locale::pt_PT,
                berlin(2026, 12, 5, 19, 0),
                chrono_tz::Europe::Berlin
            ),
            "19:00 CET"
        );
    }

    #[test]
    fn days_and_months_read_in_each_language() {
        let at = berlin(2026, 12, 5, 19, 0);
        assert_eq!(
            date(Locale::en, at, chrono_tz::Europe::Berlin),
            "Sat, 5 Dec 2026"
        );
        assert_eq!(
            date(Locale::de, at, chrono_tz::Europe::Berlin),
            "Sa., 05.12.2026"
        );
        assert_eq!(month_year(Locale::en, at), "December 2026");
        assert_eq!(month_year(Locale::de, at), "Dezember 2026");
        assert_eq!(month_year(Locale::pt_PT, at), "dezembro de 2026");
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("a day");
        let axis: Vec<String> = LANGUAGES.iter().map(|&l| day_month(l, day)).collect();
        assert_eq!(axis, ["5 Dec", "05.12.", "05/12"]);
    }

    #[test]
    fn prices_follow_the_language() {
        assert_eq!(money(Locale::en, 1250, "eur"), "€12.50");
        assert_eq!(money(Locale::de, 1250, "eur"), "12,50\u{a0}€");
        assert_eq!(money(Locale::de, 123456, "usd"), "1.234,56\u{a0}$");
        assert_eq!(money(Locale::pt_PT, 123456, "eur"), "1234,56\u{a0}€");
        assert_eq!(money(Locale::en, 100, "jpy"), "JP¥100");
        assert_eq!(money(Locale::de, 0, "eur"), "Kostenlos");
    }
}
