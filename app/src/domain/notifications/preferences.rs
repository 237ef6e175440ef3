//! Who wants what where: each (kind, channel) is on or off, by default as
//! `Kind::default_on` says; only choices that differ from the default are stored.
use crate::domain::transaction::begin_write;
use std::collections::{BTreeSet, HashMap};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::context::internal,
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        notifications::{switch_name, Channel, Kind, PreferenceRow},
    },
};
use entity::notification_preference as preference;

/// The stored choices of some people, for deciding many deliveries at once.
#[derive(Debug, Default)]
pub struct Overrides(HashMap<(i32, Kind, Channel), bool>);

impl Overrides {
    pub async fn load<C: ConnectionTrait>(
        db: &C,
        users: impl IntoIterator<Item = i32>,
    ) -> Result<Overrides, AppError> {
        let users: BTreeSet<i32> = users.into_iter().collect();
        if users.is_empty() {
            return Ok(Overrides::default());
        }
        let rows = preference::Entity::find()
            .filter(preference::Column::UserId.is_in(users))
            .all(db)
            .await
            .map_err(internal)?;
        Ok(Overrides(
            rows.into_iter()
                .filter_map(|r| {
                    let kind = Kind::parse(&r.kind)?;
                    let channel = Channel::parse(&r.channel)?;
                    Some(((r.user_id, kind, channel), r.enabled))
                })
                .collect(),
        ))
    }

    pub fn is_on(&self, user: i32, kind: Kind, channel: Channel) -> bool {
        if !channel.can_switch_off() || !kind.switchable() {
            return true;
        }
        self.0
            .get(&(user, kind, channel))
            .copied()
            .unwrap_or_else(|| kind.default_on(channel))
    }
}

/// The preferences page's rows for `user`.
pub async fn rows<C: ConnectionTrait>(db: &C, user: i32) -> Result<Vec<PreferenceRow>, AppError> {
    let overrides = Overrides::load(db, [user]).await?;
    Ok(Kind::ALL
        .iter()
        .filter(|k| k.switchable())
        .map(|&kind| PreferenceRow {
            kind,
            channels: Channel::ALL
                .iter()
                .filter(|c| c.can_switch_off())
                .map(|&channel| (channel, overrides.is_on(user, kind, channel)))
                .collect(),
        })
        .collect())
}

/// Saves the preferences form: `on` holds the names of the switches that were ticked
/// (`switch_name`); every switch not in it is off. Unknown names are refused, so a mistyped
/// form cannot silently switch everything off (refused in `locale`).
pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: i32,
    on: &BTreeSet<String>,
    locale: Locale,
) -> Result<(), AppError> {
    let switches: Vec<(Kind, Channel)> = Kind::ALL
        .iter()
        .filter(|k| k.switchable())
        .flat_map(|&k| {
            Channel::ALL
                .iter()
                .filter(|c| c.can_switch_off())
                .map(move |&c| (k, c))
        })
        .collect();
    let known: BTreeSet<String> = switches.iter().map(|&(k, c)| switch_name(k, c)).collect();
    if let Some(unknown) = on.iter().find(|name| !known.contains(*name)) {
        return Err(AppError::Refused(td_string!(
            locale,
            notifications.preferences.unknown_setting,
            name = unknown
        )));
    }
    let txn = begin_write(db).await.map_err(internal)?;
    preference::Entity::delete_many()
        .filter(preference::Column::UserId.eq(user))
        .exec(&txn)
        .await
        .map_err(internal)?;
    for (kind, channel) in switches {
        let enabled = on.contains(&switch_name(kind, channel));
        if enabled != kind.default_on(channel) {
            preference::ActiveModel {
                user_id: Set(user),
                kind: Set(kind.as_str().to_owned()),
                channel: Set(channel.as_str().to_owned()),
                enabled: Set(enabled),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(internal)?;
        }
    }
    txn.commit().await.map_err(internal)
}

/// Sets one switch, leaving the others as they are (an unsubscribe link does this).
pub async fn set_one<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: i32,
    kind: Kind,
    channel: Channel,
    enabled: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await.map_err(internal)?;
    preference::Entity::delete_many()
        .filter(preference::Column::UserId.eq(user))
        .filter(preference::Column::Kind.eq(kind.as_str()))
        .filter(preference::Column::Channel.eq(channel.as_str()))
        .exec(&txn)
        .await
        .map_err(internal)?;
    if enabled != kind.default_on(channel) {
        preference::ActiveModel {
            user_id: Set(user),
            kind: Set(kind.as_str().to_owned()),
            channel: Set(channel.as_str().to_owned()),
            enabled: Set(enabled),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(internal)?;
    }
    txn.commit().await.map_err(internal)
}
