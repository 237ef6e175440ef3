use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{domain::context::internal, error::AppError};
use entity::user;

/// Display names of a set of users, in one query.
pub async fn display_names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    of_users(db, ids, |u| u.display_name).await
}

/// What `pick` takes from each of a set of users (those that exist), in one query.
pub async fn of_users<C: ConnectionTrait, T>(
    db: &C,
    ids: impl IntoIterator<Item = i32>,
    pick: impl Fn(user::Model) -> T,
) -> Result<HashMap<i32, T>, AppError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.id, pick(u)))
        .collect())
}
