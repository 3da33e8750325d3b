//! Booklet selections: which approved stories, in which order, with which
//! texts — and the rows a build composes its document from
//! ([`selection_rows`]).

use super::super::stories::Snapshot;
use super::super::{id, now};
use crate::booklet::compose::{
    AnswerRow, ChapterText, EditorialText, PhotoRow, SelectedStory, SelectionHead,
};
use crate::booklet::SelectionRows;
use crate::domain::consent::ConsentScopes;
use crate::domain::ids::*;
use crate::domain::lifecycle::StoryStatus;
use crate::error::AppError;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The selection of `edition` × `municipality`, created on first use.
pub async fn selection(
    conn: &mut AnyConnection,
    edition: EditionId,
    municipality: MunicipalityId,
    default_title: &str,
) -> Result<SelectionId, AppError> {
    sqlx::query(
        "INSERT INTO booklet_selection (id, edition_id, municipality_id, title, updated_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (edition_id, municipality_id) DO NOTHING",
    )
    .bind(SelectionId::new().to_string())
    .bind(edition.to_string())
    .bind(municipality.to_string())
    .bind(default_title)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let (sid,): (String,) = sqlx::query_as(
        "SELECT id FROM booklet_selection WHERE edition_id = $1 AND municipality_id = $2",
    )
    .bind(edition.to_string())
    .bind(municipality.to_string())
    .fetch_one(&mut *conn)
    .await?;
    id(&sid)
}

/// Positions of the selected stories.
pub async fn positions(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<BTreeMap<StoryId, i64>, AppError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT story_id, position FROM booklet_story WHERE selection_id = $1")
            .bind(selection.to_string())
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter().map(|(s, p)| Ok((id(&s)?, p))).collect()
}

/// The editable parts of a selection besides its stories.
#[derive(Debug, Clone)]
pub struct SelectionTexts {
    /// Version guarding the order of chapters and stories.
    pub order_version: i64,
    /// Version guarding foreword, colophon text and funder line.
    pub texts_version: i64,
    /// Foreword.
    pub foreword: String,
    /// Extra colophon text.
    pub colophon_extra: String,
    /// Funder line.
    pub funder_line: String,
}

