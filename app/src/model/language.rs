//! The languages Lineup speaks, and which one a request gets.
//!
//! A browser's choice (the footer's or the profile's switch, kept in a cookie; signing in brings
//! the account's choice into it) comes first, then the browser's `Accept-Language`, then English.
//! Pages are rendered on the server in that language; switching reloads the page.
pub use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// The cookie that keeps the language picked in this browser.
pub const LANGUAGE_COOKIE: &str = "lineup_lang";

/// Every language, in the order the switch lists them.
pub const LANGUAGES: [Locale; 3] = [Locale::en, Locale::de, Locale::pt_PT];

/// Longer `Accept-Language` headers are read up to this many entries.
const MAX_RANGES: usize = 24;

/// A language in its own words, as the switch shows it.
pub fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::de => "Deutsch",
        Locale::pt_PT => "Português",
    }
}

/// The language's BCP 47 tag (`en`, `de`, `pt-PT`).
pub fn tag(locale: Locale) -> &'static str {
    locale.as_str()
}

/// The language of a BCP 47 tag (`de`, `de-AT`, `pt_BR`, `EN-gb`), by its primary subtag:
/// Portuguese is European Portuguese (`pt-PT`) whichever region is asked for.
pub fn parse(tag: &str) -> Option<Locale> {
    let primary = primary_subtag(tag)?;
    LANGUAGES
        .into_iter()
        .find(|l| primary_subtag(l.as_str()).is_some_and(|p| p.eq_ignore_ascii_case(primary)))
}

fn primary_subtag(tag: &str) -> Option<&str> {
    tag.trim()
        .split(['-', '_'])
        .next()
        .filter(|p| !p.is_empty())
}

/// The best of Lineup's languages for an `Accept-Language` header: ranges by falling quality
/// (ties in the order given), the first one Lineup speaks.
pub fn best_accepted(header: &str) -> Option<Locale> {
    let mut ranges: Vec<(f32, usize, &str)> = header
        .split(',')
        .take(MAX_RANGES)
        .enumerate()
        .filter_map(|(i, range)| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let quality = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
                Some(q) => q.trim().parse::<f32>().ok()?,
                None => 1.0,
            };
            (quality > 0.0 && quality <= 1.0).then_some((quality, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, tag)| parse(tag))
}

/// The language for a request: the browser's pick, else its `Accept-Language`, else English.
pub fn negotiate(chosen: Option<&str>, accept_language: Option<&str>) -> Locale {
    chosen
        .and_then(parse)
        .or_else(|| accept_language.and_then(best_accepted))
        .unwrap_or_default()
}

/// [`negotiate`] from a request's headers.
pub fn from_headers(headers: &http::HeaderMap) -> Locale {
    let chosen = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANGUAGE_COOKIE).then_some(value)
        });
    let accepted = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    negotiate(chosen, accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_their_language() {
        assert_eq!(parse("de-AT"), Some(Locale::de));
        assert_eq!(parse("pt_BR"), Some(Locale::pt_PT));
        assert_eq!(parse("pt-PT"), Some(Locale::pt_PT));
        assert_eq!(parse(tag(Locale::pt_PT)), Some(Locale::pt_PT));
        assert_eq!(parse("EN-gb"), Some(Locale::en));
        assert_eq!(parse("fr"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn the_best_accepted_language_wins_by_quality_then_order() {
        assert_eq!(
            best_accepted("fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7"),
            Some(Locale::de)
        );
        assert_eq!(best_accepted("en;q=0.5, pt-BR"), Some(Locale::pt_PT));
        assert_eq!(best_accepted("de, pt"), Some(Locale::de));
        assert_eq!(best_accepted("de;q=0, pt;q=0.1"), Some(Locale::pt_PT));
        assert_eq!(best_accepted("fr, *;q=0.5"), None);
        assert_eq!(best_accepted("de;q=abc, en;q=2"), None);
        assert_eq!(best_accepted(""), None);
    }

    #[test]
    fn a_choice_beats_the_header_and_english_is_the_fallback() {
        assert_eq!(negotiate(Some("pt"), Some("de")), Locale::pt_PT);
        assert_eq!(negotiate(Some("xx"), Some("de")), Locale::de);
        assert_eq!(negotiate(None, Some("fr")), Locale::en);
        assert_eq!(negotiate(None, None), Locale::en);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; lineup_lang=de; b=2".parse().unwrap(),
        );
        headers.insert(http::header::ACCEPT_LANGUAGE, "pt".parse().unwrap());
        assert_eq!(from_headers(&headers), Locale::de);
        headers.remove(http::header::COOKIE);
        assert_eq!(from_headers(&headers), Locale::pt_PT);
    }
}

#[cfg(test)]
mod plural_tests {
    use crate::i18n::{td_string, Locale};

    #[test]
    fn counts_and_placeholders_take_the_languages_forms() {
        assert_eq!(
            td_string!(Locale::de, common.event_count, count = 1),
            "1 Veranstaltung"
        );
        assert_eq!(
            td_string!(Locale::pt_PT, common.event_count, count = 3),
            "3 eventos"
        );
        // European Portuguese: only 1 is singular (Brazilian rules would make 0 singular too).
        assert_eq!(
            td_string!(Locale::pt_PT, common.event_count, count = 0),
            "0 eventos"
        );
        assert_eq!(
            td_string!(Locale::pt_PT, common.event_count, count = 1),
            "1 evento"
        );
        assert_eq!(
            td_string!(Locale::de, common.nav.notifications_unread, count = 3),
            "Benachrichtigungen, 3 ungelesen"
        );
    }
}
