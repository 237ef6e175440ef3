//! The demo's people: an admin, two curators, organizers, attendees and accounts that only
//! ever submit spam.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use app::{
    domain::accounts::{password, sign_up::insert_user},
    model::taxonomy::Role,
};

use super::{app_err, Demo};

pub const DEMO_PASSWORD: &str = "lineup-demo";

pub const ORGANIZERS: [(&str, &str); 6] = [
    ("Kulturbrauerei Collective", "collective@lineup.test"),
    ("Run Club Lisboa", "runclub@lineup.test"),
    ("Open Source Berlin", "oss@lineup.test"),
    ("Sabores Supper Club", "sabores@lineup.test"),
    ("Green Neighbours", "green@lineup.test"),
    ("Nightshift Events", "nightshift@lineup.test"),
];

pub const ATTENDEES: [(&str, &str); 10] = [
    ("Ana Silva", "ana@lineup.test"),
    ("Ben Müller", "ben@lineup.test"),
    ("Chloé Martin", "chloe@lineup.test"),
    ("Dmitri Ivanov", "dmitri@lineup.test"),
    ("Emma Santos", "emma@lineup.test"),
    ("Farid Haddad", "farid@lineup.test"),
    ("Grace Okafor", "grace@lineup.test"),
    ("Hiro Tanaka", "hiro@lineup.test"),
    ("Inês Costa", "ines@lineup.test"),
    ("Jonas Weber", "jonas@lineup.test"),
];

pub const ADMIN_EMAIL: &str = "admin@lineup.test";
pub const CURATOR_EMAIL: &str = "curator@lineup.test";
/// A second curator, so appeals against the first one's decisions have someone to go to.
pub const SECOND_CURATOR_EMAIL: &str = "curator2@lineup.test";

/// Accounts that only ever submit spam: their rejected submissions teach the spam model.
const SPAMMERS: [(&str, &str); 3] = [
    ("Crypto Wealth Events", "wealth@spam.test"),
    ("Mega Giveaway Club", "giveaway@spam.test"),
    ("Quick Cash Seminars", "cash@spam.test"),
];

pub struct People {
    pub curator: entity::user::Model,
    pub curator2: entity::user::Model,
    pub organizers: Vec<entity::user::Model>,
    pub attendees: Vec<entity::user::Model>,
    pub spammers: Vec<entity::user::Model>,
}

/// Whether the demo data was loaded already.
pub async fn present(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(ADMIN_EMAIL))
        .one(db)
        .await?
        .is_some())
}

/// Every demo account, all with `DEMO_PASSWORD`. The regular accounts have been around for a
/// while; the spam accounts are new.
pub async fn create(demo: &Demo<'_>) -> anyhow::Result<People> {
    let (txn, now) = (demo.txn, demo.now);
    let hash = password::hash(DEMO_PASSWORD).await.map_err(app_err)?;
    let new_user = async |name: &str, email: &str, role: Role| {
        insert_user(
            txn,
            email.to_owned(),
            hash.clone(),
            name.to_owned(),
            role,
            None,
        )
        .await
    };
    let mut admin = new_user("Ada Admin", ADMIN_EMAIL, Role::Admin)
        .await
        .map_err(app_err)?;
    let mut curator = new_user("Cora Curator", CURATOR_EMAIL, Role::Curator)
        .await
        .map_err(app_err)?;
    let mut curator2 = new_user("Cyril Curator", SECOND_CURATOR_EMAIL, Role::Curator)
        .await
        .map_err(app_err)?;
    let mut organizers = Vec::new();
    for (name, email) in ORGANIZERS {
        organizers.push(
            new_user(name, email, Role::Organizer)
                .await
                .map_err(app_err)?,
        );
    }
    let mut attendees = Vec::new();
    for (name, email) in ATTENDEES {
        attendees.push(
            new_user(name, email, Role::Attendee)
                .await
                .map_err(app_err)?,
        );
    }
    let mut spammers = Vec::new();
    for (name, email) in SPAMMERS {
        spammers.push(
            new_user(name, email, Role::Organizer)
                .await
                .map_err(app_err)?,
        );
    }

    // the regular accounts have been around for a while, with confirmed addresses
    let (since, confirmed) = (now - Duration::days(400), Some(now - Duration::days(400)));
    let mut regulars: Vec<&mut entity::user::Model> = [&mut admin, &mut curator, &mut curator2]
        .into_iter()
        .chain(organizers.iter_mut())
        .chain(attendees.iter_mut())
        .collect();
    for account in regulars.iter_mut() {
        account.created_at = since;
        account.email_verified_at = confirmed;
    }
    let ids: Vec<i32> = regulars.iter().map(|u| u.id).collect();
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(since),
        )
        .col_expr(
            entity::user::Column::EmailVerifiedAt,
            sea_orm::sea_query::Expr::value(confirmed),
        )
        .filter(entity::user::Column::Id.is_in(ids))
        .exec(txn)
        .await?;
    Ok(People {
        curator,
        curator2,
        organizers,
        attendees,
        spammers,
    })
}

/// The accounts the report lists.
pub fn report() -> String {
    let mut report = format!(
        "Every demo account's password is: {DEMO_PASSWORD}\n  admin:     {ADMIN_EMAIL}\n  curators:  {CURATOR_EMAIL}, {SECOND_CURATOR_EMAIL}\n"
    );
    for (name, email) in ORGANIZERS {
        report.push_str(&format!("  organizer: {email} ({name})\n"));
    }
    for (name, email) in ATTENDEES.iter().take(3) {
        report.push_str(&format!("  attendee:  {email} ({name})\n"));
    }
    report.push_str(&format!("  … and {} more attendees", ATTENDEES.len() - 3));
    report
}

/// `n` attendee accounts `{prefix}{i}@example.com` that cannot sign in, for load tests and
/// benchmarks.
pub async fn synthetic_attendees<C: ConnectionTrait>(
    db: &C,
    prefix: &str,
    n: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<entity::user::Model>> {
    use sea_orm::Set;
    let rows: Vec<entity::user::ActiveModel> = (0..n)
        .map(|i| entity::user::ActiveModel {
            email: Set(format!("{prefix}{i}@example.com")),
            password_hash: Set("-".into()),
            display_name: Set(format!("Buyer {i}")),
            role: Set(Role::Attendee.as_str().into()),
            interests: Set(String::new()),
            reputation: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        entity::user::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(entity::user::Entity::find()
        .filter(entity::user::Column::Email.starts_with(prefix))
        .all(db)
        .await?)
}
