//! The interview guide editor's SQL: editions with their guide version,
//! questions with their version, archiving, order.
//!
//! Every change is a compare-and-set: a question's `version` guards its
//! text, help text, required flag and archived state; the edition's
//! `guide_version` guards the list (adding, moving, archiving). An `UPDATE`
//! that finds an unexpected number changes nothing and the caller answers
//! 409. Structural changes first bump the edition's `guide_version`, which
//! also locks the edition row on PostgreSQL, so concurrent changes to one
//! guide queue instead of interleaving (SQLite's `BEGIN IMMEDIATE` does the
//! same for the whole database).

use super::{flag, id, now, opt_ts, Db};
use crate::domain::edition::EditionStatus;
use crate::domain::guide::Slot;
use crate::domain::ids::{EditionId, OrganisationId, QuestionId, UserId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// An edition as the guide editor needs it.
#[derive(Debug, Clone)]
pub struct EditionRecord {
    /// Edition id.
    pub id: EditionId,
    /// Its organisation.
    pub organisation: OrganisationId,
    /// The organisation's name.
    pub organisation_name: String,
    /// Year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: EditionStatus,
    /// Bumped by every change to the list of questions.
    pub guide_version: i64,
}

impl From<&EditionRecord> for crate::model::EditionChoice {
    fn from(e: &EditionRecord) -> Self {
        crate::model::EditionChoice {
            id: e.id,
            year: e.year,
            title: e.title.clone(),
            status: e.status,
            organisation: e.organisation_name.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: String,
    organisation_id: String,
    organisation_name: String,
    year: i64,
    title: String,
    status: String,
    guide_version: i64,
}

impl EditionRow {
    fn into_record(self) -> Result<EditionRecord, AppError> {
        Ok(EditionRecord {
            id: id(&self.id)?,
            organisation: id(&self.organisation_id)?,
            organisation_name: self.organisation_name,
            year: self.year,
            title: self.title,
            status: EditionStatus::parse(&self.status).ok_or_else(|| {
                AppError::internal(format!("unknown edition status {:?}", self.status))
            })?,
            guide_version: self.guide_version,
        })
    }
}

const EDITION_SELECT: &str =
    "SELECT e.id, e.organisation_id, o.name AS organisation_name, e.year, e.title, e.status, e.guide_version
       FROM edition e JOIN organisation o ON o.id = e.organisation_id";

/// One edition, if it exists.
pub async fn edition(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Option<EditionRecord>, AppError> {
    let row: Option<EditionRow> = sqlx::query_as(&format!("{EDITION_SELECT} WHERE e.id = $1"))
        .bind(edition.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(EditionRow::into_record).transpose()
}

/// The editions of these organisations, newest first.
pub async fn editions(
    db: &Db,
    organisations: &[OrganisationId],
) -> Result<Vec<EditionRecord>, AppError> {
    let mut all = Vec::new();
    for org in organisations {
        let rows: Vec<EditionRow> = sqlx::query_as(&format!(
            "{EDITION_SELECT} WHERE e.organisation_id = $1 ORDER BY e.year DESC"
        ))
        .bind(org.to_string())
        .fetch_all(&db.pool)
        .await?;
        for r in rows {
            all.push(r.into_record()?);
        }
    }
    all.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then_with(|| a.organisation_name.cmp(&b.organisation_name))
    });
    Ok(all)
}

/// The edition an editor page opens on when none is asked for: the newest
/// open edition of these organisations, else their newest one; `None` when
/// they have no edition at all.
pub async fn default_edition(
    db: &Db,
    organisations: &[OrganisationId],
) -> Result<Option<EditionRecord>, AppError> {
    let all = editions(db, organisations).await?;
    let open = all
        .iter()
        .find(|e| e.status.guide_editable().is_ok())
        .cloned();
    Ok(open.or_else(|| all.into_iter().next()))
}

/// A stored question with what the editor and the rules need.
#[derive(Debug, Clone)]
pub struct QuestionRecord {
    /// Question id.
    pub id: QuestionId,
    /// Its edition.
    pub edition: EditionId,
    /// Place in the stored order (active and archived questions together).
    pub position: i64,
    /// The question.
    pub text: String,
    /// Help for the interviewer.
    pub help_text: String,
    /// Whether an answer is required.
    pub required: bool,
    /// Bumped by every change to this question.
    pub version: i64,
    /// When it was archived, if it was.
    pub archived_at: Option<Timestamp>,
    /// When it was last changed in the editor.
    pub updated_at: Option<Timestamp>,
    /// Who changed it last (display name).
    pub updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: String,
    edition_id: String,
    position: i64,
    text: String,
    help_text: String,
    required: i64,
    version: i64,
    archived_at: Option<String>,
    updated_at: Option<String>,
    updated_by: Option<String>,
}

impl QuestionRow {
    fn into_record(self) -> Result<QuestionRecord, AppError> {
        Ok(QuestionRecord {
            id: id(&self.id)?,
            edition: id(&self.edition_id)?,
            position: self.position,
            text: self.text,
            help_text: self.help_text,
            required: self.required != 0,
            version: self.version,
            archived_at: opt_ts(self.archived_at.as_deref())?,
            updated_at: opt_ts(self.updated_at.as_deref())?,
            updated_by: self.updated_by,
        })
    }
}

const QUESTION_SELECT: &str =
    "SELECT q.id, q.edition_id, q.position, q.text, q.help_text, q.required, q.version,
            q.archived_at, q.updated_at, u.display_name AS updated_by
       FROM guide_question q LEFT JOIN app_user u ON u.id = q.updated_by";

/// One question, if it exists.
pub async fn question(
    conn: &mut AnyConnection,
    question: QuestionId,
) -> Result<Option<QuestionRecord>, AppError> {
    let row: Option<QuestionRow> = sqlx::query_as(&format!("{QUESTION_SELECT} WHERE q.id = $1"))
        .bind(question.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(QuestionRow::into_record).transpose()
}

/// All questions of an edition, archived ones included, in stored order.
pub async fn questions(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Vec<QuestionRecord>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(&format!(
        "{QUESTION_SELECT} WHERE q.edition_id = $1 ORDER BY q.position, q.id"
    ))
    .bind(edition.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(QuestionRow::into_record).collect()
}

/// The stored order as the reorder rule sees it.
pub fn slots(questions: &[QuestionRecord]) -> Vec<Slot> {
    questions
        .iter()
        .map(|q| Slot {
            id: q.id,
            archived: q.archived_at.is_some(),
        })
        .collect()
}

/// How many stories (not withdrawn) have a non-empty answer to each question
/// of the edition.
pub async fn answered_counts(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<HashMap<QuestionId, i64>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.question_id, CAST(COUNT(DISTINCT a.story_id) AS BIGINT)
           FROM story_answer a JOIN story s ON s.id = a.story_id
          WHERE s.edition_id = $1 AND s.status <> 'withdrawn' AND a.body <> ''
          GROUP BY a.question_id",
    )
    .bind(edition.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|(q, n)| Ok((id(&q)?, n))).collect()
}

/// Bumps the edition's guide version: from `expected` only (a stale list
/// changes nothing: `Ok(false)`), or unconditionally with `None`. Returns
/// whether it was bumped.
pub async fn bump_guide_version(
    conn: &mut AnyConnection,
    edition: EditionId,
    expected: Option<i64>,
) -> Result<bool, AppError> {
    let done = match expected {
        Some(v) => {
            sqlx::query(
                "UPDATE edition SET guide_version = guide_version + 1 WHERE id = $1 AND guide_version = $2",
            )
            .bind(edition.to_string())
            .bind(v)
            .execute(&mut *conn)
            .await?
        }
        None => {
            sqlx::query("UPDATE edition SET guide_version = guide_version + 1 WHERE id = $1")
                .bind(edition.to_string())
                .execute(&mut *conn)
                .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// A question's new content.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    /// The question.
    pub text: &'a str,
    /// Help text.
    pub help_text: &'a str,
    /// Required.
    pub required: bool,
}

/// Adds a question with a client-generated id at the end of the edition's
/// order. Returns `false` when a question with this id exists already (the
/// same form sent twice).
pub async fn insert_question(
    conn: &mut AnyConnection,
    question: QuestionId,
    edition: EditionId,
    content: Content<'_>,
    by: UserId,
) -> Result<bool, AppError> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM guide_question WHERE edition_id = $1",
    )
    .bind(edition.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let done = sqlx::query(
        "INSERT INTO guide_question (id, edition_id, position, text, help_text, required, version, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(question.to_string())
    .bind(edition.to_string())
    .bind(next)
    .bind(content.text)
    .bind(content.help_text)
    .bind(flag(content.required))
    .bind(now())
    .bind(by.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores new content if the question is still at `expected` and active;
/// returns the new version, or `None` when it was not (the caller reloads).
pub async fn update_question(
    conn: &mut AnyConnection,
    question: QuestionId,
    expected: i64,
    content: Content<'_>,
    by: UserId,
) -> Result<Option<i64>, AppError> {
    let done = sqlx::query(
        "UPDATE guide_question
            SET text = $3, help_text = $4, required = $5, version = version + 1, updated_at = $6, updated_by = $7
          WHERE id = $1 AND version = $2 AND archived_at IS NULL",
    )
    .bind(question.to_string())
    .bind(expected)
    .bind(content.text)
    .bind(content.help_text)
    .bind(flag(content.required))
    .bind(now())
    .bind(by.to_string())
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(expected + 1))
}

/// Archives (or restores) the question if it is still at `expected`;
/// returns the new version, or `None` when it was not.
pub async fn set_archived(
    conn: &mut AnyConnection,
    question: QuestionId,
    expected: i64,
    archived: bool,
    by: UserId,
) -> Result<Option<i64>, AppError> {
    let at = now();
    let done = sqlx::query(
        "UPDATE guide_question
            SET archived_at = $3, version = version + 1, updated_at = $4, updated_by = $5
          WHERE id = $1 AND version = $2",
    )
    .bind(question.to_string())
    .bind(expected)
    .bind(archived.then(|| at.clone()))
    .bind(&at)
    .bind(by.to_string())
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(expected + 1))
}

/// Stores new positions (only those that changed).
pub async fn set_positions(
    conn: &mut AnyConnection,
    before: &[QuestionRecord],
    positions: &[(QuestionId, i64)],
) -> Result<(), AppError> {
    for (q, position) in positions {
        if before.iter().any(|b| b.id == *q && b.position == *position) {
            continue;
        }
        sqlx::query("UPDATE guide_question SET position = $2 WHERE id = $1")
            .bind(q.to_string())
            .bind(position)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
