//! Organizations: the role × action matrix over the server, invitations by mail, the last
//! owner, the public page and its calendar feed, and the migration that moved every organizer's
//! events into a personal organization.
use reqwest::{header, Client};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{helpers::*, storage_test, ticketing::free_event};
use app::{domain::organizations::personal::add_member, model::organizations::OrgRole};

/// A server function, what is posted to it, and the answers expected for a manager, an editor,
/// door staff, finance and a stranger.
type MatrixRow<'a> = (&'a str, Vec<(&'a str, &'a str)>, [&'a str; 5]);

/// The status a server function answers `browser` (a refusal's number, or "ok").
async fn status(
    app: &TestApp,
    browser: &Client,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> String {
    let status = browser
        .post(app.url(&format!("/api/{endpoint}")))
        .header(header::ACCEPT, "application/json")
        .form(fields)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16();
    match status {
        200..=399 => "ok".to_owned(),
        n => n.to_string(),
    }
}

async fn organization_of(app: &TestApp, event: i32) -> entity::organization::Model {
    let event = app.event(event).await;
    entity::organization::Entity::find_by_id(event.organization_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("every event has an organization")
}

async fn role_of(app: &TestApp, organization: i32, email: &str) -> Option<String> {
    let person = app.user(email).await.id;
    entity::organization_member::Entity::find()
        .filter(entity::organization_member::Column::OrganizationId.eq(organization))
        .filter(entity::organization_member::Column::UserId.eq(person))
        .one(&app.db)
        .await
        .expect("query")
        .map(|m| m.role)
}

storage_test!(
    each_role_may_do_exactly_what_the_matrix_says,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let org = organization_of(&app, setup.event_id).await;
        assert!(
            org.personal,
            "a first event goes to its organizer's own organization"
        );
        assert_eq!(
            role_of(&app, org.id, "org@example.com").await.as_deref(),
            Some("owner")
        );
        let mut people = Vec::new();
        for (email, role) in [
            ("manager@example.com", Some(OrgRole::Manager)),
            ("editor@example.com", Some(OrgRole::Editor)),
            ("door@example.com", Some(OrgRole::Door)),
            ("finance@example.com", Some(OrgRole::Finance)),
            ("stranger@example.com", None),
        ] {
            let browser = app.browser_as(email, "organizer").await;
            if let Some(role) = role {
                let id = app.user(email).await.id;
                add_member(&app.db, org.id, id, role, chrono::Utc::now())
                    .await
                    .unwrap();
            }
            people.push((email, browser));
        }
        let event = setup.event_id.to_string();
        let (org_id, slug) = (org.id.to_string(), org.slug.clone());
        let rows: Vec<MatrixRow> = vec![
            // manager, editor, door, finance, stranger
            (
                "events/form",
                vec![("id", &event)],
                ["ok", "ok", "403", "403", "403"],
            ),
            (
                "tickets/admin",
                vec![("event_id", &event)],
                ["ok", "403", "403", "403", "403"],
            ),
            (
                "tickets/guests",
                vec![("event_id", &event)],
                ["ok", "403", "403", "403", "403"],
            ),
            (
                "tickets/checkin/page",
                vec![("event_id", &event)],
                ["ok", "403", "ok", "403", "403"],
            ),
            (
                "organizations/team",
                vec![("slug", &slug)],
                ["ok", "ok", "ok", "ok", "404"],
            ),
            (
                "organizations/team/act",
                vec![
                    ("organization", &org_id),
                    ("action", "invite"),
                    ("email", "new@example.com"),
                    ("role", "editor"),
                ],
                ["ok", "403", "403", "403", "403"],
            ),
            // owners are made by owners
            (
                "organizations/team/act",
                vec![
                    ("organization", &org_id),
                    ("action", "invite"),
                    ("email", "boss@example.com"),
                    ("role", "owner"),
                ],
                ["403", "403", "403", "403", "403"],
            ),
        ];
        let mut wrong = Vec::new();
        for (endpoint, fields, expected) in &rows {
            let mut got = Vec::new();
            for (_, browser) in &people {
                got.push(status(&app, browser, endpoint, fields).await);
            }
            if got != expected.to_vec() {
                wrong.push(format!(
                    "{endpoint} {fields:?}: expected {expected:?} got {got:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
        // the door person checks a real ticket in; the finance person cannot
        let attendee = app.browser_as("guest@example.com", "attendee").await;
        let registration = crate::ticketing::rsvp(&app, &attendee, &setup, "1").await;
        let code = entity::ticket::Entity::find()
            .filter(entity::ticket::Column::RegistrationId.eq(registration))
            .one(&app.db)
            .await
            .unwrap()
            .expect("ticket")
            .code;
        let check_in = [("event_id", event.as_str()), ("code", code.as_str())];
        assert_eq!(
            status(&app, &people[3].1, "tickets/checkin", &check_in).await,
            "403"
        );
        assert_eq!(
            status(&app, &people[2].1, "tickets/checkin", &check_in).await,
            "ok"
        );
    }
);

async fn invite(
    app: &TestApp,
    owner: &Client,
    organization: i32,
    email: &str,
    role: &str,
) -> reqwest::Response {
    app.post_form(
        owner,
        "/api/organizations/team/act",
        &[
            ("organization", &organization.to_string()),
            ("action", "invite"),
            ("email", email),
            ("role", role),
        ],
    )
    .await
}

/// The status of a team action.
async fn team_act(
    app: &TestApp,
    browser: &Client,
    organization: i32,
    fields: &[(&str, &str)],
) -> String {
    let organization = organization.to_string();
    let mut all = vec![("organization", organization.as_str())];
    all.extend_from_slice(fields);
    status(app, browser, "organizations/team/act", &all).await
}

/// The token in the invitation link of the newest mail to `to`.
async fn invitation_token(app: &TestApp, to: &str) -> String {
    for _ in 0..100 {
        if let Some(mail) = app.mails().into_iter().rev().find(|m| m.to == to) {
            let at = mail
                .text
                .find("/o/invitations/")
                .unwrap_or_else(|| panic!("no invitation link in {}", mail.text))
                + "/o/invitations/".len();
            return mail.text[at..at + 64].to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail to {to}");
}

storage_test!(
    an_invitation_is_mailed_and_answered_once_by_its_address_only,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let org = organization_of(&app, setup.event_id).await;
        let org_id = org.id.to_string();
        let owner = &setup.organizer;
        let sent = invite(&app, owner, org.id, "door@example.com", "door").await;
        assert!(!refused(&sent), "invited");
        let token = invitation_token(&app, "door@example.com").await;
        let link = format!("/o/invitations/{token}");

        // someone else holding the link cannot take the place
        let other = app.browser_as("other@example.com", "attendee").await;
        let taken = app
            .post_form(
                &other,
                "/api/organizations/invitation/answer",
                &[("token", &token), ("answer", "accept")],
            )
            .await;
        assert!(refused(&taken), "only the invited address may answer");
        assert_eq!(role_of(&app, org.id, "other@example.com").await, None);

        // the invited person signs up with that address, sees the offer and accepts
        let door = app.browser_as("door@example.com", "attendee").await;
        let page = app.page_as(&door, &link).await;
        assert!(page.contains("Join "), "{page}");
        assert!(page.contains("Door"), "the role is named");
        let accepted = app
            .post_form(
                &door,
                "/api/organizations/invitation/answer",
                &[("token", &token), ("answer", "accept")],
            )
            .await;
        assert!(!refused(&accepted), "accepted");
        assert_eq!(location(&accepted), format!("/o/{}/team", org.slug));
        assert_eq!(
            role_of(&app, org.id, "door@example.com").await.as_deref(),
            Some("door")
        );
        let again = app
            .post_form(
                &door,
                "/api/organizations/invitation/answer",
                &[("token", &token), ("answer", "decline")],
            )
            .await;
        assert!(refused(&again), "an invitation is answered once");
        assert_eq!(
            role_of(&app, org.id, "door@example.com").await.as_deref(),
            Some("door")
        );
        let team = app.page_as(owner, &format!("/o/{}/team", org.slug)).await;
        assert!(
            team.contains("door@example.com"),
            "the owner sees the new member"
        );

        // a member cannot be invited again; a withdrawn invitation's link stops working
        assert!(refused(
            &invite(&app, owner, org.id, "door@example.com", "editor").await
        ));
        assert!(!refused(
            &invite(&app, owner, org.id, "late@example.com", "editor").await
        ));
        let late_token = invitation_token(&app, "late@example.com").await;
        let pending = entity::organization_invitation::Entity::find()
            .filter(entity::organization_invitation::Column::Email.eq("late@example.com"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("invitation");
        let withdrawn = app
            .post_form(
                owner,
                "/api/organizations/team/act",
                &[
                    ("organization", &org_id),
                    ("action", "withdraw"),
                    ("invitation", &pending.id.to_string()),
                ],
            )
            .await;
        assert!(!refused(&withdrawn));
        let late = app.browser_as("late@example.com", "attendee").await;
        let answered = app
            .post_form(
                &late,
                "/api/organizations/invitation/answer",
                &[("token", &late_token), ("answer", "accept")],
            )
            .await;
        assert!(
            refused(&answered),
            "a withdrawn invitation cannot be accepted"
        );
        assert_eq!(role_of(&app, org.id, "late@example.com").await, None);
        // a made-up token is simply not there
        assert_eq!(
            status(
                &app,
                &late,
                "organizations/invitation",
                &[("token", &"0".repeat(64))]
            )
            .await,
            "404"
        );
    }
);

storage_test!(
    the_last_owner_stays_and_only_owners_manage_owners,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let org = organization_of(&app, setup.event_id).await;
        let owner = &setup.organizer;
        let manager = app.browser_as("manager@example.com", "organizer").await;
        let manager_id = app.user("manager@example.com").await.id;
        add_member(
            &app.db,
            org.id,
            manager_id,
            OrgRole::Manager,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let owner_id = app.user("org@example.com").await.id.to_string();
        assert_eq!(
            team_act(&app, owner, org.id, &[("action", "leave")]).await,
            "422",
            "the last owner cannot leave"
        );
        assert_eq!(
            team_act(
                &app,
                &manager,
                org.id,
                &[("action", "remove"), ("member", &owner_id)]
            )
            .await,
            "403",
            "a manager cannot remove an owner"
        );
        assert_eq!(
            team_act(
                &app,
                &manager,
                org.id,
                &[
                    ("action", "role"),
                    ("member", &manager_id.to_string()),
                    ("role", "owner")
                ]
            )
            .await,
            "403",
            "nor make one"
        );
        assert_eq!(
            role_of(&app, org.id, "org@example.com").await.as_deref(),
            Some("owner")
        );
        // the owner hands over: makes the manager an owner, then leaves
        assert_eq!(
            team_act(
                &app,
                owner,
                org.id,
                &[
                    ("action", "role"),
                    ("member", &manager_id.to_string()),
                    ("role", "owner")
                ]
            )
            .await,
            "ok"
        );
        assert_eq!(
            team_act(&app, owner, org.id, &[("action", "leave")]).await,
            "ok"
        );
        assert_eq!(role_of(&app, org.id, "org@example.com").await, None);
        assert_eq!(
            status(
                &app,
                owner,
                "events/form",
                &[("id", &setup.event_id.to_string())]
            )
            .await,
            "403",
            "someone who left no longer edits the organization's events"
        );
        assert_eq!(
            team_act(
                &app,
                &manager,
                org.id,
                &[
                    ("action", "role"),
                    ("member", &manager_id.to_string()),
                    ("role", "editor")
                ]
            )
            .await,
            "422",
            "the last owner cannot step down either"
        );
    }
);

storage_test!(
    an_organization_page_lists_its_public_events_and_offers_a_calendar_feed,
    |app: TestApp| async move {
        let owner = app.browser_as("venue@example.com", "organizer").await;
        let curator = app.browser_as("curator@example.com", "curator").await;
        let made = app
            .post_form(
                &owner,
                "/api/organizations/create",
                &[
                    ("name", "Fado Collective"),
                    ("city", "Lisbon"),
                    ("description", "Fado every week."),
                ],
            )
            .await;
        assert!(!refused(&made));
        assert_eq!(location(&made), "/o/fado-collective/team");
        let taken = app
            .post_form(
                &owner,
                "/api/organizations/create",
                &[("name", "Other"), ("slug", "fado-collective")],
            )
            .await;
        assert!(refused(&taken), "a slug is unique");
        let org = entity::organization::Entity::find()
            .filter(entity::organization::Column::Slug.eq("fado-collective"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("made");
        let org_id = org.id.to_string();
        let public = app
            .published_event(
                &owner,
                &curator,
                &[("title", "Fado in the Alfama"), ("organization", &org_id)],
            )
            .await;
        assert_eq!(app.event(public).await.organization_id, org.id);
        let draft = app
            .create_event(
                &owner,
                &[("title", "Secret rehearsal"), ("organization", &org_id)],
            )
            .await;
        assert_eq!(app.event(draft).await.organization_id, org.id);
        // nobody may put events into someone else's organization
        let stranger = app.browser_as("stranger@example.com", "organizer").await;
        let sneaked = app
            .post_multipart(
                &stranger,
                "/api/events/save",
                event_form(&[("organization", &org_id)]),
            )
            .await;
        assert!(refused(&sneaked));

        let page = app.page("/o/fado-collective").await;
        assert!(page.contains("Fado Collective") && page.contains("Lisbon"));
        assert!(
            page.contains("Fado in the Alfama"),
            "public events are listed"
        );
        assert!(!page.contains("Secret rehearsal"), "drafts are not");
        let event_page = app.page(&format!("/events/{public}")).await;
        assert!(
            event_page.contains("/o/fado-collective"),
            "the event links its organization"
        );
        let feed = app.get("/o/fado-collective/calendar.ics").await;
        assert_eq!(feed.status(), 200);
        assert!(feed
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/calendar")));
        let feed = feed.text().await.unwrap();
        assert!(feed.contains("SUMMARY:Fado in the Alfama"), "{feed}");
        assert!(!feed.contains("Secret rehearsal"));
        assert_eq!(app.get("/o/nobody-here/calendar.ics").await.status(), 404);
        assert_eq!(
            status(
                &app,
                &stranger,
                "organizations/page",
                &[("slug", "nobody-here")]
            )
            .await,
            "404"
        );

        // a fan follows the organization and hears about its new events by its name
        let fan = app.browser_as("fan@example.com", "attendee").await;
        let follow = |on: bool| {
            let fan = fan.clone();
            let app = &app;
            async move {
                let mut fields = vec![("slug", "fado-collective")];
                if on {
                    fields.push(("follow", "on"));
                }
                let r = app
                    .post_form(&fan, "/api/organizations/follow", &fields)
                    .await;
                assert!(!refused(&r));
            }
        };
        follow(true).await;
        follow(true).await;
        let page = app.page_as(&fan, "/o/fado-collective").await;
        assert!(
            page.contains("1 follower") && page.contains(">Following<"),
            "{page}"
        );
        app.outbox_delivered().await;
        let sent = app::domain::notifications::followed::send_due(
            &app.db,
            app.state.graph.as_ref(),
            chrono::Utc::now(),
        )
        .await
        .expect("sweep");
        let fan_id = app.user("fan@example.com").await.id;
        assert_eq!(sent, [Some(fan_id)]);
        let note = entity::notification::Entity::find()
            .filter(entity::notification::Column::UserId.eq(fan_id))
            .one(&app.db)
            .await
            .expect("query")
            .expect("a notification");
        assert_eq!(note.title, "New from Fado Collective: Fado in the Alfama");
        follow(false).await;
        assert!(app
            .page_as(&fan, "/o/fado-collective")
            .await
            .contains("0 followers"));
    }
);

/// Runs the migrations up to the one before organizations, writes two organizers with the same
/// name and their events the old way, then runs the rest: each gets a personal organization they
/// own, with a slug of its own, holding their events.
async fn migrates_on(url: &str) {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{sea_query::Query, ConnectionTrait, Set};
    let db = server::db::connect(url).await.expect("connect");
    Migrator::up(&db, Some(14))
        .await
        .expect("migrations before organizations");
    let now = chrono::Utc::now();
    let mut people = Vec::new();
    for (email, account) in [
        ("ana@example.com", Some("acct_1Ana")),
        ("ana2@example.com", None),
    ] {
        // inserted without reading the row back: the users table of then lacks later columns
        let made = entity::user::Entity::insert(entity::user::ActiveModel {
            email: Set(email.into()),
            password_hash: Set("x".into()),
            display_name: Set("Ana Silva".into()),
            role: Set("organizer".into()),
            interests: Set(String::new()),
            reputation: Set(0),
            stripe_account_id: Set(account.map(str::to_owned)),
            attendance_visibility: Set("friends".into()),
            profile_visibility: Set("everyone".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&db)
        .await
        .expect("user");
        people.push(made.last_insert_id);
    }
    for (n, organizer) in [people[0], people[0], people[1]].into_iter().enumerate() {
        let insert = Query::insert()
            .into_table(sea_orm::sea_query::Alias::new("events"))
            .columns(
                [
                    "organizer_id",
                    "status",
                    "title",
                    "summary",
                    "description_md",
                    "description_html",
                    "category",
                    "tags",
                    "starts_at",
                    "ends_at",
                    "timezone",
                    "capacity",
                    "is_free",
                    "revision",
                    "seats_taken",
                    "created_at",
                    "updated_at",
                ]
                .map(sea_orm::sea_query::Alias::new),
            )
            .values_panic([
                organizer.into(),
                "draft".into(),
                format!("Event {n}").into(),
                "x".into(),
                "x".into(),
                "x".into(),
                "music".into(),
                "".into(),
                now.into(),
                now.into(),
                "UTC".into(),
                10.into(),
                true.into(),
                1.into(),
                0.into(),
                now.into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&insert).await.expect("event");
    }
    Migrator::up(&db, None).await.expect("organizations");

    let orgs = entity::organization::Entity::find().all(&db).await.unwrap();
    assert_eq!(orgs.len(), 2, "one personal organization per organizer");
    let mut slugs: Vec<&str> = orgs.iter().map(|o| o.slug.as_str()).collect();
    slugs.sort();
    assert_eq!(slugs, ["ana-silva", "ana-silva-2"]);
    for org in &orgs {
        assert!(org.personal);
        assert_eq!(
            org.charges_enabled,
            org.stripe_account_id.is_some(),
            "the typed account carries over"
        );
        let owner = entity::organization_member::Entity::find()
            .filter(entity::organization_member::Column::OrganizationId.eq(org.id))
            .one(&db)
            .await
            .unwrap()
            .expect("an owner");
        assert_eq!(
            (owner.user_id, owner.role.as_str()),
            (org.created_by, "owner")
        );
        let events = entity::event::Entity::find()
            .filter(entity::event::Column::OrganizationId.eq(org.id))
            .all(&db)
            .await
            .unwrap();
        assert!(events.iter().all(|e| e.organizer_id == org.created_by));
        assert_eq!(
            events.len(),
            if org.created_by == people[0] { 2 } else { 1 }
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_moves_each_organizers_events_into_a_personal_organization() {
    let dir = tempfile::tempdir().unwrap();
    migrates_on(&format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("m.db").display()
    ))
    .await;
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(base) => {
            let url = server::db::create_scratch_postgres(&base, "lineup_migration")
                .await
                .expect("scratch database");
            migrates_on(&url).await;
        }
        None => assert!(
            std::env::var_os("LINEUP_REQUIRE_POSTGRES").is_none(),
            "LINEUP_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
        ),
    }
}

storage_test!(
    a_curator_on_the_organizations_team_leaves_its_events_to_another_curator,
    |app: TestApp| async move {
        let owner = app.browser_as("owner@example.com", "organizer").await;
        let insider = app.browser_as("insider@example.com", "curator").await;
        let other = app.browser_as("other-curator@example.com", "curator").await;
        let event = app
            .create_event(&owner, &[("title", "Members' night"), ("intent", "submit")])
            .await;
        let org = organization_of(&app, event).await;
        let insider_id = app.user("insider@example.com").await.id;
        add_member(
            &app.db,
            org.id,
            insider_id,
            OrgRole::Editor,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let round = app.latest_round(event).await;
        let decided = app
            .decide(&insider, &round, "approve", "Looks good to me.")
            .await;
        assert!(
            refused(&decided),
            "a team member does not judge the team's event"
        );
        assert_ne!(app.event(event).await.status, "published");
        let decided = app
            .decide(&other, &round, "approve", "Looks good to me.")
            .await;
        assert!(!refused(&decided));
        assert_eq!(app.event(event).await.status, "published");
    }
);

storage_test!(
    owners_edit_the_name_description_and_logo_and_editors_cannot,
    |app: TestApp| async move {
        use reqwest::multipart::{Form, Part};
        let owner = app.browser_as("venue@example.com", "organizer").await;
        let made = app
            .post_form(
                &owner,
                "/api/organizations/create",
                &[("name", "Fado Collective"), ("city", "Lisbon")],
            )
            .await;
        assert!(!refused(&made));
        let org = entity::organization::Entity::find()
            .filter(entity::organization::Column::Slug.eq("fado-collective"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("made");
        let edit = |name: String, with_logo: bool| {
            let mut form = Form::new()
                .text("slug", "fado-collective")
                .text("name", name)
                .text("city", "Porto")
                .text("description", "Fado on Thursdays.");
            if with_logo {
                form = form.part(
                    "logo",
                    Part::bytes(TINY_PNG.to_vec())
                        .file_name("logo.png")
                        .mime_str("image/png")
                        .unwrap(),
                );
            }
            form
        };
        let editor = app.browser_as("editor@example.com", "organizer").await;
        add_member(
            &app.db,
            org.id,
            app.user("editor@example.com").await.id,
            OrgRole::Editor,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let by_editor = app
            .post_multipart(
                &editor,
                "/api/organizations/edit",
                edit("Taken over".into(), false),
            )
            .await;
        assert!(
            refused(&by_editor),
            "editors create events, not the organization's profile"
        );
        let too_long = app
            .post_multipart(
                &owner,
                "/api/organizations/edit",
                edit("x".repeat(121), false),
            )
            .await;
        assert!(refused(&too_long));
        let unchanged = entity::organization::Entity::find_by_id(org.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (unchanged.name.as_str(), unchanged.city.as_deref()),
            ("Fado Collective", Some("Lisbon"))
        );

        let saved = app
            .post_multipart(
                &owner,
                "/api/organizations/edit",
                edit("Casa do Fado".into(), true),
            )
            .await;
        assert!(!refused(&saved));
        let after = entity::organization::Entity::find_by_id(org.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.name, "Casa do Fado");
        assert_eq!(after.city.as_deref(), Some("Porto"));
        assert!(after.logo_image_id.is_some());
        let page = app.page("/o/fado-collective").await;
        assert!(page.contains("Casa do Fado") && page.contains("Fado on Thursdays."));
        let logo = page
            .find("class=\"org-logo\"")
            .and_then(|at| page[..at].rfind("<img").map(|start| &page[start..at]));
        assert!(
            logo.is_some_and(|l| l.contains("src=\"/media/")),
            "the logo is shown: {logo:?}"
        );
    }
);

storage_test!(
    an_event_submitted_to_another_calendar_shows_there_once_its_reviewers_approve,
    |app: TestApp| async move {
        // the hosts: a venue that takes submissions, reviewed by its manager
        let venue = app.browser_as("venue@example.com", "organizer").await;
        let made = app
            .post_form(
                &venue,
                "/api/organizations/create",
                &[("name", "Fado Collective")],
            )
            .await;
        assert!(!refused(&made));
        let host = entity::organization::Entity::find()
            .filter(entity::organization::Column::Slug.eq("fado-collective"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("made");
        let manager = app.browser_as("manager@example.com", "attendee").await;
        add_member(
            &app.db,
            host.id,
            app.user("manager@example.com").await.id,
            OrgRole::Manager,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        // someone else's public event
        let setup = free_event(&app, "20").await;
        let event_id = setup.event_id.to_string();
        let submit = |browser: Client| {
            let app = &app;
            let event_id = event_id.clone();
            async move {
                app.post_form(
                    &browser,
                    "/api/organizations/calendar/submit",
                    &[
                        ("event_id", event_id.as_str()),
                        ("calendar", "fado-collective"),
                    ],
                )
                .await
            }
        };
        let count = || async {
            entity::calendar_submission::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
        };

        // not taking submissions yet: refused, nothing stored
        assert!(refused(&submit(setup.organizer.clone()).await));
        assert!(count().await.is_empty());
        let form = reqwest::multipart::Form::new()
            .text("slug", "fado-collective")
            .text("name", "Fado Collective")
            .text("accepts_submissions", "on");
        assert!(!refused(
            &app.post_multipart(&venue, "/api/organizations/edit", form)
                .await
        ));

        // only the event's team may submit it
        let stranger = app.browser_as("stranger@example.com", "organizer").await;
        assert!(refused(&submit(stranger).await));
        assert!(!refused(&submit(setup.organizer.clone()).await));
        assert!(
            refused(&submit(setup.organizer.clone()).await),
            "once per calendar"
        );
        let pending = count().await;
        assert_eq!(pending.len(), 1);
        assert!(!app
            .page("/o/fado-collective")
            .await
            .contains("Jazz by the Water"));

        // the manager sees it on the team page and approves; the event joins page and feed
        let team = app.page_as(&manager, "/o/fado-collective/team").await;
        assert!(
            team.contains("Jazz by the Water"),
            "pending on the team page"
        );
        let id = pending[0].id.to_string();
        let by_organizer = app
            .post_form(
                &setup.organizer,
                "/api/organizations/calendar/decide",
                &[("id", &id), ("slug", "fado-collective"), ("approve", "on")],
            )
            .await;
        assert!(refused(&by_organizer), "the host's reviewers decide");
        let approved = app
            .post_form(
                &manager,
                "/api/organizations/calendar/decide",
                &[("id", &id), ("slug", "fado-collective"), ("approve", "on")],
            )
            .await;
        assert!(!refused(&approved));
        assert_eq!(count().await[0].state, "approved");
        assert!(app
            .page("/o/fado-collective")
            .await
            .contains("Jazz by the Water"));
        let feed = app
            .get("/o/fado-collective/calendar.ics")
            .await
            .text()
            .await
            .unwrap();
        assert!(feed.contains("SUMMARY:Jazz by the Water"));
        // decided once
        let again = app
            .post_form(
                &manager,
                "/api/organizations/calendar/decide",
                &[("id", &id), ("slug", "fado-collective")],
            )
            .await;
        assert!(refused(&again));
        assert_eq!(count().await[0].state, "approved");
    }
);
