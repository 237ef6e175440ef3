use clap::{Parser, Subcommand};

use server::{cli, config::Config, telemetry};

#[derive(Parser)]
#[command(
    name = "lineup",
    version,
    about = "Lineup: curated events. Configuration comes from the environment (see README)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the deterministic demo dataset (skipped when it is already there).
    Seed,
    /// Rebuild the search index from the database.
    Reindex,
    /// Rebuild the social graph's copies of accounts, events, registrations and reviews from
    /// the database (follows, friendships, blocks and groups are kept).
    Regraph,
    /// Back up the database (SQLite, while the server runs), the social graph and the uploaded
    /// media into a new directory.
    Backup {
        dir: std::path::PathBuf,
        /// Only the graph and media: the PostgreSQL database is backed up with pg_dump.
        #[arg(long)]
        graph_only: bool,
    },
    /// Restore a backup made by `lineup backup` into the configured stores (server stopped);
    /// the search index is rebuilt from the database.
    Restore { dir: std::path::PathBuf },
    /// Curation tasks.
    Curation {
        #[command(subcommand)]
        command: CurationCommand,
    },
    /// Recommendations: train the factor model, measure the methods offline.
    Recs {
        #[command(subcommand)]
        command: RecsCommand,
    },
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum CurationCommand {
    /// Retrain the spam model on every curator decision so far (also runs every 6 hours).
    Retrain,
    /// Print the spam model's held-out accuracy for growing numbers of training decisions.
    Evaluate,
}

#[derive(Subcommand)]
enum RecsCommand {
    /// Train the factor model on every interaction so far (the server also does every 6 hours).
    Train,
    /// Split the interactions in time and report recall@10, NDCG@10, coverage and diversity for
    /// popularity, item-to-item, the factor model and the blend.
    Evaluate {
        /// Also write the split's train.csv and test.csv (person, event, kind, time) here.
        #[arg(long)]
        export: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account, or make an existing account an admin.
    Create {
        #[arg(long)]
        email: String,
        /// Password for a new account; read from LINEUP_ADMIN_PASSWORD, else one is generated
        /// and printed.
        #[arg(long, env = "LINEUP_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[tokio::main]
async fn main() {
    telemetry::init();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("lineup: configuration error: {e}");
            std::process::exit(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => cli::serve(&config).await,
        Command::Migrate => cli::migrate(&config).await,
        Command::Seed => cli::seed(&config).await,
        Command::Reindex => cli::reindex(&config).await,
        Command::Regraph => cli::regraph(&config).await,
        Command::Backup { dir, graph_only } => {
            let scope = if graph_only {
                cli::backup::Scope::GraphOnly
            } else {
                cli::backup::Scope::Everything
            };
            cli::backup::backup(&config, &dir, scope)
                .await
                .map(|_| println!("backed up into {}", dir.display()))
        }
        Command::Restore { dir } => cli::backup::restore(&config, &dir)
            .await
            .map(|_| println!("restored from {}; start the server", dir.display())),
        Command::Curation {
            command: CurationCommand::Retrain,
        } => cli::retrain(&config).await,
        Command::Curation {
            command: CurationCommand::Evaluate,
        } => cli::evaluate(&config).await,
        Command::Recs {
            command: RecsCommand::Train,
        } => cli::recs::train(&config).await,
        Command::Recs {
            command: RecsCommand::Evaluate { export },
        } => cli::recs::evaluate(&config, export.as_deref()).await,
        Command::Admin {
            command: AdminCommand::Create { email, password },
        } => cli::create_admin(&config, &email, password).await,
    };
    if let Err(e) = result {
        eprintln!("lineup: {e:#}");
        std::process::exit(1);
    }
}
