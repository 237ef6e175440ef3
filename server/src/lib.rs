//! The Lineup server: configuration, wiring, the routes that are not server functions,
//! middleware, and the command-line tasks.
// Under load most of a signed-in request's CPU time was allocation (glibc malloc and free were
// the top of the profile, with threads contending for arenas); mimalloc's per-thread heaps cut it.
// Set here rather than in main.rs so the benches measure the allocator the deployable runs with.
// Built with `no_thp`: mimalloc otherwise asks for transparent huge pages on its arenas, and a
// sparsely used 2 MiB page is resident as a whole (a freshly started server's heap measured
// 80 MB with them, 41 MB without).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod startup;
pub mod telemetry;
