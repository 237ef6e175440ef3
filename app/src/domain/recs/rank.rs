//! The blend: one score per candidate from every retrieval source, then fits for distance,
//! time and price, then what the person dismissed. Pure: the server and the offline evaluation
//! call the same function.
//!
//! score = (Σ weightₛ · sourceₛ + 0.05 · quality) · distance fit · time fit · price fit · 0.7^dismissed
//!
//! | source | what it is (each 0–1) |
//! |---|---|
//! | item | item-to-item from co-saves and co-attendance of the person's events, over the best candidate's |
//! | factor | the factor model's rank among candidates: 1 for the best, 0 from the 100th on |
//! | content | share of the person's weight in the event's category, plus half the best tag's share; profile interests count as one save in their category |
//! | social | 1 − ½^(friends going + ½ · friends who saved it) |
//! | trending | the event's trending score over the best nearby one's |
//! | popular | the event's interaction weight over the best candidate's: the baseline that orders the long tail |
//! | fresh | published in the last 3 days and nobody has interacted yet: new events get seen (cold start) |
//!
//! Fits: distance 0.4 + 0.6/(1 + km/25) (online events 0.8; 1 without a home); time
//! 0.6 + 0.4·e^(−days/30); price 0.7 when the event costs more than 1.5× the dearest event the
//! person chose. A person with no history (cold start) gets content from their profile's
//! interests, social, trending, fresh and popular; every source is simply 0 when it has nothing.
use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, Duration, Utc};

use super::{
    catalog::{Catalog, Item},
    factors::{dot, Aligned, FactorModel, K},
    interactions::Kind,
    neighbors::CoIndex,
    trending::{near, Trending},
};
use crate::{
    domain::discovery::geo::GeoPoint,
    i18n::td_string,
    model::{language::Locale, taxonomy::Category},
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub item: f32,
    pub factor: f32,
    pub content: f32,
    pub social: f32,
    pub trending: f32,
    pub popular: f32,
    pub fresh: f32,
}

/// The documented blend (variant `blend`).
pub const BLEND: Weights = Weights {
    item: 0.30,
    factor: 0.25,
    content: 0.15,
    social: 0.15,
    trending: 0.10,
    popular: 0.05,
    fresh: 0.05,
};

/// One event the person interacted with, as ranking sees it.
#[derive(Debug, Clone)]
pub struct Seed {
    pub event: i32,
    pub kind: Kind,
    /// The kind's weight, less for older interactions.
    pub weight: f32,
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub price_minor: Option<i64>,
}

/// What ranking knows about the person asking.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: i32,
    /// Strongest interaction per event first.
    pub seeds: Vec<Seed>,
    /// Profile interests (category slugs or words).
    pub interests: Vec<String>,
    pub home: Option<GeoPoint>,
    /// Categories of events they said "Not interested" to, with counts.
    pub dismissed_categories: HashMap<String, u32>,
    /// Never recommended: tickets held, dismissed, saved already, their own.
    pub excluded: FxHashSet<i32>,
    /// People blocked either way: their events never appear.
    pub blocked: FxHashSet<i32>,
    /// Friends (who let friends see it) going to / who saved each event.
    pub friends: HashMap<i32, (u32, u32)>,
}

/// The engines' current state.
pub struct Sources<'a> {
    pub catalog: &'a Catalog,
    pub co: &'a CoIndex,
    pub factors: Option<&'a FactorModel>,
    /// The model's event factors in the catalog's order.
    pub aligned: Option<&'a Aligned>,
    pub trending: &'a Trending,
    /// Catalog events by popularity (`by_popularity`).
    pub popular: &'a [i32],
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Because {
        kind: Kind,
        title: String,
    },
    Friends {
        going: u32,
        saved: u32,
    },
    Trending,
    /// The event's category (its slug).
    Likes(String),
    SimilarTaste,
    New,
    Popular,
}

impl Reason {
    /// What the card says, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Reason::Because { kind, title } => match kind {
                Kind::Save => td_string!(locale, recs.rank.because_saved, title),
                Kind::Rsvp | Kind::CheckIn => td_string!(locale, recs.rank.because_went, title),
                Kind::Review => td_string!(locale, recs.rank.because_liked, title),
                Kind::View => td_string!(locale, recs.rank.because_looked, title),
            },
            Reason::Friends { going, .. } if *going > 0 => {
                td_string!(locale, recs.rank.friends_going, count = *going)
            }
            Reason::Friends { saved, .. } => {
                td_string!(locale, recs.rank.friends_interested, count = *saved)
            }
            Reason::Trending => td_string!(locale, recs.rank.trending).into(),
            Reason::Likes(category) => td_string!(
                locale,
                recs.rank.likes,
                category = category_words(category, locale)
            ),
            Reason::SimilarTaste => td_string!(locale, recs.rank.similar_taste).into(),
            Reason::New => td_string!(locale, recs.rank.new_on_lineup).into(),
            Reason::Popular => td_string!(locale, recs.rank.popular).into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub event: i32,
    pub score: f32,
    pub reason: Reason,
}

