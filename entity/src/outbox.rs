use sea_orm::entity::prelude::*;

/// A change another store must learn about, written in the transaction that made it. The
/// message names its subject only: the worker reads the subject's current state when it
/// delivers, so deliveries are idempotent and their order does not matter.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What changed and who listens: `event` (the search index), `graph.*`, `notify.*`.
    pub topic: String,
    pub subject_id: i32,
    /// What the subject alone does not say (JSON), for topics that need it.
    #[sea_orm(column_type = "Text", nullable)]
    pub payload: Option<String>,
    /// Failed deliveries so far; each one pushes `available_at` further out.
    pub attempts: i32,
    pub available_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
