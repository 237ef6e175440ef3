use sea_orm::entity::prelude::*;

/// One round of review for one revision of an event, with its pre-screening scores.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub revision: i32,
    /// `new`, `edit` (of a published event), `flagged` (hidden by flags) or `appeal`.
    pub kind: String,
    /// `pending`, `in_review` or `decided`.
    pub state: String,
    /// Optimistic lock: every change bumps it; a decision names the version it saw.
    pub version: i32,
    pub assignee_id: Option<i32>,
    /// Appeals go to someone other than the curator who made the appealed decision.
    pub excluded_curator_id: Option<i32>,
    pub completeness: f64,
    pub spam: f64,
    pub duplicate: f64,
    pub quality: f64,
    pub overall: f64,
    /// `fast_track`, `normal` or `likely_reject`.
    pub recommendation: String,
    /// `rules` or `rules+model`.
    pub spam_source: String,
    /// JSON: the reasons behind each score.
    #[sea_orm(column_type = "Text")]
    pub reasons: String,
    pub duplicate_of: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub appeal_text: Option<String>,
    pub decided_by: Option<i32>,
    /// `approve`, `needs_revision` or `reject`.
    pub decision: Option<String>,
    /// For rejections: `spam`, `duplicate`, `low_quality`, `policy` or `other`.
    pub decision_reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
