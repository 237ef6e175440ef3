//! The curation lifecycle over HTTP: pre-screening, the queue, decisions and their races,
//! edits of published events, rollback, community flags, appeals, reviews and reputation.
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use app::domain::curation::reputation::REVIEW_POINTS_CAP;

use crate::{helpers::*, storage_test, ticketing::Setup};

const ORGANIZER: &str = "org@example.com";

async fn organizer_and_curator(app: &TestApp) -> reqwest::Client {
    let response = app.sign_up(&app.client, ORGANIZER, true).await;
    assert_eq!(response.status(), 302);
    app.verify_email(ORGANIZER).await;
    app.browser_as("curator@example.com", "curator").await
}

/// The event's first ticket type, to book it like the event page does.
async fn setup_of(app: &TestApp, event_id: i32) -> Setup {
    let ticket_type = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.eq(event_id))
        .order_by_asc(entity::ticket_type::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a ticket type")
        .id;
    Setup {
        organizer: app.client.clone(),
        event_id,
        ticket_type,
    }
}

async fn history(app: &TestApp, event_id: i32) -> Vec<(String, String, String)> {
    entity::event_transition::Entity::find()
        .filter(entity::event_transition::Column::EventId.eq(event_id))
        .order_by_asc(entity::event_transition::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.action, t.from_status, t.to_status))
        .collect()
}

fn step(action: &str, from: &str, to: &str) -> (String, String, String) {
    (action.into(), from.into(), to.into())
}

storage_test!(
    revision_requested_then_resubmitted_then_approved,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        assert_eq!(app.event(id).await.status, "submitted");

        // the queue shows it with its scores; the review screen explains them
        let queue = app.page_as(&curator, "/curation").await;
        assert!(queue.contains("Jazz by the Water"), "{queue}");
        let round = app.latest_round(id).await;
        assert_eq!(round.kind, "new");
        let review = app
            .page_as(&curator, &format!("/curation/submissions/{}", round.id))
            .await;
        for expected in [
            "Completeness",
            "Spam likelihood",
            "Duplicate risk",
            "Content quality",
            "No cover image",
            "0.30 × completeness",
            "Rules only: the learned model needs 20 curator decisions",
        ] {
            assert!(review.contains(expected), "review screen shows {expected}");
        }

        // a decision needs a note
        let response = app.decide(&curator, &round, "needs_revision", "").await;
        assert!(refused(&response));
        assert_eq!(app.event(id).await.status, "submitted");

        let response = app
            .decide(
                &curator,
                &round,
                "needs_revision",
                "Please describe the programme.",
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(location(&response), "/curation");
        assert_eq!(app.event(id).await.status, "needs_revision");

        // the organizer sees the note in the timeline, edits and resubmits
        let timeline = app.page(&format!("/events/{id}/history")).await;
        assert!(timeline.contains("Please describe the programme."));
        assert!(timeline.contains("Revision requested"));
        let response = app
            .post_multipart(
                &app.client,
                "/api/events/save",
                event_form(&[
                    ("id", &id.to_string()),
                    ("description", GOOD_DESCRIPTION),
                    ("intent", "submit"),
                ]),
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(app.event(id).await.status, "submitted");
        let second = app.latest_round(id).await;
        assert_ne!(second.id, round.id);
        assert!(
            second.quality > round.quality,
            "the longer description scores better"
        );

        let response = app
            .decide(&curator, &second, "approve", "Thanks, lovely listing.")
            .await;
        assert!(!refused(&response));
        let event = app.event(id).await;
        assert_eq!(event.status, "published");
        assert!(event.published_at.is_some());
        let visitor = app.other_browser();
        assert!(app
            .page_as(&visitor, "/")
            .await
            .contains("Jazz by the Water"));

        assert_eq!(
            history(&app, id).await,
            vec![
                step("create", "draft", "draft"),
                step("submit", "draft", "submitted"),
                step("claim", "submitted", "in_review"),
                step("request_revision", "in_review", "needs_revision"),
                step("submit", "needs_revision", "submitted"),
                step("claim", "submitted", "in_review"),
                step("approve", "in_review", "published"),
            ]
        );
        assert_eq!(
            app.user(ORGANIZER).await.reputation,
            5,
            "an approval earns reputation"
        );
    }
);

storage_test!(
    curation_is_for_curators_and_admins_only,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        let round = app.latest_round(id).await;
        let attendee = app.browser_as("attendee@example.com", "attendee").await;
        let anonymous = app.other_browser();
        let decide_fields = [
            ("id", round.id.to_string()),
            ("version", round.version.to_string()),
            ("decision", "approve".to_string()),
            ("note", "Approving this.".to_string()),
        ];
        for (who, browser, status) in [
            ("anonymous", &anonymous, 401),
            ("attendee", &attendee, 403),
            ("organizer", &app.client, 403),
        ] {
            for path in ["/api/curation/decide", "/api/curation/claim"] {
                let response = browser
                    .post(app.url(path))
                    .form(&decide_fields)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), status, "{who} {path}");
            }
            let response = browser
                .post(app.url("/api/curation/queue"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{who} queue");
            let page = browser
                .get(app.url(&format!("/curation/submissions/{}", round.id)))
                .header("accept", "text/html")
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), status, "{who} review page");
        }
        assert_eq!(app.event(id).await.status, "submitted", "nothing changed");

        // another organizer cannot see the history, cancel or appeal
        let other = app.browser_as("other@example.com", "organizer").await;
        let page = other
            .get(app.url(&format!("/events/{id}/history")))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 403);
        let response = other
            .post(app.url("/api/events/cancel"))
            .form(&[
                ("id", id.to_string()),
                ("reason", "Not mine but still".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);

        // an admin who organizes cannot decide their own event
        let admin = app.browser_as("admin@example.com", "admin").await;
        let own = app.create_event(&admin, &[("intent", "submit")]).await;
        let own_round = app.latest_round(own).await;
        let response = app
            .decide(&admin, &own_round, "approve", "Self-approval.")
            .await;
        assert!(refused(&response));
        assert_eq!(app.event(own).await.status, "submitted");
        // the curator can
        let response = app.decide(&curator, &own_round, "approve", "Fine.").await;
        assert!(!refused(&response));
    }
);

