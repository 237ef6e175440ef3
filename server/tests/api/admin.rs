//! The platform admin area: appointing curators, suspending and reinstating (sign-in refused,
//! events out of the listings and back), reasons required, and the audit log of it all.
use reqwest::{header, Client};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{helpers::*, storage_test, ticketing::free_event};

async fn status(app: &TestApp, browser: &Client, endpoint: &str, fields: &[(&str, &str)]) -> u16 {
    browser
        .post(app.url(&format!("/api/{endpoint}")))
        .header(header::ACCEPT, "application/json")
        .form(fields)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

async fn audit_log(app: &TestApp) -> Vec<entity::audit_entry::Model> {
    entity::audit_entry::Entity::find()
        .order_by_asc(entity::audit_entry::Column::Id)
        .all(&app.db)
        .await
        .expect("audit log")
}

async fn act(app: &TestApp, admin: &Client, person: i32, fields: &[(&str, &str)]) -> u16 {
    let person = person.to_string();
    let mut all = vec![("person", person.as_str())];
    all.extend_from_slice(fields);
    status(app, admin, "admin/people/act", &all).await
}

storage_test!(
    a_suspended_organizer_cannot_sign_in_and_their_events_return_with_reinstatement,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let admin = app.browser_as("admin@example.com", "admin").await;
        let organizer = app.user("org@example.com").await.id;
        let event_page = format!("/events/{}", setup.event_id);
        app.outbox_delivered().await;
        assert!(app.page("/").await.contains("Jazz by the Water"));

        // a reason is required, and nothing changes without one
        assert_eq!(
            act(
                &app,
                &admin,
                organizer,
                &[("action", "suspend"), ("reason", " ")]
            )
            .await,
            422
        );
        assert!(app.user("org@example.com").await.suspended_at.is_none());
        assert!(audit_log(&app).await.is_empty());
        // nobody suspends themselves
        let me = app.user("admin@example.com").await.id;
        assert_eq!(
            act(
                &app,
                &admin,
                me,
                &[("action", "suspend"), ("reason", "testing")]
            )
            .await,
            422
        );

        assert_eq!(
            act(
                &app,
                &admin,
                organizer,
                &[("action", "suspend"), ("reason", "Sold fake tickets")]
            )
            .await,
            200
        );
        // their session ended, and signing in says why
        assert_eq!(
            status(&app, &setup.organizer, "accounts/profile", &[]).await,
            401
        );
        let again = app.other_browser();
        let signed = app
            .sign_in(&again, "org@example.com", "a long password")
            .await;
        assert!(refused(&signed), "a suspended person cannot sign in");
        assert_eq!(status(&app, &again, "accounts/profile", &[]).await, 401);
        // their public event left the listings and its page
        app.outbox_delivered().await;
        assert_eq!(app.get(&event_page).await.status(), 404);
        assert!(!app.page("/").await.contains("Jazz by the Water"));
        let log = audit_log(&app).await;
        assert_eq!(log.len(), 1);
        assert_eq!(
            (
                log[0].action.as_str(),
                log[0].subject_id,
                log[0].reason.as_str(),
                log[0].actor_id
            ),
            ("suspend", organizer, "Sold fake tickets", me)
        );

        assert_eq!(
            act(
                &app,
                &admin,
                organizer,
                &[("action", "reinstate"), ("reason", "Cleared after review")]
            )
            .await,
            200
        );
        let back = app.other_browser();
        let signed = app
            .sign_in(&back, "org@example.com", "a long password")
            .await;
        assert!(!refused(&signed), "reinstated people sign in again");
        app.outbox_delivered().await;
        assert_eq!(app.get(&event_page).await.status(), 200);
        assert!(app.page("/").await.contains("Jazz by the Water"));
        let log = audit_log(&app).await;
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].action, "reinstate");
        let page = app.page_as(&admin, "/admin/audit").await;
        assert!(page.contains("Sold fake tickets") && page.contains("Cleared after review"));
    }
);

