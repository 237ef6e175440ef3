//! The types and constants both the pages and the server share: statuses, taxonomies, what
//! server functions take and return, query parameters and form state. Compiled for the server
//! and the browser alike, so nothing here names a database or server-only type.

/// A closed set of values with a stored/URL slug and a label for people.
macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $slug:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<$name> {
                match value { $($slug => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

/// Text for a URL's query (`application/x-www-form-urlencoded`).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub mod accounts;
pub mod admin;
pub mod curation;
pub mod dashboard;
pub mod discovery;
pub mod events;
pub mod forms;
pub mod labels;
pub mod labels_curation;
pub mod labels_notifications;
pub mod labels_organizations;
pub mod labels_social;
pub mod labels_ticketing;
pub mod language;
pub mod notifications;
pub mod organizations;
pub mod recs;
pub mod social;
pub mod taxonomy;
pub mod ticketing;
