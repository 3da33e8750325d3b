//! Editions through the year: the werkplaats's researchers and admins make
//! the next year's edition from the previous one (guide, consent text,
//! codebook and groups with their lecturers are copied; students and
//! stories are not), move an edition open → closed → published (the rules:
//! [`EditionStatus::transition`]), and write new versions of its consent
//! text — residents are shown the newest, and each consent keeps the version
//! it was given on.
//!
//! Every function checks [`werkplaats_staff`] for the edition's own
//! organisation (looked up from the record) and writes the change with an
//! audit event in one transaction.
//!
//! [`EditionStatus::transition`]: crate::domain::edition::EditionStatus::transition
//! [`werkplaats_staff`]: crate::domain::access::werkplaats_staff

use crate::domain::edition::EditionStatus;
use crate::domain::ids::{EditionId, OrganisationId};
use crate::error::AppError;
use crate::model::{CopiedFromPrevious, EditionsView};
use leptos::prelude::*;

/// The editions of `organisation`, or of the first organisation whose
/// werkplaats the caller runs.
#[server(endpoint = "editions")]
pub async fn editions_admin(
    #[server(default)] organisation: Option<OrganisationId>,
) -> Result<EditionsView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::view(&db()?, &actor, organisation).await
    })
    .await
}

/// Creates edition `edition` of `organisation` for `year`, copying from the
/// organisation's newest edition (if any). The same form sent twice creates
/// one edition.
#[server(endpoint = "edition_create")]
pub async fn create_edition(
    organisation: OrganisationId,
    edition: EditionId,
    year: String,
    #[server(default)] title: String,
) -> Result<CopiedFromPrevious, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::create(&db()?, &actor, organisation, edition, &year, &title).await
    })
    .await
}

/// Moves the edition from `from` (as the page showed it) to `to`.
#[server(endpoint = "edition_status")]
pub async fn set_edition_status(
    edition: EditionId,
    from: EditionStatus,
    to: EditionStatus,
) -> Result<EditionStatus, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_status(&db()?, &actor, edition, from, to).await
    })
    .await
}

