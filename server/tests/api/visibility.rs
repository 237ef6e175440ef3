//! Private and unlisted events in every read path: the event page, the ticket box and booking,
//! the home page, search, the organization's page and calendar feed, recommendations and the
//! graph that feeds and "who's going" read; the signed invite link and revoking it; and what
//! curation still sees.
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{helpers::*, storage_test};
use app::domain::graph::{event_node, val};

pub struct Events {
    pub organizer: Client,
    pub public: i32,
    pub unlisted: i32,
    pub private: i32,
}

/// One public (approved by a curator), one unlisted and one private event (both submitted, so
/// out after spam screening alone), all by the same organizer.
pub async fn three_events(app: &TestApp) -> Events {
    let organizer = app.browser_as("org@example.com", "organizer").await;
    let curator = app.browser_as("curator@example.com", "curator").await;
    let public = app.published_event(&organizer, &curator, &[]).await;
    let unlisted = app
        .create_event(
            &organizer,
            &[
                ("title", "Quiet Listening Session"),
                ("visibility", "unlisted"),
                ("intent", "submit"),
            ],
        )
        .await;
    let private = app
        .create_event(
            &organizer,
            &[
                ("title", "Secret Supper Club"),
                ("visibility", "private"),
                ("intent", "submit"),
            ],
        )
        .await;
    app.outbox_delivered().await;
    Events {
        organizer,
        public,
        unlisted,
        private,
    }
}

