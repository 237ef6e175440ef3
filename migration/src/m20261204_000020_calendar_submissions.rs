//! Events submitted to another organization's calendar (Luma-style): the organization's
//! reviewers approve or decline them; approved ones show on its page and in its calendar feed.
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
                    .table(CalendarSubmissions::Table)
                    .if_not_exists()
                    .col(pk_auto(CalendarSubmissions::Id))
                    .col(integer(CalendarSubmissions::OrganizationId))
                    .col(integer(CalendarSubmissions::EventId))
                    .col(integer(CalendarSubmissions::SubmittedBy))
                    // `pending`, `approved` or `declined`
                    .col(string_len(CalendarSubmissions::State, 16))
                    .col(integer_null(CalendarSubmissions::DecidedBy))
                    .col(timestamp_with_time_zone(CalendarSubmissions::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        CalendarSubmissions::DecidedAt,
                    ))
                    .foreign_key(&mut fk(
                        "fk_calendar_submissions_organization",
                        CalendarSubmissions::Table,
                        CalendarSubmissions::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_calendar_submissions_event",
                        CalendarSubmissions::Table,
                        CalendarSubmissions::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_calendar_submissions_pair",
            CalendarSubmissions::Table,
            &[
                CalendarSubmissions::OrganizationId,
                CalendarSubmissions::EventId,
            ],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarSubmissions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum CalendarSubmissions {
    Table,
    Id,
    OrganizationId,
    EventId,
    SubmittedBy,
    State,
    DecidedBy,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
}
