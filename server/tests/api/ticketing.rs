//! Ticketing over HTTP and through its domain functions: RSVPs, the concurrency guard, Stripe
//! checkout and webhooks (against a local stub), expiry, the waitlist, approvals, refunds,
//! check-in and who may see what.
use chrono::{Duration, Utc};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use app::domain::ticketing::{
    expiry,
    register::{self, Registrant, Request},
    webhooks,
};

use crate::{
    helpers::{location, refused, spawn_app_with_stripe, Backend, TestApp, STRIPE_WEBHOOK_SECRET},
    storage_test,
    stripe_stub::StripeStub,
};

pub(crate) struct Setup {
    pub organizer: Client,
    pub event_id: i32,
    pub ticket_type: i32,
}

/// A published free event with its default ticket type, `capacity` seats.
/// A free event with ten seats whose ticket type ("Open door") takes guests without an account.
pub(crate) async fn guest_event(app: &TestApp) -> Setup {
    let setup = free_event(app, "10").await;
    edit_type(
        app,
        &setup,
        &[
            ("name", "Open door"),
            ("quantity", "10"),
            ("guests_allowed", "on"),
            ("on_sale", "on"),
        ],
    )
    .await;
    setup
}

pub(crate) async fn free_event(app: &TestApp, capacity: &str) -> Setup {
    let organizer = app.browser_as("org@example.com", "organizer").await;
    let curator = app.browser_as("curator@example.com", "curator").await;
    let event_id = app
        .published_event(&organizer, &curator, &[("capacity", capacity)])
        .await;
    let ticket_type = ticket_types(app, event_id).await[0].id;
    Setup {
        organizer,
        event_id,
        ticket_type,
    }
}

async fn ticket_types(app: &TestApp, event_id: i32) -> Vec<entity::ticket_type::Model> {
    entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.eq(event_id))
        .order_by_asc(entity::ticket_type::Column::Id)
        .all(&app.db)
        .await
        .expect("ticket types")
}

async fn registration(app: &TestApp, id: i32) -> entity::registration::Model {
    entity::registration::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("registration")
}

async fn tickets_of(app: &TestApp, registration_id: i32) -> Vec<entity::ticket::Model> {
    entity::ticket::Entity::find()
        .filter(entity::ticket::Column::RegistrationId.eq(registration_id))
        .order_by_asc(entity::ticket::Column::Number)
        .all(&app.db)
        .await
        .expect("tickets")
}

/// Seats the counters say are taken, for the ticket type and for the event.
async fn taken(app: &TestApp, setup: &Setup) -> (i32, i32) {
    let tt = entity::ticket_type::Entity::find_by_id(setup.ticket_type)
        .one(&app.db)
        .await
        .expect("query")
        .expect("type");
    (tt.taken, app.event(setup.event_id).await.seats_taken)
}

/// Registers like the event page's form does; returns the registration id from the redirect.
pub(crate) async fn rsvp(app: &TestApp, browser: &Client, setup: &Setup, quantity: &str) -> i32 {
    let response = post_rsvp(app, browser, setup, quantity).await;
    assert_eq!(response.status(), 302);
    assert!(!refused(&response), "registration accepted");
    registration_of_redirect(&location(&response))
}

pub(crate) async fn post_rsvp(
    app: &TestApp,
    browser: &Client,
    setup: &Setup,
    quantity: &str,
) -> reqwest::Response {
    app.post_form(
        browser,
        "/api/tickets/register",
        &[
            ("event_id", &setup.event_id.to_string()),
            ("ticket_type", &setup.ticket_type.to_string()),
            ("quantity", quantity),
        ],
    )
    .await
}

fn registration_of_redirect(to: &str) -> i32 {
    to.trim_start_matches("/my/tickets/")
        .parse()
        .unwrap_or_else(|_| panic!("redirect to a registration, got {to}"))
}

/// Changes the event's first ticket type through the organizer's form.
pub(crate) async fn edit_type(app: &TestApp, setup: &Setup, fields: &[(&str, &str)]) {
    let (event, id) = (setup.event_id.to_string(), setup.ticket_type.to_string());
    let mut form = vec![("event_id", event.as_str()), ("id", id.as_str())];
    form.extend_from_slice(fields);
    let response = app
        .post_form(&setup.organizer, "/api/tickets/types/save", &form)
        .await;
    assert!(!refused(&response), "ticket type saved");
}

/// Makes the event's first ticket type paid (€12.50) through the organizer's form.
pub(crate) async fn make_paid(app: &TestApp, setup: &Setup, quantity: &str) {
    edit_type(
        app,
        setup,
        &[
            ("name", "Standard"),
            ("price", "12.50"),
            ("currency", "EUR"),
            ("quantity", quantity),
            ("max_per_order", "4"),
            ("waitlist", "on"),
            ("on_sale", "on"),
        ],
    )
    .await;
    assert_eq!(ticket_types(app, setup.event_id).await[0].price_minor, 1250);
}

fn stripe_event(kind: &str, object: serde_json::Value) -> String {
    serde_json::json!({
        "id": format!("evt_{}", uuid::Uuid::new_v4().simple()),
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": Utc::now().timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
        "data": { "object": object },
    })
    .to_string()
}

fn completed_session(reg: &entity::registration::Model, payment_intent: &str) -> serde_json::Value {
    serde_json::json!({
        "id": reg.checkout_session_id,
        "object": "checkout.session",
        "amount_total": reg.amount_minor,
        "currency": reg.currency,
        "client_reference_id": reg.id.to_string(),
        "metadata": { "registration_id": reg.id.to_string(), "event_id": reg.event_id.to_string() },
        "mode": "payment",
        "payment_intent": payment_intent,
        "payment_status": "paid",
        "status": "complete",
    })
}

/// Stripe reports the reservation's checkout as paid with `payment_intent`.
async fn pay(
    app: &TestApp,
    stub: &StripeStub,
    reg: &entity::registration::Model,
    payment_intent: &str,
) {
    stub.paid(
        reg.checkout_session_id
            .as_deref()
            .expect("a checkout session"),
        payment_intent,
    );
    let body = stripe_event(
        "checkout.session.completed",
        completed_session(reg, payment_intent),
    );
    assert_eq!(signed_webhook(app, &body).await.status(), 200);
}

