//! The language a registration was made in: mail about it goes to a guest (who has no account
//! to keep a language on) in that language. Registrations made before have none: English.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Registrations::Table,
            vec![string_len_null(Registrations::Locale, 8).to_owned()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(manager, Registrations::Table, &[Registrations::Locale]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    Locale,
}
