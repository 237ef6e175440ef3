//! Accounts as the pages see them: the signed-in viewer, the page chrome, the profile form.
use serde::{Deserialize, Serialize};

use crate::model::{forms::FormState, taxonomy::Role};

/// The signed-in person, as the page chrome needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i32,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chrome {
    pub viewer: Option<Viewer>,
    pub notice: Option<String>,
    /// The viewer's unread notifications.
    pub unread: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub email: String,
    pub email_verified: bool,
    pub role: Role,
    pub state: FormState,
    /// The "change your address" form, as last posted.
    pub email_change: FormState,
}

/// A path on this site, so a sign-in link cannot send people elsewhere: `/…` but not `//…` or
/// `/\…` (both mean another host to browsers), and nothing a header could not carry.
pub fn is_local_path(next: &str) -> bool {
    let bytes = next.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/') | Some(b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_paths_on_this_site_are_followed_after_sign_in() {
        assert!(is_local_path("/events/3?x=1"));
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\nSet-Cookie:x",
            "/a b",
            "events",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
