//! Web push: browsers subscribe with the platform's VAPID key; notifications reach each of the
//! person's browsers encrypted for it alone and signed by the platform; a subscription the push
//! service calls gone is removed. Against `push_stub`, which checks what a push service and a
//! browser would.
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    helpers::{refused, TestApp},
    push_stub::PushStub,
    social::person,
    storage_test,
    ticketing::{free_event, rsvp},
};
use app::{domain::notifications::push::PushMessage, model::notifications::PushSetup};
use entity::{notification_delivery as delivery, push_subscription};

async fn subscribe(
    app: &TestApp,
    browser: &reqwest::Client,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> reqwest::Response {
    browser
        .post(app.url("/api/notifications/push/subscribe"))
        .header("accept", "application/json")
        .form(&[("endpoint", endpoint), ("p256dh", p256dh), ("auth", auth)])
        .send()
        .await
        .expect("POST")
}

storage_test!(
    push_reaches_each_browser_encrypted_for_it_and_signed_by_the_platform,
    |app: TestApp| async move {
        let stub = PushStub::start().await;
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;

        // signed out: nothing
        let response = app
            .client
            .post(app.url("/api/notifications/push/key"))
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 401);
        let key: PushSetup = ana
            .post(app.url("/api/notifications/push/key"))
            .header("accept", "application/json")
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("JSON");
        assert_eq!(key.browsers, 0);
        assert_eq!(
            key.public_key.len(),
            87,
            "an uncompressed P-256 point, base64url"
        );

        // what is not a subscription is refused and stores nothing
        let laptop = stub.browser("laptop");
        for (endpoint, p256dh, auth) in [
            (
                "ftp://push.example/x",
                laptop.p256dh.as_str(),
                laptop.auth.as_str(),
            ),
            (laptop.endpoint.as_str(), "not-a-key", laptop.auth.as_str()),
            (laptop.endpoint.as_str(), laptop.p256dh.as_str(), "c2hvcnQ"),
        ] {
            let response = subscribe(&app, &ana, endpoint, p256dh, auth).await;
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            assert!(
                status.is_client_error(),
                "{status} {body} {endpoint} {p256dh} {auth}"
            );
        }
        assert!(push_subscription::Entity::find()
            .all(&app.db)
            .await
            .expect("query")
            .is_empty());

        let phone = stub.browser("gone-phone");
        for browser in [&laptop, &phone] {
            let response = subscribe(
                &app,
                &ana,
                &browser.endpoint,
                &browser.p256dh,
                &browser.auth,
            )
            .await;
            assert_eq!(response.status(), 200);
        }

        let booking = rsvp(&app, &ana, &setup, "1").await;
        let mut received = Vec::new();
        for _ in 0..200 {
            received = stub.received();
            if !received.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            stub.refused.lock().expect("lock").is_empty(),
            "{:?}",
            stub.refused
        );
        assert_eq!(received.len(), 1, "one message to the laptop");
        let message: PushMessage = serde_json::from_slice(&received[0].plain).expect("JSON");
        assert_eq!(message.title, "You're going to Jazz by the Water");
        assert_eq!(message.link, format!("/my/tickets/{booking}"));
        assert_eq!(received[0].vapid_key, key.public_key);
        assert!(received[0].ttl.is_some());

        // the phone's push service said 410: that subscription is gone, the laptop's stays.
        // Both are recorded just after the laptop's message arrived, so wait for them.
        let (mut left, mut pushed) = (Vec::new(), Vec::new());
        for _ in 0..100 {
            left = push_subscription::Entity::find()
                .filter(push_subscription::Column::UserId.eq(ana_id))
                .all(&app.db)
                .await
                .expect("query")
                .into_iter()
                .map(|s| s.endpoint)
                .collect::<Vec<String>>();
            pushed = delivery::Entity::find()
                .filter(delivery::Column::Channel.eq("push"))
                .all(&app.db)
                .await
                .expect("query");
            if left.len() == 1 && pushed.iter().all(|d| d.status == "sent") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(left, std::slice::from_ref(&laptop.endpoint));
        assert_eq!(pushed.len(), 1);
        assert_eq!(pushed[0].status, "sent");

        // turned off for the laptop: nothing more is pushed
        let response = ana
            .post(app.url("/api/notifications/push/unsubscribe"))
            .header("accept", "application/json")
            .form(&[("endpoint", laptop.endpoint.as_str())])
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 200);
        assert!(push_subscription::Entity::find()
            .all(&app.db)
            .await
            .expect("query")
            .is_empty());
    }
);

storage_test!(
    push_waits_for_the_end_of_quiet_hours,
    |app: TestApp| async move {
        use app::domain::notifications::quiet_hours;
        use chrono::{Duration as Minutes, Utc};
        let stub = PushStub::start().await;
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let laptop = stub.browser("laptop");
        let response = subscribe(&app, &ana, &laptop.endpoint, &laptop.p256dh, &laptop.auth).await;
        assert_eq!(response.status(), 200);

        // nonsense is refused and changes nothing
        let bad = app
            .post_form(
                &ana,
                "/api/notifications/quiet/save",
                &[
                    ("quiet_from", "25:00"),
                    ("quiet_until", "07:00"),
                    ("quiet_zone", "UTC"),
                ],
            )
            .await;
        assert!(refused(&bad));
        assert!(quiet_hours::load(&app.db, ana_id)
            .await
            .expect("load")
            .is_none());
        // an hour either side of now
        let now = Utc::now();
        let (from, until) = (
            (now - Minutes::hours(1)).format("%H:%M").to_string(),
            (now + Minutes::hours(1)).format("%H:%M").to_string(),
        );
        let saved = app
            .post_form(
                &ana,
                "/api/notifications/quiet/save",
                &[
                    ("quiet_from", &from),
                    ("quiet_until", &until),
                    ("quiet_zone", "UTC"),
                ],
            )
            .await;
        assert!(!refused(&saved));
        let page = app.page_as(&ana, "/notifications/preferences").await;
        assert!(
            page.contains(&format!("value=\"{from}\"")),
            "the form shows them"
        );

        rsvp(&app, &ana, &setup, "1").await;
        app.outbox_delivered().await;
        let held = async {
            for _ in 0..100 {
                let pushed = delivery::Entity::find()
                    .filter(delivery::Column::Channel.eq("push"))
                    .one(&app.db)
                    .await
                    .expect("query");
                if let Some(d) = pushed.filter(|d| d.available_at > now + Minutes::minutes(50)) {
                    return d;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            panic!("the push was not held");
        }
        .await;
        assert_eq!(held.status, "pending");
        assert!(stub.received().is_empty(), "nothing during quiet hours");

        // when they end, it goes
        delivery::Entity::update_many()
            .col_expr(
                delivery::Column::AvailableAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(delivery::Column::Id.eq(held.id))
            .exec(&app.db)
            .await
            .expect("end of quiet hours");
        let off = app
            .post_form(
                &ana,
                "/api/notifications/quiet/save",
                &[
                    ("quiet_from", ""),
                    ("quiet_until", ""),
                    ("quiet_zone", "UTC"),
                ],
            )
            .await;
        assert!(!refused(&off));
        for _ in 0..200 {
            if !stub.received().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(stub.received().len(), 1);
    }
);
