//! A person's lists: "For you" and trending, from the engines' snapshot and what the person did
//! (read live), with the exclusions checked against the database just before the cards are
//! made.
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{
    catalog::Catalog,
    diversity::diversify,
    experiments,
    interactions::{day_at, split_list, Described, History, Kind},
    rank::{self, Person, Ranked},
    Snapshot,
};
use crate::{
    domain::{
        context::{internal, AppState},
        discovery::search::home_point,
        events::listings::public_cards,
        graph::{key_of, user_node, val, RecordId},
        social::ties,
    },
    error::AppError,
    model::{events::EventCard, recs::ForYou, ticketing::RegistrationStatus},
};
use entity::{event, event_dismissal, event_review, event_view, registration, saved_event, user};

/// Cards in a "For you" list and in the home page's section.
pub const LIST: usize = 12;
pub const HOME_SECTION: usize = 6;
/// Views older than this are not read for a list.
const VIEW_DAYS: i64 = 30;

/// What the person did, read now.
pub async fn person<C: ConnectionTrait>(
    db: &C,
    graph: &dyn crate::domain::graph::GraphStore,
    me: &user::Model,
    now: DateTime<Utc>,
) -> Result<Person, AppError> {
    let mut history = History::default();
    let mut note = |event: i32, kind: Kind, at: DateTime<Utc>| history.note(event, kind, at, now);
    let saves: Vec<(i32, DateTime<Utc>)> = saved_event::Entity::find()
        .select_only()
        .columns([saved_event::Column::EventId, saved_event::Column::CreatedAt])
        .filter(saved_event::Column::UserId.eq(me.id))
        .filter(saved_event::Column::RemovedAt.is_null())
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    let mut excluded: FxHashSet<i32> = FxHashSet::default();
    for &(e, at) in &saves {
        note(e, Kind::Save, at);
        excluded.insert(e);
    }
    let regs: Vec<(i32, String, DateTime<Utc>)> = registration::Entity::find()
        .select_only()
        .columns([
            registration::Column::EventId,
            registration::Column::Status,
            registration::Column::CreatedAt,
        ])
        .filter(registration::Column::UserId.eq(me.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    for (e, status, at) in regs {
        match RegistrationStatus::parse(&status) {
            Some(RegistrationStatus::CheckedIn) => note(e, Kind::CheckIn, at),
            Some(RegistrationStatus::Confirmed) => note(e, Kind::Rsvp, at),
            _ => {}
        }
        // an open registration (waiting, reserved, confirmed…) means they have it in hand
        if RegistrationStatus::parse(&status).is_some_and(RegistrationStatus::is_open) {
            excluded.insert(e);
        }
    }
    let reviews: Vec<(i32, i32, DateTime<Utc>)> = event_review::Entity::find()
        .select_only()
        .columns([
            event_review::Column::EventId,
            event_review::Column::Rating,
            event_review::Column::CreatedAt,
        ])
        .filter(event_review::Column::UserId.eq(me.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    for (e, rating, at) in reviews {
        if rating >= 4 {
            note(e, Kind::Review, at);
        }
    }
    let views: Vec<(i32, chrono::NaiveDate)> = event_view::Entity::find()
        .select_only()
        .columns([event_view::Column::EventId, event_view::Column::Day])
        .filter(event_view::Column::PersonId.eq(me.id))
        .filter(event_view::Column::Day.gte((now - Duration::days(VIEW_DAYS)).date_naive()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    for (e, day) in views {
        note(e, Kind::View, day_at(day));
    }
    let dismissed: Vec<i32> = event_dismissal::Entity::find()
        .select_only()
        .column(event_dismissal::Column::EventId)
        .filter(event_dismissal::Column::UserId.eq(me.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal)?;
    excluded.extend(dismissed.iter().copied());

    // what the seeds and the dismissed events are (past events are not in the catalog)
    let ids: Vec<i32> = history.events().chain(dismissed.iter().copied()).collect();
    let mut about: HashMap<i32, (String, String, String)> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i32, String, String, String)> = event::Entity::find()
            .select_only()
            .columns([
                event::Column::Id,
                event::Column::Title,
                event::Column::Category,
                event::Column::Tags,
            ])
            .filter(event::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await
            .map_err(internal)?;
        about.extend(rows.into_iter().map(|(id, t, c, g)| (id, (t, c, g))));
    }
    let mut dismissed_categories: HashMap<String, u32> = HashMap::new();
    for e in &dismissed {
        if let Some((_, c, _)) = about.get(e) {
            *dismissed_categories.entry(c.clone()).or_insert(0) += 1;
        }
    }
    let seeds = history.seeds(|event| {
        let (title, category, tags) = about.get(&event)?;
        Some(Described {
            title: title.clone(),
            category: category.clone(),
            tags: split_list(tags),
            price_minor: None,
        })
    });

    let blocked: FxHashSet<i32> = ties::blocked_set(graph, me.id).await?.into_iter().collect();
    let friends = friends_activity(graph, me.id).await?;
    Ok(Person {
        id: me.id,
        seeds,
        interests: split_list(&me.interests),
        home: home_point(me),
        dismissed_categories,
        excluded,
        blocked,
        friends,
    })
}

/// Per event, how many of the person's friends (who let friends see their plans) are going
/// and how many saved it.
pub async fn friends_activity(
    graph: &dyn crate::domain::graph::GraphStore,
    me: i32,
) -> Result<HashMap<i32, (u32, u32)>, AppError> {
    let mut rows = graph
        .query(
            "SELECT VALUE ->attends->event FROM $me->friend_of[WHERE accepted = true]->user WHERE attendance != 'private';
             SELECT VALUE ->interested_in->event FROM $me->friend_of[WHERE accepted = true]->user WHERE attendance != 'private';",
            vec![("me", val(user_node(me)))],
        )
        .await
        .map_err(internal)?;
    let going: Vec<RecordId> = rows
        .take::<Vec<Vec<RecordId>>>(0)
        .map_err(internal)?
        .concat();
    let saved: Vec<RecordId> = rows
        .take::<Vec<Vec<RecordId>>>(1)
        .map_err(internal)?
        .concat();
    let mut out: HashMap<i32, (u32, u32)> = HashMap::new();
    for e in going.iter().filter_map(key_of) {
        out.entry(e).or_default().0 += 1;
    }
    for e in saved.iter().filter_map(key_of) {
        out.entry(e).or_default().1 += 1;
    }
    Ok(out)
}

/// The ranked candidates made into a list of `n`: diverse, and checked against the database now
/// (an event that filled up, was hidden or cancelled since the catalog was read drops out).
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    ranked: &[Ranked],
    catalog: &Catalog,
    n: usize,
) -> Result<Vec<(i32, String)>, AppError> {
    // enough candidates that the live check and the diversity rules can still fill the list
    let ids: Vec<i32> = ranked.iter().take(n * 4).map(|r| r.event).collect();
    let usable = catalog.still_open(db, &ids, Utc::now()).await?;
    let picked = diversify(&usable, catalog, n);
    let reasons: HashMap<i32, String> = ranked
        .iter()
        .filter(|r| picked.contains(&r.event))
        .map(|r| (r.event, r.reason.text()))
        .collect();
    Ok(picked
        .into_iter()
        .map(|id| (id, reasons.get(&id).cloned().unwrap_or_default()))
        .collect())
}

/// The person's "For you" list of `n` cards, ranked by their experiment variant.
pub async fn for_you(
    state: &AppState,
    snapshot: &Snapshot,
    me: &user::Model,
    n: usize,
    now: DateTime<Utc>,
) -> Result<ForYou, AppError> {
    let variant = experiments::assign(me.id);
    let person = person(&state.db, state.graph.as_ref(), me, now).await?;
    let ranked = rank::rank(&person, &snapshot.sources(), &variant.weights, now);
    let picked = finish(&state.db, &ranked, &snapshot.catalog, n).await?;
    let cards = cards(&state.db, &picked).await?;
    Ok(ForYou {
        cards,
        variant: variant.name.to_owned(),
    })
}

/// Cards for (event, reason) pairs, in order, marked as recommended.
pub async fn cards<C: ConnectionTrait>(
    db: &C,
    picked: &[(i32, String)],
) -> Result<Vec<EventCard>, AppError> {
    let ids: Vec<i32> = picked.iter().map(|p| p.0).collect();
    let reasons: HashMap<i32, &String> = picked.iter().map(|(id, r)| (*id, r)).collect();
    let mut cards = public_cards(db, &ids).await?;
    for c in cards.iter_mut() {
        c.reason = reasons.get(&c.id).map(|r| (*r).clone());
        c.recommended = true;
    }
    Ok(cards)
}

/// Trending for a visitor (near their home when they are signed in and have one), with reasons.
pub async fn trending(
    state: &AppState,
    snapshot: &Snapshot,
    viewer: Option<&user::Model>,
    n: usize,
    now: DateTime<Utc>,
) -> Result<Vec<EventCard>, AppError> {
    let blocked: HashSet<i32> = match viewer {
        Some(v) => ties::blocked_set(state.graph.as_ref(), v.id)
            .await?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    let area = viewer.and_then(home_point);
    let catalog = &snapshot.catalog;
    let picked = snapshot.trending.pick(catalog, area, now, n * 2, |id| {
        catalog
            .get(id)
            .is_some_and(|e| !blocked.contains(&e.organizer))
    });
    let ids: Vec<i32> = picked.iter().map(|p| p.0).collect();
    let open = catalog.still_open(&state.db, &ids, now).await?;
    let picked: Vec<(i32, String)> = picked
        .into_iter()
        .filter(|(id, _)| open.contains(id))
        .take(n)
        .collect();
    let mut cards = cards(&state.db, &picked).await?;
    for c in cards.iter_mut() {
        c.recommended = false;
    }
    Ok(cards)
}

/// Counts recommended cards as shown to the person, under the ranker `variant` that made them.
pub fn count_shown(state: &AppState, me: i32, cards: &[EventCard], variant: &str) {
    let variant = experiments::variant(variant).map_or(experiments::VARIANTS[0].name, |v| v.name);
    let ids: Vec<i32> = cards.iter().map(|c| c.id).collect();
    state.recs.signals.shown(me, &ids, variant, Utc::now());
}
