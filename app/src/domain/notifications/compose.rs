//! What a change means for whom: an outbox row of a `notify.*` topic, read against the data as
//! it is now, becomes the notifications to store (`Draft`s). Each draft carries a key naming
//! the change and the recipient, so composing the same row twice yields the same keys.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        context::internal,
        events::{listings::tz_of, schedule::format_range},
        graph::GraphStore,
        social::ties,
        ticketing::{event_cancellation, money},
    },
    error::AppError,
    model::{notifications::Kind, ticketing::RegistrationStatus},
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

/// One notification to store.
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
    pub before: String,
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
    let title = &ev.title;
    let when = when_and_where(&ev);
    let (kind, heading, body) = match (from, to) {
        // a check-in undone is not news
        (Some(S::CheckedIn), S::Confirmed) => return Ok(Vec::new()),
        (_, S::Confirmed) => {
            let approved = if from == Some(S::PendingApproval) {
                "The organizer approved your request. "
            } else {
                ""
            };
            let seats = seats(reg.quantity);
            let tickets: String = match reg.user_id {
                Some(_) => String::new(),
                None => ticket_lines(db, reg.id)
                    .await?
                    .iter()
                    .map(|line| format!("\n{line}"))
                    .collect(),
            };
            (
                Kind::RegistrationConfirmed,
                format!("You're going to {title}"),
                format!("{approved}{seats} confirmed for {when}.{tickets}"),
            )
        }
        (_, S::Offered) => {
            let until = reg
                .expires_at
                .map(|at| format!(" Accept it by {} or it goes to the next person.", local(at, &ev)))
                .unwrap_or_default();
            (
                Kind::WaitlistOffer,
                format!("A seat is free for you at {title}"),
                format!("{} of the waitlist can be yours: {when}.{until}", seats(reg.quantity)),
            )
        }
        (Some(S::Offered), S::Declined) if !by_themselves => (
            Kind::OfferLapsed,
            format!("Your offer for {title} lapsed"),
            "The seat offered to you from the waitlist was not accepted in time and has gone to the next person.".to_owned(),
        ),
        (Some(S::PendingApproval), S::Declined) => (
            Kind::ApprovalDecided,
            format!("Your request for {title} was declined"),
            with_note("The organizer declined your request.", &change.note),
        ),
        (Some(S::PendingApproval), S::Reserved) => (
            Kind::ApprovalDecided,
            format!("Your request for {title} was approved"),
            format!(
                "Pay to confirm your {}: {when}.",
                seats(reg.quantity).to_lowercase()
            ),
        ),
        (_, S::Refunded) => (
            Kind::PaymentRefunded,
            format!("Your payment for {title} was refunded"),
            format!(
                "{} is on its way back to you. It can take a few days to show on your statement.",
                money::format(reg.refunded_minor.max(reg.amount_minor), &reg.currency)
            ),
        ),
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
    let title = &ev.title;
    let heading = match step.action.as_str() {
        "approve" | "fast_track" => format!("“{title}” is published"),
        "request_revision" => format!("“{title}” needs changes"),
        "reject" => format!("“{title}” was not accepted"),
        "approve_edit" => format!("Your changes to “{title}” are public"),
        "return_edit" => format!("Your changes to “{title}” need more work"),
        "reject_edit" => format!("Your changes to “{title}” were not accepted"),
        "hide" => format!("“{title}” is hidden while curators look at reports"),
        "restore" => format!("“{title}” is public again"),
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
    let body = if step.note.trim().is_empty() {
        "See the event's history for the details.".to_owned()
    } else if step.action == "hide" {
        format!("Reports said: {}", step.note.trim())
    } else {
        format!("The curator's note: {}", step.note.trim())
    };
    Ok(vec![Draft {
        user_id: Some(organizer.id),
        email: organizer.email,
        kind: Kind::CurationDecided,
        dedupe_key: format!("event_transition:{}", step.id),
        title: heading,
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
        .filter(registration_change::Column::Note.eq(event_cancellation::NOTE))
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
    let body = with_note(
        &format!("{} ({}) will not take place.", ev.title, when_and_where(ev)),
        &reason,
    );
    Ok(holders
        .into_iter()
        .map(|reg| Draft {
            user_id: reg.user_id,
            email: reg.email.clone(),
            kind: Kind::EventCancelled,
            dedupe_key: format!("event_transition:{}:registration:{}", step.id, reg.id),
            title: format!("{} is cancelled", ev.title),
            body: match &reg.payment_intent_id {
                Some(_) if reg.amount_minor > 0 => format!(
                    "{body}\nYour payment of {} is refunded in full, to the card you paid with.",
                    money::format(reg.amount_minor, &reg.currency)
                ),
                _ => body.clone(),
            },
            link: match reg.user_id {
                Some(_) => format!("/my/tickets/{}", reg.id),
                None => format!("/events/{}", ev.id),
            },
            event_id: Some(ev.id),
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
    let body = format!(
        "Now: {}.\nBefore: {}.\nYour tickets stay valid.",
        when_and_where(&ev),
        news.before
    );
    Ok(holders
        .into_iter()
        .map(|reg| Draft {
            user_id: reg.user_id,
            email: reg.email.clone(),
            kind: Kind::EventMoved,
            dedupe_key: format!("moved:{}:{}:registration:{}", ev.id, news.revision, reg.id),
            title: format!("{} has a new time or place", ev.title),
            body: body.clone(),
            link: match reg.user_id {
                Some(_) => format!("/my/tickets/{}", reg.id),
                None => format!("/events/{}", ev.id),
            },
            event_id: Some(ev.id),
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
            let (kind, title, body) = match news.invited {
                Some(_) => (
                    Kind::GroupInvitation,
                    format!("{} invites you to {name}", sender.display_name),
                    "Join it from the group's page.",
                ),
                None => (
                    Kind::GroupRequest,
                    format!("{} asks to join {name}", sender.display_name),
                    "Approve or turn down the request on the group's page.",
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
    let (kind, title) = if news.accepted {
        (
            Kind::FriendAccepted,
            format!("{} accepted your friend request", sender.display_name),
        )
    } else {
        (
            Kind::FriendRequest,
            format!("{} asks to be your friend", sender.display_name),
        )
    };
    Ok(vec![Draft {
        user_id: Some(recipient.id),
        email: recipient.email.clone(),
        kind,
        dedupe_key: format!("outbox:{row_id}"),
        title,
        body: "Friends see which events each other are going to.".to_owned(),
        link: format!("/people/{}", sender.id),
        event_id: None,
    }])
}

fn seats(quantity: i32) -> String {
    if quantity == 1 {
        "One seat".to_owned()
    } else {
        format!("{quantity} seats")
    }
}

fn with_note(text: &str, note: &str) -> String {
    match note.trim() {
        "" => text.to_owned(),
        note => format!("{text} Note: {note}"),
    }
}

fn local(at: DateTime<Utc>, ev: &event::Model) -> String {
    at.with_timezone(&tz_of(ev))
        .format("%a %-d %b, %H:%M (%Z)")
        .to_string()
}

/// "Sat 5 Dec 2026, 19:00 – 22:00 CET at Kesselhaus, Berlin", in the event's own time zone.
pub fn when_and_where(ev: &event::Model) -> String {
    let when = format_range(ev.starts_at, ev.ends_at, tz_of(ev));
    let place = match (&ev.venue_name, &ev.city) {
        (Some(venue), Some(city)) => format!(" at {venue}, {city}"),
        (Some(venue), None) => format!(" at {venue}"),
        (None, _) if ev.online_url.is_some() => " online".to_owned(),
        _ => String::new(),
    };
    format!("{when}{place}")
}

/// The lines that give a registration's tickets as links ("Ticket 1: /tickets/…"): what a guest,
/// who has no account to find them in, gets by mail.
pub async fn ticket_lines<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
) -> Result<Vec<String>, AppError> {
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::RegistrationId.eq(registration_id))
        .order_by_asc(ticket::Column::Number)
        .all(db)
        .await
        .map_err(internal)?;
    Ok(tickets
        .iter()
        .map(|t| format!("Ticket {}: /tickets/{}", t.number, t.code))
        .collect())
}
