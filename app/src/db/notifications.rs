//! Notifications: written in the same transaction as the event that causes
//! them, read by the in-app list, sent by the server's e-mail outbox.

use super::{flag, id, now, ts};
use crate::domain::ids::*;
use crate::domain::notify::{Audience, NotificationKind};
use crate::error::AppError;
use crate::model::NotificationView;
use sqlx::AnyConnection;

/// Notifies the `audience` of the story's group about `kind`, except the
/// actor. Returns how many were notified.
pub async fn notify(
    conn: &mut AnyConnection,
    story: StoryId,
    kind: NotificationKind,
    audience: Audience,
    actor: UserId,
) -> Result<u64, AppError> {
    let role = match audience {
        Audience::GroupLecturers => "lecturer",
        Audience::GroupStudents => "student",
    };
    let recipients: Vec<(String, String)> = sqlx::query_as(
        "SELECT gm.user_id, s.organisation_id
           FROM story s JOIN group_member gm ON gm.group_id = s.group_id
           JOIN app_user u ON u.id = gm.user_id
          WHERE s.id = $1 AND gm.role = $2 AND gm.user_id <> $3 AND u.disabled_at IS NULL",
    )
    .bind(story.to_string())
    .bind(role)
    .bind(actor.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let at = now();
    for (user, organisation) in &recipients {
        sqlx::query(
            "INSERT INTO notification (id, user_id, organisation_id, kind, story_id, actor_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(user)
        .bind(organisation)
        .bind(kind.as_str())
        .bind(story.to_string())
        .bind(actor.to_string())
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(recipients.len() as u64)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    kind: String,
    story_id: Option<String>,
    title: Option<String>,
    actor: Option<String>,
    created_at: String,
    read_at: Option<String>,
}

/// A user's latest notifications, newest first.
pub async fn list(
    conn: &mut AnyConnection,
    user: UserId,
    limit: i64,
) -> Result<Vec<NotificationView>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT n.id, n.kind, n.story_id, s.title, a.display_name AS actor, n.created_at, n.read_at
           FROM notification n
           LEFT JOIN story s ON s.id = n.story_id
           LEFT JOIN app_user a ON a.id = n.actor_id
          WHERE n.user_id = $1
          ORDER BY n.created_at DESC, n.id
          LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let kind = NotificationKind::parse(&r.kind)
                .ok_or_else(|| AppError::internal(format!("notification kind {}", r.kind)))?;
            Ok(NotificationView {
                id: r.id,
                kind,
                story: r.story_id.as_deref().map(id::<StoryId>).transpose()?,
                message: kind.message(
                    r.title.as_deref().unwrap_or(""),
                    r.actor.as_deref().unwrap_or("?"),
                ),
                created_at: ts(&r.created_at)?,
                read: r.read_at.is_some(),
            })
        })
        .collect()
}

/// How many notifications the user has not read.
pub async fn unread(conn: &mut AnyConnection, user: UserId) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND read_at IS NULL")
            .bind(user.to_string())
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}

/// Marks the user's notifications read: all, or those about one story.
pub async fn mark_read(
    conn: &mut AnyConnection,
    user: UserId,
    story: Option<StoryId>,
) -> Result<(), AppError> {
    let at = now();
    match story {
        Some(s) => {
            sqlx::query(
                "UPDATE notification SET read_at = $3 WHERE user_id = $1 AND story_id = $2 AND read_at IS NULL",
            )
            .bind(user.to_string())
            .bind(s.to_string())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE notification SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
            )
            .bind(user.to_string())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Turns a user's e-mail notifications on or off.
pub async fn set_email(conn: &mut AnyConnection, user: UserId, on: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE app_user SET email_notifications = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(flag(on))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Leaves a student's name out of booklet colophons (`out = true`) or puts
/// it back.
pub async fn set_colophon_opt_out(
    conn: &mut AnyConnection,
    user: UserId,
    out: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE app_user SET colophon_opt_out = $2 WHERE id = $1")
        .bind(user.to_string())
        .bind(flag(out))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether a user's name stays out of booklet colophons.
pub async fn colophon_opt_out(conn: &mut AnyConnection, user: UserId) -> Result<bool, AppError> {
    let (out,): (i64,) = sqlx::query_as("SELECT colophon_opt_out FROM app_user WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(out != 0)
}

/// Whether a user gets notifications by e-mail.
pub async fn email_on(conn: &mut AnyConnection, user: UserId) -> Result<bool, AppError> {
    let (on,): (i64,) = sqlx::query_as("SELECT email_notifications FROM app_user WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(on != 0)
}

/// A notification waiting for the e-mail outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The notification id.
    pub id: String,
    /// The recipient's address.
    pub email: String,
    /// The recipient's name.
    pub name: String,
    /// What it says.
    pub message: crate::domain::Message,
    /// The story it is about.
    pub story: Option<StoryId>,
}

/// Notifications not yet handled by the outbox, oldest first. Those of users
/// who turned e-mail off are marked handled without sending.
pub async fn outbox(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Outgoing>, AppError> {
    sqlx::query(
        "UPDATE notification SET emailed_at = $1
          WHERE emailed_at IS NULL
            AND user_id IN (SELECT id FROM app_user WHERE email_notifications = 0 OR disabled_at IS NOT NULL)",
    )
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let rows: Vec<OutboxRow> = sqlx::query_as(
        "SELECT n.id, u.email, u.display_name AS name, n.kind, n.story_id, s.title, a.display_name AS actor
               FROM notification n
               JOIN app_user u ON u.id = n.user_id
               LEFT JOIN story s ON s.id = n.story_id
               LEFT JOIN app_user a ON a.id = n.actor_id
              WHERE n.emailed_at IS NULL
              ORDER BY n.created_at, n.id
              LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let kind = NotificationKind::parse(&r.kind)
                .ok_or_else(|| AppError::internal(format!("notification kind {}", r.kind)))?;
            Ok(Outgoing {
                id: r.id,
                email: r.email,
                name: r.name,
                message: kind.message(
                    r.title.as_deref().unwrap_or(""),
                    r.actor.as_deref().unwrap_or("?"),
                ),
                story: r.story_id.as_deref().map(id::<StoryId>).transpose()?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: String,
    email: String,
    name: String,
    kind: String,
    story_id: Option<String>,
    title: Option<String>,
    actor: Option<String>,
}

/// Marks a notification handled by the outbox.
pub async fn mark_emailed(conn: &mut AnyConnection, notification: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE notification SET emailed_at = $2 WHERE id = $1")
        .bind(notification)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
