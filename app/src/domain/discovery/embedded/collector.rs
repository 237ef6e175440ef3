//! One pass over the documents the text matched: applies the filters, counts the facets
//! (disjunctively: each group without its own filter) and keeps the best `limit` by the sort.
use std::{cmp::Ordering, collections::BinaryHeap, sync::Arc};

use tantivy::{
    collector::{Collector, SegmentCollector},
    columnar::Column,
    DocAddress, DocId, Score, SegmentOrdinal, SegmentReader,
};

use crate::{
    domain::discovery::{
        embedded::schema::category_ordinal,
        geo::GeoPoint,
        query::{Filters, Sort, Window},
    },
    model::taxonomy::Category,
};

/// What the collector needs from the query, prepared once.
pub struct Spec {
    pub filters: Filters,
    /// Bit i set: category i is allowed (all bits when no category filter).
    pub categories: u64,
    pub sort: Sort,
    pub facet_values: bool,
    pub windows: Vec<Window>,
    /// How many of the best to keep: the requested page and everything before it.
    pub keep: usize,
    /// Latitude and longitude bounds around the radius filter: a cheap test that spares most
    /// documents the great-circle distance.
    pub geo_box: Option<GeoBox>,
    /// A radius filter or a distance sort reads the documents' coordinates.
    pub needs_place: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct GeoBox {
    lat: (f64, f64),
    /// `None` near the poles, where longitude bounds mean little.
    lng: Option<(f64, f64)>,
}

impl GeoBox {
    /// A box a little larger than the circle of `metres` around `center`.
    pub fn around(center: GeoPoint, metres: f64) -> GeoBox {
        const METRES_PER_DEGREE: f64 = 111_195.0;
        let dlat = metres / METRES_PER_DEGREE * 1.01;
        let cos = center.lat.to_radians().cos();
        let lng = (cos > 0.05 && center.lat.abs() + dlat < 89.0).then(|| {
            let dlng = (metres / (METRES_PER_DEGREE * cos) * 1.01).min(180.0);
            (center.lng - dlng, center.lng + dlng)
        });
        GeoBox {
            lat: (center.lat - dlat, center.lat + dlat),
            lng,
        }
    }

    pub fn lat_bounds(&self) -> (f64, f64) {
        self.lat
    }

    /// False only for points certainly outside the circle. (A box across the antimeridian
    /// has bounds past ±180 and lets such points through to the exact test.)
    pub fn may_contain(&self, p: GeoPoint) -> bool {
        let lat_ok = p.lat >= self.lat.0 && p.lat <= self.lat.1;
        let lng_ok = match self.lng {
            Some((lo, hi)) if lo >= -180.0 && hi <= 180.0 => p.lng >= lo && p.lng <= hi,
            _ => true,
        };
        lat_ok && lng_ok
    }
}

impl Spec {
    pub fn new(
        filters: &Filters,
        sort: Sort,
        facet_values: bool,
        windows: &[Window],
        keep: usize,
    ) -> Spec {
        let categories = if filters.categories.is_empty() {
            u64::MAX
        } else {
            filters
                .categories
                .iter()
                .fold(0, |mask, slug| mask | 1 << category_ordinal(slug))
        };
        Spec {
            filters: filters.clone(),
            categories,
            sort,
            facet_values,
            windows: windows.to_vec(),
            keep,
            geo_box: filters.radius.map(|r| GeoBox::around(r.center, r.metres)),
            needs_place: filters.radius.is_some() || matches!(sort, Sort::Distance(_)),
        }
    }
}

/// Smaller sorts first. The last element is the document id, so the order is total.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub key: [f64; 3],
    pub id: u64,
    pub address: DocAddress,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .iter()
            .zip(other.key.iter())
            .map(|(a, b)| a.total_cmp(b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(self.id.cmp(&other.id))
    }
}

#[derive(Debug, Default)]
pub struct Counts {
    pub total: u64,
    pub categories: [u64; Category::ALL.len()],
    pub free: u64,
    pub paid: u64,
    pub online: u64,
    pub in_person: u64,
    pub windows: Vec<u64>,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.total += other.total;
        for (a, b) in self.categories.iter_mut().zip(other.categories) {
            *a += b;
        }
        self.free += other.free;
        self.paid += other.paid;
        self.online += other.online;
        self.in_person += other.in_person;
        self.windows
            .resize(self.windows.len().max(other.windows.len()), 0);
        for (a, b) in self.windows.iter_mut().zip(&other.windows) {
            *a += b;
        }
    }
}

pub struct EventCollector {
    pub spec: Arc<Spec>,
    pub scoring: bool,
}

pub struct Columns {
    id: Column<u64>,
    category: Column<u64>,
    organizer: Column<i64>,
    start: Column<i64>,
    ends: Column<i64>,
    is_free: Column<bool>,
    // optional values: a segment where no document has one has no column at all
    price: Option<Column<f64>>,
    is_online: Column<bool>,
    quality: Column<f64>,
    lat: Option<Column<f64>>,
    lng: Option<Column<f64>>,
}

pub struct EventSegmentCollector {
    spec: Arc<Spec>,
    segment: SegmentOrdinal,
    columns: Columns,
    counts: Counts,
    best: BinaryHeap<Ranked>,
}

