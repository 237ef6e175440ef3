//! Recommendations: saves ("Interested"), "Not interested", per-day views and impressions of
//! recommended cards, and the trained implicit-feedback model.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // a save that is taken back keeps its row (`removed_at`), so the graph worker can read
        // what to remove after the fact
        person_event_table(manager, SavedEvents::Table, "saved_events", true).await?;
        person_event_table(manager, EventDismissals::Table, "event_dismissals", false).await?;

        manager
            .create_table(
                Table::create()
                    .table(EventViews::Table)
                    .if_not_exists()
                    .col(pk_auto(EventViews::Id))
                    .col(date(EventViews::Day))
                    .col(integer(EventViews::EventId))
                    // 0: everyone not signed in, counted together
                    .col(integer(EventViews::PersonId))
                    .col(integer(EventViews::Views))
                    .foreign_key(&mut fk(
                        "fk_event_views_event",
                        EventViews::Table,
                        EventViews::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_views_key",
            EventViews::Table,
            &[EventViews::Day, EventViews::EventId, EventViews::PersonId],
            true,
        )
        .await?;
        index(
            manager,
            "idx_event_views_person",
            EventViews::Table,
            &[EventViews::PersonId, EventViews::Day],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecsImpressions::Table)
                    .if_not_exists()
                    .col(pk_auto(RecsImpressions::Id))
                    .col(date(RecsImpressions::Day))
                    .col(integer(RecsImpressions::PersonId))
                    .col(integer(RecsImpressions::EventId))
                    .col(string_len(RecsImpressions::Variant, 32))
                    .col(integer(RecsImpressions::Shown))
                    .col(integer(RecsImpressions::Clicked))
                    .foreign_key(&mut fk(
                        "fk_recs_impressions_event",
                        RecsImpressions::Table,
                        RecsImpressions::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_recs_impressions_person",
                        RecsImpressions::Table,
                        RecsImpressions::PersonId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_recs_impressions_key",
            RecsImpressions::Table,
            &[
                RecsImpressions::Day,
                RecsImpressions::PersonId,
                RecsImpressions::EventId,
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_recs_impressions_person_event",
            RecsImpressions::Table,
            &[RecsImpressions::PersonId, RecsImpressions::EventId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecsModels::Table)
                    .if_not_exists()
                    .col(pk_auto(RecsModels::Id))
                    .col(integer(RecsModels::People))
                    .col(integer(RecsModels::Events))
                    .col(integer(RecsModels::Interactions))
                    .col(integer(RecsModels::Factors))
                    .col(blob(RecsModels::Model))
                    .col(timestamp_with_time_zone(RecsModels::TrainedAt))
                    .to_owned(),
            )
            .await?;
        // a person's reviews are read for every list they get
        index(
            manager,
            "idx_event_reviews_user",
            EventReviews::Table,
            &[EventReviews::UserId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_event_reviews_user")
                    .table(EventReviews::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            RecsModels::Table.into_iden(),
            RecsImpressions::Table.into_iden(),
            EventViews::Table.into_iden(),
            EventDismissals::Table.into_iden(),
            SavedEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// One row per (person, event): saves and dismissals have the same shape.
async fn person_event_table<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    removable: bool,
) -> Result<(), DbErr> {
    let mut create = Table::create();
    create
        .table(table)
        .if_not_exists()
        .col(pk_auto(Col::Id))
        .col(integer(Col::UserId))
        .col(integer(Col::EventId))
        .col(timestamp_with_time_zone(Col::CreatedAt));
    if removable {
        create.col(timestamp_with_time_zone_null(Col::RemovedAt));
    }
    create
        .foreign_key(&mut fk(
            &format!("fk_{name}_user"),
            table,
            Col::UserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            &format!("fk_{name}_event"),
            table,
            Col::EventId,
            Events::Table,
            Events::Id,
        ));
    manager.create_table(create.to_owned()).await?;
    index(
        manager,
        &format!("idx_{name}_pair"),
        table,
        &[Col::UserId, Col::EventId],
        true,
    )
    .await?;
    index(
        manager,
        &format!("idx_{name}_event"),
        table,
        &[Col::EventId, Col::CreatedAt],
        false,
    )
    .await
}

/// The columns of `person_event_table`'s tables.
#[derive(DeriveIden, Clone, Copy)]
enum Col {
    Id,
    UserId,
    EventId,
    CreatedAt,
    RemovedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SavedEvents {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventDismissals {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventViews {
    Table,
    Id,
    Day,
    EventId,
    PersonId,
    Views,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecsImpressions {
    Table,
    Id,
    Day,
    PersonId,
    EventId,
    Variant,
    Shown,
    Clicked,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecsModels {
    Table,
    Id,
    People,
    Events,
    Interactions,
    Factors,
    Model,
    TrainedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventReviews {
    Table,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