storage_test!(
    concurrent_decisions_on_one_submission_exactly_one_wins,
    |app: TestApp| async move {
        let first = organizer_and_curator(&app).await;
        let second = app.browser_as("curator2@example.com", "curator").await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        let round = app.latest_round(id).await;
        let post = |browser: reqwest::Client, decision: &'static str| {
            let url = app.url("/api/curation/decide");
            let fields = [
                ("id", round.id.to_string()),
                ("version", round.version.to_string()),
                ("decision", decision.to_string()),
                ("reason", "spam".to_string()),
                ("note", format!("Decided: {decision}")),
            ];
            async move {
                browser
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let (a, b) = tokio::join!(post(first, "approve"), post(second, "reject"));
        let wins = [a, b].iter().filter(|s| **s < 400).count();
        let refusals = [a, b].iter().filter(|s| **s == 422).count();
        assert_eq!(
            (wins, refusals),
            (1, 1),
            "one decision wins, the other is refused: {a} {b}"
        );
        let decided = app.latest_round(id).await;
        assert_eq!(decided.state, "decided");
        let status = app.event(id).await.status;
        match decided.decision.as_deref() {
            Some("approve") => assert_eq!(status, "published"),
            Some("reject") => assert_eq!(status, "rejected"),
            other => panic!("unexpected decision {other:?}"),
        }
        let decisions: Vec<_> = history(&app, id)
            .await
            .into_iter()
            .filter(|(a, _, _)| a == "approve" || a == "reject")
            .collect();
        assert_eq!(decisions.len(), 1, "exactly one decision recorded");
    }
);

storage_test!(
    a_decision_on_a_version_the_organizer_changed_is_refused,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        let seen = app.latest_round(id).await;
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[
                ("id", &id.to_string()),
                ("title", "Jazz by the Water, now with a choir"),
            ]),
        )
        .await;
        let rescreened = app.latest_round(id).await;
        assert_eq!(rescreened.id, seen.id);
        assert!(rescreened.version > seen.version);
        let response = app.decide(&curator, &seen, "approve", "Looks good.").await;
        assert!(refused(&response));
        let page = app.page_as(&curator, "/curation").await;
        assert!(page.contains("changed or was decided by someone else"));
        assert_eq!(app.event(id).await.status, "submitted");
    }
);

