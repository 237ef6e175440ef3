//! Ticketing's server functions: ticket types, registrations, the waitlist, approvals, tickets,
//! the guest list and check-in.
use leptos::server;
use serde::{Deserialize, Serialize};

use crate::{api::flash::FormState, error::AppError};

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
    pub payout_account: Option<String>,
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

#[server(endpoint = "tickets/section")]
pub async fn load_ticket_section(event_id: i32) -> Result<TicketSection, AppError> {
    use crate::domain::{context::ctx, ticketing::ticket_types};
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let form = ctx.take_form(&format!("register:{event_id}")).await?;
    ticket_types::section(
        &ctx.state.db,
        ctx.state.payments.enabled(),
        event_id,
        viewer.as_ref(),
        form,
        chrono::Utc::now(),
    )
    .await
}

/// Books `quantity` seats of a ticket type: a confirmed RSVP, a reservation sent on to Stripe
/// Checkout, a place on the waitlist or a request for approval, as the ticket type says.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tickets/register")]
pub async fn register(
    event_id: i32,
    ticket_type: i32,
    quantity: Option<String>,
    name: Option<String>,
    email: Option<String>,
    answer1: Option<String>,
    answer2: Option<String>,
    answer3: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{
        context::ctx,
        forms::FormFields,
        ticketing::register::{self, Registrant},
    };
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let quantity = quantity.unwrap_or_else(|| "1".into());
    let name = name.unwrap_or_default();
    let email = email.unwrap_or_default();
    let answers: Vec<String> = [answer1, answer2, answer3]
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let registrant = match viewer {
        Some(user) => Registrant::User(user),
        None => Registrant::Guest {
            name: name.clone(),
            email: email.clone(),
        },
    };
    let result = register::register(
        &ctx.state,
        &registrant,
        register::Request {
            ticket_type_id: ticket_type,
            quantity: &quantity,
            answers: &answers,
        },
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(outcome) => {
            let to = outcome.next_page();
            ctx.succeed(&outcome.notice(), &to).await
        }
        Err(err) => {
            let fields = FormFields::from_pairs([
                ("ticket_type", ticket_type.to_string().as_str()),
                ("quantity", quantity.as_str()),
                ("name", name.as_str()),
                ("email", email.as_str()),
                ("answer1", answers[0].as_str()),
                ("answer2", answers[1].as_str()),
                ("answer3", answers[2].as_str()),
            ]);
            let form = format!("register:{event_id}");
            ctx.fail(err, &format!("/events/{event_id}"), Some((&form, &fields)))
                .await
        }
    }
}

#[server(endpoint = "tickets/mine")]
pub async fn my_tickets() -> Result<TicketsOverview, AppError> {
    use crate::domain::{context::ctx, ticketing::tickets};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    tickets::mine(
        &ctx.state.db,
        &ctx.state.settings,
        &user,
        chrono::Utc::now(),
    )
    .await
}

#[server(endpoint = "tickets/registration")]
pub async fn load_registration(id: i32) -> Result<RegistrationView, AppError> {
    use crate::domain::{context::ctx, ticketing::tickets};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    tickets::registration_for_holder(&ctx.state.db, &user, id).await
}

/// A guest's registration, reached through the secret code of one of its tickets.
#[server(endpoint = "tickets/by_code")]
pub async fn load_ticket_by_code(code: String) -> Result<RegistrationView, AppError> {
    use crate::domain::{context::ctx, ticketing::tickets};
    let ctx = ctx().await?;
    tickets::registration_by_code(&ctx.state.db, &code).await
}

#[server(endpoint = "tickets/cancel")]
pub async fn cancel_registration(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::cancel};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = cancel::by_holder(&ctx.state.db, &user, id, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "Your registration is cancelled."),
        &format!("/my/tickets/{id}"),
    )
    .await
}

#[server(endpoint = "tickets/offer/accept")]
pub async fn accept_offer(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::waitlist};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    match waitlist::accept(&ctx.state, &user, id, chrono::Utc::now()).await {
        Ok(outcome) => ctx.succeed(&outcome.notice(), &outcome.next_page()).await,
        Err(err) => ctx.fail(err, &format!("/my/tickets/{id}"), None).await,
    }
}

#[server(endpoint = "tickets/offer/decline")]
pub async fn decline_offer(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::waitlist};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = waitlist::decline(&ctx.state.db, &user, id, chrono::Utc::now()).await;
    ctx.respond(
        result.map(|_| "You passed the seat on to the next person."),
        &format!("/my/tickets/{id}"),
    )
    .await
}

/// Goes back to Stripe Checkout for a reservation that is still held.
#[server(endpoint = "tickets/pay")]
pub async fn resume_payment(id: i32) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::checkout};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    match checkout::resume(&ctx.state.db, &user, id, chrono::Utc::now()).await {
        Ok(url) => {
            leptos_axum::redirect(&url);
            Ok(())
        }
        Err(err) => ctx.fail(err, &format!("/my/tickets/{id}"), None).await,
    }
}

#[server(endpoint = "tickets/admin")]
pub async fn load_ticket_admin(event_id: i32) -> Result<TicketAdmin, AppError> {
    use crate::domain::{context::ctx, ticketing::ticket_types};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let posted = ctx.take_form("ticket_type").await?;
    ticket_types::admin(
        &ctx.state.db,
        &ctx.state.settings,
        ctx.state.payments.enabled(),
        &user,
        event_id,
        posted,
    )
    .await
}

