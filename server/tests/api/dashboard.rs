//! The organizer dashboard against a known set of views, saves, registrations, payments and
//! refunds: its totals, funnel, per-event row and CSV; who may see it and its money; bad ranges;
//! and where views come from (`utm_source`, the referring host) counted on the event page.
use chrono::{Duration, Utc};
use reqwest::{header, Client};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::{helpers::*, storage_test, ticketing::free_event};
use app::{
    domain::organizations::personal::add_member,
    model::{dashboard::Dashboard, organizations::OrgRole},
};

async fn dashboard(
    app: &TestApp,
    browser: &Client,
    fields: &[(&str, &str)],
) -> Result<Dashboard, u16> {
    let response = browser
        .post(app.url("/api/organizations/dashboard"))
        .header(header::ACCEPT, "application/json")
        .form(fields)
        .send()
        .await
        .expect("request");
    match response.status().as_u16() {
        200 => Ok(response.json().await.expect("a dashboard")),
        n => Err(n),
    }
}

fn total<'a>(d: &'a Dashboard, label: &str) -> Option<&'a str> {
    d.totals
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
}

/// A registration written as the booking and payment flows leave it.
#[allow(clippy::too_many_arguments)]
async fn registration(
    app: &TestApp,
    event: i32,
    ticket_type: i32,
    status: &str,
    quantity: i32,
    amount_minor: i64,
    refunded_minor: i64,
    days_ago: i64,
) {
    let at = Utc::now() - Duration::days(days_ago);
    entity::registration::Entity::insert(entity::registration::ActiveModel {
        event_id: Set(event),
        ticket_type_id: Set(ticket_type),
        user_id: Set(None),
        holder_key: Set(None),
        name: Set("Guest".into()),
        email: Set(format!("{status}{days_ago}{amount_minor}@example.com")),
        quantity: Set(quantity),
        status: Set(status.into()),
        tier: Set(0),
        answers: Set("{}".into()),
        amount_minor: Set(amount_minor),
        currency: Set("eur".into()),
        refunded_minor: Set(refunded_minor),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(&app.db)
    .await
    .expect("registration");
}

storage_test!(
    the_dashboard_adds_up_a_known_set_of_figures_for_the_roles_that_may_see_them,
    |app: TestApp| async move {
        let setup = free_event(&app, "100").await;
        let (event, tt) = (setup.event_id, setup.ticket_type);
        let org = app.event(event).await.organization_id;
        let slug = app.organization_slug(event).await;

        // today: 2 confirmed (one paid €20 for 2 tickets), 1 checked in; three days ago: a
        // refunded €15 and 2 waitlisted; 40 days ago (outside 30 days): one more confirmed
        registration(&app, event, tt, "confirmed", 1, 0, 0, 0).await;
        registration(&app, event, tt, "confirmed", 2, 2000, 0, 0).await;
        registration(&app, event, tt, "checked_in", 1, 0, 0, 0).await;
        registration(&app, event, tt, "refunded", 1, 1500, 1500, 3).await;
        registration(&app, event, tt, "waitlisted", 2, 0, 0, 3).await;
        registration(&app, event, tt, "confirmed", 1, 0, 0, 40).await;
        entity::refund::Entity::insert(entity::refund::ActiveModel {
            registration_id: Set(None),
            event_id: Set(Some(event)),
            payment_intent: Set("pi_test".into()),
            amount_minor: Set(1500),
            currency: Set("eur".into()),
            idempotency_key: Set("refund-1".into()),
            reason: Set("changed plans".into()),
            sent_at: Set(Some(Utc::now() - Duration::days(2))),
            created_at: Set(Utc::now() - Duration::days(2)),
            ..Default::default()
        })
        .exec_without_returning(&app.db)
        .await
        .expect("refund");
        let today = Utc::now().date_naive();
        for (days_ago, views) in [(0, 30), (3, 10), (40, 99)] {
            entity::event_view::Entity::insert(entity::event_view::ActiveModel {
                day: Set(today - Duration::days(days_ago)),
                event_id: Set(event),
                person_id: Set(0),
                views: Set(views),
                ..Default::default()
            })
            .exec_without_returning(&app.db)
            .await
            .expect("views");
        }

        let owner = &setup.organizer;
        let d = dashboard(&app, owner, &[("slug", &slug)])
            .await
            .expect("the owner's dashboard");
        assert_eq!(
            d.from,
            (today - Duration::days(29)).to_string(),
            "30 days by default"
        );
        assert_eq!(total(&d, "Page views"), Some("40"));
        // confirmed ×2, checked in, refunded: four got tickets; the waitlist did not
        assert_eq!(total(&d, "Registrations"), Some("4"));
        assert_eq!(total(&d, "Tickets held"), Some("4"));
        assert_eq!(total(&d, "On the waitlist"), Some("2"));
        assert_eq!(total(&d, "Gross sales"), Some("35.00 EUR"));
        assert_eq!(total(&d, "Refunds"), Some("15.00 EUR"));
        assert_eq!(total(&d, "Net"), Some("20.00 EUR"));
        let funnel = d
            .charts
            .iter()
            .find(|c| c.table.id == "funnel")
            .expect("funnel");
        let counts: Vec<&str> = funnel.table.rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            counts,
            ["40", "5", "4", "2"],
            "views, ticket form, registered, paid"
        );
        assert!(d
            .charts
            .iter()
            .all(|c| c.svg.starts_with("<svg role=\"img\"")));
        assert_eq!(d.charts.len(), 4);
        let attention = &d.charts[0].table;
        assert_eq!(attention.rows.len(), 30);
        assert_eq!(attention.rows.last().expect("today")[1], "30");

        // a wider range takes in the older registration and views
        let from = (today - Duration::days(59)).to_string();
        let wide = dashboard(&app, owner, &[("slug", &slug), ("from", &from)])
            .await
            .expect("60 days");
        assert_eq!(total(&wide, "Page views"), Some("139"));
        assert_eq!(total(&wide, "Registrations"), Some("5"));

        // the CSV is the same table
        let csv = owner
            .get(app.url(&format!("/o/{slug}/dashboard.csv?table=funnel")))
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(&format!("{slug}-funnel-")));
        let body = csv.text().await.expect("body");
        assert!(
            body.starts_with("Step,Count,Of the step before\r\nViewed the page,40,"),
            "{body}"
        );

        // bad input is refused with its reason
        assert_eq!(
            dashboard(&app, owner, &[("slug", &slug), ("from", "2026-02-30")])
                .await
                .err(),
            Some(400)
        );
        assert_eq!(
            dashboard(
                &app,
                owner,
                &[
                    ("slug", &slug),
                    ("from", "2020-01-01"),
                    ("to", "2026-01-01")
                ]
            )
            .await
            .err(),
            Some(400)
        );
        assert_eq!(
            dashboard(&app, owner, &[("slug", &slug), ("event", "999999")])
                .await
                .err(),
            Some(404)
        );
        assert_eq!(
            owner
                .get(app.url(&format!("/o/{slug}/dashboard.csv?table=nothing")))
                .send()
                .await
                .expect("csv")
                .status(),
            404
        );

        // roles: editors see figures without money, door staff and strangers nothing
        for (email, role, expect) in [
            ("editor@example.com", Some(OrgRole::Editor), Ok(false)),
            ("finance@example.com", Some(OrgRole::Finance), Ok(true)),
            ("door@example.com", Some(OrgRole::Door), Err(403)),
            ("stranger@example.com", None, Err(403)),
        ] {
            let browser = app.browser_as(email, "attendee").await;
            if let Some(role) = role {
                add_member(&app.db, org, app.user(email).await.id, role, Utc::now())
                    .await
                    .expect("member");
            }
            let seen = dashboard(&app, &browser, &[("slug", &slug)]).await;
            match expect {
                Ok(money) => {
                    let seen = seen.unwrap_or_else(|s| panic!("{email}: {s}"));
                    assert_eq!(seen.money, money, "{email}");
                    assert_eq!(total(&seen, "Gross sales").is_some(), money, "{email}");
                    assert_eq!(seen.charts.len(), if money { 4 } else { 3 }, "{email}");
                    assert_eq!(
                        seen.per_event.headers.contains(&"Gross sales".to_owned()),
                        money,
                        "{email}"
                    );
                }
                Err(status) => assert_eq!(seen.err(), Some(status), "{email}"),
            }
        }
        let anonymous = app.other_browser();
        assert_eq!(
            dashboard(&app, &anonymous, &[("slug", &slug)]).await.err(),
            Some(401)
        );
    }
);

