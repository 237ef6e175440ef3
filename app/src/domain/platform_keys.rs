//! Secrets the platform makes for itself on first start. They live in the database, so every
//! process that shares it signs and checks with the same key, and a restart keeps them.
use chrono::{DateTime, Utc};
use sea_orm::{sea_query::OnConflict, ConnectionTrait, EntityTrait, Set};

use crate::{domain::context::internal, error::AppError};
use entity::platform_key;

/// Signs one-click unsubscribe links (`notifications::unsubscribe`).
pub const UNSUBSCRIBE: &str = "unsubscribe_hmac";

/// The key called `name`, made by `make` if there is none yet. When two processes start at once
/// one insert wins and both read the winner.
pub async fn get_or_create<C: ConnectionTrait>(
    db: &C,
    name: &str,
    make: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if let Some(key) = platform_key::Entity::find_by_id(name.to_owned())
        .one(db)
        .await
        .map_err(internal)?
    {
        return Ok(key.value);
    }
    platform_key::Entity::insert(platform_key::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(make()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(platform_key::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(internal)?;
    platform_key::Entity::find_by_id(name.to_owned())
        .one(db)
        .await
        .map_err(internal)?
        .map(|k| k.value)
        .ok_or_else(|| internal(format!("platform key {name} vanished")))
}

/// 32 random bytes, hex-encoded.
pub fn random_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}
