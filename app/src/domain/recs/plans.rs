//! Who is going to or saved which upcoming event, as the co-occurrence index last read it: a
//! list counts its friends' plans from memory instead of walking every friend's edges in the
//! graph. Who the friends are (and whether they share their plans) is still read live.
use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::interactions::{Interaction, Kind};

#[derive(Debug, Default)]
pub struct Plans(FxHashMap<i32, Vec<(i32, Plan)>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Plan {
    Going,
    Saved,
}

impl Plans {
    /// From every interaction; only events for which `upcoming` holds are kept.
    pub fn build(interactions: &[Interaction], upcoming: impl Fn(i32) -> bool) -> Plans {
        let mut seen: FxHashSet<(i32, i32, Plan)> = FxHashSet::default();
        let mut plans = Plans::default();
        for i in interactions {
            let plan = match i.kind {
                Kind::Rsvp | Kind::CheckIn => Plan::Going,
                Kind::Save => Plan::Saved,
                Kind::View | Kind::Review => continue,
            };
            if upcoming(i.event) && seen.insert((i.person, i.event, plan)) {
                plans.0.entry(i.person).or_default().push((i.event, plan));
            }
        }
        plans
    }

    /// Per event, how many of `people` are going and how many saved it.
    pub fn of(&self, people: &[i32]) -> HashMap<i32, (u32, u32)> {
        let mut counts: HashMap<i32, (u32, u32)> = HashMap::new();
        for (event, plan) in people.iter().filter_map(|p| self.0.get(p)).flatten() {
            let c = counts.entry(*event).or_default();
            match plan {
                Plan::Going => c.0 += 1,
                Plan::Saved => c.1 += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn did(person: i32, event: i32, kind: Kind) -> Interaction {
        Interaction {
            person,
            event,
            kind,
            at: Utc::now(),
        }
    }

    #[test]
    fn counts_each_friend_once_per_plan_and_only_upcoming_events() {
        let plans = Plans::build(
            &[
                did(1, 10, Kind::Rsvp),
                did(1, 10, Kind::CheckIn),
                did(1, 10, Kind::Save),
                did(2, 10, Kind::Save),
                did(2, 11, Kind::View),
                did(3, 10, Kind::Rsvp),
                did(2, 99, Kind::Rsvp),
            ],
            |e| e != 99,
        );
        let counts = plans.of(&[1, 2]);
        assert_eq!(counts.get(&10), Some(&(1, 2)));
        assert_eq!(counts.get(&11), None, "a view is not a plan");
        assert_eq!(counts.get(&99), None, "past events are not kept");
    }
}
