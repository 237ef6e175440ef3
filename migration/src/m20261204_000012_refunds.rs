//! Refunds the webhook decides on are recorded first and sent by a worker, so no refund call
//! holds a database transaction open and a crash between the steps loses nothing.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Refunds::Table)
                    .if_not_exists()
                    .col(pk_auto(Refunds::Id))
                    .col(integer_null(Refunds::RegistrationId))
                    .col(integer_null(Refunds::EventId))
                    .col(string(Refunds::PaymentIntent))
                    .col(big_integer(Refunds::AmountMinor))
                    .col(string(Refunds::Currency))
                    .col(string_uniq(Refunds::IdempotencyKey))
                    .col(text(Refunds::Reason))
                    .col(timestamp_with_time_zone_null(Refunds::SentAt))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_refunds_event",
            Refunds::Table,
            &[Refunds::EventId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Refunds::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Refunds {
    Table,
    Id,
    RegistrationId,
    EventId,
    PaymentIntent,
    AmountMinor,
    Currency,
    IdempotencyKey,
    Reason,
    SentAt,
    CreatedAt,
}
