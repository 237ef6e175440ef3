use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The person who created it (their reputation and reviews follow it).
    pub organizer_id: i32,
    /// The organization it belongs to: whose members may run it.
    pub organization_id: i32,
    /// The curation lifecycle: `draft`, `submitted`, `in_review`, `published`, `needs_revision`,
    /// `rejected`, `cancelled` or `completed`.
    pub status: String,
    pub title: String,
    pub summary: String,
    #[sea_orm(column_type = "Text")]
    pub description_md: String,
    /// Sanitized HTML rendered from `description_md` when it is saved.
    #[sea_orm(column_type = "Text")]
    pub description_html: String,
    pub category: String,
    /// Lower-case tags, comma separated.
    pub tags: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// IANA time zone the event happens in; times are shown in it.
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
    pub revision: i32,
    pub published_at: Option<DateTimeUtc>,
    /// Set while community flags keep a published event out of sight pending re-review.
    pub hidden_at: Option<DateTimeUtc>,
    pub hidden_reason: Option<String>,
    pub cancel_reason: Option<String>,
    /// A revision of a published event that waits for review; the row keeps the approved version.
    pub pending_revision: Option<i32>,
    /// The pre-screening score of the approved version, behind the "Curator's pick" badge.
    pub curation_score: Option<f64>,
    /// Seats held by registrations across all ticket types; never above `capacity`.
    pub seats_taken: i32,
    /// `public` (listed and searchable), `unlisted` (by link only) or `private` (its team, its
    /// guests and holders of its invite link).
    pub visibility: String,
    /// Signs the private invite link; raised to revoke the links given out.
    pub invite_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::OrganizerId",
        to = "super::user::Column::Id"
    )]
    Organizer,
    #[sea_orm(has_many = "super::event_revision::Entity")]
    Revision,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizer.def()
    }
}

impl Related<super::event_revision::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Revision.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
