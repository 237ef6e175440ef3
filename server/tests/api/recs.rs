//! Recommendations over HTTP: saving and the Saved list, friends seeing saves by the attendance
//! rule, "Not interested", the exclusions and diversity rules of "For you", reasons on every
//! card, trending's minimum of distinct people, batched views and impressions per variant, and
//! the offline evaluation on the demo data.
use std::collections::HashMap;

use chrono::{Duration, Utc};
use reqwest::{header, Client};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{
    helpers::{refused, spawn_app, Backend, TestApp},
    social::{act, befriend, person},
    storage_test,
    ticketing::{free_event, rsvp, Setup},
};
use app::{
    domain::recs::{catalog::Slot, diversity, evaluate, experiments, for_you, rank, signals},
    model::{language::Locale, recs::ForYou},
};

const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

async fn recs_act(app: &TestApp, browser: &Client, event: i32, action: &str) -> reqwest::Response {
    app.post_form(
        browser,
        "/api/recs/act",
        &[("event", &event.to_string()), ("action", action)],
    )
    .await
}

/// The list as a script sees it.
async fn for_you_of(app: &TestApp, browser: &Client) -> ForYou {
    let response = browser
        .post(app.url("/api/recs/for_you"))
        .send()
        .await
        .expect("for you");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a list")
}

/// The engines read everything again (the server does this in the background a moment after a
/// change).
async fn refresh(app: &TestApp) {
    app.outbox_delivered().await;
    app.state
        .recs
        .reload(&app.db, app.state.changes.current(), true)
        .await
        .expect("reload");
}

struct Catalogue {
    organizer: Client,
    curator: Client,
}

impl Catalogue {
    async fn new(app: &TestApp) -> Catalogue {
        Catalogue {
            organizer: app.browser_as("org@example.com", "organizer").await,
            curator: app.browser_as("curator@example.com", "curator").await,
        }
    }

    /// A published event of `category` starting `day` days after tomorrow at `hour` (Berlin):
    /// lists look a few weeks ahead.
    async fn event(&self, app: &TestApp, title: &str, category: &str, day: u32, hour: u32) -> i32 {
        let date = (Utc::now() + Duration::days(i64::from(day) + 1)).format("%Y-%m-%d");
        let starts = format!("{date}T{hour:02}:00");
        let ends = format!("{date}T{:02}:30", hour + 2);
        app.published_event(
            &self.organizer,
            &self.curator,
            &[
                ("title", title),
                ("category", category),
                ("tags", category),
                ("starts_at", &starts),
                ("ends_at", &ends),
            ],
        )
        .await
    }
}