/// The versions and texts of a selection.
pub async fn texts(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<SelectionTexts, AppError> {
    let (order_version, texts_version, foreword, colophon_extra, funder_line): (
        i64,
        i64,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT order_version, texts_version, foreword, colophon_extra, funder_line
           FROM booklet_selection WHERE id = $1",
    )
    .bind(selection.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(SelectionTexts {
        order_version,
        texts_version,
        foreword,
        colophon_extra,
        funder_line,
    })
}

/// A chapter row: neighbourhood, stored position, intro, version.
#[derive(Debug, Clone)]
pub struct ChapterRow {
    /// The neighbourhood the chapter is about.
    pub neighbourhood: NeighbourhoodId,
    /// Its stored position.
    pub position: i64,
    /// Intro text.
    pub intro: String,
    /// Version guarding the intro.
    pub version: i64,
}

/// The stored chapters of a selection (including ones whose stories were
/// all taken out: their intro is kept).
pub async fn chapters(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<Vec<ChapterRow>, AppError> {
    let rows: Vec<(String, i64, String, i64)> = sqlx::query_as(
        "SELECT neighbourhood_id, position, intro, version FROM booklet_chapter WHERE selection_id = $1",
    )
    .bind(selection.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(n, position, intro, version)| {
            Ok(ChapterRow {
                neighbourhood: id(&n)?,
                position,
                intro,
                version,
            })
        })
        .collect()
}

/// The selected stories in booklet order, grouped per chapter
/// (neighbourhood), see [`crate::domain::curation::arrange`].
pub async fn arranged(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<Vec<(NeighbourhoodId, Vec<StoryId>)>, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT b.story_id, s.neighbourhood_id, b.position FROM booklet_story b
           JOIN story s ON s.id = b.story_id WHERE b.selection_id = $1",
    )
    .bind(selection.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let stories = rows
        .into_iter()
        .map(|(s, n, p)| Ok((id::<StoryId>(&s)?, id::<NeighbourhoodId>(&n)?, p)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let chapters: Vec<(NeighbourhoodId, i64)> = chapters(conn, selection)
        .await?
        .into_iter()
        .map(|c| (c.neighbourhood, c.position))
        .collect();
    Ok(crate::domain::curation::arrange(&stories, &chapters))
}

/// Appends a story to the selection (and its chapter, if new, after the
/// other chapters).
pub async fn add_story(
    conn: &mut AnyConnection,
    selection: SelectionId,
    story: StoryId,
) -> Result<(), AppError> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM booklet_story WHERE selection_id = $1",
    )
    .bind(selection.to_string())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO booklet_story (selection_id, story_id, position) VALUES ($1, $2, $3)")
        .bind(selection.to_string())
        .bind(story.to_string())
        .bind(next)
        .execute(&mut *conn)
        .await?;
    let (next_chapter,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM booklet_chapter WHERE selection_id = $1",
    )
    .bind(selection.to_string())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO booklet_chapter (selection_id, neighbourhood_id, position)
         SELECT $1, s.neighbourhood_id, $3 FROM story s WHERE s.id = $2
         ON CONFLICT (selection_id, neighbourhood_id) DO NOTHING",
    )
    .bind(selection.to_string())
    .bind(story.to_string())
    .bind(next_chapter)
    .execute(&mut *conn)
    .await?;
    touch(conn, selection).await
}

/// Removes a story from the selection (its chapter row and intro stay).
pub async fn remove_story(
    conn: &mut AnyConnection,
    selection: SelectionId,
    story: StoryId,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM booklet_story WHERE selection_id = $1 AND story_id = $2")
        .bind(selection.to_string())
        .bind(story.to_string())
        .execute(&mut *conn)
        .await?;
    touch(conn, selection).await
}

/// Claims the order for a change: bumps `order_version` if it still is
/// `version`, else a conflict naming the current version.
async fn claim_order(
    conn: &mut AnyConnection,
    selection: SelectionId,
    version: i64,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE booklet_selection SET order_version = order_version + 1, updated_at = $3
          WHERE id = $1 AND order_version = $2",
    )
    .bind(selection.to_string())
    .bind(version)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let current = texts(conn, selection).await?.order_version;
    Err(AppError::Conflict {
        message: crate::domain::Message::new(
            "Iemand anders heeft de volgorde intussen gewijzigd. U ziet nu de nieuwe volgorde; probeer het opnieuw.",
            "Someone else changed the order in the meantime. You now see the new order; please try again.",
        ),
        current_version: Some(current),
    })
}

/// Moves a selected story to place `to` (0-based) within its chapter, if
/// the order is still at `version`.
pub async fn move_story(
    conn: &mut AnyConnection,
    selection: SelectionId,
    story: StoryId,
    to: i64,
    version: i64,
) -> Result<(), AppError> {
    claim_order(conn, selection, version).await?;
    let mut chapters = arranged(conn, selection).await?;
    let chapter = chapters
        .iter_mut()
        .find(|(_, s)| s.contains(&story))
        .ok_or_else(AppError::not_found)?;
    chapter.1 =
        crate::domain::curation::move_to(&chapter.1, &story, to).ok_or_else(AppError::not_found)?;
    for (i, s) in chapters.iter().flat_map(|(_, s)| s).enumerate() {
        sqlx::query(
            "UPDATE booklet_story SET position = $3 WHERE selection_id = $1 AND story_id = $2",
        )
        .bind(selection.to_string())
        .bind(s.to_string())
        .bind(i as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Moves the chapter of `neighbourhood` to place `to` (0-based) among the
/// chapters with stories, if the order is still at `version`.
pub async fn move_chapter(
    conn: &mut AnyConnection,
    selection: SelectionId,
    neighbourhood: NeighbourhoodId,
    to: i64,
    version: i64,
) -> Result<(), AppError> {
    claim_order(conn, selection, version).await?;
    let order: Vec<NeighbourhoodId> = arranged(conn, selection)
        .await?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let order = crate::domain::curation::move_to(&order, &neighbourhood, to)
        .ok_or_else(AppError::not_found)?;
    // Empty chapters (intro kept) go after the ones in the booklet.
    let n = order.len() as i64;
    sqlx::query("UPDATE booklet_chapter SET position = position + $2 WHERE selection_id = $1")
        .bind(selection.to_string())
        .bind(n + 1)
        .execute(&mut *conn)
        .await?;
    for (i, nb) in order.iter().enumerate() {
        sqlx::query(
            "INSERT INTO booklet_chapter (selection_id, neighbourhood_id, position) VALUES ($1, $2, $3)
             ON CONFLICT (selection_id, neighbourhood_id) DO UPDATE SET position = $3",
        )
        .bind(selection.to_string())
        .bind(nb.to_string())
        .bind(i as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Saves foreword, colophon text and funder line if they are still at
/// `version`; returns the new version.
pub async fn set_texts(
    conn: &mut AnyConnection,
    selection: SelectionId,
    foreword: &str,
    colophon_extra: &str,
    funder_line: &str,
    version: i64,
) -> Result<i64, AppError> {
    let done = sqlx::query(
        "UPDATE booklet_selection SET foreword = $3, colophon_extra = $4, funder_line = $5,
                texts_version = texts_version + 1, updated_at = $6
          WHERE id = $1 AND texts_version = $2",
    )
    .bind(selection.to_string())
    .bind(version)
    .bind(foreword)
    .bind(colophon_extra)
    .bind(funder_line)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let current = texts(conn, selection).await?.texts_version;
    if done.rows_affected() != 1 {
        return Err(AppError::stale(current));
    }
    Ok(current)
}

/// Saves the intro of a chapter if it is still at `version`; returns the
/// new version. The chapter must exist (a story of it was selected).
pub async fn set_intro(
    conn: &mut AnyConnection,
    selection: SelectionId,
    neighbourhood: NeighbourhoodId,
    intro: &str,
    version: i64,
) -> Result<i64, AppError> {
    let done = sqlx::query(
        "UPDATE booklet_chapter SET intro = $4, version = version + 1
          WHERE selection_id = $1 AND neighbourhood_id = $2 AND version = $3",
    )
    .bind(selection.to_string())
    .bind(neighbourhood.to_string())
    .bind(version)
    .bind(intro)
    .execute(&mut *conn)
    .await?;
    let current: Option<(i64,)> = sqlx::query_as(
        "SELECT version FROM booklet_chapter WHERE selection_id = $1 AND neighbourhood_id = $2",
    )
    .bind(selection.to_string())
    .bind(neighbourhood.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((current,)) = current else {
        return Err(AppError::not_found());
    };
    if done.rows_affected() != 1 {
        return Err(AppError::stale(current));
    }
    touch(conn, selection).await?;
    Ok(current)
}

/// Names of the students who wrote the selected stories, for the colophon,
/// without those who opted out.
pub async fn colophon_students(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<Vec<String>, AppError> {
    let students: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT u.display_name FROM booklet_story b
           JOIN story_author sa ON sa.story_id = b.story_id
           JOIN app_user u ON u.id = sa.user_id
          WHERE b.selection_id = $1 AND u.colophon_opt_out = 0
          ORDER BY u.display_name",
    )
    .bind(selection.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(students.into_iter().map(|(n,)| n).collect())
}

async fn touch(conn: &mut AnyConnection, selection: SelectionId) -> Result<(), AppError> {
    sqlx::query("UPDATE booklet_selection SET updated_at = $2 WHERE id = $1")
        .bind(selection.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    edition_id: String,
    municipality_id: String,
    title: String,
    foreword: String,
    colophon_extra: String,
    funder_line: String,
    organisation_id: String,
    organisation_name: String,
    year: i64,
    municipality_name: String,
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: String,
    position: i64,
    organisation_id: String,
    municipality_id: String,
    group_id: String,
    status: String,
    title: String,
    pseudonym: String,
    first_name: Option<String>,
    consent_id: Option<String>,
    scopes: Option<String>,
    withdrawn_at: Option<String>,
    neighbourhood_id: String,
    neighbourhood: String,
    cbs_code: Option<String>,
}

/// Loads what [`crate::booklet::compose`] needs for a selection, in eight
/// queries whatever the number of stories: the selection, its stories (with
/// resident and consent), their answers, latest editorial versions, pull
/// quotes and photos, its chapters and the colophon's students. Nothing is
/// filtered here: the consent and editorial rules are `compose`'s.
pub async fn selection_rows(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<SelectionRows, AppError> {
    let sel = selection.to_string();
    let head: HeadRow = sqlx::query_as(
        "SELECT bs.edition_id, bs.municipality_id, bs.title, bs.foreword, bs.colophon_extra, bs.funder_line,
                e.organisation_id, o.name AS organisation_name, e.year, m.name AS municipality_name
           FROM booklet_selection bs
           JOIN edition e ON e.id = bs.edition_id
           JOIN organisation o ON o.id = e.organisation_id
           JOIN municipality m ON m.id = bs.municipality_id
          WHERE bs.id = $1",
    )
    .bind(&sel)
    .fetch_one(&mut *conn)
    .await?;
    let story_rows: Vec<StoryRow> = sqlx::query_as(
        "SELECT s.id, b.position, s.organisation_id, s.municipality_id, s.group_id, s.status, s.title,
                r.pseudonym, r.first_name, s.consent_id, c.scopes, c.withdrawn_at,
                n.id AS neighbourhood_id, n.name AS neighbourhood, n.cbs_code
           FROM booklet_story b
           JOIN story s ON s.id = b.story_id
           JOIN resident r ON r.id = s.resident_id
           JOIN neighbourhood n ON n.id = s.neighbourhood_id
           LEFT JOIN consent c ON c.id = s.consent_id
          WHERE b.selection_id = $1
          ORDER BY b.position, s.id",
    )
    .bind(&sel)
    .fetch_all(&mut *conn)
    .await?;
    let mut stories = Vec::with_capacity(story_rows.len());
    for r in story_rows {
        stories.push(SelectedStory {
            id: id(&r.id)?,
            position: r.position,
            organisation: id(&r.organisation_id)?,
            municipality: id(&r.municipality_id)?,
            group: id(&r.group_id)?,
            status: StoryStatus::parse(&r.status).ok_or_else(|| {
                AppError::internal(format!("unknown story status {:?}", r.status))
            })?,
            title: r.title,
            pseudonym: r.pseudonym,
            first_name: r.first_name,
            scopes: r
                .consent_id
                .map(|_| ConsentScopes::from_db(r.scopes.as_deref().unwrap_or(""))),
            withdrawn: r.withdrawn_at.is_some(),
            neighbourhood: id(&r.neighbourhood_id)?,
            neighbourhood_name: r.neighbourhood,
            cbs_code: r.cbs_code,
        });
    }
    let answer_rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT a.story_id, q.id, q.text, a.body FROM story_answer a
           JOIN guide_question q ON q.id = a.question_id
           JOIN booklet_story b ON b.story_id = a.story_id
          WHERE b.selection_id = $1
          ORDER BY a.story_id, q.position, q.id",
    )
    .bind(&sel)
    .fetch_all(&mut *conn)
    .await?;
    let answers = answer_rows
        .into_iter()
        .map(|(story, question, question_text, body)| {
            Ok(AnswerRow {
                story: id(&story)?,
                question: id(&question)?,
                question_text,
                body,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let editorial_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.story_id, r.snapshot FROM revision r
           JOIN booklet_story b ON b.story_id = r.story_id
          WHERE b.selection_id = $1 AND r.kind = 'editorial'
            AND r.number = (SELECT MAX(r2.number) FROM revision r2
                             WHERE r2.story_id = r.story_id AND r2.kind = 'editorial')",
    )
    .bind(&sel)
    .fetch_all(&mut *conn)
    .await?;
    let mut editorial = BTreeMap::new();
    for (story, snapshot) in editorial_rows {
        let s: Snapshot = serde_json::from_str(&snapshot).map_err(AppError::internal)?;
        editorial.insert(
            id(&story)?,
            EditorialText {
                title: s.title,
                lead: s.lead,
                answers: s.answers,
            },
        );
    }
    let quote_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT q.story_id, q.text FROM quote q
           JOIN booklet_story b ON b.story_id = q.story_id
          WHERE b.selection_id = $1 AND q.pull = 1
          ORDER BY q.story_id, q.id",
    )
    .bind(&sel)
    .fetch_all(&mut *conn)
    .await?;
    let mut pull_quotes = BTreeMap::new();
    for (story, text) in quote_rows {
        pull_quotes.entry(id(&story)?).or_insert(text);
    }
    let photo_rows: Vec<(String, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT m.story_id, m.object_key, m.content_hash, m.caption, m.alt_text FROM media m
           JOIN booklet_story b ON b.story_id = m.story_id
          WHERE b.selection_id = $1 AND m.kind = 'photo' AND m.status = 'ready'
            AND m.deleted_at IS NULL AND m.object_key IS NOT NULL
          ORDER BY m.story_id, m.created_at, m.id",
    )
    .bind(&sel)
    .fetch_all(&mut *conn)
    .await?;
    let photos = photo_rows
        .into_iter()
        .map(|(story, object_key, content_hash, caption, alt)| {
            Ok(PhotoRow {
                story: id(&story)?,
                object_key,
                content_hash,
                caption,
                alt,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let chapters = chapters(conn, selection)
        .await?
        .into_iter()
        .map(|c| ChapterText {
            neighbourhood: c.neighbourhood,
            position: c.position,
            intro: c.intro,
        })
        .collect();
    let students = colophon_students(conn, selection).await?;
    Ok(SelectionRows {
        head: SelectionHead {
            id: selection,
            organisation: id(&head.organisation_id)?,
            organisation_name: head.organisation_name,
            edition: id(&head.edition_id)?,
            year: i32::try_from(head.year).map_err(AppError::internal)?,
            municipality: id(&head.municipality_id)?,
            municipality_name: head.municipality_name,
            title: head.title,
            foreword: head.foreword,
            colophon_extra: head.colophon_extra,
            funder_line: head.funder_line,
        },
        stories,
        answers,
        editorial,
        pull_quotes,
        photos,
        chapters,
        students,
    })
}