/// The refunds the stub received, once there are `n` (the refund worker sends them after the
/// webhook's transaction).
async fn refunds_sent(stub: &StripeStub, n: usize) -> Vec<crate::stripe_stub::Recorded> {
    for _ in 0..100 {
        let refunds = stub.to("/v1/refunds");
        if refunds.len() >= n {
            return refunds;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stub.to("/v1/refunds")
}

async fn post_webhook(app: &TestApp, body: &str, signature: Option<String>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/stripe/webhook"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    request.send().await.expect("webhook post")
}

pub(crate) async fn signed_webhook(app: &TestApp, body: &str) -> reqwest::Response {
    let signature = webhooks::sign(
        STRIPE_WEBHOOK_SECRET,
        body.as_bytes(),
        Utc::now().timestamp(),
    );
    post_webhook(app, body, Some(signature)).await
}

/// An app talking to a fresh Stripe stub, with a published event whose ticket type is paid.
async fn paid_setup(backend: Backend, seats: &str) -> Option<(TestApp, StripeStub, Setup)> {
    let stub = StripeStub::start().await;
    let app = spawn_app_with_stripe(backend, &stub.url).await?;
    let setup = free_event(&app, seats).await;
    connect_payouts(&app, &stub, &setup).await;
    make_paid(&app, &setup, seats).await;
    Some((app, stub, setup))
}

/// The event's organization through Stripe Connect onboarding as its owner does it: the button
/// on the finance page sends them to Stripe, they finish there and come back. Returns the
/// connected account.
pub(crate) async fn connect_payouts(app: &TestApp, stub: &StripeStub, setup: &Setup) -> String {
    let slug = organization_slug(app, setup.event_id).await;
    let started = app
        .post_form(
            &setup.organizer,
            "/api/organizations/payouts/start",
            &[("slug", &slug)],
        )
        .await;
    assert_eq!(started.status(), 302);
    let to = location(&started);
    let account = to
        .strip_prefix("https://connect.stripe.test/setup/e/")
        .unwrap_or_else(|| panic!("went to Stripe's onboarding, got {to}"))
        .to_owned();
    stub.finish_onboarding(&account);
    let back = app
        .page_as(&setup.organizer, &format!("/o/{slug}/finance?returned=1"))
        .await;
    assert!(back.contains("Payments and payouts are on"), "{back}");
    account
}

pub(crate) async fn organization_slug(app: &TestApp, event_id: i32) -> String {
    let org = app.event(event_id).await.organization_id;
    entity::organization::Entity::find_by_id(org)
        .one(&app.db)
        .await
        .expect("query")
        .expect("organization")
        .slug
}

/// Runs a body with a paid setup on SQLite and, when configured, Postgres.
macro_rules! paid_test {
    ($name:ident, $seats:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (app, stub, setup) = paid_setup(Backend::Sqlite, $seats)
                    .await
                    .expect("sqlite app");
                ($body)(app, stub, setup).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some((app, stub, setup)) = paid_setup(Backend::Postgres, $seats).await else {
                    assert!(
                        std::env::var_os("LINEUP_REQUIRE_POSTGRES").is_none(),
                        "LINEUP_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
                    );
                    return;
                };
                ($body)(app, stub, setup).await;
            }
        }
    };
}

/// A paid reservation through the page's form: the redirect goes to the stub's Checkout URL.
async fn reserve_paid(
    app: &TestApp,
    browser: &Client,
    setup: &Setup,
    quantity: &str,
) -> entity::registration::Model {
    let response = post_rsvp(app, browser, setup, quantity).await;
    assert_eq!(response.status(), 302);
    assert!(!refused(&response), "reservation made");
    let to = location(&response);
    assert!(
        to.starts_with("https://checkout.stripe.test/c/pay/cs_test_"),
        "went to Checkout: {to}"
    );
    let session = to.rsplit('/').next().unwrap_or_default().to_owned();
    entity::registration::Entity::find()
        .filter(entity::registration::Column::CheckoutSessionId.eq(session))
        .one(&app.db)
        .await
        .expect("query")
        .expect("registration with the session")
}

storage_test!(
    free_rsvp_gives_a_ticket_with_a_qr_and_counts_going,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let id = rsvp(&app, &ana, &setup, "2").await;

        let reg = registration(&app, id).await;
        assert_eq!(reg.status, "confirmed");
        let tickets = tickets_of(&app, id).await;
        assert_eq!(tickets.len(), 2);
        assert_ne!(tickets[0].code, tickets[1].code);
        assert_eq!(tickets[0].code.len(), 26);
        assert_eq!(taken(&app, &setup).await, (2, 2));

        let page = app.page_as(&ana, &format!("/my/tickets/{id}")).await;
        assert!(page.contains("<svg"), "QR code shown");
        assert!(
            page.contains(&tickets[0].code[..4]),
            "code printed under the QR"
        );
        assert!(app
            .page_as(&ana, "/my/tickets")
            .await
            .contains("Jazz by the Water"));
        let event_page = app.page(&format!("/events/{}", setup.event_id)).await;
        assert!(
            event_page.contains("2 going"),
            "going count on the event page"
        );

        // a second registration for the same event is refused and changes nothing
        let again = post_rsvp(&app, &ana, &setup, "1").await;
        assert!(refused(&again));
        assert_eq!(taken(&app, &setup).await, (2, 2));

        // cancelling a free RSVP returns the seats and voids the tickets
        let response = app
            .post_form(&ana, "/api/tickets/cancel", &[("id", &id.to_string())])
            .await;
        assert!(!refused(&response));
        assert_eq!(registration(&app, id).await.status, "cancelled");
        assert!(tickets_of(&app, id)
            .await
            .iter()
            .all(|t| t.status == "cancelled"));
        assert_eq!(taken(&app, &setup).await, (0, 0));
    }
);

storage_test!(
    bad_registrations_are_refused_and_change_nothing,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        for quantity in ["0", "-1", "5", "abc", "99999999999"] {
            let response = post_rsvp(&app, &ana, &setup, quantity).await;
            assert!(refused(&response), "quantity {quantity} refused");
        }
        // anonymous, where guests are not allowed
        let anonymous = app.other_browser();
        let response = app
            .post_form(
                &anonymous,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", &setup.ticket_type.to_string()),
                    ("name", "Guest"),
                    ("email", "guest@example.com"),
                ],
            )
            .await;
        assert!(refused(&response));
        // an unknown ticket type
        let response = app
            .post_form(
                &ana,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", "99999"),
                ],
            )
            .await;
        assert!(refused(&response));
        assert_eq!(
            entity::registration::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
        assert_eq!(taken(&app, &setup).await, (0, 0));
    }
);

storage_test!(
    a_thousand_concurrent_registrations_fill_exactly_the_seats,
    |app: TestApp| async move {
        let setup = free_event(&app, "100").await;
        let buyers = server::cli::demo::synthetic_attendees(&app.db, "buyer", 1000, Utc::now())
            .await
            .expect("buyers");
        assert_eq!(buyers.len(), 1000);

        let tasks: Vec<_> = buyers
            .into_iter()
            .map(|buyer| {
                let state = app.state.clone();
                let ticket_type = setup.ticket_type;
                tokio::spawn(async move {
                    register::register(
                        &state,
                        &Registrant::User(buyer),
                        Request {
                            ticket_type_id: ticket_type,
                            quantity: "1",
                            answers: &[],
                        },
                        Utc::now(),
                        app::model::language::Locale::en,
                    )
                    .await
                    .map(|o| o.registration().status.clone())
                })
            })
            .collect();
        let mut confirmed = 0;
        let mut waitlisted = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(status) if status == "confirmed" => confirmed += 1,
                Ok(status) if status == "waitlisted" => waitlisted += 1,
                other => panic!("unexpected outcome {other:?}"),
            }
        }
        assert_eq!((confirmed, waitlisted), (100, 900));
        assert_eq!(taken(&app, &setup).await, (100, 100));
        let stored_confirmed = entity::registration::Entity::find()
            .filter(entity::registration::Column::Status.eq("confirmed"))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(stored_confirmed, 100);
        assert_eq!(
            entity::ticket::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            100
        );
    }
);

