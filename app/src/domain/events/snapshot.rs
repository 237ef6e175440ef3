//! The editable fields of an event as one value: what a revision stores, what review compares,
//! what a rollback restores.
use chrono::{DateTime, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};

use crate::{i18n::td_string, model::language::Locale};
use entity::event;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub category: String,
    pub tags: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub capacity: i32,
    pub is_free: bool,
    pub price_text: Option<String>,
    pub cover_image_id: Option<i32>,
}

/// A changed field, for the revision diff: its name and both values as text.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

impl FieldChange {
    /// The field's name as the event form calls it.
    pub fn label(&self, locale: Locale) -> &'static str {
        match self.field {
            "title" => td_string!(locale, events.snapshot.title),
            "summary" => td_string!(locale, events.snapshot.summary),
            "description_md" => td_string!(locale, events.snapshot.description),
            "category" => td_string!(locale, events.snapshot.category),
            "tags" => td_string!(locale, events.snapshot.tags),
            "starts_at" => td_string!(locale, events.snapshot.starts),
            "ends_at" => td_string!(locale, events.snapshot.ends),
            "timezone" => td_string!(locale, events.snapshot.time_zone),
            "venue_name" => td_string!(locale, events.snapshot.venue),
            "venue_address" => td_string!(locale, events.snapshot.address),
            "city" => td_string!(locale, events.snapshot.city),
            "latitude" => td_string!(locale, events.snapshot.latitude),
            "longitude" => td_string!(locale, events.snapshot.longitude),
            "online_url" => td_string!(locale, events.snapshot.online_link),
            "capacity" => td_string!(locale, events.snapshot.capacity),
            "is_free" => td_string!(locale, events.snapshot.free),
            "price_text" => td_string!(locale, events.snapshot.price),
            _ => td_string!(locale, events.snapshot.cover_image),
        }
    }

    /// A value as the diff shows it: a cover by its number.
    pub fn shown(&self, value: &str, locale: Locale) -> String {
        match (self.field, value) {
            ("cover_image_id", id) if !id.is_empty() => {
                td_string!(locale, events.snapshot.image, id = id)
            }
            _ => value.to_owned(),
        }
    }
}

