//! Notifications: who hears what, on which channel, exactly once.
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    helpers::{refused, spawn_app_with_smtp, TestApp},
    smtp_sink::SmtpSink,
    social::{act, person},
    storage_test,
    ticketing::{free_event, rsvp},
};
use app::domain::{notifications::compose, outbox};
use entity::{notification, notification_delivery as delivery, registration_change};

async fn notifications_of(app: &TestApp, user: i32) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .order_by_asc(notification::Column::Id)
        .all(&app.db)
        .await
        .expect("notifications")
}

async fn deliveries_of(app: &TestApp, n: &notification::Model) -> Vec<delivery::Model> {
    delivery::Entity::find()
        .filter(delivery::Column::NotificationId.eq(n.id))
        .all(&app.db)
        .await
        .expect("deliveries")
}

/// Waits until no email delivery is pending any more (or fails after `seconds`).
async fn mail_settled(app: &TestApp, seconds: u64) {
    app.outbox_delivered().await;
    for _ in 0..seconds * 20 {
        let pending = delivery::Entity::find()
            .filter(delivery::Column::Status.eq("pending"))
            .all(&app.db)
            .await
            .expect("deliveries");
        if pending.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("email deliveries still pending after {seconds} s");
}

/// The mail directory's mails to `to`, leaving out the link every new account is sent.
fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    app.mails()
        .into_iter()
        .filter(|m| m.to == to && m.subject != "Confirm your email address for Lineup")
        .map(|m| m.raw)
        .collect()
}

fn subject_of(raw: &[u8]) -> Option<String> {
    Some(MessageParser::default().parse(raw)?.subject()?.to_owned())
}

/// The first message the sink received with `subject`, waiting up to ten seconds.
async fn received(sink: &SmtpSink, subject: &str) -> Vec<u8> {
    for _ in 0..200 {
        let found = sink
            .messages()
            .into_iter()
            .find(|m| subject_of(m).as_deref() == Some(subject));
        if let Some(message) = found {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no “{subject}” after ten seconds");
}

async fn mark_read(app: &TestApp, browser: &Client, id: Option<i32>) -> reqwest::Response {
    let id = id.map(|i| i.to_string()).unwrap_or_default();
    let fields: Vec<(&str, &str)> = if id.is_empty() {
        Vec::new()
    } else {
        vec![("id", id.as_str())]
    };
    app.post_form(browser, "/api/notifications/read", &fields)
        .await
}

storage_test!(
    a_booking_is_confirmed_in_the_app_and_by_mail_once,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, _) = person(&app, "ben@example.com", "Ben Brito").await;
        let booking = rsvp(&app, &ana, &setup, "2").await;
        mail_settled(&app, 10).await;

        let mine = notifications_of(&app, ana_id).await;
        assert_eq!(mine.len(), 1, "{mine:?}");
        let n = &mine[0];
        assert_eq!(n.kind, "registration_confirmed");
        assert_eq!(n.title, "You're going to Jazz by the Water");
        assert!(n.body.contains("2 seats confirmed"), "{}", n.body);
        assert_eq!(n.link, format!("/my/tickets/{booking}"));
        let mut channels: Vec<(String, String)> = deliveries_of(&app, n)
            .await
            .into_iter()
            .map(|d| (d.channel, d.status))
            .collect();
        channels.sort();
        assert_eq!(
            channels,
            [
                ("email".into(), "sent".into()),
                ("in_app".into(), "sent".into())
            ]
        );
        let mails = mails_to(&app, "ana@example.com");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].contains("BEGIN:VCALENDAR"), "{}", mails[0]);

        // the list and the count in the navigation, on every page
        let list = app.page_as(&ana, "/notifications").await;
        assert!(
            list.contains("You&#x27;re going to Jazz by the Water")
                || list.contains("You're going to Jazz by the Water")
        );
        assert!(app
            .page_as(&ana, "/")
            .await
            .contains("Notifications, 1 unread"));
        assert!(!app
            .page_as(&ben, "/notifications")
            .await
            .contains("Jazz by the Water"));

        // the same change heard again (a redelivered row, a second server) adds nothing
        let change = registration_change::Entity::find()
            .filter(registration_change::Column::RegistrationId.eq(booking))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the change");
        outbox::enqueue(
            &app.db,
            compose::REGISTRATION,
            change.id,
            chrono::Utc::now(),
        )
        .await
        .expect("enqueue");
        mail_settled(&app, 10).await;
        assert_eq!(notifications_of(&app, ana_id).await.len(), 1);
        assert_eq!(mails_to(&app, "ana@example.com").len(), 1);

        // nobody else can mark it read; she can
        let response = mark_read(&app, &ben, Some(n.id)).await;
        assert!(refused(&response));
        assert!(notifications_of(&app, ana_id).await[0].read_at.is_none());
        let response = mark_read(&app, &ana, Some(n.id)).await;
        assert!(!refused(&response));
        assert!(notifications_of(&app, ana_id).await[0].read_at.is_some());
        let home = app.page_as(&ana, "/").await;
        // the link's name has no count (the island's props carry the unread wording for later)
        assert!(home.contains(r#"aria-label="Notifications""#));
        assert!(!home.contains(r#"aria-label="Notifications, "#));

        // signed out, the list asks for a sign-in
        let response = app.get("/notifications").await;
        assert_eq!(response.status(), 401);
    }
);

storage_test!(
    notifications_and_mail_are_in_the_recipients_language,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let response = app
            .post_form(&ana, "/api/accounts/language", &[("lang", "de")])
            .await;
        assert!(!refused(&response), "German chosen");
        rsvp(&app, &ana, &setup, "2").await;
        mail_settled(&app, 10).await;

        let mine = notifications_of(&app, ana_id).await;
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0].title, "Du bist dabei: Jazz by the Water");
        assert!(
            mine[0].body.starts_with("Deine 2 Plätze sind bestätigt: "),
            "{}",
            mine[0].body
        );
        let mail = app
            .mails()
            .into_iter()
            .find(|m| m.to == "ana@example.com" && m.subject == mine[0].title)
            .expect("the confirmation mail");
        assert!(
            mail.text.contains("Lineup. Wähle, was wir dir schicken: "),
            "{}",
            mail.text
        );
        // the organizer, who kept English, is told of the publication in English
        let organizer = app.user("org@example.com").await;
        let told = notifications_of(&app, organizer.id).await;
        assert!(
            told.iter()
                .any(|n| n.title == "“Jazz by the Water” is published"),
            "{told:?}"
        );
    }
);