storage_test!(
    waitlist_offers_pass_on_when_unanswered_and_can_be_accepted,
    |app: TestApp| async move {
        let setup = free_event(&app, "1").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let cai = app.browser_as("cai@example.com", "attendee").await;
        let first = rsvp(&app, &ana, &setup, "1").await;
        let second = rsvp(&app, &ben, &setup, "1").await;
        let third = rsvp(&app, &cai, &setup, "1").await;
        assert_eq!(registration(&app, first).await.status, "confirmed");
        assert_eq!(registration(&app, second).await.status, "waitlisted");
        assert_eq!(registration(&app, third).await.status, "waitlisted");

        // a VIP tier jumps the queue: the organizer puts Cai first
        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/guests/act",
                &[
                    ("id", &third.to_string()),
                    ("action", "tier"),
                    ("tier", "vip"),
                ],
            )
            .await;
        assert!(!refused(&response));

        app.post_form(&ana, "/api/tickets/cancel", &[("id", &first.to_string())])
            .await;
        let offered = registration(&app, third).await;
        assert_eq!(
            offered.status, "offered",
            "the higher tier is offered first"
        );
        assert_eq!(registration(&app, second).await.status, "waitlisted");
        assert_eq!(
            taken(&app, &setup).await,
            (1, 1),
            "the offer holds the seat"
        );
        assert!(app
            .page_as(&cai, &format!("/my/tickets/{third}"))
            .await
            .contains("A seat freed up for you"));

        // nobody answers for a day: the offer lapses and passes on
        let later = Utc::now() + Duration::hours(25);
        assert_eq!(expiry::sweep(&app.db, later).await.expect("sweep"), 1);
        assert_eq!(registration(&app, third).await.status, "cancelled");
        assert_eq!(registration(&app, second).await.status, "offered");
        assert_eq!(taken(&app, &setup).await, (1, 1));

        // someone else cannot accept Ben's offer
        let response = app
            .post_form(
                &cai,
                "/api/tickets/offer/accept",
                &[("id", &second.to_string())],
            )
            .await;
        assert!(refused(&response));
        let response = app
            .post_form(
                &ben,
                "/api/tickets/offer/accept",
                &[("id", &second.to_string())],
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(registration(&app, second).await.status, "confirmed");
        assert_eq!(tickets_of(&app, second).await.len(), 1);
        assert_eq!(taken(&app, &setup).await, (1, 1));
    }
);

storage_test!(
    approval_required_tickets_wait_for_the_organizer,
    |app: TestApp| async move {
        let setup = free_event(&app, "10").await;
        edit_type(
            &app,
            &setup,
            &[
                ("name", "Members"),
                ("quantity", "10"),
                ("requires_approval", "on"),
                ("on_sale", "on"),
                ("questions", "Why do you want to come?"),
            ],
        )
        .await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        // the question must be answered
        let missing = post_rsvp(&app, &ana, &setup, "1").await;
        assert!(refused(&missing));
        let response = app
            .post_form(
                &ana,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", &setup.ticket_type.to_string()),
                    ("quantity", "1"),
                    ("answer1", "I play the saxophone"),
                ],
            )
            .await;
        let id = registration_of_redirect(&location(&response));
        let reg = registration(&app, id).await;
        assert_eq!(reg.status, "pending_approval");
        assert!(reg.answers.contains("saxophone"));
        assert_eq!(
            taken(&app, &setup).await,
            (0, 0),
            "a request holds no seats"
        );
        assert!(tickets_of(&app, id).await.is_empty());

        // only the organizer approves
        let stranger = app.browser_as("stranger@example.com", "organizer").await;
        let response = app
            .post_form(
                &stranger,
                "/api/tickets/guests/act",
                &[("id", &id.to_string()), ("action", "approve")],
            )
            .await;
        assert!(refused(&response));
        assert_eq!(registration(&app, id).await.status, "pending_approval");

        let guests = app
            .page_as(
                &setup.organizer,
                &format!("/events/{}/guests?tab=pending", setup.event_id),
            )
            .await;
        assert!(guests.contains("I play the saxophone"));
        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/guests/act",
                &[("id", &id.to_string()), ("action", "approve")],
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(registration(&app, id).await.status, "confirmed");
        assert_eq!(tickets_of(&app, id).await.len(), 1);
        assert_eq!(taken(&app, &setup).await, (1, 1));
    }
);

storage_test!(
    second_check_in_is_refused_with_first_time,
    |app: TestApp| async move {
        let setup = free_event(&app, "10").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let id = rsvp(&app, &ana, &setup, "1").await;
        let code = tickets_of(&app, id).await[0].code.clone();
        let check_in = |browser: Client, code: String| {
            let app = &app;
            let event = setup.event_id.to_string();
            async move {
                app.post_form(
                    &browser,
                    "/api/tickets/checkin",
                    &[("event_id", &event), ("code", &code)],
                )
                .await
            }
        };
        // an attendee cannot check people in
        let response = check_in(ana.clone(), code.clone()).await;
        assert!(refused(&response));
        assert!(tickets_of(&app, id).await[0].checked_in_at.is_none());

        // typed sloppily: lower case with dashes
        let typed = code
            .to_lowercase()
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-");
        let response = check_in(setup.organizer.clone(), typed).await;
        assert!(!refused(&response));
        let page = app
            .page_as(
                &setup.organizer,
                &format!("/events/{}/check-in", setup.event_id),
            )
            .await;
        assert!(page.contains("Welcome, Test Person"), "{page}");
        assert_eq!(registration(&app, id).await.status, "checked_in");

        let response = check_in(setup.organizer.clone(), code.clone()).await;
        assert!(refused(&response));
        let page = app
            .page_as(
                &setup.organizer,
                &format!("/events/{}/check-in", setup.event_id),
            )
            .await;
        assert!(page.contains("Already checked in"), "{page}");
        assert!(
            page.contains("by Test Person"),
            "names who checked it in first"
        );

        let unknown = check_in(setup.organizer.clone(), "0000000000".into()).await;
        assert!(refused(&unknown));
        assert_eq!(
            entity::ticket::Entity::find()
                .filter(entity::ticket::Column::CheckedInAt.is_not_null())
                .count(&app.db)
                .await
                .expect("count"),
            1
        );
    }
);

storage_test!(
    another_users_ticket_by_id_is_not_found,
    |app: TestApp| async move {
        let setup = free_event(&app, "10").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let id = rsvp(&app, &ana, &setup, "1").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let response = ben
            .get(app.url(&format!("/my/tickets/{id}")))
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 404);
        let body = response.text().await.expect("body");
        assert!(!body.contains(&tickets_of(&app, id).await[0].code[..8]));
        // nor can Ben cancel it
        let response = app
            .post_form(&ben, "/api/tickets/cancel", &[("id", &id.to_string())])
            .await;
        assert!(refused(&response));
        assert_eq!(registration(&app, id).await.status, "confirmed");
        // and the guest list and its CSV are the organizer's
        for path in [
            format!("/events/{}/guests", setup.event_id),
            format!("/events/{}/guests.csv", setup.event_id),
        ] {
            let response = ben
                .get(app.url(&path))
                .header("accept", "text/html")
                .send()
                .await
                .expect("get");
            assert_eq!(response.status(), 403, "{path}");
        }
        let csv = setup
            .organizer
            .get(app.url(&format!("/events/{}/guests.csv", setup.event_id)))
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        let csv = csv.text().await.expect("body");
        assert!(csv.starts_with("name,email,ticket_type"));
        assert!(csv.contains("ana@example.com"));
    }
);

