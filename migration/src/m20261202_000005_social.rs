//! Social: who may see a person's attendance and profile. The social graph itself (follows,
//! friends, blocks, groups) lives in SurrealDB; only these account settings are relational.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::add_columns;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Users::Table,
            vec![
                string(Users::AttendanceVisibility)
                    .default("friends")
                    .to_owned(),
                string(Users::ProfileVisibility)
                    .default("public")
                    .to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::AttendanceVisibility, Users::ProfileVisibility] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    AttendanceVisibility,
    ProfileVisibility,
}
