//! Telling people what happened, on the channels they chose, once. Producers write `notify.*`
//! outbox rows with their change (`compose` lists the topics); the notifier turns each into
//! notifications and deliveries (`notifier`); the mail worker sends the email ones (`deliver`)
//! through a `mail::Mailer`. People read them in the app (`inbox`) and choose channels
//! (`preferences`).
pub mod compose;
pub mod deliver;
pub mod digest;
pub mod followed;
pub mod inbox;
pub mod live;
pub mod mail;
pub mod mailbox;
pub mod notifier;
pub mod preferences;
pub mod push;
pub mod quiet_hours;
pub mod reminders;
pub mod unsubscribe;

use chrono::Utc;
use lettre::message::Mailbox;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    domain::{context::AppState, graph::GraphStore, outbox::POLL},
    error::AppError,
};

/// Runs the notifier, the mail worker, the reminder sweep and (on Postgres) the live-update
/// listener until the process ends.
pub fn spawn_workers(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let notifier = {
        let (db, graph, changes, hub) = (
            state.db.clone(),
            state.graph.clone(),
            state.changes.clone(),
            state.live.clone(),
        );
        tokio::spawn(async move {
            loop {
                match notifier::deliver_due(&db, graph.as_ref(), Utc::now()).await {
                    Ok(round) if round.rows > 0 => {
                        if !round.recipients.is_empty() {
                            // unread counts and lists are cached pages
                            changes.bump();
                        }
                        let mut users = round.recipients;
                        users.sort_unstable();
                        users.dedup();
                        if let Err(e) = live::announce(&db, &hub, &users).await {
                            tracing::warn!(error = %e, "live updates not announced");
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "notifier round failed"),
                }
                tokio::time::sleep(POLL).await;
            }
        })
    };
    let mailer = {
        let (db, mailer, settings) = (
            state.db.clone(),
            state.mailer.clone(),
            state.settings.clone(),
        );
        tokio::spawn(async move {
            let from: Mailbox = match settings.mail_from.parse() {
                Ok(from) => from,
                Err(e) => {
                    tracing::error!(error = %e, "LINEUP_MAIL_FROM is not an address: no mail is sent");
                    return;
                }
            };
            let ctx = deliver::MailContext {
                mailer: mailer.as_ref(),
                from: &from,
                public_url: &settings.public_url,
                unsubscribe_key: &settings.unsubscribe_key,
            };
            loop {
                match deliver::send_due(&db, &ctx, Utc::now()).await {
                    Ok(s) if s.sent + s.retrying + s.failed > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "mail round failed"),
                }
                tokio::time::sleep(POLL).await;
            }
        })
    };
    let pusher = {
        let (db, settings) = (state.db.clone(), state.settings.clone());
        tokio::spawn(async move {
            let contact = settings
                .mail_from
                .parse::<Mailbox>()
                .map(|m| format!("mailto:{}", m.email))
                .unwrap_or_else(|_| "mailto:no-reply@localhost".to_owned());
            let vapid = match push::Vapid::from_stored(&settings.vapid_private, contact) {
                Ok(vapid) => vapid,
                Err(e) => {
                    tracing::error!(error = %e, "the VAPID key cannot be read: no push is sent");
                    return;
                }
            };
            let client = match reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .build()
            {
                Ok(client) => client,
                Err(e) => {
                    tracing::error!(error = %e, "no HTTP client for push");
                    return;
                }
            };
            loop {
                match push::send_due(&db, &client, &vapid, Utc::now()).await {
                    Ok(p) if p.sent + p.retrying + p.failed > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "push round failed"),
                }
                tokio::time::sleep(POLL).await;
            }
        })
    };
    let reminders = spawn_sweep(
        state,
        reminders::EVERY,
        "reminder",
        |db, _, now| async move { reminders::send_due(&db, now).await },
    );
    let followed = spawn_sweep(
        state,
        followed::EVERY,
        "followed",
        |db, graph, now| async move { followed::send_due(&db, graph.as_ref(), now).await },
    );
    let digest = {
        let recs = state.clone();
        spawn_sweep(state, digest::EVERY, "digest", move |_, _, now| {
            let state = recs.clone();
            async move { digest::send_due_with_recommendations(&state, now).await }
        })
    };
    let mut workers = vec![notifier, mailer, pusher, reminders, followed, digest];
    workers.extend(live::spawn_listener(&state.db, state.live.clone()));
    workers
}

/// Runs a sweep that stores notifications every `every`, telling the live streams of whoever got
/// one.
fn spawn_sweep<F, Fut>(
    state: &AppState,
    every: std::time::Duration,
    what: &'static str,
    sweep: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn(DatabaseConnection, Arc<dyn GraphStore>, chrono::DateTime<Utc>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Vec<Option<i32>>, AppError>> + Send,
{
    let (db, graph, changes, hub) = (
        state.db.clone(),
        state.graph.clone(),
        state.changes.clone(),
        state.live.clone(),
    );
    tokio::spawn(async move {
        loop {
            match sweep(db.clone(), graph.clone(), Utc::now()).await {
                Ok(told) if !told.is_empty() => {
                    changes.bump();
                    let mut users: Vec<i32> = told.into_iter().flatten().collect();
                    users.sort_unstable();
                    users.dedup();
                    if let Err(e) = live::announce(&db, &hub, &users).await {
                        tracing::warn!(error = %e, "live updates not announced");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, sweep = what, "notification sweep failed"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
