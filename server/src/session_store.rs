//! Sessions in the database, over the same pool as everything else.
//!
//! The published sqlx stores for tower-sessions need a concrete
//! `SqlitePool`/`PgPool`; this small store works on the shared `AnyPool`, so
//! SQLite and PostgreSQL deployments behave the same and several server
//! instances share their sessions.

use app::db::Db;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// A tower-sessions store in the `session` table.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    /// A store over `db`.
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id that does not collide with an existing session.
        loop {
            let data = serde_json::to_vec(record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = sqlx::query(
                "INSERT INTO session (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data =
            serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query(
            "INSERT INTO session (id, data, expiry_date) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = tower_sessions::cookie::time::OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT data FROM session WHERE id = $1 AND expiry_date > $2")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(backend)?;
        row.map(|(data,)| {
            serde_json::from_slice(&data).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM session WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = tower_sessions::cookie::time::OffsetDateTime::now_utc().unix_timestamp();
        sqlx::query("DELETE FROM session WHERE expiry_date <= $1")
            .bind(now)
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
