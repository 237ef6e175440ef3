//! What a change means for whom: an outbox row of a `notify.*` topic, read against the data as
//! it is now, becomes the notifications to store (`Draft`s). Each draft carries a key naming
//! the change and the recipient, so composing the same row twice yields the same keys.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        accounts::language, context::internal, events::listings::tz_of, graph::GraphStore,
        locale_format, social::ties, ticketing::notes,
    },
    error::AppError,
    i18n::td_string,
    model::{
        language::{parse, Locale},
        notifications::Kind,
        ticketing::RegistrationStatus,
    },
};
use entity::{event, event_transition, outbox, registration, registration_change, ticket, user};

/// A registration changed status. Subject: the `registration_changes` row.
pub const REGISTRATION: &str = "notify.registration";
/// An event moved in its lifecycle (a decision, a hide, a cancellation). Subject: the
/// `event_transitions` row.
pub const EVENT: &str = "notify.event";
/// A friend request was sent or accepted. Subject: the person who acted; payload: `FriendNews`.
pub const FRIEND: &str = "notify.friend";
/// Someone was invited to a group, or asked to join one. Subject: who acted; payload:
/// `GroupNews`.
pub const GROUP: &str = "notify.group";
/// A public event's time or place changed. Subject: the event; payload: `MovedNews`.
pub const MOVED: &str = "notify.moved";
pub const TOPICS: &[&str] = &[REGISTRATION, EVENT, FRIEND, GROUP, MOVED];

/// One notification to store, written in its recipient's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// `None` for a guest: mail only.
    pub user_id: Option<i32>,
    pub email: String,
    pub kind: Kind,
    pub dedupe_key: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub event_id: Option<i32>,
}

/// The payload of a `notify.moved` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedNews {
    /// The event's revision that moved it.
    pub revision: i32,
    /// When and where it was before.
    pub before: Before,
}

/// When and where a moved event was before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Before {
    /// Told in each recipient's language.
    Then(WhenAndWhere),
    /// Rows queued before moves were kept this way carry the words, in English.
    Written(String),
}

impl Before {
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Before::Then(then) => then.describe(locale),
            Before::Written(words) => words.clone(),
        }
    }
}

/// When and where an event takes place, kept apart from the event so that a move can be told
/// against how it was, in each recipient's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhenAndWhere {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The event's IANA time zone.
    pub timezone: String,
    pub venue_name: Option<String>,
    pub city: Option<String>,
    pub online: bool,
}

impl WhenAndWhere {
    pub fn of(ev: &event::Model) -> WhenAndWhere {
        WhenAndWhere {
            starts_at: ev.starts_at,
            ends_at: ev.ends_at,
            timezone: ev.timezone.clone(),
            venue_name: ev.venue_name.clone(),
            city: ev.city.clone(),
            online: ev.online_url.is_some(),
        }
    }

    /// "Sat 5 Dec 2026, 19:00 – 22:00 CET at Kesselhaus, Berlin", in the event's own time zone.
    pub fn describe(&self, locale: Locale) -> String {
        let tz = self.timezone.parse().unwrap_or(Tz::UTC);
        let when = locale_format::range(locale, self.starts_at, self.ends_at, tz);
        match (&self.venue_name, &self.city) {
            (Some(venue), Some(city)) => {
                td_string!(
                    locale,
                    mail.place.venue_city,
                    when = when,
                    venue = venue,
                    city = city
                )
            }
            (Some(venue), None) => td_string!(locale, mail.place.venue, when = when, venue = venue),
            (None, _) if self.online => td_string!(locale, mail.place.online, when = when),
            _ => when,
        }
    }
}

/// The payload of a `notify.group` row: `invited` names the invitee; `None` is a request to
/// join (for the group's admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupNews {
    pub group: String,
    pub invited: Option<i32>,
}

/// The payload of a `notify.friend` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendNews {
    pub to: i32,
    pub accepted: bool,
}