/// How far ahead lists look.
pub const HORIZON_DAYS: i64 = 90;
/// How many of the person's events seed item-to-item.
const SEEDS: usize = 12;
const FACTOR_DEPTH: usize = POOL;

/// Whether `e` may be shown to the person: upcoming within the horizon, not full, not theirs,
/// not excluded, not by someone blocked.
pub fn eligible(person: &Person, e: &Item, now: DateTime<Utc>) -> bool {
    Window::new(now).admits(person, e)
}

/// The candidates a person may be shown.
pub fn candidates<'a>(
    person: &'a Person,
    catalog: &'a Catalog,
    now: DateTime<Utc>,
) -> impl Iterator<Item = &'a Item> + 'a {
    let window = Window::new(now);
    catalog
        .items
        .iter()
        .filter(move |e| window.admits(person, e))
}

/// The time span a list looks at, computed once per list: eligibility is asked for tens of
/// thousands of events per list, and date arithmetic is not free.
#[derive(Debug, Clone, Copy)]
struct Window {
    now: DateTime<Utc>,
    until: DateTime<Utc>,
}

impl Window {
    fn new(now: DateTime<Utc>) -> Window {
        Window {
            now,
            until: now + Duration::days(HORIZON_DAYS),
        }
    }

    #[inline]
    fn admits(&self, person: &Person, e: &Item) -> bool {
        !e.full
            && e.ends_at > self.now
            && e.starts_at <= self.until
            && e.organizer != person.id
            && !person.excluded.contains(&e.id)
            && !person.blocked.contains(&e.organizer)
    }
}

/// How many candidates each retrieval source contributes before the blend scores them.
const POOL: usize = 100;

