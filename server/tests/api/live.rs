//! Live updates: an open stream (`/notifications/live`) hears of a new notification at once,
//! also when another server process on the same database created it.
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::Client;

use crate::{
    helpers::{refused, Backend, TestApp},
    social::{act, person},
    storage_test,
};
use app::model::notifications::LiveUpdate;

/// An open event stream, read event by event.
struct Stream {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Stream {
    async fn open(browser: &Client, url: String) -> Stream {
        let response = browser
            .get(url)
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("GET the stream");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/event-stream"));
        Stream {
            body: Box::pin(response.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next `notification` event, or a failure after `within`.
    async fn next(&mut self, within: Duration) -> LiveUpdate {
        let deadline = Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if block.lines().any(|l| l == "event: notification") {
                    let data = block
                        .lines()
                        .find_map(|l| l.strip_prefix("data: "))
                        .expect("data");
                    return serde_json::from_str(data).expect("an update");
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.body.next())
                .await
                .unwrap_or_else(|_| panic!("no update within {within:?}"))
                .expect("the stream stays open")
                .expect("a chunk");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

storage_test!(
    an_open_stream_hears_of_a_new_notification_within_two_seconds,
    |app: TestApp| async move {
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, _) = person(&app, "ben@example.com", "Ben Brito").await;
        let response = app.get("/notifications/live").await;
        assert_eq!(response.status(), 401, "only for the signed-in");

        let mut stream = Stream::open(&ana, app.url("/notifications/live")).await;
        let first = stream.next(Duration::from_secs(2)).await;
        assert_eq!((first.unread, first.latest_id), (0, None));

        assert!(!refused(&act(&app, &ben, ana_id, "befriend").await));
        // from the moment the request is answered (its change is committed)
        let update = stream.next(Duration::from_secs(2)).await;
        assert_eq!(update.unread, 1);
        assert_eq!(
            update.latest_title.as_deref(),
            Some("Ben Brito asks to be your friend")
        );
        assert!(update
            .latest_link
            .is_some_and(|l| l.starts_with("/people/")));
    }
);

/// Two server processes on one Postgres: the request goes to one, the stream is open on the
/// other, which runs no notifier of its own, so the news can only have come through
/// `LISTEN/NOTIFY`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_made_through_one_instance_reaches_a_stream_on_another() {
    let Some(app) = crate::helpers::spawn_app(Backend::Postgres).await else {
        assert!(
            std::env::var_os("LINEUP_REQUIRE_POSTGRES").is_none(),
            "LINEUP_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
        );
        eprintln!("TEST_DATABASE_URL not set: the two-instance test needs Postgres");
        return;
    };
    let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
    let (ben, _) = person(&app, "ben@example.com", "Ben Brito").await;
    let other = app.second_instance().await;
    // Ana's browser talks to the second instance: the session lives in the shared database
    let mut stream = Stream::open(&ana, format!("{}/notifications/live", other.address)).await;
    assert_eq!(stream.next(Duration::from_secs(2)).await.unread, 0);

    assert!(!refused(&act(&app, &ben, ana_id, "befriend").await));
    let update = stream.next(Duration::from_secs(2)).await;
    assert_eq!(update.unread, 1);
    assert_eq!(
        update.latest_title.as_deref(),
        Some("Ben Brito asks to be your friend")
    );
}
