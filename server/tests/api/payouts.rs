//! Payouts with Stripe Connect against the Stripe stub: onboarding from nothing to an account
//! that takes charges (the account, its onboarding link, coming back, `account.updated`), the
//! sale gate on the organization's account, who may set it up; and the finance page's figures
//! against a known set of payments and refunds.
use chrono::Utc;
use reqwest::{header, Client};
use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::{
    helpers::*,
    storage_test,
    stripe_stub::StripeStub,
    ticketing::{free_event, make_paid, organization_slug, post_rsvp, signed_webhook, Setup},
};
use app::{
    domain::organizations::personal::add_member,
    model::{dashboard::FinancePage, organizations::OrgRole},
};

async fn organization(app: &TestApp, setup: &Setup) -> entity::organization::Model {
    entity::organization::Entity::find_by_id(app.event(setup.event_id).await.organization_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("organization")
}

async fn start(app: &TestApp, browser: &Client, slug: &str) -> reqwest::Response {
    app.post_form(
        browser,
        "/api/organizations/payouts/start",
        &[("slug", slug)],
    )
    .await
}

async fn finance(app: &TestApp, browser: &Client, slug: &str) -> Result<FinancePage, u16> {
    let response = browser
        .post(app.url("/api/organizations/finance"))
        .header(header::ACCEPT, "application/json")
        .form(&[("slug", slug)])
        .send()
        .await
        .expect("request");
    match response.status().as_u16() {
        200 => Ok(response.json().await.expect("a finance page")),
        n => Err(n),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_goes_from_no_account_to_taking_charges_and_gates_paid_sales() {
    let stub = StripeStub::start().await;
    let app = spawn_app_with_stripe(Backend::Sqlite, &stub.url)
        .await
        .expect("app");
    let setup = free_event(&app, "20").await;
    make_paid(&app, &setup, "20").await;
    let slug = organization_slug(&app, setup.event_id).await;
    let event_page = format!("/events/{}", setup.event_id);
    let ana = app.browser_as("ana@example.com", "attendee").await;

    // no account: paid tickets are not on sale, and nothing reaches Stripe
    let page = app.page_as(&ana, &event_page).await;
    assert!(page.contains("Paid tickets go on sale once the organizer has set up payouts."));
    assert!(refused(&post_rsvp(&app, &ana, &setup, "1").await));
    assert!(stub.to("/v1/checkout/sessions").is_empty());
    let owners = finance(&app, &setup.organizer, &slug)
        .await
        .expect("finance");
    assert_eq!(owners.state, app::model::dashboard::PayoutState::NotStarted);

    // who may set it up: owners and finance, not editors, door staff or strangers
    for (email, role, allowed) in [
        ("editor@example.com", Some(OrgRole::Editor), false),
        ("door@example.com", Some(OrgRole::Door), false),
        ("manager@example.com", Some(OrgRole::Manager), false),
        ("stranger@example.com", None, false),
    ] {
        let browser = app.browser_as(email, "attendee").await;
        if let Some(role) = role {
            let org = organization(&app, &setup).await.id;
            add_member(&app.db, org, app.user(email).await.id, role, Utc::now())
                .await
                .expect("member");
        }
        let tried = start(&app, &browser, &slug).await;
        assert_eq!(refused(&tried), !allowed, "{email}");
        assert!(
            stub.to("/v1/accounts").is_empty(),
            "{email} made no account"
        );
    }

    // the owner starts: an Express account for the organization, and its onboarding link
    let started = start(&app, &setup.organizer, &slug).await;
    assert_eq!(started.status(), 302);
    let to = location(&started);
    let accounts = stub.to("/v1/accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].field("type"), Some("express"));
    assert_eq!(accounts[0].field("email"), Some("org@example.com"));
    assert_eq!(
        accounts[0].field("capabilities[card_payments][requested]"),
        Some("true")
    );
    assert!(accounts[0].idempotency_key.is_some());
    let org = organization(&app, &setup).await;
    let account = org.stripe_account_id.clone().expect("the account is kept");
    assert_eq!(to, format!("https://connect.stripe.test/setup/e/{account}"));
    let link = &stub.to("/v1/account_links")[0];
    assert_eq!(link.field("type"), Some("account_onboarding"));
    assert_eq!(link.field("account"), Some(account.as_str()));
    assert!(link
        .field("return_url")
        .is_some_and(|u| u.ends_with(&format!("/o/{slug}/finance?returned=1"))));
    assert!(link
        .field("refresh_url")
        .is_some_and(|u| u.ends_with(&format!("/o/{slug}/finance?refresh=1"))));

    // back before finishing: still not taking charges
    let back = app
        .page_as(&setup.organizer, &format!("/o/{slug}/finance?returned=1"))
        .await;
    assert!(back.contains("Stripe is waiting for details"));
    assert!(!organization(&app, &setup).await.charges_enabled);
    assert!(refused(&post_rsvp(&app, &ana, &setup, "1").await));

    // continuing reuses the account
    assert_eq!(start(&app, &setup.organizer, &slug).await.status(), 302);
    assert_eq!(stub.to("/v1/accounts").len(), 1);
    assert_eq!(stub.to("/v1/account_links").len(), 2);

    // Stripe says the account is ready: sales open and go to it
    let updated = serde_json::json!({
        "id": "evt_account_ready",
        "type": "account.updated",
        "data": { "object": {
            "id": account, "object": "account",
            "charges_enabled": true, "payouts_enabled": true, "details_submitted": true,
        }},
    })
    .to_string();
    assert_eq!(signed_webhook(&app, &updated).await.status(), 200);
    let org = organization(&app, &setup).await;
    assert!(org.charges_enabled && org.payouts_enabled);
    let sale = post_rsvp(&app, &ana, &setup, "1").await;
    assert!(!refused(&sale));
    let session = &stub.to("/v1/checkout/sessions")[0];
    assert_eq!(
        session.field("payment_intent_data[transfer_data][destination]"),
        Some(account.as_str())
    );
    let fee: i64 = session
        .field("payment_intent_data[application_fee_amount]")
        .and_then(|f| f.parse().ok())
        .expect("a fee");
    let reg = entity::registration::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("the reservation");
    assert_eq!(
        reg.platform_fee_minor, fee,
        "the fee taken is kept with the sale"
    );

    // an account.updated about nobody's account changes nothing
    let stray = serde_json::json!({
        "id": "evt_account_other",
        "type": "account.updated",
        "data": { "object": { "id": "acct_someone_else", "charges_enabled": false } },
    })
    .to_string();
    assert_eq!(signed_webhook(&app, &stray).await.status(), 200);
    assert!(organization(&app, &setup).await.charges_enabled);
}

/// A paid registration as the payment flow leaves it.
async fn sale(
    app: &TestApp,
    setup: &Setup,
    status: &str,
    amount: i64,
    fee: i64,
    refunded: i64,
    at: &str,
) {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .expect("time")
        .with_timezone(&Utc);
    entity::registration::Entity::insert(entity::registration::ActiveModel {
        event_id: Set(setup.event_id),
        ticket_type_id: Set(setup.ticket_type),
        user_id: Set(None),
        holder_key: Set(None),
        name: Set("Buyer".into()),
        email: Set(format!("{status}{amount}{refunded}@example.com")),
        quantity: Set(1),
        status: Set(status.into()),
        tier: Set(0),
        answers: Set("{}".into()),
        amount_minor: Set(amount),
        currency: Set("eur".into()),
        refunded_minor: Set(refunded),
        platform_fee_minor: Set(fee),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(&app.db)
    .await
    .expect("sale");
}

storage_test!(
    the_finance_page_adds_up_sales_fees_and_refunds_per_event_and_month,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let slug = organization_slug(&app, setup.event_id).await;
        // November: €20 (fee €1), €30 refunded in full (fee €1.50); December: €10 half refunded
        // (fee €0.50); an expired reservation and a free ticket do not count
        sale(
            &app,
            &setup,
            "confirmed",
            2000,
            100,
            0,
            "2026-11-10T10:00:00Z",
        )
        .await;
        sale(
            &app,
            &setup,
            "refunded",
            3000,
            150,
            3000,
            "2026-11-20T10:00:00Z",
        )
        .await;
        sale(
            &app,
            &setup,
            "checked_in",
            1000,
            50,
            500,
            "2026-12-01T10:00:00Z",
        )
        .await;
        sale(
            &app,
            &setup,
            "cancelled",
            5000,
            250,
            0,
            "2026-12-02T10:00:00Z",
        )
        .await;
        sale(&app, &setup, "confirmed", 0, 0, 0, "2026-12-02T11:00:00Z").await;

        let page = finance(&app, &setup.organizer, &slug)
            .await
            .expect("finance");
        // gross 60.00; fee kept 1.00 + 0 + 0.25; refunds 35.00; net 60 − 1.25 − 35
        assert_eq!(
            page.totals.rows,
            [["EUR", "60.00", "1.25", "35.00", "23.75"]]
        );
        assert_eq!(
            page.per_month.rows,
            [
                ["2026-12", "EUR", "10.00", "0.25", "5.00", "4.75"],
                ["2026-11", "EUR", "50.00", "1.00", "30.00", "19.00"],
            ]
        );
        assert_eq!(page.per_event.rows.len(), 1);
        assert_eq!(page.per_event.rows[0][2], "60.00");

        let csv = setup
            .organizer
            .get(app.url(&format!("/o/{slug}/dashboard.csv?table=finance-months")))
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        assert_eq!(
            csv.text().await.expect("body"),
            "Month,Currency,Gross sales,Lineup's fee,Refunds,Net\r\n2026-12,EUR,10.00,0.25,5.00,4.75\r\n2026-11,EUR,50.00,1.00,30.00,19.00\r\n"
        );

        // money is for owners and finance only
        let org = app.event(setup.event_id).await.organization_id;
        for (email, role, allowed) in [
            ("finance@example.com", OrgRole::Finance, true),
            ("manager@example.com", OrgRole::Manager, false),
            ("editor@example.com", OrgRole::Editor, false),
        ] {
            let browser = app.browser_as(email, "attendee").await;
            add_member(&app.db, org, app.user(email).await.id, role, Utc::now())
                .await
                .expect("member");
            let seen = finance(&app, &browser, &slug).await;
            assert_eq!(seen.is_ok(), allowed, "{email}");
            if !allowed {
                assert_eq!(seen.err(), Some(403));
                let csv = browser
                    .get(app.url(&format!("/o/{slug}/dashboard.csv?table=finance-totals")))
                    .send()
                    .await
                    .expect("csv");
                assert_eq!(csv.status(), 403, "{email}");
            }
        }
    }
);
