pub mod list;
pub mod preferences;
