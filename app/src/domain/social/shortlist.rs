//! Group planning: members add events to the group's shortlist and vote; the event with the
//! most votes is the group's pick (ties: the one proposed first).
use chrono::{DateTime, Utc};

use super::{exec, fetch, ties};
use crate::{
    domain::{
        graph::{
            edge, event_node, group_node, key_of, user_node, val, GraphStore, RecordId,
            SurrealValue,
        },
        locale_format,
    },
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        social::{GroupAction, ShortlistItem},
    },
};

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Row {
    event: RecordId,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    by: RecordId,
    by_name: String,
    votes: i64,
    voted: bool,
    at: DateTime<Utc>,
}

/// A shortlist shows at most this many events, most votes first.
pub const SHORTLIST: i64 = 50;

pub async fn items(
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
    tz: chrono_tz::Tz,
    locale: Locale,
) -> Result<Vec<ShortlistItem>, AppError> {
    let mut rows: Vec<Row> = fetch(
        graph,
        "SELECT out AS event, out.title AS title, out.starts_at AS starts_at,
                out.ends_at AS ends_at, by, by.name AS by_name,
                array::len(voters) AS votes, $me IN voters AS voted, at
         FROM $g->shortlists WHERE out.listed = true
         ORDER BY votes DESC, at ASC LIMIT $limit",
        vec![
            ("g", val(group_node(key))),
            ("me", val(user_node(me))),
            ("limit", val(SHORTLIST)),
        ],
        0,
    )
    .await?;
    let blocked = ties::blocked_set(graph, me).await?;
    rows.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.at.cmp(&b.at)));
    let top = rows
        .first()
        .filter(|r| r.votes > 0)
        .map(|r| r.event.clone());
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(ShortlistItem {
                event_id: key_of(&r.event)?,
                title: r.title.clone(),
                start: locale_format::range(locale, r.starts_at, r.ends_at, tz),
                proposed_by: if key_of(&r.by).is_some_and(|b| blocked.contains(&b)) {
                    td_string!(locale, social.shortlist.a_member).into()
                } else {
                    r.by_name.clone()
                },
                votes: u32::try_from(r.votes).unwrap_or(0),
                voted: r.voted,
                top: top.as_ref() == Some(&r.event),
            })
        })
        .collect())
}

/// A member's shortlist action. The caller has checked membership.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
    admin: bool,
    action: GroupAction,
    event: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<&'static str, AppError> {
    use GroupAction as A;
    let (g, e, u) = (group_node(key), event_node(event), user_node(me));
    let id = edge("shortlists", &g, &e);
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct Entry {
        by: RecordId,
        listed: Option<bool>,
    }
    let entry: Option<Entry> = fetch(
        graph,
        "SELECT by, out.listed AS listed FROM ONLY $id",
        vec![("id", val(id.clone()))],
        0,
    )
    .await?;
    let vars = vec![
        ("id", val(id)),
        ("g", val(g)),
        ("e", val(e.clone())),
        ("u", val(u.clone())),
        ("now", val(now)),
    ];
    match (action, entry) {
        (A::Propose, Some(_)) => Err(AppError::Refused(
            td_string!(locale, social.shortlist.refused_listed).into(),
        )),
        (A::Propose, None) => {
            let listed: Option<bool> = fetch(
                graph,
                "SELECT VALUE listed FROM ONLY $e",
                vec![("e", val(e))],
                0,
            )
            .await?;
            if listed != Some(true) {
                return Err(AppError::NotFound);
            }
            exec(
                graph,
                "RELATE OR UPDATE $g->$id->$e SET by = $u, voters = [$u], at = $now RETURN NONE",
                vars,
            )
            .await?;
            Ok(td_string!(locale, social.shortlist.proposed))
        }
        (_, None) => Err(AppError::Refused(
            td_string!(locale, social.shortlist.refused_not_listed).into(),
        )),
        (A::Vote, Some(_)) => {
            exec(
                graph,
                "UPDATE $id SET voters = array::union(voters, [$u]) RETURN NONE",
                vars,
            )
            .await?;
            Ok(td_string!(locale, social.shortlist.voted))
        }
        (A::Unvote, Some(_)) => {
            exec(
                graph,
                "UPDATE $id SET voters = array::complement(voters, [$u]) RETURN NONE",
                vars,
            )
            .await?;
            Ok(td_string!(locale, social.shortlist.unvoted))
        }
        (A::Unlist, Some(entry)) => {
            if !admin && entry.by != u {
                return Err(AppError::Forbidden);
            }
            exec(graph, "DELETE $id", vars).await?;
            Ok(td_string!(locale, social.shortlist.unlisted))
        }
        _ => Err(AppError::Refused(
            td_string!(locale, social.shortlist.refused_other).into(),
        )),
    }
}
