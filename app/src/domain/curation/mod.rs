//! Curation: the review lifecycle, automated pre-screening, the curator queue and decisions,
//! community flags, appeals, attendee reviews and the reputation that ties them together.
pub mod appeals;
pub mod badges;
pub mod decisions;
pub mod flags;
pub mod history;
pub mod lifecycle;
pub mod queue;
pub mod reputation;
pub mod review;
pub mod reviews;
pub mod screening;
pub mod standing;
pub mod submissions;
pub mod training;