/// Stores `body` as the next version of the edition's consent text;
/// `version` is the version the page showed (0: none yet), so two editors
/// cannot both write "the next" one. Returns the new version.
#[server(endpoint = "consent_text_save")]
pub async fn save_consent_text(
    edition: EditionId,
    version: i64,
    body: String,
) -> Result<i64, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::save_consent_text(&db()?, &actor, edition, version, &body).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::db::editions::{self as store, EditionRow};
    use crate::db::{audit, Db};
    use crate::domain::access::{werkplaats_staff, Actor, Denied};
    use crate::domain::edition::{parse_consent_text, EditionStatus, NextEdition};
    use crate::domain::ids::{EditionId, OrganisationId};
    use crate::domain::role::Role;
    use crate::domain::text::{Field, FieldProblem};
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{CopiedFromPrevious, EditionsView};
    use chrono::Datelike;
    use sqlx::AnyConnection;

    /// Refusals speak of editions.
    fn denied(d: Denied) -> AppError {
        match d {
            Denied::Forbidden => AppError::Forbidden(Message::new(
                "Alleen onderzoekers en beheerders van de werkplaats kunnen edities beheren.",
                "Only researchers and administrators of the werkplaats can manage editions.",
            )),
            Denied::NotFound => AppError::not_found(),
        }
    }

    fn manage(actor: &Actor, org: OrganisationId) -> Result<(), AppError> {
        werkplaats_staff(actor, org).map_err(denied)
    }

    async fn managed(
        conn: &mut AnyConnection,
        actor: &Actor,
        edition: EditionId,
    ) -> Result<EditionRow, AppError> {
        let rec = store::edition(conn, edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        manage(actor, rec.organisation)?;
        Ok(rec)
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        organisation: Option<OrganisationId>,
    ) -> Result<EditionsView, AppError> {
        let mut managed = actor.organisations_with(Role::Researcher);
        managed.extend(actor.organisations_with(Role::Admin));
        let (orgs, chosen) = crate::api::server::choose_organisation(
            db,
            managed,
            organisation,
            |o| manage(actor, o),
            denied(Denied::Forbidden),
        )
        .await?;
        let mut conn = db.pool.acquire().await?;
        let editions = store::overview(&mut conn, chosen.id).await?;
        let next_year = editions
            .first()
            .map(|e| e.year + 1)
            .unwrap_or_else(|| i64::from(crate::domain::time::Timestamp::now().local().year()));
        Ok(EditionsView {
            organisations: orgs,
            organisation: chosen,
            editions,
            next_year,
            new_edition: EditionId::new(),
        })
    }

    pub async fn create(
        db: &Db,
        actor: &Actor,
        org: OrganisationId,
        edition: EditionId,
        year: &str,
        title: &str,
    ) -> Result<CopiedFromPrevious, AppError> {
        manage(actor, org)?;
        let mut tx = db.begin().await?;
        if let Some(existing) = store::edition(&mut tx, edition).await? {
            // The same form again: done already (or someone else's id).
            manage(actor, existing.organisation)?;
            return Ok(CopiedFromPrevious::default());
        }
        let latest = store::latest(&mut tx, org).await?;
        let next = NextEdition::parse(year, title, latest.map(|(_, y)| y)).map_err(|m| {
            AppError::invalid_field(FieldProblem {
                field: Field::Year,
                message: m,
            })
        })?;
        store::insert(&mut tx, org, edition, next.year, &next.title).await?;
        let copied = match latest {
            Some((from, _)) => store::copy_from(&mut tx, from, edition).await?,
            None => CopiedFromPrevious::default(),
        };
        audit(
            &mut *tx,
            Some(org),
            Some(actor.user),
            "edition.create",
            "edition",
            &edition.to_string(),
            serde_json::json!({
                "year": next.year,
                "title": next.title,
                "from": latest.map(|(e, _)| e.to_string()),
                "copied": copied,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(copied)
    }

    pub async fn set_status(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        from: EditionStatus,
        to: EditionStatus,
    ) -> Result<EditionStatus, AppError> {
        let mut tx = db.begin().await?;
        let rec = managed(&mut tx, actor, edition).await?;
        if rec.status != from {
            let (nl, en) = rec.status.label();
            return Err(AppError::Conflict {
                message: Message::new(
                    format!("Iemand anders heeft de status intussen gewijzigd: de editie is nu {nl}. Kijk opnieuw."),
                    format!("Someone else changed the status meanwhile: the edition is now {en}. Look again."),
                ),
                current_version: None,
            });
        }
        let to = rec.status.transition(to).map_err(AppError::invalid)?;
        if !store::set_status(&mut tx, edition, from, to).await? {
            return Err(AppError::Conflict {
                message: Message::new(
                    "Iemand anders heeft de status intussen gewijzigd. Kijk opnieuw.",
                    "Someone else changed the status meanwhile. Look again.",
                ),
                current_version: None,
            });
        }
        audit(
            &mut *tx,
            Some(rec.organisation),
            Some(actor.user),
            "edition.status",
            "edition",
            &edition.to_string(),
            serde_json::json!({ "from": from.as_str(), "to": to.as_str() }),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    pub async fn save_consent_text(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        version: i64,
        body: &str,
    ) -> Result<i64, AppError> {
        let mut tx = db.begin().await?;
        let rec = managed(&mut tx, actor, edition).await?;
        rec.status
            .allows_story_changes()
            .map_err(AppError::invalid)?;
        let current = store::consent_text(&mut tx, edition).await?;
        let current_version = current.as_ref().map_or(0, |c| c.version);
        if version != current_version {
            return Err(AppError::stale(current_version));
        }
        let body =
            parse_consent_text(body, current.as_ref().map(|c| c.body.as_str())).map_err(|m| {
                AppError::invalid_field(FieldProblem {
                    field: Field::ConsentText,
                    message: m,
                })
            })?;
        let new_version = current_version + 1;
        store::add_consent_text(&mut tx, edition, new_version, &body).await?;
        audit(
            &mut *tx,
            Some(rec.organisation),
            Some(actor.user),
            "edition.consent_text",
            "edition",
            &edition.to_string(),
            serde_json::json!({ "version": new_version, "chars": body.chars().count() }),
        )
        .await?;
        tx.commit().await?;
        Ok(new_version)
    }
}
