//! Curation: the review lifecycle's history, pre-screened submissions, community flags, appeals,
//! "I went" markers, reviews, reputation and the learned spam model.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            timestamp_with_time_zone_null(Events::HiddenAt),
            text_null(Events::HiddenReason),
            text_null(Events::CancelReason),
            integer_null(Events::PendingRevision),
            double_null(Events::CurationScore),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(integer(Users::Reputation).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventTransitions::Table)
                    .if_not_exists()
                    .col(pk_auto(EventTransitions::Id))
                    .col(integer(EventTransitions::EventId))
                    .col(integer_null(EventTransitions::ActorId))
                    .col(string(EventTransitions::FromStatus))
                    .col(string(EventTransitions::ToStatus))
                    .col(string(EventTransitions::Action))
                    .col(text(EventTransitions::Note))
                    .col(timestamp_with_time_zone(EventTransitions::CreatedAt))
                    .foreign_key(&mut event_fk(
                        "fk_event_transitions_event",
                        EventTransitions::Table,
                        EventTransitions::EventId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_transitions_event",
            EventTransitions::Table,
            &[EventTransitions::EventId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Submissions::Table)
                    .if_not_exists()
                    .col(pk_auto(Submissions::Id))
                    .col(integer(Submissions::EventId))
                    .col(integer(Submissions::Revision))
                    .col(string(Submissions::Kind))
                    .col(string(Submissions::State))
                    .col(integer(Submissions::Version))
                    .col(integer_null(Submissions::AssigneeId))
                    .col(integer_null(Submissions::ExcludedCuratorId))
                    .col(double(Submissions::Completeness))
                    .col(double(Submissions::Spam))
                    .col(double(Submissions::Duplicate))
                    .col(double(Submissions::Quality))
                    .col(double(Submissions::Overall))
                    .col(string(Submissions::Recommendation))
                    .col(string(Submissions::SpamSource))
                    .col(text(Submissions::Reasons))
                    .col(integer_null(Submissions::DuplicateOf))
                    .col(text_null(Submissions::AppealText))
                    .col(integer_null(Submissions::DecidedBy))
                    .col(string_null(Submissions::Decision))
                    .col(string_null(Submissions::DecisionReason))
                    .col(text_null(Submissions::DecisionNote))
                    .col(timestamp_with_time_zone_null(Submissions::DecidedAt))
                    .col(timestamp_with_time_zone(Submissions::CreatedAt))
                    .foreign_key(&mut event_fk(
                        "fk_submissions_event",
                        Submissions::Table,
                        Submissions::EventId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_submissions_state",
            Submissions::Table,
            &[Submissions::State],
            false,
        )
        .await?;
        index(
            manager,
            "idx_submissions_event",
            Submissions::Table,
            &[Submissions::EventId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Flags::Table)
                    .if_not_exists()
                    .col(pk_auto(Flags::Id))
                    .col(integer(Flags::EventId))
                    .col(integer(Flags::UserId))
                    .col(string(Flags::Reason))
                    .col(text(Flags::Text))
                    .col(double(Flags::Weight))
                    .col(string(Flags::State))
                    .col(integer_null(Flags::SubmissionId))
                    .col(timestamp_with_time_zone(Flags::CreatedAt))
                    .col(timestamp_with_time_zone_null(Flags::ResolvedAt))
                    .foreign_key(&mut event_fk(
                        "fk_flags_event",
                        Flags::Table,
                        Flags::EventId,
                    ))
                    .foreign_key(&mut user_fk("fk_flags_user", Flags::Table, Flags::UserId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_flags_event_user",
            Flags::Table,
            &[Flags::EventId, Flags::UserId],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Appeals::Table)
                    .if_not_exists()
                    .col(pk_auto(Appeals::Id))
                    .col(integer(Appeals::SubmissionId))
                    .col(string(Appeals::Kind))
                    .col(integer(Appeals::EventId))
                    .col(integer(Appeals::OrganizerId))
                    .col(text(Appeals::Text))
                    .col(integer_null(Appeals::ReviewSubmissionId))
                    .col(timestamp_with_time_zone(Appeals::CreatedAt))
                    .foreign_key(&mut event_fk(
                        "fk_appeals_event",
                        Appeals::Table,
                        Appeals::EventId,
                    ))
                    .to_owned(),
            )
            .await?;
        // once per decision: a round's rejection, or the hide it re-reviews
        index(
            manager,
            "idx_appeals_submission_kind",
            Appeals::Table,
            &[Appeals::SubmissionId, Appeals::Kind],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attendances::Table)
                    .if_not_exists()
                    .col(pk_auto(Attendances::Id))
                    .col(integer(Attendances::EventId))
                    .col(integer(Attendances::UserId))
                    .col(timestamp_with_time_zone(Attendances::CreatedAt))
                    .foreign_key(&mut event_fk(
                        "fk_attendances_event",
                        Attendances::Table,
                        Attendances::EventId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_attendances_user",
                        Attendances::Table,
                        Attendances::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_attendances_event_user",
            Attendances::Table,
            &[Attendances::EventId, Attendances::UserId],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventReviews::Table)
                    .if_not_exists()
                    .col(pk_auto(EventReviews::Id))
                    .col(integer(EventReviews::EventId))
                    .col(integer(EventReviews::UserId))
                    .col(integer(EventReviews::OrganizerId))
                    .col(integer(EventReviews::Rating))
                    .col(text(EventReviews::Text))
                    .col(timestamp_with_time_zone(EventReviews::CreatedAt))
                    .foreign_key(&mut event_fk(
                        "fk_event_reviews_event",
                        EventReviews::Table,
                        EventReviews::EventId,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_event_reviews_user",
                        EventReviews::Table,
                        EventReviews::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_reviews_event_user",
            EventReviews::Table,
            &[EventReviews::EventId, EventReviews::UserId],
            true,
        )
        .await?;
        index(
            manager,
            "idx_event_reviews_organizer",
            EventReviews::Table,
            &[EventReviews::OrganizerId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReputationChanges::Table)
                    .if_not_exists()
                    .col(pk_auto(ReputationChanges::Id))
                    .col(integer(ReputationChanges::UserId))
                    .col(integer(ReputationChanges::Delta))
                    .col(string(ReputationChanges::Reason))
                    .col(integer_null(ReputationChanges::EventId))
                    .col(timestamp_with_time_zone(ReputationChanges::CreatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_reputation_changes_user",
                        ReputationChanges::Table,
                        ReputationChanges::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_reputation_changes_user",
            ReputationChanges::Table,
            &[ReputationChanges::UserId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpamModels::Table)
                    .if_not_exists()
                    .col(pk_auto(SpamModels::Id))
                    .col(integer(SpamModels::Samples))
                    .col(integer(SpamModels::SpamSamples))
                    .col(double_null(SpamModels::HeldOutAccuracy))
                    .col(text(SpamModels::Model))
                    .col(timestamp_with_time_zone(SpamModels::TrainedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SpamModels::Table.into_iden(),
            ReputationChanges::Table.into_iden(),
            EventReviews::Table.into_iden(),
            Attendances::Table.into_iden(),
            Appeals::Table.into_iden(),
            Flags::Table.into_iden(),
            Submissions::Table.into_iden(),
            EventTransitions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Reputation)
                    .to_owned(),
            )
            .await?;
        for column in [
            Events::CurationScore,
            Events::PendingRevision,
            Events::CancelReason,
            Events::HiddenReason,
            Events::HiddenAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

fn event_fk<T: IntoIden + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    column: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Events::Table, Events::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn user_fk<T: IntoIden + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    column: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .to_owned()
}

async fn index<T: IntoIden + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Reputation,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    HiddenAt,
    HiddenReason,
    CancelReason,
    PendingRevision,
    CurationScore,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventTransitions {
    Table,
    Id,
    EventId,
    ActorId,
    FromStatus,
    ToStatus,
    Action,
    Note,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Submissions {
    Table,
    Id,
    EventId,
    Revision,
    Kind,
    State,
    Version,
    AssigneeId,
    ExcludedCuratorId,
    Completeness,
    Spam,
    Duplicate,
    Quality,
    Overall,
    Recommendation,
    SpamSource,
    Reasons,
    DuplicateOf,
    AppealText,
    DecidedBy,
    Decision,
    DecisionReason,
    DecisionNote,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Flags {
    Table,
    Id,
    EventId,
    UserId,
    Reason,
    Text,
    Weight,
    State,
    SubmissionId,
    CreatedAt,
    ResolvedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Appeals {
    Table,
    Id,
    SubmissionId,
    Kind,
    EventId,
    OrganizerId,
    Text,
    ReviewSubmissionId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attendances {
    Table,
    Id,
    EventId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventReviews {
    Table,
    Id,
    EventId,
    UserId,
    OrganizerId,
    Rating,
    Text,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReputationChanges {
    Table,
    Id,
    UserId,
    Delta,
    Reason,
    EventId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SpamModels {
    Table,
    Id,
    Samples,
    SpamSamples,
    HeldOutAccuracy,
    Model,
    TrainedAt,
}
