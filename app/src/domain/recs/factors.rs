//! The learned part of collaborative retrieval: an implicit-feedback matrix factorization
//! (Hu, Koren & Volinsky 2008) trained by alternating least squares, each least-squares step
//! solved approximately by a few conjugate-gradient iterations (Takács, Pilászy & Tikk 2011),
//! as the `implicit` library does. Every (person, event) pair someone interacted with is a
//! preference of 1 with confidence `1 + ALPHA · Σ weights`; every other pair a preference of 0
//! with confidence 1.
//!
//! Written here rather than taken from a crate: no maintained Rust crate implements implicit
//! ALS, and the whole method is the two small loops below over `K`-long vectors.
use std::collections::HashMap;

use super::interactions::Interaction;

/// Factors per person and per event.
pub const K: usize = 32;
const ALPHA: f32 = 8.0;
const LAMBDA: f32 = 0.1;
pub const ITERATIONS: usize = 12;
const CG_STEPS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct FactorModel {
    people: HashMap<i32, usize>,
    events: Vec<i32>,
    event_index: HashMap<i32, usize>,
    person_factors: Vec<f32>,
    event_factors: Vec<f32>,
    /// Yᵀ·Y + λ·I over the event factors, which every fold-in needs.
    gram: Vec<f32>,
}

/// Rows of (index, confidence − 1) per person and per event.
type Sparse = Vec<Vec<(u32, f32)>>;

impl FactorModel {
    pub fn people(&self) -> usize {
        self.people.len()
    }

    pub fn events(&self) -> usize {
        self.events.len()
    }

    /// Trains on `interactions` (each person's weights per event are summed).
    pub fn train(interactions: &[Interaction], iterations: usize) -> FactorModel {
        let mut people: HashMap<i32, usize> = HashMap::new();
        let mut event_index: HashMap<i32, usize> = HashMap::new();
        let mut events = Vec::new();
        let mut weights: HashMap<(usize, usize), f32> = HashMap::new();
        for i in interactions {
            let n = people.len();
            let p = *people.entry(i.person).or_insert(n);
            let e = *event_index.entry(i.event).or_insert_with(|| {
                events.push(i.event);
                events.len() - 1
            });
            *weights.entry((p, e)).or_insert(0.0) += i.kind.weight();
        }
        let (np, ne) = (people.len(), events.len());
        let mut by_person: Sparse = vec![Vec::new(); np];
        let mut by_event: Sparse = vec![Vec::new(); ne];
        for (&(p, e), &w) in &weights {
            by_person[p].push((e as u32, ALPHA * w));
            by_event[e].push((p as u32, ALPHA * w));
        }
        let mut person_factors = init(np, 1);
        let mut event_factors = init(ne, 2);
        for _ in 0..iterations {
            let g = gram(&event_factors);
            solve_all(
                &mut person_factors,
                &event_factors,
                &by_person,
                &g,
                CG_STEPS,
            );
            let g = gram(&person_factors);
            solve_all(&mut event_factors, &person_factors, &by_event, &g, CG_STEPS);
        }
        let gram = gram(&event_factors);
        FactorModel {
            people,
            events,
            event_index,
            person_factors,
            event_factors,
            gram,
        }
    }

    /// A person's factors from their interactions now, solved against the trained event factors
    /// (so a save made a minute ago counts, and someone who joined after training has factors).
    /// `None` when none of their events is in the model.
    pub fn fold_in(&self, seeds: &[(i32, f32)]) -> Option<Vec<f32>> {
        let row: Vec<(u32, f32)> = seeds
            .iter()
            .filter_map(|&(e, w)| Some((*self.event_index.get(&e)? as u32, ALPHA * w)))
            .collect();
        if row.is_empty() {
            return None;
        }
        let mut x = vec![0.0; K];
        // K conjugate-gradient steps solve a K×K system exactly (up to rounding)
        solve(&mut x, &self.event_factors, &row, &self.gram, K);
        Some(x)
    }

