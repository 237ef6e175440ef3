//! The activity feed: friends' RSVPs and reviews, events published by organizers the viewer
//! follows, and events added to the shortlists of the viewer's groups. Newest first, a page at a
//! time; a friend who keeps their attendance to themselves has no RSVPs here, and nothing by or
//! from a blocked person appears.
use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{fetch, ties};
use crate::{
    domain::{
        graph::{key_of, user_node, val, GraphStore, RecordId, SurrealValue},
        locale_format,
    },
    error::AppError,
    model::{
        language::Locale,
        social::{FeedItem, FeedKind, FeedPage, GroupRef, PersonRef},
    },
};

pub const PAGE: usize = 20;
/// Rows read beyond a page from each source, so items sharing the cursor's instant are not
/// lost between pages.
const SLACK: usize = 20;

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Row {
    who: RecordId,
    who_name: String,
    event: RecordId,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    organizer: RecordId,
    at: DateTime<Utc>,
    rating: Option<i64>,
    grp: Option<RecordId>,
    grp_name: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Sources {
    going: Vec<Row>,
    reviewed: Vec<Row>,
    published: Vec<Row>,
    shortlisted: Vec<Row>,
}

const SQL: &str = "
LET $friends = $me->friend_of[WHERE accepted = true]->user;
LET $sharing = SELECT VALUE id FROM $friends WHERE attendance != 'private';
LET $organizers = $me->follows->user;
LET $groups = SELECT VALUE out FROM $me->member_of WHERE status = 'member';
RETURN {
    going: (SELECT in AS who, in.name AS who_name, out AS event, out.title AS title,
                   out.starts_at AS starts_at, out.ends_at AS ends_at,
                   out.organizer AS organizer, at
            FROM $sharing->attends WHERE at <= $before AND out.listed = true
            ORDER BY at DESC LIMIT $limit),
    reviewed: (SELECT in AS who, in.name AS who_name, out AS event, out.title AS title,
                      out.starts_at AS starts_at, out.ends_at AS ends_at,
                      out.organizer AS organizer, at, rating
               FROM $friends->reviewed WHERE at <= $before AND out.listed = true
               ORDER BY at DESC LIMIT $limit),
    published: (SELECT organizer AS who, organizer.name AS who_name, id AS event, title,
                       starts_at, ends_at, organizer, published_at AS at
                FROM event WHERE organizer IN $organizers AND listed = true
                      AND published_at <= $before
                ORDER BY at DESC LIMIT $limit),
    shortlisted: (SELECT by AS who, by.name AS who_name, out AS event, out.title AS title,
                         out.starts_at AS starts_at, out.ends_at AS ends_at,
                         out.organizer AS organizer, at, in AS grp, in.name AS grp_name
                  FROM $groups->shortlists WHERE at <= $before AND out.listed = true
                  ORDER BY at DESC LIMIT $limit),
};
";

/// A position in the feed: an instant and, among items of that instant, a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub at_micros: i64,
    pub key: String,
}

impl Cursor {
    pub fn parse(raw: &str) -> Option<Cursor> {
        let (at, key) = raw.split_once('~')?;
        Some(Cursor {
            at_micros: at.parse().ok()?,
            key: key.to_owned(),
        })
    }

    pub fn encode(&self) -> String {
        format!("{}~{}", self.at_micros, self.key)
    }
}

struct Entry {
    cursor: Cursor,
    item: FeedItem,
}

fn entry(kind: FeedKind, row: &Row, tz: Tz, locale: Locale) -> Option<Entry> {
    let who = key_of(&row.who)?;
    let event_id = key_of(&row.event)?;
    let group = match (&row.grp, &row.grp_name) {
        (Some(g), Some(name)) => Some(GroupRef {
            key: group_key(g)?,
            name: name.clone(),
        }),
        _ => None,
    };
    let key = format!(
        "{}:{who}:{event_id}:{}",
        kind.as_str(),
        group.as_ref().map(|g| g.key.as_str()).unwrap_or("")
    );
    Some(Entry {
        cursor: Cursor {
            at_micros: row.at.timestamp_micros(),
            key,
        },
        item: FeedItem {
            kind,
            who: PersonRef {
                id: who,
                name: row.who_name.clone(),
            },
            event_id,
            event_title: row.title.clone(),
            event_start: locale_format::range(locale, row.starts_at, row.ends_at, tz),
            group,
            rating: row.rating.and_then(|r| i32::try_from(r).ok()),
            when: locale_format::short_date_time(locale, row.at, tz),
        },
    })
}

pub(crate) fn group_key(id: &RecordId) -> Option<String> {
    match &id.key {
        surrealdb::types::RecordIdKey::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// One page of `me`'s feed, older than `after` (the previous page's `next`), its times written
/// for `locale`.
pub async fn page(
    graph: &dyn GraphStore,
    me: i32,
    after: Option<&Cursor>,
    tz: Tz,
    locale: Locale,
) -> Result<FeedPage, AppError> {
    let before = after
        .and_then(|c| Utc.timestamp_micros(c.at_micros).single())
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let sources: Option<Sources> = fetch(
        graph,
        SQL,
        vec![
            ("me", val(user_node(me))),
            ("before", val(before)),
            ("limit", val((PAGE + SLACK) as i64)),
        ],
        4,
    )
    .await?;
    let Some(sources) = sources else {
        return Ok(FeedPage {
            items: Vec::new(),
            next: None,
        });
    };
    let blocked: BTreeSet<i32> = ties::blocked_set(graph, me).await?;
    let hidden = |row: &Row| {
        [&row.who, &row.organizer]
            .iter()
            .any(|id| key_of(id).is_some_and(|k| blocked.contains(&k)))
    };
    let mut entries: Vec<Entry> = [
        (FeedKind::Going, &sources.going),
        (FeedKind::Reviewed, &sources.reviewed),
        (FeedKind::Published, &sources.published),
        (FeedKind::Shortlisted, &sources.shortlisted),
    ]
    .into_iter()
    .flat_map(|(kind, rows)| {
        rows.iter()
            .filter(|r| !hidden(r))
            .filter_map(move |r| entry(kind, r, tz, locale))
    })
    .filter(|e| after.is_none_or(|c| e.cursor < *c))
    .collect();
    entries.sort_by(|a, b| b.cursor.cmp(&a.cursor));
    let more = entries.len() > PAGE;
    entries.truncate(PAGE);
    let next = more
        .then(|| entries.last().map(|e| e.cursor.encode()))
        .flatten();
    Ok(FeedPage {
        items: entries.into_iter().map(|e| e.item).collect(),
        next,
    })
}
