use sea_orm::entity::prelude::*;

/// Views of an event's page on one day that came from one source (`utm_source`, the referring
/// host, `lineup` for the platform's own pages, or `direct`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_referrals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: Date,
    pub event_id: i32,
    pub source: String,
    pub views: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
