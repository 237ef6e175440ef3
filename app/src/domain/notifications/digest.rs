//! The weekly digest, for those who asked for it by mail (`weekly_digest` by email is off unless
//! switched on): the week's events they hold tickets for, and the first of their "For you"
//! recommendations with their reasons (upcoming public events in the categories they like when
//! the recommender has no list for them). Once per ISO week, from Monday 07:00 UTC, by the first sweep after it;
//! keyed by person and week, so a second sweep or a second process stores nothing twice.
use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{compose::Draft, notifier};
use crate::{
    domain::{
        accounts::language,
        context::{internal, AppState},
        events::listings::tz_of,
        locale_format,
        recs::for_you,
    },
    error::AppError,
    i18n::td_string,
    model::{
        events::EventStatus,
        language::Locale,
        notifications::{Channel, Kind},
        ticketing::RegistrationStatus,
    },
};
use entity::{event, notification_preference as preference, registration, user};

pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);
const SUGGESTIONS: u64 = 5;

/// Stores the digests due at `now`, suggesting events in the categories people like; returns who
/// got one.
pub async fn send_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    send(db, None, now).await
}

/// `send_due` with each person's "For you" list as the suggestions (what the server's sweep
/// sends).
pub async fn send_due_with_recommendations(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    send(&state.db, Some(state), now).await
}

async fn send<C: ConnectionTrait>(
    db: &C,
    recs: Option<&AppState>,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    if now.weekday() == Weekday::Mon && now.hour() < 7 {
        return Ok(Vec::new());
    }
    let week = now.iso_week();
    let subscribers: Vec<i32> = preference::Entity::find()
        .filter(preference::Column::Kind.eq(Kind::WeeklyDigest.as_str()))
        .filter(preference::Column::Channel.eq(Channel::Email.as_str()))
        .filter(preference::Column::Enabled.eq(true))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    if subscribers.is_empty() {
        return Ok(Vec::new());
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(subscribers))
        .all(db)
        .await
        .map_err(internal)?;
    let going = RegistrationStatus::slugs_where(RegistrationStatus::is_going);
    let mut drafts = Vec::new();
    for person in people {
        let held: Vec<i32> = registration::Entity::find()
            .select_only()
            .column(registration::Column::EventId)
            .filter(registration::Column::UserId.eq(person.id))
            .filter(registration::Column::Status.is_in(going.clone()))
            .into_tuple()
            .all(db)
            .await
            .map_err(internal)?;
        let this_week = public_events(now)
            .filter(event::Column::Id.is_in(held.clone()))
            .filter(event::Column::StartsAt.lte(now + Duration::days(7)))
            .all(db)
            .await
            .map_err(internal)?;
        let picked = match recs {
            Some(state) => picked_for(state, &person, now).await?,
            None => Vec::new(),
        };
        let likes: Vec<&str> = person
            .interests
            .split(',')
            .filter(|s| !s.is_empty())
            .collect();
        let suggested = if likes.is_empty() || !picked.is_empty() {
            Vec::new()
        } else {
            public_events(now)
                .filter(event::Column::Category.is_in(likes))
                .filter(event::Column::Id.is_not_in(held))
                .limit(SUGGESTIONS)
                .all(db)
                .await
                .map_err(internal)?
        };
        let locale = language::of_user(&person);
        let mut lines = Vec::new();
        if !this_week.is_empty() {
            lines.push(td_string!(locale, mail.digest.going).to_owned());
            lines.extend(this_week.iter().map(|e| line(locale, e)));
        }
        if !picked.is_empty() {
            lines.push(td_string!(locale, mail.digest.picked).to_owned());
            lines.extend(picked);
        }
        if !suggested.is_empty() {
            lines.push(td_string!(locale, mail.digest.liked).to_owned());
            lines.extend(suggested.iter().map(|e| line(locale, e)));
        }
        if lines.is_empty() {
            lines.push(td_string!(locale, mail.digest.nothing).to_owned());
        }
        drafts.push(Draft {
            user_id: Some(person.id),
            email: person.email.clone(),
            kind: Kind::WeeklyDigest,
            dedupe_key: format!("digest:{}:{}-{:02}", person.id, week.year(), week.week()),
            title: td_string!(locale, mail.digest.title).to_owned(),
            body: lines.join("\n"),
            link: "/my/tickets".to_owned(),
            event_id: None,
        });
    }
    notifier::insert_drafts(db, drafts, now).await
}

/// The first of the person's recommendations, one line each with its reason.
async fn picked_for(
    state: &AppState,
    person: &user::Model,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let snapshot = state.recs.current(&state.db, &state.changes).await?;
    let locale = language::of_user(person);
    let list =
        for_you::for_you(state, &snapshot, person, SUGGESTIONS as usize, now, locale).await?;
    Ok(list
        .cards
        .iter()
        .map(|c| {
            let why = c.reason.as_deref().unwrap_or_default();
            format!("{} ({}), {why}: /events/{}", c.title, c.start_time, c.id)
        })
        .collect())
}

fn public_events(now: DateTime<Utc>) -> sea_orm::Select<event::Entity> {
    event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(crate::domain::events::visibility::listed_condition())
        .filter(event::Column::StartsAt.gt(now))
        .order_by_asc(event::Column::StartsAt)
}

fn line(locale: Locale, e: &event::Model) -> String {
    format!(
        "{} ({}): /events/{}",
        e.title,
        locale_format::range(locale, e.starts_at, e.ends_at, tz_of(e)),
        e.id
    )
}
