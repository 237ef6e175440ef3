//! Marks query words in titles and cuts snippets around the first match, the way Meilisearch's
//! `_formatted` does, so both engines give the page the same shape.
use crate::{
    domain::discovery::{
        embedded::schema::words,
        query::{segments, CROP_WORDS},
        text::matches,
    },
    model::discovery::Segment,
};

pub struct Terms {
    terms: Vec<String>,
}

impl Terms {
    /// The query's words as the index sees them; the last one may be unfinished.
    pub fn of(query: &[String]) -> Terms {
        Terms {
            terms: query.to_vec(),
        }
    }

    fn hit(&self, word: &str) -> bool {
        let last = self.terms.len().saturating_sub(1);
        self.terms
            .iter()
            .enumerate()
            .any(|(i, t)| matches(word, t, i == last))
    }

    /// All of `text`, matches marked.
    pub fn mark(&self, text: &str) -> Vec<Segment> {
        self.mark_range(text, &words(text), 0, usize::MAX).0
    }

    /// About `CROP_WORDS` words of the first text with a match, marked; else the start of the
    /// first non-empty text.
    pub fn snippet(&self, texts: &[&str]) -> Vec<Segment> {
        for text in texts {
            let tokens = words(text);
            if let Some(first) = tokens.iter().position(|(w, _)| self.hit(w)) {
                let from = first.saturating_sub(CROP_WORDS / 3);
                return self.mark_range(text, &tokens, from, from + CROP_WORDS).0;
            }
        }
        match texts.iter().find(|t| !t.trim().is_empty()) {
            Some(text) => self.mark_range(text, &words(text), 0, CROP_WORDS).0,
            None => Vec::new(),
        }
    }

    fn mark_range(
        &self,
        text: &str,
        tokens: &[(String, std::ops::Range<usize>)],
        from: usize,
        to: usize,
    ) -> (Vec<Segment>, bool) {
        let to = to.min(tokens.len());
        if tokens.is_empty() || from >= to {
            return (segments([(text.to_owned(), false)]), false);
        }
        let start = if from == 0 { 0 } else { tokens[from].1.start };
        let end = if to == tokens.len() {
            text.len()
        } else {
            tokens[to - 1].1.end
        };
        let mut pieces = Vec::new();
        if from > 0 {
            pieces.push(("…".to_owned(), false));
        }
        let mut at = start;
        let mut any = false;
        for (word, range) in &tokens[from..to] {
            if self.hit(word) {
                pieces.push((text[at..range.start].to_owned(), false));
                pieces.push((text[range.clone()].to_owned(), true));
                at = range.end;
                any = true;
            }
        }
        pieces.push((text[at..end].to_owned(), false));
        if to < tokens.len() {
            pieces.push(("…".to_owned(), false));
        }
        (segments(pieces), any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::discovery::query::render_marked as render;

    #[test]
    fn marks_exact_typo_and_prefix_matches() {
        let terms = Terms::of(&["jazz".into(), "concret".into(), "ber".into()]);
        assert_eq!(
            render(&terms.mark("Jazz Concert in Berlin")),
            "[Jazz] [Concert] in [Berlin]"
        );
        assert_eq!(render(&terms.mark("Café Jazz")), "Café [Jazz]");
    }

    #[test]
    fn snippets_are_cut_around_the_first_match() {
        let long = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!("{long} jazz {long}");
        let terms = Terms::of(&["jazz".into()]);
        let snippet = render(&terms.snippet(&["", &text]));
        assert!(snippet.starts_with("…w92 "), "{snippet}");
        assert!(
            snippet.contains("[jazz]") && snippet.ends_with('…'),
            "{snippet}"
        );
        assert_eq!(snippet.split_whitespace().count(), CROP_WORDS);
    }
}
