//! Reminders before an event, to everyone holding tickets: a day before and two hours before.
//! A sweep reads the events about to start as they are now, so a cancelled registration or a
//! moved event is reminded correctly; each (registration, reminder) is stored once.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    compose::{language_of, when_and_where, Draft},
    notifier,
};
use crate::{
    domain::{accounts::language, context::internal},
    error::AppError,
    i18n::td_string,
    model::{events::EventStatus, notifications::Kind, ticketing::RegistrationStatus},
};
use entity::{event, registration};

/// How often the sweep runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The reminders: a name (part of the key) and how long before the start it goes out. The day
/// ahead one skips events that start within the next one's window, so a late booking gets one
/// reminder, not two at once.
const REMINDERS: [(&str, i64, i64); 2] = [("24h", 24, 2), ("2h", 2, 0)];

/// Stores the reminders that are due at `now`; returns who got one.
pub async fn send_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<Option<i32>>, AppError> {
    let going: Vec<&str> = RegistrationStatus::ALL
        .iter()
        .filter(|s| s.is_going())
        .map(|s| s.as_str())
        .collect();
    let mut reminded = Vec::new();
    for (name, hours, not_within) in REMINDERS {
        let events = event::Entity::find()
            .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
            .filter(event::Column::HiddenAt.is_null())
            .filter(event::Column::StartsAt.gt(now + Duration::hours(not_within)))
            .filter(event::Column::StartsAt.lte(now + Duration::hours(hours)))
            .all(db)
            .await
            .map_err(internal)?;
        for ev in events {
            let holders = registration::Entity::find()
                .filter(registration::Column::EventId.eq(ev.id))
                .filter(registration::Column::Status.is_in(going.clone()))
                .order_by_asc(registration::Column::Id)
                .all(db)
                .await
                .map_err(internal)?;
            let languages =
                language::of_users(db, holders.iter().filter_map(|r| r.user_id)).await?;
            let drafts = holders
                .into_iter()
                .map(|reg| {
                    let locale = language_of(&languages, &reg);
                    let when = when_and_where(locale, &ev);
                    Draft {
                        user_id: reg.user_id,
                        email: reg.email.clone(),
                        kind: Kind::Reminder,
                        dedupe_key: format!("reminder:{name}:{}", reg.id),
                        title: if hours == 24 {
                            td_string!(locale, mail.reminder.tomorrow_title, title = &ev.title)
                        } else {
                            td_string!(locale, mail.reminder.soon_title, title = &ev.title)
                        },
                        body: match reg.user_id {
                            Some(_) => td_string!(locale, mail.reminder.account, when = when),
                            None => td_string!(locale, mail.reminder.guest, when = when),
                        },
                        link: match reg.user_id {
                            Some(_) => format!("/my/tickets/{}", reg.id),
                            None => format!("/events/{}", ev.id),
                        },
                        event_id: Some(ev.id),
                    }
                })
                .collect();
            reminded.extend(notifier::insert_drafts(db, drafts, now).await?);
        }
    }
    Ok(reminded)
}
