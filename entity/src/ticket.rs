use sea_orm::entity::prelude::*;

/// One seat of a confirmed registration, with the code its QR carries.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub registration_id: i32,
    pub event_id: i32,
    /// Unguessable (130 random bits), unique.
    #[sea_orm(unique)]
    pub code: String,
    /// 1..=quantity within its registration.
    pub number: i32,
    /// `valid`, `refunded` or `cancelled`.
    pub status: String,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_in_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
