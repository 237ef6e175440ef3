//! Word matching rules shared by indexing, querying and highlighting: how many typos a word
//! may have, and whether an indexed word matches a query word.

/// Typos forgiven in a query word of `len` characters: none below 5, one from 5, two from 9
/// (Meilisearch's defaults).
pub fn typo_budget(len: usize) -> u8 {
    match len {
        0..5 => 0,
        5..9 => 1,
        _ => 2,
    }
}

/// Whether `word` (from a document) matches query word `term`: equal within the typo budget,
/// or — for the last query word, which may still be being typed — starts with it.
pub fn matches(word: &str, term: &str, prefix: bool) -> bool {
    let term: Vec<char> = term.chars().collect();
    let word: Vec<char> = word.chars().collect();
    let budget = typo_budget(term.len()) as usize;
    if prefix && word.len() >= term.len() {
        // the word's beginning, give or take a typo's worth of length
        let lo = term.len().saturating_sub(budget);
        let hi = (term.len() + budget).min(word.len());
        return (lo..=hi).any(|n| edit_distance(&word[..n], &term) <= budget);
    }
    word.len().abs_diff(term.len()) <= budget && edit_distance(&word, &term) <= budget
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours each count one.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        edit_distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn distances() {
        assert_eq!(d("jazz", "jazz"), 0);
        assert_eq!(d("concert", "concret"), 1);
        assert_eq!(d("workshop", "wrokshop"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert!(matches("jazz", "jazz", false));
        assert!(!matches("jazz", "jass", false));
        assert!(matches("concert", "concret", false));
        assert!(!matches("concert", "cnocret", false));
        assert!(matches("photography", "fotography", false));
        assert!(matches("workshop", "work", true));
        assert!(!matches("workshop", "wrkshp", true));
        assert!(matches("photography", "photogr", true));
        assert!(!matches("photography", "photogr", false));
    }
}
