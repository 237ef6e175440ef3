//! Payments behind one small trait: Stripe when it is configured, else a gateway that refuses
//! every payment with a clear message (free registrations need none).
mod disabled;
mod stripe;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::{i18n::td_string, model::language::Locale};

pub use self::stripe::StripeGateway;
pub use disabled::NoPayments;

/// A hosted checkout for one registration's seats.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutRequest {
    pub registration_id: i32,
    pub event_id: i32,
    pub product_name: String,
    /// Per seat, in minor units.
    pub unit_amount: i64,
    pub quantity: u64,
    pub currency: String,
    pub customer_email: Option<String>,
    pub success_url: String,
    pub cancel_url: String,
    /// The reservation's end; the session must not outlive it.
    pub expires_at: DateTime<Utc>,
    /// The platform fee and the connected account that receives the rest, when the organizer
    /// has one.
    pub payout: Option<Payout>,
    /// The same key for a retry of the same attempt, so a retried request never makes two
    /// sessions.
    pub idempotency_key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Payout {
    pub application_fee: i64,
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutSession {
    pub id: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefundRequest {
    pub registration_id: i32,
    pub payment_intent: String,
    pub amount: i64,
    /// The gateway reverses the payout (transfer and platform fee) when the payment itself had
    /// one, whatever the organizer's payout account is now.
    pub idempotency_key: String,
}

/// A new connected account for an organization (Stripe Connect, Express).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRequest {
    pub organization_id: i32,
    pub email: String,
    /// One account per organization, however often the request is retried.
    pub idempotency_key: String,
}

/// What the provider says a connected account can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountStanding {
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaymentError {
    #[error("Paid tickets are not available here yet: this Lineup has no payment provider configured. Free tickets work as usual.")]
    Disabled,
    #[error("The payment provider refused: {0}")]
    Provider(String),
}

impl PaymentError {
    /// What people are told, in their language (the provider's own words stay as it gave them;
    /// `to_string` is the English, for logs).
    pub fn message(&self, locale: Locale) -> String {
        match self {
            PaymentError::Disabled => td_string!(locale, tickets.payments.disabled).to_owned(),
            PaymentError::Provider(why) => td_string!(locale, tickets.payments.refused, why = why),
        }
    }
}

#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Whether paid tickets can be sold at all.
    fn enabled(&self) -> bool;
    /// Whether the gateway takes real money (Stripe's live mode): a payment from the other mode
    /// is not one of ours.
    fn livemode(&self) -> bool {
        false
    }
    async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError>;
    async fn refund(&self, request: &RefundRequest) -> Result<(), PaymentError>;
    /// Creates a connected account; returns its id (`acct_…`). A gateway without connected
    /// accounts refuses, as do the two below.
    async fn create_account(&self, _request: &AccountRequest) -> Result<String, PaymentError> {
        Err(PaymentError::Disabled)
    }
    /// A single-use link to the provider's onboarding for `account`: `return_url` when the
    /// person is done or leaves, `refresh_url` when the link expired.
    async fn onboarding_link(
        &self,
        _account: &str,
        _refresh_url: &str,
        _return_url: &str,
    ) -> Result<String, PaymentError> {
        Err(PaymentError::Disabled)
    }
    async fn account_standing(&self, _account: &str) -> Result<AccountStanding, PaymentError> {
        Err(PaymentError::Disabled)
    }
}
