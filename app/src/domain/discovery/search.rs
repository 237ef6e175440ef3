//! The search page's use-case: the URL's state becomes an index query; hits become cards.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{
        context::{internal, AppState},
        discovery::{
            geo::{distance_label, GeoPoint},
            query::{FacetRequest, Filters, Radius, Sort, Window, MAX_TOTAL_HITS},
            SearchError, SearchQuery,
        },
        events::listings::public_cards,
    },
    error::AppError,
    i18n::td_string,
    model::{
        discovery::{
            DatePreset, FacetCounts, Format, Hint, NearPoint, PriceFilter, SearchHit, SearchPage,
            SearchParams, SearchProblem, SortOrder, DEFAULT_RADIUS_KM, MAX_PAGE, MAX_RADIUS_KM,
            PER_PAGE,
        },
        language::Locale,
        taxonomy::Category,
    },
};
use entity::user;

/// The presets that get a count next to them.
const COUNTED_PRESETS: [DatePreset; 4] = [
    DatePreset::Today,
    DatePreset::Tomorrow,
    DatePreset::Weekend,
    DatePreset::Week,
];

pub async fn run(
    state: &AppState,
    params: SearchParams,
    problems: Vec<SearchProblem>,
    viewer: Option<&user::Model>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<SearchPage, AppError> {
    let mut problems: Vec<String> = problems.iter().map(|p| p.message_in(locale)).collect();
    let tz = zone(&params, state.settings.time_zone);
    let home = viewer.and_then(home_point);
    let (point, point_label) = match params.near {
        Some(NearPoint::Here) => (
            params
                .lat
                .zip(params.lng)
                .map(|(lat, lng)| GeoPoint { lat, lng }),
            Some(td_string!(locale, search.place.your_location).to_owned()),
        ),
        Some(NearPoint::Home) => match (home, viewer) {
            (Some(p), Some(v)) => (
                Some(p),
                Some(td_string!(
                    locale,
                    search.place.from_profile,
                    city = v.home_city.clone().unwrap_or_else(|| td_string!(
                        locale,
                        search.place.home
                    )
                    .to_owned())
                )),
            ),
            _ => {
                problems.push(td_string!(locale, search.problem.no_home).to_owned());
                (None, None)
            }
        },
        None => (None, None),
    };
    let mut sort = params.sort_or_default();
    if sort == SortOrder::Nearest && point.is_none() {
        problems.push(td_string!(locale, search.problem.no_place).to_owned());
        sort = SortOrder::Soonest;
    }
    let window = match params.when {
        Some(DatePreset::Custom) => {
            let window = custom_window(params.from.as_deref(), params.to.as_deref(), tz);
            if window.is_none() {
                problems.push(td_string!(locale, search.problem.bad_dates).to_owned());
            }
            window
        }
        Some(preset) => preset_window(preset, now, tz),
        None => None,
    };
    let radius_km = params.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    let filters = Filters {
        categories: params.categories.clone(),
        free: params.price.map(|p| p == PriceFilter::Free),
        price_min: params.min_price,
        price_max: params.max_price,
        online: params.format.map(|f| f == Format::Online),
        window,
        ends_after: Some(now.timestamp()),
        radius: point.map(|center| Radius {
            center,
            metres: f64::from(radius_km) * 1000.0,
        }),
        ..Default::default()
    };
    let page = params.page.max(1);
    let query = SearchQuery {
        text: params.q.clone(),
        filters,
        sort: match (sort, point) {
            (SortOrder::Relevance, _) => Sort::Relevance,
            (SortOrder::Soonest, _) => Sort::StartAsc,
            (SortOrder::Quality, _) => Sort::QualityDesc,
            (SortOrder::Nearest, Some(p)) => Sort::Distance(p),
            (SortOrder::Nearest, None) => Sort::StartAsc,
        },
        point,
        page,
        per_page: PER_PAGE,
        facets: FacetRequest {
            values: true,
            windows: COUNTED_PRESETS
                .iter()
                .filter_map(|p| preset_window(*p, now, tz))
                .collect(),
        },
        highlight: true,
    };
    let results = match state.search.search(&query).await {
        Ok(results) => results,
        Err(SearchError::Invalid(message)) => {
            problems.push(message);
            Default::default()
        }
        Err(e) => return Err(internal(e)),
    };
    let ids: Vec<i32> = results.hits.iter().map(|h| h.id).collect();
    let cards = public_cards(&state.db, &ids, locale).await?;
    let hits = results
        .hits
        .into_iter()
        .filter_map(|hit| {
            let card = cards.iter().find(|c| c.id == hit.id)?.clone();
            Some(SearchHit {
                card,
                title: hit.title,
                snippet: hit.snippet,
                distance: hit.distance_m.map(|m| distance_label(m, locale)),
            })
        })
        .collect();
    let f = &results.facets;
    let facets = FacetCounts {
        categories: Category::ALL
            .iter()
            .map(|c| {
                let n = f.categories.get(c.slug()).copied().unwrap_or(0);
                (c.slug().to_owned(), c.label().to_owned(), n)
            })
            .collect(),
        dates: COUNTED_PRESETS
            .iter()
            .copied()
            .zip(f.windows.iter().copied())
            .collect(),
        free: f.free,
        paid: f.paid,
        in_person: f.in_person,
        online: f.online,
    };
    let shown = results.total.min(u64::from(MAX_TOTAL_HITS));
    let pages = (shown.div_ceil(u64::from(PER_PAGE)) as u32).min(MAX_PAGE);
    let mut page_params = params;
    page_params.page = page;
    let hints = if results.total == 0 {
        hints(&page_params, &facets, locale)
    } else {
        Vec::new()
    };
    Ok(SearchPage {
        params: page_params,
        problems,
        total: results.total,
        page,
        pages,
        hits,
        facets,
        hints,
        point_label: point.and(point_label),
        has_home: home.is_some(),
    })
}

pub fn home_point(user: &user::Model) -> Option<GeoPoint> {
    user.home_lat
        .zip(user.home_lng)
        .map(|(lat, lng)| GeoPoint { lat, lng })
}

fn zone(params: &SearchParams, default: Tz) -> Tz {
    params
        .tz
        .as_deref()
        .and_then(|t| t.parse().ok())
        .unwrap_or(default)
}

fn midnight(day: NaiveDate, tz: Tz) -> i64 {
    at(day, NaiveTime::MIN, tz)
}

/// A local wall-clock time as Unix seconds; in a DST gap, the first valid moment after it.
fn at(day: NaiveDate, time: NaiveTime, tz: Tz) -> i64 {
    let local = day.and_time(time);
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(local + Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.timestamp())
        .unwrap_or_else(|| local.and_utc().timestamp())
}

/// The window a preset means right now in `tz`. A weekend starts Friday 18:00 (or now, during
/// it) and ends when Monday starts.
pub fn preset_window(preset: DatePreset, now: DateTime<Utc>, tz: Tz) -> Option<Window> {
    let today = now.with_timezone(&tz).date_naive();
    let day = |d: i64| today + Duration::days(d);
    let now_s = now.timestamp();
    Some(match preset {
        DatePreset::Today => Window {
            from: now_s,
            to: midnight(day(1), tz),
        },
        DatePreset::Tomorrow => Window {
            from: midnight(day(1), tz),
            to: midnight(day(2), tz),
        },
        DatePreset::Weekend => {
            let weekday = today.weekday().num_days_from_monday() as i64; // Monday 0
            let monday = day(7 - weekday);
            let friday = monday - Duration::days(3);
            let start = at(friday, NaiveTime::from_hms_opt(18, 0, 0)?, tz);
            Window {
                from: start.max(now_s),
                to: midnight(monday, tz),
            }
        }
        DatePreset::Week => Window {
            from: now_s,
            to: midnight(day(8), tz),
        },
        DatePreset::Custom => return None,
    })
}

/// `from` and `to` are whole local days, both included; either may be open.
pub fn custom_window(from: Option<&str>, to: Option<&str>, tz: Tz) -> Option<Window> {
    let parse = |v: Option<&str>| -> Result<Option<NaiveDate>, ()> {
        match v {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| ()),
        }
    };
    let (from, to) = (parse(from).ok()?, parse(to).ok()?);
    let window = Window {
        from: from.map_or(i64::MIN / 2, |d| midnight(d, tz)),
        to: to.map_or(i64::MAX / 2, |d| midnight(d + Duration::days(1), tz)),
    };
    (window.from < window.to).then_some(window)
}

