use async_trait::async_trait;

use super::{CheckoutRequest, CheckoutSession, PaymentError, PaymentGateway, RefundRequest};

/// The embedded default: no payment provider, so nothing paid can be sold.
pub struct NoPayments;

#[async_trait]
impl PaymentGateway for NoPayments {
    fn enabled(&self) -> bool {
        false
    }

    async fn create_checkout(&self, _: &CheckoutRequest) -> Result<CheckoutSession, PaymentError> {
        Err(PaymentError::Disabled)
    }

    async fn refund(&self, _: &RefundRequest) -> Result<(), PaymentError> {
        Err(PaymentError::Disabled)
    }
}
