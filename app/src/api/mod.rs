//! Server functions: the doorways. Each parses its input, authorizes, calls the domain and maps
//! errors. The types they take and return live in `crate::model`.
pub mod accounts;
pub mod admin;
pub mod curation;
pub mod discovery;
pub mod events;
pub mod notifications;
pub mod organizations;
pub mod recs;
pub mod social;
pub mod ticketing;

/// The server functions that read a multipart body. The server refuses any other body for them
/// (400) before their codec, which cannot read one, sees it.
#[cfg(feature = "ssr")]
pub fn multipart_paths() -> [&'static str; 5] {
    use server_fn::ServerFn;
    [
        accounts::UpdateProfile::PATH,
        curation::BatchDecide::PATH,
        events::SaveEvent::PATH,
        notifications::SavePreferences::PATH,
        organizations::EditOrganization::PATH,
    ]
}
