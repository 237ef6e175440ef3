//! Curation: the review lifecycle, automated pre-screening, the curator queue and decisions,
//! community flags, appeals, attendee reviews and the reputation that ties them together.
pub mod appeals;
pub mod badges;
pub mod decisions;
pub mod flags;
pub mod history;
pub mod lifecycle;
pub mod queue;
pub mod reputation;
pub mod review;
pub mod reviews;
pub mod screening;
pub mod standing;
pub mod submissions;
pub mod training;

use crate::model::language::Locale;

/// `x` to `places` decimals as `locale` writes it ("0.25", "0,25"), rounded as `format!`'s
/// precision rounds.
pub fn decimals(locale: Locale, x: f64, places: usize) -> String {
    let fixed = format!("{x:.places$}");
    match fixed.replace('.', "").parse::<i64>() {
        Ok(units) => crate::domain::locale_format::decimal(locale, units, places as i16),
        Err(_) => fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_keep_their_decimals_in_each_language() {
        assert_eq!(decimals(Locale::en, 5.0, 1), "5.0");
        assert_eq!(decimals(Locale::en, 4.25, 1), format!("{:.1}", 4.25));
        assert_eq!(decimals(Locale::de, 0.1234, 2), "0,12");
        assert_eq!(decimals(Locale::pt_PT, 0.05, 2), "0,05");
    }
}
