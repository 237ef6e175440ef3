//! Ticketing's shared types: registration statuses, ticket types, tickets, the guest list,
//! check-in.
use serde::{Deserialize, Serialize};

use crate::model::forms::FormState;

slug_enum!(
    /// Where a registration stands.
    RegistrationStatus {
        PendingApproval = "pending_approval", "Waiting for approval";
        Reserved = "reserved", "Reserved, waiting for payment";
        Confirmed = "confirmed", "Confirmed";
        Waitlisted = "waitlisted", "On the waitlist";
        Offered = "offered", "Seat offered";
        Declined = "declined", "Declined";
        Cancelled = "cancelled", "Cancelled";
        Refunded = "refunded", "Refunded";
        CheckedIn = "checked_in", "Checked in";
    }
);

impl RegistrationStatus {
    /// Statuses that count against the ticket type's quantity and the event's capacity.
    pub fn holds_seats(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Reserved
                | RegistrationStatus::Offered
                | RegistrationStatus::Confirmed
                | RegistrationStatus::CheckedIn
        )
    }

    /// Declined, cancelled and refunded registrations are closed for good.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            RegistrationStatus::Declined
                | RegistrationStatus::Cancelled
                | RegistrationStatus::Refunded
        )
    }

    /// The stored slugs of the statuses for which `keep` holds, for a query's `IN`.
    pub fn slugs_where(keep: impl Fn(RegistrationStatus) -> bool) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|s| keep(**s))
            .map(|s| s.as_str())
            .collect()
    }

    /// Confirmed or checked in: the person has tickets.
    pub fn is_going(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Confirmed | RegistrationStatus::CheckedIn
        )
    }
}

slug_enum!(
    /// The guest list's tabs.
    GuestTab {
        Going = "going", "Going";
        CheckedIn = "checked_in", "Checked in";
        Pending = "pending", "Pending approval";
        Waitlist = "waitlist", "Waitlist";
        Reserved = "reserved", "Awaiting payment";
        NotGoing = "not_going", "Not going";
        All = "all", "All";
    }
);

impl GuestTab {
    pub fn statuses(self) -> &'static [RegistrationStatus] {
        use RegistrationStatus as S;
        match self {
            GuestTab::Going => &[S::Confirmed, S::CheckedIn],
            GuestTab::CheckedIn => &[S::CheckedIn],
            GuestTab::Pending => &[S::PendingApproval],
            GuestTab::Waitlist => &[S::Waitlisted, S::Offered],
            GuestTab::Reserved => &[S::Reserved],
            GuestTab::NotGoing => &[S::Declined, S::Cancelled, S::Refunded],
            GuestTab::All => S::ALL,
        }
    }
}

slug_enum!(
    /// Waitlist priority tiers, offered seats in this order.
    WaitlistTier {
        Vip = "vip", "VIP";
        Member = "member", "Member";
        Standard = "standard", "Standard";
    }
);

impl WaitlistTier {
    pub fn rank(self) -> i32 {
        match self {
            WaitlistTier::Vip => 2,
            WaitlistTier::Member => 1,
            WaitlistTier::Standard => 0,
        }
    }

    pub fn of_rank(rank: i32) -> WaitlistTier {
        match rank {
            r if r >= 2 => WaitlistTier::Vip,
            1 => WaitlistTier::Member,
            _ => WaitlistTier::Standard,
        }
    }
}

/// Registration questions a ticket type may ask.
pub const MAX_QUESTIONS: usize = 3;

/// A ticket type as people booking see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketTypeView {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub price: String,
    pub is_free: bool,
    pub remaining: i32,
    pub max_per_order: i32,
    pub requires_approval: bool,
    pub guests_allowed: bool,
    pub waitlist: bool,
    pub questions: Vec<String>,
    /// Why it cannot be booked right now, if it cannot.
    pub unavailable: Option<String>,
    pub sold_out: bool,
}

/// The viewer's own registration for an event, on its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnRegistration {
    pub id: i32,
    pub status: RegistrationStatus,
    pub quantity: i32,
    pub ticket_type: String,
    pub expires_at: Option<String>,
}

