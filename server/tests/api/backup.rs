//! `lineup backup` and `lineup restore`: a backup restored into a fresh data directory serves the
//! same events, tickets and friendships, with the search index rebuilt from the database.
use std::{path::PathBuf, sync::Arc};

use server::cli::backup::{self, Scope};

use crate::{
    helpers::*,
    social::{act, befriend},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_a_fresh_data_dir_with_the_same_events_tickets_and_friendships() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let setup = crate::ticketing::free_event(&app, "10").await;
    let ana = app.browser_as("ana@example.com", "attendee").await;
    let ben = app.browser_as("ben@example.com", "attendee").await;
    app.browser_as("cai@example.com", "attendee").await;
    let registration = crate::ticketing::rsvp(&app, &ana, &setup, "2").await;
    let (ana_id, ben_id, cai_id) = (
        app.user("ana@example.com").await.id,
        app.user("ben@example.com").await.id,
        app.user("cai@example.com").await.id,
    );
    befriend(&app, (&ana, ana_id), (&ben, ben_id)).await;
    assert!(!refused(&act(&app, &ana, cai_id, "block").await));
    app.outbox_delivered().await;
    let title = app.event(setup.event_id).await.title;

    // taken while the server runs
    let store = tempfile::tempdir().expect("dir");
    let dir = store.path().join("backup-1");
    backup::write(
        &app.db,
        app.state.graph.as_ref(),
        &app.config.data_dir,
        &dir,
        Scope::Everything,
    )
    .await
    .expect("backup");
    assert!(dir.join(backup::DATABASE_FILE).is_file());
    assert!(dir.join(backup::GRAPH_FILE).is_file());
    // a second backup into the same directory is refused rather than mixed in
    assert!(backup::write(
        &app.db,
        app.state.graph.as_ref(),
        &app.config.data_dir,
        &dir,
        Scope::Everything
    )
    .await
    .is_err());

    // a fresh machine: an empty data directory with embedded stores on disk
    let fresh = Arc::new(tempfile::tempdir().expect("dir"));
    let root = PathBuf::from(fresh.path());
    let mut config = app.config.clone();
    config.data_dir = root.clone();
    config.database_url = format!("sqlite://{}?mode=rwc", root.join("lineup.db").display());
    config.surreal_url = format!("surrealkv://{}", root.join("graph").display());
    backup::restore(&config, &dir).await.expect("restore");
    let restored = start_on(config, fresh).await;

    // the same event, found by the rebuilt search index
    assert!(restored
        .page(&format!("/events/{}", setup.event_id))
        .await
        .contains(&title));
    restored.outbox_delivered().await;
    let search = restored.page("/search?q=jazz").await;
    assert!(search.contains(&title), "searchable again");
    // Ana signs in: her tickets, her friend and her block are there
    let browser = restored.other_browser();
    restored
        .sign_in(&browser, "ana@example.com", "a long password")
        .await;
    let ticket = restored
        .page_as(&browser, &format!("/my/tickets/{registration}"))
        .await;
    assert!(ticket.contains(&title), "{ticket}");
    let people = restored.page_as(&browser, "/people").await;
    assert!(
        people.contains(&format!("href=\"/people/{ben_id}\"")),
        "Ben is still her friend"
    );
    let ties = app::domain::social::ties::between(restored.state.graph.as_ref(), ana_id, ben_id)
        .await
        .expect("ties");
    assert!(ties.friends);
    let ties = app::domain::social::ties::between(restored.state.graph.as_ref(), ana_id, cai_id)
        .await
        .expect("ties");
    assert!(ties.blocking);
}