/// Creates (no `id`) or updates a ticket type.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tickets/types/save")]
pub async fn save_ticket_type(
    event_id: i32,
    id: Option<String>,
    name: String,
    description: Option<String>,
    price: Option<String>,
    currency: Option<String>,
    quantity: String,
    max_per_order: Option<String>,
    sales_start: Option<String>,
    sales_end: Option<String>,
    requires_approval: Option<String>,
    guests_allowed: Option<String>,
    waitlist: Option<String>,
    on_sale: Option<String>,
    questions: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, forms::FormFields, ticketing::ticket_types};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let fields = FormFields::from_pairs(
        [
            ("id", id.unwrap_or_default()),
            ("name", name),
            ("description", description.unwrap_or_default()),
            ("price", price.unwrap_or_default()),
            ("currency", currency.unwrap_or_default()),
            ("quantity", quantity),
            ("max_per_order", max_per_order.unwrap_or_default()),
            ("sales_start", sales_start.unwrap_or_default()),
            ("sales_end", sales_end.unwrap_or_default()),
            ("requires_approval", requires_approval.unwrap_or_default()),
            ("guests_allowed", guests_allowed.unwrap_or_default()),
            ("waitlist", waitlist.unwrap_or_default()),
            ("on_sale", on_sale.unwrap_or_default()),
            ("questions", questions.unwrap_or_default()),
        ]
        .iter()
        .map(|(k, v)| (*k, v.as_str())),
    );
    let back = format!("/events/{event_id}/tickets");
    match ticket_types::save(
        &ctx.state.db,
        ctx.state.payments.enabled(),
        &user,
        event_id,
        &fields,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(_) => ctx.succeed("Ticket type saved.", &back).await,
        Err(err) => {
            let form = match fields.text("id") {
                "" => "ticket_type".to_owned(),
                id => format!("ticket_type:{id}"),
            };
            ctx.fail(err, &back, Some((&form, &fields))).await
        }
    }
}

/// The organizer's Stripe connected account, which receives ticket revenue minus the platform fee.
#[server(endpoint = "tickets/payout")]
pub async fn set_payout_account(event_id: i32, account: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::ticket_types};
    let ctx = ctx().await?;
    let user = ctx
        .require_role(crate::api::taxonomy::Role::can_organize)
        .await?;
    let result = ticket_types::set_payout_account(&ctx.state.db, &user, &account).await;
    ctx.respond(
        result.map(|_| "Payout account saved."),
        &format!("/events/{event_id}/tickets"),
    )
    .await
}

#[server(endpoint = "tickets/guests")]
pub async fn load_guests(
    event_id: i32,
    tab: Option<String>,
    q: Option<String>,
) -> Result<GuestList, AppError> {
    use crate::domain::{context::ctx, ticketing::guest_list};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let tab = tab
        .as_deref()
        .and_then(GuestTab::parse)
        .unwrap_or(GuestTab::Going);
    guest_list::list(
        &ctx.state.db,
        &user,
        event_id,
        tab,
        q.as_deref().unwrap_or_default(),
    )
    .await
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

#[server(endpoint = "tickets/guests/act")]
pub async fn act_on_guest(
    id: i32,
    action: String,
    ticket: Option<i32>,
    tier: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, ticketing::organizer_actions};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let back = back
        .filter(|b| b.starts_with("/events/") && crate::api::accounts::is_local_path(b))
        .unwrap_or_else(|| "/my/events".into());
    let result = match GuestAction::parse(&action) {
        Some(action) => {
            organizer_actions::act(
                &ctx.state,
                &user,
                id,
                action,
                ticket,
                tier.as_deref(),
                chrono::Utc::now(),
            )
            .await
        }
        None => Err(AppError::Refused("Unknown action.".into())),
    };
    ctx.respond(result.as_deref().map_err(Clone::clone), &back)
        .await
}

#[server(endpoint = "tickets/checkin/page")]
pub async fn load_check_in(event_id: i32) -> Result<CheckInPage, AppError> {
    use crate::domain::{context::ctx, ticketing::check_in};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let last = ctx.take_form(&format!("checkin:{event_id}")).await?;
    check_in::page(&ctx.state.db, &user, event_id, last).await
}

#[server(endpoint = "tickets/checkin")]
pub async fn check_in(event_id: i32, code: String) -> Result<(), AppError> {
    use crate::{
        api::flash::FormState,
        domain::{context::ctx, forms::FormFields, ticketing::check_in},
    };
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result =
        check_in::check_in(&ctx.state.db, &user, event_id, &code, chrono::Utc::now()).await;
    let back = format!("/events/{event_id}/check-in");
    let form = format!("checkin:{event_id}");
    match result {
        Ok(message) => {
            let state = FormState {
                message: Some(message),
                values: [("accepted".to_owned(), "true".to_owned())].into(),
                ..Default::default()
            };
            ctx.keep_form(&form, state).await?;
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(err) => {
            let fields = FormFields::from_pairs([("code", code.as_str())]);
            ctx.fail(err, &back, Some((&form, &fields))).await
        }
    }
}
