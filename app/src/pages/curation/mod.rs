pub mod queue;
pub mod submission;
