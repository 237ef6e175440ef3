//! The audit log: who did what to whom, when and why. Entries are only ever added; nothing here
//! (or anywhere) updates or deletes them, and the page that shows them has no form.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::{
    domain::{accounts::names::display_names, context::internal, locale_format},
    error::AppError,
    i18n::td_string,
    model::{
        admin::{AuditPage, AuditRow},
        events::EventStatus,
        language::Locale,
        taxonomy::Role,
    },
};
use entity::audit_entry;

pub const PAGE: u64 = 50;
pub const REASON_MAX: usize = 500;

/// The reason every admin action needs, trimmed; refused (in `locale`) when missing or too
/// long.
pub fn reason(raw: &str, locale: Locale) -> Result<String, AppError> {
    let reason = raw.trim();
    match reason.chars().count() {
        0..=2 => Err(AppError::field(
            "reason",
            td_string!(locale, admin.audit_log.say_why),
        )),
        n if n > REASON_MAX => Err(AppError::field(
            "reason",
            td_string!(locale, admin.audit_log.reason_too_long),
        )),
        _ => Ok(reason.to_owned()),
    }
}

/// What an entry's `details` say. They are stored once, in one fixed form for every reader
/// (`stored`), and read in each reader's language (`read_in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    /// A person's role, from one to another (their slugs).
    Role { was: String, now: String },
    /// A suspension hid this many public events.
    Hidden(usize),
    /// A reinstatement showed this many events again.
    Shown(usize),
    /// An organization's owners before (addresses, comma-separated) and after.
    Owners { was: String, now: String },
    /// An event's status, from one to another (their slugs).
    Status { was: String, now: String },
}

const HIDDEN: &str = " public events hidden";
const SHOWN: &str = " events shown again";

impl Details {
    /// As the log keeps it: "role: attendee → curator", "3 public events hidden".
    pub fn stored(&self) -> String {
        match self {
            Details::Role { was, now } => format!("role: {was} → {now}"),
            Details::Hidden(n) => format!("{n}{HIDDEN}"),
            Details::Shown(n) => format!("{n}{SHOWN}"),
            Details::Owners { was, now } => format!("owners: {was} → {now}"),
            Details::Status { was, now } => format!("status: {was} → {now}"),
        }
    }

    /// What `stored` wrote, if it was.
    fn parse(stored: &str) -> Option<Details> {
        let pair = |rest: &str| {
            rest.split_once(" → ")
                .map(|(was, now)| (was.to_owned(), now.to_owned()))
        };
        if let Some((was, now)) = stored.strip_prefix("role: ").and_then(pair) {
            Some(Details::Role { was, now })
        } else if let Some((was, now)) = stored.strip_prefix("owners: ").and_then(pair) {
            Some(Details::Owners { was, now })
        } else if let Some((was, now)) = stored.strip_prefix("status: ").and_then(pair) {
            Some(Details::Status { was, now })
        } else if let Some(n) = stored.strip_suffix(HIDDEN) {
            n.parse().ok().map(Details::Hidden)
        } else {
            stored.strip_suffix(SHOWN)?.parse().ok().map(Details::Shown)
        }
    }

    /// Stored details as `locale` reads them; details in no form this knows stay as written.
    pub fn read_in(stored: &str, locale: Locale) -> String {
        // a role or status inside a sentence: lower case, except German nouns
        let in_sentence = |label: &str| match locale {
            Locale::de => label.to_owned(),
            _ => label.to_lowercase(),
        };
        let role = |slug: &str| {
            Role::parse(slug)
                .map(|r| in_sentence(r.label_in(locale)))
                .unwrap_or_else(|| slug.to_owned())
        };
        let status = |slug: &str| {
            EventStatus::parse(slug)
                .map(|s| in_sentence(s.label_in(locale)))
                .unwrap_or_else(|| slug.to_owned())
        };
        match Details::parse(stored) {
            Some(Details::Role { was, now }) => td_string!(
                locale,
                admin.audit_log.role_details,
                was = role(&was),
                now = role(&now)
            ),
            Some(Details::Hidden(n)) => td_string!(locale, admin.audit_log.hidden, count = n),
            Some(Details::Shown(n)) => td_string!(locale, admin.audit_log.shown, count = n),
            Some(Details::Owners { was, now }) => {
                td_string!(locale, admin.audit_log.owners, was = was, now = now)
            }
            Some(Details::Status { was, now }) => td_string!(
                locale,
                admin.audit_log.status_details,
                was = status(&was),
                now = status(&now)
            ),
            None => stored.to_owned(),
        }
    }
}

