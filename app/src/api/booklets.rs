//! Curation (researchers) and published booklets (municipality staff).

use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{BuildView, CurationView};
use leptos::prelude::*;

/// The curation page: approved stories of one municipality for the newest
/// edition, the selection and the builds. Without `municipality`, the first
/// municipality of the researcher's organisation.
#[server(endpoint = "curation")]
pub async fn curation(
    #[server(default)] municipality: Option<MunicipalityId>,
    #[server(default)] theme: Option<ThemeId>,
) -> Result<CurationView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::curation(&db()?, &actor, municipality, theme).await
    })
    .await
}

/// Puts an approved story in its municipality's booklet selection
/// (`selected = true`) or takes it out.
#[server(endpoint = "curation_select")]
pub async fn set_selected(
    story: StoryId,
    #[server(default)] selected: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_selected(&db()?, &actor, story, selected).await
    })
    .await
}

/// Moves a selected story to place `to` (0-based) within its chapter. The
/// order must still be at `version` (else 409, nothing changes).
#[server(endpoint = "curation_move")]
pub async fn move_selected(story: StoryId, to: i64, version: i64) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::move_selected(&db()?, &actor, story, to, version).await
    })
    .await
}

/// Moves the chapter of `neighbourhood` in the municipality's booklet to
/// place `to` (0-based). The order must still be at `version`.
#[server(endpoint = "curation_move_chapter")]
pub async fn move_chapter(
    municipality: MunicipalityId,
    neighbourhood: NeighbourhoodId,
    to: i64,
    version: i64,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::move_chapter(&db()?, &actor, municipality, neighbourhood, to, version).await
    })
    .await
}

/// Saves the foreword, the extra colophon text and the funder line of the
/// municipality's booklet; returns the new version.
#[server(endpoint = "curation_texts")]
pub async fn save_texts(
    municipality: MunicipalityId,
    #[server(default)] foreword: String,
    #[server(default)] colophon_extra: String,
    #[server(default)] funder_line: String,
    version: i64,
) -> Result<i64, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::save_texts(
            &db()?,
            &actor,
            municipality,
            [&foreword, &colophon_extra, &funder_line],
            version,
        )
        .await
    })
    .await
}

/// Saves the intro of one chapter (neighbourhood); returns the new version.
#[server(endpoint = "curation_intro")]
pub async fn save_intro(
    municipality: MunicipalityId,
    neighbourhood: NeighbourhoodId,
    #[server(default)] intro: String,
    version: i64,
) -> Result<i64, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::save_intro(&db()?, &actor, municipality, neighbourhood, &intro, version).await
    })
    .await
}

/// Queues a build of the municipality's booklet (or returns the existing
/// build when nothing changed since).
#[server(endpoint = "booklet_build")]
pub async fn build_booklet(municipality: MunicipalityId) -> Result<BuildId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let state = state()?;
        let build = imp::build(&state, &actor, municipality).await?;
        state.booklet_wakeup.notify_one();
        Ok(build)
    })
    .await
}

/// The status of one build (for progress while it runs).
#[server(endpoint = "booklet_status")]
pub async fn build_status(build: BuildId) -> Result<BuildView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::status(&db()?, &actor, build).await
    })
    .await
}

/// Publishes a finished build: municipality staff can then download it, its
/// stories become published, and the earlier published build is superseded.
#[server(endpoint = "booklet_publish")]
pub async fn publish_build(build: BuildId) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::publish(&db()?, &actor, build).await
    })
    .await
}

