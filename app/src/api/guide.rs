//! The interview guide editor: researchers and admins of an organisation
//! add, edit, order, archive and restore the questions of an open edition.
//!
//! Every function checks the caller ([`access::may_edit_guide`] for the
//! edition's organisation), that the edition is open
//! ([`EditionStatus::guide_editable`]), parses the text into the domain's
//! newtypes, stores the change with a compare-and-set on the question's
//! `version` (its text, help, required flag, archived state) or the
//! edition's `guide_version` (the order), and writes an audit event.
//!
//! Without JavaScript the forms are plain HTML posts: a success redirects
//! back to the question on the page; a refused add or edit redirects back
//! with the typed text in the address, so nothing typed is lost.
//!
//! [`access::may_edit_guide`]: crate::domain::access::may_edit_guide
//! [`EditionStatus::guide_editable`]: crate::domain::edition::EditionStatus::guide_editable

use crate::domain::ids::{EditionId, QuestionId};
use crate::error::AppError;
use crate::model::GuideEditorView;
use leptos::prelude::*;

/// Query key of the question whose form a refused post returns to
/// ([`NEW_QUESTION_KEY`] for the add form).
pub const RETURN_QUESTION: &str = "vraag";
/// Query key of the question text typed before a refused post.
pub const RETURN_TEXT: &str = "tekst";
/// Query key of the help text typed before a refused post.
pub const RETURN_HELP: &str = "hulp";
/// Query key of the required box ticked before a refused post (`1`).
pub const RETURN_REQUIRED: &str = "verplicht";
/// [`RETURN_QUESTION`] value of the add form.
pub const NEW_QUESTION_KEY: &str = "nieuw";

/// The guide editor for `edition`, or for the newest open edition of the
/// caller's organisation(s).
#[server(endpoint = "guide_editor")]
pub async fn guide_editor(
    #[server(default)] edition: Option<EditionId>,
) -> Result<GuideEditorView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::view(&db()?, &actor, edition).await
    })
    .await
}

/// Adds a question at the end of the guide. `question` is a fresh id from
/// the page: the same form sent twice adds one question.
#[server(endpoint = "guide_add")]
pub async fn add_question(
    edition: EditionId,
    question: QuestionId,
    text: String,
    #[server(default)] help_text: String,
    #[server(default)] required: bool,
) -> Result<QuestionId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let result = imp::add(
            &db()?,
            &actor,
            edition,
            question,
            &text,
            &help_text,
            required,
        )
        .await;
        if is_form_post() {
            match &result {
                Ok(q) => leptos_axum::redirect(&crate::routes::guide_at(edition, *q)),
                Err(e) => imp::return_to_form::<AddQuestion>(
                    e,
                    NEW_QUESTION_KEY,
                    Some((&text, &help_text, required)),
                ),
            }
        }
        result
    })
    .await
}

/// Changes a question's text, help text and required flag, if it is still at
/// `version`; returns the new version. A stale version is refused (409)
/// with the stored text in the message; sending the same content again is
/// answered with the current version (a double click is not a conflict).
#[server(endpoint = "guide_edit")]
pub async fn edit_question(
    question: QuestionId,
    version: i64,
    text: String,
    #[server(default)] help_text: String,
    #[server(default)] required: bool,
) -> Result<i64, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let result = imp::edit(
            &db()?,
            &actor,
            question,
            version,
            &text,
            &help_text,
            required,
        )
        .await;
        if is_form_post() {
            match &result {
                Ok((edition, _)) => {
                    leptos_axum::redirect(&crate::routes::guide_at(*edition, question))
                }
                Err(e) => imp::return_to_form::<EditQuestion>(
                    e,
                    &question.to_string(),
                    Some((&text, &help_text, required)),
                ),
            }
        }
        result.map(|(_, v)| v)
    })
    .await
}

/// Moves an active question one place `up` or `down` among the active
/// questions, if the guide is still at `guide_version`.
#[server(endpoint = "guide_move")]
pub async fn move_question(
    question: QuestionId,
    guide_version: i64,
    direction: String,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let result = imp::move_question(&db()?, &actor, question, guide_version, &direction).await;
        if is_form_post() {
            match &result {
                Ok(edition) => leptos_axum::redirect(&crate::routes::guide_at(*edition, question)),
                Err(e) => imp::return_to_form::<MoveQuestion>(e, &question.to_string(), None),
            }
        }
        result.map(|_| ())
    })
    .await
}

