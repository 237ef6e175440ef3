//! The organizer dashboard: where an event page's visitors came from, per day (the `utm_source`
//! of the link they followed, else the host of the page that sent them, else `direct`; swept with
//! the views), and indexes that answer its figures over a range of days without reading rows.
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
                    .table(EventReferrals::Table)
                    .if_not_exists()
                    .col(pk_auto(EventReferrals::Id))
                    .col(date(EventReferrals::Day))
                    .col(integer(EventReferrals::EventId))
                    .col(string_len(EventReferrals::Source, 64))
                    .col(integer(EventReferrals::Views))
                    .foreign_key(&mut fk(
                        "fk_event_referrals_event",
                        EventReferrals::Table,
                        EventReferrals::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_referrals_key",
            EventReferrals::Table,
            &[
                EventReferrals::EventId,
                EventReferrals::Day,
                EventReferrals::Source,
            ],
            true,
        )
        .await?;
        // the dashboard's reads are answered from these indexes alone, without the rows
        index(
            manager,
            "idx_registrations_dashboard",
            Registrations::Table,
            &[
                Registrations::EventId,
                Registrations::CreatedAt,
                Registrations::Status,
                Registrations::Currency,
                Registrations::AmountMinor,
                Registrations::Quantity,
                Registrations::RefundedMinor,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_event_views_dashboard",
            EventViews::Table,
            &[EventViews::EventId, EventViews::Day, EventViews::Views],
            false,
        )
        .await?;
        index(
            manager,
            "idx_saved_events_dashboard",
            SavedEvents::Table,
            &[
                SavedEvents::EventId,
                SavedEvents::CreatedAt,
                SavedEvents::RemovedAt,
            ],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("idx_saved_events_dashboard", SavedEvents::Table.into_iden()),
            ("idx_event_views_dashboard", EventViews::Table.into_iden()),
            (
                "idx_registrations_dashboard",
                Registrations::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(EventReferrals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EventReferrals {
    Table,
    Id,
    Day,
    EventId,
    Source,
    Views,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    EventId,
    CreatedAt,
    Status,
    Currency,
    AmountMinor,
    Quantity,
    RefundedMinor,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventViews {
    Table,
    EventId,
    Day,
    Views,
}

#[derive(DeriveIden, Clone, Copy)]
enum SavedEvents {
    Table,
    EventId,
    CreatedAt,
    RemovedAt,
}
