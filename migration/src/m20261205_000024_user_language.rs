//! The language a person reads Lineup in: pages after they sign in, and the mail they get.
//! Accounts made before have none and get English mail until they pick one.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Users::Table,
            vec![string_len_null(Users::Locale, 8).to_owned()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(manager, Users::Table, &[Users::Locale]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Locale,
}