    /// The trained factors of a person seen in training.
    pub fn person(&self, id: i32) -> Option<&[f32]> {
        self.people
            .get(&id)
            .map(|&p| &self.person_factors[p * K..(p + 1) * K])
    }

    /// Predicted preference of `person` (factors) for `event`; `None` for events the model never
    /// saw (new events: cold start, left to the other sources).
    pub fn score(&self, person: &[f32], event: i32) -> Option<f32> {
        let e = *self.event_index.get(&event)?;
        Some(dot(person, &self.event_factors[e * K..(e + 1) * K]))
    }

    /// Packs the model: a header of counts, then ids and factors, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut people: Vec<(i32, usize)> = self.people.iter().map(|(&id, &i)| (id, i)).collect();
        people.sort_by_key(|&(_, i)| i);
        let mut out =
            Vec::with_capacity(16 + 4 * (people.len() + self.events.len()) * (K + 1) + 4 * K * K);
        for n in [K, people.len(), self.events.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for (id, _) in &people {
            out.extend_from_slice(&id.to_le_bytes());
        }
        for id in &self.events {
            out.extend_from_slice(&id.to_le_bytes());
        }
        for f in self.person_factors.iter().chain(&self.event_factors) {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<FactorModel> {
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| <[u8; 4]>::try_from(c).unwrap_or_default());
        let mut next_u32 = || words.next().map(u32::from_le_bytes);
        let (k, np, ne) = (
            next_u32()? as usize,
            next_u32()? as usize,
            next_u32()? as usize,
        );
        if k != K || bytes.len() != 4 * (3 + np + ne + (np + ne) * K) {
            return None;
        }
        let mut people = HashMap::with_capacity(np);
        for p in 0..np {
            people.insert(next_u32()? as i32, p);
        }
        let mut events = Vec::with_capacity(ne);
        for _ in 0..ne {
            events.push(next_u32()? as i32);
        }
        let mut floats = Vec::with_capacity((np + ne) * K);
        for _ in 0..(np + ne) * K {
            floats.push(f32::from_bits(next_u32()?));
        }
        let event_factors = floats.split_off(np * K);
        let event_index = events.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let gram = gram(&event_factors);
        Some(FactorModel {
            people,
            events,
            event_index,
            person_factors: floats,
            event_factors,
            gram,
        })
    }
}

/// The event factors in the order of a catalog's items (zeros, and not `known`, for events the
/// model never saw): scoring a whole catalog is then one pass over contiguous memory.
#[derive(Debug, Clone, Default)]
pub struct Aligned {
    pub rows: Vec<f32>,
    pub known: Vec<bool>,
}

impl FactorModel {
    pub fn aligned(&self, catalog: &super::catalog::Catalog) -> Aligned {
        let mut rows = vec![0.0f32; catalog.len() * K];
        let mut known = vec![false; catalog.len()];
        for (i, item) in catalog.items.iter().enumerate() {
            if let Some(&e) = self.event_index.get(&item.id) {
                rows[i * K..(i + 1) * K].copy_from_slice(&self.event_factors[e * K..(e + 1) * K]);
                known[i] = true;
            }
        }
        Aligned { rows, known }
    }
}

/// Eight running sums, so the compiler can keep them in one vector register.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Small deterministic starting factors (a fixed pseudo-random sequence).
fn init(rows: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..rows * K)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.1
        })
        .collect()
}

/// Yᵀ·Y + λ·I.
fn gram(factors: &[f32]) -> Vec<f32> {
    let mut g = vec![0.0f32; K * K];
    for row in factors.chunks_exact(K) {
        for i in 0..K {
            let ri = row[i];
            for j in 0..K {
                g[i * K + j] += ri * row[j];
            }
        }
    }
    for i in 0..K {
        g[i * K + i] += LAMBDA;
    }
    g
}

fn solve_all(xs: &mut [f32], ys: &[f32], rows: &Sparse, gram: &[f32], steps: usize) {
    for (x, row) in xs.chunks_exact_mut(K).zip(rows) {
        solve(x, ys, row, gram, steps);
    }
}