async fn status_of(app: &TestApp, browser: &Client, path: &str) -> u16 {
    browser
        .get(app.url(path))
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

/// The token of the private event's invite link, as its organizer's page shows it.
async fn invite_token(app: &TestApp, organizer: &Client, event: i32) -> String {
    let page = app.page_as(organizer, &format!("/events/{event}")).await;
    let marker = format!("/events/{event}?invite=");
    let start = page
        .find(&marker)
        .expect("the organizer sees the invite link")
        + marker.len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

async fn registrations(app: &TestApp, event: i32) -> u64 {
    entity::registration::Entity::find()
        .filter(entity::registration::Column::EventId.eq(event))
        .count(&app.db)
        .await
        .expect("count")
}

async fn register(app: &TestApp, browser: &Client, event: i32) -> reqwest::Response {
    let ticket_type = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.eq(event))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a ticket type")
        .id;
    app.post_form(
        browser,
        "/api/tickets/register",
        &[
            ("event_id", &event.to_string()),
            ("ticket_type", &ticket_type.to_string()),
            ("quantity", "1"),
        ],
    )
    .await
}

storage_test!(
    unlisted_and_private_events_skip_the_queue_and_stay_out_of_every_listing,
    |app: TestApp| async move {
        let events = three_events(&app).await;
        for id in [events.unlisted, events.private] {
            let event = app.event(id).await;
            assert_eq!(event.status, "published", "out after spam screening");
            let round = app.latest_round(id).await;
            assert_eq!(round.decision.as_deref(), Some("approve"));
            assert!(round
                .decision_note
                .unwrap_or_default()
                .starts_with("Published without listing"));
            assert!(event.curation_score.is_none(), "not a curator's approval");
        }

        let home = app.page("/").await;
        assert!(
            home.contains("Jazz by the Water"),
            "the public event is listed"
        );
        assert!(!home.contains("Quiet Listening") && !home.contains("Secret Supper"));

        assert!(app
            .page("/search?q=jazz")
            .await
            .contains("Jazz by the Water"));
        for q in ["quiet+listening", "secret+supper"] {
            let found = app.page(&format!("/search?q={q}")).await;
            assert!(
                !found.contains("Quiet Listening") && !found.contains("Secret Supper"),
                "{q} is not searchable"
            );
        }

        let org = entity::organization::Entity::find_by_id(
            app.event(events.public).await.organization_id,
        )
        .one(&app.db)
        .await
        .expect("query")
        .expect("organization");
        let org_page = app.page(&format!("/o/{}", org.slug)).await;
        assert!(org_page.contains("Jazz by the Water"));
        assert!(!org_page.contains("Quiet Listening") && !org_page.contains("Secret Supper"));
        let feed = app
            .get(&format!("/o/{}/calendar.ics", org.slug))
            .await
            .text()
            .await
            .expect("feed");
        assert!(feed.contains("SUMMARY:Jazz by the Water"));
        assert!(!feed.contains("Quiet Listening") && !feed.contains("Secret Supper"));

        let snapshot = app
            .state
            .recs
            .reload(&app.db, app.state.changes.current(), true)
            .await
            .expect("recommender");
        assert!(snapshot.catalog.get(events.public).is_some());
        assert!(
            snapshot.catalog.get(events.unlisted).is_none(),
            "never recommended"
        );
        assert!(
            snapshot.catalog.get(events.private).is_none(),
            "never recommended"
        );

        // feeds and "who's going" read the graph's `listed`
        for (id, listed) in [
            (events.public, true),
            (events.unlisted, false),
            (events.private, false),
        ] {
            let mut rows = app
                .state
                .graph
                .query(
                    "SELECT VALUE listed FROM ONLY $e",
                    vec![("e", val(event_node(id)))],
                )
                .await
                .expect("graph");
            let found: Option<bool> = rows.take(0).expect("listed");
            assert_eq!(found, Some(listed), "event {id} in the graph");
        }

        // an unlisted event answers anyone with its address
        assert_eq!(
            app.get(&format!("/events/{}", events.unlisted))
                .await
                .status(),
            200
        );
    }
);

storage_test!(
    a_private_event_is_not_found_except_through_its_signed_link_which_can_be_revoked,
    |app: TestApp| async move {
        let events = three_events(&app).await;
        let id = events.private;
        let page = format!("/events/{id}");
        let stranger = app.browser_as("stranger@example.com", "attendee").await;
        let anonymous = app.other_browser();
        assert_eq!(status_of(&app, &anonymous, &page).await, 404);
        assert_eq!(status_of(&app, &stranger, &page).await, 404);
        assert_eq!(
            status_of(&app, &stranger, &format!("/events/{id}/calendar.ics")).await,
            404
        );
        // booking without being admitted: not found, and nothing written
        let refused_booking = register(&app, &stranger, id).await;
        assert!(refused(&refused_booking));
        assert_eq!(registrations(&app, id).await, 0);

        let token = invite_token(&app, &events.organizer, id).await;
        assert_eq!(token.len(), 32);
        let forged = format!("{page}?invite={}", "0".repeat(32));
        assert_eq!(status_of(&app, &anonymous, &forged).await, 404);

        // the link opens the page to anyone, and sends a visitor back through it after signing in
        let with_link = format!("{page}?invite={token}");
        let seen = anonymous
            .get(app.url(&with_link))
            .send()
            .await
            .expect("page");
        assert_eq!(seen.status(), 200);
        let seen = seen.text().await.expect("page");
        assert!(seen.contains("Secret Supper Club"));
        assert!(
            seen.contains(&format!("next=%2Fevents%2F{id}%3Finvite%3D{token}")),
            "sign in comes back through the link"
        );
        assert_eq!(
            status_of(&app, &anonymous, &page).await,
            404,
            "the link, not the visit, admits"
        );

        // signed in, the link admits: the page stays open and booking works
        assert_eq!(status_of(&app, &stranger, &with_link).await, 200);
        assert_eq!(status_of(&app, &stranger, &page).await, 200);
        let booked = register(&app, &stranger, id).await;
        assert!(!refused(&booked), "a guest may register");
        assert_eq!(registrations(&app, id).await, 1);

        // a new link revokes the old one for everybody it has not admitted yet
        let renewed = app
            .post_form(
                &events.organizer,
                "/api/events/invite_link",
                &[("event_id", &id.to_string())],
            )
            .await;
        assert!(!refused(&renewed));
        let latecomer = app.browser_as("late@example.com", "attendee").await;
        assert_eq!(status_of(&app, &latecomer, &with_link).await, 404);
        let fresh = invite_token(&app, &events.organizer, id).await;
        assert_ne!(fresh, token);
        assert_eq!(
            status_of(&app, &latecomer, &format!("{page}?invite={fresh}")).await,
            200
        );
        assert_eq!(
            status_of(&app, &stranger, &page).await,
            200,
            "guests stay guests"
        );

        // only the event's team may renew the link
        let by_stranger = app
            .post_form(
                &stranger,
                "/api/events/invite_link",
                &[("event_id", &id.to_string())],
            )
            .await;
        assert!(refused(&by_stranger));
        assert_eq!(invite_token(&app, &events.organizer, id).await, fresh);
    }
);

storage_test!(
    visibility_narrows_at_once_but_widens_only_through_review,
    |app: TestApp| async move {
        let events = three_events(&app).await;
        // an event that went out without a curator cannot list itself
        let widened = app
            .post_multipart(
                &events.organizer,
                "/api/events/save",
                event_form(&[
                    ("id", &events.unlisted.to_string()),
                    ("title", "Quiet Listening Session"),
                    ("visibility", "public"),
                    ("intent", "save"),
                ]),
            )
            .await;
        assert!(refused(&widened));
        assert_eq!(app.event(events.unlisted).await.visibility, "unlisted");

        // the curated public event may go unlisted, and leaves search at once
        let narrowed = app
            .post_multipart(
                &events.organizer,
                "/api/events/save",
                event_form(&[
                    ("id", &events.public.to_string()),
                    ("visibility", "unlisted"),
                    ("intent", "save"),
                ]),
            )
            .await;
        assert!(!refused(&narrowed));
        app.outbox_delivered().await;
        assert!(!app
            .page("/search?q=jazz")
            .await
            .contains("Jazz by the Water"));
        assert!(!app.page("/").await.contains("Jazz by the Water"));
        // …and, curated once, may come back
        let back = app
            .post_multipart(
                &events.organizer,
                "/api/events/save",
                event_form(&[
                    ("id", &events.public.to_string()),
                    ("visibility", "public"),
                    ("intent", "save"),
                ]),
            )
            .await;
        assert!(!refused(&back));
        app.outbox_delivered().await;
        assert!(app
            .page("/search?q=jazz")
            .await
            .contains("Jazz by the Water"));

        // a bad value is a field error and changes nothing
        let bad = app
            .post_multipart(
                &events.organizer,
                "/api/events/save",
                event_form(&[
                    ("id", &events.public.to_string()),
                    ("visibility", "friends-only"),
                    ("intent", "save"),
                ]),
            )
            .await;
        assert!(refused(&bad));
        assert_eq!(app.event(events.public).await.visibility, "public");
    }
);

/// The newest invitation mail to `to`, waiting for the mail worker.
async fn mail_to(app: &TestApp, to: &str) -> WrittenMail {
    for _ in 0..100 {
        let invitation = |m: &WrittenMail| m.to == to && m.subject.contains(" invites you to ");
        if let Some(mail) = app.mails().into_iter().rev().find(invitation) {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail to {to}");
}

storage_test!(
    people_invited_by_address_get_the_link_and_accounts_become_guests,
    |app: TestApp| async move {
        let events = three_events(&app).await;
        let id = events.private.to_string();
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let page = format!("/events/{id}");
        assert_eq!(status_of(&app, &ben, &page).await, 404);
        let invite = |browser: &Client, event: &str, emails: &str| {
            let (browser, event, emails) = (browser.clone(), event.to_owned(), emails.to_owned());
            let app = &app;
            async move {
                app.post_form(
                    &browser,
                    "/api/events/invite_people",
                    &[("event_id", event.as_str()), ("emails", emails.as_str())],
                )
                .await
            }
        };

        // refusals: a bad address (nothing sent to anyone), an unlisted event, a stranger
        let bad = invite(&events.organizer, &id, "ben@example.com, not-an-address").await;
        assert!(refused(&bad));
        assert_eq!(status_of(&app, &ben, &page).await, 404);
        let unlisted = invite(
            &events.organizer,
            &events.unlisted.to_string(),
            "ben@example.com",
        )
        .await;
        assert!(refused(&unlisted));
        assert!(refused(&invite(&ben, &id, "ben@example.com").await));

        let sent = invite(
            &events.organizer,
            &id,
            "ben@example.com\nnew.friend@example.com",
        )
        .await;
        assert!(!refused(&sent));
        assert_eq!(
            status_of(&app, &ben, &page).await,
            200,
            "an account is a guest at once"
        );
        for to in ["ben@example.com", "new.friend@example.com"] {
            let mail = mail_to(&app, to).await;
            assert!(
                mail.subject.contains("Secret Supper Club"),
                "{}",
                mail.subject
            );
            assert!(
                mail.text.contains(&format!("/events/{id}?invite=")),
                "{}",
                mail.text
            );
        }
        // the address without an account opens the page through the mailed link
        let text = mail_to(&app, "new.friend@example.com").await.text;
        let at = text.find(&format!("/events/{id}?invite=")).expect("link");
        let link: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/?=_-".contains(*c))
            .collect();
        assert_eq!(status_of(&app, &app.other_browser(), &link).await, 200);
    }
);

storage_test!(
    a_group_of_the_organizers_is_invited_to_a_private_event_at_once,
    |app: TestApp| async move {
        let events = three_events(&app).await;
        let id = events.private.to_string();
        let page = format!("/events/{id}");
        let ben = app.browser_as("ben@example.com", "attendee").await;
        let outsider = app.browser_as("outsider@example.com", "attendee").await;
        let created = app
            .post_form(
                &events.organizer,
                "/api/social/groups/create",
                &[("name", "Supper friends"), ("visibility", "public")],
            )
            .await;
        assert!(!refused(&created));
        let key = location(&created).trim_start_matches("/groups/").to_owned();
        app.outbox_delivered().await;
        let joined = app
            .post_form(
                &ben,
                "/api/social/group/act",
                &[("key", key.as_str()), ("action", "join")],
            )
            .await;
        assert!(!refused(&joined));
        app.outbox_delivered().await;
        assert_eq!(status_of(&app, &ben, &page).await, 404);
        // the organizer's page offers the group
        assert!(app
            .page_as(&events.organizer, &page)
            .await
            .contains("Supper friends"));

        // only one's own groups: the outsider's attempt and an unknown key change nothing
        let foreign = app
            .post_form(
                &outsider,
                "/api/events/invite_group",
                &[("event_id", id.as_str()), ("group", key.as_str())],
            )
            .await;
        assert!(refused(&foreign));
        let unknown = app
            .post_form(
                &events.organizer,
                "/api/events/invite_group",
                &[("event_id", id.as_str()), ("group", "nope")],
            )
            .await;
        assert!(refused(&unknown));
        assert_eq!(status_of(&app, &ben, &page).await, 404);

        let invited = app
            .post_form(
                &events.organizer,
                "/api/events/invite_group",
                &[("event_id", id.as_str()), ("group", key.as_str())],
            )
            .await;
        assert!(!refused(&invited));
        assert_eq!(
            status_of(&app, &ben, &page).await,
            200,
            "the member is a guest"
        );
        assert_eq!(
            status_of(&app, &outsider, &page).await,
            404,
            "others are not"
        );
        assert!(mail_to(&app, "ben@example.com")
            .await
            .text
            .contains("?invite="));
    }
);
