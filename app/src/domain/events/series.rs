//! "Duplicate this event", once or as a weekly or monthly series made in one go. Each copy is a
//! new draft of the same organization with the event's approved text, place, visibility and
//! ticket types (none of its registrations), at the same local time of day however daylight
//! saving moves in between. Copies go through curation like any event; `submit` submits them.
use chrono::{DateTime, Duration, Months, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{internal, Settings},
        curation::submissions,
        events::{
            listings::tz_of,
            save::{create_in, load_editable},
            snapshot::Snapshot,
            visibility,
        },
        transaction::begin_write,
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{events::Visibility, language::Locale},
};
use entity::{event, ticket_type, user};

/// The most copies one request makes.
pub const MAX_COPIES: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// One copy at the same time, to be edited.
    Once,
    Weekly,
    Monthly,
}

impl Repeat {
    pub fn parse(raw: &str) -> Option<Repeat> {
        match raw {
            "once" => Some(Repeat::Once),
            "weekly" => Some(Repeat::Weekly),
            "monthly" => Some(Repeat::Monthly),
            _ => None,
        }
    }
}

/// The start of the `n`th copy (from 1): the same wall-clock time in the event's zone.
pub fn shifted(start: DateTime<Utc>, tz: Tz, repeat: Repeat, n: u32) -> Option<DateTime<Utc>> {
    let local = start.with_timezone(&tz).naive_local();
    let moved = match repeat {
        Repeat::Once => local,
        Repeat::Weekly => local + Duration::weeks(i64::from(n)),
        Repeat::Monthly => local.checked_add_months(Months::new(n))?,
    };
    moved
        .and_local_timezone(tz)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// What to make: how to repeat, how many copies, and whether to submit them for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub repeat: Repeat,
    pub count: u32,
    pub submit: bool,
}

/// Checks what was asked.
pub fn parse(repeat: &str, count: &str, submit: bool, locale: Locale) -> Result<Plan, AppError> {
    let mut errors = FieldErrors::new();
    let repeat = Repeat::parse(repeat.trim());
    if repeat.is_none() {
        errors.insert(
            "repeat".into(),
            td_string!(locale, events.series.repeat).into(),
        );
    }
    let count = match (repeat, count.trim()) {
        (Some(Repeat::Once), _) => Some(1),
        (_, raw) => match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_COPIES).contains(&n) => Some(n),
            _ => {
                errors.insert(
                    "count".into(),
                    td_string!(locale, events.series.count, max = MAX_COPIES),
                );
                None
            }
        },
    };
    match (repeat, count) {
        (Some(repeat), Some(count)) if errors.is_empty() => Ok(Plan {
            repeat,
            count,
            submit,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Makes the copies in one transaction; returns them, earliest first.
pub async fn duplicate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    editor: &user::Model,
    event_id: i32,
    plan: Plan,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<event::Model>, AppError> {
    let Plan {
        repeat,
        count,
        submit,
    } = plan;
    let original = load_editable(db, editor, event_id).await?;
    let tz = tz_of(&original);
    let length = original.ends_at - original.starts_at;
    let types = ticket_type::Entity::find()
        .filter(ticket_type::Column::EventId.eq(original.id))
        .order_by_asc(ticket_type::Column::Position)
        .all(db)
        .await
        .map_err(internal)?;
    let mut starts = Vec::new();
    for n in 1..=count {
        let start = shifted(original.starts_at, tz, repeat, n).ok_or_else(|| {
            AppError::field("repeat", td_string!(locale, events.series.past_calendar))
        })?;
        if repeat != Repeat::Once && start <= now {
            return Err(AppError::field(
                "repeat",
                td_string!(locale, events.series.in_the_past),
            ));
        }
        starts.push(start);
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let mut copies = Vec::new();
    for start in starts {
        let offset = start - original.starts_at;
        let mut snapshot = Snapshot::of(&original);
        snapshot.starts_at = start;
        snapshot.ends_at = start + length;
        let copy = create_in(&txn, editor, original.organization_id, snapshot, now).await?;
        // the copy's own default ticket type gives way to the original's
        ticket_type::Entity::delete_many()
            .filter(ticket_type::Column::EventId.eq(copy.id))
            .exec(&txn)
            .await
            .map_err(internal)?;
        for tt in &types {
            let mut row: ticket_type::ActiveModel = tt.clone().into();
            row.id = sea_orm::ActiveValue::NotSet;
            row.event_id = Set(copy.id);
            row.taken = Set(0);
            row.sales_start = Set(tt.sales_start.map(|t| t + offset));
            row.sales_end = Set(tt.sales_end.map(|t| t + offset));
            row.created_at = Set(now);
            row.updated_at = Set(now);
            row.insert(&txn).await.map_err(internal)?;
        }
        let copy = match visibility::of(&original) {
            Visibility::Public => copy,
            other => visibility::change(&txn, &copy, other, now, locale).await?,
        };
        let copy = match submit {
            true => submissions::submit(&txn, settings, editor, &copy, now, locale).await?,
            false => copy,
        };
        copies.push(copy);
    }
    txn.commit().await.map_err(internal)?;
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_series_keeps_the_local_time_across_daylight_saving() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // 19:00 in Berlin on 14 March 2031 (winter time), weekly: the third copy is after the
        // clocks went forward on 30 March and is still 19:00 local
        let start = tz
            .with_ymd_and_hms(2031, 3, 14, 19, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let third = shifted(start, tz, Repeat::Weekly, 3).unwrap();
        assert_eq!(
            third.with_timezone(&tz).format("%F %R").to_string(),
            "2031-04-04 19:00"
        );
        assert_eq!((third - start).num_hours(), 21 * 24 - 1);
        let monthly = shifted(start, tz, Repeat::Monthly, 2).unwrap();
        assert_eq!(
            monthly.with_timezone(&tz).format("%F %R").to_string(),
            "2031-05-14 19:00"
        );
        assert_eq!(shifted(start, tz, Repeat::Once, 1), Some(start));
    }

    #[test]
    fn a_request_names_a_repeat_and_a_sensible_count() {
        let plan = parse("weekly", "4", true, Locale::en).unwrap();
        assert_eq!(
            (plan.repeat, plan.count, plan.submit),
            (Repeat::Weekly, 4, true)
        );
        assert_eq!(parse("once", "", false, Locale::en).unwrap().count, 1);
        for (r, n) in [
            ("weekly", "0"),
            ("monthly", "13"),
            ("daily", "2"),
            ("weekly", "x"),
        ] {
            assert!(
                matches!(parse(r, n, false, Locale::en), Err(AppError::Validation(_))),
                "{r} {n}"
            );
        }
    }
}