pub async fn drafts<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    row: &outbox::Model,
) -> Result<Vec<Draft>, AppError> {
    match row.topic.as_str() {
        REGISTRATION => registration_news(db, row.subject_id).await,
        EVENT => event_news(db, row.subject_id).await,
        FRIEND => {
            let news: FriendNews = row
                .payload
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .ok_or_else(|| internal(format!("outbox row {} has no friend news", row.id)))?;
            friend_news(db, graph, row.id, row.subject_id, news).await
        }
        GROUP => {
            let news: GroupNews = row
                .payload
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .ok_or_else(|| internal(format!("outbox row {} has no group news", row.id)))?;
            group_news(db, graph, row.id, row.subject_id, news).await
        }
        MOVED => {
            let news: MovedNews = row
                .payload
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .ok_or_else(|| internal(format!("outbox row {} has no move", row.id)))?;
            moved(db, row.subject_id, news).await
        }
        other => Err(internal(format!("not a notify topic: {other}"))),
    }
}

async fn registration_news<C: ConnectionTrait>(
    db: &C,
    change_id: i32,
) -> Result<Vec<Draft>, AppError> {
    use RegistrationStatus as S;
    let Some(change) = registration_change::Entity::find_by_id(change_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    let Some(reg) = registration::Entity::find_by_id(change.registration_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    let Some(ev) = event::Entity::find_by_id(reg.event_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    let from = change.from_status.as_deref().and_then(S::parse);
    let Some(to) = S::parse(&change.to_status) else {
        return Ok(Vec::new());
    };
    let by_themselves = change.actor_id.is_some() && change.actor_id == reg.user_id;
    let locale = language_of(&language::of_users(db, reg.user_id).await?, &reg);
    let title = &ev.title;
    let when = when_and_where(locale, &ev);
    let count = reg.quantity;
    let (kind, heading, body) = match (from, to) {
        // a check-in undone is not news
        (Some(S::CheckedIn), S::Confirmed) => return Ok(Vec::new()),
        (_, S::Confirmed) => {
            let confirmed = if from == Some(S::PendingApproval) {
                td_string!(
                    locale,
                    mail.registration.approved_confirmed,
                    count = count,
                    when = &when
                )
            } else {
                td_string!(
                    locale,
                    mail.registration.confirmed,
                    count = count,
                    when = &when
                )
            };
            let tickets: String = match reg.user_id {
                Some(_) => String::new(),
                None => ticket_lines(db, reg.id, locale)
                    .await?
                    .iter()
                    .map(|line| format!("\n{line}"))
                    .collect(),
            };
            (
                Kind::RegistrationConfirmed,
                td_string!(locale, mail.registration.confirmed_title, title = title),
                format!("{confirmed}{tickets}"),
            )
        }
        (_, S::Offered) => {
            let offer = td_string!(locale, mail.registration.offer, count = count, when = &when);
            let body = match reg.expires_at {
                Some(at) => {
                    let at = locale_format::date_time(locale, at, tz_of(&ev));
                    let deadline = td_string!(locale, mail.registration.offer_deadline, at = at);
                    format!("{offer} {deadline}")
                }
                None => offer,
            };
            (
                Kind::WaitlistOffer,
                td_string!(locale, mail.registration.offer_title, title = title),
                body,
            )
        }
        (Some(S::Offered), S::Declined) if !by_themselves => (
            Kind::OfferLapsed,
            td_string!(locale, mail.registration.lapsed_title, title = title),
            td_string!(locale, mail.registration.lapsed).to_owned(),
        ),
        (Some(S::PendingApproval), S::Declined) => (
            Kind::ApprovalDecided,
            td_string!(locale, mail.registration.declined_title, title = title),
            with_note(
                locale,
                td_string!(locale, mail.registration.declined),
                &notes::read_in(&change.note, locale),
            ),
        ),
        (Some(S::PendingApproval), S::Reserved) => (
            Kind::ApprovalDecided,
            td_string!(locale, mail.registration.approved_title, title = title),
            td_string!(locale, mail.registration.pay, count = count, when = &when),
        ),
        (_, S::Refunded) => {
            let amount = locale_format::money(
                locale,
                reg.refunded_minor.max(reg.amount_minor),
                &reg.currency,
            );
            (
                Kind::PaymentRefunded,
                td_string!(locale, mail.registration.refunded_title, title = title),
                td_string!(locale, mail.registration.refunded, amount = amount),
            )
        }
        _ => return Ok(Vec::new()),
    };
    let link = match reg.user_id {
        Some(_) => format!("/my/tickets/{}", reg.id),
        None => format!("/events/{}", ev.id),
    };
    Ok(vec![Draft {
        user_id: reg.user_id,
        email: reg.email.clone(),
        kind,
        dedupe_key: format!("registration_change:{}", change.id),
        title: heading,
        body,
        link,
        event_id: Some(ev.id),
    }])
}

async fn event_news<C: ConnectionTrait>(
    db: &C,
    transition_id: i32,
) -> Result<Vec<Draft>, AppError> {
    let Some(step) = event_transition::Entity::find_by_id(transition_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    let Some(ev) = event::Entity::find_by_id(step.event_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    if step.action == "cancel" {
        return cancelled(db, &step, &ev).await;
    }
    let heading: fn(Locale, &str) -> String = match step.action.as_str() {
        "approve" | "fast_track" => {
            |l, title| td_string!(l, mail.curation.published, title = title)
        }
        "request_revision" => |l, title| td_string!(l, mail.curation.needs_changes, title = title),
        "reject" => |l, title| td_string!(l, mail.curation.not_accepted, title = title),
        "approve_edit" => |l, title| td_string!(l, mail.curation.edit_public, title = title),
        "return_edit" => |l, title| td_string!(l, mail.curation.edit_returned, title = title),
        "reject_edit" => |l, title| td_string!(l, mail.curation.edit_rejected, title = title),
        "hide" => |l, title| td_string!(l, mail.curation.hidden, title = title),
        "restore" => |l, title| td_string!(l, mail.curation.restored, title = title),
        _ => return Ok(Vec::new()),
    };
    if step.actor_id == Some(ev.organizer_id) {
        return Ok(Vec::new());
    }
    let Some(organizer) = user::Entity::find_by_id(ev.organizer_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    let locale = language::of_user(&organizer);
    let note = step.note.trim();
    let body = if note.is_empty() {
        td_string!(locale, mail.curation.see_history).to_owned()
    } else if step.action == "hide" {
        td_string!(locale, mail.curation.reports_said, note = note)
    } else {
        td_string!(locale, mail.curation.curator_note, note = note)
    };
    Ok(vec![Draft {
        user_id: Some(organizer.id),
        email: organizer.email,
        kind: Kind::CurationDecided,
        dedupe_key: format!("event_transition:{}", step.id),
        title: heading(locale, &ev.title),
        body,
        link: format!("/events/{}/history", ev.id),
        event_id: Some(ev.id),
    }])
}

/// Everyone holding an open registration hears that the event is off.
async fn cancelled<C: ConnectionTrait>(
    db: &C,
    step: &event_transition::Model,
    ev: &event::Model,
) -> Result<Vec<Draft>, AppError> {
    // open ones, and those the cancellation closed already (it runs beside this)
    let closed_by_it: HashSet<i32> = registration_change::Entity::find()
        .select_only()
        .column(registration_change::Column::RegistrationId)
        .filter(registration_change::Column::Note.eq(notes::EVENT_CANCELLED))
        .filter(
            registration_change::Column::RegistrationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(registration::Column::Id)
                    .from(registration::Entity)
                    .and_where(registration::Column::EventId.eq(ev.id))
                    .to_owned(),
            ),
        )
        .into_tuple::<i32>()
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .collect();
    let holders: Vec<registration::Model> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(ev.id))
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|r| {
            RegistrationStatus::parse(&r.status).is_some_and(RegistrationStatus::is_open)
                || closed_by_it.contains(&r.id)
        })
        .collect();
    let reason = ev
        .cancel_reason
        .clone()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| step.note.clone());
    let languages = language::of_users(db, holders.iter().filter_map(|r| r.user_id)).await?;
    Ok(holders
        .into_iter()
        .map(|reg| {
            let locale = language_of(&languages, &reg);
            let off = td_string!(
                locale,
                mail.cancelled.body,
                title = &ev.title,
                when = when_and_where(locale, ev)
            );
            let body = with_note(locale, &off, &reason);
            Draft {
                user_id: reg.user_id,
                email: reg.email.clone(),
                kind: Kind::EventCancelled,
                dedupe_key: format!("event_transition:{}:registration:{}", step.id, reg.id),
                title: td_string!(locale, mail.cancelled.title, title = &ev.title),
                body: match &reg.payment_intent_id {
                    Some(_) if reg.amount_minor > 0 => {
                        let amount = locale_format::money(locale, reg.amount_minor, &reg.currency);
                        let refund = td_string!(locale, mail.cancelled.refund, amount = amount);
                        format!("{body}\n{refund}")
                    }
                    _ => body,
                },
                link: match reg.user_id {
                    Some(_) => format!("/my/tickets/{}", reg.id),
                    None => format!("/events/{}", ev.id),
                },
                event_id: Some(ev.id),
            }
        })
        .collect())
}

/// Everyone going hears the new time or place (reminders and calendar files follow the event
/// as it is now); nothing when it was cancelled or hidden meanwhile.
async fn moved<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    news: MovedNews,
) -> Result<Vec<Draft>, AppError> {
    let Some(ev) = event::Entity::find_by_id(event_id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(Vec::new());
    };
    if ev.status != crate::model::events::EventStatus::Published.as_str() || ev.hidden_at.is_some()
    {
        return Ok(Vec::new());
    }
    let going = RegistrationStatus::slugs_where(RegistrationStatus::is_going);
    let holders = registration::Entity::find()
        .filter(registration::Column::EventId.eq(ev.id))
        .filter(registration::Column::Status.is_in(going))
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let languages = language::of_users(db, holders.iter().filter_map(|r| r.user_id)).await?;
    Ok(holders
        .into_iter()
        .map(|reg| {
            let locale = language_of(&languages, &reg);
            let body = [
                td_string!(locale, mail.moved.now, when = when_and_where(locale, &ev)),
                td_string!(
                    locale,
                    mail.moved.before,
                    when = news.before.describe(locale)
                ),
                td_string!(locale, mail.moved.still_valid).to_owned(),
            ]
            .join("\n");
            Draft {
                user_id: reg.user_id,
                email: reg.email.clone(),
                kind: Kind::EventMoved,
                dedupe_key: format!("moved:{}:{}:registration:{}", ev.id, news.revision, reg.id),
                title: td_string!(locale, mail.moved.title, title = &ev.title),
                body,
                link: match reg.user_id {
                    Some(_) => format!("/my/tickets/{}", reg.id),
                    None => format!("/events/{}", ev.id),
                },
                event_id: Some(ev.id),
            }
        })
        .collect())
}

/// An invitation is news for the invitee while it stands; a request to join for the group's
/// admins while nobody has answered it.
async fn group_news<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    row_id: i64,
    from: i32,
    news: GroupNews,
) -> Result<Vec<Draft>, AppError> {
    use crate::domain::social::groups;
    let (waiting, expected) = match news.invited {
        Some(to) => (to, "invited"),
        None => (from, "requested"),
    };
    let Some((name, Some(status))) = groups::standing(graph, &news.group, waiting).await? else {
        return Ok(Vec::new());
    };
    if status != expected {
        return Ok(Vec::new());
    }
    let recipients = match news.invited {
        Some(to) => vec![to],
        None => groups::admins(graph, &news.group).await?,
    };
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(recipients.iter().copied().chain([from])))
        .all(db)
        .await
        .map_err(internal)?;
    let Some(sender) = people.iter().find(|u| u.id == from) else {
        return Ok(Vec::new());
    };
    Ok(people
        .iter()
        .filter(|u| u.id != from)
        .map(|recipient| {
            let locale = language::of_user(recipient);
            let sender = &sender.display_name;
            let (kind, title, body) = match news.invited {
                Some(_) => (
                    Kind::GroupInvitation,
                    td_string!(
                        locale,
                        mail.group.invitation_title,
                        name = sender,
                        group = &name
                    ),
                    td_string!(locale, mail.group.invitation),
                ),
                None => (
                    Kind::GroupRequest,
                    td_string!(
                        locale,
                        mail.group.request_title,
                        name = sender,
                        group = &name
                    ),
                    td_string!(locale, mail.group.request),
                ),
            };
            Draft {
                user_id: Some(recipient.id),
                email: recipient.email.clone(),
                kind,
                dedupe_key: format!("outbox:{row_id}:{}", recipient.id),
                title,
                body: body.to_owned(),
                link: format!("/groups/{}", news.group),
                event_id: None,
            }
        })
        .collect())
}

