//! Groups: public ones anyone joins, private ones people ask to join and admins approve, and
//! invite-only ones that are hidden from everyone but their members and invitees.
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::{exec, fetch, going::Named, ties};
use crate::{
    domain::{
        context::internal,
        graph::{edge, group_node, key_of, user_node, val, GraphStore, RecordId, SurrealValue},
        notifications::compose::{self, GroupNews},
        outbox,
        social::shortlist,
        ticketing::tickets::new_code,
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{
        language::Locale,
        social::{
            GroupAction, GroupPage, GroupRef, GroupSummary, GroupVisibility, Member, MemberStatus,
            PersonRef,
        },
    },
};

pub const MAX_NAME: usize = 80;
pub const MAX_ABOUT: usize = 1000;

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct GroupRow {
    id: RecordId,
    name: String,
    about: String,
    visibility: String,
    members: i64,
    my_status: Option<String>,
    my_role: Option<String>,
}

const SELECT: &str = "SELECT id, name, about, visibility,
        count(<-member_of[WHERE status = 'member']) AS members,
        (SELECT VALUE status FROM $mine WHERE out = $parent.id)[0] AS my_status,
        (SELECT VALUE role FROM $mine WHERE out = $parent.id)[0] AS my_role";

fn summary(row: &GroupRow) -> Option<(GroupSummary, bool)> {
    let key = super::feed::group_key(&row.id)?;
    Some((
        GroupSummary {
            group: GroupRef {
                key,
                name: row.name.clone(),
            },
            about: row.about.clone(),
            visibility: GroupVisibility::parse(&row.visibility)?,
            members: u32::try_from(row.members).unwrap_or(0),
            my_status: row.my_status.as_deref().and_then(MemberStatus::parse),
        },
        row.my_role.as_deref() == Some("admin"),
    ))
}

pub struct NewGroup {
    pub name: String,
    pub about: String,
    pub visibility: GroupVisibility,
}

/// The new group's form, checked; what is wrong reads in `locale`.
pub fn parse(
    name: &str,
    about: &str,
    visibility: &str,
    locale: Locale,
) -> Result<NewGroup, AppError> {
    let mut errors = FieldErrors::new();
    let name = name.trim();
    if name.is_empty() {
        errors.insert(
            "name".into(),
            td_string!(locale, social.groups.name_missing).into(),
        );
    } else if name.chars().count() > MAX_NAME {
        errors.insert(
            "name".into(),
            td_string!(locale, social.groups.name_too_long, max = MAX_NAME),
        );
    }
    if about.chars().count() > MAX_ABOUT {
        errors.insert(
            "about".into(),
            td_string!(locale, social.groups.about_too_long, max = MAX_ABOUT),
        );
    }
    let visibility = GroupVisibility::parse(visibility);
    if visibility.is_none() {
        errors.insert(
            "visibility".into(),
            td_string!(locale, social.groups.visibility_missing).into(),
        );
    }
    match visibility {
        Some(visibility) if errors.is_empty() => Ok(NewGroup {
            name: name.to_owned(),
            about: about.trim().to_owned(),
            visibility,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Creates the group with its creator as its first admin; returns its key.
pub async fn create(
    graph: &dyn GraphStore,
    me: i32,
    group: NewGroup,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let key = new_code()[..12].to_lowercase();
    let (g, u) = (group_node(&key), user_node(me));
    exec(
        graph,
        "BEGIN;
         CREATE $g SET name = $name, about = $about, visibility = $visibility,
             created_by = $u, at = $now RETURN NONE;
         RELATE OR UPDATE $u->$m->$g SET role = 'admin', status = 'member', at = $now RETURN NONE;
         COMMIT;",
        vec![
            ("m", val(edge("member_of", &u, &g))),
            ("g", val(g)),
            ("u", val(u)),
            ("name", val(group.name)),
            ("about", val(group.about)),
            ("visibility", val(group.visibility.as_str())),
            ("now", val(now)),
        ],
    )
    .await?;
    Ok(key)
}

/// The groups `me` is a member of, by name: where the event page offers to share an event.
pub async fn joined(graph: &dyn GraphStore, me: i32) -> Result<Vec<GroupRef>, AppError> {
    let rows: Vec<Named> = fetch(
        graph,
        "SELECT out AS id, out.name AS name FROM $me->member_of WHERE status = 'member' ORDER BY name",
        vec![("me", val(user_node(me)))],
        0,
    )
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(GroupRef {
                key: super::feed::group_key(&row.id)?,
                name: row.name.clone(),
            })
        })
        .collect())
}

/// Groups the viewer belongs to, is invited to or asked to join, then other groups they may
/// find (public and private; invite-only ones stay hidden).
pub async fn list(
    graph: &dyn GraphStore,
    me: i32,
) -> Result<(Vec<GroupSummary>, Vec<GroupSummary>), AppError> {
    let sql = format!(
        "LET $mine = $me->member_of;
         RETURN {{
            mine: ({SELECT} FROM $me->member_of->user_group ORDER BY name),
            others: ({SELECT} FROM user_group WHERE visibility != 'invite_only'
                     AND id NOTINSIDE $me->member_of->user_group ORDER BY at DESC LIMIT 50),
         }};"
    );
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct Lists {
        mine: Vec<GroupRow>,
        others: Vec<GroupRow>,
    }
    let lists: Option<Lists> = fetch(graph, &sql, vec![("me", val(user_node(me)))], 1).await?;
    let Some(lists) = lists else {
        return Ok((Vec::new(), Vec::new()));
    };
    let take = |rows: &[GroupRow]| rows.iter().filter_map(summary).map(|(s, _)| s).collect();
    Ok((take(&lists.mine), take(&lists.others)))
}

/// A group page lists at most this many members, join requests and invitable friends each.
pub const GROUP_LIST: i64 = 100;

/// The group as the viewer may see it. Invite-only groups do not exist for outsiders; the
/// members and shortlist of a private group are for its members.
pub async fn page(
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
    tz: chrono_tz::Tz,
    locale: Locale,
) -> Result<GroupPage, AppError> {
    let (summary, admin) = find(graph, me, key).await?;
    let member = summary.my_status == Some(MemberStatus::Member);
    if !member {
        return Ok(GroupPage {
            summary,
            admin: false,
            members: Vec::new(),
            requests: Vec::new(),
            shortlist: Vec::new(),
            invitable: Vec::new(),
        });
    }
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct MemberRow {
        id: RecordId,
        name: String,
        role: String,
        status: String,
    }
    let listed = |status: &'static str| {
        fetch::<Vec<MemberRow>>(
            graph,
            "SELECT in AS id, in.name AS name, role, status FROM $g<-member_of \
             WHERE status = $status ORDER BY name LIMIT $limit",
            vec![
                ("g", val(group_node(key))),
                ("status", val(status)),
                ("limit", val(GROUP_LIST)),
            ],
            0,
        )
    };
    let rows = listed("member").await?;
    let blocked = ties::blocked_set(graph, me).await?;
    let person = |r: &MemberRow| {
        key_of(&r.id)
            .filter(|id| !blocked.contains(id))
            .map(|id| PersonRef {
                id,
                name: r.name.clone(),
            })
    };
    let members: Vec<Member> = rows
        .iter()
        .filter_map(|r| {
            person(r).map(|p| Member {
                person: p,
                admin: r.role == "admin",
            })
        })
        .collect();
    let requests = if admin {
        listed("requested")
            .await?
            .iter()
            .filter_map(person)
            .collect()
    } else {
        Vec::new()
    };
    let invitable = if admin {
        let friends: Vec<Named> = fetch(
            graph,
            "SELECT id, name FROM $me->friend_of[WHERE accepted = true]->user \
             WHERE id NOTINSIDE $g<-member_of<-user ORDER BY name LIMIT $limit",
            vec![
                ("me", val(user_node(me))),
                ("g", val(group_node(key))),
                ("limit", val(GROUP_LIST)),
            ],
            0,
        )
        .await?;
        friends.iter().filter_map(Named::person).collect()
    } else {
        Vec::new()
    };
    let shortlist = shortlist::items(graph, me, key, tz, locale).await?;
    Ok(GroupPage {
        summary,
        admin,
        members,
        requests,
        shortlist,
        invitable,
    })
}

/// The group and whether the viewer is one of its admins; `NotFound` for an invite-only group
/// the viewer is neither in nor invited to.
pub async fn find(
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
) -> Result<(GroupSummary, bool), AppError> {
    let sql = format!("LET $mine = $me->member_of; {SELECT} FROM ONLY $g;");
    let row: Option<GroupRow> = fetch(
        graph,
        &sql,
        vec![("me", val(user_node(me))), ("g", val(group_node(key)))],
        1,
    )
    .await?;
    let (summary, admin) = row.as_ref().and_then(summary).ok_or(AppError::NotFound)?;
    if summary.visibility == GroupVisibility::InviteOnly && summary.my_status.is_none() {
        return Err(AppError::NotFound);
    }
    Ok((summary, admin))
}

/// `act`, and for an invitation or a request to join a `notify.group` row, written ahead and
/// released once the graph has the change (as `connections::act_and_tell`). The notifier checks
/// that the invitation or request still stands, so joining a public group tells nobody.
#[allow(clippy::too_many_arguments)]
pub async fn act_and_tell<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
    action: GroupAction,
    target: Option<i32>,
    event: Option<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<&'static str, AppError> {
    let news = match (action, target) {
        (GroupAction::Invite, Some(to)) => Some(GroupNews {
            group: key.to_owned(),
            invited: Some(to),
        }),
        (GroupAction::Join, _) => Some(GroupNews {
            group: key.to_owned(),
            invited: None,
        }),
        _ => None,
    }
    .map(|news| serde_json::to_string(&news).map(|p| (compose::GROUP, me, p)))
    .transpose()
    .map_err(internal)?;
    let change = act(graph, me, key, action, target, event, now, locale);
    outbox::ahead_of(db, news, now, change).await
}

