use sea_orm::entity::prelude::*;

/// A recommended card shown to a person on a day, under the ranker `variant` they are assigned
/// to, and whether they opened it. Kept for a limited time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "recs_impressions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: Date,
    pub person_id: i32,
    pub event_id: i32,
    pub variant: String,
    pub shown: i32,
    pub clicked: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
