//! Prices in minor units (cents) and their display.
use crate::{error::AppError, i18n::td_string, model::language::Locale};

/// Currencies organizers may sell in, with their minor-unit digits.
pub const CURRENCIES: &[(&str, u32)] = &[
    ("eur", 2),
    ("usd", 2),
    ("gbp", 2),
    ("chf", 2),
    ("sek", 2),
    ("nok", 2),
    ("dkk", 2),
    ("pln", 2),
    ("czk", 2),
    ("jpy", 0),
];

/// Highest ticket price accepted, in major units: Stripe's limit is 999,999.99.
const MAX_MAJOR: u64 = 99_999;

pub fn digits(currency: &str) -> Option<u32> {
    CURRENCIES
        .iter()
        .find(|(code, _)| *code == currency)
        .map(|(_, d)| *d)
}

pub fn parse_currency(raw: &str, locale: Locale) -> Result<String, AppError> {
    let code = raw.trim().to_lowercase();
    let code = if code.is_empty() { "eur".into() } else { code };
    match digits(&code) {
        Some(_) => Ok(code),
        None => Err(AppError::field(
            "currency",
            td_string!(
                locale,
                tickets.money.currency,
                currencies = CURRENCIES
                    .iter()
                    .map(|(c, _)| c.to_uppercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// "12", "12.5", "12,50" → minor units; empty or 0 is free.
pub fn parse_price(raw: &str, currency: &str, locale: Locale) -> Result<i64, AppError> {
    let bad = || AppError::field("price", td_string!(locale, tickets.money.price));
    let raw = raw.trim().replace(',', ".");
    if raw.is_empty() {
        return Ok(0);
    }
    let places = digits(currency).unwrap_or(2);
    let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > places as usize
        || whole.len() > 6
    {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    if whole > MAX_MAJOR {
        return Err(AppError::field(
            "price",
            td_string!(locale, tickets.money.too_high, max = MAX_MAJOR),
        ));
    }
    let fraction: u64 = format!("{fraction:0<width$}", width = places as usize)
        .parse()
        .unwrap_or(0);
    let minor = whole * 10u64.pow(places) + fraction;
    Ok(minor as i64)
}

pub fn format(minor: i64, currency: &str) -> String {
    if minor == 0 {
        return "Free".into();
    }
    let symbol = match currency {
        "eur" => "€",
        "usd" => "$",
        "gbp" => "£",
        _ => "",
    };
    let amount = decimal(minor, currency);
    if symbol.is_empty() {
        format!("{amount} {}", currency.to_uppercase())
    } else {
        format!("{symbol}{amount}")
    }
}

/// A price as the ticket form shows it again ("12.50").
pub fn input_value(minor: i64, currency: &str) -> String {
    if minor == 0 {
        return String::new();
    }
    decimal(minor, currency)
}

/// Minor units as a decimal number in the currency's digits: 1205 → "12.05".
pub fn decimal(minor: i64, currency: &str) -> String {
    let places = digits(currency).unwrap_or(2);
    if places == 0 {
        return minor.to_string();
    }
    let unit = 10i64.pow(places);
    format!(
        "{}.{:0width$}",
        minor / unit,
        minor % unit,
        width = places as usize
    )
}

/// The platform's share of `amount`, rounded half up; `bps` is in hundredths of a percent.
pub fn fee(amount: i64, bps: u32) -> i64 {
    (amount * i64::from(bps) + 5_000) / 10_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_into_minor_units() {
        assert_eq!(parse_price("12", "eur", Locale::en), Ok(1200));
        assert_eq!(parse_price("12.5", "eur", Locale::en), Ok(1250));
        assert_eq!(parse_price("12,05", "eur", Locale::en), Ok(1205));
        assert_eq!(parse_price("", "eur", Locale::en), Ok(0));
        assert_eq!(parse_price("1500", "jpy", Locale::en), Ok(1500));
        for bad in ["12.555", "-3", "abc", "1e5", ".", "1.2.3", "1000000"] {
            assert!(parse_price(bad, "eur", Locale::en).is_err(), "{bad}");
        }
        assert!(parse_price("1.5", "jpy", Locale::en).is_err());
    }

    #[test]
    fn amounts_format_with_their_currency() {
        assert_eq!(format(1250, "eur"), "€12.50");
        assert_eq!(format(0, "eur"), "Free");
        assert_eq!(format(1500, "jpy"), "1500 JPY");
        assert_eq!(format(905, "chf"), "9.05 CHF");
        assert_eq!(input_value(1205, "eur"), "12.05");
    }

    #[test]
    fn fees_round_half_up() {
        assert_eq!(fee(1000, 500), 50);
        assert_eq!(fee(999, 250), 25);
        assert_eq!(fee(1, 0), 0);
    }

    #[test]
    fn unknown_currencies_are_refused() {
        assert!(parse_currency("xyz", Locale::en).is_err());
        assert_eq!(parse_currency(" EUR ", Locale::en).as_deref(), Ok("eur"));
        assert_eq!(parse_currency("", Locale::en).as_deref(), Ok("eur"));
    }
}
