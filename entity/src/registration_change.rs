use sea_orm::entity::prelude::*;

/// One step of a registration: from which status to which, who did it and why.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "registration_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub registration_id: i32,
    /// `None` when the registration was created.
    pub from_status: Option<String>,
    pub to_status: String,
    /// `None` for the system: expiry, the waitlist, Stripe.
    pub actor_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
