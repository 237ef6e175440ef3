//! Nothing leaks: an online event's join link reaches only those who may attend, blocked people
//! do not see each other's reviews, and the metrics are not public.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{helpers::*, social::act, storage_test, ticketing::Setup};

const LINK: &str = "https://meet.example.com/secret-room-42";

storage_test!(
    the_join_link_of_an_online_event_is_for_ticket_holders_and_its_organizer,
    |app: TestApp| async move {
        let organizer = app.browser_as("org@example.com", "organizer").await;
        let curator = app.browser_as("curator@example.com", "curator").await;
        let id = app
            .published_event(
                &organizer,
                &curator,
                &[
                    ("title", "Remote Oboe Masterclass"),
                    ("location_kind", "online"),
                    ("online_url", LINK),
                ],
            )
            .await;
        let page = format!("/events/{id}");
        let ics = format!("/events/{id}/calendar.ics");
        let text = |browser: reqwest::Client, path: String| {
            let url = app.url(&path);
            async move { browser.get(url).send().await.unwrap().text().await.unwrap() }
        };

        // strangers, signed in or not, see that it is online, not where
        let anonymous = app.other_browser();
        let attendee = app.browser_as("ana@example.com", "attendee").await;
        for browser in [&anonymous, &attendee] {
            let shown = text(browser.clone(), page.clone()).await;
            assert!(shown.contains("the join link is shown to ticket holders"));
            assert!(!shown.contains(LINK), "page");
            let calendar = text(browser.clone(), ics.clone()).await;
            assert!(calendar.contains("LOCATION:Online"), "{calendar}");
            assert!(!calendar.contains("secret-room"), "calendar file");
        }
        assert!(
            !text(anonymous.clone(), format!("/api/events/details?id={id}"))
                .await
                .contains(LINK)
        );

        // with a ticket, the link is on the page and in the calendar file
        let ticket_type = entity::ticket_type::Entity::find()
            .filter(entity::ticket_type::Column::EventId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a ticket type")
            .id;
        let setup = Setup {
            organizer: organizer.clone(),
            event_id: id,
            ticket_type,
        };
        crate::ticketing::rsvp(&app, &attendee, &setup, "1").await;
        assert!(text(attendee.clone(), page.clone()).await.contains(LINK));
        assert!(text(attendee.clone(), ics.clone())
            .await
            .contains("secret-room-42"));
        // and for whoever runs it
        assert!(text(organizer.clone(), page.clone()).await.contains(LINK));
        // still not for anyone else
        assert!(!text(anonymous.clone(), page.clone()).await.contains(LINK));
    }
);

storage_test!(
    blocked_people_do_not_see_each_others_reviews,
    |app: TestApp| async move {
        let organizer = app.browser_as("org@example.com", "organizer").await;
        let curator = app.browser_as("curator@example.com", "curator").await;
        let id = app.published_event(&organizer, &curator, &[]).await;
        let ticket_type = entity::ticket_type::Entity::find()
            .filter(entity::ticket_type::Column::EventId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a ticket type")
            .id;
        let setup = Setup {
            organizer: organizer.clone(),
            event_id: id,
            ticket_type,
        };
        let rita = app.browser_as("rita@example.com", "attendee").await;
        let vic = app.browser_as("vic@example.com", "attendee").await;
        crate::ticketing::rsvp(&app, &rita, &setup, "1").await;
        app.end_event(id).await;
        let response = app
            .post_form(
                &rita,
                "/api/events/review",
                &[
                    ("id", &id.to_string()),
                    ("rating", "2"),
                    ("text", "Rita says the sound was awful"),
                ],
            )
            .await;
        assert!(!refused(&response));
        let path = format!("/events/{id}");
        let before = app.page_as(&vic, &path).await;
        assert!(before.contains("Rita says"));
        assert!(
            before.contains("class=\"stars\""),
            "her review, with its author"
        );

        // Rita blocks Vic: he no longer sees her review or her name on it; others still do
        let vic_id = app.user("vic@example.com").await.id;
        assert!(!refused(&act(&app, &rita, vic_id, "block").await));
        app.outbox_delivered().await;
        let seen = app.page_as(&vic, &path).await;
        assert!(!seen.contains("Rita says"), "hidden from the blocked");
        // no review entry at all (its stars and author line), not only its text
        assert!(!seen.contains("class=\"stars\""), "no name either");
        assert!(app
            .page_as(&app.other_browser(), &path)
            .await
            .contains("Rita says"));
    }
);
