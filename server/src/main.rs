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
    /// Import a monitoring spreadsheet (.xlsx, .xlsm, .xls, .ods): projects, Seznam operací, indicator
    /// values, expenditures, municipalities, participants. Prints a report; commits all valid rows in one
    /// transaction unless --dry-run. Exit code 0: committed (or would commit) without errors; 1: the file
    /// has errors (valid rows are still committed unless --all-or-nothing) or cannot be read; 2: usage.
    Import {
        /// The spreadsheet.
        file: PathBuf,
        /// Check and report only; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Store nothing when any row has an error.
        #[arg(long)]
        all_or_nothing: bool,
        /// Report format.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Who imports, for the import history.
        #[arg(long, default_value = "příkazová řádka")]
        by: String,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal API tokens (`Authorization: Bearer …` for /api/v1).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write a consistent copy of the SQLite database to FILE while the server runs (VACUUM INTO).
    /// Restore by stopping the server and putting the copy in place of the database file. For
    /// PostgreSQL use pg_dump (see the README, "Provozování").
    Backup {
        /// The copy (must not exist).
        file: PathBuf,
    },
    /// Write an export to a file.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Deadlines: the daily e-mail digest.
    Deadlines {
        #[command(subcommand)]
        command: DeadlinesCommand,
    },
    /// Revert a committed import as a whole (while nothing later depends on it).
    RevertImport {
        /// The import's number from the import history.
        id: i32,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input (first line), at least 12 characters;
    /// never from the command line. The first admin is created this way.
    Add {
        /// E-mail, the sign-in name.
        email: String,
        /// Role: admin, manager, finance, reviewer (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Display name (default: the e-mail).
        #[arg(long, default_value = "")]
        name: String,
        /// Registration number of a project to assign (repeat for several).
        #[arg(long = "project")]
        projects: Vec<String>,
        /// A finance officer for all projects.
        #[arg(long)]
        finance_all: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for the user with EMAIL and print it (once: only its hash is stored). The token has
    /// the user's roles and project assignments.
    Create {
        email: String,
        /// What the token is for, shown in the list of tokens.
        #[arg(long, default_value = "příkazová řádka")]
        name: String,
    },
    /// Revoke a token by its number (see the admin page /api-tokeny).
    Revoke { id: i32 },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The open-data list of operations (CPR 2021/1060 art. 49(3), for Kohesio) of every project that is
    /// not archived, as /export/seznam-operaci gives it: FILE ending .csv or .xlsx (overwritten).
    Operations {
        /// The file to write (`.csv` or `.xlsx`).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum DeadlinesCommand {
    /// Send the deadline digest of the day by e-mail through SMTP_URL to every user who has something
    /// overdue or coming and has not opted out; a user who already got the day's digest (from this
    /// command or a server) gets nothing more.
    Digest {
        /// The day (YYYY-MM-DD; default: TRACKER_TODAY or the system date).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum CodebookCommand {
    /// Load the official ČÚZK RÚIAN code lists UI_VUSC.csv, UI_OKRES.csv and UI_OBEC.csv
    /// (semicolon-separated, Windows-1250 or UTF-8) from DIR: regions, districts and municipalities
    /// valid today (rows whose PLATI_DO has passed are skipped).
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
    if let Some(Command::Import {
        file,
        dry_run,
        all_or_nothing,
        format,
        by,
    }) = cli.command
    {
        return import(&file, dry_run, all_or_nothing, format, by).await;
    }
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("tracker: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `tracker import`: exit code 0 clean, 1 errors in the file (or unreadable), 2 usage.
async fn import(
    file: &std::path::Path,
    dry_run: bool,
    all_or_nothing: bool,
    format: ReportFormat,
    by: String,
) -> ExitCode {
    use app::services::import::{run as run_import, ImportLimits, ImportOptions, Progress};
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("tracker: soubor {} nelze číst: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tracker: {e}");
            return ExitCode::from(2);
        }
    };
    let db = match open_database(&settings.database_url).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("tracker: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ImportOptions {
        commit: !dry_run,
        all_or_nothing,
        imported_by: by,
        viewer: None,
    };
    let limits = ImportLimits::from_env();
    let result = run_import(
        &db,
        std::sync::Arc::new(bytes),
        &file_name,
        limits,
        &options,
        std::sync::Arc::new(Progress::default()),
    )
    .await;
    match result {
        Ok(report) => {
            match format {
                ReportFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
                ReportFormat::Text => print!("{}", app::services::import::report_text(&report)),
            }
            if report.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            let message = if e.is_user_error() {
                e.to_string()
            } else {
                tracing::error!(error = %e, "import failed");
                "Import selhal kvůli vnitřní chybě; podrobnosti jsou v protokolu serveru.".into()
            };
            match format {
                ReportFormat::Json => println!(
                    "{}",
                    serde_json::json!({"file_name": file_name, "error": message})
                ),
                ReportFormat::Text => eprintln!("tracker: {message}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// SIGTERM (from a service manager or a container runtime) or Ctrl+C.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

async fn run(command: Command) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    match command {
        Command::Serve => {
            let mailer = server::digest::mailer_from_env(settings.site_addr)?;
            let running = start(&settings).await.map_err(|e| e.to_string())?;
            println!("Evidence projektů ESF+ běží na {}", running.url());
            let digests =
                mailer.map(|m| server::digest::spawn(running.db.clone(), settings.clock, m));
            shutdown_signal().await;
            // Nothing may panic here because stdout or stderr has gone (a closed pipe, a stopped journal).
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stdout(),
                "Vypínám: dokončuji rozpracované požadavky a ukládání importů…"
            );
            tracing::info!("shutting down");
            if let Some(d) = digests {
                d.abort();
            }
            if !running.shut_down(settings.shutdown_timeout).await {
                tracing::warn!(
                    timeout_secs = settings.shutdown_timeout.as_secs(),
                    "requests or imports did not finish in time; unfinished imports were not stored"
                );
            }
            Ok(())
        }
        Command::Backup { file } => {
            if file.exists() {
                return Err(format!(
                    "{} už existuje; zvolte nový soubor.",
                    file.display()
                ));
            }
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
                return Err(
                    "Záloha příkazem backup je pro SQLite; PostgreSQL zálohujte nástrojem pg_dump."
                        .into(),
                );
            }
            app::services::db::vacuum_into(&db, &file)
                .await
                .map_err(|e| format!("záloha se nepodařila: {e}"))?;
            println!("Záloha uložena do {}.", file.display());
            Ok(())
        }
        Command::Deadlines {
            command: DeadlinesCommand::Digest { today },
        } => {
            let Some(mailer) = server::digest::mailer_from_env(settings.site_addr)? else {
                println!("SMTP_URL není nastaveno: souhrny termínů se neposílají.");
                return Ok(());
            };
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let today = today.unwrap_or_else(|| settings.clock.today());
            let r = app::services::deadlines::digest::send_digests(&db, &mailer, today)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Souhrny termínů k {today}: odesláno {}, přeskočeno {}, neodesláno {}.",
                r.sent, r.skipped, r.failed
            );
            if r.failed > 0 {
                return Err("některé souhrny se nepodařilo odeslat (viz protokol)".into());
            }
            Ok(())
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
            let today = server::clock_from_env().map_err(|e| e.to_string())?.today();
            let ruian_dir = server::ruian_dir_from_env();
            let counts = demo::load(&db, today, &ruian_dir).await.map_err(|e| {
                format!(
                    "demo data: {e} (číselníky RÚIAN z {}; jiný adresář: TRACKER_RUIAN_DIR)",
                    ruian_dir.display()
                )
            })?;
            let (password, generated) = match std::env::var("TRACKER_DEMO_PASSWORD") {
                Ok(p) if !p.is_empty() => (p, false),
                _ => (app::services::auth::new_token()[..20].to_owned(), true),
            };
            let created = demo::ensure_demo_users(&db, &password)
                .await
                .map_err(|e| format!("demo users: {e}"))?;
            if created > 0 {
                println!(
                    "Ukázkoví uživatelé: admin@demo.cz, manager@demo.cz (NOE), finance@demo.cz, reviewer@demo.cz."
                );
                if generated {
                    println!("Jejich heslo (zobrazí se jen teď): {password}");
                } else {
                    println!("Jejich heslo je z proměnné TRACKER_DEMO_PASSWORD.");
                }
            }
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
            let today = server::clock_from_env().map_err(|e| e.to_string())?.today();
            let c = codebooks::import_ruian(&db, &dir, today)
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
        Command::Export {
            command: ExportCommand::Operations { file },
        } => {
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let xlsx = match ext.as_deref() {
                Some("xlsx") => true,
                Some("csv") => false,
                _ => return Err("soubor musí mít příponu .csv nebo .xlsx".into()),
            };
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let table = app::services::open_data::operations(
                &db,
                &app::dto::ProjectListQuery::default(),
                None,
            )
            .await
            .map_err(|e| format!("seznam operací: {e}"))?;
            let rows = table.rows.len();
            let bytes = if xlsx {
                app::services::export::xlsx(&[table]).map_err(|e| e.to_string())?
            } else {
                app::services::export::csv(&[table]).into_bytes()
            };
            std::fs::write(&file, bytes)
                .map_err(|e| format!("{} nelze zapsat: {e}", file.display()))?;
            println!(
                "Seznam operací uložen do {} ({}).",
                file.display(),
                app::domain::plural_len(rows, ["projekt", "projekty", "projektů"])
            );
            Ok(())
        }
        Command::RevertImport { id } => {
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let n = app::services::import::store::revert(&db, id)
                .await
                .map_err(|e| e.to_string())?;
            println!("Import č. {id} vrácen: obnoveno nebo odstraněno záznamů {n}.");
            Ok(())
        }
        Command::Import { .. } => Err("import is handled separately".into()),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    roles,
                    name,
                    projects,
                    finance_all,
                },
        } => {
            use app::domain::roles::Role;
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        format!("neznámá role {r}; povolené: admin, manager, finance, reviewer")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let mut ids = Vec::new();
            for reg in &projects {
                let id = app::services::demo::project_id_by_registration(&db, reg)
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("projekt {reg} není v evidenci"))?;
                ids.push(id);
            }
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("Heslo (alespoň 12 znaků): ");
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| format!("heslo nelze načíst: {e}"))?;
            let password = password.trim_end_matches(['\n', '\r']);
            let id = app::services::auth::create_user(
                &db,
                &email,
                &name,
                password,
                &roles,
                &ids,
                finance_all,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("Uživatel {email} vytvořen (č. {id}).");
            Ok(())
        }
        Command::Token { command } => {
            let db = open_database(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            match command {
                TokenCommand::Create { email, name } => {
                    let (token, id) = app::services::tokens::create(&db, &email, &name)
                        .await
                        .map_err(|e| match e {
                            app::services::auth::AuthError::NotFound => {
                                format!("uživatel {email} neexistuje nebo je deaktivovaný")
                            }
                            other => other.to_string(),
                        })?;
                    eprintln!("Token č. {id} pro {email} (zobrazí se jen teď, uložte si ho):");
                    println!("{token}");
                }
                TokenCommand::Revoke { id } => {
                    app::services::tokens::revoke(&db, id)
                        .await
                        .map_err(|e| e.to_string())?;
                    println!("Token č. {id} je zneplatněn.");
                }
            }
            Ok(())
        }
    }
}
