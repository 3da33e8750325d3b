//! Stories: the student's form, the story page, the review decision.

use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{NewStoryForm, SaveOutcome, StoryDetail, StoryListItem};
use leptos::prelude::*;

/// The form's vocabulary lives with the autosave rules it shares.
pub use crate::autosave::{answer_key, StoryForm, ANSWER_KEY_PREFIX};

/// Age bands offered on the form.
pub const AGE_BANDS: [&str; 6] = ["18-29", "30-44", "45-64", "65-79", "80+", "onbekend"];

/// What the "new story" page needs: the student's groups, the guide, the
/// consent text and fresh ids.
#[server(endpoint = "story_new_form")]
pub async fn load_new_story() -> Result<NewStoryForm, AppError> {
    use super::server::*;
    respond(async {
        let actor = actor().await?;
        let db = db()?;
        let groups: Vec<_> = crate::db::org::student_groups(&db, actor.user)
            .await?
            .into_iter()
            .filter(|g| g.edition_open && actor.is_student_in(g.id))
            .collect();
        let (questions, consent_text) = match groups.first() {
            Some(g) => (
                crate::db::org::guide(&db.pool, g.edition).await?,
                crate::db::org::current_consent_text(&db, g.edition).await?,
            ),
            None => (Vec::new(), None),
        };
        Ok(NewStoryForm {
            user: actor.user,
            story_id: StoryId::new(),
            save_id: uuid::Uuid::new_v4().to_string(),
            groups,
            questions,
            consent_text,
        })
    })
    .await
}

/// Stories of the student's groups, newest change first.
#[server(endpoint = "stories_mine")]
pub async fn my_stories() -> Result<Vec<StoryListItem>, AppError> {
    use super::server::*;
    use crate::db::stories::{list, ListScope};
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::role::GroupRole;
    respond(async {
        let actor = actor().await?;
        let groups = actor.groups_as(GroupRole::Student);
        let statuses: Vec<StoryStatus> = StoryStatus::ALL
            .into_iter()
            .filter(|s| *s != StoryStatus::Withdrawn)
            .collect();
        list(&db()?, &ListScope::Groups(groups), &statuses, false).await
    })
    .await
}

/// The lecturer's stories: everything handed in by their groups, oldest
/// first (the page puts those waiting for review on top).
#[server(endpoint = "stories_review")]
pub async fn review_queue() -> Result<Vec<StoryListItem>, AppError> {
    use super::server::*;
    use crate::db::stories::{list, ListScope};
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::role::GroupRole;
    respond(async {
        let actor = actor().await?;
        let groups = actor.groups_as(GroupRole::Lecturer);
        let statuses: Vec<StoryStatus> = StoryStatus::ALL
            .into_iter()
            .filter(|s| s.is_visible_to_lecturers() && *s != StoryStatus::Withdrawn)
            .collect();
        list(&db()?, &ListScope::Groups(groups), &statuses, true).await
    })
    .await
}

/// One story, if the caller may read it, with what they may do.
#[server(endpoint = "story_get")]
pub async fn get_story(id: StoryId) -> Result<StoryDetail, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        let rec = crate::db::stories::record(&mut conn, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let detail = imp::detail_for(&mut conn, &actor, id, &rec).await?;
        // Opening the story is reading what was notified about it.
        crate::db::notifications::mark_read(&mut conn, actor.user, Some(id)).await?;
        Ok(detail)
    })
    .await
}

/// The revisions of a story (every save is one), for whoever may read it.
#[server(endpoint = "story_revisions")]
pub async fn story_revisions(id: StoryId) -> Result<Vec<crate::model::RevisionInfo>, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        readable_story(&mut conn, &actor, id).await?;
        crate::db::stories::revisions(&mut conn, id).await
    })
    .await
}