impl Collector for EventCollector {
    type Fruit = (Counts, Vec<Ranked>);
    type Child = EventSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<EventSegmentCollector> {
        let ff = reader.fast_fields();
        Ok(EventSegmentCollector {
            spec: self.spec.clone(),
            segment,
            columns: Columns {
                id: ff.u64("id")?,
                category: ff.u64("category")?,
                organizer: ff.i64("organizer")?,
                start: ff.i64("start")?,
                ends: ff.i64("ends")?,
                is_free: ff.bool("is_free")?,
                price: ff.column_opt("price")?,
                is_online: ff.bool("is_online")?,
                quality: ff.f64("quality")?,
                lat: ff.column_opt("lat")?,
                lng: ff.column_opt("lng")?,
            },
            counts: Counts {
                windows: vec![0; self.spec.windows.len()],
                ..Default::default()
            },
            best: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Counts, Vec<Ranked>)>,
    ) -> tantivy::Result<(Counts, Vec<Ranked>)> {
        let mut counts = Counts {
            windows: vec![0; self.spec.windows.len()],
            ..Default::default()
        };
        let mut all = Vec::new();
        for (c, ranked) in fruits {
            counts.add(&c);
            all.extend(ranked);
        }
        all.sort_unstable();
        all.truncate(self.spec.keep);
        Ok((counts, all))
    }
}

impl SegmentCollector for EventSegmentCollector {
    type Fruit = (Counts, Vec<Ranked>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let c = &self.columns;
        let f = &self.spec.filters;
        let start = c.start.first(doc).unwrap_or(i64::MIN);
        let ends = c.ends.first(doc).unwrap_or(i64::MIN);
        if f.ends_after.is_some_and(|t| ends <= t)
            || f.organizer
                .is_some_and(|o| c.organizer.first(doc) != Some(i64::from(o)))
        {
            return;
        }
        let first = |column: &Option<Column<f64>>| column.as_ref().and_then(|c| c.first(doc));
        // two column reads per document, only for the queries that need a place
        let point = if self.spec.needs_place {
            first(&c.lat)
                .zip(first(&c.lng))
                .map(|(lat, lng)| GeoPoint { lat, lng })
        } else {
            None
        };
        let distance = |from: GeoPoint| point.map(|p| from.distance_m(p));
        let mut from_center = None;
        if let Some(radius) = f.radius {
            let Some(p) = point else { return };
            if self.spec.geo_box.is_some_and(|b| !b.may_contain(p)) {
                return;
            }
            let d = radius.center.distance_m(p);
            if d > radius.metres {
                return;
            }
            from_center = Some((radius.center, d));
        }
        let category = c.category.first(doc).unwrap_or(63).min(63);
        let is_free = c.is_free.first(doc).unwrap_or(false);
        let is_online = c.is_online.first(doc).unwrap_or(false);
        let price = first(&c.price);
        let in_category = self.spec.categories & (1 << category) != 0;
        let in_price = f.free.is_none_or(|free| free == is_free)
            && f.price_min
                .is_none_or(|min| price.is_some_and(|p| p >= min))
            && f.price_max
                .is_none_or(|max| price.is_some_and(|p| p <= max));
        let in_format = f.online.is_none_or(|online| online == is_online);
        let in_window = f.window.is_none_or(|w| w.overlaps(start, ends));

        let counts = &mut self.counts;
        if self.spec.facet_values {
            if in_price && in_format && in_window {
                if let Some(n) = counts.categories.get_mut(category as usize) {
                    *n += 1;
                }
            }
            if in_category && in_format && in_window {
                *if is_free {
                    &mut counts.free
                } else {
                    &mut counts.paid
                } += 1;
            }
            if in_category && in_price && in_window {
                *if is_online {
                    &mut counts.online
                } else {
                    &mut counts.in_person
                } += 1;
            }
        }
        if in_category && in_price && in_format {
            for (n, w) in counts.windows.iter_mut().zip(&self.spec.windows) {
                if w.overlaps(start, ends) {
                    *n += 1;
                }
            }
        }
        if !(in_category && in_price && in_format && in_window) {
            return;
        }
        counts.total += 1;
        let quality = c.quality.first(doc).unwrap_or(0.0);
        let score = f64::from(score);
        let key = match self.spec.sort {
            Sort::Relevance => [-score, -quality, start as f64],
            Sort::StartAsc => [start as f64, -score, -quality],
            Sort::Distance(from) => {
                let d = match from_center {
                    Some((center, d)) if center == from => Some(d),
                    _ => distance(from),
                };
                [d.unwrap_or(f64::INFINITY), -score, -quality]
            }
            Sort::QualityDesc => [-quality, -score, start as f64],
        };
        let ranked = Ranked {
            key,
            id: c.id.first(doc).unwrap_or(u64::MAX),
            address: DocAddress::new(self.segment, doc),
        };
        if self.best.len() < self.spec.keep {
            self.best.push(ranked);
        } else if self.best.peek().is_some_and(|worst| ranked < *worst) {
            self.best.pop();
            self.best.push(ranked);
        }
    }

    fn harvest(self) -> (Counts, Vec<Ranked>) {
        (self.counts, self.best.into_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_geo_box_keeps_everything_inside_the_circle() {
        let center = GeoPoint {
            lat: 52.52,
            lng: 13.405,
        };
        let b = GeoBox::around(center, 10_000.0);
        for bearing in (0..360).step_by(5) {
            let t = f64::from(bearing).to_radians();
            // step out along the bearing to just inside the circle
            let mut p = center;
            let mut step = 0.0;
            while center.distance_m(p) < 9_990.0 {
                step += 0.0002;
                p = GeoPoint {
                    lat: center.lat + step * t.cos(),
                    lng: center.lng + step * t.sin() / center.lat.to_radians().cos(),
                };
            }
            assert!(b.may_contain(p), "bearing {bearing}");
        }
        let munich = GeoPoint {
            lat: 48.14,
            lng: 11.58,
        };
        assert!(!b.may_contain(munich));
    }
}
