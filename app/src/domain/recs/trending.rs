//! Trending: events gaining attention now. Each view, save and registration of the last week
//! counts its kind's weight, halved every 36 hours of age (views by people not signed in count
//! a quarter, summed per day), so the score is a velocity, not a total. An event needs at least
//! `MIN_PEOPLE` distinct signed-in people behind it: one person (or one person's scripts) cannot
//! make it trend. Within the visitor's area and the coming four weeks; the curators' quality
//! breaks ties.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use super::{
    catalog::Catalog,
    interactions::{self, day_at, Interaction, Kind},
};
use crate::{
    domain::discovery::geo::GeoPoint, error::AppError, i18n::td_string, model::language::Locale,
};

pub const MIN_PEOPLE: u32 = 3;
pub const WINDOW_DAYS: i64 = 7;
const HALF_LIFE_HOURS: f64 = 36.0;
const ANONYMOUS_VIEW: f64 = 0.25;
/// "Near you": within this distance of the person's home.
pub const AREA_KM: f64 = 50.0;
pub const HORIZON_DAYS: i64 = 28;

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub event: i32,
    pub score: f64,
    /// Distinct signed-in people this week.
    pub people: u32,
    /// People who saved it in the last 24 hours.
    pub saves_today: u32,
}

impl Trend {
    /// What the card says, in `locale`.
    pub fn reason(&self, near: bool, locale: Locale) -> String {
        let people = self.people;
        match self.saves_today {
            0 | 1 if near => td_string!(locale, recs.trending.popular_near_you, people),
            0 | 1 => td_string!(locale, recs.trending.popular, people),
            saves => td_string!(locale, recs.trending.saved_today, saves),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Trending {
    /// Best first.
    pub ranked: Vec<Trend>,
    pub computed_at: Option<DateTime<Utc>>,
}

impl Trending {
    pub async fn load<C: ConnectionTrait>(
        db: &C,
        now: DateTime<Utc>,
    ) -> Result<Trending, AppError> {
        let since = now - Duration::days(WINDOW_DAYS);
        let recent = interactions::load(db, Some(since)).await?;
        let anonymous = interactions::anonymous_views(db, since.date_naive()).await?;
        Ok(compute(&recent, &anonymous, now))
    }

    /// Up to `n` trending events of `catalog` for a visitor at `area`, each with its reason in
    /// `locale`.
    pub fn pick(
        &self,
        catalog: &Catalog,
        area: Option<GeoPoint>,
        now: DateTime<Utc>,
        n: usize,
        locale: Locale,
        keep: impl Fn(i32) -> bool,
    ) -> Vec<(i32, String)> {
        let horizon = now + Duration::days(HORIZON_DAYS);
        let mut picked: Vec<(&Trend, f32)> = self
            .ranked
            .iter()
            .filter_map(|t| {
                let item = catalog.get(t.event)?;
                (near(area, item.point)
                    && item.starts_at <= horizon
                    && item.ends_at > now
                    && keep(t.event))
                .then_some((t, item.quality))
            })
            .collect();
        // a tenth of a point of score is a tie, which quality breaks
        picked.sort_by(|a, b| {
            let (sa, sb) = ((a.0.score * 10.0).round(), (b.0.score * 10.0).round());
            sb.total_cmp(&sa).then(b.1.total_cmp(&a.1))
        });
        picked
            .into_iter()
            .take(n)
            .map(|(t, _)| (t.event, t.reason(area.is_some(), locale)))
            .collect()
    }

    pub fn get(&self, event: i32) -> Option<&Trend> {
        self.ranked.iter().find(|t| t.event == event)
    }
}

/// Whether an event at `at` is in the area of a visitor at `home` (everywhere is, for a visitor
/// without a home; an event without a place is near nobody who has one).
pub fn near(home: Option<GeoPoint>, at: Option<GeoPoint>) -> bool {
    match (home, at) {
        // a degree of latitude is 111 km everywhere: most events are ruled out without trigonometry
        (Some(home), Some(at)) => {
            (home.lat - at.lat).abs() <= AREA_KM / 111.0 && home.distance_m(at) <= AREA_KM * 1000.0
        }
        (Some(_), None) => false,
        (None, _) => true,
    }
}

fn decay(at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let hours = (now - at).num_minutes().max(0) as f64 / 60.0;
    0.5f64.powf(hours / HALF_LIFE_HOURS)
}

pub fn compute(
    recent: &[Interaction],
    anonymous: &[(i32, NaiveDate, i32)],
    now: DateTime<Utc>,
) -> Trending {
    let since = now - Duration::days(WINDOW_DAYS);
    let today = now - Duration::hours(24);
    let mut score: HashMap<i32, f64> = HashMap::new();
    let mut people: HashMap<i32, HashSet<i32>> = HashMap::new();
    let mut saves_today: HashMap<i32, HashSet<i32>> = HashMap::new();
    for i in recent.iter().filter(|i| i.at >= since && i.at <= now) {
        *score.entry(i.event).or_insert(0.0) += f64::from(i.kind.weight()) * decay(i.at, now);
        people.entry(i.event).or_default().insert(i.person);
        if i.kind == Kind::Save && i.at >= today {
            saves_today.entry(i.event).or_default().insert(i.person);
        }
    }
    for &(event, day, views) in anonymous {
        let at = day_at(day).min(now);
        if at >= since {
            *score.entry(event).or_insert(0.0) +=
                ANONYMOUS_VIEW * f64::from(views) * decay(at, now);
        }
    }
    let mut ranked: Vec<Trend> = score
        .into_iter()
        .filter_map(|(event, score)| {
            let people = people.get(&event).map_or(0, |p| p.len() as u32);
            (people >= MIN_PEOPLE).then(|| Trend {
                event,
                score,
                people,
                saves_today: saves_today.get(&event).map_or(0, |p| p.len() as u32),
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.event.cmp(&b.event)));
    Trending {
        ranked,
        computed_at: Some(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(person: i32, event: i32, kind: Kind, hours_ago: i64, now: DateTime<Utc>) -> Interaction {
        Interaction {
            person,
            event,
            kind,
            at: now - Duration::hours(hours_ago),
        }
    }

    #[test]
    fn one_person_cannot_make_an_event_trend() {
        let now = Utc::now();
        let mut xs: Vec<Interaction> = (0..50).map(|_| x(1, 10, Kind::View, 1, now)).collect();
        xs.push(x(1, 10, Kind::Save, 1, now));
        for p in 2..=4 {
            xs.push(x(p, 20, Kind::Save, 2, now));
        }
        let t = compute(&xs, &[(10, now.date_naive(), 1000)], now);
        assert_eq!(t.ranked.len(), 1);
        assert_eq!(t.ranked[0].event, 20);
        assert_eq!(
            t.ranked[0].reason(false, Locale::en),
            "3 people saved this today"
        );
    }

    #[test]
    fn recent_attention_outweighs_old() {
        let now = Utc::now();
        let mut xs = Vec::new();
        for p in 1..=5 {
            xs.push(x(p, 1, Kind::Save, 6 * 24, now));
            xs.push(x(p, 2, Kind::Save, 3, now));
        }
        let t = compute(&xs, &[], now);
        assert_eq!(t.ranked[0].event, 2);
        assert!(t.ranked[0].score > 3.0 * t.ranked[1].score);
    }
}