/// Ways out of an empty result: drop a filter (with what it would give, when known), widen
/// the radius, search fewer words.
fn hints(params: &SearchParams, facets: &FacetCounts, locale: Locale) -> Vec<Hint> {
    let mut hints = Vec::new();
    let count = |n: u64| match n {
        0 => String::new(),
        n => td_string!(locale, search.hint.count, count = n),
    };
    if !params.categories.is_empty() {
        let n: u64 = facets.categories.iter().map(|(_, _, n)| n).sum();
        hints.push(Hint {
            label: format!(
                "{}{}",
                td_string!(locale, search.hint.all_categories),
                count(n)
            ),
            href: params.with(|p| p.categories.clear()).href(),
        });
    }
    if params.price.is_some() || params.min_price.is_some() || params.max_price.is_some() {
        hints.push(Hint {
            label: format!(
                "{}{}",
                td_string!(locale, search.hint.any_price),
                count(facets.free + facets.paid)
            ),
            href: params
                .with(|p| (p.price, p.min_price, p.max_price) = (None, None, None))
                .href(),
        });
    }
    if params.format.is_some() {
        hints.push(Hint {
            label: format!(
                "{}{}",
                td_string!(locale, search.hint.any_format),
                count(facets.online + facets.in_person)
            ),
            href: params.with(|p| p.format = None).href(),
        });
    }
    if params.when.is_some() {
        hints.push(Hint {
            label: td_string!(locale, search.hint.any_date).into(),
            href: params
                .with(|p| (p.when, p.from, p.to) = (None, None, None))
                .href(),
        });
    }
    if params.near.is_some() {
        let radius = params.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
        if radius < MAX_RADIUS_KM {
            let wider = (radius * 3).min(MAX_RADIUS_KM);
            hints.push(Hint {
                label: td_string!(locale, search.hint.within, km = wider),
                href: params.with(|p| p.radius_km = Some(wider)).href(),
            });
        }
        hints.push(Hint {
            label: td_string!(locale, search.hint.anywhere).into(),
            href: params
                .with(|p| (p.near, p.lat, p.lng, p.radius_km) = (None, None, None, None))
                .href(),
        });
    }
    let words: Vec<&str> = params.q.split_whitespace().collect();
    if words.len() > 1 {
        for word in words.iter().filter(|w| w.chars().count() > 2).take(3) {
            hints.push(Hint {
                label: td_string!(locale, search.hint.only_word, word = word),
                href: params.with(|p| p.q = (*word).to_owned()).href(),
            });
        }
    }
    if !params.q.is_empty() || params.has_filters() {
        hints.push(Hint {
            label: td_string!(locale, search.hint.all_upcoming).into(),
            href: "/search".into(),
        });
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).unwrap()
    }

    #[test]
    fn presets_follow_the_local_calendar() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // Wednesday 25 Nov 2026, 22:30 in Berlin (21:30 UTC)
        let now = utc("2026-11-25T21:30:00Z");
        let today = preset_window(DatePreset::Today, now, berlin).unwrap();
        assert_eq!(today.to, utc("2026-11-25T23:00:00Z").timestamp());
        let weekend = preset_window(DatePreset::Weekend, now, berlin).unwrap();
        assert_eq!(weekend.from, utc("2026-11-27T17:00:00Z").timestamp());
        assert_eq!(weekend.to, utc("2026-11-29T23:00:00Z").timestamp());
        // during the weekend it starts now
        let sunday = utc("2026-11-29T10:00:00Z");
        let weekend = preset_window(DatePreset::Weekend, sunday, berlin).unwrap();
        assert_eq!(weekend.from, sunday.timestamp());
        assert_eq!(weekend.to, utc("2026-11-29T23:00:00Z").timestamp());
    }

    #[test]
    fn custom_ranges_include_both_days_and_refuse_backwards_ones() {
        let w = custom_window(Some("2026-12-01"), Some("2026-12-01"), Tz::UTC).unwrap();
        assert_eq!(w.to - w.from, 86_400);
        assert!(custom_window(Some("2026-12-02"), Some("2026-12-01"), Tz::UTC).is_none());
        assert!(custom_window(Some("2026-13-02"), None, Tz::UTC).is_none());
    }
}
