//! Stories: the student's form, the story page, the review decision.

use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{NewStoryForm, SaveOutcome, StoryDetail, StoryListItem};
use leptos::prelude::*;

pub use crate::autosave::StoryForm;

#[cfg(feature = "ssr")]
pub mod save;

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
        let outcome = save::save(&db, &actor, save::SaveRequest::of_form(form)?).await?;
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
        Ok(save::save(&db, &actor, save::SaveRequest::of_patch(patch))
            .await?
            .outcome)
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
        rec.changeable()?;
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
    use crate::api::server::apply_action;
    use crate::db::stories::{self as store, Snapshot, StoryRecord};
    use crate::db::{audit, org, Db};
    use crate::domain::access::{self, Actor};
    use crate::domain::ids::*;
    use crate::domain::lifecycle::{StoryAction, StoryStatus};
    use crate::domain::text::{CommentText, Field, FieldProblem};
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{StoryDetail, StoryPermissions};
    use sqlx::AnyConnection;

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
            detail.problems =
                super::save::problems(&content, &detail.questions, rec.consent_state.as_ref());
            let db = crate::api::server::db()?;
            let mut neighbourhoods = org::student_groups(&db, actor.user)
                .await?
                .into_iter()
                .find(|g| g.id == rec.scope.group)
                .map(|g| g.neighbourhoods)
                .unwrap_or_default();
            // An archived neighbourhood is offered only to the stories
            // already written there, so that they keep it.
            if !neighbourhoods
                .iter()
                .any(|n| n.id == detail.neighbourhood.id)
            {
                neighbourhoods.push(detail.neighbourhood.clone());
            }
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
        rec.changeable()?;
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
