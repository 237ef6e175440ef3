//! The organizer dashboard: where an event page's visitors came from, per day (the `utm_source`
//! of the link they followed, else the host of the page that sent them, else `direct`; swept with
//! the views), and registrations by event and time for its figures over a range of days.
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
        index(
            manager,
            "idx_registrations_event_created",
            Registrations::Table,
            &[Registrations::EventId, Registrations::CreatedAt],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_registrations_event_created")
                    .table(Registrations::Table)
                    .to_owned(),
            )
            .await?;
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
}
