//! Lineup's fee as it was charged on each paid registration (the Connect application fee), so
//! the finance page reports what was taken, not what today's rate would take.
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
            vec![big_integer(Registrations::PlatformFeeMinor)
                .default(0)
                .to_owned()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            Registrations::Table,
            &[Registrations::PlatformFeeMinor],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    PlatformFeeMinor,
}