/// The booking box on an event page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSection {
    pub event_id: i32,
    pub types: Vec<TicketTypeView>,
    pub going: i64,
    pub signed_in: bool,
    pub own: Option<OwnRegistration>,
    pub can_manage: bool,
    /// Why nobody can book (not public, ended, cancelled), if so.
    pub closed: Option<String>,
    pub form: FormState,
    /// Where signing in returns to: the event page (through its invite link, for a private
    /// event opened by one).
    pub sign_in_next: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: i32,
    pub number: i32,
    pub code: String,
    pub qr_svg: String,
    pub status: String,
    pub checked_in_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub when: String,
    pub from: Option<String>,
    pub to: String,
    pub note: String,
}

/// One registration with its tickets, for its holder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub id: i32,
    pub event_id: i32,
    pub event_title: String,
    pub event_when: String,
    pub place: String,
    pub ticket_type: String,
    pub quantity: i32,
    pub status: RegistrationStatus,
    pub amount: String,
    /// Nothing to pay (the amount then reads "Free" in the reader's language).
    pub is_free: bool,
    pub expires_at: Option<String>,
    pub checkout_url: Option<String>,
    pub can_cancel: bool,
    pub tickets: Vec<TicketView>,
    pub history: Vec<ChangeView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyTicketRow {
    pub id: i32,
    pub event_id: i32,
    pub event_title: String,
    pub event_when: String,
    pub ticket_type: String,
    pub quantity: i32,
    pub status: RegistrationStatus,
    pub expires_at: Option<String>,
    pub past: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketsOverview {
    pub rows: Vec<MyTicketRow>,
    pub calendar_feed_url: Option<String>,
}

/// A ticket type in the organizer's list, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketTypeAdminRow {
    pub id: i32,
    pub name: String,
    pub price: String,
    pub quantity: i32,
    pub taken: i32,
    pub on_sale: bool,
    pub state: FormState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketAdmin {
    pub event_id: i32,
    pub event_title: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub payments_enabled: bool,
    /// Why paid tickets cannot be sold now (payouts not set up), if so.
    pub sales_blocked: Option<String>,
    /// The organization's finance page, where payouts are set up.
    pub finance_url: String,
    pub platform_fee_percent: String,
    pub types: Vec<TicketTypeAdminRow>,
    /// The form for a new ticket type (or the failed post of one).
    pub new_type: FormState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestTicket {
    pub id: i32,
    pub number: i32,
    pub status: String,
    pub checked_in_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub ticket_type: String,
    pub quantity: i32,
    pub status: RegistrationStatus,
    pub tier: WaitlistTier,
    pub amount: String,
    pub paid: bool,
    pub answers: Vec<(String, String)>,
    pub registered_at: String,
    pub tickets: Vec<GuestTicket>,
}

/// Figures an organizer watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestFigures {
    pub going: i64,
    pub checked_in: i64,
    pub waitlisted: i64,
    pub pending: i64,
    pub capacity: i32,
    pub revenue: String,
    pub refunded: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestList {
    pub event_id: i32,
    pub event_title: String,
    pub tab: GuestTab,
    pub query: String,
    pub counts: Vec<(GuestTab, i64)>,
    pub rows: Vec<GuestRow>,
    pub figures: GuestFigures,
    /// The viewer's role shows money (revenue, refunds) / lets them refund.
    pub sees_money: bool,
    pub can_refund: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInPage {
    pub event_id: i32,
    pub event_title: String,
    pub checked_in: i64,
    pub going: i64,
    /// The last attempt's outcome: (accepted, message).
    pub last: Option<(bool, String)>,
}

slug_enum!(
    /// What an organizer does to one registration from the guest list.
    GuestAction {
        Approve = "approve", "Approve";
        Decline = "decline", "Decline";
        Cancel = "cancel", "Cancel registration";
        Refund = "refund", "Refund";
        Tier = "tier", "Set waitlist tier";
    }
);
