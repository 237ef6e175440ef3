use sea_orm::entity::prelude::*;

/// Something that happened that one person should hear about: shown in the app to accounts, and
/// sent on the channels they chose (`notification_deliveries`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `None` for a guest who booked with an email address only.
    pub user_id: Option<i32>,
    /// Where mail goes: the account's address when it was created, or the guest's.
    pub email: String,
    /// A `model::notifications::Kind` slug.
    pub kind: String,
    /// What the notification is about and for whom (e.g. `registration_change:12:user:3`):
    /// unique, so hearing of the same change twice creates nothing.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// A path on this site: where the notification leads.
    pub link: String,
    pub event_id: Option<i32>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
