//! The authorization matrix: every server function (from the server-function registry) and
//! every other route (from `startup::http_routes`) is called as six people — anonymous, an
//! attendee, an organizer who does not own the event, the event's owner, a curator and an admin —
//! and answers the status its row expects. A refusal must change nothing in the database. A new
//! endpoint without a row fails the test.
use std::collections::{BTreeMap, BTreeSet};

use reqwest::{header, Client};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::{helpers::*, social::act, ticketing::Setup};

const ROLES: [&str; 6] = [
    "anonymous",
    "attendee",
    "other",
    "owner",
    "curator",
    "admin",
];

/// How a row is called: a url-encoded form, a multipart form, or a GET of a path.
enum Call {
    Form(&'static [(&'static str, &'static str)]),
    Multipart(&'static [(&'static str, &'static str)]),
    Get(&'static str),
    Post(&'static str, &'static [(&'static str, &'static str)]),
}

/// One endpoint: what is sent, and the statuses expected for `ROLES` in order. `2xx`/`3xx`
/// are written `ok`; a refusal by its number.
struct Row {
    endpoint: &'static str,
    call: Call,
    expect: [&'static str; 6],
}

const fn row(endpoint: &'static str, call: Call, expect: [&'static str; 6]) -> Row {
    Row {
        endpoint,
        call,
        expect,
    }
}

use Call::*;

const OK: &str = "ok";

/// `{event}`, `{draft}`, `{submission}`, `{type}`, `{registration}`, `{code}`, `{group}`,
/// `{attendee}`, `{notification}`, `{org}` and `{slug}` are the fixture's. Rows run in this order, each role after
/// the other (anonymous first, the admin last).
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    vec![
        // accounts
        row("accounts/chrome", Form(&[]), [OK, OK, OK, OK, OK, OK]),
        row("accounts/form", Form(&[("form", "sign_in")]), [OK, OK, OK, OK, OK, OK]),
        row("accounts/sign_up", Form(&[("email", "not an address"), ("password", "short"), ("display_name", "")]), ["422", "422", "422", "422", "422", "422"]),
        // the sixth wrong guess for one account from one address is throttled
        row("accounts/sign_in", Form(&[("email", "nobody@example.com"), ("password", "wrong password")]), ["422", "422", "422", "422", "422", "429"]),
        row("accounts/language", Form(&[("lang", "klingon"), ("back", "//evil.example")]), ["422", "422", "422", "422", "422", "422"]),
        row("accounts/profile", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("accounts/update_profile", Multipart(&[("display_name", ""), ("home_lat", "999")]), ["401", "422", "422", "422", "422", "422"]),
        row("accounts/password/forgot", Form(&[("email", "nobody@example.com")]), [OK, OK, OK, OK, OK, OK]),
        row("accounts/password/reset", Form(&[("token", "not-a-token"), ("password", "a long password")]), ["422", "422", "422", "422", "422", "422"]),
        row("accounts/email/verify", Form(&[("token", "not-a-token")]), ["422", "422", "422", "422", "422", "422"]),
        // every account here has confirmed its address
        row("accounts/email/resend", Form(&[]), ["401", "422", "422", "422", "422", "422"]),
        row("accounts/email/change", Form(&[("new_email", "new@example.com"), ("password", "wrong password")]), ["401", "422", "422", "422", "422", "422"]),
        row("accounts/email/confirm", Form(&[("token", "not-a-token")]), ["422", "422", "422", "422", "422", "422"]),
        // curation
        row("curation/queue", Form(&[]), ["401", "403", "403", "403", OK, OK]),
        row("curation/submission", Form(&[("id", "{submission}")]), ["401", "403", "403", "403", OK, OK]),
        row("curation/claim", Form(&[("id", "{submission}"), ("version", "999")]), ["401", "403", "403", "403", "422", "422"]),
        row("curation/release", Form(&[("id", "{submission}"), ("version", "999")]), ["401", "403", "403", "403", "422", "422"]),
        row("curation/decide", Form(&[("id", "{submission}"), ("version", "999"), ("decision", "approve"), ("note", "Looks fine to me.")]), ["401", "403", "403", "403", "422", "422"]),
        // a stale item is skipped and reported, not refused
        row("curation/batch", Multipart(&[("decision", "approve"), ("note", "Looks fine to me."), ("items", "{submission}:999")]), ["401", "403", "403", "403", OK, OK]),
        row("events/history", Form(&[("id", "{event}")]), ["401", "403", "403", OK, OK, OK]),
        row("events/rollback", Form(&[("id", "{event}"), ("revision", "999")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/cancel", Form(&[("id", "{draft}"), ("reason", "x")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/appeal", Form(&[("submission_id", "{submission}"), ("text", "Please look again.")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/flag", Form(&[("id", "{event}"), ("reason", "nonsense"), ("text", "x")]), ["401", "422", "422", "422", "422", "422"]),
        row("events/review", Form(&[("id", "{event}"), ("rating", "9"), ("text", "x")]), ["401", "422", "422", "422", "422", "422"]),
        // discovery
        row("discovery/search", Form(&[("query", "q=jazz")]), [OK, OK, OK, OK, OK, OK]),
        row("discovery/suggest", Form(&[("q", "ja")]), [OK, OK, OK, OK, OK, OK]),
        row("discovery/home", Form(&[]), [OK, OK, OK, OK, OK, OK]),
        // events
        row("events/upcoming", Form(&[]), [OK, OK, OK, OK, OK, OK]),
        row("events/details", Form(&[("id", "{draft}")]), ["404", "404", "404", OK, OK, OK]),
        row("events/mine", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("events/form", Form(&[("id", "{event}")]), ["401", "403", "403", OK, "403", OK]),
        row("events/save", Multipart(&[("id", "{event}"), ("title", "")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/submit", Form(&[("id", "{event}")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/invite_link", Form(&[("event_id", "{event}")]), ["401", "403", "403", OK, "403", OK]),
        // a public event takes no invitations
        row("events/invite_group", Form(&[("event_id", "{event}"), ("group", "no-such-group")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/invite_people", Form(&[("event_id", "{event}"), ("emails", "ana@example.com")]), ["401", "403", "403", "422", "403", "422"]),
        row("events/duplicate", Form(&[("event_id", "{event}"), ("repeat", "daily")]), ["401", "422", "422", "422", "422", "422"]),
        // notifications: the fixture's is the attendee's, nobody else's to mark
        row("notifications/list", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("notifications/read", Form(&[("id", "{notification}")]), ["401", OK, "404", "404", "404", "404"]),
        row("notifications/preferences", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("notifications/preferences/save", Multipart(&[("on", "email:nonsense")]), ["401", "422", "422", "422", "422", "422"]),
        row("admin/mail", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("admin/status", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("admin/reports", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("admin/organizations", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("admin/organizations/act", Form(&[("action", "cancel"), ("id", "{event}"), ("reason", "")]), ["401", "403", "403", "403", "403", "422"]),
        row("admin/people", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("admin/people/act", Form(&[("person", "{attendee}"), ("action", "suspend"), ("reason", " ")]), ["401", "403", "403", "403", "403", "422"]),
        row("admin/audit", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("notifications/push/key", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("notifications/push/subscribe", Form(&[("endpoint", "http://insecure.example/x"), ("p256dh", "x"), ("auth", "x")]), ["401", "422", "422", "422", "422", "422"]),
        row("notifications/push/unsubscribe", Form(&[("endpoint", "https://push.example/none")]), ["401", OK, OK, OK, OK, OK]),
        row("notifications/quiet", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("notifications/quiet/save", Form(&[("quiet_from", "25:00"), ("quiet_until", "x"), ("quiet_zone", "Mars/Olympus")]), ["401", "422", "422", "422", "422", "422"]),
        // social
        row("social/people", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("social/person", Form(&[("id", "{attendee}")]), ["401", OK, OK, OK, OK, OK]),
        row("social/person/act", Form(&[("person", "{attendee}"), ("action", "hug")]), ["401", "422", "422", "422", "422", "422"]),
        // organizations: the fixture's is the owner's personal one
        row("organizations/mine", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("organizations/create", Form(&[("name", " ")]), ["401", "403", "422", "422", "403", "422"]),
        row("organizations/page", Form(&[("slug", "{slug}")]), [OK, OK, OK, OK, OK, OK]),
        row("organizations/team", Form(&[("slug", "{slug}")]), ["401", "404", "404", OK, "404", OK]),
        row("organizations/dashboard", Form(&[("slug", "{slug}")]), ["401", "403", "403", OK, "403", OK]),
        row("organizations/edit", Multipart(&[("slug", "{slug}")]), ["401", "403", "403", OK, "403", OK]),
        row("organizations/calendar/submit", Form(&[("event_id", "{event}"), ("calendar", "no-such-organization")]), ["401", "403", "403", "422", "403", "422"]),
        row("organizations/calendar/decide", Form(&[("id", "999999"), ("slug", "{slug}")]), ["401", "404", "404", "404", "404", "404"]),
        row("organizations/follow", Form(&[("slug", "no-such-organization"), ("follow", "on")]), ["401", "404", "404", "404", "404", "404"]),
        row("organizations/finance", Form(&[("slug", "{slug}")]), ["401", "403", "403", OK, "403", OK]),
        // without a payment provider there is nothing to set up
        row("organizations/payouts/start", Form(&[("slug", "{slug}")]), ["401", "403", "403", "422", "403", "422"]),
        row("organizations/team/act", Form(&[("organization", "{org}"), ("action", "invite"), ("email", "not an address"), ("role", "editor")]), ["401", "403", "403", "422", "403", "422"]),
        row("organizations/invitation", Form(&[("token", "not-a-token")]), ["404", "404", "404", "404", "404", "404"]),
        row("organizations/invitation/answer", Form(&[("token", "not-a-token"), ("answer", "accept")]), ["401", "404", "404", "404", "404", "404"]),
        // recommendations
        row("recs/act", Form(&[("event", "{event}"), ("action", "adore")]), ["401", "422", "422", "422", "422", "422"]),
        row("recs/act", Form(&[("event", "{event}"), ("action", "save")]), ["401", OK, OK, OK, OK, OK]),
        row("recs/saved", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("recs/for_you", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("recs/experiment", Form(&[]), ["401", "403", "403", "403", "403", OK]),
        row("social/feed", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("social/event", Form(&[("event_id", "{event}")]), [OK, OK, OK, OK, OK, OK]),
        row("social/groups", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("social/groups/create", Form(&[("name", " "), ("visibility", "public")]), ["401", "422", "422", "422", "422", "422"]),
        // the attendee's invite-only group does not exist for others
        row("social/group", Form(&[("key", "{group}")]), ["401", OK, "404", "404", "404", "404"]),
        row("social/group/act", Form(&[("key", "{group}"), ("action", "dance")]), ["401", "422", "422", "422", "422", "422"]),
        row("social/privacy", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("social/privacy/save", Form(&[("attendance", "everyone"), ("profile", "nobody")]), ["401", "422", "422", "422", "422", "422"]),
        // ticketing: the fixture's registration is the attendee's; organizers see it in their
        // guest list, a code opens a guest's tickets only
        row("tickets/section", Form(&[("event_id", "{event}")]), [OK, OK, OK, OK, OK, OK]),
        row("tickets/register", Form(&[("event_id", "{event}"), ("ticket_type", "{type}"), ("quantity", "99")]), ["401", "422", "422", "422", "422", "422"]),
        row("tickets/mine", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("tickets/registration", Form(&[("id", "{registration}")]), ["401", OK, "404", "404", "404", "404"]),
        row("tickets/by_code", Form(&[("code", "{code}")]), ["404", "404", "404", "404", "404", "404"]),
        row("tickets/offer/accept", Form(&[("id", "{registration}")]), ["401", "422", "404", "404", "404", "404"]),
        row("tickets/offer/decline", Form(&[("id", "{registration}")]), ["401", "422", "404", "404", "404", "404"]),
        row("tickets/pay", Form(&[("id", "{registration}")]), ["401", "422", "404", "404", "404", "404"]),
        row("tickets/admin", Form(&[("event_id", "{event}")]), ["401", "403", "403", OK, "403", OK]),
        row("tickets/types/save", Form(&[("event_id", "{event}"), ("name", ""), ("quantity", "-1")]), ["401", "403", "403", "422", "403", "422"]),
        // an attendee has no payout account to set; an organizer's own is checked
        row("tickets/guests", Form(&[("event_id", "{event}")]), ["401", "403", "403", OK, "403", OK]),
        // an action nobody can take is refused before asking who may
        row("tickets/guests/act", Form(&[("id", "{registration}"), ("action", "wave")]), ["401", "422", "422", "422", "422", "422"]),
        row("tickets/checkin/page", Form(&[("event_id", "{event}")]), ["401", "403", "403", OK, "403", OK]),
        row("tickets/checkin", Form(&[("event_id", "{event}"), ("code", "NOT-A-CODE")]), ["401", "403", "403", "422", "403", "422"]),
        row("tickets/resend", Form(&[("email", "nobody@example.com")]), [OK, OK, OK, OK, OK, OK]),
        row("tickets/resend_form", Form(&[]), [OK, OK, OK, OK, OK, OK]),
        // the holder cancels; nobody else can
        row("tickets/cancel", Form(&[("id", "{registration}")]), ["401", OK, "404", "404", "404", "404"]),
        // routes outside Leptos
        row("/healthz", Get("/healthz"), [OK, OK, OK, OK, OK, OK]),
        row("/readyz", Get("/readyz"), [OK, OK, OK, OK, OK, OK]),
        row("/metrics", Get("/metrics"), ["404", "404", "404", "404", "404", "404"]),
        row("/media/{key}", Get("/media/nothing-here.png"), ["404", "404", "404", "404", "404", "404"]),
        row("/events/{id}/calendar.ics", Get("/events/{draft}/calendar.ics"), ["404", "404", "404", OK, OK, OK]),
        row("/calendar/{token}", Get("/calendar/not-a-token.ics"), ["404", "404", "404", "404", "404", "404"]),
        row("/o/{slug}/calendar.ics", Get("/o/{slug}/calendar.ics"), [OK, OK, OK, OK, OK, OK]),
        row("/events/{id}/guests.csv", Get("/events/{event}/guests.csv"), ["401", "403", "403", OK, "403", OK]),
        row("/o/{slug}/dashboard.csv", Get("/o/{slug}/dashboard.csv?table=funnel"), ["401", "403", "403", OK, "403", OK]),
        row("/stripe/webhook", Post("/stripe/webhook", &[]), ["404", "404", "404", "404", "404", "404"]),
        row("/unsubscribe", Post("/unsubscribe?token=forged", &[]), ["400", "400", "400", "400", "400", "400"]),
        row("/notifications/live", Get("/notifications/live"), ["401", OK, OK, OK, OK, OK]),
        row("/sitemap.xml", Get("/sitemap.xml"), [OK, OK, OK, OK, OK, OK]),
        row("/sitemaps/{file}", Get("/sitemaps/7.xml"), ["404", "404", "404", "404", "404", "404"]),
        row("/robots.txt", Get("/robots.txt"), [OK, OK, OK, OK, OK, OK]),
        // last: the attendee becomes an organizer, then signing out ends the sessions
        row("accounts/become_organizer", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("accounts/sign_out_everywhere", Form(&[]), ["401", OK, OK, OK, OK, OK]),
        row("accounts/sign_out", Form(&[]), [OK, OK, OK, OK, OK, OK]),
    ]
}

/// Every table's rows, as text. Sessions aside (signing in and notices live there), and the outbox
/// and the sitemap, which background workers deliver, sweep and rebuild while the matrix runs:
/// what a refusal must not do to them is enqueue, which `newest_outbox_row` checks.
async fn fingerprint(db: &DatabaseConnection) -> BTreeMap<String, String> {
    let backend = db.get_database_backend();
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT IN ('sessions', 'seaql_migrations', 'outbox', 'sitemap_urls') ORDER BY name",
        ))
        .await
        .expect("tables")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("PRAGMA table_info(\"{table}\")"),
            ))
            .await
            .expect("columns")
            .iter()
            .map(|r| r.try_get::<String>("", "name").expect("column"))
            .collect();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let dump = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT group_concat(line, char(10)) FROM (SELECT {row} AS line FROM \"{table}\" ORDER BY rowid)"),
            ))
            .await
            .expect("dump")
            .and_then(|r| r.try_get_by_index::<Option<String>>(0).ok().flatten())
            .unwrap_or_default();
        out.insert(table, dump);
    }
    out
}

/// The id of the newest outbox row (0 when there is none).
async fn newest_outbox_row(db: &DatabaseConnection) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT COALESCE(MAX(id), 0) FROM outbox",
    ))
    .await
    .expect("newest outbox row")
    .and_then(|r| r.try_get_by_index::<i64>(0).ok())
    .unwrap_or(0)
}

struct Fixture {
    values: BTreeMap<&'static str, String>,
    browsers: Vec<Client>,
}

impl Fixture {
    fn fill(&self, template: &str) -> String {
        self.values.iter().fold(template.to_owned(), |s, (k, v)| {
            s.replace(&format!("{{{k}}}"), v)
        })
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let attendee = app.browser_as("attendee@example.com", "attendee").await;
    let other = app.browser_as("other@example.com", "organizer").await;
    let owner = app.browser_as("owner@example.com", "organizer").await;
    let curator = app.browser_as("curator@example.com", "curator").await;
    let admin = app.browser_as("admin@example.com", "admin").await;
    let event = app.published_event(&owner, &curator, &[]).await;
    let ticket_type = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.eq(event))
        .one(&app.db)
        .await
        .unwrap()
        .expect("type")
        .id;
    let setup = Setup {
        organizer: owner.clone(),
        event_id: event,
        ticket_type,
    };
    let registration = crate::ticketing::rsvp(app, &attendee, &setup, "1").await;
    let code = entity::ticket::Entity::find()
        .filter(entity::ticket::Column::RegistrationId.eq(registration))
        .one(&app.db)
        .await
        .unwrap()
        .expect("ticket")
        .code;
    let draft = app
        .create_event(
            &owner,
            &[("title", "Waiting for review"), ("intent", "submit")],
        )
        .await;
    let submission = app.latest_round(draft).await.id;
    let created = app
        .post_form(
            &attendee,
            "/api/social/groups/create",
            &[("name", "Matrix crew"), ("visibility", "invite_only")],
        )
        .await;
    let group = location(&created).trim_start_matches("/groups/").to_owned();
    let attendee_id = app.user("attendee@example.com").await.id;
    // a notification for the attendee: a friend request from the other organizer
    act(app, &other, attendee_id, "befriend").await;
    let mut notification = None;
    for _ in 0..100 {
        notification = entity::notification::Entity::find()
            .filter(entity::notification::Column::UserId.eq(attendee_id))
            .one(&app.db)
            .await
            .unwrap();
        if notification.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let notification = notification.expect("the attendee has news").id;
    let home = entity::organization::Entity::find()
        .filter(entity::organization::Column::CreatedBy.eq(app.user("owner@example.com").await.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the owner's personal organization");
    Fixture {
        values: BTreeMap::from([
            ("event", event.to_string()),
            ("draft", draft.to_string()),
            ("submission", submission.to_string()),
            ("type", ticket_type.to_string()),
            ("registration", registration.to_string()),
            ("code", code),
            ("group", group),
            ("attendee", attendee_id.to_string()),
            ("notification", notification.to_string()),
            ("org", home.id.to_string()),
            ("slug", home.slug),
        ]),
        browsers: vec![app.other_browser(), attendee, other, owner, curator, admin],
    }
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn send(app: &TestApp, browser: &Client, fixture: &Fixture, row: &Row) -> u16 {
    let filled = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), fixture.fill(v)))
            .collect()
    };
    let request = match &row.call {
        Form(pairs) => browser
            .post(app.url(&format!("/api/{}", row.endpoint)))
            .form(&filled(pairs)),
        Multipart(pairs) => browser
            .post(app.url(&format!("/api/{}", row.endpoint)))
            .multipart(
                filled(pairs)
                    .into_iter()
                    .fold(reqwest::multipart::Form::new(), |f, (k, v)| f.text(k, v)),
            ),
        Get(path) => browser.get(app.url(&fixture.fill(path))),
        Post(path, pairs) => browser
            .post(app.url(&fixture.fill(path)))
            .form(&filled(pairs)),
    };
    request
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_each_role_as_its_row_says_and_refusals_change_nothing() {
    let mut app = spawn_app(Backend::Sqlite).await.expect("app");
    let fixture = fixture(&app).await;
    // nothing else writes while the matrix runs
    app.stop_notifier().await;
    app.stop_search_worker().await;
    app.stop_graph_worker().await;
    app.stop_cancellation_worker().await;

    let rows = rows();
    let listed: BTreeSet<String> = rows
        .iter()
        .map(|r| match r.call {
            Get(_) | Post(..) => r.endpoint.to_owned(),
            _ => format!("/api/{}", r.endpoint),
        })
        .collect();
    let mut missing: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .chain(
            server::startup::http_routes()
                .into_iter()
                .map(|(p, _)| p.to_owned()),
        )
        .filter(|p| !listed.contains(p))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "endpoints without a row: {missing:?}");
    // the server refuses other bodies for exactly the server functions that read multipart
    let multipart: BTreeSet<String> = rows
        .iter()
        .filter(|r| matches!(r.call, Multipart(_)))
        .map(|r| format!("/api/{}", r.endpoint))
        .collect();
    let guarded: BTreeSet<String> = app::api::multipart_paths()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        multipart, guarded,
        "app::api::multipart_paths is out of date"
    );

    let mut wrong = Vec::new();
    for row in &rows {
        let mut got = Vec::new();
        for (role, browser) in ROLES.iter().zip(&fixture.browsers) {
            let before = fingerprint(&app.db).await;
            let newest_before = newest_outbox_row(&app.db).await;
            let status = send(&app, browser, &fixture, row).await;
            let refused = status >= 400;
            assert!(status < 500, "{} as {role}: {status}", row.endpoint);
            if refused {
                let after = fingerprint(&app.db).await;
                let mut changed: Vec<&str> = after
                    .iter()
                    .filter(|(t, v)| before.get(*t) != Some(v))
                    .map(|(t, _)| t.as_str())
                    .collect();
                if newest_outbox_row(&app.db).await > newest_before {
                    changed.push("outbox");
                }
                assert!(
                    changed.is_empty(),
                    "{} as {role} answered {status} but changed {changed:?}",
                    row.endpoint
                );
            }
            got.push(if refused {
                status.to_string()
            } else {
                OK.to_owned()
            });
        }
        let expected: Vec<&str> = row.expect.to_vec();
        if got != expected {
            wrong.push(format!(
                "{:<36} expected {:?} got {:?}",
                row.endpoint, expected, got
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
