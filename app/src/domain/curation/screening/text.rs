//! Text features shared by the scores: words, sentences, shingles and MinHash signatures.
/// Lower-case words of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

pub fn sentence_count(text: &str) -> usize {
    text.split(['.', '!', '?', '\n'])
        .filter(|s| s.split_whitespace().count() >= 2)
        .count()
}

/// http(s) links and bare `www.` addresses.
pub fn link_count(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count()
        + lower.matches("https://").count()
        + lower.matches("www.").count()
}

/// Share of letters that are upper case, over texts with enough letters to judge.
pub fn upper_ratio(text: &str) -> f64 {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 6 {
        return 0.0;
    }
    letters.iter().filter(|c| c.is_uppercase()).count() as f64 / letters.len() as f64
}

/// The longest run of one repeated non-space character ("!!!!!", "soooo").
pub fn longest_repeat(text: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut last = None;
    for c in text.chars() {
        if Some(c) == last && !c.is_whitespace() {
            run += 1;
        } else {
            run = 1;
            last = Some(c);
        }
        best = best.max(run);
    }
    best
}

const NUM_HASHES: u64 = 64;

/// Word 3-shingles hashed into a MinHash signature: the share of equal positions between two
/// signatures estimates the Jaccard similarity of the texts' shingle sets.
pub fn minhash(text: &str) -> Option<Vec<u64>> {
    let words = words(text);
    if words.len() < 3 {
        return None;
    }
    let hashed: Vec<u64> = words.iter().map(|w| fnv1a(w.as_bytes())).collect();
    let shingles: Vec<u64> = hashed
        .windows(3)
        .map(|w| mix(w[0] ^ mix(w[1] ^ mix(w[2]))))
        .collect();
    Some(
        (0..NUM_HASHES)
            .map(|seed| {
                shingles
                    .iter()
                    .map(|s| mix(s ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
                    .min()
                    .unwrap_or(u64::MAX)
            })
            .collect(),
    )
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: a cheap, well-distributed permutation of 64-bit values.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minhash_estimates_overlap() {
        let a =
            "a warm evening of jazz by the canal with friends and a small band playing standards";
        let b = "a warm evening of jazz by the canal with friends and a small band playing standards tonight";
        let c =
            "beginner pottery workshop where you learn to throw a bowl on the wheel in two hours";
        let (a, b, c) = (
            minhash(a).unwrap(),
            minhash(b).unwrap(),
            minhash(c).unwrap(),
        );
        assert!(similarity(&a, &b) > 0.7, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1, "{}", similarity(&a, &c));
    }

    #[test]
    fn shouting_and_repeats_are_measured() {
        assert!(upper_ratio("FREE MONEY FOR EVERYONE TODAY") > 0.9);
        assert!(upper_ratio("A calm Sunday walk in the park") < 0.2);
        assert_eq!(longest_repeat("wow!!!!!"), 5);
        assert_eq!(link_count("see https://a.example and www.b.example"), 2);
    }
}
