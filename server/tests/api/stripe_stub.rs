//! A local stand-in for Stripe's API: answers Checkout Session, PaymentIntent, Refund and Connect
//! (account, account link) requests with objects of Stripe's shapes and records every request,
//! so tests can assert what was sent. A connected account can take charges once a test finished
//! its onboarding (`finish_onboarding`).
//! A payment intent exists once a test paid a session with it (`paid`), and carries what the
//! session was created with (the transfer to the organizer and the platform fee), as Stripe's
//! would.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub idempotency_key: Option<String>,
    pub authorization: Option<String>,
    pub form: Vec<(String, String)>,
}

impl Recorded {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
pub struct StripeStub {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    /// Answer with a card error instead of a session.
    pub fail: Arc<std::sync::atomic::AtomicBool>,
    /// Payment intent id → the request that created the session it paid.
    intents: Arc<Mutex<HashMap<String, Recorded>>>,
    /// Connected accounts whose onboarding is finished.
    onboarded: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl StripeStub {
    pub async fn start() -> StripeStub {
        let mut stub = StripeStub::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind stub");
        stub.url = format!("http://{}", listener.local_addr().expect("address"));
        let router = Router::new().fallback(answer).with_state(stub.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        stub
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }

    /// The checkout session `session_id` was paid with `intent`.
    pub fn paid(&self, session_id: &str, intent: &str) {
        let n: usize = session_id
            .trim_start_matches("cs_test_")
            .parse()
            .expect("a session of this stub");
        let created = self.requests()[n - 1].clone();
        assert_eq!(created.path, "/v1/checkout/sessions");
        self.intents
            .lock()
            .expect("lock")
            .insert(intent.to_owned(), created);
    }

    /// The person finished Stripe's onboarding for `account`: it takes charges and pays out.
    pub fn finish_onboarding(&self, account: &str) {
        self.onboarded
            .lock()
            .expect("lock")
            .insert(account.to_owned());
    }

    pub fn to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }
}

async fn answer(
    State(stub): State<StripeStub>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let recorded = Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        idempotency_key: header("idempotency-key"),
        authorization: header("authorization"),
        form,
    };
    let n = {
        let mut requests = stub.requests.lock().expect("lock");
        requests.push(recorded.clone());
        requests.len()
    };
    if stub.fail.load(std::sync::atomic::Ordering::SeqCst) {
        return (
            StatusCode::PAYMENT_REQUIRED,
            [("content-type", "application/json")],
            r#"{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}"#,
        )
            .into_response();
    }
    let json = match recorded.path.as_str() {
        "/v1/checkout/sessions" => {
            let id = format!("cs_test_{n}");
            serde_json::json!({
                "id": id,
                "object": "checkout.session",
                "amount_subtotal": 0,
                "amount_total": 0,
                "automatic_tax": { "enabled": false, "liability": null, "status": null },
                "cancel_url": recorded.field("cancel_url"),
                "client_reference_id": recorded.field("client_reference_id"),
                "created": chrono::Utc::now().timestamp(),
                "currency": recorded.field("line_items[0][price_data][currency]"),
                "custom_fields": [],
                "custom_text": { "after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null },
                "customer_email": recorded.field("customer_email"),
                "expires_at": recorded.field("expires_at").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0),
                "livemode": false,
                "metadata": {
                    "registration_id": recorded.field("metadata[registration_id]"),
                    "event_id": recorded.field("metadata[event_id]"),
                },
                "mode": "payment",
                "payment_intent": null,
                "payment_method_types": ["card"],
                "payment_status": "unpaid",
                "shipping_options": [],
                "status": "open",
                "success_url": recorded.field("success_url"),
                "url": format!("https://checkout.stripe.test/c/pay/{id}"),
            })
        }
        path if path.starts_with("/v1/payment_intents/") => {
            let id = path.trim_start_matches("/v1/payment_intents/");
            let Some(session) = stub.intents.lock().expect("lock").get(id).cloned() else {
                return (
                    StatusCode::NOT_FOUND,
                    [("content-type", "application/json")],
                    format!(r#"{{"error":{{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent: '{id}'"}}}}"#),
                )
                    .into_response();
            };
            let number = |name: &str| session.field(name).and_then(|v| v.parse::<i64>().ok());
            let amount = number("line_items[0][price_data][unit_amount]").unwrap_or(0)
                * number("line_items[0][quantity]").unwrap_or(1);
            let transfer = session
                .field("payment_intent_data[transfer_data][destination]")
                .map(
                    |destination| serde_json::json!({ "amount": null, "destination": destination }),
                );
            serde_json::json!({
                "id": id,
                "object": "payment_intent",
                "amount": amount,
                "amount_capturable": 0,
                "amount_received": amount,
                "application_fee_amount": number("payment_intent_data[application_fee_amount]"),
                "capture_method": "automatic",
                "confirmation_method": "automatic",
                "created": chrono::Utc::now().timestamp(),
                "currency": session.field("line_items[0][price_data][currency]"),
                "livemode": false,
                "metadata": {},
                "payment_method_types": ["card"],
                "status": "succeeded",
                "transfer_data": transfer,
            })
        }
        "/v1/accounts" if recorded.method == "POST" => serde_json::json!({
            "id": format!("acct_test_{n}"),
            "object": "account",
            "type": recorded.field("type"),
            "email": recorded.field("email"),
            "charges_enabled": false,
            "payouts_enabled": false,
            "details_submitted": false,
            "metadata": { "organization_id": recorded.field("metadata[organization_id]") },
        }),
        path if path.starts_with("/v1/accounts/") => {
            let id = path.trim_start_matches("/v1/accounts/");
            let done = stub.onboarded.lock().expect("lock").contains(id);
            serde_json::json!({
                "id": id,
                "object": "account",
                "type": "express",
                "charges_enabled": done,
                "payouts_enabled": done,
                "details_submitted": done,
            })
        }
        "/v1/account_links" => serde_json::json!({
            "object": "account_link",
            "created": chrono::Utc::now().timestamp(),
            "expires_at": chrono::Utc::now().timestamp() + 300,
            "url": format!(
                "https://connect.stripe.test/setup/e/{}",
                recorded.field("account").unwrap_or_default()
            ),
        }),
        "/v1/refunds" => serde_json::json!({
            "id": format!("re_test_{n}"),
            "object": "refund",
            "amount": recorded.field("amount").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0),
            "created": chrono::Utc::now().timestamp(),
            "currency": "eur",
            "payment_intent": recorded.field("payment_intent"),
            "status": "succeeded",
        }),
        _ => return (
            StatusCode::NOT_FOUND,
            [("content-type", "application/json")],
            r#"{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}"#,
        )
            .into_response(),
    };
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        json.to_string(),
    )
        .into_response()
}