storage_test!(
    paid_tickets_cannot_go_on_sale_without_stripe,
    |app: TestApp| async move {
        let setup = free_event(&app, "10").await;
        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/types/save",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("name", "VIP"),
                    ("price", "30"),
                    ("quantity", "5"),
                    ("on_sale", "on"),
                ],
            )
            .await;
        assert!(refused(&response));
        assert_eq!(ticket_types(&app, setup.event_id).await.len(), 1);
        let page = app
            .page_as(
                &setup.organizer,
                &format!("/events/{}/tickets", setup.event_id),
            )
            .await;
        assert!(
            page.contains("no payment provider configured"),
            "the form says why"
        );
        // saved paused, it shows on the event page with the reason, and cannot be bought
        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/types/save",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("name", "VIP"),
                    ("price", "30"),
                    ("quantity", "5"),
                ],
            )
            .await;
        assert!(!refused(&response));
        let vip = ticket_types(&app, setup.event_id).await[1].id;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let page = app
            .page_as(&ana, &format!("/events/{}", setup.event_id))
            .await;
        assert!(page.contains("Paid tickets are not available here yet"));
        let response = app
            .post_form(
                &ana,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", &vip.to_string()),
                ],
            )
            .await;
        assert!(refused(&response));
        // the free one still works
        rsvp(&app, &ana, &setup, "1").await;
    }
);

paid_test!(
    checkout_sends_stripe_amounts_metadata_and_idempotency,
    "20",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        // the organization's connected account takes the sale, less the platform fee
        let account = stub.to("/v1/accounts")[0].clone();
        assert_eq!(account.field("type"), Some("express"));
        assert_eq!(
            account.field("capabilities[transfers][requested]"),
            Some("true")
        );
        let org = app.event(setup.event_id).await.organization_id;
        assert_eq!(
            account.field("metadata[organization_id]"),
            Some(org.to_string().as_str())
        );
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "2").await;
        assert_eq!(reg.status, "reserved");
        assert_eq!(reg.amount_minor, 2500);
        assert_eq!(
            taken(&app, &setup).await,
            (2, 2),
            "seats held during checkout"
        );

        let sent = stub.to("/v1/checkout/sessions");
        assert_eq!(sent.len(), 1);
        let s = &sent[0];
        assert_eq!(s.method, "POST");
        assert_eq!(s.authorization.as_deref(), Some("Bearer sk_test_lineup"));
        assert_eq!(s.field("mode"), Some("payment"));
        assert_eq!(
            s.field("line_items[0][price_data][unit_amount]"),
            Some("1250")
        );
        assert_eq!(s.field("line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(s.field("line_items[0][quantity]"), Some("2"));
        assert_eq!(
            s.field("metadata[registration_id]"),
            Some(reg.id.to_string().as_str())
        );
        assert_eq!(
            s.field("client_reference_id"),
            Some(reg.id.to_string().as_str())
        );
        assert_eq!(s.field("customer_email"), Some("ana@example.com"));
        // 5 % of €25.00
        assert_eq!(
            s.field("payment_intent_data[application_fee_amount]"),
            Some("125")
        );
        assert!(s
            .field("payment_intent_data[transfer_data][destination]")
            .is_some_and(|d| d.starts_with("acct_test_")));
        let expires: i64 = s
            .field("expires_at")
            .and_then(|v| v.parse().ok())
            .expect("expires_at");
        assert_eq!(Some(expires), reg.expires_at.map(|t| t.timestamp()));
        // Stripe refuses sessions that expire less than 30 minutes after they are created
        assert!(expires - Utc::now().timestamp() > 30 * 60);
        assert!(s
            .idempotency_key
            .as_deref()
            .is_some_and(|k| k.contains(&reg.id.to_string())));
        assert!(s
            .field("success_url")
            .is_some_and(|u| u.ends_with(&format!("/my/tickets/{}?paid=1", reg.id))));
    }
);

paid_test!(
    a_signed_completed_webhook_confirms_once_even_when_replayed,
    "20",
    |app: TestApp, _stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        let body = stripe_event(
            "checkout.session.completed",
            completed_session(&reg, "pi_test_1"),
        );
        let response = signed_webhook(&app, &body).await;
        assert_eq!(response.status(), 200);
        let paid = registration(&app, reg.id).await;
        assert_eq!(paid.status, "confirmed");
        assert_eq!(paid.payment_intent_id.as_deref(), Some("pi_test_1"));
        assert_eq!(tickets_of(&app, reg.id).await.len(), 1);
        assert!(app
            .page_as(&ana, &format!("/my/tickets/{}", reg.id))
            .await
            .contains("<svg"));

        let replay = signed_webhook(&app, &body).await;
        assert_eq!(replay.status(), 200);
        assert_eq!(replay.text().await.expect("body"), "Replayed");
        assert_eq!(
            tickets_of(&app, reg.id).await.len(),
            1,
            "no second set of tickets"
        );
        assert_eq!(taken(&app, &setup).await, (1, 1));

        // out of order: the session's `expired` arriving after `completed` changes nothing
        let expired = stripe_event(
            "checkout.session.expired",
            completed_session(&reg, "pi_test_1"),
        );
        assert_eq!(signed_webhook(&app, &expired).await.status(), 200);
        assert_eq!(registration(&app, reg.id).await.status, "confirmed");
        assert_eq!(taken(&app, &setup).await, (1, 1));
    }
);

paid_test!(
    webhooks_with_bad_old_or_missing_signatures_change_nothing,
    "20",
    |app: TestApp, _stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        let body = stripe_event(
            "checkout.session.completed",
            completed_session(&reg, "pi_test_2"),
        );
        let now = Utc::now().timestamp();
        let attempts = [
            None,
            Some("t=123,v1=nothex".to_owned()),
            Some(webhooks::sign("whsec_someone_else", body.as_bytes(), now)),
            Some(webhooks::sign(
                STRIPE_WEBHOOK_SECRET,
                body.as_bytes(),
                now - 3600,
            )),
            Some(webhooks::sign(STRIPE_WEBHOOK_SECRET, b"{\"other\":1}", now)),
        ];
        for signature in attempts {
            let response = post_webhook(&app, &body, signature.clone()).await;
            assert_eq!(response.status(), 400, "refused: {signature:?}");
        }
        assert_eq!(registration(&app, reg.id).await.status, "reserved");
        assert!(tickets_of(&app, reg.id).await.is_empty());
        assert_eq!(
            entity::stripe_event::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            0
        );
        // a signed payload that is not an event is a clear 400 too
        let response = signed_webhook(&app, "not json").await;
        assert_eq!(response.status(), 400);
    }
);