storage_test!(
    mail_goes_out_over_smtp_as_text_html_and_a_calendar_file,
    spawn = |backend| spawn_app_with_smtp(backend, 0),
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        let booking = rsvp(&app, &ana, &setup, "1").await;
        let sink = app.smtp.clone().expect("sink");
        let raw = received(&sink, "You're going to Jazz by the Water").await;
        let message = MessageParser::default().parse(&raw).expect("MIME");
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address());
        assert_eq!(to, Some("ana@example.com"));
        let from = message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address());
        assert_eq!(from, Some("no-reply@localhost"));
        assert!(message
            .message_id()
            .is_some_and(|id| id.starts_with("notification-") && id.ends_with("@127.0.0.1")));
        let text = message.body_text(0).expect("text part");
        assert!(
            text.contains(&format!("http://127.0.0.1/my/tickets/{booking}")),
            "{text}"
        );
        let html = message.body_html(0).expect("HTML part");
        assert!(html.contains(&format!("href=\"http://127.0.0.1/my/tickets/{booking}\"")));
        let ics = message
            .attachments()
            .find(|a| a.attachment_name() == Some("event.ics"))
            .expect("the calendar file");
        assert!(ics
            .content_type()
            .is_some_and(|t| t.ctype() == "text" && t.subtype() == Some("calendar")));
        let ics = String::from_utf8_lossy(ics.contents()).into_owned();
        assert!(ics.contains(&format!("UID:event-{}@lineup", setup.event_id)));
        assert!(
            ics.contains("SEQUENCE:"),
            "calendars update the entry they have"
        );
        // transactional mail has no unsubscribe link: it is about a booking the person made
        assert!(message.header("List-Unsubscribe").is_none());
        // the link opens her registration
        let page = app.page_as(&ana, &format!("/my/tickets/{booking}")).await;
        assert!(page.contains("Jazz by the Water"));
    }
);

