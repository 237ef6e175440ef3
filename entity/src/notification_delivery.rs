use sea_orm::entity::prelude::*;

/// One notification on one channel: unique per (notification, channel), so it is sent at most
/// once however often the work that created it runs.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub notification_id: i32,
    /// `in_app`, `email` or `push`.
    pub channel: String,
    /// `pending`, `sent` or `failed` (gave up after the last retry).
    pub status: String,
    pub attempts: i32,
    /// When the next attempt may run.
    pub available_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
