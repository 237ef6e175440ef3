use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::{helpers::*, storage_test};

async fn organizer(app: &TestApp) {
    let response = app.sign_up(&app.client, "org@example.com", true).await;
    assert_eq!(response.status(), 302);
    app.verify_email("org@example.com").await;
}

async fn only_event(app: &TestApp) -> entity::event::Model {
    let mut events = entity::event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(events.len(), 1);
    events.remove(0)
}

storage_test!(
    organizer_creates_an_event_with_a_cover_and_edits_it,
    |app: TestApp| async move {
        organizer(&app).await;
        let form = event_form(&[]).part(
            "cover",
            Part::bytes(TINY_PNG.to_vec()).file_name("cover.png"),
        );
        let response = app
            .post_multipart(&app.client, "/api/events/save", form)
            .await;
        assert_eq!(response.status(), 302);
        let event = only_event(&app).await;
        assert_eq!(location(&response), format!("/events/{}", event.id));
        assert_eq!(event.status, "draft");
        assert_eq!(event.timezone, "Europe/Berlin");
        assert_eq!(
            event.starts_at.to_rfc3339(),
            "2031-06-01T17:00:00+00:00",
            "stored in UTC"
        );

        let page = app.page(&format!("/events/{}", event.id)).await;
        assert!(page.contains("Jazz by the Water"));
        assert!(
            page.contains("Sun, 1 Jun 2031, 19:00 – 22:00 CEST"),
            "shown in the event's time zone"
        );
        assert!(page.contains("<strong>friends</strong>"));
        let image = entity::event_image::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.cover_image_id, Some(image.id));
        assert!(page.contains(&format!("/media/{}", image.key)));
        let media = app.get(&format!("/media/{}", image.key)).await;
        assert_eq!(media.status(), 200);
        assert_eq!(media.headers()["content-type"], "image/png");
        assert!(media.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        // re-encoded (nothing of the upload's metadata survives), still the same picture
        let stored = media.bytes().await.unwrap();
        assert!(stored.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(
            (image.width, image.height, image.content_type.as_str()),
            (1, 1, "image/png")
        );
        // pages offer its WebP copy with the image's size, the event's cover first of all
        let variants: Vec<serde_json::Value> = serde_json::from_str(&image.variants).unwrap();
        assert_eq!(variants.len(), 1);
        let webp = variants[0]["key"].as_str().unwrap();
        assert!(
            page.contains(&format!(
                "<source type=\"image/webp\" srcset=\"/media/{webp} 1w\""
            )),
            "a WebP source"
        );
        let cover = page
            .split("<img")
            .find(|tag| tag.contains("event-cover"))
            .expect("the cover's img");
        for attribute in [
            "width=\"1\"",
            "height=\"1\"",
            "fetchpriority=\"high\"",
            "loading=\"eager\"",
        ] {
            assert!(cover.contains(attribute), "{attribute} in {cover}");
        }
        let media = app.get(&format!("/media/{webp}")).await;
        assert_eq!(media.status(), 200);
        assert_eq!(media.headers()["content-type"], "image/webp");

        assert!(app.page("/my/events").await.contains("Jazz by the Water"));

        let form = event_form(&[
            ("id", &event.id.to_string()),
            ("title", "Jazz by the Water, again"),
        ]);
        let response = app
            .post_multipart(&app.client, "/api/events/save", form)
            .await;
        assert_eq!(location(&response), format!("/events/{}", event.id));
        let edited = only_event(&app).await;
        assert_eq!(edited.title, "Jazz by the Water, again");
        assert_eq!(
            edited.cover_image_id, event.cover_image_id,
            "the cover stays when no new one is sent"
        );
        let revisions = entity::event_revision::Entity::find()
            .filter(entity::event_revision::Column::EventId.eq(event.id))
            .order_by_asc(entity::event_revision::Column::Number)
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            revisions.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert!(revisions[0].snapshot.contains("\"Jazz by the Water\""));
        assert!(revisions[1].snapshot.contains("Jazz by the Water, again"));
    }
);

storage_test!(
    another_user_editing_an_event_gets_403_and_nothing_changes,
    |app: TestApp| async move {
        organizer(&app).await;
        app.post_multipart(&app.client, "/api/events/save", event_form(&[]))
            .await;
        let before = only_event(&app).await;

        let intruder = app.other_browser();
        app.sign_up(&intruder, "intruder@example.com", true).await;
        let form = event_form(&[("id", &before.id.to_string()), ("title", "Hijacked")]);
        // a script caller sees the status itself
        let response = intruder
            .post(app.url("/api/events/save"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let edit_page = intruder
            .get(app.url(&format!("/events/{}/edit", before.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(edit_page.status(), 403);
        let response = intruder
            .post(app.url("/api/events/submit"))
            .form(&[("id", before.id.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(only_event(&app).await, before);
        assert_eq!(
            entity::event_revision::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            1
        );
    }
);

storage_test!(
    invalid_event_input_returns_field_errors_and_writes_nothing,
    |app: TestApp| async move {
        organizer(&app).await;
        let huge_title = "x".repeat(5 * 1024 * 1024);
        let cases: Vec<(Form, &str, &str)> = vec![
            (event_form(&[("title", "")]), "title", "Title is required"),
            (
                event_form(&[("ends_at", "2031-06-01T18:00")]),
                "ends_at",
                "End time must be after the start time",
            ),
            (
                event_form(&[("capacity", "0")]),
                "capacity",
                "Capacity must be at least 1",
            ),
            (
                event_form(&[("capacity", "-3")]),
                "capacity",
                "Capacity must be at least 1",
            ),
            (
                event_form(&[("title", &huge_title)]),
                "title",
                "Title must be at most 120 characters",
            ),
            (
                event_form(&[]).part(
                    "cover",
                    Part::bytes(b"<html>not an image</html>".to_vec()).file_name("cover.png"),
                ),
                "cover",
                "not a PNG, JPEG, WebP or GIF",
            ),
        ];
        for (form, field, message) in cases {
            let response = app
                .post_multipart(&app.client, "/api/events/save", form)
                .await;
            assert_eq!(location(&response), "/events/new", "{field}");
            let page = app.page("/events/new").await;
            assert!(page.contains(message), "{field}: expected {message:?}");
            assert!(
                page.contains(&format!("id=\"field-{field}-error\"")),
                "{field}: message next to the field"
            );
            assert_eq!(
                entity::event::Entity::find().count(&app.db).await.unwrap(),
                0
            );
            assert_eq!(
                entity::event_image::Entity::find()
                    .count(&app.db)
                    .await
                    .unwrap(),
                0
            );
        }
        // what was typed comes back in the form
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[("capacity", "0"), ("title", "Keep me")]),
        )
        .await;
        assert!(app.page("/events/new").await.contains("value=\"Keep me\""));
    }
);

storage_test!(
    markdown_xss_payloads_are_neutralised,
    |app: TestApp| async move {
        organizer(&app).await;
        let payload = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) \
                   <a href=\"JAVASCRIPT:alert(4)\">y</a> <iframe src=\"https://evil.example\"></iframe> **ok**";
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[("description", payload)]),
        )
        .await;
        let event = only_event(&app).await;
        let page = app
            .page(&format!("/events/{}", event.id))
            .await
            .to_lowercase();
        let description = page
            .split("class=\"event-description\"")
            .nth(1)
            .unwrap()
            .split("</div>")
            .next()
            .unwrap();
        assert!(description.contains("<strong>ok</strong>"));
        for banned in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(
                !description.contains(banned),
                "{banned} survived: {description}"
            );
        }
    }
);

storage_test!(
    event_pages_carry_meta_tags_and_a_calendar_file,
    |app: TestApp| async move {
        organizer(&app).await;
        app.post_multipart(&app.client, "/api/events/save", event_form(&[]))
            .await;
        let event = only_event(&app).await;
        let page = app.page(&format!("/events/{}", event.id)).await;
        assert!(
            page.contains("<title>Jazz by the Water · Lineup</title>"),
            "{}",
            &page[..page.len().min(2000)]
        );
        assert!(page.contains("name=\"description\" content=\"Live jazz on the canal\""));
        assert!(page.contains("property=\"og:title\" content=\"Jazz by the Water\""));
        assert!(
            page.contains("openstreetmap.org/?mlat=52.539&amp;mlon=13.413")
                || page.contains("openstreetmap.org/?mlat=52.539&mlon=13.413")
        );

        let ics = app.get(&format!("/events/{}/calendar.ics", event.id)).await;
        assert_eq!(ics.status(), 200);
        assert!(ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar"));
        let body = ics.text().await.unwrap();
        assert!(body.contains("DTSTART:20310601T170000Z"));
        assert!(body.contains("SUMMARY:Jazz by the Water"));
        // a draft's calendar file is not for strangers
        let stranger = app.other_browser();
        let response = stranger
            .get(app.url(&format!("/events/{}/calendar.ics", event.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
);

storage_test!(
    a_weekly_series_copies_the_event_and_its_ticket_types_at_the_same_local_time,
    |app: TestApp| async move {
        let setup = crate::ticketing::free_event(&app, "30").await;
        let original = app.event(setup.event_id).await;
        let events = || async {
            entity::event::Entity::find()
                .order_by_asc(entity::event::Column::StartsAt)
                .all(&app.db)
                .await
                .expect("events")
        };
        let id = setup.event_id.to_string();

        // refusals change nothing: a stranger, a count out of range, an unknown repeat
        let stranger = app.browser_as("stranger@example.com", "organizer").await;
        for (browser, repeat, count) in [
            (&stranger, "weekly", "3"),
            (&setup.organizer, "weekly", "13"),
            (&setup.organizer, "daily", "3"),
        ] {
            let tried = app
                .post_form(
                    browser,
                    "/api/events/duplicate",
                    &[("event_id", &id), ("repeat", repeat), ("count", count)],
                )
                .await;
            assert!(refused(&tried), "{repeat} {count}");
        }
        assert_eq!(events().await.len(), 1);

        let made = app
            .post_form(
                &setup.organizer,
                "/api/events/duplicate",
                &[
                    ("event_id", &id),
                    ("repeat", "weekly"),
                    ("count", "3"),
                    ("submit", "on"),
                ],
            )
            .await;
        assert!(!refused(&made));
        assert_eq!(location(&made), "/my/events");
        let all = events().await;
        assert_eq!(all.len(), 4);
        for (n, copy) in all[1..].iter().enumerate() {
            let weeks = n as i64 + 1;
            assert_eq!(
                copy.starts_at,
                original.starts_at + chrono::Duration::weeks(weeks)
            );
            assert_eq!(
                copy.ends_at - copy.starts_at,
                original.ends_at - original.starts_at
            );
            assert_eq!(
                (copy.title.as_str(), copy.organization_id, copy.capacity),
                (
                    original.title.as_str(),
                    original.organization_id,
                    original.capacity
                )
            );
            assert_eq!(
                copy.status, "submitted",
                "submitted for review, not published"
            );
            assert_eq!(copy.seats_taken, 0);
            let types = entity::ticket_type::Entity::find()
                .filter(entity::ticket_type::Column::EventId.eq(copy.id))
                .count(&app.db)
                .await
                .expect("types");
            assert_eq!(types, 1, "the original's ticket type, and only it");
        }

        // once: a draft at the same time, to be edited
        let once = app
            .post_form(
                &setup.organizer,
                "/api/events/duplicate",
                &[("event_id", &id), ("repeat", "once")],
            )
            .await;
        assert!(!refused(&once));
        let drafts: Vec<_> = events()
            .await
            .into_iter()
            .filter(|e| e.status == "draft")
            .collect();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].starts_at, original.starts_at);
    }
);
