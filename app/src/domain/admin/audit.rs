//! The audit log: who did what to whom, when and why. Entries are only ever added; nothing here
//! (or anywhere) updates or deletes them, and the page that shows them has no form.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::{
    domain::{accounts::names::display_names, context::internal},
    error::AppError,
    model::admin::{AuditPage, AuditRow},
};
use entity::audit_entry;

pub const PAGE: u64 = 50;
pub const REASON_MAX: usize = 500;

/// The reason every admin action needs, trimmed; refused when missing or too long.
pub fn reason(raw: &str) -> Result<String, AppError> {
    let reason = raw.trim();
    match reason.chars().count() {
        0..=2 => Err(AppError::field(
            "reason",
            "Say why, in a few words: it goes into the audit log.",
        )),
        n if n > REASON_MAX => Err(AppError::field("reason", "Keep it under 500 characters.")),
        _ => Ok(reason.to_owned()),
    }
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

/// A page (from 1) of the log, newest first; `subject` narrows it to one (kind, id).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    page: u64,
    subject: Option<(&str, i32)>,
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
                when: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                actor: name(r.actor_id),
                action: r.action.clone(),
                subject: match r.subject_kind.as_str() {
                    "user" => name(r.subject_id),
                    kind => format!("{kind} #{}", r.subject_id),
                },
                reason: r.reason.clone(),
                details: r.details.clone(),
            })
            .collect(),
    })
}
