use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::DisplayName))
                    .col(string(Users::Role))
                    .col(string_null(Users::HomeCity))
                    .col(double_null(Users::HomeLat))
                    .col(double_null(Users::HomeLng))
                    .col(string(Users::Interests).default(""))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    .col(string(Sessions::Id).primary_key())
                    .col(text(Sessions::Data))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_expires_at")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .if_not_exists()
                    .col(pk_auto(Events::Id))
                    .col(integer(Events::OrganizerId))
                    .col(string(Events::Status))
                    .col(string(Events::Title))
                    .col(string(Events::Summary))
                    .col(text(Events::DescriptionMd))
                    .col(text(Events::DescriptionHtml))
                    .col(string(Events::Category))
                    .col(string(Events::Tags))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(string(Events::Timezone))
                    .col(string_null(Events::VenueName))
                    .col(string_null(Events::VenueAddress))
                    .col(string_null(Events::City))
                    .col(double_null(Events::Latitude))
                    .col(double_null(Events::Longitude))
                    .col(string_null(Events::OnlineUrl))
                    .col(integer(Events::Capacity))
                    .col(boolean(Events::IsFree))
                    .col(string_null(Events::PriceText))
                    .col(integer_null(Events::CoverImageId))
                    .col(integer(Events::Revision))
                    .col(timestamp_with_time_zone_null(Events::PublishedAt))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_events_organizer")
                            .from(Events::Table, Events::OrganizerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_status_starts_at")
                    .table(Events::Table)
                    .col(Events::Status)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_organizer")
                    .table(Events::Table)
                    .col(Events::OrganizerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventImages::Table)
                    .if_not_exists()
                    .col(pk_auto(EventImages::Id))
                    .col(integer_null(EventImages::EventId))
                    .col(integer(EventImages::UploaderId))
                    .col(string(EventImages::Key))
                    .col(string(EventImages::ContentType))
                    .col(integer(EventImages::Width))
                    .col(integer(EventImages::Height))
                    .col(big_integer(EventImages::ByteSize))
                    .col(timestamp_with_time_zone(EventImages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_images_uploader")
                            .from(EventImages::Table, EventImages::UploaderId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventRevisions::Table)
                    .if_not_exists()
                    .col(pk_auto(EventRevisions::Id))
                    .col(integer(EventRevisions::EventId))
                    .col(integer(EventRevisions::Number))
                    .col(integer(EventRevisions::EditorId))
                    .col(text(EventRevisions::Snapshot))
                    .col(timestamp_with_time_zone(EventRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_revisions_event")
                            .from(EventRevisions::Table, EventRevisions::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_revisions_event_number")
                    .table(EventRevisions::Table)
                    .col(EventRevisions::EventId)
                    .col(EventRevisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EventRevisions::Table.into_iden(),
            EventImages::Table.into_iden(),
            Events::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    HomeCity,
    HomeLat,
    HomeLng,
    Interests,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    OrganizerId,
    Status,
    Title,
    Summary,
    DescriptionMd,
    DescriptionHtml,
    Category,
    Tags,
    StartsAt,
    EndsAt,
    Timezone,
    VenueName,
    VenueAddress,
    City,
    Latitude,
    Longitude,
    OnlineUrl,
    Capacity,
    IsFree,
    PriceText,
    CoverImageId,
    Revision,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventImages {
    Table,
    Id,
    EventId,
    UploaderId,
    Key,
    ContentType,
    Width,
    Height,
    ByteSize,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EventRevisions {
    Table,
    Id,
    EventId,
    Number,
    EditorId,
    Snapshot,
    CreatedAt,
}