/// A group's name and `user`'s standing in it (`member`, `requested`, `invited`); `None` when
/// the group is gone.
pub async fn standing(
    graph: &dyn GraphStore,
    key: &str,
    user: i32,
) -> Result<Option<(String, Option<String>)>, AppError> {
    let g = group_node(key);
    let name: Option<String> = fetch(
        graph,
        "SELECT VALUE name FROM ONLY $g",
        vec![("g", val(g.clone()))],
        0,
    )
    .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let status: Option<String> = fetch(
        graph,
        "SELECT VALUE status FROM ONLY $m",
        vec![("m", val(edge("member_of", &user_node(user), &g)))],
        0,
    )
    .await?;
    Ok(Some((name, status)))
}

/// The group's members (not those invited or asking).
pub async fn members(graph: &dyn GraphStore, key: &str) -> Result<Vec<i32>, AppError> {
    let ids: Vec<RecordId> = fetch(
        graph,
        "SELECT VALUE in FROM member_of WHERE out = $g AND status = 'member'",
        vec![("g", val(group_node(key)))],
        0,
    )
    .await?;
    Ok(ids.iter().filter_map(key_of).collect())
}

/// The people who answer a group's requests.
pub async fn admins(graph: &dyn GraphStore, key: &str) -> Result<Vec<i32>, AppError> {
    let ids: Vec<RecordId> = fetch(
        graph,
        "SELECT VALUE in FROM member_of WHERE out = $g AND role = 'admin' AND status = 'member'",
        vec![("g", val(group_node(key)))],
        0,
    )
    .await?;
    Ok(ids.iter().filter_map(key_of).collect())
}

