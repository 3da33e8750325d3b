//! The codebook (themes per edition, as a tree) and theme tags on stories.

use super::{id, now, opt_id};
use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::ThemeView;
use sqlx::AnyConnection;

/// The raw codebook rows of an edition: `(id, parent, position)` plus name
/// and description by id.
async fn rows(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Vec<(ThemeId, Option<ThemeId>, i64, String, String)>, AppError> {
    let rows: Vec<(String, Option<String>, i64, String, String)> = sqlx::query_as(
        "SELECT id, parent_id, position, name, description FROM theme WHERE edition_id = $1",
    )
    .bind(edition.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(t, p, pos, n, d)| Ok((id(&t)?, opt_id(p.as_deref())?, pos, n, d)))
        .collect()
}

/// The codebook of an edition in reading order, see
/// [`crate::domain::curation::tree_order`].
pub async fn themes(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Vec<ThemeView>, AppError> {
    let rows = rows(conn, edition).await?;
    let shape: Vec<(ThemeId, Option<ThemeId>, i64)> =
        rows.iter().map(|(t, p, pos, ..)| (*t, *p, *pos)).collect();
    Ok(crate::domain::curation::tree_order(&shape)
        .into_iter()
        .filter_map(|(t, depth)| {
            let (_, parent, _, name, description) = rows.iter().find(|r| r.0 == t)?;
            Some(ThemeView {
                id: t,
                parent: *parent,
                name: name.clone(),
                description: description.clone(),
                depth,
            })
        })
        .collect())
}

/// A theme and all themes below it.
pub async fn with_descendants(
    conn: &mut AnyConnection,
    edition: EditionId,
    theme: ThemeId,
) -> Result<Vec<ThemeId>, AppError> {
    let shape: Vec<(ThemeId, Option<ThemeId>, i64)> = rows(conn, edition)
        .await?
        .into_iter()
        .map(|(t, p, pos, ..)| (t, p, pos))
        .collect();
    Ok(crate::domain::curation::with_descendants(&shape, theme))
}

/// The edition a theme belongs to, if the theme exists.
pub async fn theme_edition(
    conn: &mut AnyConnection,
    theme: ThemeId,
) -> Result<Option<EditionId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT edition_id FROM theme WHERE id = $1")
        .bind(theme.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(e,)| id(&e)).transpose()
}

/// Adds a theme under `parent` (or at the top); `Ok(None)` when a sibling
/// already has that name.
pub async fn add_theme(
    conn: &mut AnyConnection,
    edition: EditionId,
    parent: Option<ThemeId>,
    name: &str,
    description: &str,
) -> Result<Option<ThemeId>, AppError> {
    let siblings = rows(conn, edition).await?;
    if siblings
        .iter()
        .any(|(_, p, _, n, _)| *p == parent && n.to_lowercase() == name.to_lowercase())
    {
        return Ok(None);
    }
    let position = siblings
        .iter()
        .filter(|(_, p, ..)| *p == parent)
        .map(|(_, _, pos, ..)| *pos)
        .max()
        .unwrap_or(0)
        + 1;
    let tid = ThemeId::new();
    insert(conn, tid, edition, parent, name, description, position).await?;
    Ok(Some(tid))
}

async fn insert(
    conn: &mut AnyConnection,
    tid: ThemeId,
    edition: EditionId,
    parent: Option<ThemeId>,
    name: &str,
    description: &str,
    position: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO theme (id, edition_id, parent_id, name, description, position, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tid.to_string())
    .bind(edition.to_string())
    .bind(parent.map(|p| p.to_string()))
    .bind(name)
    .bind(description)
    .bind(position)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes a theme without themes below it, and its tags; `Ok(false)`
/// when it still has themes below it.
pub async fn remove_theme(conn: &mut AnyConnection, theme: ThemeId) -> Result<bool, AppError> {
    let (children,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM theme WHERE parent_id = $1")
            .bind(theme.to_string())
            .fetch_one(&mut *conn)
            .await?;
    if children > 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM story_theme WHERE theme_id = $1")
        .bind(theme.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM theme WHERE id = $1")
        .bind(theme.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Copies the codebook tree (not the tags) of `from` into `to`; returns how
/// many themes were copied.
pub async fn copy_themes(
    conn: &mut AnyConnection,
    from: EditionId,
    to: EditionId,
) -> Result<usize, AppError> {
    let rows = rows(conn, from).await?;
    let shape: Vec<(ThemeId, Option<ThemeId>, i64)> =
        rows.iter().map(|(t, p, pos, ..)| (*t, *p, *pos)).collect();
    let plan = crate::domain::curation::copy_plan(&shape, ThemeId::new);
    for (old, new, parent) in &plan {
        let Some((_, _, pos, name, description)) = rows.iter().find(|r| r.0 == *old) else {
            continue;
        };
        insert(conn, *new, to, *parent, name, description, *pos).await?;
    }
    Ok(plan.len())
}

/// The edition before `edition` of the same organisation (by year), if any.
pub async fn previous_edition(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Option<EditionId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT p.id FROM edition e JOIN edition p ON p.organisation_id = e.organisation_id AND p.year < e.year
          WHERE e.id = $1 ORDER BY p.year DESC LIMIT 1",
    )
    .bind(edition.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(e,)| id(&e)).transpose()
}

/// Tags a story with a theme (`on`) or removes the tag.
pub async fn tag(
    conn: &mut AnyConnection,
    story: StoryId,
    theme: ThemeId,
    on: bool,
    by: UserId,
) -> Result<(), AppError> {
    if on {
        sqlx::query(
            "INSERT INTO story_theme (story_id, theme_id, tagged_by, tagged_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (story_id, theme_id) DO NOTHING",
        )
        .bind(story.to_string())
        .bind(theme.to_string())
        .bind(by.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM story_theme WHERE story_id = $1 AND theme_id = $2")
            .bind(story.to_string())
            .bind(theme.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The themes of each story of an edition that has any.
pub async fn tags(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Vec<(StoryId, ThemeId)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT st.story_id, st.theme_id FROM story_theme st JOIN theme t ON t.id = st.theme_id
          WHERE t.edition_id = $1",
    )
    .bind(edition.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(s, t)| Ok((id(&s)?, id(&t)?)))
        .collect()
}

/// A stored quote.
#[derive(Debug, Clone)]
pub struct QuoteRow {
    /// Quote id.
    pub id: QuoteId,
    /// The question whose answer it comes from.
    pub question: QuestionId,
    /// The revision whose text it was taken from.
    pub revision: i64,
    /// Start, in UTF-16 code units within that answer.
    pub start: i64,
    /// End (exclusive), in UTF-16 code units.
    pub end: i64,
    /// The exact text.
    pub text: String,
    /// Whether it is the story's pull quote.
    pub pull: bool,
}

/// Stores a quote (already verified by the caller).
#[allow(clippy::too_many_arguments)]
pub async fn add_quote(
    conn: &mut AnyConnection,
    story: StoryId,
    question: QuestionId,
    revision: i64,
    start: i64,
    end: i64,
    text: &str,
    by: UserId,
) -> Result<QuoteId, AppError> {
    let qid = QuoteId::new();
    sqlx::query(
        "INSERT INTO quote (id, story_id, question_id, revision_number, start_utf16, end_utf16, text, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(qid.to_string())
    .bind(story.to_string())
    .bind(question.to_string())
    .bind(revision)
    .bind(start)
    .bind(end)
    .bind(text)
    .bind(by.to_string())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(qid)
}

/// The quotes of a story, oldest first.
pub async fn quotes(conn: &mut AnyConnection, story: StoryId) -> Result<Vec<QuoteRow>, AppError> {
    let rows: Vec<(String, String, i64, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT id, question_id, revision_number, start_utf16, end_utf16, text, pull
           FROM quote WHERE story_id = $1 ORDER BY created_at, id",
    )
    .bind(story.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(q, question, revision, start, end, text, pull)| {
            Ok(QuoteRow {
                id: id(&q)?,
                question: id(&question)?,
                revision,
                start,
                end,
                text,
                pull: pull != 0,
            })
        })
        .collect()
}

/// Makes `quote` the story's pull quote (`None`: no pull quote). Returns
/// false when the quote is not one of the story's.
pub async fn set_pull_quote(
    conn: &mut AnyConnection,
    story: StoryId,
    quote: Option<QuoteId>,
) -> Result<bool, AppError> {
    if let Some(q) = quote {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT id FROM quote WHERE id = $1 AND story_id = $2")
                .bind(q.to_string())
                .bind(story.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Ok(false);
        }
    }
    sqlx::query("UPDATE quote SET pull = 0 WHERE story_id = $1")
        .bind(story.to_string())
        .execute(&mut *conn)
        .await?;
    if let Some(q) = quote {
        sqlx::query("UPDATE quote SET pull = 1 WHERE id = $1")
            .bind(q.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// The text of the story's pull quote, if it has one.
pub async fn pull_quote(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT text FROM quote WHERE story_id = $1 AND pull = 1 LIMIT 1")
            .bind(story.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(t,)| t))
}
