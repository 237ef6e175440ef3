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
    model::social::PersonAction,
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
    outbox::ahead_of(db, news, now, act(graph, me, them, action, now)).await
}

/// Does `action` from `me` to `them`. Refused when it does not apply any more (the request
/// was withdrawn meanwhile, say), with a message that says so; nothing changes then.
pub async fn act(
    graph: &dyn GraphStore,
    me: i32,
    them: i32,
    action: PersonAction,
    now: DateTime<Utc>,
) -> Result<&'static str, AppError> {
    use PersonAction as A;
    if me == them {
        return Err(AppError::Refused("That is you.".into()));
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
        return Err(AppError::Refused(refusal(action, &t).into()));
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
            "Friend request sent.",
        ),
        A::Accept => (
            "BEGIN;
             UPDATE $theirs SET accepted = true, at = $now RETURN NONE;
             RELATE OR UPDATE $a->$mine->$b SET accepted = true, at = $now RETURN NONE;
             COMMIT;",
            "You are now friends.",
        ),
        A::Decline => ("DELETE $theirs", "Request declined."),
        A::CancelRequest => ("DELETE $mine", "Request withdrawn."),
        A::Unfriend => (
            "BEGIN; DELETE $mine; DELETE $theirs; COMMIT;",
            "Removed from your friends.",
        ),
        A::Follow => (
            "RELATE OR UPDATE $a->$follow->$b SET at = $now RETURN NONE",
            "Following.",
        ),
        A::Unfollow => ("DELETE $follow", "No longer following."),
        // a block ends every tie between the two, both ways
        A::Block => (
            "BEGIN;
             DELETE $mine; DELETE $theirs; DELETE $follow; DELETE $followed;
             RELATE OR UPDATE $a->$block->$b SET at = $now RETURN NONE;
             COMMIT;",
            "Blocked. You will not see each other anywhere on Lineup.",
        ),
        A::Unblock => ("DELETE $block", "Unblocked."),
    };
    exec(graph, sql, vars).await?;
    Ok(done)
}

fn refusal(action: PersonAction, t: &ties::Ties) -> &'static str {
    use PersonAction as A;
    match action {
        _ if t.blocking => "You have blocked this person. Unblock them first.",
        A::Befriend if t.friends => "You are friends already.",
        A::Befriend if t.asked_them => "You have asked already; they have not answered yet.",
        A::Befriend => "They have asked you already: accept their request instead.",
        A::Accept | A::Decline => "There is no request from them to answer.",
        A::CancelRequest => "There is no request of yours to withdraw.",
        A::Unfriend => "You are not friends.",
        A::Follow => "You follow them already.",
        A::Unfollow => "You do not follow them.",
        A::Block | A::Unblock => "That does not apply.",
    }
}
