//! Curation of one story by researchers: quotes (exact text at verified
//! offsets in one revision), the pull quote, and the editorial version
//! (title, lead, answers) saved as a revision of kind `editorial` — the
//! students' original stays in the history, untouched.

use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::StoryCurationView;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// What a researcher needs to curate one story: the text the booklet uses
/// (the latest editorial version, else the story's own), its quotes.
#[server(endpoint = "story_curation")]
pub async fn story_curation(story: StoryId) -> Result<StoryCurationView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::view(&db()?, &actor, story).await
    })
    .await
}

/// The curation panels of the story page: what [`story_curation`] gives, or
/// `None` for whoever may not curate this story now (a student, a lecturer,
/// a story not approved): the page then shows no panels, and its own status
/// stays what the story decides.
#[server(endpoint = "story_curation_panel")]
pub async fn story_curation_panel(story: StoryId) -> Result<Option<StoryCurationView>, AppError> {
    use super::server::*;
    respond(async move {
        let Ok(actor) = actor().await else {
            return Ok(None);
        };
        match imp::view(&db()?, &actor, story).await {
            Ok(v) => Ok(Some(v)),
            Err(e @ AppError::Internal(_)) => Err(e),
            Err(_) => Ok(None),
        }
    })
    .await
}

/// Saves a quote: `text` must be exactly what the answer to `question` in
/// revision `revision` holds between `start` and `end`, counted in UTF-16
/// code units (as the browser's Selection API counts). Without offsets,
/// the first place the text occurs is used.
#[server(endpoint = "quote_save")]
pub async fn save_quote(
    story: StoryId,
    question: QuestionId,
    revision: i64,
    #[server(default)] start: Option<i64>,
    #[server(default)] end: Option<i64>,
    #[server(default)] text: String,
) -> Result<QuoteId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::save_quote(
            &db()?,
            &actor,
            story,
            question,
            revision,
            start.zip(end),
            &text,
        )
        .await
    })
    .await
}

/// Makes a quote the story's pull quote (no quote: none).
#[server(endpoint = "quote_pull")]
pub async fn set_pull_quote(
    story: StoryId,
    #[server(default)] quote: Option<QuoteId>,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_pull(&db()?, &actor, story, quote).await
    })
    .await
}

