use sea_orm::entity::prelude::*;

/// What one write to a table the dashboard counts changed (the old row's contribution taken
/// back, the new one's added), appended by database triggers and folded into the totals
/// (`event_day_figure`, `organization_day_figure`, `event_figure`) by a worker, which claims
/// rows by setting `batch`. `kind` is `registration`, `save`, `view`, `referral` or `refund`;
/// `detail` a registration's status or a referral's source.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "figure_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i32,
    pub day: Date,
    pub kind: String,
    pub detail: String,
    pub currency: String,
    pub paid: bool,
    pub n: i64,
    pub tickets: i64,
    pub amount_minor: i64,
    pub refunded_minor: i64,
    pub batch: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
