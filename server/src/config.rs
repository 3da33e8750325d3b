//! Configuration from the environment, with defaults that run a complete
//! instance on one machine: SQLite and files under `./data`, on
//! `http://127.0.0.1:3000`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`WV_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Where the SQLite file and stored files live (`WV_DATA_DIR`, default `./data`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` for PostgreSQL; default a SQLite file
    /// in the data directory.
    pub database_url: String,
    /// Where the built client (`pkg/`) and static assets are (`LEPTOS_SITE_ROOT`,
    /// default `target/site`).
    pub site_root: PathBuf,
    /// The address users reach the site on (`WV_PUBLIC_URL`). Session cookies
    /// are `Secure` when it is `https://…`.
    pub public_url: String,
    /// Create demo data and reset the demo accounts' passwords (`--demo`).
    pub demo: bool,
    /// Password for all demo accounts (`WV_DEMO_PASSWORD`); random when unset.
    pub demo_password: Option<String>,
    /// Memory cap of a booklet worker process in MiB (`WV_BOOKLET_MEMORY_MB`).
    pub booklet_memory_mb: u64,
    /// The program that runs booklet builds (`booklet-worker` subcommand);
    /// default: this executable.
    pub worker_exe: Option<PathBuf>,
    /// Maximum database connections (`WV_DB_CONNECTIONS`).
    pub db_connections: u32,
    /// How notification mails are sent (`WV_SMTP_URL`, `WV_MAIL_DIR`, `WV_MAIL_FROM`).
    pub mail: crate::mail::MailConfig,
}

impl Config {
    /// Reads the configuration from the environment (and `--demo` from the
    /// command line).
    pub fn from_env(demo_flag: bool) -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let addr: SocketAddr = var("WV_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("WV_ADDR: {e}"))?;
        let data_dir = PathBuf::from(var("WV_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| sqlite_url(&data_dir));
        let public_url = var("WV_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        Ok(Config {
            addr,
            data_dir,
            database_url,
            site_root: PathBuf::from(
                var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            ),
            public_url,
            demo: demo_flag || var("WV_DEMO").is_some_and(|v| v == "1" || v == "true"),
            demo_password: var("WV_DEMO_PASSWORD"),
            booklet_memory_mb: var("WV_BOOKLET_MEMORY_MB")
                .map(|v| v.parse().map_err(|e| format!("WV_BOOKLET_MEMORY_MB: {e}")))
                .transpose()?
                .unwrap_or(4096),
            worker_exe: var("WV_WORKER_EXE").map(PathBuf::from),
            db_connections: var("WV_DB_CONNECTIONS")
                .map(|v| v.parse().map_err(|e| format!("WV_DB_CONNECTIONS: {e}")))
                .transpose()?
                .unwrap_or(8),
            mail: crate::mail::MailConfig::from_env(),
        })
    }

    /// Whether session cookies must be `Secure` (the site is served over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The SQLite URL for a database file in `data_dir`.
pub fn sqlite_url(data_dir: &std::path::Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("wijkverhalen.db").display()
    )
}
