use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Logs to stderr; `RUST_LOG` filters (default: info for Lineup, warn for dependencies).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,server=info,app=info,lineup=info,tower_http=info")
    });
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_target(false))
        .try_init();
}