/// Saves the story form (creating the story on its first save) and, with
/// `intent = submit`, hands it in when nothing blocks that.
///
/// Drafts are stored as typed, even incomplete: problems come back in
/// [`SaveOutcome::problems`] instead of losing text. Refused outright are: a
/// neighbourhood or group the student does not belong to, a stale version
/// (409, someone else saved in between) and absurdly long text.
#[server(endpoint = "story_save")]
pub async fn save_story(form: StoryForm) -> Result<SaveOutcome, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let outcome = imp::save(&db, &actor, form).await?;
        if outcome.redirect.is_some() || is_form_post() {
            let target = outcome
                .redirect
                .clone()
                .unwrap_or_else(|| crate::routes::edit_story(outcome.outcome.id));
            leptos_axum::redirect(&target);
        }
        Ok(outcome.outcome)
    })
    .await
}

/// Autosave from the browser: the fields changed since `patch.base_version`
/// (see [`crate::autosave`]). Like [`save_story`], but only the changes
/// travel, and a stale base is accepted when every newer revision came from
/// this device's own unanswered saves.
#[server(endpoint = "story_autosave", input = leptos::server_fn::codec::Json)]
pub async fn autosave_story(patch: crate::autosave::StoryPatch) -> Result<SaveOutcome, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        Ok(imp::autosave(&db, &actor, patch).await?.outcome)
    })
    .await
}

/// A lecturer's decision on a handed-in story: `approve`, or
/// `request_changes` (which needs a comment). `version` is the version the
/// lecturer read.
#[server(endpoint = "story_review")]
pub async fn review_story(
    id: StoryId,
    version: i64,
    decision: String,
    #[server(default)] comment: Option<String>,
    #[server(default)] question: Option<String>,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        imp::review(
            &db,
            &actor,
            id,
            version,
            &decision,
            comment.as_deref(),
            question.as_deref(),
        )
        .await?;
        if is_form_post() {
            leptos_axum::redirect(&crate::routes::story(id));
        }
        Ok(())
    })
    .await
}

/// A comment on a story, on one answer (`question`), or a reply to another
/// comment (`parent`): lecturers, researchers and the group's students.
#[server(endpoint = "story_comment")]
pub async fn add_comment(
    id: StoryId,
    body: String,
    #[server(default)] question: Option<String>,
    #[server(default)] parent: Option<String>,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        imp::comment(
            &db,
            &actor,
            id,
            &body,
            question.as_deref(),
            parent.as_deref(),
        )
        .await?;
        if is_form_post() {
            leptos_axum::redirect(&crate::routes::story(id));
        }
        Ok(())
    })
    .await
}

