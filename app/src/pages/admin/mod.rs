pub mod audit;
pub mod experiment;
pub mod mail;
pub mod organizations;
pub mod people;
pub mod reports;
pub mod status;
