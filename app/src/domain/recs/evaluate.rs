//! `lineup recs evaluate`: how well each method predicts what people chose later. The
//! interactions are split at a moment in time (the first `TRAIN_SHARE` of them train, as if
//! the rest had not happened yet); each person's later saves and registrations of events that
//! were open at that moment are what a list of 10 should have held. Reported per method:
//! recall@10 (share of those events in the list), NDCG@10 (the same, rewarding higher places),
//! catalog coverage (share of open events that appear in any list) and the share of lists
//! that keep the diversity rules. Friends' activity is not replayed (the graph keeps no
//! history), so the blend is measured without its social source.
use std::{
    collections::{HashMap, HashSet},
    io::Write,
    path::Path,
};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use super::{
    catalog::{Catalog, Item},
    diversity::{diversify, keeps_rules},
    factors::{FactorModel, ITERATIONS},
    interactions::{self, Described, History, Interaction},
    neighbors::CoIndex,
    rank::{self, Person, Sources, BLEND},
    trending,
};
use crate::{
    domain::{context::internal, discovery::geo::GeoPoint},
    error::AppError,
};
use entity::user;

pub const TRAIN_SHARE: f64 = 0.8;
pub const AT: usize = 10;

pub struct Split {
    pub at: DateTime<Utc>,
    pub train: Vec<Interaction>,
    /// Later choices of people seen in training, of events open at `at` they had not touched.
    pub test: Vec<Interaction>,
}

/// Splits time-ordered interactions at the `share` quantile of their times.
pub fn split(all: &[Interaction], share: f64) -> Split {
    let cut = ((all.len() as f64 * share) as usize).min(all.len().saturating_sub(1));
    let at = all.get(cut).map_or_else(Utc::now, |i| i.at);
    let train: Vec<Interaction> = all.iter().filter(|i| i.at < at).copied().collect();
    let seen: HashSet<(i32, i32)> = train.iter().map(|i| (i.person, i.event)).collect();
    let people: HashSet<i32> = train.iter().map(|i| i.person).collect();
    let mut test: Vec<Interaction> = Vec::new();
    let mut tested: HashSet<(i32, i32)> = HashSet::new();
    for i in all.iter().filter(|i| i.at >= at && i.kind.is_choice()) {
        if people.contains(&i.person)
            && !seen.contains(&(i.person, i.event))
            && tested.insert((i.person, i.event))
        {
            test.push(*i);
        }
    }
    Split { at, train, test }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub method: &'static str,
    pub recall: f64,
    pub ndcg: f64,
    pub coverage: f64,
    pub diverse: f64,
    pub people: usize,
}

impl std::fmt::Display for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<14} recall@10 {:.3}  NDCG@10 {:.3}  coverage {:>5.1}%  diverse lists {:>5.1}%",
            self.method,
            self.recall,
            self.ndcg,
            self.coverage * 100.0,
            self.diverse * 100.0
        )
    }
}

/// What the evaluation needs from the database.
pub struct Data {
    pub interactions: Vec<Interaction>,
    pub catalog: Catalog,
    pub people: HashMap<i32, (Vec<String>, Option<GeoPoint>)>,
}

pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Data, AppError> {
    let interactions = interactions::load(db, None).await?;
    let catalog = Catalog::ever_public(db).await?;
    let rows: Vec<(i32, String, Option<f64>, Option<f64>)> = user::Entity::find()
        .select_only()
        .columns([
            user::Column::Id,
            user::Column::Interests,
            user::Column::HomeLat,
            user::Column::HomeLng,
        ])
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let people = rows
        .into_iter()
        .map(|(id, interests, lat, lng)| {
            (
                id,
                (
                    interactions::split_list(&interests),
                    lat.zip(lng).map(|(lat, lng)| GeoPoint { lat, lng }),
                ),
            )
        })
        .collect();
    Ok(Data {
        interactions,
        catalog,
        people,
    })
}

