//! Notifications: the list behind the badge, marking them read, and the
//! e-mail switch. Only ever about the signed-in user's own notifications.

use crate::error::AppError;
use crate::model::NotificationsPage;
use leptos::prelude::*;

/// How many notifications the page shows.
#[cfg(feature = "ssr")]
const SHOWN: i64 = 50;

/// The signed-in user's notifications, newest first.
#[server(endpoint = "notifications")]
pub async fn notifications() -> Result<NotificationsPage, AppError> {
    use super::server::*;
    use crate::db::notifications as store;
    respond(async {
        let actor = actor().await?;
        let mut conn = db()?.pool.acquire().await?;
        Ok(NotificationsPage {
            items: store::list(&mut conn, actor.user, SHOWN).await?,
            unread: store::unread(&mut conn, actor.user).await?,
            email: store::email_on(&mut conn, actor.user).await?,
            student: !actor
                .organisations_with(crate::domain::role::Role::Student)
                .is_empty(),
            colophon_opt_out: store::colophon_opt_out(&mut conn, actor.user).await?,
        })
    })
    .await
}

/// How many notifications the signed-in user has not read (the badge); 0
/// when nobody is signed in.
#[server(endpoint = "notifications_unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    use super::server::*;
    respond(async {
        let Some(actor) = signed_in().await? else {
            return Ok(0);
        };
        let mut conn = db()?.pool.acquire().await?;
        crate::db::notifications::unread(&mut conn, actor.user).await
    })
    .await
}

/// Marks all of the user's notifications read.
#[server(endpoint = "notifications_read")]
pub async fn mark_all_read() -> Result<(), AppError> {
    use super::server::*;
    respond(async {
        let actor = actor().await?;
        let mut conn = db()?.pool.acquire().await?;
        crate::db::notifications::mark_read(&mut conn, actor.user, None).await?;
        if is_form_post() {
            leptos_axum::redirect(crate::routes::NOTIFICATIONS);
        }
        Ok(())
    })
    .await
}

/// Turns notifications by e-mail on or off for the signed-in user.
#[server(endpoint = "notifications_email")]
pub async fn set_email(on: bool) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        crate::db::notifications::set_email(&mut conn, actor.user, on).await?;
        crate::db::audit(
            &mut *conn,
            None,
            Some(actor.user),
            "user.email_notifications",
            "user",
            &actor.user.to_string(),
            serde_json::json!({ "on": on }),
        )
        .await?;
        if is_form_post() {
            leptos_axum::redirect(crate::routes::NOTIFICATIONS);
        }
        Ok(())
    })
    .await
}

/// Leaves the signed-in student's name out of the booklet colophons
/// (`out = true`) or puts it back in.
#[server(endpoint = "colophon_opt_out")]
pub async fn set_colophon_opt_out(#[server(default)] out: bool) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        crate::db::notifications::set_colophon_opt_out(&mut conn, actor.user, out).await?;
        crate::db::audit(
            &mut *conn,
            None,
            Some(actor.user),
            "user.colophon_opt_out",
            "user",
            &actor.user.to_string(),
            serde_json::json!({ "out": out }),
        )
        .await?;
        if is_form_post() {
            leptos_axum::redirect(crate::routes::NOTIFICATIONS);
        }
        Ok(())
    })
    .await
}
