//! The codebook (researchers): the themes of an edition, copied from the
//! previous edition or built up by hand, and the tags that link stories to
//! them. The themes' storage is `db::curation`.

use crate::domain::ids::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a theme to an edition's codebook, under `parent` or at the top.
#[server(endpoint = "theme_add")]
pub async fn add_theme(
    edition: EditionId,
    #[server(default)] parent: Option<ThemeId>,
    #[server(default)] name: String,
    #[server(default)] description: String,
) -> Result<ThemeId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::add_theme(&db()?, &actor, edition, parent, &name, &description).await
    })
    .await
}

/// Removes a theme that has no themes below it; its tags go with it.
#[server(endpoint = "theme_remove")]
pub async fn remove_theme(theme: ThemeId) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::remove_theme(&db()?, &actor, theme).await
    })
    .await
}

/// Copies the previous edition's codebook tree (not its tags) into
/// `edition`, whose codebook must still be empty; returns how many themes.
#[server(endpoint = "themes_copy")]
pub async fn copy_themes(edition: EditionId) -> Result<usize, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::copy_themes(&db()?, &actor, edition).await
    })
    .await
}

/// Tags a story with a theme of its edition (`on`), or removes the tag.
#[server(endpoint = "story_theme")]
pub async fn tag_story(
    story: StoryId,
    theme: ThemeId,
    #[server(default)] on: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::tag_story(&db()?, &actor, story, theme, on).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::server::too_long;
    use crate::db::curation as codebook;
    use crate::db::{org, stories, Db};
    use crate::domain::access::{self, Actor};
    use crate::domain::ids::*;
    use crate::domain::Message;
    use crate::error::AppError;

    /// Checks that the actor may curate in the edition's organisation.
    async fn curated_edition(db: &Db, actor: &Actor, edition: EditionId) -> Result<(), AppError> {
        let (org, _, _) = org::edition(db, edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, org)?;
        Ok(())
    }

    pub async fn add_theme(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        parent: Option<ThemeId>,
        name: &str,
        description: &str,
    ) -> Result<ThemeId, AppError> {
        curated_edition(db, actor, edition).await?;
        let (name, description) = (name.trim(), description.trim());
        if name.is_empty() {
            return Err(AppError::invalid(Message::new(
                "Geef het thema een naam.",
                "Give the theme a name.",
            )));
        }
        if name.chars().count() > 80 {
            return Err(too_long("De naam van het thema", "The theme name", 80));
        }
        if description.chars().count() > 1000 {
            return Err(too_long("De omschrijving", "The description", 1000));
        }
        let mut tx = db.begin().await?;
        if let Some(p) = parent {
            if codebook::theme_edition(&mut tx, p).await? != Some(edition) {
                return Err(AppError::invalid(Message::new(
                    "Het bovenliggende thema hoort niet bij deze editie.",
                    "The parent theme is not part of this edition.",
                )));
            }
        }
        let Some(t) = codebook::add_theme(&mut tx, edition, parent, name, description).await?
        else {
            return Err(AppError::invalid(Message::new(
                format!("Er is al een thema ‘{name}’ op deze plaats in het codeboek."),
                format!("There already is a theme ‘{name}’ at this place in the codebook."),
            )));
        };
        tx.commit().await?;
        Ok(t)
    }

    pub async fn remove_theme(db: &Db, actor: &Actor, theme: ThemeId) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let edition = codebook::theme_edition(&mut tx, theme)
            .await?
            .ok_or_else(AppError::not_found)?;
        curated_edition(db, actor, edition).await?;
        if !codebook::remove_theme(&mut tx, theme).await? {
            return Err(AppError::invalid(Message::new(
                "Dit thema heeft nog onderliggende thema's; verwijder die eerst.",
                "This theme still has themes below it; remove those first.",
            )));
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn copy_themes(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
    ) -> Result<usize, AppError> {
        curated_edition(db, actor, edition).await?;
        let mut tx = db.begin().await?;
        if !codebook::themes(&mut tx, edition).await?.is_empty() {
            return Err(AppError::invalid(Message::new(
                "Het codeboek van deze editie is niet leeg; kopiëren kan alleen naar een leeg codeboek.",
                "This edition's codebook is not empty; copying only works into an empty codebook.",
            )));
        }
        let Some(prev) = codebook::previous_edition(&mut tx, edition).await? else {
            return Err(AppError::invalid(Message::new(
                "Er is geen vorige editie om het codeboek uit te kopiëren.",
                "There is no previous edition to copy the codebook from.",
            )));
        };
        let n = codebook::copy_themes(&mut tx, prev, edition).await?;
        tx.commit().await?;
        Ok(n)
    }

    pub async fn tag_story(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        theme: ThemeId,
        on: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = stories::record(&mut tx, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, rec.scope.organisation)?;
        access::read_role(actor, &rec.scope)?;
        rec.changeable()?;
        if codebook::theme_edition(&mut tx, theme).await? != Some(rec.edition) {
            return Err(AppError::invalid(Message::new(
                "Dit thema hoort niet bij de editie van het verhaal.",
                "This theme is not part of the story's edition.",
            )));
        }
        codebook::tag(&mut tx, story, theme, on, actor.user).await?;
        tx.commit().await?;
        Ok(())
    }
}
