//! Who may find an event: `public` (listed and searchable), `unlisted` (by link only) or
//! `private` (its team, its guests and whoever holds its signed invite link). Guests are people
//! an invite link admitted or the organizer invited; `invite_version` signs the link, so a new
//! version revokes the old links.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, drop_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Events::Table,
            vec![
                string_len(Events::Visibility, 16)
                    .default("public")
                    .to_owned(),
                integer(Events::InviteVersion).default(1).to_owned(),
            ],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventGuests::Table)
                    .if_not_exists()
                    .col(integer(EventGuests::EventId))
                    .col(integer(EventGuests::UserId))
                    // `link` (came through the invite link) or `invited` (by the organizer)
                    .col(string_len(EventGuests::Source, 16))
                    .col(timestamp_with_time_zone(EventGuests::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(EventGuests::EventId)
                            .col(EventGuests::UserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_event_guests_event",
                        EventGuests::Table,
                        EventGuests::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_event_guests_user",
                        EventGuests::Table,
                        EventGuests::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_guests_user",
            EventGuests::Table,
            &[EventGuests::UserId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventGuests::Table).to_owned())
            .await?;
        drop_columns(
            manager,
            Events::Table,
            &[Events::InviteVersion, Events::Visibility],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
    Visibility,
    InviteVersion,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventGuests {
    Table,
    EventId,
    UserId,
    Source,
    CreatedAt,
}
