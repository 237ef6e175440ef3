pub mod profile;
pub mod recovery;
pub mod sign_in;
pub mod sign_up;