paid_test!(
    an_unpaid_reservation_expires_and_returns_its_seats,
    "1",
    |app: TestApp, _stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        // sold out while Ana pays: Ben queues
        let response = post_rsvp(&app, &ben, &setup, "1").await;
        let ben_reg = registration_of_redirect(&location(&response));
        assert_eq!(registration(&app, ben_reg).await.status, "waitlisted");

        // not yet due
        assert_eq!(expiry::sweep(&app.db, Utc::now()).await.expect("sweep"), 0);
        let later = Utc::now() + Duration::minutes(36);
        assert_eq!(expiry::sweep(&app.db, later).await.expect("sweep"), 1);
        assert_eq!(registration(&app, reg.id).await.status, "cancelled");
        assert_eq!(
            registration(&app, ben_reg).await.status,
            "offered",
            "the freed seat goes to the waitlist"
        );
        assert_eq!(taken(&app, &setup).await, (1, 1));

        // Stripe's own expiry arriving afterwards changes nothing
        let expired = stripe_event("checkout.session.expired", completed_session(&reg, "pi_x"));
        assert_eq!(signed_webhook(&app, &expired).await.status(), 200);
        assert_eq!(taken(&app, &setup).await, (1, 1));
    }
);

paid_test!(
    a_payment_after_the_reservation_lapsed_is_refunded_when_the_seat_is_gone,
    "1",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        expiry::sweep(&app.db, Utc::now() + Duration::minutes(36))
            .await
            .expect("sweep");
        // Ben takes the freed seat
        reserve_paid(&app, &ben, &setup, "1").await;
        pay(&app, &stub, &reg, "pi_late").await;
        let late = registration(&app, reg.id).await;
        assert_eq!(late.status, "refunded");
        let refunds = refunds_sent(&stub, 1).await;
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].field("payment_intent"), Some("pi_late"));
        assert_eq!(refunds[0].field("amount"), Some("1250"));
        assert_eq!(taken(&app, &setup).await, (1, 1), "Ben keeps his seat");
    }
);

paid_test!(
    organizers_refund_one_ticket_then_the_rest,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "2").await;
        pay(&app, &stub, &reg, "pi_refund").await;
        let tickets = tickets_of(&app, reg.id).await;
        assert_eq!(tickets.len(), 2);
        assert_eq!(taken(&app, &setup).await, (2, 2));

        // an attendee cannot refund
        let response = app
            .post_form(
                &ana,
                "/api/tickets/guests/act",
                &[("id", &reg.id.to_string()), ("action", "refund")],
            )
            .await;
        assert!(refused(&response));
        assert!(stub.to("/v1/refunds").is_empty());

        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/guests/act",
                &[
                    ("id", &reg.id.to_string()),
                    ("action", "refund"),
                    ("ticket", &tickets[0].id.to_string()),
                ],
            )
            .await;
        assert!(!refused(&response));
        let refunds = stub.to("/v1/refunds");
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].field("payment_intent"), Some("pi_refund"));
        assert_eq!(refunds[0].field("amount"), Some("1250"));
        assert!(refunds[0].idempotency_key.is_some());
        let after_one = registration(&app, reg.id).await;
        assert_eq!(after_one.status, "confirmed");
        assert_eq!(after_one.refunded_minor, 1250);
        assert_eq!(tickets_of(&app, reg.id).await[0].status, "refunded");
        assert_eq!(taken(&app, &setup).await, (1, 1));

        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/guests/act",
                &[("id", &reg.id.to_string()), ("action", "refund")],
            )
            .await;
        assert!(!refused(&response));
        let refunds = stub.to("/v1/refunds");
        assert_eq!(refunds.len(), 2);
        assert_eq!(refunds[1].field("amount"), Some("1250"));
        let refunded = registration(&app, reg.id).await;
        assert_eq!(refunded.status, "refunded");
        assert_eq!(refunded.refunded_minor, 2500);
        assert_eq!(taken(&app, &setup).await, (0, 0));

        // Stripe's charge.refunded for what Lineup refunded itself changes nothing
        let charge = serde_json::json!({
            "id": "ch_1", "object": "charge", "amount": 2500, "amount_refunded": 2500,
            "payment_intent": "pi_refund", "refunded": true,
        });
        assert_eq!(
            signed_webhook(&app, &stripe_event("charge.refunded", charge))
                .await
                .status(),
            200
        );
        assert_eq!(registration(&app, reg.id).await.refunded_minor, 2500);
        assert_eq!(taken(&app, &setup).await, (0, 0));
    }
);

paid_test!(
    a_refund_made_in_stripe_releases_the_seats,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        pay(&app, &stub, &reg, "pi_dash").await;
        let charge = serde_json::json!({
            "id": "ch_2", "object": "charge", "amount": 1250, "amount_refunded": 1250,
            "payment_intent": "pi_dash", "refunded": true,
        });
        assert_eq!(
            signed_webhook(&app, &stripe_event("charge.refunded", charge))
                .await
                .status(),
            200
        );
        assert_eq!(registration(&app, reg.id).await.status, "refunded");
        assert_eq!(tickets_of(&app, reg.id).await[0].status, "refunded");
        assert_eq!(taken(&app, &setup).await, (0, 0));
    }
);

paid_test!(
    a_refused_checkout_releases_the_seats_and_says_why,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        stub.fail.store(true, std::sync::atomic::Ordering::SeqCst);
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let response = post_rsvp(&app, &ana, &setup, "1").await;
        assert!(refused(&response));
        assert_eq!(taken(&app, &setup).await, (0, 0));
        let page = app
            .page_as(&ana, &format!("/events/{}", setup.event_id))
            .await;
        assert!(
            page.contains("payment provider refused"),
            "the reason is shown"
        );
    }
);

storage_test!(
    guests_register_with_name_and_email_when_allowed,
    |app: TestApp| async move {
        let setup = guest_event(&app).await;
        let guest = app.other_browser();
        let form = |email: &'static str| {
            [
                ("event_id", setup.event_id.to_string()),
                ("ticket_type", setup.ticket_type.to_string()),
                ("quantity", "1".to_owned()),
                ("name", "Gia Guest".to_owned()),
                ("email", email.to_owned()),
            ]
        };
        let bad = form("not-an-email");
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(refused(
            &app.post_form(&guest, "/api/tickets/register", &bad).await
        ));
        assert_eq!(taken(&app, &setup).await, (0, 0));

        let good = form("gia@example.com");
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = app.post_form(&guest, "/api/tickets/register", &good).await;
        assert!(!refused(&response));
        let to = location(&response);
        assert!(
            to.starts_with("/tickets/"),
            "a guest's tickets live at their code: {to}"
        );
        let page = app.page_as(&guest, &to).await;
        assert!(page.contains("<svg") && page.contains("Open door"));
        // the same email cannot hold two open registrations for the event
        assert!(refused(
            &app.post_form(&app.other_browser(), "/api/tickets/register", &good)
                .await
        ));
        // a made-up code finds nothing
        let response = guest
            .get(app.url("/tickets/ABCDEFGHJKMNPQRSTVWXYZ0123"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 404);
    }
);

