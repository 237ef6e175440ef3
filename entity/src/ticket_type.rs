use sea_orm::entity::prelude::*;

/// A kind of ticket for an event: its price, how many exist and how they are sold.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_types")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Price in the currency's minor unit (cents); 0 is a free ticket.
    pub price_minor: i64,
    /// ISO 4217 code, lower case (`eur`).
    pub currency: String,
    pub quantity: i32,
    /// Seats held by reserved, offered, confirmed and checked-in registrations; never above
    /// `quantity` (every change is a guarded update).
    pub taken: i32,
    pub sales_start: Option<DateTimeUtc>,
    pub sales_end: Option<DateTimeUtc>,
    pub max_per_order: i32,
    pub requires_approval: bool,
    /// People without an account may register with a name and an email.
    pub guests_allowed: bool,
    /// Whether people may queue when it is sold out.
    pub waitlist: bool,
    /// Registration questions, a JSON array of strings; every one needs an answer.
    #[sea_orm(column_type = "Text")]
    pub questions: String,
    /// Paused ticket types show but cannot be booked.
    pub on_sale: bool,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
