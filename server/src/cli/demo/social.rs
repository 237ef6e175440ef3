//! The demo's social graph.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::accounts::{ATTENDEES, ORGANIZERS};

/// The demo's social graph: friendships among the demo attendees, a request waiting for Ana,
/// organizers followed, and a group planning its weekend. Written through the same domain
/// functions as the pages use; called right after `seed` with the graph filled by `regraph`.
pub async fn seed_social(
    db: &DatabaseConnection,
    graph: &dyn app::domain::graph::GraphStore,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    use app::{
        domain::social::{connections, groups},
        model::{
            language::Locale,
            social::{GroupAction, PersonAction},
        },
    };
    let err = |e: app::error::AppError| anyhow::anyhow!("{e:?}");
    // nobody reads the notices the actions return
    let locale = Locale::en;
    let id = async |email: &str| -> anyhow::Result<i32> {
        entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email))
            .one(db)
            .await?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))
    };
    let people: Vec<i32> = {
        let mut ids = Vec::new();
        for (_, email) in ATTENDEES {
            ids.push(id(email).await?);
        }
        ids
    };
    // a ring of friends with a few chords, so suggestions have mutual friends to explain
    let friendships = [
        (0, 1),
        (0, 2),
        (1, 3),
        (2, 4),
        (3, 5),
        (4, 6),
        (5, 7),
        (1, 2),
        (6, 8),
    ];
    for (a, b) in friendships {
        connections::act(
            graph,
            people[a],
            people[b],
            PersonAction::Befriend,
            now,
            locale,
        )
        .await
        .map_err(err)?;
        connections::act(
            graph,
            people[b],
            people[a],
            PersonAction::Accept,
            now,
            locale,
        )
        .await
        .map_err(err)?;
    }
    connections::act(
        graph,
        people[9],
        people[0],
        PersonAction::Befriend,
        now,
        locale,
    )
    .await
    .map_err(err)?;
    for (_, email) in ORGANIZERS.iter().take(2) {
        let organizer = id(email).await?;
        connections::act(
            graph,
            people[0],
            organizer,
            PersonAction::Follow,
            now,
            locale,
        )
        .await
        .map_err(err)?;
    }
    let group = groups::parse(
        "Weekend crew",
        "We pick one thing to do together every weekend.",
        "public",
        locale,
    )
    .map_err(err)?;
    let key = groups::create(graph, people[0], group, now)
        .await
        .map_err(err)?;
    for &member in &people[1..3] {
        groups::act(
            graph,
            member,
            &key,
            GroupAction::Join,
            None,
            None,
            now,
            locale,
        )
        .await
        .map_err(err)?;
    }
    let upcoming = entity::event::Entity::find()
        .filter(entity::event::Column::Status.eq("published"))
        .filter(entity::event::Column::StartsAt.gt(now))
        .order_by_asc(entity::event::Column::StartsAt)
        .limit(2)
        .all(db)
        .await?;
    for (i, event) in upcoming.iter().enumerate() {
        groups::act(
            graph,
            people[i],
            &key,
            GroupAction::Propose,
            None,
            Some(event.id),
            now,
            locale,
        )
        .await
        .map_err(err)?;
    }
    if let Some(first) = upcoming.first() {
        groups::act(
            graph,
            people[2],
            &key,
            GroupAction::Vote,
            None,
            Some(first.id),
            now,
            locale,
        )
        .await
        .map_err(err)?;
    }
    // the recommendation history's circles of friends
    let circle: std::collections::HashMap<String, i32> = entity::user::Entity::find()
        .filter(entity::user::Column::Email.starts_with(super::recs::PREFIX))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.email, u.id))
        .collect();
    for (a, b) in super::recs::circle_pairs() {
        let (Some(&a), Some(&b)) = (circle.get(&a), circle.get(&b)) else {
            continue;
        };
        connections::act(graph, a, b, PersonAction::Befriend, now, locale)
            .await
            .map_err(err)?;
        connections::act(graph, b, a, PersonAction::Accept, now, locale)
            .await
            .map_err(err)?;
    }
    Ok(())
}