storage_test!(
    the_calendar_feed_lists_what_you_have_tickets_for,
    |app: TestApp| async move {
        let setup = free_event(&app, "10").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        rsvp(&app, &ana, &setup, "1").await;
        let page = app.page_as(&ana, "/my/tickets").await;
        let feed = page
            .split("value=\"")
            .find_map(|rest| rest.split('"').next().filter(|v| v.contains("/calendar/")))
            .expect("a feed URL on My tickets")
            .to_owned();
        let path = feed.split("127.0.0.1").nth(1).expect("a path");
        let response = app
            .other_browser()
            .get(app.url(path))
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 200);
        let ics = response.text().await.expect("body");
        assert!(ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Jazz by the Water"));
        let wrong = app
            .other_browser()
            .get(app.url("/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaa.ics"))
            .send()
            .await
            .expect("get");
        assert_eq!(wrong.status(), 404);
    }
);

paid_test!(
    an_approved_paid_request_gets_a_payment_link,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        edit_type(
            &app,
            &setup,
            &[
                ("name", "Standard"),
                ("price", "12.50"),
                ("quantity", "10"),
                ("requires_approval", "on"),
                ("on_sale", "on"),
            ],
        )
        .await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let id = registration_of_redirect(&location(&post_rsvp(&app, &ana, &setup, "1").await));
        assert_eq!(registration(&app, id).await.status, "pending_approval");
        assert!(
            stub.to("/v1/checkout/sessions").is_empty(),
            "nothing is charged before approval"
        );
        let response = app
            .post_form(
                &setup.organizer,
                "/api/tickets/guests/act",
                &[("id", &id.to_string()), ("action", "approve")],
            )
            .await;
        assert!(!refused(&response));
        let reg = registration(&app, id).await;
        assert_eq!(reg.status, "reserved");
        assert_eq!(stub.to("/v1/checkout/sessions").len(), 1);
        assert!(reg.checkout_url.is_some());
        let page = app.page_as(&ana, &format!("/my/tickets/{id}")).await;
        assert!(page.contains("Pay now"));
        pay(&app, &stub, &reg, "pi_approved").await;
        assert_eq!(registration(&app, id).await.status, "confirmed");
    }
);

paid_test!(
    a_payment_for_a_cancelled_reservation_is_refunded_not_revived,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        let response = app
            .post_form(&ana, "/api/tickets/cancel", &[("id", &reg.id.to_string())])
            .await;
        assert!(!refused(&response));
        assert_eq!(taken(&app, &setup).await, (0, 0));
        // Ana finishes paying in the tab she still had open
        pay(&app, &stub, &reg, "pi_after_cancel").await;
        assert_eq!(registration(&app, reg.id).await.status, "refunded");
        assert!(tickets_of(&app, reg.id).await.is_empty());
        assert_eq!(taken(&app, &setup).await, (0, 0));
        let refunds = refunds_sent(&stub, 1).await;
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].field("payment_intent"), Some("pi_after_cancel"));
    }
);

storage_test!(
    raised_capacity_goes_to_the_waitlist_first,
    |app: TestApp| async move {
        let setup = free_event(&app, "1").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        rsvp(&app, &ana, &setup, "1").await;
        let waiting = rsvp(&app, &ben, &setup, "1").await;
        assert_eq!(registration(&app, waiting).await.status, "waitlisted");
        // the organizer makes room: the event first, then the ticket type
        let response = app
            .post_multipart(
                &setup.organizer,
                "/api/events/save",
                crate::helpers::event_form(&[
                    ("id", &setup.event_id.to_string()),
                    ("capacity", "2"),
                ]),
            )
            .await;
        assert!(!refused(&response), "capacity raised");
        assert_eq!(app.event(setup.event_id).await.capacity, 2);
        assert_eq!(
            registration(&app, waiting).await.status,
            "waitlisted",
            "the type still has one seat"
        );
        edit_type(
            &app,
            &setup,
            &[
                ("name", "General admission"),
                ("quantity", "2"),
                ("waitlist", "on"),
                ("on_sale", "on"),
            ],
        )
        .await;
        assert_eq!(registration(&app, waiting).await.status, "offered");
        assert_eq!(taken(&app, &setup).await, (2, 2));
    }
);

