//! Payments behind one small trait: Stripe when it is configured, else a gateway that refuses
//! every payment with a clear message (free registrations need none).
mod disabled;
mod stripe;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

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

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaymentError {
    #[error("Paid tickets are not available here yet: this Lineup has no payment provider configured. Free tickets work as usual.")]
    Disabled,
    #[error("The payment provider refused: {0}")]
    Provider(String),
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
}
