//! A person's lists: "For you" and trending, from the engines' snapshot and what the person did
//! (read live), with the exclusions checked against the database just before the cards are
//! made.
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, Query, UnionType},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

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
        events::listings::cards_of,
        graph::{key_of, user_node, val, RecordId, SurrealValue},
        social::ties,
    },
    error::AppError,
    model::{events::EventCard, language::Locale, recs::ForYou, ticketing::RegistrationStatus},
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
    snapshot: &Snapshot,
    me: &user::Model,
    now: DateTime<Utc>,
) -> Result<Person, AppError> {
    let catalog = &snapshot.catalog;
    let mut history = History::default();
    let mut excluded: FxHashSet<i32> = FxHashSet::default();
    let mut dismissed: Vec<i32> = Vec::new();
    for (e, source, status, at) in choices(db, me.id).await? {
        match source.as_str() {
            "save" => {
                history.note(e, Kind::Save, at, now);
                excluded.insert(e);
            }
            "review" => history.note(e, Kind::Review, at, now),
            "dismissal" => {
                dismissed.push(e);
                excluded.insert(e);
            }
            _ => {
                let status = RegistrationStatus::parse(&status);
                match status {
                    Some(RegistrationStatus::CheckedIn) => history.note(e, Kind::CheckIn, at, now),
                    Some(RegistrationStatus::Confirmed) => history.note(e, Kind::Rsvp, at, now),
                    _ => {}
                }
                // an open registration (waiting, reserved, confirmed…) means they have it in hand
                if status.is_some_and(RegistrationStatus::is_open) {
                    excluded.insert(e);
                }
            }
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
        history.note(e, Kind::View, day_at(day), now);
    }

    // what the seeds and the dismissed events are: upcoming ones from the catalog, past ones
    // from the database
    let mut about: HashMap<i32, (String, String, Vec<String>)> = HashMap::new();
    let mut unknown: Vec<i32> = Vec::new();
    for e in history.events().chain(dismissed.iter().copied()) {
        match catalog.get(e) {
            Some(item) => {
                about.insert(
                    e,
                    (item.title.clone(), item.category.clone(), item.tags.clone()),
                );
            }
            None => unknown.push(e),
        }
    }
    for chunk in unknown.chunks(1000) {
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
        about.extend(
            rows.into_iter()
                .map(|(id, t, c, g)| (id, (t, c, split_list(&g)))),
        );
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
            tags: tags.clone(),
            price_minor: None,
        })
    });

    let (blocked, sharing) = ties(graph, me.id).await?;
    let friends = snapshot.plans.of(&sharing);
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

/// Everything the person chose, in one query: saves (not taken back), registrations with their
/// status, reviews of four stars or more, and dismissals, as (event, source, status, when).
async fn choices<C: ConnectionTrait>(
    db: &C,
    me: i32,
) -> Result<Vec<(i32, String, String, DateTime<Utc>)>, AppError> {
    let part = |source: &str| Expr::val(source.to_owned());
    let mut query = Query::select()
        .column(saved_event::Column::EventId)
        .expr_as(part("save"), "source")
        .expr_as(part(""), "status")
        .expr_as(Expr::col(saved_event::Column::CreatedAt), "at")
        .from(saved_event::Entity)
        .and_where(saved_event::Column::UserId.eq(me))
        .and_where(saved_event::Column::RemovedAt.is_null())
        .to_owned();
    query
        .union(
            UnionType::All,
            Query::select()
                .column(registration::Column::EventId)
                .expr(part("registration"))
                .column(registration::Column::Status)
                .column(registration::Column::CreatedAt)
                .from(registration::Entity)
                .and_where(registration::Column::UserId.eq(me))
                .to_owned(),
        )
        .union(
            UnionType::All,
            Query::select()
                .column(event_review::Column::EventId)
                .expr(part("review"))
                .expr(part(""))
                .column(event_review::Column::CreatedAt)
                .from(event_review::Entity)
                .and_where(event_review::Column::UserId.eq(me))
                .and_where(event_review::Column::Rating.gte(4))
                .to_owned(),
        )
        .union(
            UnionType::All,
            Query::select()
                .column(event_dismissal::Column::EventId)
                .expr(part("dismissal"))
                .expr(part(""))
                .column(event_dismissal::Column::CreatedAt)
                .from(event_dismissal::Entity)
                .and_where(event_dismissal::Column::UserId.eq(me))
                .to_owned(),
        );
    let rows = db.query_all(&query).await.map_err(internal)?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0).map_err(internal)?,
                row.try_get_by_index(1).map_err(internal)?,
                row.try_get_by_index(2).map_err(internal)?,
                row.try_get_by_index(3).map_err(internal)?,
            ))
        })
        .collect()
}

