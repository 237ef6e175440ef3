pub mod audit;
pub mod experiment;
pub mod mail;
pub mod people;
