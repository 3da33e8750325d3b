//! Withdrawing a resident's consent: the resident tells a student, a
//! lecturer, a researcher or an administrator that their story may no
//! longer be used, and that person records it here.
//!
//! One transaction: the story goes to `withdrawn` through the lifecycle
//! (audited like every status change), the consent is marked withdrawn (so
//! its scopes no longer allow anything: photos and recordings are hidden from
//! reviewers, the portal stops showing the story at the next request), and
//! the story leaves every booklet selection. A booklet PDF already
//! published still contains it until the researchers build and publish a new
//! version; the story page says so.

use crate::domain::ids::StoryId;
use crate::error::AppError;
use leptos::prelude::*;

/// Records that the resident withdrew consent for story `id` (read at
/// `version`). `confirm` must be set: the form asks the person to confirm
/// that the resident asked for it.
#[server(endpoint = "consent_withdraw")]
pub async fn withdraw_consent(
    id: StoryId,
    version: i64,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::withdraw(&db()?, &actor, id, version, confirm).await?;
        // Nobody reads a withdrawn story any more: back to the start page.
        if is_form_post() {
            leptos_axum::redirect("/");
        }
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::server::apply_action;
    use crate::db::{now, stories, Db};
    use crate::domain::access::Actor;
    use crate::domain::ids::StoryId;
    use crate::domain::lifecycle::StoryAction;
    use crate::domain::Message;
    use crate::error::AppError;

    pub async fn withdraw(
        db: &Db,
        actor: &Actor,
        id: StoryId,
        version: i64,
        confirm: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = stories::record(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        // Who may do this is checked before anything else is said.
        crate::domain::access::action_role(actor, &rec.scope, StoryAction::Withdraw)?;
        if !confirm {
            return Err(AppError::invalid(Message::new(
                "Vink aan dat de bewoner zelf heeft gevraagd de toestemming in te trekken.",
                "Tick the box to confirm that the resident asked to withdraw consent.",
            )));
        }
        apply_action(&mut tx, actor, id, &rec, StoryAction::Withdraw, version).await?;
        if let Some(consent) = rec.consent {
            sqlx::query(
                "UPDATE consent SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL",
            )
            .bind(now())
            .bind(consent.to_string())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM booklet_story WHERE story_id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