/// Archives (`archived = true`) or restores a question, if it is still at
/// `version`. Archiving an archived question (or restoring an active one)
/// changes nothing and succeeds.
#[server(endpoint = "guide_archive")]
pub async fn archive_question(
    question: QuestionId,
    version: i64,
    #[server(default)] archived: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let result = imp::archive(&db()?, &actor, question, version, archived).await;
        if is_form_post() {
            match &result {
                Ok(edition) => leptos_axum::redirect(&crate::routes::guide_at(*edition, question)),
                Err(e) => imp::return_to_form::<ArchiveQuestion>(e, &question.to_string(), None),
            }
        }
        result.map(|_| ())
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::db::guide::{self as store, Content, EditionRecord, QuestionRecord};
    use crate::db::{audit, Db};
    use crate::domain::access::{self, Actor, Denied};
    use crate::domain::guide::{
        may_archive, positions, reorder, stale_guide, stale_question, Direction, GuideProblem,
        QuestionInput, HELP_MAX, QUESTION_MAX,
    };
    use crate::domain::ids::{EditionId, QuestionId};
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{EditionChoice, GuideEditorQuestion, GuideEditorView};
    use leptos::server_fn::error::ServerFnUrlError;
    use leptos::server_fn::ServerFn;
    use sqlx::AnyConnection;

    /// Refusals speak of the guide, not of "this item".
    fn denied(d: Denied) -> AppError {
        match d {
            Denied::Forbidden => AppError::Forbidden(Message::new(
                "Alleen onderzoekers en beheerders van de werkplaats kunnen de vragenlijst bewerken.",
                "Only researchers and administrators of the werkplaats can edit the interview guide.",
            )),
            Denied::NotFound => AppError::not_found(),
        }
    }

    /// The caller may change this edition's guide now.
    fn check(actor: &Actor, edition: &EditionRecord) -> Result<(), AppError> {
        access::may_edit_guide(actor, edition.organisation).map_err(denied)?;
        edition.status.guide_editable().map_err(AppError::invalid)
    }

    fn parse(text: &str, help: &str, required: bool) -> Result<QuestionInput, AppError> {
        QuestionInput::parse(text, help, required).map_err(|problems: Vec<GuideProblem>| {
            let join = |f: fn(&Message) -> &str| {
                problems
                    .iter()
                    .map(|p| f(&p.message))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            AppError::invalid(Message::new(join(|m| &m.nl), join(|m| &m.en)))
        })
    }

    fn content(input: &QuestionInput) -> Content<'_> {
        Content {
            text: input.text.as_str(),
            help_text: input.help.as_str(),
            required: input.required,
        }
    }

    /// A question and its edition, checked for the caller.
    async fn load(
        conn: &mut AnyConnection,
        actor: &Actor,
        question: QuestionId,
    ) -> Result<(QuestionRecord, EditionRecord), AppError> {
        let q = store::question(conn, question)
            .await?
            .ok_or_else(AppError::not_found)?;
        let e = store::edition(conn, q.edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        check(actor, &e)?;
        Ok((q, e))
    }

    fn archived_refusal() -> AppError {
        AppError::invalid(Message::new(
            "Deze vraag is gearchiveerd. Zet haar eerst terug om haar te wijzigen; uw tekst staat nog in het formulier.",
            "This question is archived. Restore it first to change it; your text is still in the form.",
        ))
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        edition: Option<EditionId>,
    ) -> Result<GuideEditorView, AppError> {
        let orgs = access::guide_organisations(actor);
        let mut conn = db.pool.acquire().await?;
        let chosen = match edition {
            Some(e) => {
                let rec = store::edition(&mut conn, e)
                    .await?
                    .ok_or_else(AppError::not_found)?;
                access::may_edit_guide(actor, rec.organisation).map_err(denied)?;
                rec
            }
            None => {
                if orgs.is_empty() {
                    return Err(denied(Denied::Forbidden));
                }
                store::default_edition(db, &orgs).await?.ok_or_else(|| {
                    AppError::NotFound(Message::new(
                        "Uw werkplaats heeft nog geen editie, dus ook nog geen vragenlijst.",
                        "Your werkplaats has no edition yet, so no interview guide either.",
                    ))
                })?
            }
        };
        let editions = store::editions(db, &orgs).await?;
        let answered = store::answered_counts(&mut conn, chosen.id).await?;
        let (archived, active): (Vec<_>, Vec<_>) = store::questions(&mut conn, chosen.id)
            .await?
            .into_iter()
            .map(|q| GuideEditorQuestion {
                id: q.id,
                answered: answered.get(&q.id).copied().unwrap_or(0),
                text: q.text,
                help_text: q.help_text,
                required: q.required,
                version: q.version,
                archived_at: q.archived_at,
                updated_at: q.updated_at,
                updated_by: q.updated_by,
            })
            .partition(|q| q.archived_at.is_some());
        Ok(GuideEditorView {
            editions: editions.iter().map(EditionChoice::from).collect(),
            edition: EditionChoice::from(&chosen),
            guide_version: chosen.guide_version,
            locked: chosen.status.guide_editable().err(),
            questions: active,
            archived,
            new_question_id: QuestionId::new(),
        })
    }

    pub async fn add(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        question: QuestionId,
        text: &str,
        help: &str,
        required: bool,
    ) -> Result<QuestionId, AppError> {
        let mut tx = db.begin().await?;
        let e = store::edition(&mut tx, edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        check(actor, &e)?;
        let input = parse(text, help, required)?;
        // Locks the edition's guide (PostgreSQL) so the new position is free.
        store::bump_guide_version(&mut tx, edition, None).await?;
        if !store::insert_question(&mut tx, question, edition, content(&input), actor.user).await? {
            // This form was sent before (a double click): added once.
            let existing = store::question(&mut tx, question).await?;
            tx.rollback().await?;
            return match existing {
                Some(q) if q.edition == edition => Ok(question),
                _ => Err(AppError::invalid(Message::new(
                    "Ongeldig formulier: laad de pagina opnieuw.",
                    "Invalid form: please reload the page.",
                ))),
            };
        }
        audit(
            &mut *tx,
            Some(e.organisation),
            Some(actor.user),
            "guide.question.add",
            "guide_question",
            &question.to_string(),
            serde_json::json!({
                "edition": edition.to_string(),
                "text": input.text.as_str(),
                "help_text": input.help.as_str(),
                "required": input.required,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(question)
    }

    pub async fn edit(
        db: &Db,
        actor: &Actor,
        question: QuestionId,
        version: i64,
        text: &str,
        help: &str,
        required: bool,
    ) -> Result<(EditionId, i64), AppError> {
        let mut tx = db.begin().await?;
        let (q, e) = load(&mut tx, actor, question).await?;
        let input = parse(text, help, required)?;
        if q.archived_at.is_some() {
            return Err(archived_refusal());
        }
        if input.same_as(&q.text, &q.help_text, q.required) && (version == q.version) {
            // Nothing changed: no new version, no audit event.
            return Ok((e.id, q.version));
        }
        let Some(new_version) =
            store::update_question(&mut tx, question, version, content(&input), actor.user).await?
        else {
            let now = store::question(&mut tx, question)
                .await?
                .ok_or_else(AppError::not_found)?;
            if now.archived_at.is_some() {
                return Err(archived_refusal());
            }
            if input.same_as(&now.text, &now.help_text, now.required) {
                // The same edit sent twice, or someone typed the very same.
                return Ok((e.id, now.version));
            }
            return Err(AppError::Conflict {
                message: stale_question(&now.text, now.required, now.updated_by.as_deref()),
                current_version: Some(now.version),
            });
        };
        let answered = store::answered_counts(&mut tx, e.id)
            .await?
            .get(&question)
            .copied()
            .unwrap_or(0);
        audit(
            &mut *tx,
            Some(e.organisation),
            Some(actor.user),
            "guide.question.edit",
            "guide_question",
            &question.to_string(),
            serde_json::json!({
                "edition": e.id.to_string(),
                "version": new_version,
                "answered": answered,
                "from": { "text": q.text, "help_text": q.help_text, "required": q.required },
                "to": {
                    "text": input.text.as_str(),
                    "help_text": input.help.as_str(),
                    "required": input.required,
                },
            }),
        )
        .await?;
        tx.commit().await?;
        Ok((e.id, new_version))
    }

    pub async fn move_question(
        db: &Db,
        actor: &Actor,
        question: QuestionId,
        guide_version: i64,
        direction: &str,
    ) -> Result<EditionId, AppError> {
        let direction = match direction {
            "up" => Direction::Up,
            "down" => Direction::Down,
            _ => {
                return Err(AppError::invalid(Message::new(
                    "Kies: omhoog of omlaag.",
                    "Choose: up or down.",
                )))
            }
        };
        let mut tx = db.begin().await?;
        let (_, e) = load(&mut tx, actor, question).await?;
        if !store::bump_guide_version(&mut tx, e.id, Some(guide_version)).await? {
            let current = store::edition(&mut tx, e.id)
                .await?
                .map(|e| e.guide_version);
            return Err(AppError::Conflict {
                message: stale_guide(),
                current_version: current,
            });
        }
        let all = store::questions(&mut tx, e.id).await?;
        let order = reorder(&store::slots(&all), question, direction)
            .map_err(|r| AppError::invalid(r.message()))?;
        store::set_positions(&mut tx, &all, &positions(&order)).await?;
        audit(
            &mut *tx,
            Some(e.organisation),
            Some(actor.user),
            "guide.question.move",
            "guide_question",
            &question.to_string(),
            serde_json::json!({
                "edition": e.id.to_string(),
                "direction": match direction { Direction::Up => "up", Direction::Down => "down" },
                "guide_version": guide_version + 1,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(e.id)
    }

    pub async fn archive(
        db: &Db,
        actor: &Actor,
        question: QuestionId,
        version: i64,
        archived: bool,
    ) -> Result<EditionId, AppError> {
        let mut tx = db.begin().await?;
        let (_, e) = load(&mut tx, actor, question).await?;
        // Lock the guide first, then look at the question as it is now.
        store::bump_guide_version(&mut tx, e.id, None).await?;
        let all = store::questions(&mut tx, e.id).await?;
        let q = all
            .iter()
            .find(|q| q.id == question)
            .ok_or_else(AppError::not_found)?;
        if q.archived_at.is_some() == archived {
            // Already so (a double click, or someone else did it): done.
            tx.rollback().await?;
            return Ok(e.id);
        }
        if q.version != version {
            return Err(AppError::Conflict {
                message: stale_guide(),
                current_version: Some(q.version),
            });
        }
        if archived {
            may_archive(all.iter().filter(|q| q.archived_at.is_none()).count())
                .map_err(AppError::invalid)?;
        }
        let new_version = store::set_archived(&mut tx, question, version, archived, actor.user)
            .await?
            .ok_or(AppError::Conflict {
                message: stale_guide(),
                current_version: None,
            })?;
        let answered = store::answered_counts(&mut tx, e.id)
            .await?
            .get(&question)
            .copied()
            .unwrap_or(0);
        audit(
            &mut *tx,
            Some(e.organisation),
            Some(actor.user),
            if archived {
                "guide.question.archive"
            } else {
                "guide.question.restore"
            },
            "guide_question",
            &question.to_string(),
            serde_json::json!({
                "edition": e.id.to_string(),
                "version": new_version,
                "answered": answered,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(e.id)
    }

    /// For a plain HTML form post that was refused: back to the page it came
    /// from, with the error (read by the page's action, as leptos does for
    /// every refused form post), the question whose form it was and the
    /// typed text, so that form shows the error and what was typed. Text
    /// beyond a sane length is not carried in the address.
    pub fn return_to_form<S: ServerFn>(
        error: &AppError,
        key: &str,
        typed: Option<(&str, &str, bool)>,
    ) {
        use axum::http::{header::REFERER, request::Parts};
        let referer = leptos::prelude::use_context::<Parts>().and_then(|p| {
            p.headers
                .get(REFERER)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        });
        let mut keep = vec![(super::RETURN_QUESTION, key.to_string())];
        if let Some((text, help, required)) = typed {
            if text.chars().count() <= 2 * QUESTION_MAX && help.chars().count() <= 2 * HELP_MAX {
                keep.push((super::RETURN_TEXT, text.to_string()));
                keep.push((super::RETURN_HELP, help.to_string()));
                if required {
                    keep.push((super::RETURN_REQUIRED, "1".to_string()));
                }
            }
        }
        let back = crate::routes::guide_return(referer.as_deref(), &keep);
        let Ok(url) =
            ServerFnUrlError::new(S::PATH, error.clone()).to_url(&format!("http://wv{back}"))
        else {
            return;
        };
        let target = format!(
            "{}?{}#{}",
            url.path(),
            url.query().unwrap_or_default(),
            crate::routes::question_anchor(key)
        );
        leptos_axum::redirect(&target);
    }
}
