//! People you may know: friends of friends (with how many friends are mutual), people who went
//! to the same past events, and people in the same city who like the same things. Each comes
//! with its reasons. Only what the candidate lets strangers see is used: someone whose profile
//! is private is never suggested, mutual friends need their profile public (and the friend in
//! between not to keep theirs private), co-attendance needs their attendance public, and city and
//! interests need their profile public.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{fetch, keys};
use crate::{
    domain::{
        graph::{key_of, user_node, val, GraphStore, RecordId, SurrealValue},
        recs::rank::category_words,
    },
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        social::{PersonCard, PersonRef, Tie},
    },
};

pub const LIMIT: usize = 10;
const MUTUAL_WEIGHT: u32 = 3;
const EVENT_WEIGHT: u32 = 2;
// Bounds on the work one call does, whoever the viewer is: the most recent friends and past
// events looked at, the people taken from each, the neighbours per interest, and the candidates
// whose records are read.
const FRIENDS: i64 = 100;
const PER_FRIEND: i64 = 100;
const PAST_EVENTS: i64 = 10;
const PER_EVENT: i64 = 50;
const NEIGHBOURS: i64 = 100;
const CANDIDATES: usize = 100;

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Me {
    city: Option<String>,
    interests: Vec<String>,
    /// everyone with a friendship or a request either way, and everyone blocked either way
    excluded: Vec<RecordId>,
    fof: Vec<Vec<RecordId>>,
    past: Vec<Past>,
    /// per interest of mine, the keys of public profiles in my city that list it
    neighbours: Vec<Vec<i64>>,
}

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Past {
    title: String,
    people: Vec<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
#[surreal(crate = "surrealdb::types")]
struct Candidate {
    id: RecordId,
    name: String,
    city: Option<String>,
    interests: Vec<String>,
    profile: String,
}

// Co-attendance only counts people whose attendance strangers may see, and a mutual friendship
// only counts when both ends let it be seen: the friend in between does not keep their friends
// private, and the candidate shows theirs to strangers. The filters run here, so the caps count
// only people who can be suggested.
const SQL: &str = "
LET $close = SELECT VALUE out FROM $me->friend_of WHERE accepted = true ORDER BY at DESC LIMIT $friends;
LET $past = SELECT VALUE out FROM $me->attends WHERE out.ends_at < $now ORDER BY at DESC LIMIT $past_events;
LET $interests = $me.interests ?? [];
LET $city = $me.city;
RETURN {
    city: $city,
    interests: $interests,
    excluded: array::union(
        array::union($me->friend_of->user, $me<-friend_of<-user),
        array::union($me->blocks->user, $me<-blocks<-user)
    ),
    fof: (SELECT VALUE array::slice(->friend_of[WHERE accepted = true]->user[WHERE profile = 'public'], 0, $per_friend) FROM $close WHERE profile != 'private'),
    past: (SELECT title, array::slice(<-attends<-user[WHERE attendance = 'public' AND profile != 'private'], 0, $per_event) AS people FROM $past),
    neighbours: IF $city THEN $interests.map(|$i|
        (SELECT VALUE record::id(id)[2] FROM local_interest:[$city, $i, NONE]..[$city, $i, ..] LIMIT $neighbours)
    ) ELSE [] END,
};
";

#[derive(Default)]
struct Score {
    mutual: u32,
    events: Vec<String>,
    /// interests shared with a neighbour found through `local_interest`
    shared: u32,
}

impl Score {
    fn points(&self) -> u32 {
        self.mutual * MUTUAL_WEIGHT + self.events.len() as u32 * EVENT_WEIGHT
    }

    /// What the graph alone says; only a candidate's own record can add the city bonus for
    /// someone beyond the neighbour lists, or take it away.
    fn expected(&self) -> u32 {
        self.points() + city_bonus(self.shared)
    }
}

/// Up to `LIMIT` suggestions for `me`, best first, their reasons in `locale`; ties go to the
/// smaller id.
pub async fn suggest(
    graph: &dyn GraphStore,
    me: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<PersonCard>, AppError> {
    let found: Option<Me> = fetch(
        graph,
        SQL,
        vec![
            ("me", val(user_node(me))),
            ("now", val(now)),
            ("friends", val(FRIENDS)),
            ("per_friend", val(PER_FRIEND)),
            ("past_events", val(PAST_EVENTS)),
            ("per_event", val(PER_EVENT)),
            ("neighbours", val(NEIGHBOURS)),
        ],
        4,
    )
    .await?;
    let Some(mine) = found else {
        return Ok(Vec::new());
    };
    let mut excluded: BTreeSet<i32> = keys(&mine.excluded);
    excluded.insert(me);

    let mut scores: BTreeMap<i32, Score> = BTreeMap::new();
    for friends_of_friend in &mine.fof {
        for id in friends_of_friend.iter().filter_map(key_of) {
            if !excluded.contains(&id) {
                scores.entry(id).or_default().mutual += 1;
            }
        }
    }
    for past in &mine.past {
        for id in past.people.iter().filter_map(key_of) {
            if !excluded.contains(&id) {
                scores
                    .entry(id)
                    .or_default()
                    .events
                    .push(past.title.clone());
            }
        }
    }
    for id in mine.neighbours.iter().flatten() {
        let Ok(id) = i32::try_from(*id) else { continue };
        if !excluded.contains(&id) {
            scores.entry(id).or_default().shared += 1;
        }
    }
    // only the strongest by what the graph says are worth reading
    let mut strongest: Vec<(&i32, &Score)> = scores.iter().collect();
    strongest.sort_by(|a, b| {
        (b.1.expected(), b.1.mutual)
            .cmp(&(a.1.expected(), a.1.mutual))
            .then(a.0.cmp(b.0))
    });
    let ids: Vec<RecordId> = strongest
        .iter()
        .take(CANDIDATES)
        .map(|(&id, _)| user_node(id))
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let candidates: Vec<Candidate> = fetch(
        graph,
        "SELECT id, name, city, interests, profile FROM $ids WHERE profile != 'private'",
        vec![("ids", val(ids))],
        0,
    )
    .await?;
    let my_interests: BTreeSet<&str> = mine.interests.iter().map(String::as_str).collect();
    let mut ranked: Vec<(u32, u32, i32, PersonCard)> = candidates
        .iter()
        .filter_map(|c| {
            let id = key_of(&c.id)?;
            let score = scores.get(&id)?;
            let public_profile = c.profile == "public";
            let events = &score.events;
            let same_city = public_profile && c.city.is_some() && c.city == mine.city;
            let shared: Vec<&str> = if public_profile {
                c.interests
                    .iter()
                    .map(String::as_str)
                    .filter(|i| my_interests.contains(i))
                    .collect()
            } else {
                Vec::new()
            };
            let mut points = score.points();
            // a shared city alone is no reason; with shared interests it is one
            if same_city && !shared.is_empty() {
                points += city_bonus(shared.len() as u32);
            }
            if points == 0 {
                return None;
            }
            let mut reasons = Vec::new();
            if score.mutual > 0 {
                reasons.push(td_string!(
                    locale,
                    social.suggestions.mutual_friends,
                    count = score.mutual
                ));
            }
            if let Some(first) = events.first() {
                reasons.push(match events.len() {
                    1 => td_string!(locale, social.suggestions.went_to, title = first),
                    n => td_string!(
                        locale,
                        social.suggestions.went_to_and_more,
                        title = first,
                        more = n - 1
                    ),
                });
            }
            if same_city && !shared.is_empty() {
                let city = c.city.clone().unwrap_or_default();
                let likes: Vec<String> = shared.iter().map(|s| category_words(s, locale)).collect();
                reasons.push(td_string!(
                    locale,
                    social.suggestions.neighbour,
                    city = title_case(&city),
                    likes = likes.join(", ")
                ));
            }
            Some((
                points,
                score.mutual,
                id,
                PersonCard {
                    person: PersonRef {
                        id,
                        name: c.name.clone(),
                    },
                    tie: Tie::None,
                    following: false,
                    reasons,
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(ranked
        .into_iter()
        .take(LIMIT)
        .map(|(_, _, _, card)| card)
        .collect())
}

/// A shared city counts only with shared interests, and then one point more than their number.
fn city_bonus(shared_interests: u32) -> u32 {
    if shared_interests > 0 {
        1 + shared_interests
    } else {
        0
    }
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}
