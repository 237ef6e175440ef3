//! The Lineup server: configuration, wiring, the routes that are not server functions,
//! middleware, and the command-line tasks.
pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod startup;
pub mod telemetry;
