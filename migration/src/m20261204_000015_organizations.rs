//! Organizations: teams that own events. Every event belongs to one; each organizer's existing
//! events move into a personal organization they own.
use std::collections::HashSet;

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DbBackend, Statement},
};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .if_not_exists()
                    .col(pk_auto(Organizations::Id))
                    .col(string_len_uniq(Organizations::Slug, 64))
                    .col(string_len(Organizations::Name, 120))
                    .col(text(Organizations::Description).default(""))
                    .col(string_len_null(Organizations::City, 120))
                    .col(integer_null(Organizations::LogoImageId))
                    // made for one organizer's own events (by this migration or at their first event)
                    .col(boolean(Organizations::Personal).default(false))
                    .col(integer(Organizations::CreatedBy))
                    .col(boolean(Organizations::AcceptsSubmissions).default(false))
                    .col(string_len_null(Organizations::StripeAccountId, 64))
                    .col(boolean(Organizations::ChargesEnabled).default(false))
                    .col(boolean(Organizations::PayoutsEnabled).default(false))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_organizations_created_by",
                        Organizations::Table,
                        Organizations::CreatedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationMembers::Table)
                    .if_not_exists()
                    .col(pk_auto(OrganizationMembers::Id))
                    .col(integer(OrganizationMembers::OrganizationId))
                    .col(integer(OrganizationMembers::UserId))
                    .col(string_len(OrganizationMembers::Role, 16))
                    .col(timestamp_with_time_zone(OrganizationMembers::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_organization_members_organization",
                        OrganizationMembers::Table,
                        OrganizationMembers::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organization_members_user",
                        OrganizationMembers::Table,
                        OrganizationMembers::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organization_members_pair",
            OrganizationMembers::Table,
            &[
                OrganizationMembers::OrganizationId,
                OrganizationMembers::UserId,
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_organization_members_user",
            OrganizationMembers::Table,
            &[OrganizationMembers::UserId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationInvitations::Table)
                    .if_not_exists()
                    .col(pk_auto(OrganizationInvitations::Id))
                    .col(integer(OrganizationInvitations::OrganizationId))
                    .col(string_len(OrganizationInvitations::Email, 254))
                    .col(string_len(OrganizationInvitations::Role, 16))
                    // SHA-256 of the token in the mailed link; the token itself is never stored
                    .col(string_len_uniq(OrganizationInvitations::TokenHash, 64))
                    .col(integer(OrganizationInvitations::InvitedBy))
                    .col(timestamp_with_time_zone(OrganizationInvitations::CreatedAt))
                    .col(timestamp_with_time_zone(OrganizationInvitations::ExpiresAt))
                    // `accepted`, `declined` or `withdrawn`, when answered
                    .col(string_len_null(OrganizationInvitations::Outcome, 16))
                    .col(timestamp_with_time_zone_null(
                        OrganizationInvitations::AnsweredAt,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organization_invitations_organization",
                        OrganizationInvitations::Table,
                        OrganizationInvitations::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organization_invitations_invited_by",
                        OrganizationInvitations::Table,
                        OrganizationInvitations::InvitedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organization_invitations_email",
            OrganizationInvitations::Table,
            &[OrganizationInvitations::Email],
            false,
        )
        .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(integer_null(Events::OrganizationId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_events_organization",
            Events::Table,
            &[Events::OrganizationId, Events::StartsAt],
            false,
        )
        .await?;

        personal_organizations(manager).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            // SQLite cannot add a constraint to an existing column; the domain sets it always
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE events ALTER COLUMN organization_id SET NOT NULL;
                     ALTER TABLE events ADD CONSTRAINT fk_events_organization
                        FOREIGN KEY (organization_id) REFERENCES organizations (id);",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE events DROP CONSTRAINT IF EXISTS fk_events_organization",
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_events_organization")
                    .table(Events::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::OrganizationId)
                    .to_owned(),
            )
            .await?;
        for table in [
            OrganizationInvitations::Table.into_iden(),
            OrganizationMembers::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// One organization per person with events, named after them and owned by them, holding their
/// events.
async fn personal_organizations(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let organizers = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, display_name, home_city, stripe_account_id FROM users
             WHERE id IN (SELECT organizer_id FROM events) ORDER BY id",
        ))
        .await?;
    let mut taken: HashSet<String> = HashSet::new();
    for row in organizers {
        let id: i32 = row.try_get("", "id")?;
        let name: String = row.try_get("", "display_name")?;
        let city: Option<String> = row.try_get("", "home_city")?;
        let account: Option<String> = row.try_get("", "stripe_account_id")?;
        let slug = free_slug(&name, &mut taken);
        let insert = Query::insert()
            .into_table(Organizations::Table)
            .columns([
                Organizations::Slug,
                Organizations::Name,
                Organizations::Description,
                Organizations::City,
                Organizations::Personal,
                Organizations::CreatedBy,
                Organizations::StripeAccountId,
                // an account typed in before onboarding existed took charges already
                Organizations::ChargesEnabled,
                Organizations::CreatedAt,
                Organizations::UpdatedAt,
            ])
            .values_panic([
                slug.into(),
                name.into(),
                "".into(),
                city.into(),
                true.into(),
                id.into(),
                account.clone().into(),
                account.is_some().into(),
                Expr::current_timestamp(),
                Expr::current_timestamp(),
            ])
            .to_owned();
        db.execute(&insert).await?;
        let org: i32 = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    DbBackend::Postgres => {
                        "SELECT id FROM organizations WHERE created_by = $1 AND personal"
                    }
                    _ => "SELECT id FROM organizations WHERE created_by = ? AND personal",
                },
                [id.into()],
            ))
            .await?
            .ok_or_else(|| DbErr::Custom("the organization just made is missing".into()))?
            .try_get("", "id")?;
        let member = Query::insert()
            .into_table(OrganizationMembers::Table)
            .columns([
                OrganizationMembers::OrganizationId,
                OrganizationMembers::UserId,
                OrganizationMembers::Role,
                OrganizationMembers::CreatedAt,
            ])
            .values_panic([
                org.into(),
                id.into(),
                "owner".into(),
                Expr::current_timestamp(),
            ])
            .to_owned();
        db.execute(&member).await?;
        let events = Query::update()
            .table(Events::Table)
            .value(Events::OrganizationId, org)
            .and_where(Expr::col(Events::OrganizerId).eq(id))
            .to_owned();
        db.execute(&events).await?;
    }
    Ok(())
}

/// A URL slug from a name ("Ana's Café & Bar" → "ana-s-caf-bar"), made unique among `taken`.
fn free_slug(name: &str, taken: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    let mut base = base
        .trim_end_matches('-')
        .chars()
        .take(48)
        .collect::<String>();
    if base.len() < 3 {
        base = format!("organizer-{base}").trim_end_matches('-').to_owned();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    Slug,
    Name,
    Description,
    City,
    LogoImageId,
    Personal,
    CreatedBy,
    AcceptsSubmissions,
    StripeAccountId,
    ChargesEnabled,
    PayoutsEnabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationMembers {
    Table,
    Id,
    OrganizationId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationInvitations {
    Table,
    Id,
    OrganizationId,
    Email,
    Role,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    Outcome,
    AnsweredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    OrganizationId,
    OrganizerId,
    StartsAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
