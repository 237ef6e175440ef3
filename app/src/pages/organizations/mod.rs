pub mod invitation;
pub mod mine;
pub mod show;
pub mod team;
