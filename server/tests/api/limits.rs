//! Nobody can lock anyone out or flood the service: the sign-in throttle counts per account
//! from one client and per client (the client read through the trusted proxy), and every write
//! and expensive read has a limit answered with 429 and `Retry-After`.
use reqwest::{header, Client, Response};

use crate::{
    helpers::{location, spawn_app_behind_proxy, TestApp},
    storage_test,
};

async fn sign_in_from(
    app: &TestApp,
    browser: &Client,
    address: &str,
    email: &str,
    password: &str,
) -> Response {
    browser
        .post(app.url("/api/accounts/sign_in"))
        .header("x-forwarded-for", address)
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/signin"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("sign in")
}

async fn sign_up_from(app: &TestApp, address: &str, email: &str, accept: &str) -> Response {
    app.other_browser()
        .post(app.url("/api/accounts/sign_up"))
        .header("x-forwarded-for", address)
        .header(header::ACCEPT, accept)
        .header(header::REFERER, app.url("/signup"))
        .form(&[
            ("email", email),
            ("password", "a long password"),
            ("display_name", "Somebody"),
        ])
        .send()
        .await
        .expect("sign up")
}

storage_test!(
    a_strangers_guesses_lock_out_the_stranger_not_the_owner,
    spawn = spawn_app_behind_proxy,
    |app: TestApp| async move {
        const OWNER: &str = "203.0.113.10";
        const STRANGER: &str = "198.51.100.66";
        let response = sign_up_from(&app, OWNER, "admin@example.com", "text/html").await;
        assert_eq!(response.status(), 302);

        let stranger = app.other_browser();
        for _ in 0..7 {
            sign_in_from(
                &app,
                &stranger,
                STRANGER,
                "admin@example.com",
                "guess guess",
            )
            .await;
        }
        let page = app.page_as(&stranger, "/signin").await;
        assert!(page.contains("Too many failed sign-in attempts"), "{page}");
        // the stranger's address waits, even with the right password ...
        let response = sign_in_from(
            &app,
            &stranger,
            STRANGER,
            "admin@example.com",
            "a long password",
        )
        .await;
        assert_eq!(location(&response), "/signin");

        // ... the owner, from her own address, signs in at once
        let owner = app.other_browser();
        let response =
            sign_in_from(&app, &owner, OWNER, "admin@example.com", "a long password").await;
        assert_eq!(location(&response), "/", "signed in");

        // thirty-five failures against many accounts lock out only the address they came from:
        // behind the proxy, every other visitor still signs in
        for n in 0..35 {
            sign_in_from(
                &app,
                &stranger,
                STRANGER,
                &format!("nobody{n}@example.com"),
                "guess guess",
            )
            .await;
        }
        let response = sign_up_from(&app, "192.0.2.77", "visitor@example.com", "text/html").await;
        assert_eq!(response.status(), 302);
        let visitor = app.other_browser();
        let response = sign_in_from(
            &app,
            &visitor,
            "192.0.2.77",
            "visitor@example.com",
            "a long password",
        )
        .await;
        assert_eq!(
            location(&response),
            "/",
            "another visitor is not locked out"
        );
    }
);

storage_test!(
    sign_ups_past_the_limit_answer_429_with_retry_after_and_a_page,
    spawn = spawn_app_behind_proxy,
    |app: TestApp| async move {
        const FLOOD: &str = "198.51.100.23";
        for n in 0..5 {
            let response =
                sign_up_from(&app, FLOOD, &format!("bulk{n}@example.com"), "text/html").await;
            assert_eq!(response.status(), 302, "sign-up {n}");
        }
        // without JavaScript: a page that says when to try again
        let response = sign_up_from(&app, FLOOD, "bulk5@example.com", "text/html").await;
        assert_eq!(response.status(), 429);
        let retry: u64 = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!(retry > 0);
        let page = response.text().await.expect("body");
        assert!(page.contains("Please try again in"), "{page}");
        assert!(page.contains("href=\"/signup\""), "the way back");
        // in the language of the browser that was held back
        let german = app
            .other_browser()
            .post(app.url("/api/accounts/sign_up"))
            .header("x-forwarded-for", FLOOD)
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, "de")
            .form(&[("email", "bulk7@example.com")])
            .send()
            .await
            .expect("sign up");
        assert_eq!(german.status(), 429);
        let page = german.text().await.expect("body");
        assert!(
            page.contains(r#"<html lang="de""#) && page.contains("Bitte versuch es in"),
            "{page}"
        );
        // a script gets the same status and header
        let response = sign_up_from(&app, FLOOD, "bulk6@example.com", "application/json").await;
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        // nothing was created past the limit
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(
            entity::user::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            5
        );
        // another client is not held back; an IPv6 client counts by its /64
        let response = sign_up_from(&app, "192.0.2.8", "other@example.com", "text/html").await;
        assert_eq!(response.status(), 302);
        for n in 0..5 {
            let address = format!("2001:db8:1:2::{n}");
            let response =
                sign_up_from(&app, &address, &format!("v6_{n}@example.com"), "text/html").await;
            assert_eq!(response.status(), 302);
        }
        let response =
            sign_up_from(&app, "2001:db8:1:2::99", "v6_x@example.com", "text/html").await;
        assert_eq!(response.status(), 429, "the same /64");
    }
);

storage_test!(
    a_refused_anonymous_form_keeps_little_for_a_short_while,
    |app: TestApp| async move {
        use sea_orm::EntityTrait;
        // a page view stores nothing
        app.page("/").await;
        app.page("/signup").await;
        assert!(entity::session::Entity::find()
            .all(&app.db)
            .await
            .expect("sessions")
            .is_empty());

        let huge = "x".repeat(20_000);
        let response = app
            .post_form(
                &app.client,
                "/api/accounts/sign_up",
                &[
                    ("email", "not an address"),
                    ("password", "a long password"),
                    ("display_name", huge.as_str()),
                ],
            )
            .await;
        assert_eq!(location(&response), "/signup");
        let sessions = entity::session::Entity::find()
            .all(&app.db)
            .await
            .expect("sessions");
        assert_eq!(sessions.len(), 1);
        assert!(
            sessions[0].data.len() < 2_000,
            "{} bytes kept",
            sessions[0].data.len()
        );
        let lives = sessions[0].expires_at - chrono::Utc::now();
        assert!(lives <= chrono::Duration::minutes(15), "{lives}");
        // the form still shows what was typed (the start of it) and why it was refused
        let page = app.page("/signup").await;
        assert!(page.contains(&"x".repeat(500)));

        // signing in from that browser makes the session a long one
        app.sign_up(&app.client, "real@example.com", false).await;
        let sessions = entity::session::Entity::find()
            .all(&app.db)
            .await
            .expect("sessions");
        assert_eq!(sessions.len(), 1);
        assert!(sessions[0].expires_at - chrono::Utc::now() > chrono::Duration::days(29));
    }
);