/// Marks a comment thread resolved (or open again): whoever may comment on
/// the story.
#[server(endpoint = "comment_resolve")]
pub async fn resolve_comment(id: CommentId, resolved: bool) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut tx = db.begin().await?;
        let place = crate::db::stories::comment_place(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let rec = crate::db::stories::record(&mut tx, place.story)
            .await?
            .ok_or_else(AppError::not_found)?;
        crate::domain::access::may_comment(&actor, &rec.scope)?;
        crate::db::stories::set_comment_resolved(&mut tx, place.parent.unwrap_or(id), resolved)
            .await?;
        crate::db::audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            if resolved {
                "comment.resolve"
            } else {
                "comment.reopen"
            },
            "comment",
            &id.to_string(),
            serde_json::json!({ "story": place.story }),
        )
        .await?;
        tx.commit().await?;
        if is_form_post() {
            leptos_axum::redirect(&crate::routes::story(place.story));
        }
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use super::{StoryForm, ANSWER_KEY_PREFIX};
    use crate::api::server::apply_action;
    use crate::db::stories::{
        self as store, ConsentInput, NewDraft, ResidentInput, Snapshot, StoryRecord,
    };
    use crate::db::{audit, org, Db};
    use crate::domain::access::{self, Actor};
    use crate::domain::consent::{check_for_submission, ConsentScope, ConsentScopes};
    use crate::domain::ids::*;
    use crate::domain::lifecycle::{StoryAction, StoryStatus};
    use crate::domain::text::{
        check_story_text, AnswerCheck, CommentText, DraftText, Field, FieldProblem, ANSWER_MAX,
        NAME_MAX, PSEUDONYM_MAX, TITLE_MAX,
    };
    use crate::domain::time::Timestamp;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{GuideQuestion, SaveOutcome, StoryDetail, StoryPermissions};
    use sqlx::AnyConnection;
    use std::collections::BTreeMap;

    /// A save's outcome plus where a browser should go next, if anywhere.
    pub struct Saved {
        pub outcome: SaveOutcome,
        pub redirect: Option<String>,
    }

    struct ParsedForm {
        content: Snapshot,
        resident: ResidentInput,
        scopes: ConsentScopes,
        witness: Option<String>,
    }

    fn parse_form(form: &StoryForm, guide: &[GuideQuestion]) -> Result<ParsedForm, AppError> {
        let mut problems = Vec::new();
        let mut keep = |r: Result<DraftText, FieldProblem>| match r {
            Ok(t) => t.into_inner(),
            Err(p) => {
                problems.push(p);
                String::new()
            }
        };
        let title = keep(DraftText::parse(Field::Title, &form.title, TITLE_MAX, true));
        let pseudonym = keep(DraftText::parse(
            Field::Pseudonym,
            &form.pseudonym,
            PSEUDONYM_MAX,
            true,
        ));
        let first_name = keep(DraftText::parse(
            Field::FirstName,
            form.first_name.as_deref().unwrap_or(""),
            NAME_MAX,
            true,
        ));
        let witness = keep(DraftText::parse(
            Field::Witness,
            form.witness_name.as_deref().unwrap_or(""),
            NAME_MAX,
            true,
        ));
        let mut answers = BTreeMap::new();
        for (key, text) in &form.answers {
            let question = key
                .strip_prefix(ANSWER_KEY_PREFIX)
                .and_then(QuestionId::parse)
                .filter(|q| guide.iter().any(|g| g.id == *q))
                .ok_or_else(|| {
                    AppError::invalid(Message::new(
                        "Het formulier hoort bij een andere vragenlijst. Laad de pagina opnieuw; kopieer eerst uw tekst.",
                        "The form belongs to another interview guide. Reload the page; copy your text first.",
                    ))
                })?;
            let text = keep(DraftText::parse(
                Field::Answer(question),
                text,
                ANSWER_MAX,
                false,
            ));
            if !text.trim().is_empty() {
                answers.insert(question, text);
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid {
                message: Message::new(
                    "Niet opgeslagen: een tekst is veel te lang. Maak hem korter; uw tekst staat nog in het formulier.",
                    "Not saved: a text is far too long. Please shorten it; your text is still in the form.",
                ),
                problems,
            });
        }
        let years = match form.years_in_neighbourhood.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(y) => Some(y.parse::<i64>().ok().filter(|n| (0..=120).contains(n)).ok_or_else(|| {
                AppError::invalid(Message::new(
                    "Vul bij ‘jaren in de wijk’ een heel getal in (0 tot 120), of laat het leeg.",
                    "Enter a whole number (0 to 120) for ‘years in the neighbourhood’, or leave it empty.",
                ))
            })?),
        };
        let age_band = form
            .age_band
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                super::AGE_BANDS
                    .contains(&a)
                    .then(|| a.to_string())
                    .ok_or_else(|| {
                        AppError::invalid(Message::new(
                            "Kies een leeftijdsgroep uit de lijst.",
                            "Choose an age band from the list.",
                        ))
                    })
            })
            .transpose()?;
        let mut scopes = ConsentScopes::none();
        for s in &form.scopes {
            scopes.insert(ConsentScope::parse(s).ok_or_else(|| {
                AppError::invalid(Message::new(
                    "Onbekende toestemming in het formulier.",
                    "Unknown consent scope in the form.",
                ))
            })?);
        }
        Ok(ParsedForm {
            content: Snapshot {
                title,
                pseudonym,
                answers,
                lead: String::new(),
            },
            resident: ResidentInput {
                pseudonym: String::new(),
                first_name: Some(first_name.trim().to_string()).filter(|f| !f.is_empty()),
                age_band,
                years_in_neighbourhood: years,
            },
            scopes,
            witness: Some(witness).filter(|w| !w.is_empty()),
        })
    }

    /// What still blocks handing in.
    fn problems(
        content: &Snapshot,
        guide: &[GuideQuestion],
        rec: &StoryRecord,
    ) -> Vec<FieldProblem> {
        let checks: Vec<AnswerCheck<'_>> = guide
            .iter()
            .map(|q| AnswerCheck {
                question: q.id,
                required: q.required,
                text: content.answers.get(&q.id).map(String::as_str).unwrap_or(""),
            })
            .collect();
        let mut problems = check_story_text(&content.title, &content.pseudonym, &checks);
        if let Err(message) = check_for_submission(rec.consent_state.as_ref()) {
            problems.push(FieldProblem {
                field: Field::Consent,
                message,
            });
        }
        problems
    }

    /// Saves the form. Two copies of the same save racing each other (a
    /// double click reaching two server instances) end as one save and one
    /// replay: the loser's conflict is recognised by its save id.
    pub async fn save(db: &Db, actor: &Actor, form: StoryForm) -> Result<Saved, AppError> {
        let (story, save_id) = (form.id, form.save_id.trim().to_string());
        match save_once(db, actor, form).await {
            Err(e @ AppError::Conflict { .. }) => {
                let mut conn = db.pool.acquire().await?;
                if store::story_of_save(&mut conn, &save_id).await? == Some(story) {
                    return replay(db, actor, story).await;
                }
                Err(e)
            }
            other => other,
        }
    }

    async fn save_once(db: &Db, actor: &Actor, form: StoryForm) -> Result<Saved, AppError> {
        let save_id = uuid::Uuid::parse_str(form.save_id.trim())
            .map_err(|_| {
                AppError::invalid(Message::new(
                    "Ongeldig formulier (save_id).",
                    "Invalid form (save_id).",
                ))
            })?
            .to_string();
        let mut tx = db.begin().await?;
        // A save that was already applied (double click, retry after a lost
        // answer) is answered with the current state, not applied twice.
        if let Some(story) = store::story_of_save(&mut tx, &save_id).await? {
            tx.rollback().await?;
            if story != form.id {
                return Err(AppError::invalid(Message::new(
                    "Ongeldig formulier (save_id).",
                    "Invalid form (save_id).",
                )));
            }
            return replay(db, actor, story).await;
        }
        let existing = store::record(&mut tx, form.id).await?;
        let created = existing.is_none();
        let (edition, group) = match &existing {
            Some(rec) => (rec.edition, rec.scope.group),
            None => {
                let g = org::group_context(db, form.group)
                    .await?
                    .ok_or_else(AppError::not_found)?;
                (g.edition, form.group)
            }
        };
        let guide = org::guide_with_archived(&db.pool, edition).await?;
        let parsed = parse_form(&form, &guide)?;
        let gctx = org::group_context(db, group)
            .await?
            .ok_or_else(AppError::not_found)?;
        let consent_text = org::current_consent_text(db, edition).await?;
        let consent = |has_record: bool| -> Option<ConsentInput> {
            let text = consent_text.as_ref()?;
            (has_record || !parsed.scopes.is_empty() || parsed.witness.is_some()).then(|| {
                ConsentInput {
                    scopes: parsed.scopes,
                    witness_name: parsed.witness.clone(),
                    consent_text_id: text.id.clone(),
                }
            })
        };
        let resident = ResidentInput {
            pseudonym: parsed.content.pseudonym.clone(),
            ..parsed.resident.clone()
        };
        let not_in_group = || {
            AppError::Forbidden(Message::new(
                "Deze wijk hoort niet bij uw groep. Kies een van de wijken van uw groep.",
                "This neighbourhood is not assigned to your group. Choose one of your group's neighbourhoods.",
            ))
        };
        let version = match &existing {
            Some(rec) => {
                access::may_edit(actor, &rec.scope).map_err(|d| match d {
                    access::Denied::Forbidden if actor.is_student_in(rec.scope.group) => {
                        AppError::invalid(Message::new(
                            format!(
                            "Dit verhaal kan niet meer worden bewerkt: het heeft de status ‘{}’.",
                            rec.scope.status.label().0
                        ),
                            format!(
                                "This story can no longer be edited: its status is ‘{}’.",
                                rec.scope.status.label().1
                            ),
                        ))
                    }
                    d => d.into(),
                })?;
                if form.version != rec.version {
                    return Err(AppError::stale(rec.version));
                }
                let mut moved = None;
                if !gctx.neighbourhoods.contains(&form.neighbourhood) {
                    return Err(not_in_group());
                }
                if let Some((muni, _)) = org::neighbourhood(db, form.neighbourhood).await? {
                    moved = Some((form.neighbourhood, muni));
                }
                store::update_draft(
                    &mut tx,
                    rec,
                    form.id,
                    form.version,
                    &parsed.content,
                    &resident,
                    consent(rec.consent.is_some()).as_ref(),
                    moved,
                    actor.user,
                    &save_id,
                )
                .await?
            }
            None => {
                if form.version != 0 {
                    return Err(AppError::not_found());
                }
                access::may_create_story(
                    actor,
                    form.group,
                    &gctx.neighbourhoods,
                    form.neighbourhood,
                )
                .map_err(|_| {
                    if actor.is_student_in(form.group) {
                        not_in_group()
                    } else {
                        AppError::forbidden()
                    }
                })?;
                if !gctx.edition_open {
                    return Err(AppError::invalid(Message::new(
                        "Deze editie is gesloten: er kunnen geen nieuwe verhalen bij.",
                        "This edition is closed: no new stories can be added.",
                    )));
                }
                let (municipality, _) = org::neighbourhood(db, form.neighbourhood)
                    .await?
                    .ok_or_else(AppError::not_found)?;
                let draft = NewDraft {
                    id: form.id,
                    organisation: gctx.organisation,
                    edition,
                    municipality,
                    neighbourhood: form.neighbourhood,
                    group: form.group,
                    created_by: actor.user,
                };
                store::create_draft(
                    &mut tx,
                    &draft,
                    &parsed.content,
                    &resident,
                    consent(false).as_ref(),
                    &save_id,
                )
                .await?
            }
        };
        let rec = store::record(&mut tx, form.id)
            .await?
            .ok_or_else(AppError::not_found)?;
        audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            if created {
                "story.create"
            } else {
                "story.save"
            },
            "story",
            &form.id.to_string(),
            serde_json::json!({ "version": version }),
        )
        .await?;
        let mut problems = problems(&parsed.content, &guide, &rec);
        let mut status = rec.scope.status;
        let mut version = version;
        let mut redirect = created.then(|| crate::routes::edit_story(form.id));
        if form.intent.as_deref() == Some("submit") {
            if problems.is_empty() {
                let (to, v) =
                    apply_action(&mut tx, actor, form.id, &rec, StoryAction::Submit, version)
                        .await?;
                version = v;
                status = to;
                redirect = Some(crate::routes::story(form.id));
            } else {
                redirect = Some(crate::routes::edit_story_after_submit(form.id));
            }
        } else if status.is_editable_by_students() {
            // Problems are shown, but a draft may be incomplete.
        } else {
            problems.clear();
        }
        tx.commit().await?;
        Ok(Saved {
            outcome: SaveOutcome {
                id: form.id,
                version,
                status,
                saved_at: Timestamp::now(),
                problems,
                next_save_id: uuid::Uuid::new_v4().to_string(),
            },
            redirect,
        })
    }

    async fn replay(db: &Db, actor: &Actor, story: StoryId) -> Result<Saved, AppError> {
        let mut conn = db.pool.acquire().await?;
        let rec = store::record(&mut conn, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::read_role(actor, &rec.scope)?;
        let guide = org::guide_with_archived(&db.pool, rec.edition).await?;
        let content = store::snapshot(&mut conn, story).await?;
        let problems = if rec.scope.status.is_editable_by_students() {
            problems(&content, &guide, &rec)
        } else {
            Vec::new()
        };
        let redirect =
            (!rec.scope.status.is_editable_by_students()).then(|| crate::routes::story(story));
        Ok(Saved {
            outcome: SaveOutcome {
                id: story,
                version: rec.version,
                status: rec.scope.status,
                saved_at: Timestamp::now(),
                problems,
                next_save_id: uuid::Uuid::new_v4().to_string(),
            },
            redirect,
        })
    }

    /// Applies an autosave patch: the stored values with the patch laid over
    /// them go through [`save`] like a full form.
    pub async fn autosave(
        db: &Db,
        actor: &Actor,
        patch: crate::autosave::StoryPatch,
    ) -> Result<Saved, AppError> {
        use crate::autosave::{fields_of_detail, form_from_fields, FieldMap};
        let mut conn = db.pool.acquire().await?;
        let (mut fields, version, group) = match store::record(&mut conn, patch.id).await? {
            Some(rec) => {
                access::read_role(actor, &rec.scope)?;
                let detail = store::detail(&mut conn, patch.id)
                    .await?
                    .ok_or_else(AppError::not_found)?;
                let mut version = patch.base_version;
                if rec.version > patch.base_version {
                    // Newer revisions that all came from this device's own
                    // saves (sent, applied, answer lost) are not a conflict:
                    // the patch holds every field changed since its base.
                    let after =
                        store::save_ids_after(&mut conn, patch.id, patch.base_version).await?;
                    let own = after.len() as i64 == rec.version - patch.base_version
                        && after.iter().all(|s| {
                            s.as_ref().is_some_and(|s| {
                                *s == patch.save_id || patch.earlier_saves.contains(s)
                            })
                        });
                    if own {
                        version = rec.version;
                    }
                }
                (fields_of_detail(&detail), version, rec.scope.group)
            }
            None => (FieldMap::new(), patch.base_version, patch.group),
        };
        drop(conn);
        fields.extend(patch.fields.clone());
        let form = form_from_fields(
            patch.id,
            &patch.save_id,
            version,
            group,
            &fields,
            patch.intent.as_deref(),
        )
        .map_err(AppError::invalid)?;
        save(db, actor, form).await
    }

    fn parse_question(question: Option<&str>) -> Result<Option<QuestionId>, AppError> {
        question
            .filter(|q| !q.is_empty())
            .map(|q| QuestionId::parse(q).ok_or_else(AppError::not_found))
            .transpose()
    }

    pub async fn detail_for(
        conn: &mut AnyConnection,
        actor: &Actor,
        id: StoryId,
        rec: &StoryRecord,
    ) -> Result<StoryDetail, AppError> {
        access::read_role(actor, &rec.scope)?;
        let mut detail = store::detail(conn, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let edit = access::may_edit(actor, &rec.scope).is_ok();
        let review = rec.scope.status == StoryStatus::Submitted
            && access::action_role(actor, &rec.scope, StoryAction::Approve).is_ok();
        use crate::domain::media::{may_add_media, may_view_media, MediaKind};
        detail.can = StoryPermissions {
            edit,
            submit: edit,
            review,
            comment: access::may_comment(actor, &rec.scope).is_ok(),
            add_photos: may_add_media(actor, &rec.scope, MediaKind::Photo).is_ok(),
            record_audio: may_add_media(actor, &rec.scope, MediaKind::Audio).is_ok(),
            withdraw: rec.scope.status != StoryStatus::Withdrawn
                && access::action_role(actor, &rec.scope, StoryAction::Withdraw).is_ok(),
            curate: access::may_curate(actor, rec.scope.organisation).is_ok()
                && matches!(
                    rec.scope.status,
                    StoryStatus::Approved | StoryStatus::Selected | StoryStatus::Published
                ),
        };
        if matches!(
            rec.scope.status,
            StoryStatus::Submitted | StoryStatus::Approved | StoryStatus::ChangesRequested
        ) {
            detail.since_review =
                crate::api::history::imp::since_review(conn, id, rec.edition).await?;
        }
        detail.media = crate::db::media::of_story(conn, id)
            .await?
            .into_iter()
            .filter(|m| may_view_media(actor, &rec.scope, m.kind).is_ok())
            .collect();
        // The real first name is for the people who write the story; readers
        // see the name the booklet prints.
        if !edit {
            detail.resident.first_name = None;
        }
        if edit {
            let content = Snapshot {
                title: detail.title.clone(),
                pseudonym: detail.resident.pseudonym.clone(),
                answers: detail.answers.clone(),
                lead: String::new(),
            };
            detail.problems = problems(&content, &detail.questions, rec);
            let db = crate::api::server::db()?;
            let neighbourhoods = org::student_groups(&db, actor.user)
                .await?
                .into_iter()
                .find(|g| g.id == rec.scope.group)
                .map(|g| g.neighbourhoods)
                .unwrap_or_default();
            detail.edit = Some(crate::model::EditContext {
                user: actor.user,
                save_id: uuid::Uuid::new_v4().to_string(),
                neighbourhoods,
                consent_text: org::current_consent_text(&db, rec.edition).await?,
            });
        }
        Ok(detail)
    }

    pub async fn review(
        db: &Db,
        actor: &Actor,
        id: StoryId,
        version: i64,
        decision: &str,
        comment: Option<&str>,
        question: Option<&str>,
    ) -> Result<(), AppError> {
        let question = parse_question(question)?;
        let action = match decision {
            "approve" => StoryAction::Approve,
            "request_changes" => StoryAction::RequestChanges,
            _ => {
                return Err(AppError::invalid(Message::new(
                    "Kies: goedkeuren of om aanpassingen vragen.",
                    "Choose: approve or request changes.",
                )))
            }
        };
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let comment = match (action, comment) {
            (StoryAction::RequestChanges, None) => {
                return Err(AppError::invalid_field(FieldProblem {
                    field: Field::Comment,
                    message: Message::new(
                        "Schrijf erbij wat er moet veranderen, zodat de studenten weten wat ze moeten aanpassen.",
                        "Say what needs to change, so the students know what to adjust.",
                    ),
                }))
            }
            (_, Some(c)) => Some(CommentText::parse(c)?),
            (_, None) => None,
        };
        let mut tx = db.begin().await?;
        let rec = store::record(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        if let Some(q) = question {
            let guide = org::guide_with_archived(&mut *tx, rec.edition).await?;
            if !guide.iter().any(|g| g.id == q) {
                return Err(AppError::not_found());
            }
        }
        apply_action(&mut tx, actor, id, &rec, action, version).await?;
        if let Some(c) = &comment {
            let place = store::CommentPlace {
                story: id,
                question,
                parent: None,
            };
            store::add_comment(&mut tx, place, actor.user, c.as_str(), version).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn comment(
        db: &Db,
        actor: &Actor,
        id: StoryId,
        body: &str,
        question: Option<&str>,
        parent: Option<&str>,
    ) -> Result<(), AppError> {
        let body = CommentText::parse(body)?;
        let mut question = parse_question(question)?;
        let parent = parent
            .filter(|p| !p.is_empty())
            .map(|p| CommentId::parse(p).ok_or_else(AppError::not_found))
            .transpose()?;
        let mut tx = db.begin().await?;
        let rec = store::record(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_comment(actor, &rec.scope)?;
        // A reply joins its thread: same story, same answer; replies to a
        // reply go to the thread's first comment.
        let parent = match parent {
            Some(p) => {
                let place = store::comment_place(&mut tx, p)
                    .await?
                    .filter(|place| place.story == id)
                    .ok_or_else(AppError::not_found)?;
                question = place.question;
                Some(place.parent.unwrap_or(p))
            }
            None => None,
        };
        if let Some(q) = question {
            let guide = org::guide_with_archived(&mut *tx, rec.edition).await?;
            if !guide.iter().any(|g| g.id == q) {
                return Err(AppError::not_found());
            }
        }
        let place = store::CommentPlace {
            story: id,
            question,
            parent,
        };
        store::add_comment(&mut tx, place, actor.user, body.as_str(), rec.version).await?;
        let role = access::read_role(actor, &rec.scope)?;
        crate::db::notifications::notify(
            &mut tx,
            id,
            crate::domain::notify::NotificationKind::Comment,
            crate::domain::notify::for_comment(role),
            actor.user,
        )
        .await?;
        if let Some(thread) = parent {
            // A new reply reopens a resolved thread: there is something to read.
            store::set_comment_resolved(&mut tx, thread, false).await?;
        }
        audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "story.comment",
            "story",
            &id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
