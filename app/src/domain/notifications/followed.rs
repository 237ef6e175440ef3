//! New events from the organizers and organizations someone follows, batched: at most one
//! notification a day, naming every event published since the one before. A sweep (`EVERY`)
//! reads what was published lately and who follows its organizers and organizations in the
//! graph; the key of a batch names the person and its newest event, so a second sweep stores
//! nothing twice.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{compose::Draft, notifier};
use crate::{
    domain::{
        accounts::language,
        context::internal,
        events::listings::tz_of,
        graph::{key_of, user_node, val, GraphStore, RecordId},
        locale_format,
        organizations::profile::names_of_events,
        social::fetch,
    },
    error::AppError,
    i18n::td_string,
    model::{events::EventStatus, notifications::Kind},
};
use entity::{event, notification, user};

pub const EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The least time between two batches for one person.
const AT_MOST_EVERY: Duration = Duration::hours(24);
/// How far back a first batch looks.
const LOOK_BACK: Duration = Duration::days(7);
/// Events named in a batch's text; the rest are counted.
const NAMED: usize = 5;

/// Stores the batches due at `now`; returns who got one.
pub async fn send_due<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    let fresh = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::PublishedAt.gt(now - LOOK_BACK))
        .filter(event::Column::StartsAt.gt(now))
        .order_by_asc(event::Column::PublishedAt)
        .all(db)
        .await
        .map_err(internal)?;
    let organizers: BTreeSet<i32> = fresh.iter().map(|e| e.organizer_id).collect();
    let organizations: BTreeSet<i32> = fresh.iter().map(|e| e.organization_id).collect();
    // follower -> whom they follow among those who published
    let mut follows: BTreeMap<i32, BTreeSet<Source>> = BTreeMap::new();
    for &org in &organizations {
        for follower in crate::domain::organizations::follows::followers(graph, org).await? {
            follows
                .entry(follower)
                .or_default()
                .insert(Source::Organization(org));
        }
    }
    for &organizer in &organizers {
        let followers: Vec<RecordId> = fetch(
            graph,
            "SELECT VALUE in FROM follows WHERE out = $o",
            vec![("o", val(user_node(organizer)))],
            0,
        )
        .await?;
        for follower in followers.iter().filter_map(key_of) {
            follows
                .entry(follower)
                .or_default()
                .insert(Source::Person(organizer));
        }
    }
    if follows.is_empty() {
        return Ok(Vec::new());
    }
    let mut last: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for n in notification::Entity::find()
        .filter(notification::Column::Kind.eq(Kind::FollowedEvents.as_str()))
        .filter(notification::Column::UserId.is_in(follows.keys().copied()))
        .all(db)
        .await
        .map_err(internal)?
    {
        if let Some(user) = n.user_id {
            let at = last.entry(user).or_insert(n.created_at);
            *at = (*at).max(n.created_at);
        }
    }
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(follows.keys().copied().chain(organizers.iter().copied())))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let names = names_of_events(db, &fresh).await?;
    let mut drafts = Vec::new();
    for (follower, followed) in &follows {
        let since = match last.get(follower) {
            Some(&at) if now - at < AT_MOST_EVERY => continue,
            Some(&at) => at,
            None => now - LOOK_BACK,
        };
        let news: Vec<&event::Model> = fresh
            .iter()
            .filter(|e| {
                followed.contains(&Source::Person(e.organizer_id))
                    || followed.contains(&Source::Organization(e.organization_id))
            })
            .filter(|e| e.published_at.is_some_and(|p| p > since))
            .collect();
        let (Some(newest), Some(recipient)) =
            (news.iter().map(|e| e.id).max(), people.get(follower))
        else {
            continue;
        };
        drafts.push(batch(recipient, &news, &names, newest));
    }
    notifier::insert_drafts(db, drafts, now).await
}

/// Whom someone follows: a person (an organizer) or an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Person(i32),
    Organization(i32),
}

fn batch(
    recipient: &user::Model,
    news: &[&event::Model],
    names: &HashMap<i32, String>,
    newest: i32,
) -> Draft {
    let locale = language::of_user(recipient);
    let name_of = |e: &event::Model| names.get(&e.id).cloned().unwrap_or_default();
    let title = match news {
        [one] => td_string!(
            locale,
            mail.followed.one_title,
            name = name_of(one),
            title = &one.title
        ),
        many => td_string!(locale, mail.followed.many_title, n = many.len()),
    };
    let mut lines: Vec<String> = news
        .iter()
        .take(NAMED)
        .map(|e| {
            td_string!(
                locale,
                mail.followed.line,
                title = &e.title,
                when = locale_format::range(locale, e.starts_at, e.ends_at, tz_of(e)),
                name = name_of(e),
                link = format!("/events/{}", e.id)
            )
        })
        .collect();
    if news.len() > NAMED {
        lines.push(td_string!(
            locale,
            mail.followed.more,
            n = news.len() - NAMED
        ));
    }
    Draft {
        user_id: Some(recipient.id),
        email: recipient.email.clone(),
        kind: Kind::FollowedEvents,
        dedupe_key: format!("followed:{}:{newest}", recipient.id),
        title,
        body: lines.join("\n"),
        link: match news {
            [one] => format!("/events/{}", one.id),
            _ => "/feed".to_owned(),
        },
        event_id: None,
    }
}
