use sea_orm::entity::prelude::*;

/// A trained implicit-feedback factor model; the newest row is the one in use.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "recs_models")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub people: i32,
    pub events: i32,
    pub interactions: i32,
    pub factors: i32,
    /// The factors, packed by `recs::factors::FactorModel::to_bytes`.
    #[sea_orm(column_type = "Blob")]
    pub model: Vec<u8>,
    pub trained_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
