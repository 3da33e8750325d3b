//! `wijkverhalen` — the server binary.
//!
//! ```text
//! wijkverhalen [--demo]                 serve (the same as `serve`)
//! wijkverhalen serve [--demo]           serve (SQLite under ./data by default)
//! wijkverhalen admin create --email E --org NAME [--name N] [--password-stdin]
//!                                       the first administrator of a fresh installation
//! wijkverhalen booklet-worker DIR       typeset one booklet directory (used by the server)
//! ```
//! Configuration comes from the environment; see `server/src/config.rs`.
//! `--help` describes every subcommand.

use clap::{Parser, Subcommand};
use server::config::Config;
use std::io::Read;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// Wijkverhalen: neighbourhood stories, from interview to booklet.
///
/// Configuration comes from the environment (WV_ADDR, WV_DATA_DIR,
/// DATABASE_URL, …; see the README). Without a subcommand it serves.
#[derive(Parser)]
#[command(name = "wijkverhalen", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Seed the demo data and print the demo accounts (as `serve --demo`).
    #[arg(long)]
    demo: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application on WV_ADDR (default 127.0.0.1:3000).
    Serve {
        /// Seed the demo data and print the demo accounts and their password.
        #[arg(long)]
        demo: bool,
    },
    /// Administrators of a fresh installation.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Typeset one booklet directory (DIR/data.json); the server runs this
    /// in a child process for every build.
    BookletWorker {
        /// The build's directory.
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create the first administrator and their organisation. Works only
    /// while no administrator exists; prints a start password unless one is
    /// read from stdin.
    Create {
        /// The administrator's e-mail address (their sign-in name).
        #[arg(long)]
        email: String,
        /// The organisation's name, e.g. "Werkplaats Sociaal Domein Zuyd".
        #[arg(long)]
        org: String,
        /// The name shown in the application (default: the e-mail address).
        #[arg(long)]
        name: Option<String>,
        /// Read the start password from stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve { demo: cli.demo });
    if let Command::BookletWorker { dir } = &command {
        if let Err(e) = server::worker::worker_main(dir) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = match command {
        Command::Serve { demo } => runtime.block_on(serve(demo)),
        Command::Admin {
            action:
                AdminCommand::Create {
                    email,
                    org,
                    name,
                    password_stdin,
                },
        } => runtime.block_on(admin_create(email, org, name, password_stdin)),
        Command::BookletWorker { .. } => Ok(()),
    };
    if let Err(e) = result {
        eprintln!("wijkverhalen: {e}");
        std::process::exit(1);
    }
}

async fn admin_create(
    email: String,
    organisation: String,
    display_name: Option<String>,
    password_stdin: bool,
) -> Result<(), String> {
    let password = if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("stdin: {e}"))?;
        text.trim_end_matches(['\r', '\n']).to_string()
    } else {
        server::startup::random_password()
    };
    let request = server::setup::AdminRequest {
        email,
        organisation,
        display_name,
        password: password.clone(),
    };
    server::setup::check(&request)?;
    let config = Config::from_env(false)?;
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("data dir {}: {e}", config.data_dir.display()))?;
    let db = app::db::Db::connect(&config.database_url, 2)
        .await
        .map_err(|e| format!("database: {e:?}"))?;
    let made = server::setup::create_first_admin(&db, &request).await?;
    println!(
        "Beheerder {} aangemaakt voor ‘{}’.",
        request.email.trim().to_lowercase(),
        request.organisation.trim()
    );
    if !password_stdin {
        println!("Startwachtwoord: {password}");
    }
    tracing::info!(user = %made.user, organisation = %made.organisation, "first administrator created");
    Ok(())
}

async fn serve(demo: bool) -> Result<(), String> {
    let config = Config::from_env(demo)?;
    let built = server::startup::build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    println!("Wijkverhalen draait op {}", config.public_url);
    if let Some(password) = &built.demo_password {
        println!("Demo-accounts (wachtwoord voor allemaal: {password}):");
        for a in server::seed::ACCOUNTS {
            println!("  {:<34} {}", a.email, a.label);
        }
    }
    axum::serve(listener, built.router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
