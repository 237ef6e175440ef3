//! No panic, no 500 for bad input: every refusal answers its own status, whatever kind of
//! server function it comes from, and the inputs that used to panic answer 400.
use reqwest::header;

use crate::{helpers::*, storage_test};

async fn call(app: &TestApp, browser: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> u16 {
    browser
        .post(app.url(path))
        .header(header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}

storage_test!(
    refusals_of_data_loaders_answer_their_own_status,
    |app: TestApp| async move {
        let setup = crate::ticketing::free_event(&app, "10").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let registration = crate::ticketing::rsvp(&app, &ana, &setup, "1").await;
        let stranger = app.browser_as("stranger@example.com", "attendee").await;
        let event = setup.event_id.to_string();
        let reg = registration.to_string();

        assert_eq!(
            call(&app, &stranger, "/api/events/details", &[("id", "999999")]).await,
            404
        );
        assert_eq!(
            call(
                &app,
                &stranger,
                "/api/tickets/guests",
                &[("event_id", &event)]
            )
            .await,
            403,
            "someone else's guest list"
        );
        assert_eq!(
            call(
                &app,
                &stranger,
                "/api/tickets/registration",
                &[("id", &reg)]
            )
            .await,
            404,
            "someone else's registration"
        );
        let anonymous = app.other_browser();
        assert_eq!(
            call(
                &app,
                &anonymous,
                "/api/tickets/guests",
                &[("event_id", &event)]
            )
            .await,
            401
        );
        // malformed arguments are the request's fault
        assert_eq!(
            call(
                &app,
                &stranger,
                "/api/events/details",
                &[("id", "not a number")]
            )
            .await,
            422
        );
        // the owner still gets hers
        assert_eq!(
            call(&app, &ana, "/api/tickets/registration", &[("id", &reg)]).await,
            200
        );
    }
);

storage_test!(
    inputs_that_used_to_panic_answer_400_and_change_nothing,
    |app: TestApp| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        // an 8 MB url-encoded body posted to a multipart server function
        let body = format!("display_name={}", "a".repeat(8 * 1024 * 1024 - 32));
        let response = ana
            .post(app.url("/api/accounts/update_profile"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 400);
        // a multipart content type without a boundary
        let response = ana
            .post(app.url("/api/events/save"))
            .header(header::CONTENT_TYPE, "multipart/form-data")
            .body("x")
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 400);
        // nothing changed: the name is the one she signed up with
        assert_eq!(
            app.user("ana@example.com").await.display_name,
            "Test Person"
        );

        // a newline in a group key, from a form that wants a page back
        let response = ana
            .post(app.url("/api/social/group/act"))
            .header(header::ACCEPT, "text/html")
            .form(&[("key", "weekend\r\nSet-Cookie: x=1"), ("action", "join")])
            .send()
            .await
            .expect("POST");
        assert!(response.status().as_u16() < 500, "{}", response.status());
        assert!(
            !response.headers().contains_key("set-cookie")
                || response.headers()["set-cookie"]
                    .to_str()
                    .unwrap()
                    .starts_with("lineup")
        );

        // past the body limit: 413, not 500
        let response = ana
            .post(app.url("/api/events/flag"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(format!("text={}", "b".repeat(9 * 1024 * 1024)))
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 413);
    }
);