storage_test!(
    an_smtp_outage_means_a_retry_not_a_lost_mail,
    spawn = |backend| spawn_app_with_smtp(backend, 1),
    |app: TestApp| async move {
        // the first mail (the organizer's address confirmation) meets the refusal (451); its
        // retry two seconds later goes through, and every other mail once
        let setup = free_event(&app, "50").await;
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        rsvp(&app, &ana, &setup, "1").await;
        let sink = app.smtp.clone().expect("sink");
        received(&sink, "You're going to Jazz by the Water").await;
        received(&sink, "Confirm your email address for Lineup").await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        mail_settled(&app, 10).await;
        let emails = delivery::Entity::find()
            .filter(delivery::Column::Channel.eq("email"))
            .all(&app.db)
            .await
            .expect("deliveries");
        assert!(emails
            .iter()
            .all(|d| d.status == "sent" && d.sent_at.is_some()));
        let mut attempts: Vec<i32> = emails.iter().map(|d| d.attempts).collect();
        attempts.sort();
        assert_eq!(
            attempts.pop(),
            Some(2),
            "one delivery needed a second attempt"
        );
        assert!(attempts.iter().all(|&a| a == 1));
        let messages = sink.messages();
        assert_eq!(messages.len(), emails.len(), "each sent once");
        let mut ids: Vec<String> = messages
            .iter()
            .filter_map(|m| {
                MessageParser::default()
                    .parse(m)?
                    .message_id()
                    .map(str::to_owned)
            })
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), emails.len());
    }
);

storage_test!(
    preferences_choose_the_channels_and_refuse_unknown_switches,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let page = app.page_as(&ana, "/notifications/preferences").await;
        assert!(page.contains("value=\"email:registration_confirmed\""));
        assert!(page.contains("value=\"email:friend_request\""));

        // an unknown switch changes nothing
        let form = reqwest::multipart::Form::new().text("on", "email:everything");
        let response = app
            .post_multipart(&ana, "/api/notifications/preferences/save", form)
            .await;
        assert!(refused(&response));
        // only friend requests by mail: bookings stay in the app
        let form = reqwest::multipart::Form::new().text("on", "email:friend_request");
        let response = app
            .post_multipart(&ana, "/api/notifications/preferences/save", form)
            .await;
        assert!(!refused(&response));
        let page = app.page_as(&ana, "/notifications/preferences").await;
        assert!(page.contains("Preferences saved."));

        rsvp(&app, &ana, &setup, "1").await;
        mail_settled(&app, 10).await;
        let n = notifications_of(&app, ana_id).await.remove(0);
        let channels: Vec<String> = deliveries_of(&app, &n)
            .await
            .into_iter()
            .map(|d| d.channel)
            .collect();
        assert_eq!(channels, ["in_app"]);
        assert!(mails_to(&app, "ana@example.com").is_empty());
    }
);

storage_test!(
    decisions_reach_the_organizer_and_a_cancellation_every_holder,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        app.outbox_delivered().await;
        let organizer = app.user("org@example.com").await;
        let decided = notifications_of(&app, organizer.id).await;
        assert_eq!(decided.len(), 1, "{decided:?}");
        assert_eq!(decided[0].title, "“Jazz by the Water” is published");
        assert_eq!(decided[0].body, "The curator's note: Looks good.");

        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let (_cai, cai_id) = person(&app, "cai@example.com", "Cai Costa").await;
        rsvp(&app, &ana, &setup, "1").await;
        rsvp(&app, &ben, &setup, "1").await;
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
        mail_settled(&app, 10).await;
        for who in [ana_id, ben_id] {
            let cancelled: Vec<_> = notifications_of(&app, who)
                .await
                .into_iter()
                .filter(|n| n.kind == "event_cancelled")
                .collect();
            assert_eq!(cancelled.len(), 1);
            assert_eq!(cancelled[0].title, "Jazz by the Water is cancelled");
            assert!(cancelled[0].body.contains("The venue flooded."));
        }
        assert!(notifications_of(&app, cai_id).await.is_empty());
        // the organizer cancelled it themselves: no news for them
        assert_eq!(notifications_of(&app, organizer.id).await.len(), 1);
        let to_ana = mails_to(&app, "ana@example.com")
            .into_iter()
            .filter(|m| m.contains("is cancelled"))
            .count();
        assert_eq!(to_ana, 1);
    }
);

