//! Crash consistency: 200 registrations race for 150 seats against the real `lineup` binary,
//! which is killed with SIGKILL while they are in flight and started again. Afterwards every
//! seat counter equals the seats its registrations hold, every registration a client was told
//! about is there, and the search index and the graph catch up from the outbox.
use std::{
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use reqwest::{header, redirect::Policy, Client};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::model::ticketing::RegistrationStatus;

use crate::{helpers::*, storage_test};

const PEOPLE: usize = 200;
const SEATS: &str = "150";

/// The release or debug `lineup` binary of this build, serving `config`'s stores.
fn serve(config: &server::config::Config, port: u16) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(config.data_dir.join("lineup.log"))
        .expect("log file");
    Command::new(env!("CARGO_BIN_EXE_lineup"))
        .arg("serve")
        .env("LINEUP_DATA_DIR", &config.data_dir)
        .env("DATABASE_URL", &config.database_url)
        .env(
            "SURREAL_URL",
            format!("surrealkv://{}", config.data_dir.join("graph").display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "lineup")
        .env("LINEUP_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("LINEUP_RATE_LIMITS", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start lineup")
}

async fn healthy(base: &str, data_dir: &std::path::Path) {
    let client = Client::new();
    for _ in 0..600 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = std::fs::read_to_string(data_dir.join("lineup.log")).unwrap_or_default();
    panic!("lineup did not come up at {base}:\n{log}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("address")
        .port()
}

storage_test!(
    a_server_killed_midway_through_200_registrations_restarts_consistent,
    |app: TestApp| async move {
        let setup = crate::ticketing::free_event(&app, SEATS).await;
        crate::ticketing::edit_type(
            &app,
            &setup,
            &[
                ("name", "Open door"),
                ("quantity", SEATS),
                ("guests_allowed", "on"),
                ("waitlist", "on"),
                ("on_sale", "on"),
            ],
        )
        .await;
        let (event_id, ticket_type) = (setup.event_id, setup.ticket_type);
        let (config, data_dir, _) = app.stop().await;
        // this process may still hold the old index's lock: the server builds its own from the
        // database, as on a new machine
        std::fs::remove_dir_all(config.data_dir.join("search")).ok();

        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = serve(&config, port);
        healthy(&base, &config.data_dir).await;

        // 200 guests register at once; the server is killed after the 60th answer
        let accepted = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut clients = Vec::new();
        for n in 0..PEOPLE {
            let (base, accepted, answered) = (base.clone(), accepted.clone(), answered.clone());
            clients.push(tokio::spawn(async move {
                let client = Client::builder().redirect(Policy::none()).build().unwrap();
                let email = format!("guest{n}@example.com");
                let sent = client
                    .post(format!("{base}/api/tickets/register"))
                    .header(header::ACCEPT, "text/html")
                    .form(&[
                        ("event_id", event_id.to_string()),
                        ("ticket_type", ticket_type.to_string()),
                        ("quantity", "1".to_string()),
                        ("name", format!("Guest {n}")),
                        ("email", email.clone()),
                    ])
                    .send()
                    .await;
                if let Ok(response) = sent {
                    if response.status() == 302
                        && !response.headers().contains_key("x-lineup-refused")
                    {
                        accepted.lock().unwrap().push(email);
                    }
                    answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }));
        }
        let waiting_since = std::time::Instant::now();
        while answered.load(std::sync::atomic::Ordering::SeqCst) < 60 {
            assert!(
                waiting_since.elapsed() < Duration::from_secs(120),
                "60 answers did not come: {}",
                std::fs::read_to_string(config.data_dir.join("lineup.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().expect("SIGKILL");
        server.wait().expect("reaped");
        for client in clients {
            let _ = client.await;
        }
        let told = accepted.lock().unwrap().clone();
        assert!(told.len() >= 60, "{} accepted before the kill", told.len());

        // started again on the same stores
        let mut server = serve(&config, port);
        healthy(&base, &config.data_dir).await;
        let db = server::db::connect(&config.database_url).await.expect("db");
        let registrations = entity::registration::Entity::find()
            .filter(entity::registration::Column::EventId.eq(event_id))
            .all(&db)
            .await
            .expect("registrations");
        let holding: i32 = registrations
            .iter()
            .filter(|r| RegistrationStatus::parse(&r.status).is_some_and(|s| s.holds_seats()))
            .map(|r| r.quantity)
            .sum();
        let tt = entity::ticket_type::Entity::find_by_id(ticket_type)
            .one(&db)
            .await
            .expect("query")
            .expect("type");
        let ev = entity::event::Entity::find_by_id(event_id)
            .one(&db)
            .await
            .expect("query")
            .expect("event");
        assert_eq!(tt.taken, holding, "the ticket type's counter");
        assert_eq!(ev.seats_taken, holding, "the event's counter");
        assert!(holding <= 150, "never oversold: {holding}");
        // everyone who was told they are registered is
        for email in &told {
            let theirs = registrations.iter().find(|r| &r.email == email);
            assert!(
                theirs.is_some_and(
                    |r| RegistrationStatus::parse(&r.status).is_some_and(|s| s.is_open())
                ),
                "{email} was told yes"
            );
        }
        // the search index and the graph catch up from the outbox
        let mut left = u64::MAX;
        for _ in 0..300 {
            left = entity::outbox::Entity::find()
                .filter(
                    entity::outbox::Column::Topic.is_in(
                        app::domain::graph::sync::TOPICS
                            .iter()
                            .chain([app::domain::discovery::indexing::EVENT_TOPIC].iter())
                            .copied(),
                    ),
                )
                .count(&db)
                .await
                .expect("outbox");
            if left == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(left, 0, "graph and search deliveries left");
        let page = Client::new()
            .get(format!("{base}/search?q=jazz"))
            .send()
            .await
            .expect("search")
            .text()
            .await
            .expect("page");
        assert!(
            page.contains("Jazz by the Water"),
            "searchable after the restart"
        );
        server.kill().expect("stop");
        let _ = server.wait();
        drop(data_dir);
    }
);