/// A request is news while it still stands; an acceptance while they are still friends. A
/// block in between deletes both, so neither reaches someone who blocked the sender.
async fn friend_news<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    row_id: i64,
    from: i32,
    news: FriendNews,
) -> Result<Vec<Draft>, AppError> {
    let t = ties::between(graph, news.to, from).await?;
    let still = if news.accepted { t.friends } else { t.asked_me };
    if !still || t.blocking || t.blocked_by {
        return Ok(Vec::new());
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in([from, news.to]))
        .all(db)
        .await
        .map_err(internal)?;
    let (Some(sender), Some(recipient)) = (
        people.iter().find(|u| u.id == from),
        people.iter().find(|u| u.id == news.to),
    ) else {
        return Ok(Vec::new());
    };
    let locale = language::of_user(recipient);
    let name = &sender.display_name;
    let (kind, title) = if news.accepted {
        (
            Kind::FriendAccepted,
            td_string!(locale, mail.friend.accepted_title, name = name),
        )
    } else {
        (
            Kind::FriendRequest,
            td_string!(locale, mail.friend.request_title, name = name),
        )
    };
    Ok(vec![Draft {
        user_id: Some(recipient.id),
        email: recipient.email.clone(),
        kind,
        dedupe_key: format!("outbox:{row_id}"),
        title,
        body: td_string!(locale, mail.friend.body).to_owned(),
        link: format!("/people/{}", sender.id),
        event_id: None,
    }])
}