/// A gateway that passes refunds on to the real one and then "dies" (panics) after `left` of
/// them: the provider has refunded, the batch never commits, as when the process is killed.
struct DiesAfterRefunds {
    inner: std::sync::Arc<dyn app::domain::ticketing::payments::PaymentGateway>,
    left: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl app::domain::ticketing::payments::PaymentGateway for DiesAfterRefunds {
    fn enabled(&self) -> bool {
        true
    }
    async fn create_checkout(
        &self,
        request: &app::domain::ticketing::payments::CheckoutRequest,
    ) -> Result<
        app::domain::ticketing::payments::CheckoutSession,
        app::domain::ticketing::payments::PaymentError,
    > {
        self.inner.create_checkout(request).await
    }
    async fn refund(
        &self,
        request: &app::domain::ticketing::payments::RefundRequest,
    ) -> Result<(), app::domain::ticketing::payments::PaymentError> {
        self.inner.refund(request).await?;
        let left = self.left.load(std::sync::atomic::Ordering::SeqCst);
        if left == 0 {
            panic!("the process is killed right after the provider refunded");
        }
        self.left
            .store(left - 1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}

paid_test!(
    a_cancelled_event_refunds_voids_and_clears_its_waitlist_once_even_after_a_crash,
    "3",
    |mut app: TestApp, stub: StripeStub, setup: Setup| async move {
        use app::domain::ticketing::event_cancellation;
        // the test plays the worker, to kill it midway
        app.stop_cancellation_worker().await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let cai = app.browser_as("cai@example.com", "attendee").await;
        let anas = reserve_paid(&app, &ana, &setup, "2").await;
        pay(&app, &stub, &anas, "pi_ana").await;
        let bens = reserve_paid(&app, &ben, &setup, "1").await;
        pay(&app, &stub, &bens, "pi_ben").await;
        let response = post_rsvp(&app, &cai, &setup, "1").await;
        let cais = registration_of_redirect(&location(&response));
        assert_eq!(registration(&app, cais).await.status, "waitlisted");

        let response = app
            .post_form(
                &setup.organizer,
                "/api/events/cancel",
                &[
                    ("id", &setup.event_id.to_string()),
                    ("reason", "The venue flooded."),
                ],
            )
            .await;
        assert!(!refused(&response));

        // killed after the first refund went out, before its batch committed
        let dying = DiesAfterRefunds {
            inner: app.state.payments.clone(),
            left: std::sync::atomic::AtomicUsize::new(1),
        };
        let db = app.db.clone();
        let killed =
            tokio::spawn(async move { event_cancellation::run_due(&db, &dying, Utc::now()).await })
                .await;
        assert!(killed.is_err_and(|e| e.is_panic()), "killed midway");
        assert_eq!(stub.to("/v1/refunds").len(), 2);
        assert_eq!(registration(&app, anas.id).await.status, "confirmed");
        // a restart finishes it
        let later = Utc::now();
        assert_eq!(
            event_cancellation::run_due(&app.db, app.state.payments.as_ref(), later)
                .await
                .expect("round"),
            3
        );
        assert_eq!(
            event_cancellation::run_due(&app.db, app.state.payments.as_ref(), later)
                .await
                .expect("round"),
            0,
            "done, and the job is gone"
        );

        for (reg, status, refunded) in [
            (anas.id, "refunded", 2500),
            (bens.id, "refunded", 1250),
            (cais, "cancelled", 0),
        ] {
            let r = registration(&app, reg).await;
            assert_eq!((r.status.as_str(), r.refunded_minor), (status, refunded));
            assert!(tickets_of(&app, reg)
                .await
                .iter()
                .all(|t| t.status != "valid"));
        }
        // every refund request of one registration carried the same key: the provider pays once
        let refunds = stub.to("/v1/refunds");
        let mut keys: Vec<(String, String, String)> = refunds
            .iter()
            .map(|r| {
                (
                    r.field("payment_intent").unwrap_or_default().to_owned(),
                    r.field("amount").unwrap_or_default().to_owned(),
                    r.idempotency_key.clone().unwrap_or_default(),
                )
            })
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(
            keys.iter()
                .map(|(pi, amount, _)| (pi.as_str(), amount.as_str()))
                .collect::<Vec<_>>(),
            [("pi_ana", "2500"), ("pi_ben", "1250")],
            "{refunds:?}"
        );

        // one notice each, naming the refund for those who paid
        app.outbox_delivered().await;
        for (email, paid) in [
            ("ana@example.com", true),
            ("ben@example.com", true),
            ("cai@example.com", false),
        ] {
            let user = app.user(email).await;
            let told: Vec<_> = entity::notification::Entity::find()
                .filter(entity::notification::Column::UserId.eq(user.id))
                .filter(entity::notification::Column::Kind.eq("event_cancelled"))
                .all(&app.db)
                .await
                .expect("notifications");
            assert_eq!(told.len(), 1, "{email}");
            assert_eq!(told[0].body.contains("refunded in full"), paid, "{email}");
            let others = entity::notification::Entity::find()
                .filter(entity::notification::Column::UserId.eq(user.id))
                .filter(entity::notification::Column::Kind.ne("event_cancelled"))
                .filter(entity::notification::Column::Kind.ne("registration_confirmed"))
                .all(&app.db)
                .await
                .expect("notifications");
            assert!(
                others.iter().all(|n| !n.title.contains("cancel")),
                "no second notice: {others:?}"
            );
        }
    }
);

/// A gateway whose provider refuses every refund.
struct RefusesRefunds;

#[async_trait::async_trait]
impl app::domain::ticketing::payments::PaymentGateway for RefusesRefunds {
    fn enabled(&self) -> bool {
        true
    }
    async fn create_checkout(
        &self,
        _: &app::domain::ticketing::payments::CheckoutRequest,
    ) -> Result<
        app::domain::ticketing::payments::CheckoutSession,
        app::domain::ticketing::payments::PaymentError,
    > {
        Err(app::domain::ticketing::payments::PaymentError::Disabled)
    }
    async fn refund(
        &self,
        _: &app::domain::ticketing::payments::RefundRequest,
    ) -> Result<(), app::domain::ticketing::payments::PaymentError> {
        Err(app::domain::ticketing::payments::PaymentError::Provider(
            "charge_already_refunded".into(),
        ))
    }
}

paid_test!(
    a_refused_refund_keeps_only_its_registration_open_and_is_tried_again,
    "3",
    |mut app: TestApp, stub: StripeStub, setup: Setup| async move {
        use app::domain::ticketing::event_cancellation;
        app.stop_cancellation_worker().await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let anas = reserve_paid(&app, &ana, &setup, "1").await;
        pay(&app, &stub, &anas, "pi_ana").await;
        let bens = reserve_paid(&app, &ben, &setup, "1").await.id;
        let response = app
            .post_form(
                &setup.organizer,
                "/api/events/cancel",
                &[
                    ("id", &setup.event_id.to_string()),
                    ("reason", "The venue flooded."),
                ],
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(
            event_cancellation::run_due(&app.db, &RefusesRefunds, Utc::now())
                .await
                .expect("round"),
            0
        );
        // Ben's unpaid reservation is closed; Ana's paid seat waits for its refund
        assert_eq!(registration(&app, bens).await.status, "cancelled");
        assert_eq!(registration(&app, anas.id).await.status, "confirmed");
        let job = entity::outbox::Entity::find()
            .filter(entity::outbox::Column::Topic.eq(event_cancellation::TOPIC))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the job waits for a retry");
        assert_eq!(job.attempts, 1);
        assert!(job.available_at > Utc::now());
    }
);

/// The refunds recorded for a registration.
async fn refunds_of(app: &TestApp, registration_id: i32) -> Vec<entity::refund::Model> {
    entity::refund::Entity::find()
        .filter(entity::refund::Column::RegistrationId.eq(registration_id))
        .all(&app.db)
        .await
        .expect("refunds")
}

/// What the registration's history says.
async fn notes_of(app: &TestApp, registration_id: i32) -> Vec<String> {
    entity::registration_change::Entity::find()
        .filter(entity::registration_change::Column::RegistrationId.eq(registration_id))
        .order_by_asc(entity::registration_change::Column::Id)
        .all(&app.db)
        .await
        .expect("changes")
        .into_iter()
        .map(|c| c.note)
        .collect()
}

paid_test!(
    a_payment_that_does_not_match_is_refunded_and_recorded,
    "4",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;

        // too little, in another currency, nothing at all
        for (n, (amount, currency, status)) in [
            (100, "eur", "paid"),
            (1250, "usd", "paid"),
            (0, "eur", "no_payment_required"),
        ]
        .into_iter()
        .enumerate()
        {
            let reg = reserve_paid(&app, &ana, &setup, "1").await;
            let intent = format!("pi_mismatch_{n}");
            stub.paid(reg.checkout_session_id.as_deref().unwrap(), &intent);
            let mut session = completed_session(&reg, &intent);
            session["amount_total"] = amount.into();
            session["currency"] = currency.into();
            session["payment_status"] = status.into();
            let body = stripe_event("checkout.session.completed", session);
            assert_eq!(signed_webhook(&app, &body).await.status(), 200);

            let after = registration(&app, reg.id).await;
            assert_eq!(
                after.status, "cancelled",
                "no tickets for {amount} {currency}"
            );
            assert!(tickets_of(&app, reg.id).await.is_empty());
            assert_eq!(taken(&app, &setup).await, (0, 0), "the seat is back");
            let recorded = refunds_of(&app, reg.id).await;
            if amount == 0 {
                assert!(recorded.is_empty(), "nothing was charged");
            } else {
                assert_eq!(recorded.len(), 1);
                assert_eq!(recorded[0].amount_minor, amount);
                assert_eq!(recorded[0].currency, currency);
                assert!(recorded[0].reason.contains("did not match the €12.50 due"));
                let sent = refunds_sent(&stub, n + 1).await;
                assert_eq!(sent[n].field("payment_intent"), Some(intent.as_str()));
                assert_eq!(sent[n].field("amount"), Some(amount.to_string().as_str()));
            }
            // the organizer sees why in the registration's history
            assert!(notes_of(&app, reg.id)
                .await
                .iter()
                .any(|n| n.contains("did not match the €12.50 due")));
        }

        // a session Lineup has no record of, whatever its metadata says, confirms nothing
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        let mut foreign = completed_session(&reg, "pi_foreign");
        foreign["id"] = "cs_test_someone_elses".into();
        let body = stripe_event("checkout.session.completed", foreign);
        assert_eq!(signed_webhook(&app, &body).await.status(), 200);
        assert_eq!(registration(&app, reg.id).await.status, "reserved");
        // nor does one from Stripe's live mode reaching a test-mode Lineup
        let mut live = completed_session(&reg, "pi_live");
        live["livemode"] = true.into();
        let body = stripe_event("checkout.session.completed", live);
        assert_eq!(signed_webhook(&app, &body).await.status(), 200);
        assert_eq!(registration(&app, reg.id).await.status, "reserved");
        assert!(tickets_of(&app, reg.id).await.is_empty());

        // the right amount still confirms
        pay(&app, &stub, &reg, "pi_right").await;
        assert_eq!(registration(&app, reg.id).await.status, "confirmed");
    }
);

paid_test!(
    a_payment_racing_the_lapse_of_its_reservation_ends_in_tickets_or_a_refund,
    "1",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let ben = app.browser_as("ben@example.com", "attendee").await;
        // the webhook read Ana's reservation while it was still held ...
        let read = reserve_paid(&app, &ana, &setup, "1").await;
        // ... it lapsed before the update, and Ben took the seat
        expiry::sweep(&app.db, Utc::now() + Duration::minutes(36))
            .await
            .expect("sweep");
        reserve_paid(&app, &ben, &setup, "1").await;
        stub.paid(read.checkout_session_id.as_deref().unwrap(), "pi_race");
        let payment = webhooks::Payment::of(&completed_session(&read, "pi_race")).expect("payment");
        let handled = webhooks::settle(&app.db, read.clone(), &payment, Utc::now())
            .await
            .expect("settled");
        assert_eq!(
            handled,
            webhooks::Handled::Processed("refunded late payment".into())
        );
        let after = registration(&app, read.id).await;
        assert_eq!(
            (after.status.as_str(), after.refunded_minor),
            ("refunded", 1250)
        );
        assert_eq!(refunds_sent(&stub, 1).await.len(), 1);
        assert_eq!(taken(&app, &setup).await, (1, 1), "Ben keeps his seat");

        // the same race with the seat still free ends in tickets
        let bens = entity::registration::Entity::find()
            .filter(entity::registration::Column::Status.eq("reserved"))
            .one(&app.db)
            .await
            .expect("query")
            .expect("Ben's reservation");
        expiry::sweep(&app.db, Utc::now() + Duration::minutes(36))
            .await
            .expect("sweep");
        stub.paid(bens.checkout_session_id.as_deref().unwrap(), "pi_race_2");
        let payment =
            webhooks::Payment::of(&completed_session(&bens, "pi_race_2")).expect("payment");
        let handled = webhooks::settle(&app.db, bens.clone(), &payment, Utc::now())
            .await
            .expect("settled");
        assert_eq!(
            handled,
            webhooks::Handled::Processed("confirmed late".into())
        );
        assert_eq!(registration(&app, bens.id).await.status, "confirmed");
        assert_eq!(tickets_of(&app, bens.id).await.len(), 1);
    }
);

async fn refund_all(app: &TestApp, setup: &Setup, registration_id: i32) -> reqwest::Response {
    let id = registration_id.to_string();
    app.post_form(
        &setup.organizer,
        "/api/tickets/guests/act",
        &[("id", &id), ("action", "refund")],
    )
    .await
}

paid_test!(
    refunds_reverse_the_payout_the_payment_had_whatever_the_account_is_now,
    "10",
    |app: TestApp, stub: StripeStub, setup: Setup| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;

        // sold through the organization's account, which Stripe then restricts
        let anas = reserve_paid(&app, &ana, &setup, "1").await;
        pay(&app, &stub, &anas, "pi_with_payout").await;
        let org = app.event(setup.event_id).await.organization_id;
        let account_id = entity::organization::Entity::find_by_id(org)
            .one(&app.db)
            .await
            .expect("query")
            .and_then(|o| o.stripe_account_id)
            .expect("a connected account");
        let restricted = serde_json::json!({
            "id": "evt_account_restricted",
            "type": "account.updated",
            "data": { "object": {
                "id": account_id, "object": "account",
                "charges_enabled": false, "payouts_enabled": false,
            }},
        })
        .to_string();
        assert_eq!(signed_webhook(&app, &restricted).await.status(), 200);
        let org = entity::organization::Entity::find_by_id(org)
            .one(&app.db)
            .await
            .expect("query")
            .expect("organization");
        assert!(!org.charges_enabled && !org.payouts_enabled);
        assert!(!refused(&refund_all(&app, &setup, anas.id).await));

        let refunds = stub.to("/v1/refunds");
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].field("payment_intent"), Some("pi_with_payout"));
        assert_eq!(refunds[0].field("reverse_transfer"), Some("true"));
        assert_eq!(refunds[0].field("refund_application_fee"), Some("true"));
        assert_eq!(registration(&app, anas.id).await.status, "refunded");

