//! Media of stories: removing a photo or recording. Uploads and downloads are
//! plain HTTP handlers on the server (`server/src/media/http.rs`): they stream
//! bytes, which server functions are not made for.

use crate::domain::ids::MediaId;
use crate::error::AppError;
use leptos::prelude::*;

/// Removes a photo or recording from a story (students of the group while
/// the story can be edited). The file itself is deleted when no other story
/// uses the same photo. Returns the removed medium's id.
#[server(endpoint = "media_remove")]
pub async fn remove_media(id: MediaId) -> Result<MediaId, AppError> {
    use super::server::*;
    use crate::domain::media::may_remove_media;
    respond(async move {
        let actor = actor().await?;
        let state = state()?;
        let db = &state.db;
        let mut tx = db.begin().await?;
        let media = crate::db::media::record(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let story = media.story.ok_or_else(AppError::not_found)?;
        let rec = crate::db::stories::record(&mut tx, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        may_remove_media(&actor, &rec.scope)?;
        rec.changeable()?;
        let orphans = crate::db::media::remove(&mut tx, &media).await?;
        crate::db::audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "media.remove",
            "media",
            &id.to_string(),
            serde_json::json!({ "story": story, "kind": media.kind }),
        )
        .await?;
        tx.commit().await?;
        for key in orphans {
            if let Err(e) = state
                .objects
                .delete(&object_store::path::Path::from(key.as_str()))
                .await
            {
                tracing::warn!("removing {key}: {e}");
            }
        }
        if is_form_post() {
            leptos_axum::redirect(&crate::routes::edit_story(story));
        }
        Ok(id)
    })
    .await
}
