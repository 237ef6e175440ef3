use sea_orm::entity::prelude::*;

/// One attendee's rating of an event that has ended; one per user and event.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub user_id: i32,
    /// Denormalised so the organizer's aggregate is one indexed query.
    pub organizer_id: i32,
    /// 1 to 5 stars.
    pub rating: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
