use sea_orm::entity::prelude::*;

/// One step of an event's lifecycle: who moved it, from where to where, and why.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_transitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    /// `None` for the system (pre-screening fast track, flag threshold, completion).
    pub actor_id: Option<i32>,
    pub from_status: String,
    pub to_status: String,
    /// What happened, e.g. `submit`, `approve`, `hide`; the status may stay the same.
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
