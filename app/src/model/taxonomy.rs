//! The fixed vocabularies: event categories and account roles.
use serde::{Deserialize, Serialize};

/// The fixed category taxonomy. The slug is what is stored and what URLs carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Music,
    Arts,
    FoodDrink,
    Tech,
    Sports,
    Wellness,
    Community,
    Nightlife,
    Family,
    Education,
    Business,
    Outdoors,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Music,
        Category::Arts,
        Category::FoodDrink,
        Category::Tech,
        Category::Sports,
        Category::Wellness,
        Category::Community,
        Category::Nightlife,
        Category::Family,
        Category::Education,
        Category::Business,
        Category::Outdoors,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Category::Music => "music",
            Category::Arts => "arts",
            Category::FoodDrink => "food-drink",
            Category::Tech => "tech",
            Category::Sports => "sports",
            Category::Wellness => "wellness",
            Category::Community => "community",
            Category::Nightlife => "nightlife",
            Category::Family => "family",
            Category::Education => "education",
            Category::Business => "business",
            Category::Outdoors => "outdoors",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Music => "Music",
            Category::Arts => "Arts",
            Category::FoodDrink => "Food & drink",
            Category::Tech => "Tech",
            Category::Sports => "Sports",
            Category::Wellness => "Wellness",
            Category::Community => "Community",
            Category::Nightlife => "Nightlife",
            Category::Family => "Family",
            Category::Education => "Education",
            Category::Business => "Business",
            Category::Outdoors => "Outdoors",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// Account roles, from least to most privileged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Attendee,
    Organizer,
    Curator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Attendee, Role::Organizer, Role::Curator, Role::Admin];

    pub fn label(self) -> &'static str {
        match self {
            Role::Attendee => "Attendee",
            Role::Organizer => "Organizer",
            Role::Curator => "Curator",
            Role::Admin => "Admin",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Attendee => "attendee",
            Role::Organizer => "organizer",
            Role::Curator => "curator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "attendee" => Some(Role::Attendee),
            "organizer" => Some(Role::Organizer),
            "curator" => Some(Role::Curator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn can_curate(self) -> bool {
        matches!(self, Role::Curator | Role::Admin)
    }

    pub fn can_organize(self) -> bool {
        matches!(self, Role::Organizer | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_through_its_slug() {
        for category in Category::ALL {
            assert_eq!(Category::from_slug(category.slug()), Some(category));
        }
        assert_eq!(Category::from_slug("astrology"), None);
    }
}
