use sea_orm::entity::prelude::*;

/// A team that owns events: a venue, a collective, a festival, or one organizer on their own
/// (`personal`). Its public page is `/o/{slug}`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub city: Option<String>,
    pub logo_image_id: Option<i32>,
    pub personal: bool,
    pub created_by: i32,
    /// Others may submit events to its calendar, for its managers to approve.
    pub accepts_submissions: bool,
    /// The Stripe Connect account paid tickets are sold through.
    pub stripe_account_id: Option<String>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
