use sea_orm::entity::prelude::*;

/// An event submitted to an organization's calendar.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The organization whose calendar it asks to join.
    pub organization_id: i32,
    pub event_id: i32,
    pub submitted_by: i32,
    /// `pending`, `approved` or `declined`.
    pub state: String,
    pub decided_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