storage_test!(
    friend_requests_are_news_while_they_stand,
    |mut app: TestApp| async move {
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let (cai, cai_id) = person(&app, "cai@example.com", "Cai Costa").await;
        assert!(!refused(&act(&app, &ana, ben_id, "befriend").await));
        app.outbox_delivered().await;
        let to_ben = notifications_of(&app, ben_id).await;
        assert_eq!(to_ben.len(), 1);
        assert_eq!(to_ben[0].title, "Ana Alves asks to be your friend");
        assert_eq!(to_ben[0].link, format!("/people/{ana_id}"));
        assert!(!refused(&act(&app, &ben, ana_id, "accept").await));
        app.outbox_delivered().await;
        let to_ana = notifications_of(&app, ana_id).await;
        assert_eq!(to_ana.len(), 1);
        assert_eq!(to_ana[0].title, "Ben Brito accepted your friend request");
        // social news stays in the app unless asked for by mail
        assert_eq!(deliveries_of(&app, &to_ana[0]).await.len(), 1);

        // a refused action leaves nothing behind
        assert!(refused(&act(&app, &ana, ben_id, "befriend").await));
        app.outbox_delivered().await;
        assert_eq!(notifications_of(&app, ben_id).await.len(), 1);

        // a request answered with a block before the notifier ran is no news
        app.stop_notifier().await;
        assert!(!refused(&act(&app, &cai, ben_id, "befriend").await));
        assert!(!refused(&act(&app, &ben, cai_id, "block").await));
        app.start_notifier();
        app.outbox_delivered().await;
        assert_eq!(notifications_of(&app, ben_id).await.len(), 1);
    }
);

storage_test!(
    the_mail_directory_is_for_admins_only,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        rsvp(&app, &ana, &setup, "1").await;
        mail_settled(&app, 10).await;

        assert_eq!(app.get("/admin/mail").await.status(), 401);
        let response = ana
            .get(app.url("/admin/mail"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 403);

        let admin = app.browser_as("admin@example.com", "admin").await;
        let page = app.page_as(&admin, "/admin/mail").await;
        assert!(page.contains("ana@example.com"), "{page}");
        // the link in the row of Ana's booking confirmation
        let row = page
            .split("<tr>")
            .find(|row| {
                row.contains("ana@example.com") && row.contains("going to Jazz by the Water")
            })
            .expect("the booking mail's row");
        let name = row
            .split("/admin/mail?open=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the mail")
            .to_owned();
        let open = app
            .page_as(&admin, &format!("/admin/mail?open={name}"))
            .await;
        assert!(
            open.contains("Attached: ") && open.contains("event.ics"),
            "{open}"
        );
        assert!(open.contains("Message-ID"));
        for bad in ["..%2Flineup.db", "nope.eml", "x"] {
            let response = admin
                .get(app.url(&format!("/admin/mail?open={bad}")))
                .header("accept", "text/html")
                .send()
                .await
                .expect("GET");
            assert_eq!(response.status(), 404, "{bad}");
        }
    }
);

