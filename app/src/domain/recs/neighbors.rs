//! Item-to-item retrieval: events chosen by the people who chose the person's events
//! ("people who saved Fado Night also saved…"), scored by co-occurrence over the square root of
//! both events' audiences (cosine similarity on who interacted), and the popularity baseline.
//! Each event's most similar events are computed when the index is built, so a list reads a
//! few hundred pairs instead of walking every co-occurrence of the person's events.
use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::interactions::Interaction;

/// How many of a person's latest events, and of an event's latest people, count towards
/// similarity: bounds the build's work whatever the history's size.
const KEEP: usize = 64;
/// How many similar events the index keeps per event.
const NEIGHBOURS: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct CoIndex {
    /// Per event, the recommendable events most similar to it, most similar first.
    similar: HashMap<i32, Vec<(i32, f32)>>,
    /// Distinct people per event.
    audience: HashMap<i32, u32>,
    /// Interaction weight per event: the popularity baseline.
    weight: HashMap<i32, f32>,
}

/// What item-to-item says about one candidate: its score and the seed that contributed most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Related {
    pub score: f32,
    pub because: i32,
    best: f32,
}

impl CoIndex {
    /// From interactions oldest first (as `interactions::load` returns them); only events for
    /// which `recommendable` holds are kept as neighbours (the upcoming catalog, live).
    pub fn build(interactions: &[Interaction], recommendable: impl Fn(i32) -> bool) -> CoIndex {
        let mut index = CoIndex::default();
        let mut by_person: HashMap<i32, Vec<i32>> = HashMap::default();
        let mut by_event: HashMap<i32, Vec<i32>> = HashMap::default();
        let mut seen: FxHashSet<(i32, i32)> = Default::default();
        // newest first, so the kept lists are the latest
        for i in interactions.iter().rev() {
            *index.weight.entry(i.event).or_insert(0.0) += i.kind.weight();
            if !seen.insert((i.person, i.event)) {
                continue;
            }
            *index.audience.entry(i.event).or_insert(0) += 1;
            let events = by_person.entry(i.person).or_default();
            if events.len() < KEEP {
                events.push(i.event);
            }
            let people = by_event.entry(i.event).or_default();
            if people.len() < KEEP {
                people.push(i.person);
            }
        }
        // dense by event id: the build counts hundreds of millions of co-occurrences
        let top = index.audience.keys().copied().max().unwrap_or(0).max(0) as usize;
        let mut audience = vec![0u32; top + 1];
        let mut wanted = vec![false; top + 1];
        for (&e, &n) in &index.audience {
            audience[e as usize] = n;
            wanted[e as usize] = recommendable(e);
        }
        for events in by_person.values_mut() {
            events.retain(|&e| wanted[e as usize]);
        }
        let mut counts = vec![0u32; top + 1];
        let mut touched: Vec<i32> = Vec::new();
        for (&event, people) in &by_event {
            for p in people {
                for &e in by_person.get(p).into_iter().flatten() {
                    if e != event {
                        if counts[e as usize] == 0 {
                            touched.push(e);
                        }
                        counts[e as usize] += 1;
                    }
                }
            }
            if touched.is_empty() {
                continue;
            }
            let n = audience[event as usize].max(1) as f32;
            let mut scored: Vec<(i32, f32)> = touched
                .drain(..)
                .map(|e| {
                    let co = std::mem::take(&mut counts[e as usize]) as f32;
                    (e, co / (n * audience[e as usize].max(1) as f32).sqrt())
                })
                .collect();
            let order = |a: &(i32, f32), b: &(i32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if scored.len() > NEIGHBOURS {
                scored.select_nth_unstable_by(NEIGHBOURS - 1, order);
                scored.truncate(NEIGHBOURS);
            }
            scored.sort_by(order);
            scored.shrink_to_fit();
            index.similar.insert(event, scored);
        }
        index
    }

    pub fn audience(&self, event: i32) -> u32 {
        self.audience.get(&event).copied().unwrap_or(0)
    }

    pub fn popularity(&self, event: i32) -> f32 {
        self.weight.get(&event).copied().unwrap_or(0.0)
    }

    /// Candidates related to `seeds` (event, weight): the sum over seeds of weight × similarity.
    pub fn related(
        &self,
        seeds: &[(i32, f32)],
        wanted: impl Fn(i32) -> bool,
    ) -> HashMap<i32, Related> {
        let mut out: HashMap<i32, Related> = HashMap::default();
        for &(seed, w) in seeds {
            for &(e, similarity) in self.similar.get(&seed).into_iter().flatten() {
                let s = w * similarity;
                let r = out.entry(e).or_insert(Related {
                    score: 0.0,
                    because: seed,
                    best: 0.0,
                });
                r.score += s;
                if s > r.best {
                    r.best = s;
                    r.because = seed;
                }
            }
        }
        out.retain(|&e, _| wanted(e));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recs::interactions::Kind;

    #[test]
    fn events_chosen_by_the_same_people_are_related() {
        let at = chrono::Utc::now();
        let mut xs = Vec::new();
        for p in 1..=5 {
            for e in [10, 11] {
                xs.push(Interaction {
                    person: p,
                    event: e,
                    kind: Kind::Save,
                    at,
                });
            }
        }
        xs.push(Interaction {
            person: 6,
            event: 12,
            kind: Kind::Save,
            at,
        });
        xs.push(Interaction {
            person: 6,
            event: 10,
            kind: Kind::View,
            at,
        });
        let index = CoIndex::build(&xs, |_| true);
        let related = index.related(&[(10, 1.0)], |_| true);
        assert!(related[&11].score > related[&12].score);
        assert_eq!(related[&11].because, 10);
        assert!(
            !related.contains_key(&10),
            "a seed is not its own neighbour"
        );
        assert_eq!(index.audience(10), 6);
    }
}
