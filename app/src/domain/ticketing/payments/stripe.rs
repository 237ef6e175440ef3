//! Stripe through async-stripe: Checkout Sessions for paid registrations, refunds, and Connect
//! (Express accounts, their onboarding links and their standing) for organizations' payouts.
use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_checkout::{
    checkout_session::{
        CreateCheckoutSession, CreateCheckoutSessionLineItems,
        CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionPaymentIntentData,
        CreateCheckoutSessionPaymentIntentDataTransferData, ProductData,
    },
    CheckoutSessionMode,
};
use stripe_connect::{
    account::{
        CreateAccount, CreateAccountCapabilities, CreateAccountCapabilitiesCardPayments,
        CreateAccountCapabilitiesTransfers, CreateAccountType, RetrieveAccount,
    },
    account_link::{CreateAccountLink, CreateAccountLinkType},
};
use stripe_core::{payment_intent::RetrievePaymentIntent, refund::CreateRefund};

use super::{
    AccountRequest, AccountStanding, CheckoutRequest, CheckoutSession, PaymentError,
    PaymentGateway, RefundRequest,
};

pub struct StripeGateway {
    client: Client,
    livemode: bool,
}

impl StripeGateway {
    /// `api_base` is Stripe's API unless tests point it at a local stub.
    pub fn new(secret_key: &str, api_base: &str) -> Result<StripeGateway, PaymentError> {
        // Other dependencies enable rustls' aws-lc-rs provider next to ring, and then rustls
        // cannot pick one by itself. Err means a provider is installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let base = format!("{}/", api_base.trim_end_matches('/'));
        let client = ClientBuilder::new(secret_key)
            .url(base)
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| PaymentError::Provider(e.to_string()))?;
        let livemode = ["sk_live_", "rk_live_"]
            .iter()
            .any(|prefix| secret_key.starts_with(prefix));
        Ok(StripeGateway { client, livemode })
    }
}

fn idempotent(key: &str) -> Result<RequestStrategy, PaymentError> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| PaymentError::Provider(format!("idempotency key: {e:?}")))
}

fn provider(err: stripe::StripeError) -> PaymentError {
    tracing::warn!(error = %err, "Stripe request failed");
    PaymentError::Provider(err.to_string())
}

fn metadata(request_registration: i32, event_id: i32) -> HashMap<String, String> {
    HashMap::from([
        (
            "registration_id".to_owned(),
            request_registration.to_string(),
        ),
        ("event_id".to_owned(), event_id.to_string()),
    ])
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    fn enabled(&self) -> bool {
        true
    }

    fn livemode(&self) -> bool {
        self.livemode
    }

    async fn create_checkout(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError> {
        let currency: stripe_types::Currency = request.currency.parse().map_err(|_| {
            PaymentError::Provider(format!("unknown currency {}", request.currency))
        })?;
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency);
        price.unit_amount = Some(request.unit_amount);
        price.product_data = Some(ProductData::new(request.product_name.clone()));
        let mut item = CreateCheckoutSessionLineItems::new();
        item.price_data = Some(price);
        item.quantity = Some(request.quantity);

        let mut intent = CreateCheckoutSessionPaymentIntentData::new();
        intent.metadata = Some(metadata(request.registration_id, request.event_id));
        if let Some(payout) = &request.payout {
            intent.application_fee_amount = Some(payout.application_fee);
            intent.transfer_data = Some(CreateCheckoutSessionPaymentIntentDataTransferData::new(
                payout.destination.clone(),
            ));
        }

        let mut create = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(vec![item])
            .success_url(request.success_url.clone())
            .cancel_url(request.cancel_url.clone())
            .client_reference_id(request.registration_id.to_string())
            .metadata(metadata(request.registration_id, request.event_id))
            .expires_at(request.expires_at.timestamp())
            .payment_intent_data(intent);
        if let Some(email) = &request.customer_email {
            create = create.customer_email(email.clone());
        }
        let session = create
            .customize()
            .request_strategy(idempotent(&request.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(provider)?;
        let url = session
            .url
            .ok_or_else(|| PaymentError::Provider("the session came back without a URL".into()))?;
        Ok(CheckoutSession {
            id: session.id.to_string(),
            url,
        })
    }

    async fn refund(&self, request: &RefundRequest) -> Result<(), PaymentError> {
        // what to reverse is read from the payment itself: the organizer's payout account may
        // have been added or removed since the sale
        let intent = RetrievePaymentIntent::new(request.payment_intent.as_str())
            .send(&self.client)
            .await
            .map_err(provider)?;
        let mut create = CreateRefund::new()
            .payment_intent(request.payment_intent.clone())
            .amount(request.amount)
            .metadata(HashMap::from([(
                "registration_id".to_owned(),
                request.registration_id.to_string(),
            )]));
        if intent.transfer_data.is_some() {
            create = create.reverse_transfer(true);
        }
        if intent.application_fee_amount.is_some_and(|fee| fee > 0) {
            create = create.refund_application_fee(true);
        }
        create
            .customize()
            .request_strategy(idempotent(&request.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(provider)?;
        Ok(())
    }

    async fn create_account(&self, request: &AccountRequest) -> Result<String, PaymentError> {
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.card_payments = Some(CreateAccountCapabilitiesCardPayments {
            requested: Some(true),
        });
        capabilities.transfers = Some(CreateAccountCapabilitiesTransfers {
            requested: Some(true),
        });
        let account = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .email(request.email.clone())
            .capabilities(capabilities)
            .metadata(HashMap::from([(
                "organization_id".to_owned(),
                request.organization_id.to_string(),
            )]))
            .customize()
            .request_strategy(idempotent(&request.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(provider)?;
        Ok(account.id.to_string())
    }

    async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, PaymentError> {
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(provider)?;
        Ok(link.url)
    }

    async fn account_standing(&self, account: &str) -> Result<AccountStanding, PaymentError> {
        let account = RetrieveAccount::new(account)
            .send(&self.client)
            .await
            .map_err(provider)?;
        Ok(AccountStanding {
            charges_enabled: account.charges_enabled.unwrap_or(false),
            payouts_enabled: account.payouts_enabled.unwrap_or(false),
            details_submitted: account.details_submitted.unwrap_or(false),
        })
    }
}