storage_test!(
    an_edit_of_a_published_event_waits_for_review_while_the_approved_version_stays_public,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.published_event(&app.client, &curator, &[]).await;
        let visitor = app.other_browser();
        let path = format!("/events/{id}");

        // a change of capacity applies at once
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[("id", &id.to_string()), ("capacity", "80")]),
        )
        .await;
        let event = app.event(id).await;
        assert_eq!((event.capacity, event.pending_revision), (80, None));

        // a new title waits for review; the public page keeps the approved one
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[
                ("id", &id.to_string()),
                ("capacity", "80"),
                ("title", "Jazz on the Roof"),
            ]),
        )
        .await;
        let event = app.event(id).await;
        assert_eq!(event.status, "published");
        assert_eq!(event.title, "Jazz by the Water");
        assert_eq!(event.pending_revision, Some(event.revision));
        assert!(app
            .page_as(&visitor, &path)
            .await
            .contains("Jazz by the Water"));
        assert!(!app
            .page_as(&visitor, &path)
            .await
            .contains("Jazz on the Roof"));
        // the organizer's form goes on from the pending version
        assert!(app
            .page(&format!("/events/{id}/edit"))
            .await
            .contains("Jazz on the Roof"));

        let round = app.latest_round(id).await;
        assert_eq!(round.kind, "edit");
        let review = app
            .page_as(&curator, &format!("/curation/submissions/{}", round.id))
            .await;
        assert!(review.contains("Changes to the published version"));
        assert!(review.contains("Jazz on the Roof"));

        let response = app
            .decide(&curator, &round, "approve", "New title is fine.")
            .await;
        assert!(!refused(&response));
        let event = app.event(id).await;
        assert_eq!(
            (event.title.as_str(), event.pending_revision),
            ("Jazz on the Roof", None)
        );
        assert!(app
            .page_as(&visitor, &path)
            .await
            .contains("Jazz on the Roof"));

        // a returned edit leaves the approved version in place
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[
                ("id", &id.to_string()),
                ("capacity", "80"),
                ("title", "Jazz in the Cellar"),
            ]),
        )
        .await;
        let round = app.latest_round(id).await;
        app.decide(&curator, &round, "reject", "The cellar is not a venue.")
            .await;
        let event = app.event(id).await;
        assert_eq!(
            (
                event.title.as_str(),
                event.status.as_str(),
                event.pending_revision
            ),
            ("Jazz on the Roof", "published", None)
        );
        let timeline = app.page(&format!("/events/{id}/history")).await;
        assert!(timeline.contains("The cellar is not a venue."));
    }
);

storage_test!(
    an_organizer_rolls_back_to_an_earlier_revision,
    |app: TestApp| async move {
        app.sign_up(&app.client, ORGANIZER, true).await;
        app.verify_email(ORGANIZER).await;
        let id = app.create_event(&app.client, &[]).await;
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[("id", &id.to_string()), ("title", "Second title")]),
        )
        .await;
        assert_eq!(app.event(id).await.title, "Second title");
        let page = app.page(&format!("/events/{id}/history")).await;
        assert!(page.contains("Roll back to revision 1"));
        assert!(page.contains("Second title"), "the diff shows the change");
        let response = app
            .post_form(
                &app.client,
                "/api/events/rollback",
                &[("id", &id.to_string()), ("revision", "1")],
            )
            .await;
        assert!(!refused(&response));
        let event = app.event(id).await;
        assert_eq!(
            (event.title.as_str(), event.revision),
            ("Jazz by the Water", 3)
        );
        // rolling back to what is already current is refused
        let response = app
            .post_form(
                &app.client,
                "/api/events/rollback",
                &[("id", &id.to_string()), ("revision", "3")],
            )
            .await;
        assert!(refused(&response));
        let response = app
            .post_form(
                &app.client,
                "/api/events/rollback",
                &[("id", &id.to_string()), ("revision", "99")],
            )
            .await;
        assert!(refused(&response));
        assert_eq!(app.event(id).await.revision, 3);
    }
);

storage_test!(
    weighted_flags_hide_an_event_and_the_rereview_decides,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.published_event(&app.client, &curator, &[]).await;
        let path = format!("/events/{id}");
        let visitor = app.other_browser();
        let flag = |text: &'static str| {
            [
                ("id", id.to_string()),
                ("reason", "misleading".to_string()),
                ("text", text.to_string()),
            ]
        };

        // the organizer cannot flag their own event; bad input changes nothing
        let response = app
            .post_form(
                &app.client,
                "/api/events/flag",
                &[
                    ("id", &id.to_string()),
                    ("reason", "spam"),
                    ("text", "My own event"),
                ],
            )
            .await;
        assert!(refused(&response));
        let first = app.established_account("f1@example.com").await;
        let response = app
            .post_form(
                &first,
                "/api/events/flag",
                &[
                    ("id", &id.to_string()),
                    ("reason", "nonsense"),
                    ("text", "Something is off"),
                ],
            )
            .await;
        assert!(refused(&response));

        // two established reporters (weight 1.15 each) are not enough
        for (n, browser) in [&first, &app.established_account("f2@example.com").await]
            .into_iter()
            .enumerate()
        {
            let response = browser
                .post(app.url("/api/events/flag"))
                .form(&flag("The venue denies it"))
                .send()
                .await
                .unwrap();
            assert!(response.status().as_u16() < 400, "flag {n}");
        }
        let again = first
            .post(app.url("/api/events/flag"))
            .form(&flag("Again"))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 422, "one flag per person");
        assert_eq!(
            visitor.get(app.url(&path)).send().await.unwrap().status(),
            200
        );

        // the third established reporter hides it: hidden, queued, and the organizer is told why
        let third = app.established_account("f3@example.com").await;
        third
            .post(app.url("/api/events/flag"))
            .form(&flag("Fake listing"))
            .send()
            .await
            .unwrap();
        let event = app.event(id).await;
        assert!(event.hidden_at.is_some());
        assert_eq!(
            visitor.get(app.url(&path)).send().await.unwrap().status(),
            404
        );
        assert!(!app
            .page_as(&visitor, "/")
            .await
            .contains("Jazz by the Water"));
        let mine = app.page(&format!("/events/{id}/history")).await;
        assert!(mine.contains("Hidden after 3 community reports"), "{mine}");
        let round = app.latest_round(id).await;
        assert_eq!(round.kind, "flagged");

        // the organizer appeals the hide, once
        let appeal = [
            ("submission_id", round.id.to_string()),
            ("text", "The venue confirmed the booking.".to_string()),
        ];
        let response = app
            .client
            .post(app.url("/api/events/appeal"))
            .form(&appeal)
            .send()
            .await
            .unwrap();
        assert!(response.status().as_u16() < 400);
        let response = app
            .client
            .post(app.url("/api/events/appeal"))
            .form(&appeal)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "once per decision");
        let round = app.latest_round(id).await;
        assert_eq!(
            round.appeal_text.as_deref(),
            Some("The venue confirmed the booking.")
        );

        // the curator dismisses the reports: public again, flaggers lose reputation
        let response = app
            .decide(
                &curator,
                &round,
                "approve",
                "Booking verified with the venue.",
            )
            .await;
        assert!(!refused(&response));
        assert!(app.event(id).await.hidden_at.is_none());
        assert_eq!(
            visitor.get(app.url(&path)).send().await.unwrap().status(),
            200
        );
        assert_eq!(app.user("f1@example.com").await.reputation, 3 - 2);
    }
);

