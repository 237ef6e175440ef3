//! Friend requests, follows and blocks: what one person does to another.
use chrono::{DateTime, Utc};

use sea_orm::ConnectionTrait;

use super::{exec, fetch, ties};
use crate::{
    domain::{
        context::internal,
        graph::{edge, user_node, val, GraphStore, RecordId},
        notifications::{self, compose::FriendNews},
        outbox,
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, social::PersonAction},
};

/// What `me` may do to `them` now, in the order a profile shows it.
pub fn actions(t: &ties::Ties) -> Vec<PersonAction> {
    use PersonAction as A;
    if t.blocking {
        return vec![A::Unblock];
    }
    let mut out = Vec::new();
    if t.friends {
        out.push(A::Unfriend);
    } else if t.asked_me {
        out.extend([A::Accept, A::Decline]);
    } else if t.asked_them {
        out.push(A::CancelRequest);
    } else {
        out.push(A::Befriend);
    }
    out.push(if t.following { A::Unfollow } else { A::Follow });
    out.push(A::Block);
    out
}

/// `act`, and for a friend request or an acceptance a `notify.friend` row for the other person.
/// The row is written first but held back (`outbox::HELD`), and released once the graph has the
/// change: the notifier never looks before the request exists, and a crash in between leaves
/// the row to be delivered later, when the notifier checks whether the request (or the
/// friendship) still stands. A refused action takes its row back.
pub async fn act_and_tell<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    me: i32,
    them: i32,
    action: PersonAction,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<&'static str, AppError> {
    let news = match action {
        PersonAction::Befriend => Some(false),
        PersonAction::Accept => Some(true),
        _ => None,
    }
    .map(|accepted| FriendNews { to: them, accepted })
    .map(|news| serde_json::to_string(&news).map(|p| (notifications::compose::FRIEND, me, p)))
    .transpose()
    .map_err(internal)?;
    outbox::ahead_of(db, news, now, act(graph, me, them, action, now, locale)).await
}

/// Does `action` from `me` to `them`. Refused when it does not apply any more (the request
/// was withdrawn meanwhile, say), with a message that says so; nothing changes then. The
/// notice it returns and any refusal read in `locale`.
pub async fn act(
    graph: &dyn GraphStore,
    me: i32,
    them: i32,
    action: PersonAction,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<&'static str, AppError> {
    use PersonAction as A;
    if me == them {
        return Err(AppError::Refused(
            td_string!(locale, social.connections.that_is_you).into(),
        ));
    }
    let exists: Option<RecordId> = fetch(
        graph,
        "SELECT VALUE id FROM ONLY $them",
        vec![("them", val(user_node(them)))],
        0,
    )
    .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let t = ties::between(graph, me, them).await?;
    // someone who blocked me cannot be reached at all: to me they do not exist
    if t.blocked_by {
        return Err(AppError::NotFound);
    }
    if !actions(&t).contains(&action) {
        return Err(AppError::Refused(refusal(action, &t, locale).into()));
    }
    let (a, b) = (user_node(me), user_node(them));
    let mine = edge("friend_of", &a, &b);
    let theirs = edge("friend_of", &b, &a);
    let vars = vec![
        ("a", val(a.clone())),
        ("b", val(b.clone())),
        ("mine", val(mine)),
        ("theirs", val(theirs)),
        ("follow", val(edge("follows", &a, &b))),
        ("followed", val(edge("follows", &b, &a))),
        ("block", val(edge("blocks", &a, &b))),
        ("now", val(now)),
    ];
    let (sql, done) = match action {
        A::Befriend => (
            "RELATE OR UPDATE $a->$mine->$b SET accepted = false, at = $now RETURN NONE",
            td_string!(locale, social.connections.sent),
        ),
        A::Accept => (
            "BEGIN;
             UPDATE $theirs SET accepted = true, at = $now RETURN NONE;
             RELATE OR UPDATE $a->$mine->$b SET accepted = true, at = $now RETURN NONE;
             COMMIT;",
            td_string!(locale, social.connections.accepted),
        ),
        A::Decline => (
            "DELETE $theirs",
            td_string!(locale, social.connections.declined),
        ),
        A::CancelRequest => (
            "DELETE $mine",
            td_string!(locale, social.connections.withdrawn),
        ),
        A::Unfriend => (
            "BEGIN; DELETE $mine; DELETE $theirs; COMMIT;",
            td_string!(locale, social.connections.unfriended),
        ),
        A::Follow => (
            "RELATE OR UPDATE $a->$follow->$b SET at = $now RETURN NONE",
            td_string!(locale, social.connections.following),
        ),
        A::Unfollow => (
            "DELETE $follow",
            td_string!(locale, social.connections.unfollowed),
        ),
        // a block ends every tie between the two, both ways
        A::Block => (
            "BEGIN;
             DELETE $mine; DELETE $theirs; DELETE $follow; DELETE $followed;
             RELATE OR UPDATE $a->$block->$b SET at = $now RETURN NONE;
             COMMIT;",
            td_string!(locale, social.connections.blocked),
        ),
        A::Unblock => (
            "DELETE $block",
            td_string!(locale, social.connections.unblocked),
        ),
    };
    exec(graph, sql, vars).await?;
    Ok(done)
}

fn refusal(action: PersonAction, t: &ties::Ties, locale: Locale) -> &'static str {
    use PersonAction as A;
    match action {
        _ if t.blocking => td_string!(locale, social.connections.refused_blocking),
        A::Befriend if t.friends => td_string!(locale, social.connections.refused_friends),
        A::Befriend if t.asked_them => td_string!(locale, social.connections.refused_asked),
        A::Befriend => td_string!(locale, social.connections.refused_they_asked),
        A::Accept | A::Decline => td_string!(locale, social.connections.refused_no_request),
        A::CancelRequest => td_string!(locale, social.connections.refused_nothing_to_withdraw),
        A::Unfriend => td_string!(locale, social.connections.refused_not_friends),
        A::Follow => td_string!(locale, social.connections.refused_following),
        A::Unfollow => td_string!(locale, social.connections.refused_not_following),
        A::Block | A::Unblock => td_string!(locale, social.connections.refused_other),
    }
}