/// Every method's figures on `split`.
pub fn evaluate(data: &Data, split: &Split) -> Vec<Metrics> {
    let at = split.at;
    // the events open at the split: published by then and not yet over
    let open: Vec<Item> = data
        .catalog
        .items
        .iter()
        .filter(|e| e.ends_at > at && e.published_at.is_some_and(|p| p <= at))
        .cloned()
        .map(|mut e| {
            e.full = false;
            e
        })
        .collect();
    let open = Catalog::new(open);
    let open_ids: HashSet<i32> = open.items.iter().map(|e| e.id).collect();
    let mut relevant: HashMap<i32, HashSet<i32>> = HashMap::new();
    for i in split.test.iter().filter(|i| open_ids.contains(&i.event)) {
        relevant.entry(i.person).or_default().insert(i.event);
    }
    let co = CoIndex::build(&split.train, |e| open_ids.contains(&e));
    let model = FactorModel::train(&split.train, ITERATIONS);
    let recent: Vec<Interaction> = split
        .train
        .iter()
        .filter(|i| i.at >= at - Duration::days(trending::WINDOW_DAYS))
        .copied()
        .collect();
    let trend = trending::compute(&recent, &[], at);
    let popular = rank::by_popularity(&open, &co);
    let aligned = model.aligned(&open);
    let mut history: HashMap<i32, Vec<&Interaction>> = HashMap::new();
    for i in &split.train {
        history.entry(i.person).or_default().push(i);
    }
    let all_events = &data.catalog;

    let mut people: Vec<i32> = relevant.keys().copied().collect();
    people.sort_unstable();
    let methods: [&'static str; 4] = ["popularity", "item-to-item", "factor model", "blend"];
    methods
        .iter()
        .map(|&method| {
            let mut lists: Vec<Vec<i32>> = Vec::with_capacity(people.len());
            for &p in &people {
                let mine = history.get(&p).map(Vec::as_slice).unwrap_or(&[]);
                let person = person_at(p, mine, data, all_events, at);
                let sources = Sources {
                    catalog: &open,
                    co: &co,
                    factors: Some(&model),
                    aligned: Some(&aligned),
                    trending: &trend,
                    popular: &popular,
                };
                let cands: Vec<i32> = rank::candidates(&person, &open, at).map(|e| e.id).collect();
                let list = match method {
                    "popularity" => top(cands.iter().map(|&e| (e, co.popularity(e)))),
                    "item-to-item" => {
                        let wanted: HashSet<i32> = cands.iter().copied().collect();
                        let mut seeds: Vec<(i32, f32)> =
                            person.seeds.iter().map(|s| (s.event, s.weight)).collect();
                        seeds.sort_by(|a, b| b.1.total_cmp(&a.1));
                        seeds.truncate(12);
                        let related = co.related(&seeds, |e| wanted.contains(&e));
                        top(related.into_iter().map(|(e, r)| (e, r.score)))
                    }
                    "factor model" => match model.person(p) {
                        Some(me) => {
                            top(cands.iter().filter_map(|&e| Some((e, model.score(me, e)?))))
                        }
                        None => Vec::new(),
                    },
                    _ => {
                        let ranked = rank::rank(&person, &sources, &BLEND, at);
                        let ids: Vec<i32> = ranked.iter().map(|r| r.event).collect();
                        diversify(&ids, &open, AT)
                    }
                };
                lists.push(list);
            }
            score(method, &people, &lists, &relevant, &open)
        })
        .collect()
}

/// The `AT` best by score (ties by id), leaving out what scored nothing.
fn top(scored: impl Iterator<Item = (i32, f32)>) -> Vec<i32> {
    let mut scored: Vec<(i32, f32)> = scored.filter(|s| s.1 > 0.0).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(AT).map(|s| s.0).collect()
}

fn person_at(
    id: i32,
    history: &[&Interaction],
    data: &Data,
    events: &Catalog,
    at: DateTime<Utc>,
) -> Person {
    let mut mine = History::default();
    for i in history {
        mine.note(i.event, i.kind, i.at, at);
    }
    let seeds = mine.seeds(|event| {
        let e = events.get(event)?;
        Some(Described {
            title: e.title.clone(),
            category: e.category.clone(),
            tags: e.tags.clone(),
            price_minor: Some(e.price_minor),
        })
    });
    let (interests, home) = data.people.get(&id).cloned().unwrap_or_default();
    Person {
        id,
        seeds,
        interests,
        home,
        excluded: mine.events().collect(),
        ..Default::default()
    }
}

fn score(
    method: &'static str,
    people: &[i32],
    lists: &[Vec<i32>],
    relevant: &HashMap<i32, HashSet<i32>>,
    open: &Catalog,
) -> Metrics {
    let (mut recall, mut ndcg, mut diverse) = (0.0, 0.0, 0usize);
    let mut shown: HashSet<i32> = HashSet::new();
    for (p, list) in people.iter().zip(lists) {
        let rel = &relevant[p];
        let hits: Vec<usize> = list
            .iter()
            .enumerate()
            .filter(|(_, e)| rel.contains(e))
            .map(|(i, _)| i)
            .collect();
        recall += hits.len() as f64 / rel.len() as f64;
        let dcg: f64 = hits.iter().map(|&i| 1.0 / (i as f64 + 2.0).log2()).sum();
        let idcg: f64 = (0..rel.len().min(AT))
            .map(|i| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        ndcg += dcg / idcg;
        let items: Vec<&Item> = list.iter().filter_map(|&e| open.get(e)).collect();
        if !items.is_empty() && keeps_rules(&items) {
            diverse += 1;
        }
        shown.extend(list.iter().copied());
    }
    let n = people.len().max(1) as f64;
    Metrics {
        method,
        recall: recall / n,
        ndcg: ndcg / n,
        coverage: shown.len() as f64 / open.len().max(1) as f64,
        diverse: diverse as f64 / n,
        people: people.len(),
    }
}

/// Writes `train.csv` and `test.csv` (person, event, kind, time) into `dir`.
pub fn export(dir: &Path, split: &Split) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, rows) in [("train.csv", &split.train), ("test.csv", &split.test)] {
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
        writeln!(out, "person,event,kind,time")?;
        for i in rows {
            writeln!(
                out,
                "{},{},{},{}",
                i.person,
                i.event,
                i.kind.as_str(),
                i.at.to_rfc3339()
            )?;
        }
        out.flush()?;
    }
    Ok(())
}
