//! The platform admin area: suspensions, and the audit log every admin action is written to.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{drop_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::SuspendedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(text_null(Users::SuspensionReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(pk_auto(AuditLog::Id))
                    .col(integer(AuditLog::ActorId))
                    .col(string_len(AuditLog::Action, 48))
                    // `user`, `organization` or `event`
                    .col(string_len(AuditLog::SubjectKind, 24))
                    .col(integer(AuditLog::SubjectId))
                    .col(text(AuditLog::Reason))
                    // what changed, in words ("role: attendee → curator")
                    .col(text(AuditLog::Details))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_audit_log_actor",
                        AuditLog::Table,
                        AuditLog::ActorId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_audit_log_subject",
            AuditLog::Table,
            &[AuditLog::SubjectKind, AuditLog::SubjectId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        drop_columns(
            manager,
            Users::Table,
            &[Users::SuspensionReason, Users::SuspendedAt],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    Action,
    SubjectKind,
    SubjectId,
    Reason,
    Details,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    SuspendedAt,
    SuspensionReason,
}
