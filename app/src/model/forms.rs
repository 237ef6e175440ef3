//! What a form shows after a failed post: the values typed and a message per field.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// What a form shows when it is rendered again after a failed post: the values the person typed
/// and a message per field. Forms post without JavaScript, so this travels through the session
/// across the redirect (post/redirect/get).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
    pub message: Option<String>,
}

impl FormState {
    pub fn from_values<K: Into<String>>(
        values: impl IntoIterator<Item = (K, String)>,
    ) -> FormState {
        FormState {
            values: values.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            ..Default::default()
        }
    }

    /// Nothing came back from a failed post.
    pub fn is_blank(&self) -> bool {
        self.values.is_empty() && self.errors.is_empty() && self.message.is_none()
    }

    /// What a form shows: the failed post when there is one, else `stored`.
    pub fn or_stored(self, stored: impl FnOnce() -> FormState) -> FormState {
        if self.is_blank() {
            stored()
        } else {
            self
        }
    }

    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name).cloned()
    }
}

/// An optional number as a form field value.
pub fn number_value(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
