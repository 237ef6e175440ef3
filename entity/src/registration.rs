use sea_orm::entity::prelude::*;

/// One person's order of seats of one ticket type, through its whole life: approval, payment,
/// waitlist, offers, confirmation, refund, check-in. `registration_changes` keeps every step.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub ticket_type_id: i32,
    /// `None` for a guest who registered with a name and an email.
    pub user_id: Option<i32>,
    /// `user:<id>` or `guest:<email>` while the registration is open, `None` once it closed:
    /// unique per event, so nobody holds two open registrations for one event.
    pub holder_key: Option<String>,
    pub name: String,
    pub email: String,
    pub quantity: i32,
    /// `pending_approval`, `reserved`, `confirmed`, `waitlisted`, `offered`, `declined`,
    /// `cancelled`, `refunded` or `checked_in`.
    pub status: String,
    /// Waitlist priority: higher tiers are offered seats first, first come first served within
    /// a tier.
    pub tier: i32,
    /// Answers to the ticket type's questions, a JSON object.
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub amount_minor: i64,
    pub currency: String,
    pub refunded_minor: i64,
    /// Lineup's fee taken from the payment (the Connect application fee), 0 without one.
    pub platform_fee_minor: i64,
    /// When a reservation or a waitlist offer lapses.
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(unique)]
    pub checkout_session_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub checkout_url: Option<String>,
    pub payment_intent_id: Option<String>,
    /// The language it was made in (a BCP 47 tag): a guest's mail is written in it.
    pub locale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
