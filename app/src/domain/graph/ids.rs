use surrealdb::types::{Number, RecordId, RecordIdKey, Value};

pub fn user_node(id: i32) -> RecordId {
    RecordId::new("user", i64::from(id))
}

pub fn event_node(id: i32) -> RecordId {
    RecordId::new("event", i64::from(id))
}

pub fn organization_node(id: i32) -> RecordId {
    RecordId::new("organization", i64::from(id))
}

pub fn group_node(key: &str) -> RecordId {
    RecordId::new("user_group", key)
}

/// An edge's id made of its two ends' keys, so writing it again updates the one edge and
/// reading or deleting it is a key lookup, not a scan.
pub fn edge(table: &str, from: &RecordId, to: &RecordId) -> RecordId {
    RecordId::new(
        table.to_owned(),
        RecordIdKey::Array(vec![key_value(&from.key), key_value(&to.key)].into()),
    )
}

fn key_value(key: &RecordIdKey) -> Value {
    match key {
        RecordIdKey::Number(n) => Value::Number(Number::Int(*n)),
        RecordIdKey::String(s) => Value::String(s.clone()),
        other => Value::String(format!("{other:?}")),
    }
}

/// The Postgres id behind a `user:…` or `event:…` node.
pub fn key_of(id: &RecordId) -> Option<i32> {
    match id.key {
        RecordIdKey::Number(n) => i32::try_from(n).ok(),
        _ => None,
    }
}
