use crate::{helpers::*, storage_test};

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    assert_eq!(app.page("/healthz").await, "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["graph"], "ok");

    app.get("/").await;
    app.get("/events/999999").await;
    // not public: without a token configured the site does not serve them at all
    assert_eq!(app.get("/metrics").await.status(), 404);
    let mut app = app;
    app.config.metrics.token = Some("a-metrics-token-of-32-characters".into());
    let app = app.restart().await;
    app.get("/").await;
    app.get("/events/999999").await;
    assert_eq!(app.get("/metrics").await.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("a-metrics-token-of-32-characterz")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("a-metrics-token-of-32-characters")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("lineup_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("route=\"/events/{id}\",status=\"404\""),
        "{metrics}"
    );
    assert!(metrics.contains("lineup_http_request_duration_seconds_bucket"));

    // on a listener of its own (a private interface), without a token
    let routers = server::startup::routers(
        app.state.clone(),
        server::startup::leptos_options(&app.config),
        false,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = format!("http://{}/metrics", listener.local_addr().unwrap());
    tokio::spawn(server::startup::serve(listener, routers.metrics));
    let text = reqwest::get(&own).await.unwrap().text().await.unwrap();
    assert!(text.contains("lineup_outbox_pending"), "{text}");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let response = app.get("/").await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert!(headers.contains_key("x-request-id"));
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let nonce = csp_nonce(&response);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the header's nonce"
    );
    // the WebAssembly loads when the browser is idle, not with the page's stylesheet and images
    assert!(
        body.contains("<script type=\"module\" nonce=") && body.contains("requestIdleCallback"),
        "the islands' script is on the page"
    );
    assert!(
        !body.contains("rel=\"preload\"") && !body.contains("rel=\"modulepreload\""),
        "nothing is preloaded ahead of the page's own resources"
    );

    // a cached replay gets a fresh nonce, consistent between header and body
    let again = app.get("/").await;
    assert_eq!(again.headers()["x-lineup-cache"], "hit");
    let nonce2 = csp_nonce(&again);
    assert_ne!(nonce, nonce2);
    let body2 = again.text().await.unwrap();
    assert!(body2.contains(&format!("nonce=\"{nonce2}\"")) && !body2.contains(&nonce));
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let response = app
        .client
        .post(app.url("/api/accounts/sign_up"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "x@example.com"),
            ("password", "a long password"),
            ("display_name", "X"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        entity::user::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

storage_test!(
    demo_seed_loads_a_realistic_dataset_once,
    |mut app: TestApp| async move {
        let now = chrono::Utc::now();
        let report = server::cli::demo::seed(&app.db, now)
            .await
            .unwrap()
            .expect("first seed loads");
        assert!(report.contains("lineup-demo"));
        assert!(
            server::cli::demo::seed(&app.db, now)
                .await
                .unwrap()
                .is_none(),
            "second seed is a no-op"
        );
        // the demo's social graph: friends, a request waiting for Ana, a group's shortlist
        // (`lineup seed` runs with no server, so no worker writes the graph meanwhile)
        app.stop_graph_worker().await;
        let graph = app.state.graph.as_ref();
        app::domain::graph::sync::regraph(&app.db, graph)
            .await
            .unwrap();
        server::cli::demo::seed_social(&app.db, graph, now)
            .await
            .unwrap();
        let ana = app.user("ana@lineup.test").await.id;
        let friends = app::domain::social::ties::friends(graph, ana)
            .await
            .unwrap();
        assert_eq!(friends.len(), 2);
        let (incoming, _) = app::domain::social::ties::requests(graph, ana)
            .await
            .unwrap();
        assert_eq!(incoming.len(), 1);
        let locale = app::model::language::Locale::en;
        let suggested = app::domain::social::suggestions::suggest(graph, ana, now, locale)
            .await
            .unwrap();
        assert!(suggested
            .iter()
            .any(|s| s.reasons[0].contains("mutual friend")));
        let (mine, _) = app::domain::social::groups::list(graph, ana).await.unwrap();
        let crew = app::domain::social::groups::page(
            graph,
            ana,
            &mine[0].group.key,
            chrono_tz::UTC,
            locale,
        )
        .await
        .unwrap();
        assert_eq!(crew.members.len(), 3);
        assert!(crew.shortlist[0].top && crew.shortlist[0].votes == 2);

        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let events = entity::event::Entity::find().all(&app.db).await.unwrap();
        assert!(events.len() >= 200);
        for category in app::model::taxonomy::Category::ALL {
            assert!(
                events.iter().any(|e| e.category == category.slug()),
                "{category:?}"
            );
        }
        assert!(events
            .iter()
            .filter(|e| e.status == "published")
            .all(|e| e.starts_at > now && e.starts_at < now + chrono::Duration::days(61)));
        // a curation history: every state, and the past events that have ended
        for status in [
            "draft",
            "submitted",
            "in_review",
            "published",
            "needs_revision",
            "rejected",
            "cancelled",
            "completed",
        ] {
            assert!(
                events.iter().any(|e| e.status == status),
                "a demo event is {status}"
            );
        }
        // hidden by three established attendees' reports
        assert!(events.iter().any(|e| e.hidden_at.is_some()));
        // past events carry reviews from people who held tickets for them
        assert!(!entity::event_review::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty());
        assert!(events.iter().any(|e| e.pending_revision.is_some()));
        let rounds = entity::submission::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        for kind in ["new", "edit", "flagged", "appeal"] {
            assert!(
                rounds
                    .iter()
                    .any(|r| r.kind == kind && r.state != "decided"),
                "a {kind} submission waits in the queue"
            );
        }
        assert!(
            rounds.iter().any(|r| r.state == "pending"
                && r.recommendation == "likely_reject"
                && r.spam >= 0.7),
            "an obvious spam submission waits"
        );
        assert!(
            rounds
                .iter()
                .any(|r| r.state == "pending" && r.duplicate >= 0.7 && r.duplicate_of.is_some()),
            "a copied event waits, with its twin"
        );
        assert!(
            !entity::spam_model::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .is_empty(),
            "the spam model was trained on the demo decisions"
        );
        let cities: std::collections::BTreeSet<_> =
            events.iter().filter_map(|e| e.city.clone()).collect();
        assert!(cities.len() >= 2);
        let published = entity::event::Entity::find()
            .filter(entity::event::Column::Status.eq("published"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(published.len() >= 180);

        // the home page shows them, grouped by day
        let home = app.page("/").await;
        assert!(home.contains("class=\"day\""));
        assert!(home.matches("class=\"card\"").count() >= 20);
        // and demo accounts can sign in
        let response = app
            .sign_in(&app.client, "admin@lineup.test", "lineup-demo")
            .await;
        assert_eq!(location(&response), "/");
    }
);

#[tokio::test]
async fn the_anonymous_page_cache_is_cleared_by_writes() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let visitor = app.other_browser();
    let first = visitor.get(app.url("/")).send().await.unwrap();
    assert_eq!(first.headers()["x-lineup-cache"], "miss");
    let second = visitor.get(app.url("/")).send().await.unwrap();
    assert_eq!(second.headers()["x-lineup-cache"], "hit");
    // a refused post changes nothing, so the cache stays
    let refused = app
        .sign_in(&visitor, "nobody@example.com", "wrong password!")
        .await;
    assert_eq!(location(&refused), "/signin");
    let stranger = app.other_browser();
    assert_eq!(
        stranger.get(app.url("/")).send().await.unwrap().headers()["x-lineup-cache"],
        "hit"
    );
    // signed-in people always get a fresh render
    app.sign_up(&app.client, "fresh@example.com", false).await;
    assert!(app.get("/").await.headers().get("x-lineup-cache").is_none());
    let after_write = stranger.get(app.url("/")).send().await.unwrap();
    assert_eq!(after_write.headers()["x-lineup-cache"], "miss");
}

/// On SQLite a transaction that reads, then writes after another connection committed, must
/// wait its turn rather than fail with "database is locked" (the notifier's store did, and a
/// live update came two seconds late).
#[tokio::test]
async fn a_write_transaction_that_read_first_survives_a_concurrent_commit() {
    use app::domain::transaction::begin_write;
    use sea_orm::{ConnectionTrait, TransactionTrait};

    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/race.db?mode=rwc", dir.path().display());
    let db = server::db::connect(&url).await.expect("connect");
    db.execute_unprepared("CREATE TABLE t (n INTEGER)")
        .await
        .expect("table");

    // what a deferred transaction does: read (snapshot), someone else commits, then write
    let deferred = db.begin().await.expect("begin");
    deferred
        .execute_unprepared("SELECT count(*) FROM t")
        .await
        .expect("read");
    db.execute_unprepared("INSERT INTO t VALUES (1)")
        .await
        .expect("the other commit");
    let refused = deferred
        .execute_unprepared("INSERT INTO t VALUES (2)")
        .await;
    assert!(refused.is_err(), "a stale deferred snapshot cannot write");
    deferred.rollback().await.expect("rollback");

    // begin_write holds the write lock from the start: the other writer waits for it
    let txn = begin_write(&db).await.expect("begin");
    txn.execute_unprepared("SELECT count(*) FROM t")
        .await
        .expect("read");
    let other = {
        let db = db.clone();
        tokio::spawn(async move { db.execute_unprepared("INSERT INTO t VALUES (3)").await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    txn.execute_unprepared("INSERT INTO t VALUES (4)")
        .await
        .expect("write");
    txn.commit().await.expect("commit");
    other.await.expect("task").expect("the other writer waited");
    let rows = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT count(*) AS n FROM t",
        ))
        .await
        .expect("count")
        .expect("row");
    assert_eq!(rows.try_get::<i64>("", "n").expect("n"), 3);
}
