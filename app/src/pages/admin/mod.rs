pub mod experiment;
pub mod mail;
