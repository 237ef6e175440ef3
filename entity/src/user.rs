use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    /// `attendee`, `organizer`, `curator` or `admin`.
    pub role: String,
    pub home_city: Option<String>,
    pub home_lat: Option<f64>,
    pub home_lng: Option<f64>,
    /// Category slugs, comma separated.
    pub interests: String,
    /// Points from curation outcomes, reviews and flags; see `reputation_changes` for why.
    pub reputation: i32,
    /// The organizer's Stripe connected account (`acct_…`) that receives ticket revenue.
    pub stripe_account_id: Option<String>,
    /// Secret of the user's private calendar feed URL; created on first use.
    pub calendar_token: Option<String>,
    /// Who sees what this person goes to: `public`, `friends` or `private` (only them).
    pub attendance_visibility: String,
    /// Who sees their city, interests and friends: `public`, `friends` or `private`.
    pub profile_visibility: String,
    /// When the person proved they read mail at `email`; `None` until then.
    pub email_verified_at: Option<DateTimeUtc>,
    /// Set by an admin: the person cannot sign in and their events leave the listings.
    pub suspended_at: Option<DateTimeUtc>,
    pub suspension_reason: Option<String>,
    /// The language the person picked (`en`, `de`, `pt`); `None` reads English mail.
    pub locale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::event::Entity")]
    Event,
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