storage_test!(
    upheld_flags_reward_the_reporters_and_cost_the_organizer,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.published_event(&app.client, &curator, &[]).await;
        let reporters = hide_with_established_reports(&app, id).await;
        let round = app.latest_round(id).await;
        let before = app.user(ORGANIZER).await.reputation;
        app.decide(&curator, &round, "reject", "Confirmed scam.")
            .await;
        assert_eq!(app.event(id).await.status, "rejected");
        assert_eq!(app.user(ORGANIZER).await.reputation, before - 15);
        for reporter in &reporters {
            assert_eq!(app.user(reporter).await.reputation, 3 + 3, "{reporter}");
        }
    }
);

storage_test!(
    an_appeal_against_a_rejection_goes_to_a_different_curator,
    |app: TestApp| async move {
        let first = organizer_and_curator(&app).await;
        let second = app.browser_as("curator2@example.com", "curator").await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        let round = app.latest_round(id).await;
        app.decide(&first, &round, "reject", "Not a real venue.")
            .await;
        assert_eq!(app.event(id).await.status, "rejected");
        assert_eq!(app.user(ORGANIZER).await.reputation, -10);

        // resubmitting a rejected event is refused; an appeal is the way back
        let response = app
            .post_form(
                &app.client,
                "/api/events/submit",
                &[("id", &id.to_string())],
            )
            .await;
        assert!(refused(&response));
        let history_page = app.page(&format!("/events/{id}/history")).await;
        assert!(history_page.contains("Appeal the rejection"));
        let response = app
            .post_form(
                &app.client,
                "/api/events/appeal",
                &[
                    ("submission_id", &round.id.to_string()),
                    ("text", "It is the old tram depot, open since May."),
                ],
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(app.event(id).await.status, "submitted");
        let appeal_round = app.latest_round(id).await;
        assert_eq!(appeal_round.kind, "appeal");

        let link = format!("/curation/submissions/{}", appeal_round.id);
        assert!(
            !app.page_as(&first, "/curation").await.contains(&link),
            "hidden from the first curator"
        );
        let response = app
            .decide(&first, &appeal_round, "reject", "Still no.")
            .await;
        assert!(refused(&response));
        assert!(app.page_as(&second, "/curation").await.contains(&link));
        let response = app
            .decide(
                &second,
                &appeal_round,
                "approve",
                "Checked: the depot hosts events now.",
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(app.event(id).await.status, "published");

        // the same decision cannot be appealed twice
        let response = app
            .post_form(
                &app.client,
                "/api/events/appeal",
                &[
                    ("submission_id", &round.id.to_string()),
                    ("text", "Once more please."),
                ],
            )
            .await;
        assert!(refused(&response));
    }
);

storage_test!(
    cancelling_shows_the_reason_and_illegal_moves_are_refused,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let draft = app.create_event(&app.client, &[]).await;
        // a draft is not announced: nothing to cancel
        let response = app
            .post_form(
                &app.client,
                "/api/events/cancel",
                &[("id", &draft.to_string()), ("reason", "Changed my mind")],
            )
            .await;
        assert!(refused(&response));
        assert_eq!(app.event(draft).await.status, "draft");

        let id = app.published_event(&app.client, &curator, &[]).await;
        // submitting a published event is refused with the reason
        let response = app
            .client
            .post(app.url("/api/events/submit"))
            .form(&[("id", id.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("cannot be submitted for review"));
        // a reason is required
        let response = app
            .post_form(
                &app.client,
                "/api/events/cancel",
                &[("id", &id.to_string()), ("reason", "")],
            )
            .await;
        assert!(refused(&response));
        let response = app
            .post_form(
                &app.client,
                "/api/events/cancel",
                &[("id", &id.to_string()), ("reason", "The band is ill.")],
            )
            .await;
        assert!(!refused(&response));
        let event = app.event(id).await;
        assert_eq!(event.status, "cancelled");
        let visitor = app.other_browser();
        let page = app.page_as(&visitor, &format!("/events/{id}")).await;
        assert!(page.contains("Cancelled: The band is ill."));
        assert!(!app
            .page_as(&visitor, "/")
            .await
            .contains("Jazz by the Water"));
        // cancelled is final
        let response = app
            .post_multipart(
                &app.client,
                "/api/events/save",
                event_form(&[("id", &id.to_string()), ("title", "Back on")]),
            )
            .await;
        assert!(refused(&response));
        assert_eq!(app.event(id).await.title, "Jazz by the Water");
    }
);

storage_test!(
    ticket_holders_review_after_the_end_once,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.published_event(&app.client, &curator, &[]).await;
        let setup = setup_of(&app, id).await;
        let holder = app.established_account("holder@example.com").await;
        crate::ticketing::rsvp(&app, &holder, &setup, "1").await;
        let stranger = app.established_account("stranger@example.com").await;
        let review = |rating: &'static str| {
            [
                ("id", id.to_string()),
                ("rating", rating.to_string()),
                ("text", "Great night".to_string()),
            ]
        };
        let post = |browser: &reqwest::Client, rating: &'static str| {
            browser
                .post(app.url("/api/events/review"))
                .form(&review(rating))
                .send()
        };

        assert_eq!(
            post(&holder, "5").await.unwrap().status(),
            422,
            "not before the end"
        );
        app.end_event(id).await;
        assert_eq!(app.event(id).await.status, "completed");

        assert_eq!(
            post(&stranger, "5").await.unwrap().status(),
            422,
            "only people who held a ticket"
        );
        assert_eq!(
            post(&holder, "6").await.unwrap().status(),
            422,
            "1 to 5 stars"
        );
        assert!(post(&holder, "5").await.unwrap().status().as_u16() < 400);
        assert_eq!(
            post(&holder, "4").await.unwrap().status(),
            422,
            "one review per person"
        );

        let page = app
            .page_as(&app.other_browser(), &format!("/events/{id}"))
            .await;
        assert!(page.contains("★ 5.0 (1 review)"), "event aggregate");
        assert!(page.contains("across their events"), "organizer aggregate");
        assert_eq!(app.user(ORGANIZER).await.reputation, 5 + 2);
    }
);

