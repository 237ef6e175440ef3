//! "Send me my tickets": a guest who booked without an account gets the links to their tickets
//! again, by mail, at the address they booked with.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::{
    domain::{
        accounts::{language, sign_up::normalize_email},
        context::internal,
        notifications::{
            compose::{ticket_lines, when_and_where, Draft},
            notifier,
        },
    },
    error::AppError,
    i18n::td_string,
    model::{notifications::Kind, ticketing::RegistrationStatus},
};
use entity::{event, notification, registration, user};

/// Mails of tickets one address may ask for per hour.
pub const PER_HOUR: u64 = 3;

/// Queues one mail listing the guest's tickets for events that have not ended. Says nothing
/// about whether there were any, or whether the hourly limit was reached.
pub async fn send<C: ConnectionTrait>(
    db: &C,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|e| AppError::field("email", e))?;
    let key = format!("guest_tickets:{email}");
    let asked = notification::Entity::find()
        .filter(notification::Column::DedupeKey.starts_with(&key))
        .filter(notification::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db)
        .await
        .map_err(internal)?;
    if asked >= PER_HOUR {
        return Ok(());
    }
    let going = RegistrationStatus::slugs_where(RegistrationStatus::is_going);
    let held = registration::Entity::find()
        .filter(registration::Column::UserId.is_null())
        .filter(registration::Column::Email.eq(&email))
        .filter(registration::Column::Status.is_in(going))
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    // a guest has no language on file: English, unless an account uses the address
    let locale = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await
        .map_err(internal)?
        .map(|account| language::of_user(&account))
        .unwrap_or_default();
    let mut lines = Vec::new();
    for reg in &held {
        let Some(ev) = event::Entity::find_by_id(reg.event_id)
            .one(db)
            .await
            .map_err(internal)?
            .filter(|e| e.ends_at > now)
        else {
            continue;
        };
        lines.push(format!("{} ({}):", ev.title, when_and_where(locale, &ev)));
        lines.extend(ticket_lines(db, reg.id, locale).await?);
    }
    if lines.is_empty() {
        return Ok(());
    }
    notifier::insert_drafts(
        db,
        vec![Draft {
            user_id: None,
            email: email.clone(),
            kind: Kind::Account,
            dedupe_key: format!("{key}:{}", now.timestamp_micros()),
            title: td_string!(locale, mail.guest_tickets.title).into(),
            body: format!(
                "{}\n{}",
                td_string!(locale, mail.guest_tickets.intro),
                lines.join("\n")
            ),
            link: "/".into(),
            event_id: None,
        }],
        now,
    )
    .await
    .map(|_| ())
}