storage_test!(
    appointing_a_curator_is_for_admins_and_written_down,
    |app: TestApp| async move {
        let admin = app.browser_as("admin@example.com", "admin").await;
        let curator = app.browser_as("curator@example.com", "curator").await;
        let helper = app.browser_as("helper@example.com", "attendee").await;
        let helper_id = app.user("helper@example.com").await.id;
        assert_eq!(status(&app, &helper, "curation/queue", &[]).await, 403);
        // curators may not appoint anyone, nor read the log
        assert_eq!(
            act(
                &app,
                &curator,
                helper_id,
                &[
                    ("action", "role"),
                    ("role", "curator"),
                    ("reason", "Helps out")
                ]
            )
            .await,
            403
        );
        assert_eq!(status(&app, &curator, "admin/audit", &[]).await, 403);
        assert_eq!(
            act(
                &app,
                &admin,
                helper_id,
                &[
                    ("action", "role"),
                    ("role", "curator"),
                    ("reason", "Helps out")
                ]
            )
            .await,
            200
        );
        assert_eq!(
            status(&app, &helper, "curation/queue", &[]).await,
            200,
            "the new curator works the queue"
        );
        let entry = entity::audit_entry::Entity::find()
            .filter(entity::audit_entry::Column::SubjectId.eq(helper_id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("written down");
        assert_eq!(entry.details, "role: attendee → curator");
        let people = app.page_as(&admin, "/admin/people?q=helper").await;
        assert!(people.contains("helper@example.com") && people.contains("Curator"));
        assert!(
            !people.contains("curator@example.com"),
            "the search narrows"
        );
    }
);

storage_test!(
    admins_transfer_organizations_and_cancel_events_with_reasons_in_the_audit_log,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let admin = app.browser_as("admin@example.com", "admin").await;
        let ana = app.browser_as("ana@example.com", "attendee").await;
        crate::ticketing::rsvp(&app, &ana, &setup, "1").await;
        let org = app.event(setup.event_id).await.organization_id;
        let org_id = org.to_string();
        let event_id = setup.event_id.to_string();
        let act = |fields: Vec<(&'static str, String)>| {
            let admin = admin.clone();
            let app = &app;
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                status(app, &admin, "admin/organizations/act", &fields).await
            }
        };

        // found by search
        let page = app.page_as(&admin, "/admin/organizations?q=jazz").await;
        assert!(page.contains("Jazz by the Water"));

        // refusals change nothing: no reason, nobody at that address, not an admin
        let s = act(vec![
            ("action", "transfer".into()),
            ("id", org_id.clone()),
            ("email", "ana@example.com".into()),
            ("reason", "".into()),
        ])
        .await;
        assert_eq!(s, 422);
        let s = act(vec![
            ("action", "transfer".into()),
            ("id", org_id.clone()),
            ("email", "nobody@example.com".into()),
            ("reason", "Handover".into()),
        ])
        .await;
        assert_eq!(s, 422);
        assert_eq!(
            status(
                &app,
                &ana,
                "admin/organizations/act",
                &[
                    ("action", "cancel"),
                    ("id", &event_id),
                    ("reason", "Because")
                ]
            )
            .await,
            403
        );
        assert!(audit_log(&app).await.is_empty());

        // transfer: Ana owns it, the old owner manages it
        let s = act(vec![
            ("action", "transfer".into()),
            ("id", org_id.clone()),
            ("email", "ana@example.com".into()),
            ("reason", "The collective changed hands".into()),
        ])
        .await;
        assert_eq!(s, 200);
        let role = |email: &'static str| {
            let app = &app;
            async move {
                let id = app.user(email).await.id;
                entity::organization_member::Entity::find()
                    .filter(entity::organization_member::Column::OrganizationId.eq(org))
                    .filter(entity::organization_member::Column::UserId.eq(id))
                    .one(&app.db)
                    .await
                    .expect("query")
                    .map(|m| m.role)
            }
        };
        assert_eq!(role("ana@example.com").await.as_deref(), Some("owner"));
        assert_eq!(role("org@example.com").await.as_deref(), Some("manager"));

        // force-cancel: the event is cancelled with the reason, its attendee's registration
        // closed by the cancellation job
        let s = act(vec![
            ("action", "cancel".into()),
            ("id", event_id.clone()),
            ("reason", "Venue closed by the city".into()),
        ])
        .await;
        assert_eq!(s, 200);
        let event = app.event(setup.event_id).await;
        assert_eq!(event.status, "cancelled");
        assert_eq!(
            event.cancel_reason.as_deref(),
            Some("Venue closed by the city")
        );
        app.outbox_delivered().await;
        let regs = entity::registration::Entity::find()
            .filter(entity::registration::Column::EventId.eq(setup.event_id))
            .all(&app.db)
            .await
            .expect("registrations");
        assert!(regs.iter().all(|r| r.status == "cancelled"), "{regs:?}");

        let log = audit_log(&app).await;
        let actions: Vec<(&str, &str, i32)> = log
            .iter()
            .map(|e| (e.action.as_str(), e.subject_kind.as_str(), e.subject_id))
            .collect();
        assert_eq!(
            actions,
            [
                ("transfer", "organization", org),
                ("cancel_event", "event", setup.event_id)
            ]
        );
        assert!(log[0].details.contains("org@example.com → ana@example.com"));
        assert_eq!(log[1].reason, "Venue closed by the city");
    }
);