/// Candidates retrieved by every source, scored by the blend, best first.
pub fn rank(person: &Person, sources: &Sources, w: &Weights, now: DateTime<Utc>) -> Vec<Ranked> {
    let catalog = sources.catalog;
    let window = Window::new(now);
    let eligible = |e: &Item| window.admits(person, e);
    let wanted = |id: i32| catalog.get(id).is_some_and(eligible);
    let seeds: Vec<(i32, f32)> = person.seeds.iter().map(|s| (s.event, s.weight)).collect();
    let mut pool: FxHashSet<i32> = FxHashSet::default();

    // item-to-item
    let mut strongest = seeds.clone();
    strongest.sort_by(|a, b| b.1.total_cmp(&a.1));
    strongest.truncate(SEEDS);
    let related = if w.item > 0.0 {
        sources.co.related(&strongest, wanted)
    } else {
        Default::default()
    };
    pool.extend(best(related.iter().map(|(&e, r)| (e, r.score))));
    let related_max = related.values().map(|r| r.score).fold(0.0f32, f32::max);

    // the factor model: the person's factors from what they did until now
    let mut factor_rank: FxHashMap<i32, f32> = FxHashMap::default();
    if let (Some(model), Some(aligned), true) = (sources.factors, sources.aligned, w.factor > 0.0) {
        if let Some(me) = model.fold_in(&seeds) {
            // every known event's score in one pass, keeping the best (the eligible best of
            // them are the candidates)
            let keep = 2 * POOL;
            let mut scored: Vec<(usize, f32)> = Vec::with_capacity(2 * keep);
            let mut floor = f32::NEG_INFINITY;
            let by_score = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1);
            for (i, row) in aligned.rows.chunks_exact(K).enumerate() {
                if !aligned.known[i] {
                    continue;
                }
                let s = dot(&me, row);
                if s > floor {
                    scored.push((i, s));
                    if scored.len() == 2 * keep {
                        scored.select_nth_unstable_by(keep - 1, by_score);
                        scored.truncate(keep);
                        floor = scored[keep - 1].1;
                    }
                }
            }
            let scored = scored
                .into_iter()
                .map(|(i, s)| (&catalog.items[i], s))
                .filter(|(e, _)| eligible(e))
                .map(|(e, s)| (e.id, s));
            for (rank, id) in best(scored).into_iter().enumerate() {
                factor_rank.insert(id, 1.0 - rank as f32 / FACTOR_DEPTH as f32);
                pool.insert(id);
            }
        }
    }

    // content: the person's weight per category and tag
    let mut cat_weight: FxHashMap<&str, f32> = FxHashMap::default();
    let mut tag_weight: FxHashMap<&str, f32> = FxHashMap::default();
    let mut total = 0.0f32;
    for s in &person.seeds {
        *cat_weight.entry(s.category.as_str()).or_insert(0.0) += s.weight;
        for t in &s.tags {
            *tag_weight.entry(t.as_str()).or_insert(0.0) += s.weight;
        }
        total += s.weight;
    }
    for c in person.interests.iter().filter_map(|i| interest_category(i)) {
        *cat_weight.entry(c).or_insert(0.0) += Kind::Save.weight();
        total += Kind::Save.weight();
    }
    let total = total.max(1e-6);
    let content = |e: &Item| {
        let cat = cat_weight.get(e.category.as_str()).copied().unwrap_or(0.0) / total;
        let tag = e
            .tags
            .iter()
            .filter_map(|t| tag_weight.get(t.as_str()))
            .fold(0.0f32, |a, &b| a.max(b))
            / total;
        (cat + 0.5 * tag).min(1.0)
    };
    if w.content > 0.0 {
        // the soonest events of the person's favourite categories and tags
        for category in heaviest(&cat_weight, 3) {
            pool.extend(
                catalog
                    .in_category(category)
                    .filter(|e| eligible(e))
                    .take(POOL / 2)
                    .map(|e| e.id),
            );
        }
        for tag in heaviest(&tag_weight, 5) {
            pool.extend(
                catalog
                    .tagged(tag)
                    .filter(|e| eligible(e))
                    .take(POOL / 4)
                    .map(|e| e.id),
            );
        }
    }

    // friends, trending nearby, popular, new
    if w.social > 0.0 {
        pool.extend(person.friends.keys().copied().filter(|&e| wanted(e)));
    }
    let trend: FxHashMap<i32, f64> = sources
        .trending
        .ranked
        .iter()
        .filter(|t| {
            catalog
                .get(t.event)
                .is_some_and(|e| eligible(e) && near(person.home, e.point))
        })
        .take(POOL)
        .map(|t| (t.event, t.score))
        .collect();
    if w.trending > 0.0 {
        pool.extend(trend.keys().copied());
    }
    let trend_max = trend.values().copied().fold(0.0f64, f64::max);
    let popular: Vec<i32> = sources
        .popular
        .iter()
        .copied()
        .filter(|&e| wanted(e))
        .take(POOL)
        .collect();
    let popular_max = popular.first().map_or(0.0, |&e| sources.co.popularity(e));
    pool.extend(popular.iter().copied());
    let new_since = now - Duration::days(3);
    let is_new = |e: &Item| e.published_at.is_some_and(|at| at >= new_since);
    let fresh = |e: &Item| is_new(e) && sources.co.audience(e.id) == 0;
    if w.fresh > 0.0 {
        pool.extend(
            catalog
                .newest()
                .take_while(|e| is_new(e))
                .filter(|e| fresh(e) && eligible(e))
                .take(POOL)
                .map(|e| e.id),
        );
    }
    if pool.len() < POOL {
        // a small catalog: everything eligible is a candidate
        pool.extend(catalog.items.iter().filter(|e| eligible(e)).map(|e| e.id));
    }

    let price_cap = person
        .seeds
        .iter()
        .filter(|s| s.kind.is_choice())
        .filter_map(|s| s.price_minor)
        .max()
        .map(|p| (p as f32 * 1.5).max(1500.0));

    let mut out: Vec<Ranked> = pool
        .iter()
        .filter_map(|&id| catalog.get(id))
        .map(|e| {
            let item = related.get(&e.id);
            let s_item = item.map_or(0.0, |r| r.score / related_max.max(1e-6));
            let s_factor = factor_rank.get(&e.id).copied().unwrap_or(0.0);
            let s_content = content(e);
            let (going, saved) = person.friends.get(&e.id).copied().unwrap_or((0, 0));
            let s_social = 1.0 - 0.5f32.powf(going as f32 + 0.5 * saved as f32);
            let s_trend = trend
                .get(&e.id)
                .map_or(0.0, |&t| (t / trend_max.max(1e-9)) as f32);
            let s_popular = sources.co.popularity(e.id) / popular_max.max(1e-6);
            let s_fresh = if fresh(e) { 1.0 } else { 0.0 };
            let parts = [
                (w.item * s_item, 0usize),
                (w.factor * s_factor, 1),
                (w.content * s_content, 2),
                (w.social * s_social, 3),
                (w.trending * s_trend, 4),
                (w.popular * s_popular, 5),
                (w.fresh * s_fresh, 6),
            ];
            let base: f32 = parts.iter().map(|p| p.0).sum::<f32>() + 0.05 * e.quality;
            let fit = distance_fit(person.home, e.point)
                * time_fit(e.starts_at, now)
                * match price_cap {
                    Some(cap) if e.price_minor as f32 > cap => 0.7,
                    _ => 1.0,
                }
                * 0.7f32.powi(
                    person
                        .dismissed_categories
                        .get(&e.category)
                        .copied()
                        .unwrap_or(0)
                        .min(3) as i32,
                );
            let best = parts
                .iter()
                .copied()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|p| p.0 > 0.0);
            let reason = match best.map(|p| p.1) {
                Some(0) => item
                    .and_then(|r| person.seeds.iter().find(|s| s.event == r.because))
                    .map(|s| Reason::Because {
                        kind: s.kind,
                        title: s.title.clone(),
                    })
                    .unwrap_or(Reason::SimilarTaste),
                Some(1) => Reason::SimilarTaste,
                Some(2) => Reason::Likes(e.category.clone()),
                Some(3) => Reason::Friends { going, saved },
                Some(4) => Reason::Trending,
                Some(6) => Reason::New,
                _ => Reason::Popular,
            };
            Ranked {
                event: e.id,
                score: base * fit,
                reason,
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.event.cmp(&b.event)));
    out
}

