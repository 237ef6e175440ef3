//! Verified addresses and getting back in: the links mailed for confirming an address, resetting
//! a password and moving to a new address, each single use and short-lived.
use std::time::Duration;

use reqwest::Client;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    helpers::{location, refused, TestApp},
    storage_test,
};
use entity::{account_token, flag, notification, user};

const PASSWORD: &str = "a long password";

/// The decoded text of the newest mail to `to` whose subject is `subject`, waiting for the
/// mail worker (or failing after five seconds).
async fn mail_text(app: &TestApp, to: &str, subject: &str) -> String {
    for _ in 0..100 {
        if let Some(text) = newest_mail(app, to, subject) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail “{subject}” to {to}");
}

fn newest_mail(app: &TestApp, to: &str, subject: &str) -> Option<String> {
    app.mails()
        .into_iter()
        .rev()
        .find(|m| m.to == to && m.subject == subject)
        .map(|m| m.text)
}

fn mails_to(app: &TestApp, to: &str) -> usize {
    app.mails().iter().filter(|m| m.to == to).count()
}

/// The token of the link to `path` in a mail's text.
fn token_in(text: &str, path: &str) -> String {
    let start = text
        .find(&format!("{path}?token="))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        + path.len()
        + "?token=".len();
    text[start..start + 64].to_owned()
}

async fn new_account(app: &TestApp, email: &str, organizer: bool) -> Client {
    let browser = app.other_browser();
    let response = app.sign_up(&browser, email, organizer).await;
    assert_eq!(response.status(), 302);
    browser
}

async fn status_of(app: &TestApp, browser: &Client, path: &str) -> u16 {
    browser
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .expect("GET")
        .status()
        .as_u16()
}

storage_test!(
    a_new_address_is_confirmed_once_from_its_link_and_only_then_may_publish,
    |app: TestApp| async move {
        let olga = new_account(&app, "olga@example.com", true).await;
        let text = mail_text(
            &app,
            "olga@example.com",
            "Confirm your email address for Lineup",
        )
        .await;
        let token = token_in(&text, "/email/verify");
        assert!(app
            .user("olga@example.com")
            .await
            .email_verified_at
            .is_none());

        // unconfirmed: no events
        let form = crate::helpers::event_form(&[("title", "Jazz by the Water")]);
        let response = app.post_multipart(&olga, "/api/events/save", form).await;
        assert!(refused(&response));
        assert!(entity::event::Entity::find()
            .all(&app.db)
            .await
            .expect("events")
            .is_empty());
        let profile = app.page_as(&olga, "/profile").await;
        assert!(profile.contains("is not confirmed yet"));

        // the link opens a page whose button confirms; the link itself changes nothing
        let page = app
            .page_as(
                &app.other_browser(),
                &format!("/email/verify?token={token}"),
            )
            .await;
        assert!(page.contains("Confirm my address"));
        assert!(app
            .user("olga@example.com")
            .await
            .email_verified_at
            .is_none());
        for bad in ["", "nonsense", &"0".repeat(64)] {
            let response = app
                .post_form(&olga, "/api/accounts/email/verify", &[("token", bad)])
                .await;
            assert!(refused(&response), "{bad:?}");
        }
        let response = app
            .post_form(&olga, "/api/accounts/email/verify", &[("token", &token)])
            .await;
        assert!(!refused(&response));
        assert!(app
            .user("olga@example.com")
            .await
            .email_verified_at
            .is_some());
        let again = app
            .post_form(&olga, "/api/accounts/email/verify", &[("token", &token)])
            .await;
        assert!(refused(&again), "a link works once");

        let id = app.create_event(&olga, &[]).await;
        assert!(id > 0);
        // the stored copy of the mail no longer holds the link
        let kept: Vec<notification::Model> = notification::Entity::find()
            .filter(notification::Column::Email.eq("olga@example.com"))
            .all(&app.db)
            .await
            .expect("notifications");
        assert!(kept
            .iter()
            .all(|n| !n.link.contains(&token) && !n.body.contains(&token)));
        assert!(
            kept.iter().all(|n| n.user_id.is_none()),
            "not in the app's list"
        );
    }
);

storage_test!(resending_the_link_is_limited, |app: TestApp| async move {
    let ana = new_account(&app, "ana@example.com", false).await;
    // sign-up sent one; two more in the hour, then no more
    for _ in 0..2 {
        let response = app.post_form(&ana, "/api/accounts/email/resend", &[]).await;
        assert!(!refused(&response));
    }
    let response = ana
        .post(app.url("/api/accounts/email/resend"))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 429);
    let issued = account_token::Entity::find()
        .all(&app.db)
        .await
        .expect("tokens");
    assert_eq!(issued.len(), 3);
});

