//! Two demo organizations with teams: someone at the door of one, a manager at the other.
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use super::{accounts::People, app_err};
use app::{domain::organizations::personal, model::organizations::OrgRole};

pub async fn seed(
    txn: &DatabaseTransaction,
    people: &People,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let mut report = String::from("Teams:");
    // (organizer, attendee, role): Kulturbrauerei's door, Run Club Lisboa's manager
    for (org, member, role) in [(0, 9, OrgRole::Door), (1, 8, OrgRole::Manager)] {
        let (organizer, person) = (&people.organizers[org], &people.attendees[member]);
        let home = personal::of(txn, organizer, now).await.map_err(app_err)?;
        personal::add_member(txn, home.id, person.id, role, now)
            .await
            .map_err(app_err)?;
        report.push_str(&format!(
            " {} is {} at {} (/o/{});",
            person.email,
            role.label().to_lowercase(),
            home.name,
            home.slug
        ));
    }
    report.pop();
    report.push_str(".\n");
    Ok(report)
}