/// The `n` keys of most weight (ties by name).
fn heaviest<'a>(weights: &FxHashMap<&'a str, f32>, n: usize) -> Vec<&'a str> {
    let mut keys: Vec<(&str, f32)> = weights.iter().map(|(k, w)| (*k, *w)).collect();
    keys.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    keys.into_iter().take(n).map(|k| k.0).collect()
}

/// The `POOL` best (event, score) pairs, best first.
fn best(scored: impl Iterator<Item = (i32, f32)>) -> Vec<i32> {
    let mut scored: Vec<(i32, f32)> = scored.filter(|s| s.1 > 0.0).collect();
    if scored.len() > POOL {
        scored.select_nth_unstable_by(POOL - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(POOL);
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|s| s.0).collect()
}

/// Catalog events by interaction weight, most first: the popularity source's order.
pub fn by_popularity(catalog: &Catalog, co: &CoIndex) -> Vec<i32> {
    let mut ids: Vec<(i32, f32)> = catalog
        .items
        .iter()
        .map(|e| (e.id, co.popularity(e.id)))
        .filter(|p| p.1 > 0.0)
        .collect();
    ids.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ids.into_iter().map(|p| p.0).collect()
}

fn distance_fit(home: Option<GeoPoint>, at: Option<GeoPoint>) -> f32 {
    match (home, at) {
        (Some(home), Some(at)) => 0.4 + 0.6 / (1.0 + (home.distance_m(at) / 25_000.0) as f32),
        (Some(_), None) => 0.8,
        (None, _) => 1.0,
    }
}

fn time_fit(starts: DateTime<Utc>, now: DateTime<Utc>) -> f32 {
    let days = (starts - now).num_hours().max(0) as f32 / 24.0;
    0.6 + 0.4 * (-days / 30.0).exp()
}

/// A profile interest that names a category ("music", "Food & drink", "food-drink").
fn interest_category(interest: &str) -> Option<&'static str> {
    let i = interest.trim().to_lowercase();
    Category::ALL
        .into_iter()
        .find(|c| c.slug() == i || c.label().to_lowercase() == i)
        .map(Category::slug)
}

/// A category inside a sentence: "music", "food & drink" ("You like music"); German keeps its
/// nouns capitalised ("Essen & Trinken"). An unknown slug stays as it is.
pub fn category_words(slug: &str, locale: Locale) -> String {
    match Category::from_slug(slug).map(|c| c.label_in(locale)) {
        Some(label) if locale == Locale::de => label.to_owned(),
        Some(label) => label.to_lowercase(),
        None => slug.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_each_language() {
        let likes = Reason::Likes("food-drink".into());
        assert_eq!(likes.text(Locale::en), "You like food & drink");
        assert_eq!(likes.text(Locale::de), "Du magst Essen & Trinken");
        assert_eq!(likes.text(Locale::pt_PT), "Gosta de comida e bebida");
        let going = Reason::Friends { going: 1, saved: 2 };
        assert_eq!(going.text(Locale::en), "A friend is going");
        let saved = Reason::Friends { going: 0, saved: 3 };
        assert_eq!(saved.text(Locale::en), "3 friends are interested");
        assert_eq!(saved.text(Locale::de), "3 Freunde sind interessiert");
        let because = Reason::Because {
            kind: Kind::Save,
            title: "Fado Night".into(),
        };
        assert_eq!(because.text(Locale::en), "Because you saved Fado Night");
    }
}
