//! Text signatures of screened events in LSH bands, so duplicate screening looks up the events
//! that could be near copies instead of reading every event.
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
                    .table(EventSignatures::Table)
                    .if_not_exists()
                    .col(integer(EventSignatures::EventId))
                    .col(small_integer(EventSignatures::Band))
                    .col(big_integer(EventSignatures::Hash))
                    .primary_key(
                        Index::create()
                            .col(EventSignatures::EventId)
                            .col(EventSignatures::Band),
                    )
                    .foreign_key(&mut fk(
                        "fk_event_signatures_event",
                        EventSignatures::Table,
                        EventSignatures::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_signatures_band_hash",
            EventSignatures::Table,
            &[EventSignatures::Band, EventSignatures::Hash],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventSignatures::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EventSignatures {
    Table,
    EventId,
    Band,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
}
