//! Verified addresses and recovery: when an account's address was confirmed, the single-use
//! links sent by mail (stored as hashes), and the account a session belongs to, so every
//! session of an account can be ended at once.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Users::Table,
            vec![timestamp_with_time_zone_null(Users::EmailVerifiedAt)],
        )
        .await?;
        add_columns(
            manager,
            Sessions::Table,
            vec![integer_null(Sessions::UserId)],
        )
        .await?;
        index(
            manager,
            "idx_sessions_user",
            Sessions::Table,
            &[Sessions::UserId],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountTokens::Table)
                    .if_not_exists()
                    .col(pk_auto(AccountTokens::Id))
                    .col(integer(AccountTokens::UserId))
                    .col(string(AccountTokens::Purpose))
                    .col(string(AccountTokens::TokenHash))
                    .col(string_null(AccountTokens::NewEmail))
                    .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountTokens::UsedAt))
                    .col(timestamp_with_time_zone(AccountTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_account_tokens_user",
                        AccountTokens::Table,
                        AccountTokens::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_account_tokens_hash",
            AccountTokens::Table,
            &[AccountTokens::TokenHash],
            true,
        )
        .await?;
        index(
            manager,
            "idx_account_tokens_user",
            AccountTokens::Table,
            &[AccountTokens::UserId, AccountTokens::CreatedAt],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountTokens::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::EmailVerifiedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sessions {
    Table,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    NewEmail,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}
