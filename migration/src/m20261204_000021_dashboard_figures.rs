//! The dashboard's figures kept as things happen, so that an organization's dashboard reads a
//! few hundred rows however many registrations and page views it has.
//!
//! Triggers on the tables the figures come from (registrations, saves, page views, referrals,
//! refunds) write what each insert, update or delete changed to `figure_changes`: the old row's
//! contribution taken back and the new one's added. Only appends, so bookings never wait for
//! each other on a shared total. A worker folds the changes into totals per (event, day), per
//! (organization, day) and per event; readers add the changes not folded yet, so figures are
//! exact at any moment. Page views and referrals are swept when old; their figures stay.
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the changes and totals hold: a figure's `kind` (`registration`, `save`, `view`,
/// `referral`, `refund`), its `detail` (a registration's status, a referral's source), currency
/// and whether it was paid for, and the sums.
const KEY: &str = "kind VARCHAR(16) NOT NULL, detail VARCHAR(64) NOT NULL, \
    currency VARCHAR(8) NOT NULL, paid BOOLEAN NOT NULL";
const SUMS: &str = "n BIGINT NOT NULL, tickets BIGINT NOT NULL, amount_minor BIGINT NOT NULL, \
    refunded_minor BIGINT NOT NULL";
const COLUMNS: &str =
    "event_id, day, kind, detail, currency, paid, n, tickets, amount_minor, refunded_minor";

/// Where figures come from; `{r}` stands for the row (`NEW`, `OLD`, or the table when filling).
struct Source {
    table: &'static str,
    kind: &'static str,
    /// Whether the row counts at all.
    counts: &'static str,
    /// The UTC day it counts on: a timestamp column, or a date column as it is.
    day: Day,
    detail: &'static str,
    currency: &'static str,
    paid: &'static str,
    n: &'static str,
    tickets: &'static str,
    amount: &'static str,
    refunded: &'static str,
    /// Columns whose change changes what the row counts.
    watched: &'static [&'static str],
    /// Whether deleting the row takes back what it counted (views and referrals are swept when
    /// old, and their figures stay).
    deleting_takes_back: bool,
}

