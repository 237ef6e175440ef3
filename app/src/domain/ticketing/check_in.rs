//! Check-in at the door: a ticket's code, typed or scanned, admits its holder once.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    domain::{
        accounts::names::display_names,
        context::{find, internal},
        ticketing::{
            notes,
            registrations::{status_of, transition, Move},
            ticket_types::{going, managed_event},
            tickets::{normalize_code, when_label},
        },
    },
    error::AppError,
    i18n::td_string,
    model::organizations::OrgAction,
    model::{
        forms::FormState,
        labels_ticketing::ticket_status_in,
        language::Locale,
        ticketing::{CheckInPage, RegistrationStatus},
    },
};
use entity::{registration, ticket};

pub async fn page<C: ConnectionTrait>(
    db: &C,
    user: &entity::user::Model,
    event_id: i32,
    last: FormState,
) -> Result<CheckInPage, AppError> {
    let ev = managed_event(db, user, event_id, OrgAction::CheckIn).await?;
    let checked_in = ticket::Entity::find()
        .filter(ticket::Column::EventId.eq(ev.id))
        .filter(ticket::Column::CheckedInAt.is_not_null())
        .count(db)
        .await
        .map_err(internal)?;
    Ok(CheckInPage {
        event_id: ev.id,
        event_title: ev.title.clone(),
        checked_in: checked_in as i64,
        going: going(db, ev.id).await?,
        last: last
            .message
            .clone()
            .map(|m| (last.value("accepted") == "true", m)),
    })
}

/// Admits the ticket with `raw_code` to the event; refuses codes of other events, voided
/// tickets, and a second use (saying when and by whom the first was).
pub async fn check_in<C: ConnectionTrait>(
    db: &C,
    staff: &entity::user::Model,
    event_id: i32,
    raw_code: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let ev = managed_event(db, staff, event_id, OrgAction::CheckIn).await?;
    let code = normalize_code(raw_code);
    if code.is_empty() {
        return Err(AppError::field(
            "code",
            td_string!(locale, tickets.check_in_result.no_code),
        ));
    }
    let Some(found) = ticket::Entity::find()
        .filter(ticket::Column::Code.eq(code.as_str()))
        .filter(ticket::Column::EventId.eq(ev.id))
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Err(AppError::Refused(
            td_string!(locale, tickets.check_in_result.unknown_code).into(),
        ));
    };
    let reg = find::<registration::Entity, _>(db, found.registration_id).await?;
    if found.status != "valid" {
        return Err(AppError::Refused(td_string!(
            locale,
            tickets.check_in_result.void,
            status = ticket_status_in(locale, &found.status)
        )));
    }
    // the guard: only the first of two scans at two doors finds it unused
    let admitted = ticket::Entity::update_many()
        .set(ticket::ActiveModel {
            checked_in_at: Set(Some(now)),
            checked_in_by: Set(Some(staff.id)),
            ..Default::default()
        })
        .filter(ticket::Column::Id.eq(found.id))
        .filter(ticket::Column::CheckedInAt.is_null())
        .filter(ticket::Column::Status.eq("valid"))
        .exec(db)
        .await
        .map_err(internal)?;
    if admitted.rows_affected != 1 {
        let first = find::<ticket::Entity, _>(db, found.id).await?;
        let by = match first.checked_in_by {
            Some(id) => display_names(db, [id])
                .await?
                .remove(&id)
                .unwrap_or_default(),
            None => String::new(),
        };
        let at = first
            .checked_in_at
            .map(|t| when_label(t, &ev, locale))
            .unwrap_or_default();
        return Err(AppError::Refused(if by.is_empty() {
            td_string!(
                locale,
                tickets.check_in_result.used,
                number = first.number,
                name = &reg.name,
                at = at
            )
        } else {
            td_string!(
                locale,
                tickets.check_in_result.used_by,
                number = first.number,
                name = &reg.name,
                at = at,
                by = by
            )
        }));
    }
    if status_of(&reg)? == RegistrationStatus::Confirmed {
        transition(
            db,
            &reg,
            Move::to(
                RegistrationStatus::CheckedIn,
                Some(staff.id),
                notes::CHECKED_IN,
            ),
            now,
        )
        .await?;
    }
    Ok(td_string!(
        locale,
        tickets.check_in_result.welcome,
        name = &reg.name,
        number = found.number,
        quantity = reg.quantity
    ))
}
