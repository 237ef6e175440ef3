//! The learned part of the spam score: a binarised multinomial naive Bayes over the words of
//! the submission, trained on curator decisions (approved = not spam, rejected as spam = spam).
//!
//! Small and dependency-free on purpose: a few hundred lines of linear algebra crates would not
//! make a bag-of-words naive Bayes better, and it trains on thousands of decisions in
//! milliseconds, so retraining on every schedule tick is cheap.
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::text::{link_count, upper_ratio, words};

/// Below this many labelled decisions (or this many per class) the rules work alone.
pub const MIN_SAMPLES: usize = 20;
pub const MIN_PER_CLASS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    spam_docs: u32,
    ham_docs: u32,
    spam_tokens: u64,
    ham_tokens: u64,
    /// token → (documents of spam containing it, documents of ham containing it)
    counts: HashMap<String, (u32, u32)>,
}

/// Distinct tokens of a text: its words plus markers for links, capitals and "!!".
pub fn features(text: &str) -> HashSet<String> {
    let mut tokens: HashSet<String> = words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 2)
        .collect();
    let links = link_count(text);
    if links > 0 {
        tokens.insert(format!("__links_{}", links.min(4)));
    }
    if upper_ratio(text) > 0.35 {
        tokens.insert("__caps".into());
    }
    if text.contains("!!") {
        tokens.insert("__bangs".into());
    }
    tokens
}

impl NaiveBayes {
    pub fn train<'a>(samples: impl IntoIterator<Item = (&'a str, bool)>) -> NaiveBayes {
        let mut model = NaiveBayes::default();
        for (text, spam) in samples {
            let tokens = features(text);
            if spam {
                model.spam_docs += 1;
                model.spam_tokens += tokens.len() as u64;
            } else {
                model.ham_docs += 1;
                model.ham_tokens += tokens.len() as u64;
            }
            for token in tokens {
                let entry = model.counts.entry(token).or_default();
                if spam {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
        }
        model
    }

    /// P(spam | text), with Laplace smoothing; tokens never seen in training are ignored.
    pub fn probability(&self, text: &str) -> f64 {
        let vocabulary = self.counts.len() as f64 + 1.0;
        let docs = f64::from(self.spam_docs + self.ham_docs).max(1.0);
        let mut log_odds = ((f64::from(self.spam_docs) + 1.0) / (docs + 2.0)).ln()
            - ((f64::from(self.ham_docs) + 1.0) / (docs + 2.0)).ln();
        for token in features(text) {
            if let Some((spam, ham)) = self.counts.get(&token) {
                log_odds += ((f64::from(*spam) + 1.0) / (self.spam_tokens as f64 + vocabulary))
                    .ln()
                    - ((f64::from(*ham) + 1.0) / (self.ham_tokens as f64 + vocabulary)).ln();
            }
        }
        1.0 / (1.0 + (-log_odds).exp())
    }
}

/// A labelled decision: an id to split on, the submission's text, whether it was spam.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub id: i32,
    pub text: String,
    pub spam: bool,
}

#[derive(Debug, Clone)]
pub struct Trained {
    pub model: NaiveBayes,
    pub samples: usize,
    pub spam_samples: usize,
    /// Accuracy on every fifth decision (by id) of a model trained on the other four fifths.
    pub held_out_accuracy: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NotEnough {
    pub samples: usize,
    pub spam_samples: usize,
}

impl std::fmt::Display for NotEnough {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the learned model needs {MIN_SAMPLES} curator decisions with at least {MIN_PER_CLASS} \
             spam and {MIN_PER_CLASS} non-spam; there are {} ({} spam)",
            self.samples, self.spam_samples
        )
    }
}

pub fn accuracy(model: &NaiveBayes, test: &[&Labelled]) -> Option<f64> {
    if test.is_empty() {
        return None;
    }
    let right = test
        .iter()
        .filter(|s| (model.probability(&s.text) >= 0.5) == s.spam)
        .count();
    Some(right as f64 / test.len() as f64)
}

/// Whether this many labelled decisions are enough to train on.
pub fn enough(samples: usize, spam_samples: usize) -> Result<(), NotEnough> {
    let ham = samples.saturating_sub(spam_samples);
    if samples < MIN_SAMPLES || spam_samples < MIN_PER_CLASS || ham < MIN_PER_CLASS {
        return Err(NotEnough {
            samples,
            spam_samples,
        });
    }
    Ok(())
}

pub fn train(samples: &[Labelled]) -> Result<Trained, NotEnough> {
    let spam_samples = samples.iter().filter(|s| s.spam).count();
    enough(samples.len(), spam_samples)?;
    let (test, rest): (Vec<&Labelled>, Vec<&Labelled>) =
        samples.iter().partition(|s| s.id.rem_euclid(5) == 0);
    let held_out_accuracy = if test.iter().any(|s| s.spam) && test.iter().any(|s| !s.spam) {
        let partial = NaiveBayes::train(rest.iter().map(|s| (s.text.as_str(), s.spam)));
        accuracy(&partial, &test)
    } else {
        None
    };
    Ok(Trained {
        model: NaiveBayes::train(samples.iter().map(|s| (s.text.as_str(), s.spam))),
        samples: samples.len(),
        spam_samples,
        held_out_accuracy,
    })
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A small synthetic corpus in the shape of the demo data: ordinary event texts and spam.
    pub fn corpus(n: usize) -> Vec<Labelled> {
        let good = [
            "Jazz night at the canal with a quartet playing standards and new songs",
            "Beginner pottery workshop, all materials included, bring an apron",
            "Morning run along the river, 5 km at an easy pace, coffee afterwards",
            "Community garden day: planting, weeding and a shared lunch",
            "Talk on urban design and the future of public squares, questions welcome",
            "Family puppet theatre for children aged four to eight",
        ];
        let spam = [
            "EARN $5000 A WEEK!!! guaranteed passive income, DM me on whatsapp",
            "Crypto investment opportunity, double your bitcoin, risk free, click here",
            "Free iphone giveaway!!! act now at www.win.example cash prize",
            "Make money from home, forex secrets, telegram group, limited spots!!!",
        ];
        (0..n)
            .map(|i| {
                let is_spam = i % 3 == 0;
                let pool: &[&str] = if is_spam { &spam } else { &good };
                Labelled {
                    id: i as i32,
                    text: format!("{} {}", pool[i % pool.len()], pool[(i / 3) % pool.len()]),
                    spam: is_spam,
                }
            })
            .collect()
    }

    #[test]
    fn too_few_decisions_leave_the_rules_alone() {
        let err = train(&corpus(10)).unwrap_err();
        assert_eq!(err.samples, 10);
        assert!(err.to_string().contains("needs 20"));
    }

    #[test]
    fn learns_spam_from_decisions_and_generalises() {
        let trained = train(&corpus(60)).expect("enough samples");
        assert!(
            trained.held_out_accuracy.unwrap_or(0.0) >= 0.9,
            "{:?}",
            trained.held_out_accuracy
        );
        let model = trained.model;
        assert!(model.probability("Guaranteed income!!! DM me for the crypto secret") > 0.8);
        assert!(model.probability("A quiet pottery evening with tea and a shared lunch") < 0.2);
    }

    #[test]
    fn model_survives_serialisation() {
        let model = train(&corpus(40)).unwrap().model;
        let back: NaiveBayes =
            serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
        assert_eq!(back, model);
    }
}
