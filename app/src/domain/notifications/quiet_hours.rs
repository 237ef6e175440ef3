//! Quiet hours for push: a daily window in the person's time zone during which push messages
//! wait, and go out when it ends. The in-app list and mail are not held.
use chrono::{DateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use sea_orm::{sea_query::OnConflict, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{
    domain::context::internal,
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{language::Locale, notifications::QuietHours},
};
use entity::quiet_hours;

/// A daily window, minutes after local midnight; `from > until` runs past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: u32,
    pub until: u32,
    pub zone: Tz,
}

impl Window {
    /// When a push due at `now` may go: `None` for now, else the end of the window.
    pub fn wait_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.from == self.until {
            return None;
        }
        let local = now.with_timezone(&self.zone);
        let minute = local.hour() * 60 + local.minute();
        let inside = if self.from < self.until {
            (self.from..self.until).contains(&minute)
        } else {
            minute >= self.from || minute < self.until
        };
        if !inside {
            return None;
        }
        let mut day = local.date_naive();
        if minute >= self.until {
            day = day.succ_opt()?;
        }
        let end = day.and_time(NaiveTime::from_hms_opt(
            self.until / 60,
            self.until % 60,
            0,
        )?);
        // a window ending in a DST gap ends an hour later; one ending in the repeated hour when
        // clocks go back ends at the first of its two instants that is still to come
        let ends = match self.zone.from_local_datetime(&end) {
            chrono::LocalResult::Single(t) => vec![t],
            chrono::LocalResult::Ambiguous(first, second) => vec![first, second],
            chrono::LocalResult::None => self
                .zone
                .from_local_datetime(&(end + chrono::Duration::hours(1)))
                .earliest()
                .into_iter()
                .collect(),
        };
        ends.into_iter()
            .map(|t| t.with_timezone(&Utc))
            .find(|t| *t > now)
    }
}

fn minutes(text: &str) -> Option<u32> {
    let t = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()?;
    Some(t.hour() * 60 + t.minute())
}

pub fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The form: both times empty turns quiet hours off. What is wrong is said in `locale`.
pub fn parse(
    from: &str,
    until: &str,
    zone: &str,
    locale: Locale,
) -> Result<Option<Window>, AppError> {
    if from.trim().is_empty() && until.trim().is_empty() {
        return Ok(None);
    }
    let mut errors = FieldErrors::new();
    let (from, until) = (minutes(from), minutes(until));
    if from.is_none() {
        errors.insert(
            "quiet_from".into(),
            td_string!(locale, notifications.quiet_hours.invalid_from).into(),
        );
    }
    if until.is_none() {
        errors.insert(
            "quiet_until".into(),
            td_string!(locale, notifications.quiet_hours.invalid_until).into(),
        );
    }
    let zone: Option<Tz> = zone.trim().parse().ok();
    if zone.is_none() {
        errors.insert(
            "quiet_zone".into(),
            td_string!(locale, notifications.quiet_hours.invalid_zone).into(),
        );
    }
    match (from, until, zone) {
        (Some(from), Some(until), Some(zone)) if errors.is_empty() => {
            Ok(Some(Window { from, until, zone }))
        }
        _ => Err(AppError::Validation(errors)),
    }
}

pub async fn load<C: ConnectionTrait>(db: &C, user: i32) -> Result<Option<Window>, AppError> {
    Ok(quiet_hours::Entity::find_by_id(user)
        .one(db)
        .await
        .map_err(internal)?
        .and_then(|q| {
            Some(Window {
                from: u32::try_from(q.from_minute).ok()?,
                until: u32::try_from(q.until_minute).ok()?,
                zone: q.time_zone.parse().ok()?,
            })
        }))
}

/// What the preferences page shows.
pub async fn form<C: ConnectionTrait>(
    db: &C,
    user: i32,
    default_zone: Tz,
) -> Result<QuietHours, AppError> {
    Ok(match load(db, user).await? {
        Some(w) => QuietHours {
            from: clock(w.from),
            until: clock(w.until),
            zone: w.zone.name().to_owned(),
        },
        None => QuietHours {
            from: String::new(),
            until: String::new(),
            zone: default_zone.name().to_owned(),
        },
    })
}

pub async fn save<C: ConnectionTrait>(
    db: &C,
    user: i32,
    window: Option<Window>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    quiet_hours::Entity::delete_many()
        .filter(quiet_hours::Column::UserId.eq(user))
        .exec(db)
        .await
        .map_err(internal)?;
    if let Some(w) = window {
        quiet_hours::Entity::insert(quiet_hours::ActiveModel {
            user_id: Set(user),
            from_minute: Set(w.from as i32),
            until_minute: Set(w.until as i32),
            time_zone: Set(w.zone.name().to_owned()),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(quiet_hours::Column::UserId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(internal)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn push_waits_inside_the_window_until_it_ends_in_the_persons_zone() {
        let night = Window {
            from: 22 * 60,
            until: 7 * 60,
            zone: chrono_tz::Europe::Berlin,
        };
        // 23:30 in Berlin (UTC+1 in December): until 07:00 the next morning
        assert_eq!(
            night.wait_until(at("2026-12-03T22:30:00Z")),
            Some(at("2026-12-04T06:00:00Z"))
        );
        // 05:00 in Berlin: until 07:00 the same morning
        assert_eq!(
            night.wait_until(at("2026-12-04T04:00:00Z")),
            Some(at("2026-12-04T06:00:00Z"))
        );
        // 12:00 in Berlin: at once
        assert_eq!(night.wait_until(at("2026-12-04T11:00:00Z")), None);
        let lunch = Window {
            from: 12 * 60,
            until: 13 * 60,
            zone: chrono_tz::America::New_York,
        };
        assert_eq!(
            lunch.wait_until(at("2026-12-04T17:30:00Z")),
            Some(at("2026-12-04T18:00:00Z"))
        );
        assert_eq!(lunch.wait_until(at("2026-12-04T18:00:00Z")), None);
    }

    #[test]
    fn the_form_takes_times_and_a_zone_or_nothing() {
        assert_eq!(
            parse("", "", "Europe/Berlin", Locale::en).expect("off"),
            None
        );
        assert!(parse("22:00", "07:00", "Europe/Berlin", Locale::en)
            .expect("on")
            .is_some());
        for (from, until, zone) in [
            ("25:00", "07:00", "Europe/Berlin"),
            ("22:00", "", "Europe/Berlin"),
            ("22:00", "07:00", "Mars/Olympus"),
        ] {
            assert!(matches!(
                parse(from, until, zone, Locale::en),
                Err(AppError::Validation(_))
            ));
        }
    }
}
