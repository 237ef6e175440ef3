use sea_orm::entity::prelude::*;

/// Views of an event page per day and person (`person_id` 0: everyone not signed in), written
/// in batches; bots and the organizer's own views are not counted. Kept for a limited time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_views")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: Date,
    pub event_id: i32,
    pub person_id: i32,
    pub views: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