/// What an admin did, in `locale`: an entry's `action` (`set_role`, `suspend`, …) in words.
fn action_in(action: &str, locale: Locale) -> String {
    match action {
        "set_role" => td_string!(locale, admin.audit_log.set_role),
        "suspend" => td_string!(locale, admin.audit_log.suspend),
        "reinstate" => td_string!(locale, admin.audit_log.reinstate),
        "transfer" => td_string!(locale, admin.audit_log.transfer),
        "cancel_event" => td_string!(locale, admin.audit_log.cancel_event),
        other => other,
    }
    .to_owned()
}

/// Writes one entry. Call it with the transaction that made the change.
#[allow(clippy::too_many_arguments)]
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: i32,
    action: &str,
    subject_kind: &str,
    subject_id: i32,
    reason: &str,
    details: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit_entry::ActiveModel {
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        subject_kind: Set(subject_kind.to_owned()),
        subject_id: Set(subject_id),
        reason: Set(reason.to_owned()),
        details: Set(details.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(())
}

/// A page (from 1) of the log, newest first, in `locale`; `subject` narrows it to one (kind,
/// id).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    page: u64,
    subject: Option<(&str, i32)>,
    locale: Locale,
) -> Result<AuditPage, AppError> {
    let page = page.max(1);
    let mut query = audit_entry::Entity::find();
    if let Some((kind, id)) = subject {
        query = query
            .filter(audit_entry::Column::SubjectKind.eq(kind))
            .filter(audit_entry::Column::SubjectId.eq(id));
    }
    let total = query.clone().count(db).await.map_err(internal)?;
    let rows = query
        .order_by_desc(audit_entry::Column::Id)
        .paginate(db, PAGE)
        .fetch_page(page - 1)
        .await
        .map_err(internal)?;
    let mut people: Vec<i32> = rows.iter().map(|r| r.actor_id).collect();
    people.extend(
        rows.iter()
            .filter(|r| r.subject_kind == "user")
            .map(|r| r.subject_id),
    );
    let names: HashMap<i32, String> = display_names(db, people).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    Ok(AuditPage {
        page,
        more: page * PAGE < total,
        rows: rows
            .iter()
            .map(|r| AuditRow {
                when: locale_format::date_time(locale, r.created_at, chrono_tz::UTC),
                actor: name(r.actor_id),
                action: action_in(&r.action, locale),
                subject: match r.subject_kind.as_str() {
                    "user" => name(r.subject_id),
                    kind => format!("{kind} #{}", r.subject_id),
                },
                reason: r.reason.clone(),
                details: Details::read_in(&r.details, locale),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_stored_once_and_read_in_each_language() {
        let role = Details::Role {
            was: "attendee".into(),
            now: "curator".into(),
        };
        assert_eq!(role.stored(), "role: attendee → curator");
        assert_eq!(Details::parse(&role.stored()), Some(role.clone()));
        assert_eq!(
            Details::read_in(&role.stored(), Locale::en),
            "role: attendee → curator"
        );
        assert_eq!(
            Details::read_in(&Details::Hidden(3).stored(), Locale::en),
            "3 public events hidden"
        );
        assert_eq!(
            Details::read_in("something else", Locale::de),
            "something else"
        );
        for details in [
            Details::Hidden(1),
            Details::Shown(2),
            Details::Owners {
                was: "a@example.com, b@example.com".into(),
                now: "c@example.com".into(),
            },
            Details::Status {
                was: "published".into(),
                now: "cancelled".into(),
            },
        ] {
            assert_eq!(Details::parse(&details.stored()), Some(details));
        }
    }
}
