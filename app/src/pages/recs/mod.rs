pub mod for_you;
pub mod saved;
