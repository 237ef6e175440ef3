//! The social reads and writes on the embedded engine (`mem://`), over a small fixed graph
//! whose answers are known.
use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::{
    domain::graph::{
        sync::{fields, write_edge, write_event, write_user, EventNode, UserNode},
        user_node, val, GraphStore, SurrealGraph,
    },
    model::{
        language::Locale,
        social::{FeedKind, GroupAction, GroupVisibility, PersonAction as A, Tie},
    },
};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn graph() -> SurrealGraph {
    SurrealGraph::connect("mem://", None).await.unwrap()
}

async fn person(
    g: &dyn GraphStore,
    id: i32,
    name: &str,
    city: &str,
    interests: &[&str],
    attendance: &str,
    profile: &str,
) {
    let node = UserNode {
        name: name.into(),
        city: (!city.is_empty()).then(|| city.to_owned()),
        interests: interests.iter().map(|s| s.to_string()).collect(),
        organizer: false,
        attendance: attendance.into(),
        profile: profile.into(),
    };
    write_user(g, id, Some(node)).await.unwrap();
}

async fn event(g: &dyn GraphStore, id: i32, title: &str, organizer: i32, starts_in_days: i64) {
    let starts = now() + Duration::days(starts_in_days);
    let node = EventNode {
        title: title.into(),
        organizer: user_node(organizer),
        starts_at: starts,
        ends_at: starts + Duration::hours(3),
        listed: true,
        published_at: Some(now() - Duration::days(30) + Duration::minutes(id.into())),
    };
    write_event(g, id, Some(node)).await.unwrap();
}

async fn going(g: &dyn GraphStore, user: i32, event: i32, minutes_ago: i64) {
    let at = now() - Duration::minutes(minutes_ago);
    write_edge(g, "attends", user, event, Some(fields([("at", val(at))])))
        .await
        .unwrap();
}

async fn befriend(g: &dyn GraphStore, a: i32, b: i32) {
    connections::act(g, a, b, A::Befriend, now(), Locale::en)
        .await
        .unwrap();
    connections::act(g, b, a, A::Accept, now(), Locale::en)
        .await
        .unwrap();
}

const ANA: i32 = 1;
const BEN: i32 = 2;
const CAT: i32 = 3;
const DAN: i32 = 4;
const EVE: i32 = 5;
const FAY: i32 = 6;
const GUS: i32 = 7;
const HAL: i32 = 8;
const PAST: i32 = 101;
const NEXT: i32 = 102;

/// Ana's world: friends Ben (shares attendance with friends) and Cat (keeps it private); Dan
/// is a friend of both, Eve of Ben only (and her profile is private), Hal of Ben (Ana blocks
/// him); Fay went to a past event with Ana; Gus lives in Ana's city and likes music too.
async fn world() -> SurrealGraph {
    let g = graph().await;
    person(
        &g,
        ANA,
        "Ana Alves",
        "lisbon",
        &["music", "food"],
        "friends",
        "public",
    )
    .await;
    person(&g, BEN, "Ben Brito", "porto", &[], "friends", "public").await;
    person(&g, CAT, "Cat Costa", "porto", &[], "private", "public").await;
    person(&g, DAN, "Dan Dias", "porto", &[], "public", "public").await;
    person(
        &g,
        EVE,
        "Eve Esteves",
        "lisbon",
        &["music"],
        "public",
        "private",
    )
    .await;
    person(&g, FAY, "Fay Faria", "faro", &[], "public", "public").await;
    person(
        &g,
        GUS,
        "Gus Gomes",
        "lisbon",
        &["music"],
        "friends",
        "public",
    )
    .await;
    person(
        &g,
        HAL,
        "Hal Horta",
        "lisbon",
        &["music"],
        "public",
        "public",
    )
    .await;
    event(&g, PAST, "Fado Night", DAN, -10).await;
    event(&g, NEXT, "Jazz on the Roof", DAN, 5).await;
    befriend(&g, ANA, BEN).await;
    befriend(&g, ANA, CAT).await;
    befriend(&g, DAN, BEN).await;
    befriend(&g, DAN, CAT).await;
    befriend(&g, EVE, BEN).await;
    befriend(&g, HAL, BEN).await;
    connections::act(&g, ANA, HAL, A::Block, now(), Locale::en)
        .await
        .unwrap();
    going(&g, ANA, PAST, 20_000).await;
    going(&g, FAY, PAST, 20_000).await;
    going(&g, BEN, NEXT, 30).await;
    going(&g, CAT, NEXT, 20).await;
    going(&g, DAN, NEXT, 10).await;
    going(&g, HAL, NEXT, 5).await;
    g
}

