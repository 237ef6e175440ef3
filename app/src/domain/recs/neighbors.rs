//! Item-to-item retrieval: events chosen by the people who chose the person's events
//! ("people who saved Fado Night also saved…"), scored by co-occurrence over the square root of
//! both events' audiences (cosine similarity on who interacted), and the popularity baseline.
use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::interactions::Interaction;

/// How many of a person's latest events, and of an event's latest people, the index keeps:
/// bounds a list's work whatever the history's size.
const KEEP: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct CoIndex {
    by_person: HashMap<i32, Vec<i32>>,
    by_event: HashMap<i32, Vec<i32>>,
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
    /// From interactions oldest first (as `interactions::load` returns them).
    pub fn build(interactions: &[Interaction]) -> CoIndex {
        let mut index = CoIndex::default();
        let mut seen: FxHashSet<(i32, i32)> = Default::default();
        // newest first, so the kept lists are the latest
        for i in interactions.iter().rev() {
            *index.weight.entry(i.event).or_insert(0.0) += i.kind.weight();
            if !seen.insert((i.person, i.event)) {
                continue;
            }
            *index.audience.entry(i.event).or_insert(0) += 1;
            let events = index.by_person.entry(i.person).or_default();
            if events.len() < KEEP {
                events.push(i.event);
            }
            let people = index.by_event.entry(i.event).or_default();
            if people.len() < KEEP {
                people.push(i.person);
            }
        }
        index
    }

    pub fn audience(&self, event: i32) -> u32 {
        self.audience.get(&event).copied().unwrap_or(0)
    }

    pub fn popularity(&self, event: i32) -> f32 {
        self.weight.get(&event).copied().unwrap_or(0.0)
    }

    /// Candidates related to `seeds` (event, weight), leaving out `me`'s own history.
    pub fn related(
        &self,
        me: i32,
        seeds: &[(i32, f32)],
        wanted: impl Fn(i32) -> bool,
    ) -> HashMap<i32, Related> {
        let mut out: HashMap<i32, Related> = HashMap::default();
        for &(seed, w) in seeds {
            let Some(people) = self.by_event.get(&seed) else {
                continue;
            };
            let n_seed = self.audience(seed).max(1) as f32;
            let mut local: HashMap<i32, f32> = HashMap::default();
            for &p in people.iter().filter(|&&p| p != me) {
                for &e in self.by_person.get(&p).into_iter().flatten() {
                    if e != seed && wanted(e) {
                        *local.entry(e).or_insert(0.0) += 1.0;
                    }
                }
            }
            for (e, co) in local {
                let s = w * co / (n_seed * self.audience(e).max(1) as f32).sqrt();
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
        let index = CoIndex::build(&xs);
        let related = index.related(99, &[(10, 1.0)], |_| true);
        assert!(related[&11].score > related[&12].score);
        assert_eq!(related[&11].because, 10);
        assert!(
            !related.contains_key(&10),
            "a seed is not its own neighbour"
        );
        assert_eq!(index.audience(10), 6);
    }
}