storage_test!(
    a_password_reset_works_once_within_the_hour_and_ends_every_other_session,
    |app: TestApp| async move {
        let laptop = new_account(&app, "ana@example.com", false).await;
        let phone = app.other_browser();
        app.sign_in(&phone, "ana@example.com", PASSWORD).await;
        assert_eq!(status_of(&app, &phone, "/profile").await, 200);

        // the same answer for an address without an account, and no mail
        let stranger = app.other_browser();
        let unknown = app
            .post_form(
                &stranger,
                "/api/accounts/password/forgot",
                &[("email", "nobody@example.com")],
            )
            .await;
        let known = app
            .post_form(
                &stranger,
                "/api/accounts/password/forgot",
                &[("email", "Ana@Example.com")],
            )
            .await;
        assert_eq!(location(&unknown), location(&known));
        assert!(!refused(&unknown) && !refused(&known));
        let text = mail_text(&app, "ana@example.com", "Choose a new Lineup password").await;
        assert_eq!(mails_to(&app, "nobody@example.com"), 0);
        let token = token_in(&text, "/password/reset");

        // a weak password does not use the link up
        let weak = app
            .post_form(
                &stranger,
                "/api/accounts/password/reset",
                &[("token", &token), ("password", "short")],
            )
            .await;
        assert!(refused(&weak));
        let reset = app
            .post_form(
                &stranger,
                "/api/accounts/password/reset",
                &[("token", &token), ("password", "a brand new password")],
            )
            .await;
        assert!(!refused(&reset));
        assert_eq!(
            status_of(&app, &stranger, "/profile").await,
            200,
            "signed in afresh"
        );
        for (who, browser) in [("laptop", &laptop), ("phone", &phone)] {
            assert_eq!(
                status_of(&app, browser, "/profile").await,
                401,
                "{who} signed out"
            );
        }
        let old = app
            .sign_in(&app.other_browser(), "ana@example.com", PASSWORD)
            .await;
        assert!(refused(&old));
        let new = app
            .sign_in(
                &app.other_browser(),
                "ana@example.com",
                "a brand new password",
            )
            .await;
        assert!(!refused(&new));

        // used once; and an expired link is refused too
        let again = app
            .post_form(
                &app.other_browser(),
                "/api/accounts/password/reset",
                &[("token", &token), ("password", "yet another password")],
            )
            .await;
        assert!(refused(&again));
        app.post_form(
            &app.other_browser(),
            "/api/accounts/password/forgot",
            &[("email", "ana@example.com")],
        )
        .await;
        let latest = account_token::Entity::find()
            .filter(account_token::Column::Purpose.eq("reset_password"))
            .filter(account_token::Column::UsedAt.is_null())
            .one(&app.db)
            .await
            .expect("query")
            .expect("a second link");
        account_token::Entity::update_many()
            .col_expr(
                account_token::Column::ExpiresAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(account_token::Column::Id.eq(latest.id))
            .exec(&app.db)
            .await
            .expect("expire");
        // the second mail, once the mail worker sent it
        let mut expired = token.clone();
        for _ in 0..100 {
            let text = mail_text(&app, "ana@example.com", "Choose a new Lineup password").await;
            expired = token_in(&text, "/password/reset");
            if expired != token {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_ne!(expired, token, "a second reset mail");
        let response = app
            .post_form(
                &app.other_browser(),
                "/api/accounts/password/reset",
                &[("token", &expired), ("password", "yet another password")],
            )
            .await;
        assert!(refused(&response));
    }
);

storage_test!(
    a_new_address_takes_over_when_confirmed_and_the_old_one_is_told,
    |app: TestApp| async move {
        let ana = new_account(&app, "ana@example.com", false).await;
        new_account(&app, "taken@example.com", false).await;
        let change = |email: &'static str, password: &'static str| {
            let (app, ana) = (&app, &ana);
            async move {
                app.post_form(
                    ana,
                    "/api/accounts/email/change",
                    &[("new_email", email), ("password", password)],
                )
                .await
            }
        };
        assert!(refused(&change("new@example.com", "not my password").await));
        assert!(refused(&change("taken@example.com", PASSWORD).await));
        assert!(!refused(&change("new@example.com", PASSWORD).await));
        // nothing moves until the new address answers
        assert_eq!(app.user("ana@example.com").await.email, "ana@example.com");
        let text = mail_text(
            &app,
            "new@example.com",
            "Confirm your new address for Lineup",
        )
        .await;
        let token = token_in(&text, "/email/change");
        let response = app
            .post_form(&ana, "/api/accounts/email/confirm", &[("token", &token)])
            .await;
        assert!(!refused(&response));
        let moved = user::Entity::find_by_id(app.user("new@example.com").await.id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("account");
        assert!(moved.email_verified_at.is_some());
        let told = mail_text(&app, "ana@example.com", "Your Lineup address was changed").await;
        assert!(told.contains("new@example.com"));
        assert!(!refused(
            &app.sign_in(&app.other_browser(), "new@example.com", PASSWORD)
                .await
        ));
    }
);

storage_test!(
    signing_out_everywhere_ends_every_session,
    |app: TestApp| async move {
        let laptop = new_account(&app, "ana@example.com", false).await;
        let phone = app.other_browser();
        app.sign_in(&phone, "ana@example.com", PASSWORD).await;
        let other = new_account(&app, "ben@example.com", false).await;
        let response = app
            .post_form(&phone, "/api/accounts/sign_out_everywhere", &[])
            .await;
        assert!(!refused(&response));
        assert_eq!(status_of(&app, &phone, "/profile").await, 401);
        assert_eq!(status_of(&app, &laptop, "/profile").await, 401);
        assert_eq!(
            status_of(&app, &other, "/profile").await,
            200,
            "others stay"
        );
        let response = app
            .post_form(
                &app.other_browser(),
                "/api/accounts/sign_out_everywhere",
                &[],
            )
            .await;
        assert_eq!(response.status(), 401, "signed out: nothing to end");
    }
);

storage_test!(
    reports_from_unconfirmed_addresses_hide_nothing,
    |app: TestApp| async move {
        let setup = crate::ticketing::free_event(&app, "50").await;
        for n in 0..4 {
            let reporter = new_account(&app, &format!("throwaway{n}@example.com"), false).await;
            let response = app
                .post_form(
                    &reporter,
                    "/api/events/flag",
                    &[
                        ("id", &setup.event_id.to_string()),
                        ("reason", "spam"),
                        ("text", "This is a pyramid scheme"),
                    ],
                )
                .await;
            assert!(!refused(&response));
        }
        let flags = flag::Entity::find().all(&app.db).await.expect("flags");
        assert_eq!(flags.len(), 4);
        assert!(flags.iter().all(|f| f.weight == 0.0));
        assert!(app.event(setup.event_id).await.hidden_at.is_none());
    }
);

storage_test!(
    guests_get_their_ticket_links_by_mail_and_again_when_they_ask,
    |app: TestApp| async move {
        let setup = crate::ticketing::guest_event(&app).await;
        let guest = app.other_browser();
        let response = app
            .post_form(
                &guest,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", &setup.ticket_type.to_string()),
                    ("quantity", "2"),
                    ("name", "Gia Guest"),
                    ("email", "gia@example.com"),
                ],
            )
            .await;
        assert!(!refused(&response));
        let ticket = location(&response);
        let confirmed =
            mail_text(&app, "gia@example.com", "You're going to Jazz by the Water").await;
        assert!(
            confirmed.contains(&format!("http://127.0.0.1{ticket}")),
            "{confirmed}"
        );

        // lost the mail: ask again; an address that booked nothing gets the same answer
        assert!(app
            .page("/guest/tickets")
            .await
            .contains("Send me my tickets"));
        let stranger = app
            .post_form(
                &app.other_browser(),
                "/api/tickets/resend",
                &[("email", "nobody@example.com")],
            )
            .await;
        let asked = app
            .post_form(
                &app.other_browser(),
                "/api/tickets/resend",
                &[("email", "Gia@Example.com")],
            )
            .await;
        assert_eq!(location(&stranger), location(&asked));
        let again = mail_text(&app, "gia@example.com", "Your Lineup tickets").await;
        assert!(
            again.contains(&format!("http://127.0.0.1{ticket}")),
            "{again}"
        );
        assert!(again.contains("Ticket 2: http://127.0.0.1/tickets/"));
        assert_eq!(mails_to(&app, "nobody@example.com"), 0);

        // three an hour; the fourth is answered the same and sends nothing
        for _ in 0..3 {
            app.post_form(
                &app.other_browser(),
                "/api/tickets/resend",
                &[("email", "gia@example.com")],
            )
            .await;
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
        let lists = notification::Entity::find()
            .filter(notification::Column::Title.eq("Your Lineup tickets"))
            .all(&app.db)
            .await
            .expect("notifications");
        assert_eq!(lists.len(), 3);
    }
);

storage_test!(
    a_guests_mail_is_in_the_language_they_booked_in,
    |app: TestApp| async move {
        let setup = crate::ticketing::guest_event(&app).await;
        // a guest has no account to keep a language on: the booking keeps the page's
        let guest = app.other_browser();
        app.post_form(&guest, "/api/accounts/language", &[("lang", "de")])
            .await;
        let response = app
            .post_form(
                &guest,
                "/api/tickets/register",
                &[
                    ("event_id", &setup.event_id.to_string()),
                    ("ticket_type", &setup.ticket_type.to_string()),
                    ("quantity", "1"),
                    ("name", "Gia Guest"),
                    ("email", "gia@example.com"),
                ],
            )
            .await;
        assert!(!refused(&response));
        let confirmed =
            mail_text(&app, "gia@example.com", "Du bist dabei: Jazz by the Water").await;
        assert!(
            confirmed.contains("Dein Platz ist bestätigt"),
            "{confirmed}"
        );
        let booked = entity::registration::Entity::find()
            .filter(entity::registration::Column::Email.eq("gia@example.com"))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the booking");
        assert_eq!(booked.locale.as_deref(), Some("de"));
    }
);