fn names(people: &[crate::model::social::PersonRef]) -> Vec<&str> {
    people.iter().map(|p| p.name.as_str()).collect()
}

#[tokio::test]
async fn an_edge_cannot_be_doubled() {
    let g = world().await;
    // the unique index refuses a second edge between the same two people
    let again = g
        .query("RELATE user:2->follows->user:4 SET at = time::now(); RELATE user:2->follows->user:4 SET at = time::now();", Vec::new())
        .await;
    assert!(again.is_err_and(|e| e.is_duplicate()));
    connections::act(&g, ANA, DAN, A::Follow, now(), Locale::en)
        .await
        .unwrap();
    let twice = connections::act(&g, ANA, DAN, A::Follow, now(), Locale::en).await;
    assert!(matches!(twice, Err(crate::error::AppError::Refused(_))));
    let follows: Vec<crate::domain::graph::RecordId> = fetch(
        &g,
        "SELECT VALUE id FROM follows WHERE in = user:1",
        Vec::new(),
        0,
    )
    .await
    .unwrap();
    assert_eq!(follows.len(), 1);
    // asking twice, or asking someone who asked you, does not make a second request
    connections::act(&g, FAY, GUS, A::Befriend, now(), Locale::en)
        .await
        .unwrap();
    assert!(
        connections::act(&g, FAY, GUS, A::Befriend, now(), Locale::en)
            .await
            .is_err()
    );
    assert!(
        connections::act(&g, GUS, FAY, A::Befriend, now(), Locale::en)
            .await
            .is_err()
    );
    connections::act(&g, GUS, FAY, A::Accept, now(), Locale::en)
        .await
        .unwrap();
    assert_eq!(
        ties::between(&g, FAY, GUS).await.unwrap().tie(),
        Tie::Friends
    );
    assert_eq!(ties::friends(&g, FAY).await.unwrap().len(), 1);
}

#[tokio::test]
async fn friends_going_keeps_private_attendance_private() {
    let g = world().await;
    let friends = going::friends_going(&g, ANA, NEXT).await.unwrap();
    assert_eq!(friends.count, 1);
    assert_eq!(names(&friends.faces), ["Ben Brito"]);
    let others = going::others_going(&g, ANA, NEXT).await.unwrap();
    // Dan is public; Hal is public too but blocked
    assert_eq!(names(&others), ["Dan Dias"]);
    let counts = going::friends_going_counts(&g, ANA, &[PAST, NEXT])
        .await
        .unwrap();
    assert_eq!(counts.get(&NEXT), Some(&1));
    assert_eq!(counts.get(&PAST), None);
}

