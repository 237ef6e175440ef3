//! Web push: the browsers that asked for push notifications, per account.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PushSubscriptions::Table)
                    .if_not_exists()
                    .col(pk_auto(PushSubscriptions::Id))
                    .col(integer(PushSubscriptions::UserId))
                    .col(string_len(PushSubscriptions::Endpoint, 1000))
                    .col(string(PushSubscriptions::P256dh))
                    .col(string(PushSubscriptions::Auth))
                    .col(timestamp_with_time_zone(PushSubscriptions::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_push_subscriptions_user",
                        PushSubscriptions::Table,
                        PushSubscriptions::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_push_subscriptions_endpoint",
            PushSubscriptions::Table,
            &[PushSubscriptions::Endpoint],
            true,
        )
        .await?;
        index(
            manager,
            "idx_push_subscriptions_user",
            PushSubscriptions::Table,
            &[PushSubscriptions::UserId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PushSubscriptions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum PushSubscriptions {
    Table,
    Id,
    UserId,
    Endpoint,
    P256dh,
    Auth,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
