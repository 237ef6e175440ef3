use sea_orm::entity::prelude::*;

/// A refund Lineup decided on and sends through the payment provider: recorded in the
/// transaction that decided it, sent by a worker with `idempotency_key`, `sent_at` once the
/// provider accepted. `reason` says why, for the organizer and admins (a late payment, a payment
/// that did not match what was due).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub registration_id: Option<i32>,
    pub event_id: Option<i32>,
    pub payment_intent: String,
    pub amount_minor: i64,
    pub currency: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
