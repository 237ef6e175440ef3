//! Finding people and seeing a person: search by name, the people page's lists, a profile as
//! the viewer may see it.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{
    connections, fetch,
    going::Named,
    privacy, suggestions,
    ties::{self, Ties},
};
use crate::{
    domain::{
        context::internal,
        graph::{key_of, user_node, val, GraphStore, RecordId},
    },
    error::AppError,
    model::{
        language::Locale,
        social::{PeoplePage, PersonCard, PersonRef, ProfileView, Tie},
        taxonomy::Category,
    },
};
use entity::user;

pub const SEARCH_LIMIT: u64 = 20;
const MAX_QUERY: usize = 80;

fn card(person: PersonRef, t: &Ties) -> PersonCard {
    PersonCard {
        person,
        tie: t.tie(),
        following: t.following,
        reasons: Vec::new(),
    }
}

/// The most people one list on the people page shows (friends, requests each way).
pub const LIST: i64 = 50;

/// Cards for the first `LIST` of `ids` by name, with each one's ties to `me`.
async fn cards(
    graph: &dyn GraphStore,
    me: i32,
    ids: &[RecordId],
) -> Result<Vec<PersonCard>, AppError> {
    let named: Vec<Named> = fetch(
        graph,
        "SELECT id, name FROM $ids ORDER BY name LIMIT $limit",
        vec![("ids", val(ids.to_vec())), ("limit", val(LIST))],
        0,
    )
    .await?;
    let mut out = Vec::new();
    for n in named.iter().filter_map(Named::person) {
        let t = ties::between(graph, me, n.id).await?;
        out.push(card(n, &t));
    }
    Ok(out)
}

/// People whose name contains `query`, without the viewer and anyone blocked either way.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    me: i32,
    query: &str,
) -> Result<Vec<PersonCard>, AppError> {
    let needle: String = query
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_QUERY)
        .collect();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let pattern = format!(
        "%{}%",
        needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let blocked = ties::blocked_set(graph, me).await?;
    let found = user::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(user::Column::DisplayName)))
                .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
        )
        .filter(user::Column::Id.ne(me))
        .filter(user::Column::Id.is_not_in(blocked.iter().copied()))
        .order_by_asc(user::Column::DisplayName)
        .limit(SEARCH_LIMIT)
        .all(db)
        .await
        .map_err(internal)?;
    let mut out = Vec::new();
    for u in found {
        let t = ties::between(graph, me, u.id).await?;
        out.push(card(
            PersonRef {
                id: u.id,
                name: u.display_name,
            },
            &t,
        ));
    }
    Ok(out)
}

/// The people page: a search, requests both ways, friends and suggestions (their reasons in
/// `locale`).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    me: i32,
    query: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<PeoplePage, AppError> {
    let (incoming, outgoing) = ties::requests(graph, me).await?;
    let friends = ties::friends(graph, me).await?;
    Ok(PeoplePage {
        query: query.to_owned(),
        results: search(db, graph, me, query).await?,
        requests: cards(graph, me, &incoming).await?,
        sent: cards(graph, me, &outgoing).await?,
        friends: cards(graph, me, &friends).await?,
        suggestions: suggestions::suggest(graph, me, now, locale).await?,
    })
}

/// A person's profile as the viewer may see it: `NotFound` to someone they blocked; the one
/// who blocked sees the page without details, to unblock. Interests read in `locale`.
pub async fn profile<C: ConnectionTrait>(
    db: &C,
    graph: &dyn GraphStore,
    me: i32,
    them: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<ProfileView, AppError> {
    let person = user::Entity::find_by_id(them)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let t = if me == them {
        Ties::default()
    } else {
        ties::between(graph, me, them).await?
    };
    if t.blocked_by {
        return Err(AppError::NotFound);
    }
    let viewer = if me == them {
        privacy::Viewer::Owner
    } else if t.blocked_either() {
        privacy::Viewer::Blocked
    } else if t.friends {
        privacy::Viewer::Friend
    } else {
        privacy::Viewer::Other
    };
    let settings = privacy::settings_of(&person);
    let details = privacy::may_see(settings.profile, viewer);
    let friends = if details {
        Some(ties::friends(graph, them).await?.len() as u32)
    } else {
        None
    };
    let going = if privacy::may_see(settings.attendance, viewer) {
        let rows: Vec<(RecordId, String)> = fetch(
            graph,
            "SELECT VALUE [id, title] FROM $them->attends->event
             WHERE listed = true AND ends_at > $now ORDER BY starts_at",
            vec![("them", val(user_node(them))), ("now", val(now))],
            0,
        )
        .await?;
        Some(
            rows.into_iter()
                .filter_map(|(id, title)| key_of(&id).map(|id| (id, title)))
                .collect(),
        )
    } else {
        None
    };
    let mut card = card(
        PersonRef {
            id: person.id,
            name: person.display_name.clone(),
        },
        &t,
    );
    if me == them {
        card.tie = Tie::Me;
    }
    Ok(ProfileView {
        card,
        city: details.then(|| person.home_city.clone()).flatten(),
        interests: if details {
            person
                .interests
                .split(',')
                .filter_map(Category::from_slug)
                .map(|c| c.label_in(locale).to_owned())
                .collect()
        } else {
            Vec::new()
        },
        friends,
        going,
        actions: if me == them {
            Vec::new()
        } else {
            connections::actions(&t)
        },
    })
}
