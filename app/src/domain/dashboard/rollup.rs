//! Folds the changes that the database's triggers append to `figure_changes` into the
//! dashboard's totals per (event, day), per (organization, day) and per event. One transaction
//! claims the waiting changes, adds them to the totals and deletes them, so a change is counted
//! once however many processes fold at the same time (a second one waits for the first's claim
//! and then finds nothing). Readers add what is not folded yet, so how often this runs only
//! decides how many rows they add.
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::{domain::context::internal, error::AppError};

/// A table of totals: its owner column, where a change's owner comes from (`c` the change,
/// `e` its event), and whether it keeps days.
struct Totals {
    table: &'static str,
    owner: &'static str,
    owner_of_change: &'static str,
    by_day: bool,
}

const TOTALS: [Totals; 3] = [
    Totals {
        table: "event_day_figures",
        owner: "event_id",
        owner_of_change: "c.event_id",
        by_day: true,
    },
    Totals {
        table: "organization_day_figures",
        owner: "organization_id",
        owner_of_change: "e.organization_id",
        by_day: true,
    },
    Totals {
        table: "event_figures",
        owner: "event_id",
        owner_of_change: "c.event_id",
        by_day: false,
    },
];

const SUMS: [&str; 4] = ["n", "tickets", "amount_minor", "refunded_minor"];

impl Totals {
    /// Adds the changes of `batch` to these totals.
    fn add(&self, batch: i64) -> String {
        let Totals {
            table,
            owner,
            owner_of_change,
            ..
        } = self;
        let mut key = vec!["kind", "detail", "currency", "paid"];
        if self.by_day {
            key.insert(0, "day");
        }
        let of_change = key
            .iter()
            .map(|k| format!("c.{k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let key = key.join(", ");
        let sums = SUMS.join(", ");
        let summed = SUMS
            .iter()
            .map(|s| format!("SUM(c.{s})"))
            .collect::<Vec<_>>()
            .join(", ");
        let added = SUMS
            .iter()
            .map(|s| format!("{s} = {table}.{s} + excluded.{s}"))
            .collect::<Vec<_>>()
            .join(", ");
        // a deleted event's changes have nothing left to add to
        format!(
            "INSERT INTO {table} ({owner}, {key}, {sums})
             SELECT {owner_of_change}, {of_change}, {summed}
             FROM figure_changes c JOIN events e ON e.id = c.event_id
             WHERE c.batch = {batch} AND {owner_of_change} IS NOT NULL
             GROUP BY {owner_of_change}, {of_change}
             ON CONFLICT ({owner}, {key}) DO UPDATE SET {added}"
        )
    }
}

/// Folds every waiting change; returns how many there were.
pub async fn fold(db: &DatabaseConnection) -> Result<u64, AppError> {
    let batch: i64 = rand::random::<i64>().abs();
    let tx = db.begin().await.map_err(internal)?;
    let claimed = tx
        .execute_unprepared(&format!(
            "UPDATE figure_changes SET batch = {batch} WHERE batch IS NULL"
        ))
        .await
        .map_err(internal)?
        .rows_affected();
    if claimed > 0 {
        for totals in &TOTALS {
            tx.execute_unprepared(&totals.add(batch))
                .await
                .map_err(internal)?;
        }
        tx.execute_unprepared(&format!("DELETE FROM figure_changes WHERE batch = {batch}"))
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(claimed)
}
