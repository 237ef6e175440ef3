//! The organizer dashboard as its page shows it: headline figures, charts (server-rendered SVG,
//! each with the table of its data beside it), the funnel, referrers and a row per event. Every
//! table can be downloaded as CSV.
use serde::{Deserialize, Serialize};

use crate::model::organizations::OrgSummary;

/// What the dashboard shows: an organization's figures, or one event's, over a range of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardQuery {
    /// First day (`YYYY-MM-DD`); 30 days before `to` when missing.
    pub from: Option<String>,
    /// Last day, included (`YYYY-MM-DD`); today when missing.
    pub to: Option<String>,
    pub event: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub organization: OrgSummary,
    /// The event the figures are limited to, if one was chosen.
    pub event: Option<(i32, String)>,
    /// The organization's events, for the choice (id, title), newest first.
    pub events: Vec<(i32, String)>,
    pub from: String,
    pub to: String,
    /// Quick ranges: (label, query string).
    pub presets: Vec<(String, String)>,
    /// Whether the viewer's role sees money (revenue, refunds).
    pub money: bool,
    /// Headline figures: (label, value).
    pub totals: Vec<(String, String)>,
    pub charts: Vec<Chart>,
    pub referrers: Table,
    pub per_event: Table,
    /// The query string of this view, for the CSV links.
    pub query: String,
}

/// A chart and the data it draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// One sentence saying what the chart shows, for people who cannot see it.
    pub summary: String,
    /// An SVG document with `role="img"`, a `<title>` and a `<desc>`.
    pub svg: String,
    pub table: Table,
}

/// A table of figures; `id` names it in the CSV address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Where an organization's payouts stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayoutState {
    /// No Stripe account yet.
    NotStarted,
    /// An account whose onboarding is not finished: paid tickets cannot be sold yet.
    Onboarding,
    /// Takes charges; `payouts_enabled` says whether money reaches the bank yet.
    Active,
}

/// The finance page: payouts and the money from ticket sales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinancePage {
    pub organization: OrgSummary,
    pub payments_enabled: bool,
    pub state: PayoutState,
    pub payouts_enabled: bool,
    /// Whether the viewer may set up payouts.
    pub can_manage: bool,
    pub fee_percent: String,
    pub totals: Table,
    pub per_event: Table,
    pub per_month: Table,
}