impl Catalogue {
    /// A published free event with `capacity` seats, as ticketing's tests set one up.
    async fn setup(&self, app: &TestApp, title: &str, capacity: &str) -> Setup {
        let date = (Utc::now() + Duration::days(3)).format("%Y-%m-%d");
        let (soon, soon_end) = (format!("{date}T18:00"), format!("{date}T20:00"));
        let event_id = app
            .published_event(
                &self.organizer,
                &self.curator,
                &[
                    ("title", title),
                    ("capacity", capacity),
                    ("category", "family"),
                    ("starts_at", &soon),
                    ("ends_at", &soon_end),
                ],
            )
            .await;
        let ticket_type = entity::ticket_type::Entity::find()
            .filter(entity::ticket_type::Column::EventId.eq(event_id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a ticket type")
            .id;
        Setup {
            organizer: self.organizer.clone(),
            event_id,
            ticket_type,
        }
    }
}

fn ids(list: &ForYou) -> Vec<i32> {
    list.cards.iter().map(|c| c.id).collect()
}

storage_test!(
    a_saved_event_is_listed_under_saved_and_friends_see_it_by_the_attendance_rule,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let event = setup.event_id;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let (carl, _) = person(&app, "carl@example.com", "Carl Costa").await;
        befriend(&app, (&ana, ana_id), (&ben, ben_id)).await;

        let saved = recs_act(&app, &ana, event, "save").await;
        assert_eq!(saved.status(), 302);
        assert!(!refused(&saved));
        assert!(
            !refused(&recs_act(&app, &ana, event, "save").await),
            "saving twice is fine"
        );
        let rows = entity::saved_event::Entity::find()
            .filter(entity::saved_event::Column::UserId.eq(ana_id))
            .all(&app.db)
            .await
            .expect("saves");
        assert_eq!(rows.len(), 1, "one row however often it is saved");
        let page = app.page_as(&ana, "/saved").await;
        assert!(page.contains("Jazz by the Water"), "listed under Saved");
        assert!(
            page.contains(r#"aria-pressed="true""#),
            "the card says it is saved"
        );

        app.outbox_delivered().await;
        let event_page = format!("/events/{event}");
        assert!(app
            .page_as(&ben, &event_page)
            .await
            .contains("1 friend is interested"));
        // "For you" counts the same friends' plans
        let plans_of = |me: i32| {
            let app = &app;
            async move {
                refresh(app).await;
                let snapshot = app
                    .state
                    .recs
                    .current(&app.db, &app.state.changes)
                    .await
                    .expect("snapshot");
                let (_, sharing) = for_you::ties(app.state.graph.as_ref(), me)
                    .await
                    .expect("ties");
                snapshot.plans.of(&sharing)
            }
        };
        assert_eq!(plans_of(ben_id).await.get(&event), Some(&(0, 1)));
        rsvp(&app, &ana, &setup, "1").await;
        app.outbox_delivered().await;
        assert_eq!(
            plans_of(ben_id).await.get(&event),
            Some(&(1, 1)),
            "going and saved"
        );
        assert!(
            !app.page_as(&carl, &event_page)
                .await
                .contains("is interested"),
            "not a friend"
        );

        // Ana keeps her plans to herself: Ben no longer sees her save
        let private = app
            .post_form(
                &ana,
                "/api/social/privacy/save",
                &[("attendance", "private"), ("profile", "public")],
            )
            .await;
        assert!(!refused(&private));
        app.outbox_delivered().await;
        assert!(!app
            .page_as(&ben, &event_page)
            .await
            .contains("is interested"));
        assert_eq!(
            plans_of(ben_id).await.get(&event),
            None,
            "nor in his recommendations"
        );
        app.post_form(
            &ana,
            "/api/social/privacy/save",
            &[("attendance", "friends"), ("profile", "public")],
        )
        .await;
        app.outbox_delivered().await;
        assert!(app
            .page_as(&ben, &event_page)
            .await
            .contains("1 friend is interested"));

        // taken back: gone from Saved and from the graph
        assert!(!refused(&recs_act(&app, &ana, event, "unsave").await));
        app.outbox_delivered().await;
        assert!(!app
            .page_as(&ana, "/saved")
            .await
            .contains("Jazz by the Water"));
        assert!(!app
            .page_as(&ben, &event_page)
            .await
            .contains("is interested"));

        // refusals change nothing
        let script = app.other_browser();
        let anonymous = script
            .post(app.url("/api/recs/act"))
            .form(&[("event", event.to_string()), ("action", "save".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
        let unknown = ana
            .post(app.url("/api/recs/act"))
            .form(&[("event", "999999".to_owned()), ("action", "save".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
        let nonsense = ana
            .post(app.url("/api/recs/act"))
            .form(&[("event", event.to_string()), ("action", "adore".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(nonsense.status(), 422);
        let live = entity::saved_event::Entity::find()
            .filter(entity::saved_event::Column::RemovedAt.is_null())
            .all(&app.db)
            .await
            .unwrap();
        assert!(live.is_empty(), "{live:?}");
    }
);

storage_test!(
    for_you_keeps_the_diversity_rules_explains_every_card_and_honours_not_interested,
    |app: TestApp| async move {
        let catalogue = Catalogue::new(&app).await;
        let mut made = Vec::new();
        // many music evenings, and a few of other kinds at other times
        for day in 0..8 {
            made.push(
                catalogue
                    .event(&app, &format!("Music night {day}"), "music", day, 20)
                    .await,
            );
        }
        for (i, category) in ["arts", "tech", "sports", "wellness"]
            .into_iter()
            .enumerate()
        {
            let day = i as u32;
            made.push(
                catalogue
                    .event(&app, &format!("{category} morning"), category, day, 9)
                    .await,
            );
            made.push(
                catalogue
                    .event(
                        &app,
                        &format!("{category} afternoon"),
                        category,
                        day + 10,
                        14,
                    )
                    .await,
            );
        }
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        refresh(&app).await;

        let list = for_you_of(&app, &ana).await;
        assert!(list.cards.len() >= 6, "{:?}", ids(&list));
        assert!(
            list.cards
                .iter()
                .all(|c| c.reason.as_deref().is_some_and(|r| !r.is_empty())),
            "a reason on every card"
        );
        let events: HashMap<i32, entity::event::Model> = entity::event::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let items: Vec<app::domain::recs::catalog::Item> = ids(&list)
            .iter()
            .map(|id| {
                let e = &events[id];
                app::domain::recs::catalog::Item {
                    id: e.id,
                    organizer: e.organizer_id,
                    title: e.title.clone(),
                    category: e.category.clone(),
                    tags: vec![],
                    starts_at: e.starts_at,
                    ends_at: e.ends_at,
                    slot: Slot::of(e.starts_at, chrono_tz::Europe::Berlin),
                    point: None,
                    price_minor: 0,
                    full: false,
                    waitlist: false,
                    quality: 0.5,
                    published_at: e.published_at,
                }
            })
            .collect();
        let refs: Vec<&app::domain::recs::catalog::Item> = items.iter().collect();
        assert!(
            diversity::keeps_rules(&refs),
            "{:?}",
            items
                .iter()
                .map(|i| (&i.category, i.slot))
                .collect::<Vec<_>>()
        );

        // "Not interested": gone from the list, and music weighs less
        let dismissed = list.cards[0].id;
        assert!(!refused(&recs_act(&app, &ana, dismissed, "dismiss").await));
        let after = for_you_of(&app, &ana).await;
        assert!(
            !ids(&after).contains(&dismissed),
            "dismissed event left the list"
        );
        assert_eq!(
            entity::event_dismissal::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .len(),
            1
        );
        // the page shows the list with its reasons and buttons
        let page = app.page_as(&ana, "/for-you").await;
        assert!(page.contains("card-reason"));
        assert!(page.contains("Not interested"));
        assert!(page.contains("?via=recs"));
    }
);

storage_test!(
    for_you_leaves_out_tickets_held_full_events_and_blocked_organizers,
    |app: TestApp| async move {
        let catalogue = Catalogue::new(&app).await;
        for (i, category) in ["music", "arts", "tech", "sports", "wellness", "community"]
            .into_iter()
            .enumerate()
        {
            let day = i as u32;
            catalogue
                .event(&app, &format!("{category} evening"), category, day, 19)
                .await;
            catalogue
                .event(&app, &format!("{category} morning"), category, day + 8, 10)
                .await;
        }
        let held = catalogue.setup(&app, "Ana's ticket", "50").await;
        let full = catalogue.setup(&app, "Sold out", "1").await;
        // no waitlist to join once it is full
        entity::ticket_type::Entity::update_many()
            .col_expr(
                entity::ticket_type::Column::Waitlist,
                sea_orm::sea_query::Expr::value(false),
            )
            .filter(entity::ticket_type::Column::Id.eq(full.ticket_type))
            .exec(&app.db)
            .await
            .unwrap();
        let other = app.browser_as("org2@example.com", "organizer").await;
        let date = (Utc::now() + Duration::days(4)).format("%Y-%m-%d");
        let (soon, soon_end) = (format!("{date}T12:00"), format!("{date}T14:00"));
        let blocked_event = app
            .published_event(
                &other,
                &catalogue.curator,
                &[
                    ("title", "By someone blocked"),
                    ("category", "arts"),
                    ("starts_at", &soon),
                    ("ends_at", &soon_end),
                ],
            )
            .await;
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, _) = person(&app, "ben@example.com", "Ben Brito").await;
        rsvp(&app, &ana, &held, "1").await;
        rsvp(&app, &ben, &full, "1").await;
        let org2 = app.user("org2@example.com").await.id;
        assert!(!refused(&act(&app, &ana, org2, "block").await));
        refresh(&app).await;

        let list = ids(&for_you_of(&app, &ana).await);
        assert!(!list.is_empty());
        assert!(!list.contains(&held.event_id), "a ticket held");
        assert!(!list.contains(&full.event_id), "full without a waitlist");
        assert!(!list.contains(&blocked_event), "a blocked organizer");
        // the block is Ana's: the same event may be shown to Ben
        let now = Utc::now();
        let snapshot = app
            .state
            .recs
            .current(&app.db, &app.state.changes)
            .await
            .unwrap();
        let item = snapshot
            .catalog
            .get(blocked_event)
            .expect("in the catalog")
            .clone();
        let graph = app.state.graph.as_ref();
        let as_ana = for_you::person(
            &app.db,
            graph,
            &snapshot,
            &app.user("ana@example.com").await,
            now,
        )
        .await
        .unwrap();
        let as_ben = for_you::person(
            &app.db,
            graph,
            &snapshot,
            &app.user("ben@example.com").await,
            now,
        )
        .await
        .unwrap();
        assert!(!rank::eligible(&as_ana, &item, now), "blocked for Ana");
        assert!(
            rank::eligible(&as_ben, &item, now),
            "others are not affected by Ana's block"
        );
    }
);

storage_test!(
    for_you_reasons_follow_what_you_saved,
    |app: TestApp| async move {
        let catalogue = Catalogue::new(&app).await;
        let fado = catalogue.event(&app, "Fado Night", "music", 0, 21).await;
        let guitar = catalogue
            .event(&app, "Guitar Evening", "music", 1, 20)
            .await;
        for (i, category) in ["arts", "tech", "sports", "food-drink", "wellness"]
            .into_iter()
            .enumerate()
        {
            catalogue
                .event(&app, &format!("{category} one"), category, i as u32 + 2, 10)
                .await;
            catalogue
                .event(&app, &format!("{category} two"), category, i as u32 + 3, 15)
                .await;
        }
        // three people who saved Fado Night also saved Guitar Evening
        for n in 0..3 {
            let (them, _) = person(&app, &format!("fan{n}@example.com"), &format!("Fan {n}")).await;
            recs_act(&app, &them, fado, "save").await;
            recs_act(&app, &them, guitar, "save").await;
        }
        let (ana, _) = person(&app, "ana@example.com", "Ana Alves").await;
        refresh(&app).await;
        let before = for_you_of(&app, &ana).await;
        assert!(
            before.cards.iter().all(|c| !c
                .reason
                .as_deref()
                .unwrap_or("")
                .starts_with("Because you saved")),
            "nothing saved yet"
        );

        assert!(!refused(&recs_act(&app, &ana, fado, "save").await));
        let after = for_you_of(&app, &ana).await;
        let card = after
            .cards
            .iter()
            .find(|c| c.id == guitar)
            .expect("Guitar Evening recommended");
        assert_eq!(card.reason.as_deref(), Some("Because you saved Fado Night"));
        assert!(
            !ids(&after).contains(&fado),
            "what you saved is not recommended back"
        );
    }
);

storage_test!(
    trending_needs_three_distinct_people_and_says_why,
    |app: TestApp| async move {
        let catalogue = Catalogue::new(&app).await;
        let two = catalogue.event(&app, "Two fans", "music", 0, 20).await;
        let three = catalogue.event(&app, "Three fans", "arts", 1, 20).await;
        let mut people = Vec::new();
        for n in 0..3 {
            people.push(
                person(&app, &format!("fan{n}@example.com"), &format!("Fan {n}"))
                    .await
                    .0,
            );
        }
        for (n, browser) in people.iter().enumerate() {
            recs_act(&app, browser, three, "save").await;
            if n < 2 {
                recs_act(&app, browser, two, "save").await;
            }
        }
        // one person viewing a hundred times does not make an event trend
        let fan = app.user("fan0@example.com").await.id;
        for _ in 0..100 {
            app.state
                .recs
                .signals
                .view(two, Some(fan), None, Utc::now());
        }
        app.state.recs.signals.flush(&app.db).await.expect("flush");
        refresh(&app).await;
        let snapshot = app
            .state
            .recs
            .current(&app.db, &app.state.changes)
            .await
            .unwrap();
        let cards = for_you::trending(&app.state, &snapshot, None, 8, Utc::now(), Locale::en)
            .await
            .unwrap();
        let found: Vec<i32> = cards.iter().map(|c| c.id).collect();
        assert_eq!(found, vec![three], "{cards:?}");
        assert_eq!(
            cards[0].reason.as_deref(),
            Some("3 people saved this today")
        );
    }
);

storage_test!(
    views_and_impressions_are_counted_in_batches_per_variant,
    |app: TestApp| async move {
        let catalogue = Catalogue::new(&app).await;
        let mut made = Vec::new();
        for (i, category) in ["music", "arts", "tech", "sports"].into_iter().enumerate() {
            made.push(
                catalogue
                    .event(&app, &format!("{category} evening"), category, i as u32, 19)
                    .await,
            );
            made.push(
                catalogue
                    .event(
                        &app,
                        &format!("{category} morning"),
                        category,
                        i as u32 + 5,
                        10,
                    )
                    .await,
            );
        }
        let event = made[0];
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let view = |browser: &Client, path: String, ua: &'static str| {
            let request = browser
                .get(app.url(&path))
                .header(header::ACCEPT, "text/html")
                .header(header::USER_AGENT, ua);
            async move { assert_eq!(request.send().await.unwrap().status(), 200) }
        };
        let stranger = app.other_browser();
        view(&stranger, format!("/events/{event}"), BROWSER).await;
        view(&stranger, format!("/events/{event}"), BROWSER).await;
        view(
            &stranger,
            format!("/events/{event}"),
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
        )
        .await;
        view(&catalogue.organizer, format!("/events/{event}"), BROWSER).await;
        view(&ana, format!("/events/{event}?via=recs"), BROWSER).await;
        assert!(
            entity::event_view::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .is_empty(),
            "nothing written per request"
        );

        refresh(&app).await;
        let list = for_you_of(&app, &ana).await;
        assert!(!list.cards.is_empty());
        let again = for_you_of(&app, &ana).await;
        assert_eq!(again.variant, list.variant, "the same ranker every time");
        assert_eq!(list.variant, experiments::assign(ana_id).name);
        app.state.recs.signals.flush(&app.db).await.expect("flush");

        let views: Vec<entity::event_view::Model> = entity::event_view::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        let by_person: HashMap<i32, i32> = views.iter().map(|v| (v.person_id, v.views)).collect();
        assert_eq!(
            by_person.get(&0),
            Some(&2),
            "two views by a browser not signed in, none by the bot"
        );
        assert_eq!(by_person.get(&ana_id), Some(&1));
        let organizer = app.user("org@example.com").await.id;
        assert!(
            !by_person.contains_key(&organizer),
            "the organizer's own view is not counted"
        );

        let impressions = entity::recs_impression::Entity::find()
            .filter(entity::recs_impression::Column::PersonId.eq(ana_id))
            .all(&app.db)
            .await
            .unwrap();
        assert!(impressions.iter().all(|i| i.variant == list.variant));
        let shown: i32 = impressions.iter().map(|i| i.shown).sum();
        assert_eq!(shown as usize, 2 * list.cards.len());
        let clicked = impressions
            .iter()
            .find(|i| i.event_id == event)
            .map(|i| i.clicked);
        assert_eq!(clicked, Some(1), "the click from a recommended card");

        // the admins' comparison
        let admin = app.browser_as("admin@example.com", "admin").await;
        let page = app.page_as(&admin, "/admin/recs").await;
        assert!(
            page.contains("blend") && page.contains("neighbours"),
            "both rankers listed"
        );
        assert!(
            page.contains(&format!("<td>{}</td>", 2 * list.cards.len())),
            "impressions counted"
        );
        let refused_page = ana
            .get(app.url("/admin/recs"))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(refused_page.status(), 403);

        // older than the retention limit: swept
        entity::event_view::Entity::insert(entity::event_view::ActiveModel {
            day: Set((Utc::now() - Duration::days(signals::RETENTION_DAYS + 1)).date_naive()),
            event_id: Set(event),
            person_id: Set(0),
            views: Set(5),
            ..Default::default()
        })
        .exec(&app.db)
        .await
        .unwrap();
        assert_eq!(signals::sweep(&app.db, Utc::now()).await.unwrap(), 1);
        assert_eq!(
            entity::event_view::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .len(),
            views.len()
        );
    }
);

/// The evaluation on the demo's history: the blend must beat popularity and item-to-item, and
/// every list it makes keeps the diversity rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_demo_the_blend_beats_popularity_and_item_to_item() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    server::cli::demo::seed(&app.db, Utc::now())
        .await
        .expect("demo")
        .expect("loaded");
    let data = evaluate::load(&app.db).await.expect("data");
    let split = evaluate::split(&data.interactions, evaluate::TRAIN_SHARE);
    let results = evaluate::evaluate(&data, &split);
    let of = |m: &str| results.iter().find(|r| r.method == m).expect(m).clone();
    let (blend, popularity, item) = (of("blend"), of("popularity"), of("item-to-item"));
    assert!(blend.people > 100, "{blend:?}");
    for baseline in [&popularity, &item] {
        assert!(blend.recall > baseline.recall, "{blend} vs {baseline}");
        assert!(blend.ndcg > baseline.ndcg, "{blend} vs {baseline}");
    }
    assert_eq!(blend.diverse, 1.0, "{blend}");

    let dir = tempfile::tempdir().unwrap();
    evaluate::export(dir.path(), &split).unwrap();
    let train = std::fs::read_to_string(dir.path().join("train.csv")).unwrap();
    assert!(train.starts_with("person,event,kind,time\n"));
    assert_eq!(train.lines().count(), split.train.len() + 1);
}