/// What the graph says for a list, in one statement (one transaction: most of a small query's
/// cost in the embedded store): who `me` blocked or was blocked by, and which of their friends
/// let friends see their plans.
pub async fn ties(
    graph: &dyn crate::domain::graph::GraphStore,
    me: i32,
) -> Result<(FxHashSet<i32>, Vec<i32>), AppError> {
    #[derive(SurrealValue)]
    #[surreal(crate = "surrealdb::types")]
    struct Found {
        blocked: Vec<RecordId>,
        sharing: Vec<RecordId>,
    }
    let mut rows = graph
        .query(
            "RETURN {
                blocked: array::union($me->blocks->user, $me<-blocks<-user),
                sharing: (SELECT VALUE id FROM $me->friend_of[WHERE accepted = true]->user
                    WHERE attendance != 'private'),
            }",
            vec![("me", val(user_node(me)))],
        )
        .await
        .map_err(internal)?;
    let found: Option<Found> = rows.take(0).map_err(internal)?;
    let Found { blocked, sharing } = found.ok_or_else(|| internal("no answer from the graph"))?;
    Ok((
        blocked.iter().filter_map(key_of).collect(),
        sharing.iter().filter_map(key_of).collect(),
    ))
}

/// The ranked candidates made into a list of `n`: diverse, and checked against the database now
/// (an event that filled up, was hidden or cancelled since the catalog was read drops out, and
/// the next one that keeps the rules takes its place). The events come back whole, with why (in
/// `locale`).
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    ranked: &[Ranked],
    catalog: &Catalog,
    n: usize,
    locale: Locale,
) -> Result<Vec<(event::Model, String)>, AppError> {
    const ROUNDS: usize = 3;
    let now = Utc::now();
    let mut closed: FxHashSet<i32> = FxHashSet::default();
    let mut open = Vec::new();
    for round in 1..=ROUNDS {
        let left: Vec<i32> = ranked
            .iter()
            .map(|r| r.event)
            .filter(|e| !closed.contains(e))
            .collect();
        let picked = diversify(&left, catalog, n);
        open = catalog.open_now(db, &picked, now).await?;
        if open.len() == picked.len() {
            break;
        }
        closed.extend(picked.iter().filter(|&&e| !open.iter().any(|o| o.id == e)));
        if round == ROUNDS {
            let usable: Vec<i32> = open.iter().map(|e| e.id).collect();
            let kept = diversify(&usable, catalog, n);
            open.retain(|e| kept.contains(&e.id));
        }
    }
    let reasons: HashMap<i32, String> = ranked
        .iter()
        .filter(|r| open.iter().any(|e| e.id == r.event))
        .map(|r| (r.event, r.reason.text(locale)))
        .collect();
    Ok(open
        .into_iter()
        .map(|e| {
            let why = reasons.get(&e.id).cloned().unwrap_or_default();
            (e, why)
        })
        .collect())
}

/// The person's "For you" list of `n` cards, ranked by their experiment variant.
pub async fn for_you(
    state: &AppState,
    snapshot: &Snapshot,
    me: &user::Model,
    n: usize,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<ForYou, AppError> {
    let variant = experiments::assign(me.id);
    let person = person(&state.db, state.graph.as_ref(), snapshot, me, now).await?;
    let ranked = rank::rank(&person, &snapshot.sources(), &variant.weights, now);
    let picked = finish(&state.db, &ranked, &snapshot.catalog, n, locale).await?;
    let cards = cards(&state.db, picked, true, locale).await?;
    Ok(ForYou {
        cards,
        variant: variant.name.to_owned(),
    })
}

/// Cards for (event, reason) pairs, in order; `recommended` marks them as "For you" cards.
pub async fn cards<C: ConnectionTrait>(
    db: &C,
    picked: Vec<(event::Model, String)>,
    recommended: bool,
    locale: Locale,
) -> Result<Vec<EventCard>, AppError> {
    let (events, reasons): (Vec<event::Model>, Vec<String>) = picked.into_iter().unzip();
    let reasons: HashMap<i32, String> = events.iter().map(|e| e.id).zip(reasons).collect();
    let mut cards = cards_of(db, events, locale).await?;
    for c in cards.iter_mut() {
        c.reason = reasons.get(&c.id).cloned();
        c.recommended = recommended;
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
    locale: Locale,
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
    let picked = snapshot
        .trending
        .pick(catalog, area, now, n * 2, locale, |id| {
            catalog
                .get(id)
                .is_some_and(|e| !blocked.contains(&e.organizer))
        });
    let ids: Vec<i32> = picked.iter().map(|p| p.0).collect();
    let mut reasons: HashMap<i32, String> = picked.into_iter().collect();
    let open = catalog.open_now(&state.db, &ids, now).await?;
    let picked: Vec<(event::Model, String)> = open
        .into_iter()
        .take(n)
        .map(|e| {
            let why = reasons.remove(&e.id).unwrap_or_default();
            (e, why)
        })
        .collect();
    cards(&state.db, picked, false, locale).await
}

/// Counts recommended cards as shown to the person, under the ranker `variant` that made them.
pub fn count_shown(state: &AppState, me: i32, cards: &[EventCard], variant: &str) {
    let variant = experiments::variant(variant).map_or(experiments::VARIANTS[0].name, |v| v.name);
    let ids: Vec<i32> = cards.iter().map(|c| c.id).collect();
    state.recs.signals.shown(me, &ids, variant, Utc::now());
}