/// Changes to these send a published event back to review (they are what the public sees on
/// cards and pages); tags and capacity apply at once.
pub const REVIEWED_FIELDS: [&str; 16] = [
    "title",
    "summary",
    "description_md",
    "category",
    "cover_image_id",
    "is_free",
    "price_text",
    "starts_at",
    "ends_at",
    "timezone",
    "venue_name",
    "venue_address",
    "city",
    "latitude",
    "longitude",
    "online_url",
];

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Snapshot {
    /// The event form's fields filled with this version, as the edit page shows them.
    pub fn form_values(&self) -> Vec<(&'static str, String)> {
        use crate::{domain::events::schedule::to_local_input, model::forms::number_value};
        let tz: chrono_tz::Tz = self.timezone.parse().unwrap_or(chrono_tz::Tz::UTC);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("title", self.title.clone()),
            ("summary", self.summary.clone()),
            ("description", self.description_md.clone()),
            ("category", self.category.clone()),
            ("tags", self.tags.replace(',', ", ")),
            ("timezone", self.timezone.clone()),
            ("starts_at", to_local_input(self.starts_at, tz)),
            ("ends_at", to_local_input(self.ends_at, tz)),
            (
                "location_kind",
                if self.online_url.is_some() {
                    "online"
                } else {
                    "venue"
                }
                .to_owned(),
            ),
            ("venue_name", opt(&self.venue_name)),
            ("venue_address", opt(&self.venue_address)),
            ("city", opt(&self.city)),
            ("latitude", number_value(self.latitude)),
            ("longitude", number_value(self.longitude)),
            ("online_url", opt(&self.online_url)),
            ("capacity", self.capacity.to_string()),
            ("is_free", if self.is_free { "on" } else { "" }.to_owned()),
            ("price_text", opt(&self.price_text)),
        ]
    }

    pub fn of(e: &event::Model) -> Snapshot {
        Snapshot {
            title: e.title.clone(),
            summary: e.summary.clone(),
            description_md: e.description_md.clone(),
            category: e.category.clone(),
            tags: e.tags.clone(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            timezone: e.timezone.clone(),
            venue_name: e.venue_name.clone(),
            venue_address: e.venue_address.clone(),
            city: e.city.clone(),
            latitude: e.latitude,
            longitude: e.longitude,
            online_url: e.online_url.clone(),
            capacity: e.capacity,
            is_free: e.is_free,
            price_text: e.price_text.clone(),
            cover_image_id: e.cover_image_id,
        }
    }

    pub fn parse(json: &str) -> Option<Snapshot> {
        serde_json::from_str(json).ok()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The text the content scores read.
    pub fn text(&self) -> String {
        format!("{}\n{}\n{}", self.title, self.summary, self.description_md)
    }

    /// The event as it would be with these fields, for pages that show a pending version.
    pub fn applied_to(&self, event: &event::Model) -> event::Model {
        let mut e = event.clone();
        e.title = self.title.clone();
        e.summary = self.summary.clone();
        e.description_md = self.description_md.clone();
        e.description_html = super::markdown::render(&self.description_md);
        e.category = self.category.clone();
        e.tags = self.tags.clone();
        e.starts_at = self.starts_at;
        e.ends_at = self.ends_at;
        e.timezone = self.timezone.clone();
        e.venue_name = self.venue_name.clone();
        e.venue_address = self.venue_address.clone();
        e.city = self.city.clone();
        e.latitude = self.latitude;
        e.longitude = self.longitude;
        e.online_url = self.online_url.clone();
        e.capacity = self.capacity;
        e.is_free = self.is_free;
        e.price_text = self.price_text.clone();
        e.cover_image_id = self.cover_image_id;
        e
    }

    pub fn write_to(&self, active: &mut event::ActiveModel) {
        active.title = Set(self.title.clone());
        active.summary = Set(self.summary.clone());
        active.description_md = Set(self.description_md.clone());
        active.description_html = Set(super::markdown::render(&self.description_md));
        active.category = Set(self.category.clone());
        active.tags = Set(self.tags.clone());
        active.starts_at = Set(self.starts_at);
        active.ends_at = Set(self.ends_at);
        active.timezone = Set(self.timezone.clone());
        active.venue_name = Set(self.venue_name.clone());
        active.venue_address = Set(self.venue_address.clone());
        active.city = Set(self.city.clone());
        active.latitude = Set(self.latitude);
        active.longitude = Set(self.longitude);
        active.online_url = Set(self.online_url.clone());
        active.capacity = Set(self.capacity);
        active.is_free = Set(self.is_free);
        active.price_text = Set(self.price_text.clone());
        active.cover_image_id = Set(self.cover_image_id);
    }

    fn fields(&self) -> [(&'static str, String); 18] {
        [
            ("title", self.title.clone()),
            ("summary", self.summary.clone()),
            ("description_md", self.description_md.clone()),
            ("category", self.category.clone()),
            ("tags", self.tags.clone()),
            ("starts_at", self.starts_at.to_rfc3339()),
            ("ends_at", self.ends_at.to_rfc3339()),
            ("timezone", self.timezone.clone()),
            ("venue_name", opt(&self.venue_name)),
            ("venue_address", opt(&self.venue_address)),
            ("city", opt(&self.city)),
            ("latitude", num(self.latitude)),
            ("longitude", num(self.longitude)),
            ("online_url", opt(&self.online_url)),
            ("capacity", self.capacity.to_string()),
            ("is_free", self.is_free.to_string()),
            ("price_text", opt(&self.price_text)),
            (
                "cover_image_id",
                self.cover_image_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
        ]
    }

    /// Field by field, what `newer` changes.
    pub fn diff(&self, newer: &Snapshot) -> Vec<FieldChange> {
        self.fields()
            .into_iter()
            .zip(newer.fields())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, before), (_, after))| FieldChange {
                field,
                before,
                after,
            })
            .collect()
    }

    /// Whether going from `self` to `newer` touches what curators vetted.
    pub fn needs_review(&self, newer: &Snapshot) -> bool {
        self.diff(newer)
            .iter()
            .any(|c| REVIEWED_FIELDS.contains(&c.field))
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use chrono::TimeZone;

    pub fn sample() -> Snapshot {
        Snapshot {
            title: "Jazz by the Water".into(),
            summary: "Live jazz".into(),
            description_md: "Bring friends.".into(),
            category: "music".into(),
            tags: "jazz".into(),
            starts_at: Utc.with_ymd_and_hms(2031, 6, 1, 17, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2031, 6, 1, 20, 0, 0).unwrap(),
            timezone: "Europe/Berlin".into(),
            venue_name: Some("Kesselhaus".into()),
            venue_address: Some("Schönhauser Allee 36".into()),
            city: Some("Berlin".into()),
            latitude: Some(52.5),
            longitude: Some(13.4),
            online_url: None,
            capacity: 100,
            is_free: true,
            price_text: None,
            cover_image_id: None,
        }
    }

    #[test]
    fn public_facing_changes_need_review_tags_and_capacity_do_not() {
        let base = sample();
        for change in [
            |s: &mut Snapshot| s.title = "Other".into(),
            |s: &mut Snapshot| s.description_md = "Other".into(),
            |s: &mut Snapshot| s.starts_at += chrono::Duration::hours(1),
            |s: &mut Snapshot| s.venue_name = Some("Other".into()),
            |s: &mut Snapshot| s.summary = "Other".into(),
            |s: &mut Snapshot| s.cover_image_id = Some(9),
            |s: &mut Snapshot| s.price_text = Some("€50".into()),
        ] {
            let mut next = base.clone();
            change(&mut next);
            assert!(base.needs_review(&next));
        }
        for change in [
            |s: &mut Snapshot| s.capacity = 5,
            |s: &mut Snapshot| s.tags = "x".into(),
        ] {
            let mut next = base.clone();
            change(&mut next);
            assert!(!base.needs_review(&next));
            assert_eq!(base.diff(&next).len(), 1);
        }
    }

    #[test]
    fn snapshots_round_trip_through_json() {
        let s = sample();
        assert_eq!(Snapshot::parse(&s.to_json()), Some(s));
    }
}
