use sea_orm::entity::prelude::*;

/// An organizer's appeal against one decision (a rejection or a hide); at most one per decision.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appeals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The submission whose decision is appealed.
    pub submission_id: i32,
    /// `rejection` (the round's decision) or `hide` (what the flagged round re-reviews).
    pub kind: String,
    pub event_id: i32,
    pub organizer_id: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    /// The submission that re-reviews the event because of the appeal.
    pub review_submission_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
