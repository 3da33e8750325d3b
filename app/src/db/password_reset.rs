//! Password-reset links: only a hash of each link's secret is stored, with
//! its expiry; taking a link marks it used in the same statement, so it
//! works once even when two requests race.

use super::{id, now};
use crate::domain::ids::UserId;
use crate::error::AppError;
use sqlx::AnyConnection;

/// Stores a new link for `user`, valid until `expires_at` (database time
/// text).
pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    expires_at: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO password_reset (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user.to_string())
    .bind(now())
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Uses the link with this hash if it is unused and not expired at `at`:
/// returns its account (and marks the link used), else `None`.
pub async fn take(
    conn: &mut AnyConnection,
    token_hash: &str,
    at: &str,
) -> Result<Option<UserId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE password_reset SET used_at = $1
          WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
          RETURNING user_id",
    )
    .bind(at)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(u,)| id(&u)).transpose()
}

/// Whether a link with this hash could still be used at `at` (for the page
/// that asks for the new password).
pub async fn usable(
    conn: &mut AnyConnection,
    token_hash: &str,
    at: &str,
) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM password_reset
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// Ends the account's other open links (after a successful reset).
pub async fn retire_all(conn: &mut AnyConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE password_reset SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now())
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