/// A few conjugate-gradient steps towards x = (YᵀCY + λI)⁻¹ YᵀC·p, starting from `x`.
fn solve(x: &mut [f32], ys: &[f32], row: &[(u32, f32)], gram: &[f32], steps: usize) {
    let y = |i: u32| &ys[i as usize * K..(i as usize + 1) * K];
    // r = YᵀC·p − (YᵀCY + λI)·x
    let mut r = vec![0.0f32; K];
    mat_vec(gram, x, &mut r);
    r.iter_mut().for_each(|v| *v = -*v);
    for &(i, c1) in row {
        let yi = y(i);
        let coef = (1.0 + c1) - c1 * dot(yi, x);
        axpy(coef, yi, &mut r);
    }
    let mut p = r.clone();
    let mut rs_old = dot(&r, &r);
    let mut ap = vec![0.0f32; K];
    for _ in 0..steps {
        if rs_old < 1e-12 {
            break;
        }
        mat_vec(gram, &p, &mut ap);
        for &(i, c1) in row {
            let yi = y(i);
            axpy(c1 * dot(yi, &p), yi, &mut ap);
        }
        let denom = dot(&p, &ap);
        if denom.abs() < 1e-20 {
            break;
        }
        let alpha = rs_old / denom;
        axpy(alpha, &p, x);
        axpy(-alpha, &ap, &mut r);
        let rs_new = dot(&r, &r);
        let beta = rs_new / rs_old;
        for (pv, rv) in p.iter_mut().zip(&r) {
            *pv = rv + beta * *pv;
        }
        rs_old = rs_new;
    }
}

fn mat_vec(m: &[f32], v: &[f32], out: &mut [f32]) {
    for (o, row) in out.iter_mut().zip(m.chunks_exact(K)) {
        *o = dot(row, v);
    }
}

fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for (yv, xv) in y.iter_mut().zip(x) {
        *yv += a * xv;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recs::interactions::Kind;

    fn at() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    /// Two groups of people who each like their own group of events: a person of the first
    /// group is predicted to like an unseen event of the first group more than one of the second.
    #[test]
    fn learns_two_tastes_apart() {
        let mut xs = Vec::new();
        for p in 0..40 {
            let group = p % 2;
            for e in 0..10 {
                // each person misses event 9 of their group
                if e == 9 && p < 2 {
                    continue;
                }
                if (p + e) % 3 == 0 && p >= 2 {
                    continue;
                }
                xs.push(Interaction {
                    person: p,
                    event: group * 100 + e,
                    kind: Kind::Save,
                    at: at(),
                });
            }
        }
        let model = FactorModel::train(&xs, ITERATIONS);
        let me = model.person(0).expect("trained person");
        let own = model.score(me, 9).unwrap();
        let other = model.score(me, 109).unwrap();
        assert!(own > other + 0.2, "own {own} other {other}");
        let folded = model.fold_in(&[(1, 3.0), (2, 3.0), (3, 3.0)]).unwrap();
        assert!(model.score(&folded, 9).unwrap() > model.score(&folded, 109).unwrap());
    }

    #[test]
    fn packs_and_unpacks_the_same_model() {
        let xs: Vec<Interaction> = (0..30)
            .map(|i| Interaction {
                person: i % 7,
                event: i % 5 + 10,
                kind: Kind::Rsvp,
                at: at(),
            })
            .collect();
        let model = FactorModel::train(&xs, 3);
        let back = FactorModel::from_bytes(&model.to_bytes()).expect("unpacks");
        assert_eq!(back.people(), model.people());
        let (a, b) = (model.person(3).unwrap(), back.person(3).unwrap());
        assert_eq!(a, b);
        assert_eq!(model.score(a, 12), back.score(b, 12));
        assert!(FactorModel::from_bytes(&[1, 2, 3]).is_none());
    }
}