        // and while it is restricted nothing paid is sold
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let refused_sale = post_rsvp(&app, &ben, &setup, "1").await;
        assert!(refused(&refused_sale));
        assert_eq!(stub.to("/v1/checkout/sessions").len(), 1);
    }
);

paid_test!(
    a_webhook_refund_survives_a_crash_between_the_provider_and_the_record,
    "1",
    |mut app: TestApp, stub: StripeStub, setup: Setup| async move {
        use app::domain::ticketing::refunds;
        app.stop_cancellation_worker().await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let reg = reserve_paid(&app, &ana, &setup, "1").await;
        let response = app
            .post_form(&ana, "/api/tickets/cancel", &[("id", &reg.id.to_string())])
            .await;
        assert!(!refused(&response));
        // step one: the webhook records the refund and answers; nothing has gone to Stripe yet
        pay(&app, &stub, &reg, "pi_crash").await;
        assert_eq!(registration(&app, reg.id).await.status, "refunded");
        assert!(stub.to("/v1/refunds").is_empty());
        assert_eq!(refunds_of(&app, reg.id).await.len(), 1);

        // step two succeeds at Stripe, the process dies before step three
        let dying = DiesAfterRefunds {
            inner: app.state.payments.clone(),
            left: std::sync::atomic::AtomicUsize::new(0),
        };
        let db = app.db.clone();
        let killed =
            tokio::spawn(async move { refunds::run_due(&db, &dying, Utc::now()).await }).await;
        assert!(killed.is_err_and(|e| e.is_panic()), "killed midway");
        assert_eq!(stub.to("/v1/refunds").len(), 1);
        assert!(refunds_of(&app, reg.id).await[0].sent_at.is_none());

        // a restart sends it again with the same key (Stripe answers with the first refund)
        let sent = refunds::run_due(&app.db, app.state.payments.as_ref(), Utc::now())
            .await
            .expect("round");
        assert_eq!(sent, 1);
        assert_eq!(
            refunds::run_due(&app.db, app.state.payments.as_ref(), Utc::now())
                .await
                .expect("round"),
            0,
            "done"
        );
        let requests = stub.to("/v1/refunds");
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].idempotency_key, requests[1].idempotency_key);
        assert!(requests[0].idempotency_key.is_some());
        let recorded = refunds_of(&app, reg.id).await;
        assert_eq!(recorded.len(), 1);
        assert!(recorded[0].sent_at.is_some());
    }
);