storage_test!(
    ticket_holders_are_reminded_a_day_and_two_hours_before_once_each,
    |app: TestApp| async move {
        use app::domain::notifications::reminders::send_due;
        use chrono::Duration as Hours;
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        rsvp(&app, &ana, &setup, "1").await;
        let bens = rsvp(&app, &ben, &setup, "1").await;
        let cancelled = app
            .post_form(&ben, "/api/tickets/cancel", &[("id", &bens.to_string())])
            .await;
        assert!(!refused(&cancelled));
        app.outbox_delivered().await;
        let starts = app.event(setup.event_id).await.starts_at;
        let at = |hours_before: i64| starts - Hours::hours(hours_before);

        assert!(send_due(&app.db, at(48)).await.expect("sweep").is_empty());
        assert_eq!(
            send_due(&app.db, at(20)).await.expect("sweep"),
            [Some(ana_id)]
        );
        assert!(
            send_due(&app.db, at(19)).await.expect("sweep").is_empty(),
            "once"
        );
        assert_eq!(
            send_due(&app.db, starts - Hours::minutes(90))
                .await
                .expect("sweep"),
            [Some(ana_id)]
        );
        assert!(
            send_due(&app.db, at(1)).await.expect("sweep").is_empty(),
            "once"
        );

        let titles: Vec<String> = notifications_of(&app, ana_id)
            .await
            .into_iter()
            .filter(|n| n.kind == "reminder")
            .map(|n| n.title)
            .collect();
        assert_eq!(
            titles,
            [
                "Jazz by the Water starts tomorrow",
                "Jazz by the Water starts soon"
            ]
        );
        // a cancelled registration is not reminded
        assert!(notifications_of(&app, ben_id)
            .await
            .iter()
            .all(|n| n.kind != "reminder"));
        // the sweeps ran at times ahead of the clock: their mail is due then, so bring it now
        delivery::Entity::update_many()
            .col_expr(
                delivery::Column::AvailableAt,
                sea_orm::sea_query::Expr::value(chrono::Utc::now()),
            )
            .filter(delivery::Column::Status.eq("pending"))
            .exec(&app.db)
            .await
            .expect("due now");
        mail_settled(&app, 10).await;
        assert_eq!(
            mails_to(&app, "ana@example.com")
                .iter()
                .filter(|m| m.contains("starts tomorrow") || m.contains("starts soon"))
                .count(),
            2
        );
    }
);

/// The calendar file attached to a mail.
fn calendar_of(raw: &str) -> String {
    let message = MessageParser::default()
        .parse(raw.as_bytes())
        .expect("MIME");
    let ics = message
        .attachments()
        .find(|a| a.attachment_name() == Some("event.ics"))
        .expect("the calendar file");
    String::from_utf8_lossy(ics.contents()).into_owned()
}

fn sequence_of(ics: &str) -> i32 {
    ics.lines()
        .find_map(|l| l.strip_prefix("SEQUENCE:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a SEQUENCE")
}

storage_test!(
    a_new_time_reaches_every_holder_with_an_updated_calendar_entry,
    |app: TestApp| async move {
        use crate::helpers::event_form;
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        rsvp(&app, &ana, &setup, "1").await;
        let bens = rsvp(&app, &ben, &setup, "1").await;
        let cancelled = app
            .post_form(&ben, "/api/tickets/cancel", &[("id", &bens.to_string())])
            .await;
        assert!(!refused(&cancelled));
        // the booking mail (and its calendar file) went out before the changes
        mail_settled(&app, 10).await;
        let id = setup.event_id.to_string();
        let edit = |changes: &[(&str, &str)]| {
            let mut fields = vec![("id", id.as_str()), ("capacity", "50")];
            fields.extend_from_slice(changes);
            event_form(&fields)
        };
        let moved_news = |user: i32| {
            let app = &app;
            async move {
                notifications_of(app, user)
                    .await
                    .into_iter()
                    .filter(|n| n.kind == "event_moved")
                    .collect::<Vec<_>>()
            }
        };

        // tags move nothing
        let response = app
            .post_multipart(
                &setup.organizer,
                "/api/events/save",
                edit(&[("tags", "jazz")]),
            )
            .await;
        assert!(!refused(&response));
        // an hour later: it waits for a curator, and only then reaches people
        let response = app
            .post_multipart(
                &setup.organizer,
                "/api/events/save",
                edit(&[
                    ("starts_at", "2031-06-01T20:00"),
                    ("ends_at", "2031-06-01T23:00"),
                ]),
            )
            .await;
        assert!(!refused(&response));
        app.outbox_delivered().await;
        assert!(moved_news(ana_id).await.is_empty(), "not before review");
        let curator = app
            .browser_as("second-curator@example.com", "curator")
            .await;
        let round = app.latest_round(setup.event_id).await;
        assert!(!refused(
            &app.decide(&curator, &round, "approve", "Fine.").await
        ));
        mail_settled(&app, 10).await;

        let moved = moved_news(ana_id).await;
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].title, "Jazz by the Water has a new time or place");
        assert!(
            moved[0].body.starts_with("Now: Sun, 1 Jun 2031, 20:00"),
            "{}",
            moved[0].body
        );
        assert!(
            moved[0].body.contains("Before: Sun, 1 Jun 2031, 19:00"),
            "{}",
            moved[0].body
        );
        assert!(
            moved_news(ben_id).await.is_empty(),
            "Ben gave his seat back"
        );

        let mails = mails_to(&app, "ana@example.com");
        let booked = mails
            .iter()
            .find(|m| m.contains("Subject: You're going to Jazz by the Water"))
            .expect("the booking mail");
        let moved_mail = mails
            .iter()
            .find(|m| m.contains("has a new time or place"))
            .expect("the mail about the move");
        let (before, after) = (calendar_of(booked), calendar_of(moved_mail));
        let uid = |ics: &str| {
            ics.lines()
                .find(|l| l.starts_with("UID:"))
                .map(str::to_owned)
        };
        assert_eq!(uid(&before), uid(&after), "the same calendar entry");
        assert!(sequence_of(&after) > sequence_of(&before));
        assert!(after.contains("DTSTART:20310601T180000Z"), "{after}");
    }
);

