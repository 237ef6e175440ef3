//! Uploaded images are re-encoded with WebP copies at the widths pages ask for; their files
//! are listed with the image. Images stored before have none.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            EventImages::Table,
            vec![text(EventImages::Variants).default("[]").to_owned()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(manager, EventImages::Table, &[EventImages::Variants]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EventImages {
    Table,
    Variants,
}
