//! Keys the platform makes for itself on first start and every process shares: the key that
//! signs unsubscribe links (and, later, the web-push VAPID pair).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlatformKeys::Table)
                    .if_not_exists()
                    .col(string(PlatformKeys::Name).primary_key())
                    .col(text(PlatformKeys::Value))
                    .col(timestamp_with_time_zone(PlatformKeys::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlatformKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PlatformKeys {
    Table,
    Name,
    Value,
    CreatedAt,
}
