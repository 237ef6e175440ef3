//! Reviews need a ticket now: the self-declared "I went" markers go.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Attendances::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attendances::Table)
                    .if_not_exists()
                    .col(pk_auto(Attendances::Id))
                    .col(integer(Attendances::EventId))
                    .col(integer(Attendances::UserId))
                    .col(timestamp_with_time_zone(Attendances::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_attendances_user",
                        Attendances::Table,
                        Attendances::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Attendances {
    Table,
    Id,
    EventId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
