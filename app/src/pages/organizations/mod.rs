pub mod dashboard;
pub mod finance;
pub mod invitation;
pub mod mine;
pub mod show;
pub mod team;