storage_test!(
    page_views_are_counted_by_campaign_and_referring_site,
    |app: TestApp| async move {
        let setup = free_event(&app, "20").await;
        let path = format!("/events/{}", setup.event_id);
        let browser = Client::builder()
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36")
            .build()
            .expect("client");
        let visit = |query: &'static str, referer: Option<&'static str>| {
            let mut request = browser.get(app.url(&format!("{path}{query}")));
            if let Some(r) = referer {
                request = request.header(header::REFERER, r);
            }
            async move { assert_eq!(request.send().await.expect("page").status(), 200) }
        };
        visit("?utm_source=Newsletter", None).await;
        visit("?utm_source=newsletter", Some("https://www.instagram.com/")).await;
        visit("", Some("https://www.instagram.com/p/abc")).await;
        visit("", None).await;
        visit("", Some(&*Box::leak(app.url("/search").into_boxed_str()))).await;
        app.state.recs.signals.flush(&app.db).await.expect("flush");
        let mut counted: Vec<(String, i32)> = entity::event_referral::Entity::find()
            .filter(entity::event_referral::Column::EventId.eq(setup.event_id))
            .all(&app.db)
            .await
            .expect("referrals")
            .into_iter()
            .map(|r| (r.source, r.views))
            .collect();
        counted.sort();
        assert_eq!(
            counted,
            [
                ("direct".to_owned(), 1),
                ("instagram.com".to_owned(), 1),
                ("lineup".to_owned(), 1),
                ("newsletter".to_owned(), 2),
            ]
        );
    }
);