storage_test!(
    social_mail_unsubscribes_in_one_click_without_signing_in,
    spawn = |backend| spawn_app_with_smtp(backend, 0),
    |app: TestApp| async move {
        use app::{
            domain::notifications::preferences::Overrides,
            model::notifications::{Channel, Kind},
        };
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        // Ben wants friend requests by mail too
        let form = reqwest::multipart::Form::new()
            .text("on", "email:friend_request")
            .text("on", "email:registration_confirmed");
        let response = app
            .post_multipart(&ben, "/api/notifications/preferences/save", form)
            .await;
        assert!(!refused(&response));
        assert!(!refused(&act(&app, &ana, ben_id, "befriend").await));

        let sink = app.smtp.clone().expect("sink");
        let raw = received(&sink, "Ana Alves asks to be your friend").await;
        let message = MessageParser::default().parse(&raw).expect("MIME");
        let header = |name: &str| {
            message
                .header_raw(name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_else(|| panic!("no {name} header"))
        };
        assert_eq!(
            header("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );
        let link = header("List-Unsubscribe");
        let link = link
            .strip_prefix('<')
            .and_then(|l| l.strip_suffix('>'))
            .expect("<link>");
        assert!(
            link.starts_with("http://127.0.0.1/unsubscribe?token="),
            "{link}"
        );
        assert!(message.body_text(0).expect("text").contains(link));
        let path = link.trim_start_matches("http://127.0.0.1");
        let email_on = || async {
            Overrides::load(&app.db, [ben_id])
                .await
                .expect("preferences")
                .is_on(ben_id, Kind::FriendRequest, Channel::Email)
        };

        // opening the link (or a scanner fetching it) asks first and changes nothing
        let page = app.get(path).await;
        assert_eq!(page.status(), 200);
        assert!(page
            .text()
            .await
            .expect("page")
            .contains("Stop these emails"));
        // in the language of the browser that opened it
        let german = app
            .client
            .get(app.url(path))
            .header("accept-language", "de-DE, de;q=0.9")
            .send()
            .await
            .expect("GET");
        let german = german.text().await.expect("page");
        assert!(
            german.contains(r#"<html lang="de""#) && german.contains("Diese E-Mails abbestellen")
        );
        assert!(email_on().await);
        // a tampered token is refused, not an error, and changes nothing
        let tampered = path.replace("friend_request", "friend_accepted");
        let response = app
            .client
            .post(app.url(&tampered))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 400);
        assert!(email_on().await);

        // the mail program's one-click POST, with no session
        let response = reqwest::Client::new()
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 200);
        assert!(!email_on().await);
        // the rest of Ben's choices stand
        assert!(Overrides::load(&app.db, [ben_id])
            .await
            .expect("preferences")
            .is_on(ben_id, Kind::RegistrationConfirmed, Channel::Email));

        // booking mail is not something to unsubscribe from
        let raw = received(&sink, "Confirm your email address for Lineup").await;
        let message = MessageParser::default().parse(&raw).expect("MIME");
        assert!(message.header("List-Unsubscribe").is_none());
    }
);

storage_test!(
    group_invitations_and_requests_reach_the_invitee_and_the_admins,
    |app: TestApp| async move {
        use crate::helpers::location;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let (cai, cai_id) = person(&app, "cai@example.com", "Cai Costa").await;
        let group = |browser: Client, name: &'static str, visibility: &'static str| {
            let app = &app;
            async move {
                let created = app
                    .post_form(
                        &browser,
                        "/api/social/groups/create",
                        &[("name", name), ("visibility", visibility)],
                    )
                    .await;
                assert!(!refused(&created));
                location(&created).trim_start_matches("/groups/").to_owned()
            }
        };
        let in_group = |browser: Client, key: String, action: &'static str, person: Option<i32>| {
            let app = &app;
            async move {
                let person = person.map(|p| p.to_string()).unwrap_or_default();
                let mut form = vec![("key", key.as_str()), ("action", action)];
                if !person.is_empty() {
                    form.push(("person", person.as_str()));
                }
                app.post_form(&browser, "/api/social/group/act", &form)
                    .await
            }
        };
        let news = |user: i32, kind: &'static str| {
            let app = &app;
            async move {
                notifications_of(app, user)
                    .await
                    .into_iter()
                    .filter(|n| n.kind == kind)
                    .collect::<Vec<_>>()
            }
        };
        let crew = group(ana.clone(), "Weekend crew", "private").await;
        let open = group(ana.clone(), "Open jazz", "public").await;

        // Ben asks to join the private group: Ana, its admin, hears of it
        assert!(!refused(
            &in_group(ben.clone(), crew.clone(), "join", None).await
        ));
        // joining a public group needs nobody's answer: no news
        assert!(!refused(
            &in_group(ben.clone(), open.clone(), "join", None).await
        ));
        app.outbox_delivered().await;
        let asked = news(ana_id, "group_request").await;
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert_eq!(asked[0].title, "Ben Brito asks to join Weekend crew");
        assert_eq!(asked[0].link, format!("/groups/{crew}"));

        // Ana invites her friend Cai
        assert!(!refused(&act(&app, &ana, cai_id, "befriend").await));
        assert!(!refused(&act(&app, &cai, ana_id, "accept").await));
        assert!(!refused(
            &in_group(ana.clone(), crew.clone(), "invite", Some(cai_id)).await
        ));
        // a refused invitation (Ben is not her friend) tells nobody
        assert!(refused(
            &in_group(ana.clone(), open.clone(), "invite", Some(ben_id)).await
        ));
        app.outbox_delivered().await;
        let invited = news(cai_id, "group_invitation").await;
        assert_eq!(invited.len(), 1);
        assert_eq!(invited[0].title, "Ana Alves invites you to Weekend crew");
        assert!(news(ben_id, "group_invitation").await.is_empty());
        // in the app, not by mail: social news is opt-in for email
        mail_settled(&app, 10).await;
        assert!(mails_to(&app, "cai@example.com")
            .iter()
            .all(|m| !m.contains("invites you to")));
        let page = app.page_as(&cai, "/notifications").await;
        assert!(page.contains("Ana Alves invites you to Weekend crew"));
    }
);

