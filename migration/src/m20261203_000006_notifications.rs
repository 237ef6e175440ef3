//! Notifications: what happened, per recipient (`notifications`), and each attempt to tell them
//! on a channel (`notification_deliveries`, one per notification and channel); people's choices
//! of channel per kind (`notification_preferences`); and a payload on outbox rows, for changes
//! whose subject alone does not say what happened.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, Outbox::Table, vec![text_null(Outbox::Payload)]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .if_not_exists()
                    .col(pk_auto(Notifications::Id))
                    .col(integer_null(Notifications::UserId))
                    .col(string(Notifications::Email))
                    .col(string(Notifications::Kind))
                    .col(string(Notifications::DedupeKey))
                    .col(string(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(string(Notifications::Link))
                    .col(integer_null(Notifications::EventId))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_notifications_user",
                        Notifications::Table,
                        Notifications::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notifications_dedupe",
            Notifications::Table,
            &[Notifications::DedupeKey],
            true,
        )
        .await?;
        index(
            manager,
            "idx_notifications_user",
            Notifications::Table,
            &[Notifications::UserId, Notifications::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(NotificationDeliveries::Table)
                    .if_not_exists()
                    .col(pk_auto(NotificationDeliveries::Id))
                    .col(integer(NotificationDeliveries::NotificationId))
                    .col(string(NotificationDeliveries::Channel))
                    .col(string(NotificationDeliveries::Status))
                    .col(integer(NotificationDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(
                        NotificationDeliveries::AvailableAt,
                    ))
                    .col(text_null(NotificationDeliveries::LastError))
                    .col(timestamp_with_time_zone_null(
                        NotificationDeliveries::SentAt,
                    ))
                    .col(timestamp_with_time_zone(NotificationDeliveries::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_notification_deliveries_notification",
                        NotificationDeliveries::Table,
                        NotificationDeliveries::NotificationId,
                        Notifications::Table,
                        Notifications::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notification_deliveries_once",
            NotificationDeliveries::Table,
            &[
                NotificationDeliveries::NotificationId,
                NotificationDeliveries::Channel,
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_notification_deliveries_due",
            NotificationDeliveries::Table,
            &[
                NotificationDeliveries::Status,
                NotificationDeliveries::AvailableAt,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .if_not_exists()
                    .col(pk_auto(NotificationPreferences::Id))
                    .col(integer(NotificationPreferences::UserId))
                    .col(string(NotificationPreferences::Kind))
                    .col(string(NotificationPreferences::Channel))
                    .col(boolean(NotificationPreferences::Enabled))
                    .foreign_key(&mut fk(
                        "fk_notification_preferences_user",
                        NotificationPreferences::Table,
                        NotificationPreferences::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notification_preferences_one",
            NotificationPreferences::Table,
            &[
                NotificationPreferences::UserId,
                NotificationPreferences::Kind,
                NotificationPreferences::Channel,
            ],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NotificationPreferences::Table.into_iden(),
            NotificationDeliveries::Table.into_iden(),
            Notifications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::Payload)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Payload,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    Email,
    Kind,
    DedupeKey,
    Title,
    Body,
    Link,
    EventId,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationDeliveries {
    Table,
    Id,
    NotificationId,
    Channel,
    Status,
    Attempts,
    AvailableAt,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationPreferences {
    Table,
    Id,
    UserId,
    Kind,
    Channel,
    Enabled,
}
