//! An organization in public: its page with upcoming and past events, and its calendar feed.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        context::internal,
        events::listings::{cards_of, media_urls, organizer_names},
    },
    error::AppError,
    model::{
        events::EventStatus,
        language::Locale,
        organizations::{OrgPage, OrgSummary},
    },
};
use entity::{event, organization};

/// Past events the page lists.
const PAST: u64 = 12;
/// Upcoming events the page and the feed list.
pub const UPCOMING: u64 = 100;

pub async fn by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<organization::Model, AppError> {
    organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

pub async fn logo_urls<C: ConnectionTrait>(
    db: &C,
    orgs: &[organization::Model],
) -> Result<HashMap<i32, String>, AppError> {
    media_urls(db, orgs.iter().filter_map(|o| o.logo_image_id).collect()).await
}

/// The name an organization goes by: its own, or for a personal one its person's current name
/// (`person`, when known).
pub fn goes_by(org: &organization::Model, person: Option<&String>) -> String {
    match (org.personal, person) {
        (true, Some(name)) => name.clone(),
        _ => org.name.clone(),
    }
}

/// The name each event's organization goes by (`goes_by`), by event id, in two reads.
pub async fn names_of_events<C: ConnectionTrait>(
    db: &C,
    events: &[event::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let orgs: HashMap<i32, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(events.iter().map(|e| e.organization_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let people = organizer_names(db, events).await?;
    Ok(events
        .iter()
        .map(|e| {
            let person = people.get(&e.organizer_id);
            let name = match orgs.get(&e.organization_id) {
                Some(org) => goes_by(org, person),
                None => person.cloned().unwrap_or_default(),
            };
            (e.id, name)
        })
        .collect())
}

pub fn summary(org: &organization::Model, logos: &HashMap<i32, String>) -> OrgSummary {
    OrgSummary {
        id: org.id,
        slug: org.slug.clone(),
        name: org.name.clone(),
        description: org.description.clone(),
        city: org.city.clone(),
        logo_url: org.logo_image_id.and_then(|id| logos.get(&id).cloned()),
        personal: org.personal,
        accepts_submissions: org.accepts_submissions,
    }
}

/// The public events on the organization's calendar (its own and those it approved) that have
/// not ended, soonest first.
pub async fn upcoming_events<C: ConnectionTrait>(
    db: &C,
    organization: i32,
    now: DateTime<Utc>,
) -> Result<Vec<event::Model>, AppError> {
    let events = event::Entity::find()
        .filter(super::calendar::on_calendar(organization))
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::EndsAt.gt(now))
        .order_by_asc(event::Column::StartsAt)
        .limit(UPCOMING)
        .all(db)
        .await
        .map_err(internal)?;
    Ok(events
        .into_iter()
        .filter(crate::domain::events::visibility::is_listed)
        .collect())
}

pub async fn page<C: ConnectionTrait>(
    db: &C,
    graph: &dyn crate::domain::graph::GraphStore,
    viewer: Option<i32>,
    slug: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<OrgPage, AppError> {
    let org = by_slug(db, slug).await?;
    let (followers, following) = super::follows::standing(graph, viewer, org.id).await?;
    let upcoming = upcoming_events(db, org.id, now).await?;
    let past = event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org.id))
        .filter(event::Column::Status.is_in([
            EventStatus::Published.as_str(),
            EventStatus::Completed.as_str(),
        ]))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::EndsAt.lte(now))
        .order_by_desc(event::Column::StartsAt)
        .limit(PAST)
        .all(db)
        .await
        .map_err(internal)?;
    let logos = logo_urls(db, std::slice::from_ref(&org)).await?;
    Ok(OrgPage {
        organization: summary(&org, &logos),
        following,
        followers,
        upcoming: cards_of(db, upcoming, locale).await?,
        past: cards_of(db, past, locale).await?,
    })
}

/// Changes the organization's name (not a personal one's: it goes by its person's name),
/// description, city and, with a file, its logo. For those whose role edits the profile;
/// refusals are in `locale`.
pub async fn edit(
    db: &sea_orm::DatabaseConnection,
    media_dir: &std::path::Path,
    editor: &entity::user::Model,
    slug: &str,
    form: &crate::domain::forms::FormFields,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<organization::Model, AppError> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

    use crate::domain::{events::images, organizations::team::check_profile};
    let org = by_slug(db, slug).await?;
    crate::domain::organizations::access::require(
        db,
        editor,
        org.id,
        crate::model::organizations::OrgAction::EditProfile,
    )
    .await?;
    let description = form.text("description").trim().to_owned();
    let name = match org.personal {
        true => org.name.clone(),
        false => form.text("name").to_owned(),
    };
    let name = check_profile(&name, &description, locale)?.to_owned();
    let logo = match form.file("logo") {
        Some(file) => {
            let img = images::prepare_in_background(file, locale)
                .await
                .map_err(|e| AppError::field("logo", e))?;
            images::write(media_dir, &img).await.map_err(internal)?;
            Some(images::record(db, editor.id, &img, now).await?)
        }
        None => None,
    };
    let city = form
        .text("city")
        .trim()
        .chars()
        .take(80)
        .collect::<String>();
    let mut active: organization::ActiveModel = org.into();
    active.name = Set(name);
    active.description = Set(description);
    active.city = Set((!city.is_empty()).then_some(city));
    if let Some(id) = logo {
        active.logo_image_id = Set(Some(id));
    }
    active.accepts_submissions = Set(form.checked("accepts_submissions"));
    active.updated_at = Set(now);
    let tx = db.begin().await.map_err(internal)?;
    let org = active.update(&tx).await.map_err(internal)?;
    crate::domain::outbox::enqueue(
        &tx,
        crate::domain::discovery::sitemap::ORGANIZATION_TOPIC,
        org.id,
        now,
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(org)
}