storage_test!(
    throwaway_accounts_neither_hide_an_event_nor_lift_its_organizer,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let id = app.published_event(&app.client, &curator, &[]).await;
        let setup = setup_of(&app, id).await;
        let approved = app.user(ORGANIZER).await.reputation;

        // ten new accounts with confirmed addresses, each holding a ticket, all report it
        let mut throwaways = Vec::new();
        for n in 0..10 {
            let browser = app
                .browser_as(&format!("throwaway{n}@example.com"), "attendee")
                .await;
            crate::ticketing::rsvp(&app, &browser, &setup, "1").await;
            let response = app
                .post_form(
                    &browser,
                    "/api/events/flag",
                    &[
                        ("id", &id.to_string()),
                        ("reason", "spam"),
                        ("text", "This is a pyramid scheme"),
                    ],
                )
                .await;
            assert!(!refused(&response));
            throwaways.push(browser);
        }
        assert!(app.event(id).await.hidden_at.is_none(), "still up");
        assert_eq!(
            app.other_browser()
                .get(app.url(&format!("/events/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );

        // six established attendees hold tickets too
        let mut regulars = Vec::new();
        for n in 0..6 {
            let browser = app
                .established_account(&format!("regular{n}@example.com"))
                .await;
            crate::ticketing::rsvp(&app, &browser, &setup, "1").await;
            regulars.push(browser);
        }

        // after the event all sixteen give five stars: every review shows, but the throwaways'
        // move nothing and the regulars' stop at the cap
        app.end_event(id).await;
        for browser in throwaways.iter().chain(&regulars) {
            let response = app
                .post_form(
                    browser,
                    "/api/events/review",
                    &[
                        ("id", &id.to_string()),
                        ("rating", "5"),
                        ("text", "Best night ever"),
                    ],
                )
                .await;
            assert!(!refused(&response));
        }
        let page = app.page(&format!("/events/{id}")).await;
        assert!(page.contains("★ 5.0 (16 reviews)"), "all shown");
        let organizer = app.user(ORGANIZER).await.reputation;
        assert_eq!(organizer, approved + REVIEW_POINTS_CAP);
        assert!(organizer < server::config::DEFAULT_FAST_TRACK_REPUTATION);

        // three established reporters still hide a real scam
        let scam = app
            .published_event(&app.client, &curator, &[("title", "Crypto Riches Night")])
            .await;
        for (n, browser) in regulars.iter().take(3).enumerate() {
            assert!(
                app.event(scam).await.hidden_at.is_none(),
                "not before the third"
            );
            let response = app
                .post_form(
                    browser,
                    "/api/events/flag",
                    &[
                        ("id", &scam.to_string()),
                        ("reason", "spam"),
                        ("text", &format!("Asked me for my wallet seed ({n})")),
                    ],
                )
                .await;
            assert!(!refused(&response));
        }
        assert!(app.event(scam).await.hidden_at.is_some());
    }
);

storage_test!(
    trusted_organizers_are_fast_tracked_only_when_risk_is_low,
    |app: TestApp| async move {
        app.sign_up(&app.client, ORGANIZER, true).await;
        app.verify_email(ORGANIZER).await;
        app.set_reputation(ORGANIZER, 100).await;
        let cover = reqwest::multipart::Part::bytes(TINY_PNG.to_vec()).file_name("c.png");
        let response = app
            .post_multipart(
                &app.client,
                "/api/events/save",
                event_form(&[("description", GOOD_DESCRIPTION), ("intent", "submit")])
                    .part("cover", cover),
            )
            .await;
        let good: i32 = location(&response)
            .trim_start_matches("/events/")
            .parse()
            .unwrap();
        let round = app.latest_round(good).await;
        assert_eq!(
            round.recommendation, "fast_track",
            "overall {}",
            round.overall
        );
        assert_eq!(app.event(good).await.status, "published");
        assert_eq!(round.decision.as_deref(), Some("approve"));

        let spam = app
            .create_event(
                &app.client,
                &[
                    ("title", "EARN $5000 A WEEK!!!"),
                    ("starts_at", "2031-07-01T19:00"),
                    ("ends_at", "2031-07-01T22:00"),
                    ("description", "Guaranteed passive income!!! DM me on whatsapp https://x.example https://y.example https://z.example crypto forex"),
                    ("intent", "submit"),
                ],
            )
            .await;
        let round = app.latest_round(spam).await;
        assert_eq!(round.recommendation, "likely_reject");
        assert_eq!(
            app.event(spam).await.status,
            "submitted",
            "never auto-published"
        );
    }
);

storage_test!(
    a_copied_event_is_flagged_as_a_duplicate_of_its_original,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let original = app
            .published_event(&app.client, &curator, &[("description", GOOD_DESCRIPTION)])
            .await;
        let copier = app.browser_as("copier@example.com", "organizer").await;
        let copy = app
            .create_event(
                &copier,
                &[("description", GOOD_DESCRIPTION), ("intent", "submit")],
            )
            .await;
        let round = app.latest_round(copy).await;
        assert_eq!(round.duplicate_of, Some(original));
        assert!(round.duplicate >= 0.7, "duplicate risk {}", round.duplicate);
        assert_eq!(round.recommendation, "likely_reject");
        let review = app
            .page_as(&curator, &format!("/curation/submissions/{}", round.id))
            .await;
        assert!(review.contains("Suspected duplicate"));
    }
);

storage_test!(
    a_copy_months_later_is_found_through_its_signature_among_a_crowded_day,
    |app: TestApp| async move {
        use app::domain::curation::screening::MAX_CANDIDATES;
        use sea_orm::{ActiveValue::NotSet, Set};
        let curator = organizer_and_curator(&app).await;
        let original = app
            .published_event(&app.client, &curator, &[("description", GOOD_DESCRIPTION)])
            .await;
        // more public events than are compared by time fill the day the copy is on
        let model = app.event(original).await;
        let day = chrono::DateTime::parse_from_rfc3339("2031-09-01T17:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let crowd: Vec<entity::event::ActiveModel> = (0..MAX_CANDIDATES + 20)
            .map(|n| {
                let mut row: entity::event::ActiveModel = model.clone().into();
                row.id = NotSet;
                row.title = Set(format!("Neighbourhood meetup number {n}"));
                row.description_md = Set(format!("Meet the people of block {n} over tea {n}."));
                row.starts_at = Set(day + chrono::Duration::minutes(n as i64));
                row.ends_at = Set(day + chrono::Duration::minutes(n as i64 + 90));
                row
            })
            .collect();
        entity::event::Entity::insert_many(crowd)
            .exec(&app.db)
            .await
            .unwrap();
        let copier = app.browser_as("copier@example.com", "organizer").await;
        let copy = app
            .create_event(
                &copier,
                &[
                    ("description", GOOD_DESCRIPTION),
                    ("starts_at", "2031-09-01T19:00"),
                    ("ends_at", "2031-09-01T22:00"),
                    ("venue_name", "Elsewhere"),
                    ("latitude", "48.1"),
                    ("longitude", "11.5"),
                    ("intent", "submit"),
                ],
            )
            .await;
        let round = app.latest_round(copy).await;
        assert_eq!(round.duplicate_of, Some(original), "three months apart");
        assert!(round.duplicate >= 0.5, "duplicate risk {}", round.duplicate);
    }
);

storage_test!(
    the_queue_comes_in_pages_of_fifty,
    |app: TestApp| async move {
        use app::domain::curation::queue::PAGE;
        let curator = organizer_and_curator(&app).await;
        for n in 0..PAGE + 5 {
            let day = 1 + n % 28;
            app.create_event(
                &app.client,
                &[
                    ("title", &format!("Submission number {n}")),
                    ("starts_at", &format!("2031-07-{day:02}T19:00")),
                    ("ends_at", &format!("2031-07-{day:02}T21:00")),
                    ("intent", "submit"),
                ],
            )
            .await;
        }
        let rows = |page: &str| page.matches("/curation/submissions/").count();
        let first = app.page_as(&curator, "/curation").await;
        assert_eq!(rows(&first), PAGE);
        assert!(first.contains("<dd>55</dd>"), "the whole queue is counted");
        assert!(
            first.contains("href=\"/curation?page=1\""),
            "a link to the rest"
        );
        let second = app.page_as(&curator, "/curation?page=1").await;
        assert_eq!(rows(&second), 5);
        assert!(!second.contains("More submissions"));
        // a filter keeps its place on the next page
        let filtered = app
            .page_as(&curator, "/curation?kind=new&category=music")
            .await;
        assert!(filtered.contains("href=\"/curation?page=1&amp;kind=new&amp;category=music\""));
    }
);

storage_test!(
    batch_decisions_apply_to_each_and_report_what_was_skipped,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        let a = app.create_event(&app.client, &[("intent", "submit")]).await;
        let b = app
            .create_event(
                &app.client,
                &[
                    ("intent", "submit"),
                    ("title", "Second event"),
                    ("starts_at", "2031-08-01T19:00"),
                    ("ends_at", "2031-08-01T21:00"),
                ],
            )
            .await;
        let (ra, rb) = (app.latest_round(a).await, app.latest_round(b).await);
        let form = reqwest::multipart::Form::new()
            .text("decision", "approve")
            .text("note", "Both fine.")
            .text("items", format!("{}:{}", ra.id, ra.version))
            .text("items", format!("{}:{}", rb.id, rb.version + 7));
        let response = app
            .post_multipart(&curator, "/api/curation/batch", form)
            .await;
        assert!(!refused(&response));
        assert_eq!(app.event(a).await.status, "published");
        assert_eq!(
            app.event(b).await.status,
            "submitted",
            "a stale version is skipped"
        );
        let queue = app.page_as(&curator, "/curation").await;
        assert!(queue.contains("Approved 1; skipped 1"), "{queue}");
        assert!(queue.contains("Approval rate"));
        // an empty selection is refused
        let form = reqwest::multipart::Form::new()
            .text("decision", "approve")
            .text("note", "Nothing.");
        assert!(refused(
            &app.post_multipart(&curator, "/api/curation/batch", form)
                .await
        ));
    }
);

storage_test!(
    a_claimed_submission_is_left_to_its_curator_until_released,
    |app: TestApp| async move {
        let first = organizer_and_curator(&app).await;
        let second = app.browser_as("curator2@example.com", "curator").await;
        let id = app.create_event(&app.client, &[("intent", "submit")]).await;
        let round = app.latest_round(id).await;
        let fields = |r: &entity::submission::Model| {
            [("id", r.id.to_string()), ("version", r.version.to_string())]
        };
        let response = app
            .post_form(
                &first,
                "/api/curation/claim",
                &[
                    ("id", &round.id.to_string()),
                    ("version", &round.version.to_string()),
                ],
            )
            .await;
        assert!(!refused(&response));
        assert_eq!(app.event(id).await.status, "in_review");
        let claimed = app.latest_round(id).await;
        assert!(app
            .page_as(&second, "/curation")
            .await
            .contains("In review by"));

        // the other curator can neither decide nor release it
        assert!(refused(
            &app.decide(&second, &claimed, "approve", "Mine now.").await
        ));
        let response = second
            .post(app.url("/api/curation/release"))
            .form(&fields(&claimed))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);

        let response = first
            .post(app.url("/api/curation/release"))
            .form(&fields(&claimed))
            .send()
            .await
            .unwrap();
        assert!(response.status().as_u16() < 400);
        assert_eq!(app.event(id).await.status, "submitted");
        let released = app.latest_round(id).await;
        assert_eq!(
            (released.state.as_str(), released.assignee_id),
            ("pending", None)
        );
        assert!(!refused(
            &app.decide(&second, &released, "approve", "Fine by me.")
                .await
        ));
        assert_eq!(app.event(id).await.status, "published");
        assert_eq!(
            history(&app, id).await,
            vec![
                step("create", "draft", "draft"),
                step("submit", "draft", "submitted"),
                step("claim", "submitted", "in_review"),
                step("release", "in_review", "submitted"),
                step("claim", "submitted", "in_review"),
                step("approve", "in_review", "published"),
            ]
        );
    }
);

storage_test!(
    a_hide_and_the_rejection_after_it_are_appealed_separately_and_an_appeal_is_final,
    |app: TestApp| async move {
        let first = organizer_and_curator(&app).await;
        let second = app.browser_as("curator2@example.com", "curator").await;
        let id = app.published_event(&app.client, &first, &[]).await;
        hide_with_established_reports(&app, id).await;
        let flagged = app.latest_round(id).await;
        assert_eq!(flagged.kind, "flagged");
        let appeal = |round: i32, text: &str| {
            let fields = [
                ("submission_id", round.to_string()),
                ("text", text.to_string()),
            ];
            let client = app.client.clone();
            let url = app.url("/api/events/appeal");
            async move {
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert!(
            appeal(flagged.id, "It is a real concert.").await < 400,
            "the hide is appealed"
        );
        let flagged = app.latest_round(id).await;
        app.decide(&first, &flagged, "reject", "Reports confirmed.")
            .await;
        assert_eq!(app.event(id).await.status, "rejected");
        // the rejection is a new decision: it can be appealed once more
        assert!(appeal(flagged.id, "Here is the venue contract.").await < 400);
        let appeal_round = app.latest_round(id).await;
        assert_eq!(
            (appeal_round.kind.as_str(), appeal_round.excluded_curator_id),
            ("appeal", Some(app.user("curator@example.com").await.id))
        );
        app.decide(&second, &appeal_round, "reject", "Still a scam.")
            .await;
        assert_eq!(
            appeal(appeal_round.id, "Please look again.").await,
            422,
            "an appeal's decision is final"
        );
    }
);

storage_test!(
    what_curators_sent_back_stays_out_of_public_and_off_the_fast_track,
    |app: TestApp| async move {
        let curator = organizer_and_curator(&app).await;
        // a published event sent back for revision after reports, then cancelled: not public
        let id = app.published_event(&app.client, &curator, &[]).await;
        hide_with_established_reports(&app, id).await;
        let round = app.latest_round(id).await;
        app.decide(&curator, &round, "needs_revision", "Fix the venue.")
            .await;
        app.post_form(
            &app.client,
            "/api/events/cancel",
            &[
                ("id", &id.to_string()),
                ("reason", "We give up on this one."),
            ],
        )
        .await;
        assert_eq!(app.event(id).await.status, "cancelled");
        let visitor = app.other_browser();
        assert_eq!(
            visitor
                .get(app.url(&format!("/events/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        // a trusted organizer's resubmission after a revision request waits for a curator
        let cover = reqwest::multipart::Part::bytes(TINY_PNG.to_vec()).file_name("c.png");
        let response = app
            .post_multipart(
                &app.client,
                "/api/events/save",
                event_form(&[
                    ("title", "Jazz at Noon"),
                    ("starts_at", "2031-09-01T12:00"),
                    ("ends_at", "2031-09-01T14:00"),
                    ("description", GOOD_DESCRIPTION),
                    ("intent", "submit"),
                ])
                .part("cover", cover),
            )
            .await;
        let second: i32 = location(&response)
            .trim_start_matches("/events/")
            .parse()
            .unwrap();
        let round = app.latest_round(second).await;
        app.decide(&curator, &round, "needs_revision", "Add the band's name.")
            .await;
        app.set_reputation(ORGANIZER, 100).await;
        // an established account: no "new account, many submissions" signal
        entity::user::Entity::update_many()
            .col_expr(
                entity::user::Column::CreatedAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::days(90)),
            )
            .filter(entity::user::Column::Email.eq(ORGANIZER))
            .exec(&app.db)
            .await
            .unwrap();
        app.state.changes.bump();
        app.post_form(
            &app.client,
            "/api/events/submit",
            &[("id", &second.to_string())],
        )
        .await;
        assert_eq!(app.latest_round(second).await.recommendation, "fast_track");
        assert_eq!(
            app.event(second).await.status,
            "submitted",
            "not fast-tracked"
        );

        // a new summary of a published event is reviewed before the public sees it
        let round = app.latest_round(second).await;
        app.decide(&curator, &round, "approve", "Good.").await;
        app.post_multipart(
            &app.client,
            "/api/events/save",
            event_form(&[
                ("id", &second.to_string()),
                ("title", "Jazz at Noon"),
                ("starts_at", "2031-09-01T12:00"),
                ("ends_at", "2031-09-01T14:00"),
                ("description", GOOD_DESCRIPTION),
                ("summary", "FREE BEER FOR ALL"),
            ]),
        )
        .await;
        let event = app.event(second).await;
        assert_eq!(event.summary, "Live jazz on the canal");
        assert!(event.pending_revision.is_some());
    }
);
