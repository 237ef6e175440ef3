//! The social graph over HTTP, and the outbox between Postgres/SQLite and the graph: friends
//! see each other going, blocks hide both, privacy is enforced on the server, and replaying the
//! outbox builds the same graph as `regraph`.
use chrono::Utc;
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    helpers::{location, refused, TestApp},
    storage_test,
    ticketing::{free_event, rsvp},
};
use app::domain::graph::{
    sync::{self, dump, regraph},
    GraphStore, SurrealGraph,
};

/// A new account with a name, signed in in its own browser.
pub(crate) async fn person(app: &TestApp, email: &str, name: &str) -> (Client, i32) {
    let browser = app.other_browser();
    let response = app
        .post_form(
            &browser,
            "/api/accounts/sign_up",
            &[
                ("email", email),
                ("password", "a long password"),
                ("display_name", name),
            ],
        )
        .await;
    assert_eq!(response.status(), 302, "sign-up of {email}");
    (browser, app.user(email).await.id)
}

pub(crate) async fn act(
    app: &TestApp,
    browser: &Client,
    person: i32,
    action: &str,
) -> reqwest::Response {
    app.post_form(
        browser,
        "/api/social/person/act",
        &[("person", &person.to_string()), ("action", action)],
    )
    .await
}

pub(crate) async fn befriend(app: &TestApp, a: (&Client, i32), b: (&Client, i32)) {
    let asked = act(app, a.0, b.1, "befriend").await;
    assert!(!refused(&asked), "request sent");
    let accepted = act(app, b.0, a.1, "accept").await;
    assert!(!refused(&accepted), "request accepted");
}

async fn graph_rows(app: &TestApp) -> usize {
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.is_in(sync::TOPICS))
        .all(&app.db)
        .await
        .expect("outbox")
        .len()
}

storage_test!(
    friends_see_each_other_going_until_a_block_hides_both,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        befriend(&app, (&ana, ana_id), (&ben, ben_id)).await;
        rsvp(&app, &ben, &setup, "1").await;
        app.outbox_delivered().await;

        let event_page = format!("/events/{}", setup.event_id);
        let seen = app.page_as(&ana, &event_page).await;
        assert!(
            seen.contains("1 friend going"),
            "friends going on the event page"
        );
        assert!(seen.contains("Ben Brito"), "with Ben's face");
        assert!(
            app.page_as(&ana, "/").await.contains("1 friend going"),
            "on the card too"
        );
        let feed = app.page_as(&ana, "/feed").await;
        assert!(feed.contains("Ben Brito") && feed.contains("is going to"));
        // people not signed in see no one
        assert!(!app.page(&event_page).await.contains("friend going"));

        // Ben keeps his attendance to himself: gone from Ana's view, enforced on the server
        let saved = app
            .post_form(
                &ben,
                "/api/social/privacy/save",
                &[("attendance", "private"), ("profile", "public")],
            )
            .await;
        assert!(!refused(&saved));
        app.outbox_delivered().await;
        assert!(!app
            .page_as(&ana, &event_page)
            .await
            .contains("friend going"));
        assert!(!app.page_as(&ana, "/feed").await.contains("is going to"));
        app.post_form(
            &ben,
            "/api/social/privacy/save",
            &[("attendance", "friends"), ("profile", "public")],
        )
        .await;
        app.outbox_delivered().await;
        assert!(app
            .page_as(&ana, &event_page)
            .await
            .contains("1 friend going"));

        let blocked = act(&app, &ana, ben_id, "block").await;
        assert!(!refused(&blocked));
        assert_eq!(location(&blocked), "/people");
        let seen = app.page_as(&ana, &event_page).await;
        assert!(!seen.contains("friend going") && !seen.contains("Ben Brito"));
        assert!(!app.page_as(&ana, "/feed").await.contains("Ben Brito"));
        // to Ben, Ana is gone: not in a search, no profile, no way to reach her
        assert!(!app
            .page_as(&ben, "/people?q=ana")
            .await
            .contains("Ana Alves"));
        let profile = ben
            .get(app.url(&format!("/people/{ana_id}")))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(profile.status(), 404);
        assert!(refused(&act(&app, &ben, ana_id, "befriend").await));
    }
);

