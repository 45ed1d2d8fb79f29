//! `tracker`: the command line of the ESF+ portfolio tracker.

use app::services::{codebooks, demo};
use clap::{Parser, Subcommand};
use server::{open_database, start, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

/// Evidence projektů ESF+ (OPZ+ 2021–2027, OPZ 2014–2020): web server and administration commands.
///
/// Settings come from the environment: DATABASE_URL (default: SQLite file data/tracker.sqlite),
/// LEPTOS_SITE_ADDR (default 127.0.0.1:3000), LEPTOS_SITE_ROOT (default target/site), RUST_LOG.
#[derive(Parser)]
#[command(name = "tracker", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the web application (the default).
    Serve,
    /// Apply all pending database migrations and exit.
    Migrate,
    /// Load the demo portfolio (real programmes, projects and places; invented amounts). Idempotent.
    Demo,
    /// Manage codebooks.
    Codebook {
        #[command(subcommand)]
        command: CodebookCommand,
    },
}

#[derive(Subcommand)]
enum CodebookCommand {
    /// Load the official ČÚZK RÚIAN code lists UI_VUSC.csv, UI_OKRES.csv and UI_OBEC.csv
    /// (semicolon-separated, Windows-1250) from DIR: regions, districts and municipalities.
    Import {
        /// Directory holding the three CSV files.
        dir: PathBuf,
    },
    /// Load the indicator codebook (ESF+ common indicators, national code 6 00 00). Idempotent:
    /// indicators already present (possibly corrected by an admin) are left alone.
    Indicators,
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm_migration=warn".into());
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("tracker: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    match command {
        Command::Serve => {
            let running = start(&settings).await.map_err(|e| e.to_string())?;
            println!("Evidence projektů ESF+ běží na {}", running.url());
            tokio::select! {
                r = running.wait() => r.map_err(|e| e.to_string()),
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        }
        Command::Migrate => {
            open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            println!("Databáze je aktuální.");
            Ok(())
        }
        Command::Demo => {
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let counts = demo::load(&db)
                .await
                .map_err(|e| format!("demo data: {e}"))?;
            println!(
                "Ukázková data: přidáno programů {}, projektů {}.",
                counts.programmes, counts.projects
            );
            println!(
                "Projektů s ilustrativními monitorovacími daty: {}.",
                counts.monitored
            );
            Ok(())
        }
        Command::Codebook {
            command: CodebookCommand::Import { dir },
        } => {
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let c = codebooks::import_ruian(&db, &dir)
                .await
                .map_err(|e| format!("import číselníku: {e}"))?;
            println!(
                "Načteno: krajů {}, okresů {}, obcí {}.",
                c.regions, c.districts, c.municipalities
            );
            Ok(())
        }
        Command::Codebook {
            command: CodebookCommand::Indicators,
        } => {
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let added = app::services::monitoring::seed_codebook(&db)
                .await
                .map_err(|e| format!("číselník indikátorů: {e}"))?;
            println!("Číselník indikátorů: přidáno {added}.");
            Ok(())
        }
    }
}