#[derive(Clone, Copy)]
enum Day {
    Timestamp(&'static str),
    Date(&'static str),
}

const SOURCES: [Source; 5] = [
    Source {
        table: "registrations",
        kind: "registration",
        counts: "TRUE",
        day: Day::Timestamp("created_at"),
        detail: "{r}.status",
        currency: "{r}.currency",
        paid: "{r}.amount_minor > 0",
        n: "1",
        tickets: "{r}.quantity",
        amount: "{r}.amount_minor",
        refunded: "{r}.refunded_minor",
        watched: &[
            "event_id",
            "created_at",
            "status",
            "currency",
            "quantity",
            "amount_minor",
            "refunded_minor",
        ],
        deleting_takes_back: true,
    },
    Source {
        table: "saved_events",
        kind: "save",
        counts: "{r}.removed_at IS NULL",
        day: Day::Timestamp("created_at"),
        detail: "''",
        currency: "''",
        paid: "FALSE",
        n: "1",
        tickets: "0",
        amount: "0",
        refunded: "0",
        watched: &["event_id", "created_at", "removed_at"],
        deleting_takes_back: true,
    },
    Source {
        table: "event_views",
        kind: "view",
        counts: "TRUE",
        day: Day::Date("day"),
        detail: "''",
        currency: "''",
        paid: "FALSE",
        n: "{r}.views",
        tickets: "0",
        amount: "0",
        refunded: "0",
        watched: &["event_id", "day", "views"],
        deleting_takes_back: false,
    },
    Source {
        table: "event_referrals",
        kind: "referral",
        counts: "TRUE",
        day: Day::Date("day"),
        detail: "{r}.source",
        currency: "''",
        paid: "FALSE",
        n: "{r}.views",
        tickets: "0",
        amount: "0",
        refunded: "0",
        watched: &["event_id", "day", "source", "views"],
        deleting_takes_back: false,
    },
    Source {
        table: "refunds",
        kind: "refund",
        counts: "{r}.sent_at IS NOT NULL AND {r}.event_id IS NOT NULL",
        day: Day::Timestamp("sent_at"),
        detail: "''",
        currency: "{r}.currency",
        paid: "TRUE",
        n: "1",
        tickets: "0",
        amount: "{r}.amount_minor",
        refunded: "0",
        watched: &["event_id", "sent_at", "currency", "amount_minor"],
        deleting_takes_back: true,
    },
];

impl Source {
    fn day(&self, backend: DbBackend, r: &str) -> String {
        match (self.day, backend) {
            (Day::Date(c), _) => format!("{r}.{c}"),
            (Day::Timestamp(c), DbBackend::Postgres) => {
                format!("({r}.{c} AT TIME ZONE 'UTC')::date")
            }
            (Day::Timestamp(c), _) => format!("substr({r}.{c}, 1, 10)"),
        }
    }

    fn counts(&self, r: &str) -> String {
        self.counts.replace("{r}", r)
    }

    /// The row's contribution as the values of a change, taken back when `sign` is `-`.
    fn values(&self, backend: DbBackend, r: &str, sign: &str) -> String {
        let e = |t: &str| t.replace("{r}", r);
        format!(
            "{r}.event_id, {}, '{}', {}, {}, {}, {sign}({}), {sign}({}), {sign}({}), {sign}({})",
            self.day(backend, r),
            self.kind,
            e(self.detail),
            e(self.currency),
            e(self.paid),
            e(self.n),
            e(self.tickets),
            e(self.amount),
            e(self.refunded),
        )
    }

    fn changed(&self) -> String {
        self.watched
            .iter()
            .map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    fn triggers(&self, backend: DbBackend) -> Vec<String> {
        let (t, b) = (self.table, backend);
        let insert = |r: &str, sign: &str| {
            format!(
                "INSERT INTO figure_changes ({COLUMNS}) VALUES ({})",
                self.values(b, r, sign)
            )
        };
        if backend == DbBackend::Postgres {
            let mut out = vec![
                format!(
                    "CREATE FUNCTION {t}_figures() RETURNS trigger LANGUAGE plpgsql AS $f$
                     BEGIN
                         IF TG_OP <> 'INSERT' THEN
                             IF {} THEN {}; END IF;
                         END IF;
                         IF TG_OP <> 'DELETE' THEN
                             IF {} THEN {}; END IF;
                         END IF;
                         RETURN NULL;
                     END $f$",
                    self.counts("OLD"),
                    insert("OLD", "-"),
                    self.counts("NEW"),
                    insert("NEW", ""),
                ),
                format!(
                    "CREATE TRIGGER {t}_figures_insert AFTER INSERT ON {t}
                     FOR EACH ROW EXECUTE FUNCTION {t}_figures()"
                ),
                format!(
                    "CREATE TRIGGER {t}_figures_update AFTER UPDATE ON {t}
                     FOR EACH ROW WHEN ({}) EXECUTE FUNCTION {t}_figures()",
                    self.changed()
                ),
            ];
            if self.deleting_takes_back {
                out.push(format!(
                    "CREATE TRIGGER {t}_figures_delete AFTER DELETE ON {t}
                     FOR EACH ROW EXECUTE FUNCTION {t}_figures()"
                ));
            }
            return out;
        }
        let mut out = vec![
            format!(
                "CREATE TRIGGER {t}_figures_insert AFTER INSERT ON {t} FOR EACH ROW WHEN {}
                 BEGIN {}; END",
                self.counts("NEW"),
                insert("NEW", "")
            ),
            format!(
                "CREATE TRIGGER {t}_figures_update AFTER UPDATE ON {t} FOR EACH ROW WHEN {}
                 BEGIN
                     INSERT INTO figure_changes ({COLUMNS}) SELECT {} WHERE {};
                     INSERT INTO figure_changes ({COLUMNS}) SELECT {} WHERE {};
                 END",
                self.changed(),
                self.values(b, "OLD", "-"),
                self.counts("OLD"),
                self.values(b, "NEW", ""),
                self.counts("NEW"),
            ),
        ];
        if self.deleting_takes_back {
            out.push(format!(
                "CREATE TRIGGER {t}_figures_delete AFTER DELETE ON {t} FOR EACH ROW WHEN {}
                 BEGIN {}; END",
                self.counts("OLD"),
                insert("OLD", "-")
            ));
        }
        out
    }

    /// What the rows already there count, as changes for the worker to fold.
    fn fill(&self, backend: DbBackend) -> String {
        format!(
            "INSERT INTO figure_changes ({COLUMNS}) SELECT {} FROM {} r WHERE {}",
            self.values(backend, "r", ""),
            self.table,
            self.counts("r")
        )
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        let id = match backend {
            DbBackend::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY",
        };
        let key = "kind, detail, currency, paid";
        let statements = [
            format!(
                "CREATE TABLE figure_changes (id {id}, event_id INTEGER NOT NULL, \
                 day DATE NOT NULL, {KEY}, {SUMS}, batch BIGINT)"
            ),
            // no indexes: the worker keeps this table small, and every booking writes to it
            format!(
                "CREATE TABLE event_day_figures (event_id INTEGER NOT NULL \
                 REFERENCES events (id) ON DELETE CASCADE, day DATE NOT NULL, {KEY}, {SUMS}, \
                 PRIMARY KEY (event_id, day, {key}))"
            ),
            format!(
                "CREATE TABLE organization_day_figures (organization_id INTEGER NOT NULL \
                 REFERENCES organizations (id) ON DELETE CASCADE, day DATE NOT NULL, {KEY}, \
                 {SUMS}, PRIMARY KEY (organization_id, day, {key}))"
            ),
            format!(
                "CREATE TABLE event_figures (event_id INTEGER NOT NULL \
                 REFERENCES events (id) ON DELETE CASCADE, {KEY}, {SUMS}, \
                 PRIMARY KEY (event_id, {key}))"
            ),
            // the dashboard no longer reads page views by event and day
            "DROP INDEX IF EXISTS idx_event_views_dashboard".to_owned(),
        ];
        for s in statements {
            db.execute_unprepared(&s).await?;
        }
        for source in &SOURCES {
            for s in source.triggers(backend) {
                db.execute_unprepared(&s).await?;
            }
            db.execute_unprepared(&source.fill(backend)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        for source in &SOURCES {
            let t = source.table;
            for op in ["insert", "update", "delete"] {
                let drop = match backend {
                    DbBackend::Postgres => {
                        format!("DROP TRIGGER IF EXISTS {t}_figures_{op} ON {t}")
                    }
                    _ => format!("DROP TRIGGER IF EXISTS {t}_figures_{op}"),
                };
                db.execute_unprepared(&drop).await?;
            }
            if backend == DbBackend::Postgres {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {t}_figures()"))
                    .await?;
            }
        }
        for t in [
            "event_figures",
            "organization_day_figures",
            "event_day_figures",
            "figure_changes",
        ] {
            db.execute_unprepared(&format!("DROP TABLE IF EXISTS {t}"))
                .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_event_views_dashboard \
             ON event_views (event_id, day, views)",
        )
        .await?;
        Ok(())
    }
}
