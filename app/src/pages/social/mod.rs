pub mod feed;
pub mod group;
pub mod groups;
pub mod people;
pub mod person;