storage_test!(
    social_routes_check_who_asks_and_refuse_bad_input,
    |app: TestApp| async move {
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (_ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let anonymous = app.other_browser();
        for path in ["/people", "/feed", "/groups", &format!("/people/{ben_id}")] {
            let response = anonymous
                .get(app.url(path))
                .header("accept", "text/html")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 401, "{path}");
        }
        let response = anonymous
            .post(app.url("/api/social/person/act"))
            .form(&[
                ("person", ben_id.to_string()),
                ("action", "befriend".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);

        for (person, action) in [
            (ben_id, "hug"),
            (ana_id, "befriend"),
            (ben_id, "accept"),
            (ben_id, "unfriend"),
        ] {
            assert!(refused(&act(&app, &ana, person, action).await), "{action}");
        }
        let unknown = act(&app, &ana, 999_999, "befriend").await;
        assert!(refused(&unknown));
        // nothing of that reached the graph
        let ties = app::domain::social::ties::between(app.state.graph.as_ref(), ana_id, ben_id)
            .await
            .unwrap();
        assert_eq!(ties, Default::default());

        let bad = app
            .post_form(
                &ana,
                "/api/social/privacy/save",
                &[("attendance", "everyone"), ("profile", "public")],
            )
            .await;
        assert!(refused(&bad));
        assert_eq!(
            app.user("ana@example.com").await.attendance_visibility,
            "friends"
        );

        let nameless = app
            .post_form(
                &ana,
                "/api/social/groups/create",
                &[("name", "  "), ("visibility", "public")],
            )
            .await;
        assert!(refused(&nameless));
        let groups = app.page_as(&ana, "/groups").await;
        assert!(groups.contains("Give the group a name."));
        let created = app
            .post_form(
                &ana,
                "/api/social/groups/create",
                &[("name", "Jazz lovers"), ("visibility", "invite_only")],
            )
            .await;
        assert!(!refused(&created));
        let group_page = location(&created);
        assert!(app.page_as(&ana, &group_page).await.contains("Jazz lovers"));
        // an invite-only group does not exist for others
        let (carl, _) = person(&app, "carl@example.com", "Carl Cruz").await;
        let hidden = carl
            .get(app.url(&group_page))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(hidden.status(), 404);
    }
);

storage_test!(
    replaying_the_outbox_builds_the_graph_regraph_builds,
    |mut app: TestApp| async move {
        app.stop_graph_worker().await;
        let setup = free_event(&app, "50").await;
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, _) = person(&app, "ben@example.com", "Ben Brito").await;
        rsvp(&app, &ana, &setup, "1").await;
        let ben_reg = rsvp(&app, &ben, &setup, "1").await;
        let cancelled = app
            .post_form(&ben, "/api/tickets/cancel", &[("id", &ben_reg.to_string())])
            .await;
        assert!(!refused(&cancelled), "cancelled");
        app.post_form(
            &ana,
            "/api/social/privacy/save",
            &[("attendance", "public"), ("profile", "friends")],
        )
        .await;
        // everything committed, nothing delivered: the rows wait in the outbox
        assert!(graph_rows(&app).await > 0);
        let graph = app.state.graph.as_ref();
        let delivered = sync::drain(&app.db, graph, Utc::now())
            .await
            .expect("drain");
        assert!(delivered > 0);
        assert_eq!(graph_rows(&app).await, 0);
        let replayed = dump(graph).await.expect("dump");
        assert_eq!(replayed.attends.len(), 1, "Ana going, Ben cancelled");
        assert_eq!(replayed.users.len(), 4, "organizer, curator, Ana, Ben");

        // a fresh graph rebuilt from the database holds the same
        let fresh = SurrealGraph::connect("mem://", None).await.expect("graph");
        let counts = regraph(&app.db, &fresh).await.expect("regraph");
        assert_eq!(counts.attends, 1);
        assert_eq!(dump(&fresh).await.expect("dump"), replayed);
        // and so does regraph over the live graph, or delivering everything again
        regraph(&app.db, graph).await.expect("regraph");
        assert_eq!(dump(graph).await.expect("dump"), replayed);
        for user in entity::user::Entity::find().all(&app.db).await.unwrap() {
            app::domain::outbox::enqueue(&app.db, sync::USER, user.id, Utc::now())
                .await
                .unwrap();
        }
        sync::drain(&app.db, graph, Utc::now())
            .await
            .expect("drain");
        assert_eq!(dump(graph).await.expect("dump"), replayed);
        assert_eq!(fresh.backend(), "embedded");
    }
);
