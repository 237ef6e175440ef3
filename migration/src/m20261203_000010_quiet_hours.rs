//! Quiet hours for push: a daily window in a person's time zone.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(QuietHours::Table)
                    .if_not_exists()
                    .col(integer(QuietHours::UserId).primary_key())
                    .col(integer(QuietHours::FromMinute))
                    .col(integer(QuietHours::UntilMinute))
                    .col(string(QuietHours::TimeZone))
                    .col(timestamp_with_time_zone(QuietHours::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_quiet_hours_user",
                        QuietHours::Table,
                        QuietHours::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(QuietHours::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum QuietHours {
    Table,
    UserId,
    FromMinute,
    UntilMinute,
    TimeZone,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