/// The language a notification about `reg` is written in: the account's; for a guest, the
/// language the registration was made in; else English.
pub fn language_of(languages: &HashMap<i32, Locale>, reg: &registration::Model) -> Locale {
    reg.user_id
        .and_then(|id| languages.get(&id).copied())
        .or_else(|| reg.locale.as_deref().and_then(parse))
        .unwrap_or_default()
}

fn with_note(locale: Locale, text: &str, note: &str) -> String {
    match note.trim() {
        "" => text.to_owned(),
        note => format!("{text} {}", td_string!(locale, mail.note, note = note)),
    }
}

/// "Sat 5 Dec 2026, 19:00 – 22:00 CET at Kesselhaus, Berlin", in the event's own time zone.
pub fn when_and_where(locale: Locale, ev: &event::Model) -> String {
    WhenAndWhere::of(ev).describe(locale)
}

/// The lines that give a registration's tickets as links ("Ticket 1: /tickets/…"): what a guest,
/// who has no account to find them in, gets by mail.
pub async fn ticket_lines<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
    locale: Locale,
) -> Result<Vec<String>, AppError> {
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::RegistrationId.eq(registration_id))
        .order_by_asc(ticket::Column::Number)
        .all(db)
        .await
        .map_err(internal)?;
    Ok(tickets
        .iter()
        .map(|t| {
            let link = format!("/tickets/{}", t.code);
            td_string!(locale, mail.ticket_line, number = t.number, link = link)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_queued_by_an_earlier_version_still_reads() {
        let old: MovedNews = serde_json::from_str(
            r#"{"revision":3,"before":"Sat 5 Dec 2026, 19:00 at Kesselhaus"}"#,
        )
        .expect("the earlier payload");
        assert_eq!(
            old.before.describe(Locale::de),
            "Sat 5 Dec 2026, 19:00 at Kesselhaus"
        );
        let then = WhenAndWhere {
            starts_at: DateTime::parse_from_rfc3339("2026-12-05T18:00:00Z")
                .expect("a moment")
                .to_utc(),
            ends_at: DateTime::parse_from_rfc3339("2026-12-05T21:00:00Z")
                .expect("a moment")
                .to_utc(),
            timezone: "Europe/Berlin".into(),
            venue_name: Some("Kesselhaus".into()),
            city: Some("Berlin".into()),
            online: false,
        };
        let news = MovedNews {
            revision: 4,
            before: Before::Then(then),
        };
        let again: MovedNews =
            serde_json::from_str(&serde_json::to_string(&news).expect("json")).expect("parses");
        assert_eq!(again, news);
        assert!(again
            .before
            .describe(Locale::de)
            .contains("Kesselhaus, Berlin"));
    }
}