storage_test!(
    new_events_of_followed_organizers_come_in_one_batch_a_day,
    |app: TestApp| async move {
        use app::domain::notifications::followed::send_due;
        use chrono::{Duration as Hours, Utc};
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (_ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let organizer = app.user("org@example.com").await;
        assert!(!refused(&act(&app, &ana, organizer.id, "follow").await));
        let graph = app.state.graph.clone();
        let sweep = |at| {
            let (db, graph) = (app.db.clone(), graph.clone());
            async move { send_due(&db, graph.as_ref(), at).await.expect("sweep") }
        };
        let now = Utc::now();
        assert_eq!(sweep(now).await, [Some(ana_id)]);
        assert!(sweep(now).await.is_empty(), "once");

        // two more the same day wait for the next day's batch
        let curator = app
            .browser_as("second-curator@example.com", "curator")
            .await;
        for title in ["Second show", "Third show"] {
            app.published_event(
                &setup.organizer,
                &curator,
                &[("title", title), ("capacity", "50")],
            )
            .await;
        }
        assert!(
            sweep(now + Hours::hours(1)).await.is_empty(),
            "at most one a day"
        );
        assert_eq!(sweep(now + Hours::hours(25)).await, [Some(ana_id)]);

        let batches: Vec<_> = notifications_of(&app, ana_id)
            .await
            .into_iter()
            .filter(|n| n.kind == "followed_events")
            .collect();
        assert_eq!(batches.len(), 2);
        assert!(batches[0].title.starts_with("New from "));
        assert!(batches[0].title.ends_with(": Jazz by the Water"));
        assert_eq!(batches[0].link, format!("/events/{}", setup.event_id));
        assert_eq!(batches[1].title, "2 new events from organizers you follow");
        assert!(batches[1].body.contains("Second show") && batches[1].body.contains("Third show"));
        assert!(
            !batches[1].body.contains("Jazz by the Water"),
            "each event once"
        );
        assert_eq!(batches[1].link, "/feed");
        assert!(notifications_of(&app, ben_id)
            .await
            .iter()
            .all(|n| n.kind != "followed_events"));
    }
);

storage_test!(
    the_weekly_digest_goes_to_those_who_asked_once_a_week,
    |app: TestApp| async move {
        use app::domain::notifications::digest::send_due;
        use chrono::{TimeZone, Utc};
        use sea_orm::sea_query::Expr;
        let setup = free_event(&app, "50").await;
        let curator = app
            .browser_as("second-curator@example.com", "curator")
            .await;
        let suggestion = app
            .published_event(
                &setup.organizer,
                &curator,
                &[
                    ("title", "Second show"),
                    ("capacity", "50"),
                    ("starts_at", "2031-06-05T19:00"),
                    ("ends_at", "2031-06-05T22:00"),
                ],
            )
            .await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (_ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        entity::user::Entity::update_many()
            .col_expr(entity::user::Column::Interests, Expr::value("music"))
            .exec(&app.db)
            .await
            .expect("interests");
        rsvp(&app, &ana, &setup, "1").await;
        // only Ana asks for it
        let form = reqwest::multipart::Form::new().text("on", "email:weekly_digest");
        let response = app
            .post_multipart(&ana, "/api/notifications/preferences/save", form)
            .await;
        assert!(!refused(&response));

        // Thursday before the Sunday concert
        let thursday = Utc.with_ymd_and_hms(2031, 5, 29, 16, 0, 0).unwrap();
        assert_eq!(
            send_due(&app.db, thursday).await.expect("sweep"),
            [Some(ana_id)]
        );
        assert!(
            send_due(&app.db, thursday + chrono::Duration::hours(30))
                .await
                .expect("sweep")
                .is_empty(),
            "once a week"
        );
        let monday_early = Utc.with_ymd_and_hms(2031, 6, 2, 5, 0, 0).unwrap();
        assert!(send_due(&app.db, monday_early)
            .await
            .expect("sweep")
            .is_empty());
        let monday = Utc.with_ymd_and_hms(2031, 6, 2, 8, 0, 0).unwrap();
        assert_eq!(
            send_due(&app.db, monday).await.expect("sweep"),
            [Some(ana_id)]
        );

        let digests: Vec<_> = notifications_of(&app, ana_id)
            .await
            .into_iter()
            .filter(|n| n.kind == "weekly_digest")
            .collect();
        assert_eq!(digests.len(), 2);
        let first = &digests[0].body;
        assert!(
            first.starts_with("You are going to:\nJazz by the Water"),
            "{first}"
        );
        assert!(
            first.contains("Coming up in what you like:\nSecond show"),
            "{first}"
        );
        assert!(first.contains(&format!("/events/{suggestion}")));
        assert!(
            !digests[1].body.contains("Jazz by the Water"),
            "it is over by then"
        );
        assert!(notifications_of(&app, ben_id)
            .await
            .iter()
            .all(|n| n.kind != "weekly_digest"));

        // by mail, with the one-click unsubscribe
        delivery::Entity::update_many()
            .col_expr(delivery::Column::AvailableAt, Expr::value(Utc::now()))
            .filter(delivery::Column::Status.eq("pending"))
            .exec(&app.db)
            .await
            .expect("due now");
        mail_settled(&app, 10).await;
        let digest_mails: Vec<String> = mails_to(&app, "ana@example.com")
            .into_iter()
            .filter(|m| m.contains("Subject: Your week on Lineup"))
            .collect();
        assert_eq!(digest_mails.len(), 2);
        assert!(digest_mails[0].contains("List-Unsubscribe: <http://127.0.0.1/unsubscribe?token="));
    }
);
