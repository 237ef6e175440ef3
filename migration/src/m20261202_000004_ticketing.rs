//! Ticketing: ticket types with their seat counters, registrations and their history, tickets
//! with check-in, processed Stripe webhook events, and what accounts need for payouts and
//! calendar feeds.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{add_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // seats held across all ticket types, guarded against `capacity`
        add_columns(
            manager,
            Events::Table,
            vec![integer(Events::SeatsTaken).default(0).to_owned()],
        )
        .await?;
        add_columns(
            manager,
            Users::Table,
            vec![
                string_null(Users::StripeAccountId),
                string_null(Users::CalendarToken),
            ],
        )
        .await?;
        index(
            manager,
            "idx_users_calendar_token",
            Users::Table,
            &[Users::CalendarToken],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketTypes::Table)
                    .if_not_exists()
                    .col(pk_auto(TicketTypes::Id))
                    .col(integer(TicketTypes::EventId))
                    .col(string(TicketTypes::Name))
                    .col(text(TicketTypes::Description))
                    .col(big_integer(TicketTypes::PriceMinor))
                    .col(string_len(TicketTypes::Currency, 3))
                    .col(integer(TicketTypes::Quantity))
                    .col(integer(TicketTypes::Taken).default(0))
                    .col(timestamp_with_time_zone_null(TicketTypes::SalesStart))
                    .col(timestamp_with_time_zone_null(TicketTypes::SalesEnd))
                    .col(integer(TicketTypes::MaxPerOrder))
                    .col(boolean(TicketTypes::RequiresApproval))
                    .col(boolean(TicketTypes::GuestsAllowed))
                    .col(boolean(TicketTypes::Waitlist))
                    .col(text(TicketTypes::Questions))
                    .col(boolean(TicketTypes::OnSale))
                    .col(integer(TicketTypes::Position))
                    .col(timestamp_with_time_zone(TicketTypes::CreatedAt))
                    .col(timestamp_with_time_zone(TicketTypes::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_ticket_types_event",
                        TicketTypes::Table,
                        TicketTypes::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_ticket_types_event",
            TicketTypes::Table,
            &[TicketTypes::EventId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .if_not_exists()
                    .col(pk_auto(Registrations::Id))
                    .col(integer(Registrations::EventId))
                    .col(integer(Registrations::TicketTypeId))
                    .col(integer_null(Registrations::UserId))
                    .col(string_null(Registrations::HolderKey))
                    .col(string(Registrations::Name))
                    .col(string(Registrations::Email))
                    .col(integer(Registrations::Quantity))
                    .col(string(Registrations::Status))
                    .col(integer(Registrations::Tier).default(0))
                    .col(text(Registrations::Answers))
                    .col(big_integer(Registrations::AmountMinor))
                    .col(string_len(Registrations::Currency, 3))
                    .col(big_integer(Registrations::RefundedMinor).default(0))
                    .col(timestamp_with_time_zone_null(Registrations::ExpiresAt))
                    .col(string_null(Registrations::CheckoutSessionId))
                    .col(text_null(Registrations::CheckoutUrl))
                    .col(string_null(Registrations::PaymentIntentId))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_registrations_event",
                        Registrations::Table,
                        Registrations::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_registrations_ticket_type",
                        Registrations::Table,
                        Registrations::TicketTypeId,
                        TicketTypes::Table,
                        TicketTypes::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // one open registration per person and event: `holder_key` is cleared when it closes,
        // and NULLs never collide
        index(
            manager,
            "idx_registrations_holder",
            Registrations::Table,
            &[Registrations::EventId, Registrations::HolderKey],
            true,
        )
        .await?;
        index(
            manager,
            "idx_registrations_checkout",
            Registrations::Table,
            &[Registrations::CheckoutSessionId],
            true,
        )
        .await?;
        index(
            manager,
            "idx_registrations_payment",
            Registrations::Table,
            &[Registrations::PaymentIntentId],
            false,
        )
        .await?;
        index(
            manager,
            "idx_registrations_queue",
            Registrations::Table,
            &[Registrations::TicketTypeId, Registrations::Status],
            false,
        )
        .await?;
        index(
            manager,
            "idx_registrations_expiry",
            Registrations::Table,
            &[Registrations::Status, Registrations::ExpiresAt],
            false,
        )
        .await?;
        index(
            manager,
            "idx_registrations_user",
            Registrations::Table,
            &[Registrations::UserId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RegistrationChanges::Table)
                    .if_not_exists()
                    .col(pk_auto(RegistrationChanges::Id))
                    .col(integer(RegistrationChanges::RegistrationId))
                    .col(string_null(RegistrationChanges::FromStatus))
                    .col(string(RegistrationChanges::ToStatus))
                    .col(integer_null(RegistrationChanges::ActorId))
                    .col(text(RegistrationChanges::Note))
                    .col(timestamp_with_time_zone(RegistrationChanges::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_registration_changes_registration",
                        RegistrationChanges::Table,
                        RegistrationChanges::RegistrationId,
                        Registrations::Table,
                        Registrations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_registration_changes_registration",
            RegistrationChanges::Table,
            &[RegistrationChanges::RegistrationId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tickets::Table)
                    .if_not_exists()
                    .col(pk_auto(Tickets::Id))
                    .col(integer(Tickets::RegistrationId))
                    .col(integer(Tickets::EventId))
                    .col(string(Tickets::Code))
                    .col(integer(Tickets::Number))
                    .col(string(Tickets::Status))
                    .col(timestamp_with_time_zone_null(Tickets::CheckedInAt))
                    .col(integer_null(Tickets::CheckedInBy))
                    .col(timestamp_with_time_zone(Tickets::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_tickets_registration",
                        Tickets::Table,
                        Tickets::RegistrationId,
                        Registrations::Table,
                        Registrations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_tickets_code",
            Tickets::Table,
            &[Tickets::Code],
            true,
        )
        .await?;
        index(
            manager,
            "idx_tickets_registration",
            Tickets::Table,
            &[Tickets::RegistrationId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(StripeEvents::Table)
                    .if_not_exists()
                    .col(string(StripeEvents::Id).primary_key())
                    .col(string(StripeEvents::Kind))
                    .col(timestamp_with_time_zone(StripeEvents::ReceivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StripeEvents::Table.into_iden(),
            Tickets::Table.into_iden(),
            RegistrationChanges::Table.into_iden(),
            Registrations::Table.into_iden(),
            TicketTypes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
    SeatsTaken,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    StripeAccountId,
    CalendarToken,
}

#[derive(DeriveIden, Clone, Copy)]
enum TicketTypes {
    Table,
    Id,
    EventId,
    Name,
    Description,
    PriceMinor,
    Currency,
    Quantity,
    Taken,
    SalesStart,
    SalesEnd,
    MaxPerOrder,
    RequiresApproval,
    GuestsAllowed,
    Waitlist,
    Questions,
    OnSale,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    Id,
    EventId,
    TicketTypeId,
    UserId,
    HolderKey,
    Name,
    Email,
    Quantity,
    Status,
    Tier,
    Answers,
    AmountMinor,
    Currency,
    RefundedMinor,
    ExpiresAt,
    CheckoutSessionId,
    CheckoutUrl,
    PaymentIntentId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RegistrationChanges {
    Table,
    Id,
    RegistrationId,
    FromStatus,
    ToStatus,
    ActorId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    Id,
    RegistrationId,
    EventId,
    Code,
    Number,
    Status,
    CheckedInAt,
    CheckedInBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum StripeEvents {
    Table,
    Id,
    Kind,
    ReceivedAt,
}