storage_test!(
    the_kept_figures_follow_every_change_and_fold_into_the_same_totals,
    |app: TestApp| async move {
        use app::domain::dashboard::rollup::fold;
        use sea_orm::{ActiveModelTrait, IntoActiveModel};

        let setup = free_event(&app, "100").await;
        let (event, tt) = (setup.event_id, setup.ticket_type);
        let slug = app.organization_slug(event).await;
        let owner = &setup.organizer;
        let today = Utc::now().date_naive();
        let event_text = event.to_string();
        // what the organization's and the event's dashboards say, which must agree here
        let seen = |labels: &'static [&'static str]| {
            let (app, owner, slug, event_text) = (&app, owner, slug.clone(), event_text.clone());
            async move {
                let whole = dashboard(app, owner, &[("slug", &slug)])
                    .await
                    .expect("dashboard");
                let one = dashboard(app, owner, &[("slug", &slug), ("event", &event_text)])
                    .await
                    .expect("the event's dashboard");
                let pick = |d: &Dashboard| -> Vec<String> {
                    labels
                        .iter()
                        .map(|l| total(d, l).unwrap_or("missing").to_owned())
                        .collect()
                };
                assert_eq!(pick(&whole), pick(&one), "organization and event agree");
                assert_eq!(whole.referrers.rows, one.referrers.rows);
                (pick(&whole), whole)
            }
        };
        const LABELS: &[&str] = &[
            "Page views",
            "Saves",
            "Registrations",
            "Tickets held",
            "On the waitlist",
            "Gross sales",
            "Refunds",
        ];

        registration(&app, event, tt, "confirmed", 2, 2000, 0, 0).await;
        registration(&app, event, tt, "confirmed", 1, 0, 0, 1).await;
        registration(&app, event, tt, "waitlisted", 3, 0, 0, 1).await;
        registration(&app, event, tt, "confirmed", 1, 0, 0, 45).await;
        for (days_ago, source, views) in [(0, "newsletter", 7), (2, "direct", 3)] {
            entity::event_referral::Entity::insert(entity::event_referral::ActiveModel {
                day: Set(today - Duration::days(days_ago)),
                event_id: Set(event),
                source: Set(source.into()),
                views: Set(views),
                ..Default::default()
            })
            .exec_without_returning(&app.db)
            .await
            .expect("referral");
        }
        let view = entity::event_view::Entity::insert(entity::event_view::ActiveModel {
            day: Set(today),
            event_id: Set(event),
            person_id: Set(0),
            views: Set(10),
            ..Default::default()
        })
        .exec_with_returning(&app.db)
        .await
        .expect("views");
        app.browser_as("saver@example.com", "attendee").await;
        let saver = app.user("saver@example.com").await.id;
        let save = entity::saved_event::Entity::insert(entity::saved_event::ActiveModel {
            user_id: Set(saver),
            event_id: Set(event),
            created_at: Set(Utc::now()),
            removed_at: Set(None),
            ..Default::default()
        })
        .exec_with_returning(&app.db)
        .await
        .expect("save");
        let expected = ["10", "1", "2", "3", "3", "20.00 EUR", "0"]
            .map(String::from)
            .to_vec();
        let (before, d) = seen(LABELS).await;
        assert_eq!(before, expected, "read before anything is folded");
        assert_eq!(
            d.referrers.rows,
            [
                vec!["newsletter".to_owned(), "7".to_owned()],
                vec!["direct".to_owned(), "3".to_owned()]
            ]
        );
        // the per-event row counts the registration of 45 days ago too
        assert_eq!(d.per_event.rows[0][4], "3", "{:?}", d.per_event.rows);
        assert!(fold(&app.db).await.expect("fold") > 0);
        assert_eq!(fold(&app.db).await.expect("fold again"), 0, "nothing twice");
        assert_eq!(seen(LABELS).await.0, expected, "the same after folding");

        // changes after the fold: more views on the same row, the save taken back, the paid
        // registration refunded and its refund sent, the waitlisted one deleted
        let mut more = view.into_active_model();
        more.views = Set(14);
        more.update(&app.db).await.expect("more views");
        let mut unsaved = save.clone().into_active_model();
        unsaved.removed_at = Set(Some(Utc::now()));
        unsaved.update(&app.db).await.expect("unsave");
        let paid = entity::registration::Entity::find()
            .filter(entity::registration::Column::AmountMinor.gt(0))
            .one(&app.db)
            .await
            .expect("query")
            .expect("the paid registration");
        let mut refunded = paid.into_active_model();
        refunded.status = Set("refunded".into());
        refunded.refunded_minor = Set(2000);
        refunded.update(&app.db).await.expect("refunded");
        let refund = entity::refund::Entity::insert(entity::refund::ActiveModel {
            registration_id: Set(None),
            event_id: Set(Some(event)),
            payment_intent: Set("pi_test".into()),
            amount_minor: Set(2000),
            currency: Set("eur".into()),
            idempotency_key: Set("refund-kept".into()),
            reason: Set("changed plans".into()),
            sent_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec_with_returning(&app.db)
        .await
        .expect("refund");
        assert_eq!(
            seen(&["Refunds"]).await.0,
            ["0"],
            "a refund counts once sent"
        );
        let mut sent = refund.into_active_model();
        sent.sent_at = Set(Some(Utc::now()));
        sent.update(&app.db).await.expect("sent");
        entity::registration::Entity::delete_many()
            .filter(entity::registration::Column::Status.eq("waitlisted"))
            .exec(&app.db)
            .await
            .expect("delete");
        let expected = ["14", "0", "2", "1", "0", "20.00 EUR", "20.00 EUR"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            seen(LABELS).await.0,
            expected,
            "changes read before folding"
        );
        fold(&app.db).await.expect("fold");
        assert_eq!(seen(LABELS).await.0, expected, "and after");

        // page views swept when old keep their figures
        entity::event_view::Entity::delete_many()
            .exec(&app.db)
            .await
            .expect("sweep");
        assert_eq!(seen(&["Page views"]).await.0, ["14"]);
    }
);
