//! A story's history: every revision, any revision as it was, and the
//! word-level difference between two revisions — for whoever may read the
//! story. The student's submitted original is a revision like any other and
//! is never overwritten.

use crate::domain::ids::StoryId;
use crate::error::AppError;
use crate::model::{RevisionView, StoryDiff};
use leptos::prelude::*;

/// One revision of a story, as it was.
#[server(endpoint = "story_revision")]
pub async fn story_revision(id: StoryId, number: i64) -> Result<RevisionView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        let rec = readable_story(&mut conn, &actor, id).await?;
        let (info, content) = crate::db::stories::revision(&mut conn, id, number)
            .await?
            .ok_or_else(AppError::not_found)?;
        let questions = crate::db::org::guide_with_archived(&mut *conn, rec.edition).await?;
        Ok(RevisionView {
            info,
            title: content.title,
            pseudonym: content.pseudonym,
            questions,
            answers: content.answers,
        })
    })
    .await
}

/// The difference between two revisions of a story. Without numbers: from
/// the previous submission to the latest one (what a lecturer reviewing a
/// resubmission wants), or from the first revision to the latest.
#[server(endpoint = "story_diff")]
pub async fn compare_revisions(
    id: StoryId,
    #[server(default)] from: Option<i64>,
    #[server(default)] to: Option<i64>,
) -> Result<StoryDiff, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let db = db()?;
        let mut conn = db.pool.acquire().await?;
        let rec = readable_story(&mut conn, &actor, id).await?;
        imp::diff(&mut conn, id, rec.edition, from, to)
            .await?
            .ok_or_else(AppError::not_found)
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod imp {
    use crate::db::stories::{self as store, Snapshot};
    use crate::domain::diff::{has_changes, word_diff};
    use crate::domain::ids::{EditionId, StoryId};
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{GuideQuestion, PartDiff, RevisionInfo, StoryDiff};
    use sqlx::AnyConnection;

    /// The parts of two versions of a story, compared word by word, in
    /// reading order: title, pseudonym, then the answers in guide order.
    pub fn compare(
        from: (RevisionInfo, &Snapshot),
        to: (RevisionInfo, &Snapshot),
        questions: &[GuideQuestion],
    ) -> StoryDiff {
        let part = |label: Message, question, old: &str, new: &str| {
            let segments = word_diff(old, new);
            PartDiff {
                label,
                question,
                changed: has_changes(&segments),
                segments,
            }
        };
        let (a, b) = (from.1, to.1);
        let mut parts = vec![
            part(Message::new("Titel", "Title"), None, &a.title, &b.title),
            part(
                Message::new("Schuilnaam", "Pseudonym"),
                None,
                &a.pseudonym,
                &b.pseudonym,
            ),
        ];
        for q in questions {
            let old = a.answers.get(&q.id).map_or("", String::as_str);
            let new = b.answers.get(&q.id).map_or("", String::as_str);
            if old.is_empty() && new.is_empty() {
                continue;
            }
            parts.push(part(
                Message::new(q.text.clone(), q.text.clone()),
                Some(q.id),
                old,
                new,
            ));
        }
        StoryDiff {
            from: from.0,
            to: to.0,
            parts,
        }
    }

    /// The diff between revisions `from` and `to` (see [`super::compare_revisions`]
    /// for the defaults); `None` when a revision does not exist.
    pub async fn diff(
        conn: &mut AnyConnection,
        story: StoryId,
        edition: EditionId,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Option<StoryDiff>, AppError> {
        let all = store::revisions(conn, story).await?;
        let submitted: Vec<i64> = all
            .iter()
            .filter(|r| r.kind == "submitted")
            .map(|r| r.number)
            .collect();
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) => (f, t),
            (f, t) => {
                let default_to = submitted.last().or(all.last().map(|r| &r.number)).copied();
                let to = t.or(default_to);
                let default_from = match submitted.len() {
                    n if n >= 2 && t.is_none() => Some(submitted[n - 2]),
                    _ => all.first().map(|r| r.number),
                };
                match (f.or(default_from), to) {
                    (Some(f), Some(t)) => (f, t),
                    _ => return Ok(None),
                }
            }
        };
        let (Some(a), Some(b)) = (
            store::revision(conn, story, from).await?,
            store::revision(conn, story, to).await?,
        ) else {
            return Ok(None);
        };
        let questions = crate::db::org::guide_with_archived(&mut *conn, edition).await?;
        Ok(Some(compare((a.0, &a.1), (b.0, &b.1), &questions)))
    }

    /// What changed between the last two submissions, if there are two.
    pub async fn since_review(
        conn: &mut AnyConnection,
        story: StoryId,
        edition: EditionId,
    ) -> Result<Option<StoryDiff>, AppError> {
        let submitted = store::revisions(conn, story)
            .await?
            .into_iter()
            .filter(|r| r.kind == "submitted")
            .count();
        if submitted < 2 {
            return Ok(None);
        }
        diff(conn, story, edition, None, None).await
    }
}
