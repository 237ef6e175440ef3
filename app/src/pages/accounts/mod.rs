pub mod profile;
pub mod sign_in;
pub mod sign_up;