/// Joining, leaving and managing members. `target` is the person acted on, for admins'
/// actions; `event` is for the shortlist's. The notice it returns and any refusal read in
/// `locale`.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    graph: &dyn GraphStore,
    me: i32,
    key: &str,
    action: GroupAction,
    target: Option<i32>,
    event: Option<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<&'static str, AppError> {
    use GroupAction as A;
    let (summary, admin) = find(graph, me, key).await?;
    let member = summary.my_status == Some(MemberStatus::Member);
    let g = group_node(key);
    let u = user_node(me);
    let membership = |who: &RecordId| edge("member_of", who, &g);
    match action {
        A::Join => {
            let status = match (summary.my_status, summary.visibility) {
                (Some(MemberStatus::Member), _) => {
                    return Err(AppError::Refused(
                        td_string!(locale, social.groups.refused_member).into(),
                    ))
                }
                (Some(MemberStatus::Requested), _) => {
                    return Err(AppError::Refused(
                        td_string!(locale, social.groups.refused_asked).into(),
                    ))
                }
                (Some(MemberStatus::Invited), _) | (None, GroupVisibility::Public) => "member",
                (None, GroupVisibility::Private) => "requested",
                (None, GroupVisibility::InviteOnly) => return Err(AppError::NotFound),
            };
            exec(
                graph,
                "RELATE OR UPDATE $u->$m->$g SET role = 'member', status = $status, at = $now RETURN NONE",
                vec![
                    ("m", val(membership(&u))),
                    ("u", val(u)),
                    ("g", val(g)),
                    ("status", val(status)),
                    ("now", val(now)),
                ],
            )
            .await?;
            Ok(if status == "member" {
                td_string!(locale, social.groups.joined)
            } else {
                td_string!(locale, social.groups.asked)
            })
        }
        A::Leave => {
            if summary.my_status.is_none() {
                return Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_not_in).into(),
                ));
            }
            let admins: Option<i64> = fetch(
                graph,
                "RETURN count($g<-member_of[WHERE role = 'admin' AND status = 'member'])",
                vec![("g", val(g.clone()))],
                0,
            )
            .await?;
            if admin && admins == Some(1) && summary.members > 1 {
                return Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_only_admin).into(),
                ));
            }
            let last = member && summary.members == 1;
            let sql = if last {
                // the last member leaving ends the group
                "DELETE $g"
            } else {
                "DELETE $m"
            };
            exec(graph, sql, vec![("m", val(membership(&u))), ("g", val(g))]).await?;
            Ok(td_string!(locale, social.groups.left))
        }
        A::Approve | A::Reject | A::Invite | A::MakeAdmin => {
            if !admin {
                return Err(AppError::Forbidden);
            }
            let Some(target) = target else {
                return Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_no_person).into(),
                ));
            };
            let t = user_node(target);
            let status: Option<String> = fetch(
                graph,
                "SELECT VALUE status FROM ONLY $m",
                vec![("m", val(membership(&t)))],
                0,
            )
            .await?;
            let vars = vec![
                ("m", val(membership(&t))),
                ("t", val(t)),
                ("g", val(g)),
                ("now", val(now)),
            ];
            match (action, status.as_deref()) {
                (A::Approve, Some("requested")) => {
                    exec(
                        graph,
                        "UPDATE $m SET status = 'member', at = $now RETURN NONE",
                        vars,
                    )
                    .await?;
                    Ok(td_string!(locale, social.groups.approved))
                }
                (A::Reject, Some("requested")) => {
                    exec(graph, "DELETE $m", vars).await?;
                    Ok(td_string!(locale, social.groups.rejected))
                }
                (A::Invite, None) => {
                    if !ties::friend_set(graph, me).await?.contains(&target) {
                        return Err(AppError::Refused(
                            td_string!(locale, social.groups.refused_not_friend).into(),
                        ));
                    }
                    exec(
                        graph,
                        "RELATE OR UPDATE $t->$m->$g SET role = 'member', status = 'invited', at = $now RETURN NONE",
                        vars,
                    )
                    .await?;
                    Ok(td_string!(locale, social.groups.invited))
                }
                (A::MakeAdmin, Some("member")) => {
                    exec(graph, "UPDATE $m SET role = 'admin' RETURN NONE", vars).await?;
                    Ok(td_string!(locale, social.groups.made_admin))
                }
                _ => Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_out_of_date).into(),
                )),
            }
        }
        A::Propose | A::Vote | A::Unvote | A::Unlist => {
            if !member {
                return Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_not_member).into(),
                ));
            }
            let Some(event) = event else {
                return Err(AppError::Refused(
                    td_string!(locale, social.groups.refused_no_event).into(),
                ));
            };
            shortlist::act(graph, me, key, admin, action, event, now, locale).await
        }
    }
}
