//! Database access (server only).
//!
//! One [`sqlx::AnyPool`] serves both backends: SQLite (the embedded default,
//! a file under the data directory) and PostgreSQL (`DATABASE_URL=postgres://…`,
//! for several server instances). All SQL uses `$1, $2…` placeholders and only
//! portable column types (see `migrations/` and DESIGN.md §9); where the two
//! dialects really differ the query branches on [`Backend`], with the same
//! binds and row types.
//!
//! This layer never decides permissions: the API layer asks
//! [`crate::domain::access`] and passes the ids it may touch.

pub mod accounts;
pub mod areas;
pub mod booklets;
pub mod curation;
pub mod editions;
pub mod groups;
pub mod guide;
pub mod media;
pub mod notifications;
pub mod org;
pub mod password_reset;
pub mod portal;
pub mod stories;
pub mod users;

use crate::domain::time::Timestamp;
use crate::error::AppError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// Migrations for the embedded SQLite backend.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
/// Migrations for PostgreSQL (same version numbers as SQLite).
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file (default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a connection URL names.
    pub fn from_url(url: &str) -> Result<Backend, AppError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(AppError::internal(format!(
                "unsupported DATABASE_URL scheme (use sqlite: or postgres://): {}",
                url.split(':').next().unwrap_or("")
            )))
        }
    }
}

/// The database: a pool plus the backend it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    /// The connection pool.
    pub pool: AnyPool,
    /// The backend behind it.
    pub backend: Backend,
}

impl Db {
    /// Connects to `url` and runs the backend's migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, AppError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyConnectOptions::from_str(url).map_err(AppError::from)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL
                        // sync is durable across application crashes.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(AppError::from)?;
        let db = Db { pool, backend };
        db.migrate().await?;
        Ok(db)
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of
    /// failing when a read lock cannot be upgraded.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Runs pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), AppError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| AppError::internal(format!("migration failed: {e}")))
    }
}

/// Current time in the database text form.
pub fn now() -> String {
    Timestamp::now().to_db()
}

/// Booleans are stored as 0/1 integers on both backends.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// Parses a stored UUID into a typed id; a malformed value is a server bug.
pub fn id<T: std::str::FromStr>(s: &str) -> Result<T, AppError> {
    s.parse::<T>()
        .map_err(|_| AppError::internal(format!("malformed id in database: {s:?}")))
}

/// Parses an optional stored UUID.
pub fn opt_id<T: std::str::FromStr>(s: Option<&str>) -> Result<Option<T>, AppError> {
    s.map(id::<T>).transpose()
}

/// Parses a stored timestamp.
pub fn ts(s: &str) -> Result<Timestamp, AppError> {
    Timestamp::from_db(s)
        .ok_or_else(|| AppError::internal(format!("malformed time in database: {s:?}")))
}

/// Parses an optional stored timestamp.
pub fn opt_ts(s: Option<&str>) -> Result<Option<Timestamp>, AppError> {
    s.map(ts).transpose()
}

/// Appends an event to the audit log (inside the caller's transaction).
pub async fn audit<'e, E>(
    exec: E,
    organisation: Option<crate::domain::ids::OrganisationId>,
    actor: Option<crate::domain::ids::UserId>,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    detail: serde_json::Value,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_event (id, organisation_id, actor_id, action, subject_type, subject_id, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation.map(|o| o.to_string()))
    .bind(actor.map(|a| a.to_string()))
    .bind(action)
    .bind(subject_type)
    .bind(subject_id)
    .bind(detail.to_string())
    .bind(now())
    .execute(exec)
    .await?;
    Ok(())
}
