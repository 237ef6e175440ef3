//! Sends pending email deliveries. Each is claimed first (its next try pushed a lease ahead, only
//! if nobody moved it meanwhile), so two workers never send the same one; marked sent as soon as
//! the server accepted it; on failure retried with a doubling delay, and given up after
//! `MAX_ATTEMPTS` or at once when the mail cannot be written at all.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{
    mail::{Mail, Mailer},
    notifier::{FAILED, PENDING, SENT},
    unsubscribe,
};
use crate::{
    domain::{accounts::language, context::internal, events::ics, outbox},
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        notifications::{Channel, Importance, Kind},
    },
};
use entity::{event, notification, notification_delivery as delivery, user};

pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed delivery is left alone: longer than any send takes, so only a worker that
/// died mid-send leaves one to be taken again.
const LEASE_SECS: i64 = 300;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Where mail comes from and where its links lead.
pub struct MailContext<'a> {
    pub mailer: &'a dyn Mailer,
    pub from: &'a Mailbox,
    pub public_url: &'a str,
    /// Signs the unsubscribe links of mail people did not have to get.
    pub unsubscribe_key: &'a [u8],
}

pub async fn send_due<C: ConnectionTrait>(
    db: &C,
    mail: &MailContext<'_>,
    now: DateTime<Utc>,
) -> Result<Sent, AppError> {
    use futures_util::StreamExt;
    let due = delivery::Entity::find()
        .filter(delivery::Column::Channel.eq(Channel::Email.as_str()))
        .filter(delivery::Column::Status.eq(PENDING))
        .filter(delivery::Column::AvailableAt.lte(now))
        .order_by_asc(delivery::Column::Id)
        .limit(outbox::BATCH)
        .all(db)
        .await
        .map_err(internal)?;
    // what the batch's mails are about, read once for all of them
    let notifications: HashMap<i32, notification::Model> = notification::Entity::find()
        .filter(notification::Column::Id.is_in(due.iter().map(|d| d.notification_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let events: HashMap<i32, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(notifications.values().filter_map(|n| n.event_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let readers = Readers::of(db, notifications.values()).await?;
    // several at once: each send waits on the server's answers (and on the delayed ACK that
    // lettre's unbuffered writes meet), so one at a time leaves the connection idle
    let sends: Vec<_> = due
        .into_iter()
        .filter_map(|d| {
            let n = notifications.get(&d.notification_id)?;
            let ev = n.event_id.and_then(|id| events.get(&id));
            Some(send_one(db, mail, d, n, ev, readers.language(n), now))
        })
        .collect();
    let mut sending = futures_util::stream::iter(sends).buffer_unordered(CONCURRENT_SENDS);
    let mut out = Sent::default();
    while let Some(outcome) = sending.next().await {
        match outcome? {
            Some(Outcome::Sent) => out.sent += 1,
            Some(Outcome::Retrying) => out.retrying += 1,
            Some(Outcome::Failed) => out.failed += 1,
            None => {}
        }
    }
    Ok(out)
}

/// The languages of a batch's recipients, read at once.
struct Readers {
    by_id: HashMap<i32, Locale>,
    by_email: HashMap<String, Locale>,
}

impl Readers {
    /// The recipients' accounts; for account mail, which has no recipient account in the app,
    /// the account that uses the address.
    async fn of<'a, C: ConnectionTrait>(
        db: &C,
        notifications: impl Iterator<Item = &'a notification::Model>,
    ) -> Result<Readers, AppError> {
        let (mut ids, mut emails) = (Vec::new(), Vec::new());
        for n in notifications {
            match n.user_id {
                Some(id) => ids.push(id),
                None if n.kind == Kind::Account.as_str() => emails.push(n.email.clone()),
                None => {}
            }
        }
        let mut readers = Readers {
            by_id: HashMap::new(),
            by_email: HashMap::new(),
        };
        if ids.is_empty() && emails.is_empty() {
            return Ok(readers);
        }
        let accounts = user::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::Id.is_in(ids))
                    .add(user::Column::Email.is_in(emails)),
            )
            .all(db)
            .await
            .map_err(internal)?;
        for account in &accounts {
            let locale = language::of_user(account);
            readers.by_id.insert(account.id, locale);
            readers.by_email.insert(account.email.clone(), locale);
        }
        Ok(readers)
    }

    /// The language the notification's mail is written in; English for a guest.
    fn language(&self, n: &notification::Model) -> Locale {
        match n.user_id {
            Some(id) => self.by_id.get(&id),
            None if n.kind == Kind::Account.as_str() => self.by_email.get(&n.email),
            None => None,
        }
        .copied()
        .unwrap_or_default()
    }
}

/// Mails in flight at once; the SMTP pool keeps as many connections.
pub const CONCURRENT_SENDS: usize = 32;

enum Outcome {
    Sent,
    Retrying,
    Failed,
}

/// Claims, sends and records one delivery; `None` when another worker had it.
async fn send_one<C: ConnectionTrait>(
    db: &C,
    mail: &MailContext<'_>,
    d: delivery::Model,
    n: &notification::Model,
    ev: Option<&event::Model>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Option<Outcome>, AppError> {
    if !claim(db, &d, now).await? {
        return Ok(None);
    }
    let attempts = d.attempts + 1;
    let result = mail
        .mailer
        .send(mail.from, &render(n, ev, mail, locale, now))
        .await;
    let update = delivery::Entity::update_many()
        .col_expr(delivery::Column::Attempts, Expr::value(attempts))
        .filter(delivery::Column::Id.eq(d.id));
    let (update, outcome) = match &result {
        Ok(()) => (
            update
                .col_expr(delivery::Column::Status, Expr::value(SENT))
                .col_expr(delivery::Column::SentAt, Expr::value(Some(now)))
                .col_expr(delivery::Column::LastError, Expr::value(None::<String>)),
            Outcome::Sent,
        ),
        Err(e) => {
            let give_up = e.is_permanent() || attempts >= MAX_ATTEMPTS;
            tracing::warn!(delivery = d.id, attempts, give_up, error = %e, "mail not sent");
            let message: String = e.to_string().chars().take(500).collect();
            let update = update.col_expr(delivery::Column::LastError, Expr::value(Some(message)));
            if give_up {
                (
                    update.col_expr(delivery::Column::Status, Expr::value(FAILED)),
                    Outcome::Failed,
                )
            } else {
                (
                    update.col_expr(
                        delivery::Column::AvailableAt,
                        Expr::value(now + Duration::seconds(outbox::backoff_secs(attempts))),
                    ),
                    Outcome::Retrying,
                )
            }
        }
    };
    update.exec(db).await.map_err(internal)?;
    if n.kind == Kind::Account.as_str() && !matches!(outcome, Outcome::Retrying) {
        forget_link(db, n).await?;
    }
    Ok(Some(outcome))
}

/// An account mail's link is a key to the account: once the mail is out (or given up on), the
/// stored copy keeps only what it was about.
async fn forget_link<C: ConnectionTrait>(db: &C, n: &notification::Model) -> Result<(), AppError> {
    notification::Entity::update_many()
        .col_expr(notification::Column::Link, Expr::value("/signin"))
        .col_expr(
            notification::Column::Body,
            Expr::value("The link in this mail is not kept."),
        )
        .filter(notification::Column::Id.eq(n.id))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

/// Takes a delivery for this worker: true when nobody else took it since it was read.
async fn claim<C: ConnectionTrait>(
    db: &C,
    d: &delivery::Model,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let moved = delivery::Entity::update_many()
        .col_expr(
            delivery::Column::AvailableAt,
            Expr::value(now + Duration::seconds(LEASE_SECS)),
        )
        .filter(delivery::Column::Id.eq(d.id))
        .filter(delivery::Column::Status.eq(PENDING))
        .filter(delivery::Column::AvailableAt.eq(d.available_at))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(moved.rows_affected == 1)
}

/// The mail of a notification: its text with absolute links, the same as HTML, and for bookings,
/// moves and cancellations the event's calendar file (same UID as every other copy, so calendars
/// update the entry they have). The notification is written in its reader's language already;
/// `locale` is that language, for the lines around it.
pub fn render(
    n: &notification::Model,
    ev: Option<&event::Model>,
    ctx: &MailContext<'_>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Mail {
    let base = ctx.public_url.trim_end_matches('/');
    let absolute = |path: &str| format!("{base}{path}");
    let link = absolute(&n.link);
    let preferences = absolute("/notifications/preferences");
    // site paths written into the body (a guest's ticket links) become absolute too
    let body: String = n
        .body
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| match word.strip_prefix('/') {
                    Some(rest) if !rest.starts_with('/') => format!("{base}/{rest}"),
                    _ => word.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    // what people did not have to get can be stopped in one click, without signing in
    let unsubscribe = match (Kind::parse(&n.kind), n.user_id) {
        (Some(kind), Some(user)) if kind.importance() != Importance::Transactional => {
            Some(unsubscribe::link(base, ctx.unsubscribe_key, user, kind))
        }
        _ => None,
    };
    let stop_text = unsubscribe
        .as_deref()
        .map(|u| format!("\n{}", td_string!(locale, mail.footer.stop_text, link = u)))
        .unwrap_or_default();
    let stop_html = unsubscribe
        .as_deref()
        .map(|u| {
            format!(
                " · <a href=\"{}\">{}</a>",
                escape(u),
                escape(td_string!(locale, mail.footer.stop))
            )
        })
        .unwrap_or_default();
    let choose = td_string!(locale, mail.footer.choose_text, link = &preferences);
    let text = format!("{body}\n\n{link}\n\n--\n{choose}{stop_text}\n");
    let paragraphs: String = body
        .lines()
        .map(|line| format!("<p>{}</p>", linkify(&escape(line))))
        .collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">\
         <h1 style=\"font-size:1.25rem\">{title}</h1>{paragraphs}\
         <p><a href=\"{href}\">{open}</a></p>\
         <hr><p style=\"color:#666;font-size:.85rem\"><a href=\"{prefs}\">{choose}</a>{stop_html}</p>\
         </body></html>",
        title = escape(&n.title),
        href = escape(&link),
        open = escape(td_string!(locale, mail.footer.open)),
        prefs = escape(&preferences),
        choose = escape(td_string!(locale, mail.footer.choose)),
    );
    let calendar = match (Kind::parse(&n.kind), ev) {
        // confirmations and moves go to people holding tickets
        (Some(Kind::RegistrationConfirmed | Kind::EventMoved), Some(ev)) => {
            Some(ics::render(ev, base, now, ics::JoinLink::Included))
        }
        // a cancellation also reaches the waitlist, and the link is of no use any more
        (Some(Kind::EventCancelled), Some(ev)) => {
            Some(ics::render(ev, base, now, ics::JoinLink::Withheld))
        }
        _ => None,
    };
    let host = url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "lineup.invalid".to_owned());
    Mail {
        to: n.email.clone(),
        subject: n.title.clone(),
        text,
        html,
        message_id: format!("<notification-{}.email@{host}>", n.id),
        calendar,
        unsubscribe,
    }
}

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Absolute links in an escaped line become anchors.
fn linkify(escaped: &str) -> String {
    escaped
        .split(' ')
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                format!("<a href=\"{word}\">{word}</a>")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
