//! Which language a page comes in: the browser's pick (a cookie set by the switch), else its
//! `Accept-Language`, else English; the render cache keeps a page per language; a signed-in
//! person's pick is saved on the account and comes back at their next sign-in.
use reqwest::{header, Client};

use crate::{helpers::*, storage_test};

async fn home_in(app: &TestApp, browser: &Client, accept: Option<&str>) -> (String, String) {
    let mut request = browser
        .get(app.url("/"))
        .header(header::ACCEPT, "text/html");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_LANGUAGE, accept);
    }
    let response = request.send().await.expect("home");
    assert_eq!(response.status(), 200);
    let language = response
        .headers()
        .get(header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let vary = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(vary.contains("Accept-Language"), "Vary: {vary}");
    (language, response.text().await.expect("body"))
}

fn cookie_set(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lineup_lang="))
        .map(str::to_owned)
}

storage_test!(
    pages_come_in_the_negotiated_language_and_the_switch_keeps_a_choice,
    |app: TestApp| async move {
        let visitor = app.other_browser();
        // the anonymous render cache answers each language with its own page
        for _ in 0..2 {
            let (language, html) = home_in(&app, &visitor, Some("fr-CH, de;q=0.8, en;q=0.5")).await;
            assert_eq!(language, "de");
            assert!(html.contains(r#"<html lang="de""#));
            assert!(html.contains("Entdecken"));
            let (language, html) = home_in(&app, &visitor, Some("pt-PT")).await;
            assert_eq!(language, "pt-PT");
            assert!(html.contains("Descobrir"));
            let (language, html) = home_in(&app, &visitor, None).await;
            assert_eq!(language, "en");
            assert!(html.contains(r#"<html lang="en""#) && html.contains("Discover"));
        }

        // a language Lineup does not speak is refused and changes nothing
        let refused = app
            .post_form(
                &visitor,
                "/api/accounts/language",
                &[("lang", "fr"), ("back", "/search")],
            )
            .await;
        assert_eq!(cookie_set(&refused), None);

        // the switch: back where the person was, in Portuguese from now on, whatever the browser asks
        let switched = app
            .post_form(
                &visitor,
                "/api/accounts/language",
                &[("lang", "pt"), ("back", "/search?q=jazz")],
            )
            .await;
        assert_eq!(switched.status(), 302);
        assert_eq!(switched.headers()[header::LOCATION], "/search?q=jazz");
        let cookie = cookie_set(&switched).expect("the language cookie");
        assert!(
            cookie.contains("lineup_lang=pt-PT")
                && cookie.contains("Max-Age=")
                && cookie.contains("SameSite=Lax")
        );
        let (language, _) = home_in(&app, &visitor, Some("de")).await;
        assert_eq!(language, "pt-PT");

        // never sent elsewhere
        let elsewhere = app
            .post_form(
                &visitor,
                "/api/accounts/language",
                &[("lang", "de"), ("back", "//evil.example/")],
            )
            .await;
        assert_eq!(elsewhere.headers()[header::LOCATION], "/");
    }
);

storage_test!(
    a_signed_in_persons_language_is_saved_and_follows_them,
    |app: TestApp| async move {
        let ana = app.browser_as("ana@example.com", "attendee").await;
        let response = app
            .post_form(
                &ana,
                "/api/accounts/language",
                &[("lang", "de"), ("back", "/profile")],
            )
            .await;
        assert_eq!(response.status(), 302);
        let saved = app.user("ana@example.com").await;
        assert_eq!(saved.locale.as_deref(), Some("de"));

        // another browser, which asks for English: signing in brings German back
        let laptop = app.other_browser();
        let signed_in = app
            .sign_in(&laptop, "ana@example.com", "a long password")
            .await;
        assert_eq!(signed_in.status(), 302);
        assert!(cookie_set(&signed_in).is_some_and(|c| c.contains("lineup_lang=de")));
        let (language, html) = home_in(&app, &laptop, Some("en")).await;
        assert_eq!(language, "de");
        assert!(html.contains("Meine Tickets"));

        // people signing up get the language they signed up in
        let berlin = app.other_browser();
        berlin
            .post(app.url("/api/accounts/sign_up"))
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, "pt-PT,pt;q=0.9")
            .header(header::REFERER, app.url("/"))
            .form(&[
                ("email", "rui@example.com"),
                ("password", "a long password"),
                ("display_name", "Rui"),
            ])
            .send()
            .await
            .expect("sign-up");
        let rui = app.user("rui@example.com").await;
        assert_eq!(rui.locale.as_deref(), Some("pt-PT"));
    }
);

storage_test!(
    refusals_and_explanations_come_in_the_pages_language,
    |app: TestApp| async move {
        let visitor = app.other_browser();
        app.post_form(&visitor, "/api/accounts/language", &[("lang", "de")])
            .await;

        // a form sent back: the message above it and beside its fields
        let response = app
            .post_form(
                &visitor,
                "/api/accounts/sign_up",
                &[
                    ("email", "not-an-email"),
                    ("password", "short"),
                    ("display_name", "Ana"),
                ],
            )
            .await;
        assert_eq!(location(&response), "/signup");
        let page = app.page_as(&visitor, "/signup").await;
        assert!(
            page.contains("Bitte korrigiere die markierten Felder."),
            "{page}"
        );
        assert!(!page.contains("Please correct"));

        // a search link that cannot all be understood says what was left out
        let page = app
            .page_as(&visitor, "/search?cat=astrology&page=0&radius=500")
            .await;
        for explained in [
            "Es gibt keine Kategorie „astrology“.",
            "Es gibt die Seiten 1 bis 50.",
            "Die Entfernung muss zwischen 1 und 100 km liegen.",
        ] {
            assert!(page.contains(explained), "{explained}");
        }
        let page = app
            .page_as(&app.other_browser(), "/search?cat=astrology")
            .await;
        assert!(page.contains("There is no category “astrology”."));
    }
);
