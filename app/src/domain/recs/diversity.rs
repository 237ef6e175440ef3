//! The post-ranking rules every list keeps: at most a third of its events from one category and
//! at most half in one time slot (`catalog::Slot`). Applied greedily down the ranking; when the
//! candidates run out before the list is full, the list is shortened until it keeps the rules
//! at its final length, so no list breaks them (a list of fewer than three events could not,
//! and is left empty).
use std::collections::HashMap;

use super::catalog::{Catalog, Item, Slot};

/// The smallest list that can keep the rules (one event from each of three categories).
pub const MIN_LIST: usize = 3;

/// Whether a list keeps both rules.
pub fn keeps_rules(items: &[&Item]) -> bool {
    let n = items.len();
    if n == 0 {
        return true;
    }
    if n < MIN_LIST {
        return false;
    }
    let (cats, slots) = counts(items.iter().copied());
    cats.values().all(|&c| c <= n / 3) && slots.values().all(|&c| c <= n / 2)
}

fn counts<'a>(
    items: impl Iterator<Item = &'a Item>,
) -> (HashMap<&'a str, usize>, HashMap<Slot, usize>) {
    let mut cats = HashMap::new();
    let mut slots = HashMap::new();
    for item in items {
        *cats.entry(item.category.as_str()).or_insert(0) += 1;
        *slots.entry(item.slot).or_insert(0) += 1;
    }
    (cats, slots)
}

/// The first `n` of `ranked` (best first) that keep the rules.
pub fn diversify(ranked: &[i32], catalog: &Catalog, n: usize) -> Vec<i32> {
    let mut picked: Vec<&Item> = Vec::with_capacity(n);
    let (mut cats, mut slots): (HashMap<&str, usize>, HashMap<Slot, usize>) = Default::default();
    for item in ranked.iter().filter_map(|&id| catalog.get(id)) {
        if picked.len() == n {
            break;
        }
        let c = cats.get(item.category.as_str()).copied().unwrap_or(0);
        let s = slots.get(&item.slot).copied().unwrap_or(0);
        if c < n / 3 && s < n / 2 {
            *cats.entry(item.category.as_str()).or_insert(0) += 1;
            *slots.entry(item.slot).or_insert(0) += 1;
            picked.push(item);
        }
    }
    // short of `n`: drop the lowest-ranked event of an over-full group until the rules hold
    while !keeps_rules(&picked) {
        let len = picked.len();
        if len < MIN_LIST {
            picked.clear();
            break;
        }
        let (cats, slots) = counts(picked.iter().copied());
        let over = picked.iter().rposition(|item| {
            cats[item.category.as_str()] > len / 3 || slots[&item.slot] > len / 2
        });
        match over {
            Some(at) => {
                picked.remove(at);
            }
            None => picked.truncate(len - 1),
        }
    }
    picked.iter().map(|item| item.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn item(id: i32, category: &str, part: u8) -> Item {
        Item {
            id,
            organizer: 1,
            title: format!("e{id}"),
            category: category.into(),
            tags: vec![],
            starts_at: Utc::now(),
            ends_at: Utc::now(),
            slot: Slot {
                weekend: false,
                part,
            },
            point: None,
            price_minor: 0,
            full: false,
            waitlist: false,
            quality: 0.5,
            published_at: None,
        }
    }

    #[test]
    fn a_list_keeps_both_rules_whatever_the_ranking() {
        // the ranking is all music in the evening first
        let mut items: Vec<Item> = (0..20).map(|i| item(i, "music", 2)).collect();
        items.extend(
            (20..26).map(|i| item(i, ["arts", "tech", "sports"][i as usize % 3], (i % 2) as u8)),
        );
        let catalog = Catalog::new(items);
        let ranked: Vec<i32> = (0..26).collect();
        let list = diversify(&ranked, &catalog, 12);
        let picked: Vec<&Item> = list.iter().filter_map(|&id| catalog.get(id)).collect();
        assert!(keeps_rules(&picked), "{list:?}");
        assert!(list.len() >= 6, "{list:?}");
        assert_eq!(list[0], 0, "the best event leads");
    }

    #[test]
    fn too_few_kinds_of_event_make_no_list() {
        let catalog = Catalog::new((0..5).map(|i| item(i, "music", 2)).collect());
        assert!(diversify(&[0, 1, 2, 3, 4], &catalog, 8).is_empty());
    }
}
