pub mod names;
pub mod password;
pub mod profile;
pub mod session_store;
pub mod sign_in;
pub mod sign_up;
pub mod store;
pub mod throttle;