storage_test!(
    the_status_page_shows_the_outbox_search_and_workers,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let admin = app.browser_as("admin@example.com", "admin").await;
        app.outbox_delivered().await;
        let page = app.page_as(&admin, "/admin/status").await;
        assert!(
            page.contains("data-testid=\"outbox-empty\""),
            "all delivered"
        );
        assert!(
            page.contains("1 documents for 1 searchable events"),
            "{page}"
        );
        assert!(
            page.contains("outbox: event<"),
            "the search worker's last run"
        );
        // a write waiting shows as a topic with its age
        entity::outbox::Entity::insert(entity::outbox::ActiveModel {
            topic: sea_orm::Set("graph.event".into()),
            subject_id: sea_orm::Set(setup.event_id),
            payload: sea_orm::Set(None),
            attempts: sea_orm::Set(2),
            available_at: sea_orm::Set(chrono::Utc::now() + chrono::Duration::hours(1)),
            last_error: sea_orm::Set(Some("graph unreachable".into())),
            created_at: sea_orm::Set(chrono::Utc::now() - chrono::Duration::minutes(5)),
            ..Default::default()
        })
        .exec_without_returning(&app.db)
        .await
        .expect("outbox row");
        let page = app.page_as(&admin, "/admin/status").await;
        assert!(page.contains("graph.event") && page.contains("graph unreachable"));
        assert!(page.contains("5 min"));
        assert!(page.contains("1 writes waiting"));
        let attendee = app.browser_as("ana@example.com", "attendee").await;
        assert_eq!(status(&app, &attendee, "admin/status", &[]).await, 403);
    }
);

storage_test!(
    the_reports_overview_lists_what_waits_for_curators,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let admin = app.browser_as("admin@example.com", "admin").await;
        assert!(app
            .page_as(&admin, "/admin/reports")
            .await
            .contains("Nothing waiting."));
        hide_with_established_reports(&app, setup.event_id).await;
        let page = app.page_as(&admin, "/admin/reports").await;
        assert!(page.contains("Jazz by the Water"), "{page}");
        assert!(page.contains("Hidden by community flags"));
        let row_at = page.find("data-testid=\"report-row\"").expect("a row");
        assert!(page[row_at..].contains("<td>3</td>"), "three open reports");
        assert!(page[row_at..].contains("nobody yet"));
        let curator = app.browser_as("curator2@example.com", "curator").await;
        assert_eq!(status(&app, &curator, "admin/reports", &[]).await, 403);
    }
);
