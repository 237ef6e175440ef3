use sea_orm::entity::prelude::*;

/// A single-use link sent by mail: confirm an address, reset a password, move to a new address.
/// Only the SHA-256 of the token is kept.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "account_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// `verify_email`, `reset_password` or `change_email`.
    pub purpose: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The address an account moves to (`change_email`).
    pub new_email: Option<String>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
