//! Events as the pages see them: statuses, cards, details, the organizer's rows, the event form.
use serde::{Deserialize, Serialize};

use crate::model::forms::FormState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventStatus {
    Draft,
    Submitted,
    InReview,
    Published,
    NeedsRevision,
    Rejected,
    Cancelled,
    Completed,
}

impl EventStatus {
    pub const ALL: [EventStatus; 8] = [
        EventStatus::Draft,
        EventStatus::Submitted,
        EventStatus::InReview,
        EventStatus::Published,
        EventStatus::NeedsRevision,
        EventStatus::Rejected,
        EventStatus::Cancelled,
        EventStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Submitted => "submitted",
            EventStatus::InReview => "in_review",
            EventStatus::Published => "published",
            EventStatus::NeedsRevision => "needs_revision",
            EventStatus::Rejected => "rejected",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Completed => "completed",
        }
    }

    pub fn parse(value: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Draft => "Draft",
            EventStatus::Submitted => "Submitted for review",
            EventStatus::InReview => "In review",
            EventStatus::Published => "Published",
            EventStatus::NeedsRevision => "Needs revision",
            EventStatus::Rejected => "Rejected",
            EventStatus::Cancelled => "Cancelled",
            EventStatus::Completed => "Completed",
        }
    }
}

/// A stored image as pages show it: the original (what browsers without WebP get), its size (so
/// nothing moves while it loads) and its WebP widths as a `srcset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub webp_srcset: Option<String>,
}

/// One event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub category_slug: String,
    pub category_label: String,
    pub start_time: String,
    pub place: String,
    pub price: String,
    pub cover: Option<Picture>,
    pub badges: Vec<String>,
    /// How many of the viewer's friends are going (0 for people not signed in).
    #[serde(default)]
    pub friends_going: u32,
    /// Whether the viewer saved it ("Interested"); `None` for people not signed in.
    #[serde(default)]
    pub saved: Option<bool>,
    /// Why a recommended or trending card is shown ("Because you saved Fado Night").
    #[serde(default)]
    pub reason: Option<String>,
    /// Part of a personal recommendation list: its link is counted as a click and it offers
    /// "Not interested".
    #[serde(default)]
    pub recommended: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayGroup {
    pub label: String,
    pub events: Vec<EventCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub category: Option<String>,
    pub days: Vec<DayGroup>,
    /// The page after this one (`?page=`), when there are more upcoming events.
    pub next_page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetails {
    pub id: i32,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub category_slug: String,
    pub category_label: String,
    pub tags: Vec<String>,
    pub when: String,
    pub starts_at_iso: String,
    pub timezone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub city: Option<String>,
    pub map_url: Option<String>,
    /// Whether the event happens online at all.
    pub is_online: bool,
    /// The join link, for ticket holders and those who run or review the event only.
    pub online_url: Option<String>,
    pub capacity: i32,
    pub price: String,
    pub cover: Option<Picture>,
    pub organizer_name: String,
    /// The organization it belongs to, as (name, slug) for its page.
    pub organization: Option<(String, String)>,
    pub organizer_rating: Option<String>,
    pub status: EventStatus,
    pub can_edit: bool,
    pub public_url: String,
    /// A listed event's schema.org `Event` as JSON-LD, ready for a `<script>` element; only
    /// listed events have it, and only their pages may be indexed.
    pub structured_data: Option<String>,
    pub google_calendar_url: String,
    pub outlook_calendar_url: String,
    pub badges: Vec<String>,
    pub hidden_reason: Option<String>,
    pub cancel_reason: Option<String>,
    /// Changes by the organizer that wait for review (the page shows the approved version).
    pub pending_changes: bool,
    pub visibility: Visibility,
    /// A private event's invite link, for the people who may edit it.
    pub invite_url: Option<String>,
    /// The viewer's groups, which they may invite (with the invite link).
    pub invite_groups: Vec<crate::model::social::GroupRef>,
    pub community: Community,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub author: String,
    pub rating: i32,
    pub text: String,
    pub when: String,
}

/// Ratings and what the viewer can do about the event as a member of the community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    pub rating: Option<String>,
    pub reviews: Vec<ReviewView>,
    pub signed_in: bool,
    pub can_flag: bool,
    pub has_flagged: bool,
    /// The viewer held a confirmed ticket for the event (only they may review it).
    pub held_ticket: bool,
    pub can_review: bool,
    pub has_reviewed: bool,
}

/// Who may find an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Visibility {
    /// Listed and searchable: on the home page, in search, feeds and recommendations.
    #[default]
    Public,
    /// Anyone with the link may open it; it is listed nowhere.
    Unlisted,
    /// Its team, the people it admitted (invite link or invitation) and its ticket holders;
    /// everyone else is told it does not exist.
    Private,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Public,
        Visibility::Unlisted,
        Visibility::Private,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
        }
    }

    pub fn parse(value: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Public: listed and searchable (reviewed by a curator)",
            Visibility::Unlisted => "Unlisted: anyone with the link",
            Visibility::Private => "Private: only people you invite",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyEventRow {
    pub id: i32,
    pub title: String,
    pub when: String,
    pub status: EventStatus,
    pub revision: i32,
    pub hidden: bool,
    pub pending_changes: bool,
}

/// What the create/edit form starts from: stored values, or what was posted if it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventForm {
    pub id: Option<i32>,
    pub status: Option<EventStatus>,
    pub cover_url: Option<String>,
    pub state: FormState,
    /// For a new event: the organizations it may go to (id, name), the person's own first. An
    /// empty list means their personal organization, made on saving.
    pub organizations: Vec<(i32, String)>,
}