/// Published booklets of the municipalities the caller works for.
#[server(endpoint = "booklets_published")]
pub async fn published_booklets() -> Result<Vec<BuildView>, AppError> {
    use super::server::*;
    respond(async {
        let actor = actor().await?;
        let db = db()?;
        let mut all = Vec::new();
        for (org, muni) in actor.municipalities() {
            all.extend(
                crate::db::booklets::list_builds(
                    &db,
                    crate::db::booklets::BuildFilter::PublishedFor(org, muni),
                )
                .await?,
            );
        }
        all.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        Ok(all)
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::server::{apply_action, too_long};
    use crate::db::booklets::{self as store, BuildFilter};
    use crate::db::curation as codebook;
    use crate::db::stories::{self as stories, ListScope};
    use crate::db::{audit, org, Db};
    use crate::domain::access::{self, Actor};
    use crate::domain::ids::*;
    use crate::domain::lifecycle::{StoryAction, StoryStatus};
    use crate::domain::role::Role;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{
        BuildStatus, BuildView, CurationChapter, CurationStory, CurationTexts, CurationView,
    };
    use crate::state::ServerState;

    /// The one organisation the researcher curates in (the first, if several).
    fn organisation(actor: &Actor) -> Result<OrganisationId, AppError> {
        actor
            .organisations_with(Role::Researcher)
            .first()
            .copied()
            .ok_or_else(AppError::not_found)
    }

    async fn municipality_of(
        db: &Db,
        actor: &Actor,
        m: MunicipalityId,
    ) -> Result<OrganisationId, AppError> {
        let (org, _) = org::municipality(db, m)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, org)?;
        Ok(org)
    }

    pub async fn curation(
        db: &Db,
        actor: &Actor,
        municipality: Option<MunicipalityId>,
        theme: Option<ThemeId>,
    ) -> Result<CurationView, AppError> {
        let org = match municipality {
            Some(m) => municipality_of(db, actor, m).await?,
            None => organisation(actor)?,
        };
        access::may_curate(actor, org)?;
        let municipalities = org::municipalities(db, org).await?;
        let current = match municipality {
            Some(m) => municipalities.iter().find(|x| x.id == m).cloned(),
            None => municipalities.first().cloned(),
        }
        .ok_or_else(AppError::not_found)?;
        let (edition, year) = org::latest_edition(db, org).await?.ok_or_else(|| {
            AppError::NotFound(Message::new(
                "Er is nog geen editie.",
                "There is no edition yet.",
            ))
        })?;
        let mut tx = db.begin().await?;
        let selection = store::selection(
            &mut tx,
            edition,
            current.id,
            &format!("Wijkverhalen {} {year}", current.name),
        )
        .await?;
        let positions = store::positions(&mut tx, selection).await?;
        let arranged = store::arranged(&mut tx, selection).await?;
        let chapter_rows = store::chapters(&mut tx, selection).await?;
        let texts = store::texts(&mut tx, selection).await?;
        let students = store::colophon_students(&mut tx, selection).await?;
        let themes = codebook::themes(&mut tx, edition).await?;
        let tags = codebook::tags(&mut tx, edition).await?;
        let shown_themes = match theme {
            Some(t) if themes.iter().any(|x| x.id == t) => {
                Some(codebook::with_descendants(&mut tx, edition, t).await?)
            }
            _ => None,
        };
        let can_copy_themes = themes.is_empty()
            && match codebook::previous_edition(&mut tx, edition).await? {
                Some(prev) => !codebook::themes(&mut tx, prev).await?.is_empty(),
                None => false,
            };
        tx.commit().await?;
        let list = stories::list(
            db,
            &ListScope::Organisations(vec![org], Some(current.id)),
            &[
                StoryStatus::Approved,
                StoryStatus::Selected,
                StoryStatus::Published,
            ],
            true,
        )
        .await?;
        let mut items: Vec<CurationStory> = list
            .into_iter()
            .map(|s| {
                let scope_ok = s
                    .scopes
                    .contains(crate::domain::consent::ConsentScope::Booklet);
                CurationStory {
                    position: positions.get(&s.id).copied(),
                    themes: tags
                        .iter()
                        .filter(|(story, _)| *story == s.id)
                        .map(|(_, t)| *t)
                        .collect(),
                    blocked: (!scope_ok).then(|| {
                        Message::new(
                            "De bewoner heeft geen toestemming gegeven voor het boekje.",
                            "The resident did not consent to the booklet.",
                        )
                    }),
                    story: s,
                }
            })
            .collect();
        items.sort_by_key(|c| {
            (
                c.position.is_none(),
                c.position,
                c.story.neighbourhood.clone(),
            )
        });
        let builds = store::list_builds(db, BuildFilter::Selection(selection)).await?;
        let chapters = arranged
            .into_iter()
            .map(|(n, ids)| {
                let stories: Vec<CurationStory> = ids
                    .iter()
                    .filter_map(|s| items.iter().find(|c| c.story.id == *s).cloned())
                    .collect();
                let row = chapter_rows.iter().find(|c| c.neighbourhood == n);
                CurationChapter {
                    neighbourhood: n,
                    name: stories
                        .first()
                        .map(|s| s.story.neighbourhood.clone())
                        .unwrap_or_default(),
                    intro: row.map(|r| r.intro.clone()).unwrap_or_default(),
                    version: row.map_or(1, |r| r.version),
                    stories,
                }
            })
            .collect();
        if let Some(shown) = &shown_themes {
            items.retain(|c| c.themes.iter().any(|t| shown.contains(t)));
        }
        Ok(CurationView {
            edition,
            year,
            municipality: current,
            municipalities,
            stories: items,
            builds,
            chapters,
            order_version: texts.order_version,
            texts: CurationTexts {
                foreword: texts.foreword,
                colophon_extra: texts.colophon_extra,
                funder_line: texts.funder_line,
                version: texts.texts_version,
            },
            students,
            theme_filter: shown_themes.as_ref().and(theme),
            themes,
            can_copy_themes,
        })
    }

    pub async fn set_selected(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        selected: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = stories::record(&mut tx, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        let action = if selected {
            StoryAction::Select
        } else {
            StoryAction::Deselect
        };
        if selected {
            access::may_select_for_booklet(&rec.scope).map_err(AppError::invalid)?;
        }
        apply_action(&mut tx, actor, story, &rec, action, rec.version).await?;
        let (_, year, _) = org::edition(db, rec.edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        let (_, muni) = org::municipality(db, rec.scope.municipality)
            .await?
            .ok_or_else(AppError::not_found)?;
        let selection = store::selection(
            &mut tx,
            rec.edition,
            rec.scope.municipality,
            &format!("Wijkverhalen {} {year}", muni.name),
        )
        .await?;
        if selected {
            store::add_story(&mut tx, selection, story).await?;
        } else {
            store::remove_story(&mut tx, selection, story).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn move_selected(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        to: i64,
        version: i64,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = stories::record(&mut tx, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, rec.scope.organisation)?;
        access::read_role(actor, &rec.scope)?;
        rec.changeable()?;
        let selection = store::selection(&mut tx, rec.edition, rec.scope.municipality, "").await?;
        store::move_story(&mut tx, selection, story, to, version).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The selection of the newest edition of `municipality`, after checking
    /// that the actor may curate it.
    async fn selection_of(
        db: &Db,
        actor: &Actor,
        tx: &mut sqlx::AnyConnection,
        municipality: MunicipalityId,
    ) -> Result<SelectionId, AppError> {
        let org = municipality_of(db, actor, municipality).await?;
        let (edition, year) = org::latest_edition(db, org)
            .await?
            .ok_or_else(AppError::not_found)?;
        let (_, muni) = org::municipality(db, municipality)
            .await?
            .ok_or_else(AppError::not_found)?;
        store::selection(
            tx,
            edition,
            municipality,
            &format!("Wijkverhalen {} {year}", muni.name),
        )
        .await
    }

    pub async fn move_chapter(
        db: &Db,
        actor: &Actor,
        municipality: MunicipalityId,
        neighbourhood: NeighbourhoodId,
        to: i64,
        version: i64,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let selection = selection_of(db, actor, &mut tx, municipality).await?;
        store::move_chapter(&mut tx, selection, neighbourhood, to, version).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Longest foreword, colophon text and funder line, in characters.
    const TEXT_LIMITS: [(usize, &str, &str); 3] = [
        (8000, "Het voorwoord", "The foreword"),
        (3000, "De tekst voor het colofon", "The colophon text"),
        (300, "De regel over de financiering", "The funder line"),
    ];
    /// Longest chapter intro, in characters.
    const INTRO_LIMIT: usize = 3000;

    pub async fn save_texts(
        db: &Db,
        actor: &Actor,
        municipality: MunicipalityId,
        texts: [&str; 3],
        version: i64,
    ) -> Result<i64, AppError> {
        for (text, (max, nl, en)) in texts.iter().zip(TEXT_LIMITS) {
            if text.chars().count() > max {
                return Err(too_long(nl, en, max));
            }
        }
        let [foreword, colophon, funder] = texts.map(str::trim);
        let mut tx = db.begin().await?;
        let selection = selection_of(db, actor, &mut tx, municipality).await?;
        let v = store::set_texts(&mut tx, selection, foreword, colophon, funder, version).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn save_intro(
        db: &Db,
        actor: &Actor,
        municipality: MunicipalityId,
        neighbourhood: NeighbourhoodId,
        intro: &str,
        version: i64,
    ) -> Result<i64, AppError> {
        if intro.chars().count() > INTRO_LIMIT {
            return Err(too_long("De inleiding", "The intro", INTRO_LIMIT));
        }
        let mut tx = db.begin().await?;
        let selection = selection_of(db, actor, &mut tx, municipality).await?;
        let v = store::set_intro(&mut tx, selection, neighbourhood, intro.trim(), version).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn build(
        state: &ServerState,
        actor: &Actor,
        municipality: MunicipalityId,
    ) -> Result<BuildId, AppError> {
        let db = &state.db;
        let org = municipality_of(db, actor, municipality).await?;
        let (edition, year) = org::latest_edition(db, org)
            .await?
            .ok_or_else(AppError::not_found)?;
        let (_, muni) = org::municipality(db, municipality)
            .await?
            .ok_or_else(AppError::not_found)?;
        let mut tx = db.begin().await?;
        let selection = store::selection(
            &mut tx,
            edition,
            municipality,
            &format!("Wijkverhalen {} {year}", muni.name),
        )
        .await?;
        let rows = store::selection_rows(&mut tx, selection).await?;
        if rows.head.organisation != org {
            return Err(AppError::internal("selection of another organisation"));
        }
        let composed = crate::booklet::compose(rows).map_err(AppError::internal)?;
        let crate::booklet::Composed {
            document,
            stories: story_ids,
            photos,
        } = composed;
        let info = store::SelectionInfo {
            id: selection,
            organisation: org,
            edition,
            municipality,
            photos,
        };
        if story_ids.is_empty() {
            return Err(AppError::invalid(Message::new(
                "Kies eerst minstens één verhaal voor het boekje.",
                "First select at least one story for the booklet.",
            )));
        }
        let json = serde_json::to_string(&document).map_err(AppError::internal)?;
        let hash = crate::booklet::input_hash(&state.template_hash, &json, &info.photos);
        if let Some(existing) = store::reusable_build(&mut tx, selection, &hash).await? {
            tx.rollback().await?;
            return Ok(existing);
        }
        let build =
            store::queue_build(&mut tx, &info, &hash, &document, &story_ids, actor.user).await?;
        audit(
            &mut *tx,
            Some(org),
            Some(actor.user),
            "booklet.build",
            "booklet_build",
            &build.to_string(),
            serde_json::json!({ "stories": story_ids.len(), "hash": hash }),
        )
        .await?;
        tx.commit().await?;
        Ok(build)
    }

    pub async fn status(db: &Db, actor: &Actor, build: BuildId) -> Result<BuildView, AppError> {
        let mut conn = db.pool.acquire().await?;
        let rec = store::build_record(&mut conn, build)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_download_build(actor, &rec.scope)?;
        let filter = if actor.has_role(rec.scope.organisation, Role::Researcher) {
            BuildFilter::Selection(rec.selection)
        } else {
            BuildFilter::PublishedFor(rec.scope.organisation, rec.scope.municipality)
        };
        store::list_builds(db, filter)
            .await?
            .into_iter()
            .find(|b| b.id == build)
            .ok_or_else(AppError::not_found)
    }

    pub async fn publish(db: &Db, actor: &Actor, build: BuildId) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = store::build_record(&mut tx, build)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, rec.scope.organisation)?;
        if rec.status != BuildStatus::Done {
            return Err(AppError::invalid(Message::new(
                "Dit boekje is nog niet klaar; wacht tot de PDF gebouwd is.",
                "This booklet is not ready yet; wait until the PDF is built.",
            )));
        }
        if rec.scope.publication != access::Publication::Unpublished {
            return Err(AppError::invalid(Message::new(
                "Dit boekje is al gepubliceerd.",
                "This booklet is already published.",
            )));
        }
        // Every story in it must still be allowed in the booklet (consent can
        // be withdrawn after the build).
        for s in &rec.stories {
            let srec = stories::record(&mut tx, *s)
                .await?
                .ok_or_else(AppError::not_found)?;
            access::may_select_for_booklet(&srec.scope).map_err(|_| {
                AppError::invalid(Message::new(
                    "Een verhaal in deze versie mag niet meer in het boekje (toestemming gewijzigd). Bouw het boekje opnieuw.",
                    "A story in this version may no longer be in the booklet (consent changed). Build the booklet again.",
                ))
            })?;
            if !matches!(
                srec.scope.status,
                StoryStatus::Selected | StoryStatus::Published
            ) {
                return Err(AppError::invalid(Message::new(
                    "De selectie is gewijzigd sinds deze versie werd gebouwd. Bouw het boekje opnieuw.",
                    "The selection changed since this version was built. Build the booklet again.",
                )));
            }
            if srec.scope.status == StoryStatus::Selected {
                apply_action(
                    &mut tx,
                    actor,
                    *s,
                    &srec,
                    StoryAction::Publish,
                    srec.version,
                )
                .await?;
            }
        }
        store::publish(&mut tx, build, rec.selection, actor.user).await?;
        audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "booklet.publish",
            "booklet_build",
            &build.to_string(),
            serde_json::json!({ "stories": rec.stories.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