/// viewer × setting × relation, through every read that shows attendance.
#[tokio::test]
async fn the_privacy_matrix_holds_in_every_read() {
    let g = graph().await;
    event(&g, NEXT, "Jazz on the Roof", 99, 5).await;
    person(&g, 99, "Organizer", "", &[], "public", "public").await;
    let mut id = 1;
    for setting in ["public", "friends", "private"] {
        for relation in ["friend", "stranger", "blocked", "blocking"] {
            let (viewer, owner) = (id, id + 1);
            id += 2;
            person(
                &g,
                viewer,
                &format!("viewer {viewer}"),
                "",
                &[],
                "public",
                "public",
            )
            .await;
            person(
                &g,
                owner,
                &format!("owner {owner}"),
                "",
                &[],
                setting,
                setting,
            )
            .await;
            going(&g, owner, NEXT, 1).await;
            match relation {
                "friend" => befriend(&g, viewer, owner).await,
                "blocked" => {
                    connections::act(&g, owner, viewer, A::Block, now(), Locale::en)
                        .await
                        .unwrap();
                }
                "blocking" => {
                    connections::act(&g, viewer, owner, A::Block, now(), Locale::en)
                        .await
                        .unwrap();
                }
                _ => {}
            }
            let seen_going = {
                let f = going::friends_going(&g, viewer, NEXT).await.unwrap();
                let o = going::others_going(&g, viewer, NEXT).await.unwrap();
                f.faces.iter().chain(o.iter()).any(|p| p.id == owner)
            };
            let in_feed = feed::page(&g, viewer, None, chrono_tz::UTC, Locale::en)
                .await
                .unwrap()
                .items
                .iter()
                .any(|i| i.who.id == owner);
            let expected = matches!(
                (setting, relation),
                ("public", "friend") | ("public", "stranger") | ("friends", "friend")
            );
            assert_eq!(seen_going, expected, "{setting} × {relation}: who's going");
            // the feed shows friends only
            let feed_expected = expected && relation == "friend";
            assert_eq!(in_feed, feed_expected, "{setting} × {relation}: feed");
        }
    }
}