/// Saves the editorial version of a story: title, lead and answers (keys
/// `q<question id>`), if the story is still at `version`. Returns the new
/// version. The status does not change.
#[server(endpoint = "story_editorial")]
pub async fn save_editorial(
    story: StoryId,
    version: i64,
    #[server(default)] title: String,
    #[server(default)] lead: String,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::save_editorial(&db()?, &actor, story, version, title, lead, answers).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod imp {
    use crate::db::curation as store;
    use crate::db::stories::{self, Snapshot, StoryRecord};
    use crate::db::{audit, Db};
    use crate::domain::access::{self, Actor};
    use crate::domain::curation::{find_quote, verify_quote, QuoteProblem, QUOTE_MAX_CHARS};
    use crate::domain::ids::*;
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{CurationAnswer, QuoteView, StoryCurationView};
    use sqlx::AnyConnection;
    use std::collections::BTreeMap;

    /// Loads the story and checks the actor may curate it, and that it is
    /// far enough along (approved, selected or published).
    async fn curated(
        conn: &mut AnyConnection,
        actor: &Actor,
        story: StoryId,
    ) -> Result<StoryRecord, AppError> {
        let rec = stories::record(conn, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::may_curate(actor, rec.scope.organisation)?;
        access::read_role(actor, &rec.scope)?;
        if !matches!(
            rec.scope.status,
            StoryStatus::Approved | StoryStatus::Selected | StoryStatus::Published
        ) {
            return Err(AppError::invalid(Message::new(
                "Alleen goedgekeurde verhalen kunnen worden geredigeerd of geciteerd.",
                "Only approved stories can be edited or quoted.",
            )));
        }
        Ok(rec)
    }

    /// The text the booklet uses and the revision it comes from: the latest
    /// editorial version, else the story's own text (its latest revision).
    async fn base(
        conn: &mut AnyConnection,
        story: StoryId,
    ) -> Result<(i64, bool, Snapshot), AppError> {
        if let Some((n, s)) = stories::latest_revision(conn, story, Some("editorial")).await? {
            return Ok((n, true, s));
        }
        let current = stories::snapshot(conn, story).await?;
        let n = stories::latest_revision(conn, story, None)
            .await?
            .map_or(0, |(n, _)| n);
        Ok((n, false, current))
    }

    async fn questions(
        conn: &mut AnyConnection,
        edition: EditionId,
    ) -> Result<Vec<(QuestionId, String)>, AppError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, text FROM guide_question WHERE edition_id = $1 ORDER BY position",
        )
        .bind(edition.to_string())
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|(q, t)| Ok((crate::db::id(&q)?, t)))
            .collect()
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        story: StoryId,
    ) -> Result<StoryCurationView, AppError> {
        let mut conn = db.pool.acquire().await?;
        let rec = curated(&mut conn, actor, story).await?;
        let (revision, editorial, text) = base(&mut conn, story).await?;
        let questions = questions(&mut conn, rec.edition).await?;
        let question_text = |q: QuestionId| {
            questions
                .iter()
                .find(|(x, _)| *x == q)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let quotes = store::quotes(&mut conn, story)
            .await?
            .into_iter()
            .map(|q| QuoteView {
                id: q.id,
                question: q.question,
                question_text: question_text(q.question),
                revision: q.revision,
                start: q.start,
                end: q.end,
                text: q.text,
                pull: q.pull,
            })
            .collect();
        Ok(StoryCurationView {
            story,
            version: rec.version,
            revision,
            editorial,
            title: text.title,
            lead: text.lead,
            answers: questions
                .iter()
                .filter_map(|(q, t)| {
                    text.answers.get(q).map(|a| CurationAnswer {
                        question: *q,
                        question_text: t.clone(),
                        answer: a.clone(),
                    })
                })
                .collect(),
            quotes,
        })
    }

    pub async fn save_quote(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        question: QuestionId,
        revision: i64,
        offsets: Option<(i64, i64)>,
        text: &str,
    ) -> Result<QuoteId, AppError> {
        let mut tx = db.begin().await?;
        let rec = curated(&mut tx, actor, story).await?;
        rec.changeable()?;
        let Some((_, snapshot)) = stories::revision(&mut tx, story, revision).await? else {
            return Err(AppError::invalid(Message::new(
                "Die versie van het verhaal bestaat niet.",
                "That version of the story does not exist.",
            )));
        };
        let answer = snapshot.answers.get(&question).cloned().unwrap_or_default();
        let (start, end) = match offsets {
            Some((s, e)) => (s, e),
            None => find_quote(&answer, text)
                .map(|(s, e)| (s as i64, e as i64))
                .unwrap_or((0, 0)),
        };
        let checked = match (usize::try_from(start), usize::try_from(end)) {
            (Ok(s), Ok(e)) => verify_quote(&answer, s, e, text),
            _ => Err(QuoteProblem::NotThere),
        };
        if let Err(problem) = checked {
            let (nl, en) = match problem {
                QuoteProblem::Empty => (
                    "Selecteer eerst een stuk tekst in een antwoord.".to_string(),
                    "First select some text in an answer.".to_string(),
                ),
                QuoteProblem::TooLong => (
                    format!("Een citaat is hoogstens {QUOTE_MAX_CHARS} tekens; kies een kortere passage."),
                    format!("A quote has at most {QUOTE_MAX_CHARS} characters; choose a shorter passage."),
                ),
                QuoteProblem::NotThere => (
                    "Deze tekst staat niet (zo) in dit antwoord van deze versie. Selecteer het citaat opnieuw.".to_string(),
                    "This text is not (like this) in this answer of this version. Select the quote again.".to_string(),
                ),
            };
            return Err(AppError::invalid(Message::new(nl, en)));
        }
        let q = store::add_quote(
            &mut tx, story, question, revision, start, end, text, actor.user,
        )
        .await?;
        audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "story.quote",
            "story",
            &story.to_string(),
            serde_json::json!({ "quote": q, "revision": revision }),
        )
        .await?;
        tx.commit().await?;
        Ok(q)
    }

    pub async fn set_pull(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        quote: Option<QuoteId>,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        curated(&mut tx, actor, story).await?.changeable()?;
        if !store::set_pull_quote(&mut tx, story, quote).await? {
            return Err(AppError::not_found());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Longest editorial title, lead and answer, in characters.
    const TITLE_MAX: usize = 200;
    const LEAD_MAX: usize = 1500;
    const ANSWER_MAX: usize = 30_000;

    fn too_long(nl: &str, en: &str, max: usize) -> AppError {
        AppError::invalid(Message::new(
            format!(
                "{nl} is te lang: hoogstens {max} tekens. Uw tekst staat er nog; maak hem korter."
            ),
            format!(
                "{en} is too long: at most {max} characters. Your text is still there; shorten it."
            ),
        ))
    }

    pub async fn save_editorial(
        db: &Db,
        actor: &Actor,
        story: StoryId,
        version: i64,
        title: String,
        lead: String,
        answers: BTreeMap<String, String>,
    ) -> Result<i64, AppError> {
        let title = title.trim().to_string();
        if title.is_empty() {
            return Err(AppError::invalid(Message::new(
                "De titel mag niet leeg zijn.",
                "The title cannot be empty.",
            )));
        }
        if title.chars().count() > TITLE_MAX {
            return Err(too_long("De titel", "The title", TITLE_MAX));
        }
        let lead = lead.trim().to_string();
        if lead.chars().count() > LEAD_MAX {
            return Err(too_long("De inleiding", "The lead", LEAD_MAX));
        }
        let mut tx = db.begin().await?;
        let rec = curated(&mut tx, actor, story).await?;
        rec.changeable()?;
        let (_, _, mut content) = base(&mut tx, story).await?;
        for (key, text) in answers {
            let q = key
                .strip_prefix('q')
                .and_then(QuestionId::parse)
                .filter(|q| content.answers.contains_key(q))
                .ok_or_else(|| {
                    AppError::invalid(Message::new(
                        "Onbekende vraag in het formulier.",
                        "Unknown question in the form.",
                    ))
                })?;
            if text.chars().count() > ANSWER_MAX {
                return Err(too_long("Een antwoord", "An answer", ANSWER_MAX));
            }
            content.answers.insert(q, text.trim().to_string());
        }
        content.title = title;
        content.lead = lead;
        let v = stories::save_editorial(&mut tx, story, version, &content, actor.user).await?;
        audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "story.editorial",
            "story",
            &story.to_string(),
            serde_json::json!({ "version": v }),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }
}
