pub mod edit;
pub mod form;
pub mod history;
pub mod mine;
pub mod new;
pub mod show;