#[tokio::test]
async fn a_block_hides_both_from_each_other_everywhere() {
    let g = world().await;
    // before: Ben sees Ana in Dan's mutuals and Ana's RSVP would show; now Ben blocks Ana
    connections::act(&g, ANA, DAN, A::Follow, now(), Locale::en)
        .await
        .unwrap();
    connections::act(&g, BEN, ANA, A::Block, now(), Locale::en)
        .await
        .unwrap();
    let seen_by_ana = ties::between(&g, ANA, BEN).await.unwrap();
    let seen_by_ben = ties::between(&g, BEN, ANA).await.unwrap();
    assert!(seen_by_ana.blocked_by && !seen_by_ana.friends);
    assert!(seen_by_ben.blocking && !seen_by_ben.friends);
    // the friendship is gone both ways: Ana no longer sees Ben going, nor Ben in her feed
    assert_eq!(going::friends_going(&g, ANA, NEXT).await.unwrap().count, 0);
    assert!(going::others_going(&g, ANA, NEXT)
        .await
        .unwrap()
        .iter()
        .all(|p| p.id != BEN));
    let feed = feed::page(&g, ANA, None, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert!(feed.items.iter().all(|i| i.who.id != BEN));
    // neither is suggested to the other
    let for_ana = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    assert!(for_ana.iter().all(|s| s.person.id != BEN));
    let for_ben = suggestions::suggest(&g, BEN, now(), Locale::en)
        .await
        .unwrap();
    assert!(for_ben.iter().all(|s| s.person.id != ANA));
    // Ana cannot reach Ben at all; Ben can only unblock
    assert!(matches!(
        connections::act(&g, ANA, BEN, A::Befriend, now(), Locale::en).await,
        Err(crate::error::AppError::NotFound)
    ));
    assert_eq!(connections::actions(&seen_by_ben), [A::Unblock]);
    assert!(
        connections::act(&g, BEN, ANA, A::Befriend, now(), Locale::en)
            .await
            .is_err()
    );
    connections::act(&g, BEN, ANA, A::Unblock, now(), Locale::en)
        .await
        .unwrap();
    assert_eq!(ties::between(&g, ANA, BEN).await.unwrap().tie(), Tie::None);
}

#[tokio::test]
async fn suggestions_come_in_a_known_order_with_their_reasons() {
    let g = world().await;
    let got = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    let summary: Vec<(&str, Vec<&str>)> = got
        .iter()
        .map(|s| {
            (
                s.person.name.as_str(),
                s.reasons.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Dan Dias", vec!["2 mutual friends"]),
            ("Fay Faria", vec!["You both went to Fado Night"]),
            ("Gus Gomes", vec!["Also in Lisbon, likes music"]),
        ]
    );
    // a friendship is a reason only where both ends let it be seen: Cat keeps her friends to
    // herself, so only Ben's friendship with Dan counts ...
    person(&g, CAT, "Cat Costa", "porto", &[], "private", "private").await;
    let got = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    assert_eq!(got[0].person.name, "Dan Dias");
    assert_eq!(got[0].reasons, vec!["1 mutual friend".to_owned()]);
    // ... and Dan showing his friends to friends only is suggested to nobody for them
    person(&g, DAN, "Dan Dias", "porto", &[], "public", "friends").await;
    let got = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    assert!(got.iter().all(|s| s.person.id != DAN), "{got:?}");
    person(&g, CAT, "Cat Costa", "porto", &[], "private", "public").await;
    person(&g, DAN, "Dan Dias", "porto", &[], "public", "public").await;
    // a pending request takes someone out of the suggestions
    connections::act(&g, ANA, DAN, A::Befriend, now(), Locale::en)
        .await
        .unwrap();
    let got = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    assert_eq!(got.first().map(|s| s.person.id), Some(FAY));
    // co-attendance needs attendance strangers may see: Gus keeps his to friends
    going(&g, GUS, PAST, 20_000).await;
    let gus = |got: &[crate::model::social::PersonCard]| {
        got.iter()
            .find(|s| s.person.id == GUS)
            .map(|s| s.reasons.clone())
    };
    let got = suggestions::suggest(&g, ANA, now(), Locale::en)
        .await
        .unwrap();
    assert_eq!(
        gus(&got),
        Some(vec!["Also in Lisbon, likes music".to_owned()])
    );
    // the neighbours follow a node's changes: a new city, a profile no longer public
    async fn gus_after(
        g: &SurrealGraph,
        city: &str,
        interests: &[&str],
        profile: &str,
    ) -> Option<Vec<String>> {
        person(g, GUS, "Gus Gomes", city, interests, "friends", profile).await;
        let got = suggestions::suggest(g, ANA, now(), Locale::en)
            .await
            .unwrap();
        got.into_iter()
            .find(|s| s.person.id == GUS)
            .map(|s| s.reasons)
    }
    assert_eq!(gus_after(&g, "faro", &["music"], "public").await, None);
    let reasons = gus_after(&g, "lisbon", &["music", "food"], "public")
        .await
        .unwrap_or_default();
    assert!(
        reasons.len() == 1 && reasons[0].starts_with("Also in Lisbon, likes music, "),
        "{reasons:?}"
    );
    assert_eq!(gus_after(&g, "lisbon", &["music"], "friends").await, None);
    let listed: Vec<i64> = g
        .query(
            "SELECT VALUE record::id(id)[2] FROM local_interest",
            Vec::new(),
        )
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(!listed.contains(&i64::from(GUS)), "{listed:?}");
}

#[tokio::test]
async fn the_feed_is_newest_first_paginated_and_filtered() {
    let g = world().await;
    connections::act(&g, ANA, DAN, A::Follow, now(), Locale::en)
        .await
        .unwrap();
    let first = feed::page(&g, ANA, None, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    let kinds: Vec<(FeedKind, &str)> = first
        .items
        .iter()
        .map(|i| (i.kind, i.who.name.as_str()))
        .collect();
    // Ben's RSVP (Cat keeps hers private), then Dan's two events as published
    assert_eq!(
        kinds,
        vec![
            (FeedKind::Going, "Ben Brito"),
            (FeedKind::Published, "Dan Dias"),
            (FeedKind::Published, "Dan Dias"),
        ]
    );
    assert!(first.next.is_none());
    // many friends going: pages of 20 that neither repeat nor skip
    for i in 0..30 {
        let id = 200 + i;
        person(
            &g,
            id,
            &format!("Friend {i:02}"),
            "",
            &[],
            "friends",
            "public",
        )
        .await;
        befriend(&g, ANA, id).await;
        going(&g, id, NEXT, 1000 + i64::from(i % 3)).await;
    }
    let p1 = feed::page(&g, ANA, None, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert_eq!(p1.items.len(), feed::PAGE);
    let cursor = feed::Cursor::parse(p1.next.as_deref().unwrap()).unwrap();
    let p2 = feed::page(&g, ANA, Some(&cursor), chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert_eq!(p1.items.len() + p2.items.len(), 33);
    assert!(p2.next.is_none());
    let mut all: Vec<String> = p1
        .items
        .iter()
        .chain(&p2.items)
        .map(|i| format!("{:?}{}{}", i.kind, i.who.id, i.event_id))
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 33);
}

#[tokio::test]
async fn groups_plan_with_a_shortlist_and_votes() {
    let g = world().await;
    let open = groups::parse("Jazz lovers", "", "public", Locale::en).unwrap();
    let key = groups::create(&g, ANA, open, now()).await.unwrap();
    groups::act(
        &g,
        BEN,
        &key,
        GroupAction::Join,
        None,
        None,
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    groups::act(
        &g,
        BEN,
        &key,
        GroupAction::Propose,
        None,
        Some(NEXT),
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    groups::act(
        &g,
        ANA,
        &key,
        GroupAction::Propose,
        None,
        Some(PAST),
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    groups::act(
        &g,
        ANA,
        &key,
        GroupAction::Vote,
        None,
        Some(NEXT),
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    // voting twice counts once
    groups::act(
        &g,
        ANA,
        &key,
        GroupAction::Vote,
        None,
        Some(NEXT),
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    let page = groups::page(&g, ANA, &key, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert_eq!(page.summary.members, 2);
    assert!(page.admin);
    let list: Vec<(&str, u32, bool)> = page
        .shortlist
        .iter()
        .map(|i| (i.title.as_str(), i.votes, i.top))
        .collect();
    assert_eq!(
        list,
        vec![("Jazz on the Roof", 2, true), ("Fado Night", 1, false)]
    );
    // the group's pick reaches members' feeds
    let feed = feed::page(&g, BEN, None, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert!(feed.items.iter().any(|i| i.kind == FeedKind::Shortlisted));
    // outsiders cannot vote; an invite-only group does not exist for them
    assert!(groups::act(
        &g,
        DAN,
        &key,
        GroupAction::Vote,
        None,
        Some(NEXT),
        now(),
        Locale::en
    )
    .await
    .is_err());
    let hidden = groups::parse("Secret", "", "invite_only", Locale::en).unwrap();
    let secret = groups::create(&g, ANA, hidden, now()).await.unwrap();
    assert!(matches!(
        groups::page(&g, DAN, &secret, chrono_tz::UTC, Locale::en).await,
        Err(crate::error::AppError::NotFound)
    ));
    groups::act(
        &g,
        ANA,
        &secret,
        GroupAction::Invite,
        Some(BEN),
        None,
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    groups::act(
        &g,
        BEN,
        &secret,
        GroupAction::Join,
        None,
        None,
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    let (mine, others) = groups::list(&g, BEN).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert!(others
        .iter()
        .all(|s| s.visibility != GroupVisibility::InviteOnly));
    // a private group takes requests that an admin approves
    let private = groups::parse("Book club", "", "private", Locale::en).unwrap();
    let club = groups::create(&g, ANA, private, now()).await.unwrap();
    groups::act(
        &g,
        DAN,
        &club,
        GroupAction::Join,
        None,
        None,
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    let seen = groups::page(&g, DAN, &club, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert!(seen.members.is_empty() && seen.shortlist.is_empty());
    assert!(groups::act(
        &g,
        BEN,
        &club,
        GroupAction::Approve,
        Some(DAN),
        None,
        now(),
        Locale::en
    )
    .await
    .is_err());
    groups::act(
        &g,
        ANA,
        &club,
        GroupAction::Approve,
        Some(DAN),
        None,
        now(),
        Locale::en,
    )
    .await
    .unwrap();
    let seen = groups::page(&g, DAN, &club, chrono_tz::UTC, Locale::en)
        .await
        .unwrap();
    assert_eq!(seen.members.len(), 2);
}
