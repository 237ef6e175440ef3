use sea_orm::entity::prelude::*;

/// A signed-in user's report that a published event is a problem.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub user_id: i32,
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    /// The flagger's weight when they flagged, from their reputation.
    pub weight: f64,
    /// `open`, `upheld` or `dismissed`.
    pub state: String,
    /// The re-review the flag was folded into, once the threshold was passed.
    pub submission_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
