//! Booklet selections (which approved stories, in which order) and builds
//! (a queued/running/done PDF of a selection, and its publication).
//!
//! Builds form a job queue in the database, so any server instance can claim
//! the next one: PostgreSQL uses `FOR UPDATE SKIP LOCKED`; SQLite has one
//! instance and a single writer, where a compare-and-set suffices.

use super::{id, now, opt_ts, ts, Backend, Db};
use crate::booklet::{
    alt_or_fallback, photo_path, printed_name, BookletDocument, BookletPhoto, BookletStory,
    Chapter, Colophon, PhotoAsset, Section,
};
use crate::domain::access::{BuildScope, Publication};
use crate::domain::consent::{ConsentScope, ConsentScopes};
use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{BuildOutputKind, BuildOutputView, BuildStatus, BuildView};
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

/// What a build needs besides the document.
#[derive(Debug, Clone)]
pub struct SelectionInfo {
    /// The selection.
    pub id: SelectionId,
    /// Organisation.
    pub organisation: OrganisationId,
    /// Edition.
    pub edition: EditionId,
    /// Municipality.
    pub municipality: MunicipalityId,
    /// The photos the document names, in print order, with where their
    /// bytes are.
    pub photos: Vec<PhotoAsset>,
}

/// Assembles the booklet document of a selection from the stored stories:
/// chapters per neighbourhood and stories within them in the order the
/// researcher set (see [`crate::domain::curation::arrange`]), only non-empty answers. Stories whose consent
/// no longer includes the booklet, or that were withdrawn, are left out
/// (the caller double-checks with the domain rules). The resident's name is
/// the pseudonym, or the first name with the `real_first_name` scope; photos
/// come along only with the `photos` scope (see [`story_extras`]). Returns the
/// document and the ids of the stories in it.
pub async fn assemble(
    conn: &mut AnyConnection,
    selection: SelectionId,
) -> Result<(SelectionInfo, BookletDocument, Vec<StoryId>), AppError> {
    let head: SelectionRow = sqlx::query_as(
        "SELECT bs.edition_id, bs.municipality_id, bs.title, bs.foreword, bs.colophon_extra, bs.funder_line,
                e.organisation_id, o.name AS organisation_name, e.year, m.name AS municipality_name
           FROM booklet_selection bs
           JOIN edition e ON e.id = bs.edition_id
           JOIN organisation o ON o.id = e.organisation_id
           JOIN municipality m ON m.id = bs.municipality_id
          WHERE bs.id = $1",
    )
    .bind(selection.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<SelectedStoryRow> = sqlx::query_as(
        "SELECT s.id, s.title, r.pseudonym, n.name AS neighbourhood, n.cbs_code, n.id AS neighbourhood_id
           FROM booklet_story b
           JOIN story s ON s.id = b.story_id
           JOIN resident r ON r.id = s.resident_id
           JOIN neighbourhood n ON n.id = s.neighbourhood_id
           JOIN consent c ON c.id = s.consent_id
          WHERE b.selection_id = $1
            AND s.status IN ('selected', 'published')
            AND c.withdrawn_at IS NULL
          ORDER BY b.position",
    )
    .bind(selection.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut chapters: Vec<(String, Chapter)> = Vec::new();
    let mut story_ids = Vec::new();
    // Photo assets in assembly order; their final paths are given below.
    let mut pending: Vec<PhotoAsset> = Vec::new();
    for row in rows {
        let SelectedStoryRow {
            id: sid,
            title: story_title,
            pseudonym,
            neighbourhood,
            cbs_code,
            neighbourhood_id: nid,
        } = row;
        let story: StoryId = id(&sid)?;
        let Some(extras) = story_extras(conn, &sid, pending.len()).await? else {
            continue;
        };
        let sections: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT q.id, q.text, a.body FROM story_answer a JOIN guide_question q ON q.id = a.question_id
              WHERE a.story_id = $1 ORDER BY q.position",
        )
        .bind(&sid)
        .fetch_all(&mut *conn)
        .await?;
        // The latest editorial version, when there is one, is what the
        // booklet prints; else the story's own (the students') text.
        let editorial = super::stories::latest_revision(conn, story, Some("editorial")).await?;
        let (story_title, lead) = match &editorial {
            Some((_, e)) => (e.title.clone(), Some(e.lead.clone())),
            None => (story_title, None),
        };
        let entry = BookletStory {
            story_id: Some(story),
            title: story_title,
            resident: extras.name.unwrap_or(pseudonym),
            neighbourhood: neighbourhood.clone(),
            pull_quote: super::curation::pull_quote(conn, story).await?,
            lead: lead.filter(|l| !l.trim().is_empty()),
            photos: extras.photos,
            sections: sections
                .into_iter()
                .map(|(qid, question, answer)| {
                    let answer = editorial
                        .as_ref()
                        .and_then(|(_, e)| {
                            e.answers
                                .iter()
                                .find(|(q, _)| q.to_string() == qid)
                                .map(|(_, a)| a.clone())
                        })
                        .unwrap_or(answer);
                    Section { question, answer }
                })
                .filter(|s| !s.answer.trim().is_empty())
                .collect(),
        };
        pending.extend(extras.assets);
        story_ids.push(story);
        match chapters.iter_mut().find(|(n, _)| *n == nid) {
            Some((_, ch)) => ch.stories.push(entry),
            None => chapters.push((
                nid,
                Chapter {
                    neighbourhood,
                    cbs_code,
                    intro: None,
                    stories: vec![entry],
                },
            )),
        }
    }
    // Chapter order as the researcher set it (see `domain::curation`).
    let order: Vec<String> = arranged(conn, selection)
        .await?
        .into_iter()
        .map(|(n, _)| n.to_string())
        .collect();
    chapters.sort_by_key(|(nid, _)| order.iter().position(|o| o == nid));
    for row in self::chapters(conn, selection).await? {
        let nid = row.neighbourhood.to_string();
        if let Some((_, ch)) = chapters.iter_mut().find(|(n, _)| *n == nid) {
            ch.intro = Some(row.intro).filter(|i| !i.trim().is_empty());
        }
    }
    let students = colophon_students(conn, selection).await?;
    let mut chapters: Vec<Chapter> = chapters.into_iter().map(|(_, c)| c).collect();
    let photos = number_photos(&mut chapters, pending);
    let cover_photo = chapters
        .iter()
        .flat_map(|c| &c.stories)
        .find_map(|s| s.photos.first().cloned());
    let year = i32::try_from(head.year).map_err(AppError::internal)?;
    let doc = BookletDocument {
        title: head.title,
        subtitle: Some(format!(
            "Verhalen uit de wijken van {}",
            head.municipality_name
        )),
        organisation: head.organisation_name.clone(),
        municipality: head.municipality_name,
        year,
        language: "nl".into(),
        foreword: Some(head.foreword).filter(|f| !f.trim().is_empty()),
        foreword_signature: None,
        chapters,
        cover_photo,
        colophon: Colophon {
            students,
            organisation: head.organisation_name,
            funder_line: Some(head.funder_line).filter(|f| !f.trim().is_empty()),
            year,
            extra: Some(head.colophon_extra).filter(|c| !c.trim().is_empty()),
        },
    };
    Ok((
        SelectionInfo {
            id: selection,
            organisation: id(&head.organisation_id)?,
            edition: id(&head.edition_id)?,
            municipality: id(&head.municipality_id)?,
            photos,
        },
        doc,
        story_ids,
    ))
}

/// What a story brings besides its text.
struct StoryExtras {
    /// The first name to print instead of the pseudonym, if allowed.
    name: Option<String>,
    /// Its photos, with provisional paths (`pending/<n>`).
    photos: Vec<BookletPhoto>,
    /// Where their bytes are, in the same order.
    assets: Vec<PhotoAsset>,
}

/// The resident's printed name and the photos of one story, following the
/// consent as it is now: `None` when the consent no longer includes the
/// booklet. Photos get provisional paths counted from `first`.
async fn story_extras(
    conn: &mut AnyConnection,
    story: &str,
    first: usize,
) -> Result<Option<StoryExtras>, AppError> {
    let (pseudonym, first_name, scopes): (String, Option<String>, String) = sqlx::query_as(
        "SELECT r.pseudonym, r.first_name, c.scopes FROM story s
           JOIN resident r ON r.id = s.resident_id JOIN consent c ON c.id = s.consent_id
          WHERE s.id = $1",
    )
    .bind(story)
    .fetch_one(&mut *conn)
    .await?;
    let scopes = ConsentScopes::from_db(&scopes);
    if !scopes.contains(ConsentScope::Booklet) {
        return Ok(None);
    }
    let name = printed_name(
        &pseudonym,
        first_name.as_deref(),
        scopes.contains(ConsentScope::RealFirstName),
    );
    let mut extras = StoryExtras {
        name: (name != pseudonym).then_some(name),
        photos: Vec::new(),
        assets: Vec::new(),
    };
    if !scopes.contains(ConsentScope::Photos) {
        return Ok(Some(extras));
    }
    let rows: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT object_key, content_hash, caption, alt_text FROM media
          WHERE story_id = $1 AND kind = 'photo' AND status = 'ready' AND deleted_at IS NULL
            AND object_key IS NOT NULL
          ORDER BY created_at, id",
    )
    .bind(story)
    .fetch_all(&mut *conn)
    .await?;
    for (object_key, hash, caption, alt) in rows {
        let path = format!("pending/{}", first + extras.assets.len());
        extras.photos.push(BookletPhoto {
            path: path.clone(),
            caption: caption.trim().to_string(),
            alt: alt_or_fallback(&alt),
        });
        extras.assets.push(PhotoAsset {
            path,
            content_hash: hash.unwrap_or_else(|| object_key.clone()),
            object_key,
        });
    }
    Ok(Some(extras))
}

/// Gives every photo its final virtual path, numbered from 1 in print order
/// (chapters may print in another order than the stories were assembled),
/// and returns the assets in that order.
fn number_photos(chapters: &mut [Chapter], pending: Vec<PhotoAsset>) -> Vec<PhotoAsset> {
    let mut out = Vec::with_capacity(pending.len());
    for photo in chapters
        .iter_mut()
        .flat_map(|c| c.stories.iter_mut())
        .flat_map(|s| s.photos.iter_mut())
    {
        let asset = photo
            .path
            .strip_prefix("pending/")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| pending.get(i));
        if let Some(asset) = asset {
            let path = photo_path(out.len() + 1);
            out.push(PhotoAsset {
                path: path.clone(),
                ..asset.clone()
            });
            photo.path = path;
        }
    }
    out
}

#[derive(sqlx::FromRow)]
struct SelectionRow {
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
struct SelectedStoryRow {
    id: String,
    title: String,
    pseudonym: String,
    neighbourhood: String,
    cbs_code: Option<String>,
    neighbourhood_id: String,
}

/// A finished build of this selection with the same input, if one exists.
pub async fn reusable_build(
    conn: &mut AnyConnection,
    selection: SelectionId,
    input_hash: &str,
) -> Result<Option<BuildId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM booklet_build WHERE selection_id = $1 AND input_hash = $2 AND status IN ('queued', 'running', 'done')
          ORDER BY created_at DESC LIMIT 1",
    )
    .bind(selection.to_string())
    .bind(input_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(b,)| id(&b)).transpose()
}

/// Queues a build.
pub async fn queue_build(
    conn: &mut AnyConnection,
    info: &SelectionInfo,
    input_hash: &str,
    document: &BookletDocument,
    stories: &[StoryId],
    by: UserId,
) -> Result<BuildId, AppError> {
    let bid = BuildId::new();
    sqlx::query(
        "INSERT INTO booklet_build (id, selection_id, organisation_id, edition_id, municipality_id, input_hash,
                                    document, story_ids, status, phase, created_by, created_at, photos)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 'queued', $9, $10, $11)",
    )
    .bind(bid.to_string())
    .bind(info.id.to_string())
    .bind(info.organisation.to_string())
    .bind(info.edition.to_string())
    .bind(info.municipality.to_string())
    .bind(input_hash)
    .bind(serde_json::to_string(document).map_err(AppError::internal)?)
    .bind(serde_json::to_string(stories).map_err(AppError::internal)?)
    .bind(by.to_string())
    .bind(now())
    .bind(serde_json::to_string(&info.photos).map_err(AppError::internal)?)
    .execute(&mut *conn)
    .await?;
    Ok(bid)
}

/// A build claimed by a worker.
#[derive(Debug, Clone)]
pub struct ClaimedBuild {
    /// The build.
    pub id: BuildId,
    /// The document to render.
    pub document: BookletDocument,
    /// The photos it names and where their bytes are.
    pub photos: Vec<PhotoAsset>,
}

/// Claims the oldest queued build for `worker`, if any.
pub async fn claim_next(db: &Db, worker: &str) -> Result<Option<ClaimedBuild>, AppError> {
    let mut tx = db.begin().await?;
    let pick = match db.backend {
        Backend::Postgres => {
            "SELECT id, document, photos FROM booklet_build WHERE status = 'queued'
              ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
        Backend::Sqlite => {
            "SELECT id, document, photos FROM booklet_build WHERE status = 'queued' ORDER BY created_at LIMIT 1"
        }
    };
    let row: Option<(String, String, String)> =
        sqlx::query_as(pick).fetch_optional(&mut *tx).await?;
    let Some((bid, document, photos)) = row else {
        tx.commit().await?;
        return Ok(None);
    };
    let claimed = sqlx::query(
        "UPDATE booklet_build SET status = 'running', phase = 'starting', claimed_by = $2, started_at = $3
          WHERE id = $1 AND status = 'queued'",
    )
    .bind(&bid)
    .bind(worker)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    let document = serde_json::from_str(&document).map_err(AppError::internal)?;
    let photos = serde_json::from_str(&photos).map_err(AppError::internal)?;
    Ok(Some(ClaimedBuild {
        id: id(&bid)?,
        document,
        photos,
    }))
}

/// Records the phase a running build is in.
pub async fn set_phase(db: &Db, build: BuildId, phase: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE booklet_build SET phase = $2 WHERE id = $1")
        .bind(build.to_string())
        .bind(phase)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Marks a build done with its stored PDF and the characters it had to
/// replace.
pub async fn finish(
    db: &Db,
    build: BuildId,
    pdf_key: &str,
    pdf_bytes: i64,
    pages: i64,
    missing_glyphs: &[crate::booklet::MissingGlyph],
) -> Result<(), AppError> {
    let missing = serde_json::to_string(missing_glyphs).map_err(AppError::internal)?;
    sqlx::query(
        "UPDATE booklet_build SET status = 'done', phase = 'done', pdf_key = $2, pdf_bytes = $3, page_count = $4,
                finished_at = $5, missing_glyphs = $6 WHERE id = $1",
    )
    .bind(build.to_string())
    .bind(pdf_key)
    .bind(pdf_bytes)
    .bind(pages)
    .bind(now())
    .bind(missing)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A stored file of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    /// What it is.
    pub kind: BuildOutputKind,
    /// Chapter number, page number, or 0.
    pub ordinal: i64,
    /// Chapter name (chapters), else empty.
    pub label: String,
    /// Object store key.
    pub storage_key: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Pages.
    pub page_count: i64,
}

/// Records a stored file of a build (again: replaces it).
pub async fn add_output(db: &Db, build: BuildId, out: &OutputRecord) -> Result<(), AppError> {
    sqlx::query("DELETE FROM booklet_output WHERE build_id = $1 AND kind = $2 AND ordinal = $3")
        .bind(build.to_string())
        .bind(out.kind.as_str())
        .bind(out.ordinal)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO booklet_output (build_id, kind, ordinal, label, storage_key, bytes, page_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(build.to_string())
    .bind(out.kind.as_str())
    .bind(out.ordinal)
    .bind(&out.label)
    .bind(&out.storage_key)
    .bind(out.bytes)
    .bind(out.page_count)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// One stored file of a build, if it exists.
pub async fn output(
    conn: &mut AnyConnection,
    build: BuildId,
    kind: BuildOutputKind,
    ordinal: i64,
) -> Result<Option<OutputRecord>, AppError> {
    let row: Option<(String, i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT kind, ordinal, label, storage_key, bytes, page_count FROM booklet_output
          WHERE build_id = $1 AND kind = $2 AND ordinal = $3",
    )
    .bind(build.to_string())
    .bind(kind.as_str())
    .bind(ordinal)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(output_record).transpose()
}

fn output_record(
    (kind, ordinal, label, storage_key, bytes, page_count): (String, i64, String, String, i64, i64),
) -> Result<OutputRecord, AppError> {
    Ok(OutputRecord {
        kind: BuildOutputKind::parse(&kind)
            .ok_or_else(|| AppError::internal(format!("unknown output kind {kind}")))?,
        ordinal,
        label,
        storage_key,
        bytes,
        page_count,
    })
}

/// The listed files of a build (print, screen, chapters, in that order)
/// and how many page previews it has.
async fn outputs_of(db: &Db, build: BuildId) -> Result<(Vec<BuildOutputView>, i64), AppError> {
    // Previews are counted, not listed: a long booklet has a thousand.
    let rows: Vec<(String, i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT kind, ordinal, label, storage_key, bytes, page_count FROM booklet_output
          WHERE build_id = $1 AND kind <> 'page' ORDER BY kind, ordinal",
    )
    .bind(build.to_string())
    .fetch_all(&db.pool)
    .await?;
    let (previews,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM booklet_output WHERE build_id = $1 AND kind = 'page'",
    )
    .bind(build.to_string())
    .fetch_one(&db.pool)
    .await?;
    let mut views = Vec::new();
    for row in rows {
        let r = output_record(row)?;
        let (label_nl, label_en) = r.kind.label(r.ordinal, &r.label);
        views.push(BuildOutputView {
            kind: r.kind,
            ordinal: r.ordinal,
            label_nl,
            label_en,
            url: crate::routes::booklet_file(build, r.kind, r.ordinal),
            bytes: r.bytes,
            pages: r.page_count,
        });
    }
    let rank = |k: BuildOutputKind| match k {
        BuildOutputKind::Screen => 0,
        BuildOutputKind::Print => 1,
        _ => 2,
    };
    views.sort_by_key(|v| (rank(v.kind), v.ordinal));
    Ok((views, previews))
}

/// Marks a build failed.
pub async fn fail(db: &Db, build: BuildId, error: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE booklet_build SET status = 'failed', phase = 'failed', error = $2, finished_at = $3 WHERE id = $1")
        .bind(build.to_string())
        .bind(error)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Puts builds that started before `started_before` and are still running
/// (their worker died with its server) back in the queue.
pub async fn requeue_stale(db: &Db, started_before: &str) -> Result<u64, AppError> {
    let r = sqlx::query(
        "UPDATE booklet_build SET status = 'queued', phase = 'queued', claimed_by = NULL
          WHERE status = 'running' AND started_at < $1",
    )
    .bind(started_before)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected())
}

/// What the access rules and the download handler need about a build.
#[derive(Debug, Clone)]
pub struct BuildRecord {
    /// Organisation, municipality, published.
    pub scope: BuildScope,
    /// Status.
    pub status: BuildStatus,
    /// Where the PDF is stored.
    pub pdf_key: Option<String>,
    /// The selection it was built from.
    pub selection: SelectionId,
    /// The edition.
    pub edition: EditionId,
    /// Stories in it.
    pub stories: Vec<StoryId>,
    /// Year (for file names).
    pub year: i64,
    /// Municipality name (for file names).
    pub municipality_name: String,
    /// Whether the edition is public (published files for everyone).
    pub edition_public: bool,
}

/// Loads a build's record.
pub async fn build_record(
    conn: &mut AnyConnection,
    build: BuildId,
) -> Result<Option<BuildRecord>, AppError> {
    let row: Option<BuildRecordRow> = sqlx::query_as(
        "SELECT b.organisation_id, b.municipality_id, b.status, b.pdf_key, b.published_at, b.superseded_by,
                b.selection_id, b.edition_id, b.story_ids, e.year, m.name AS municipality_name, e.is_public
           FROM booklet_build b JOIN edition e ON e.id = b.edition_id JOIN municipality m ON m.id = b.municipality_id
          WHERE b.id = $1",
    )
    .bind(build.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let edition: EditionId = id(&r.edition_id)?;
    let stories: Vec<StoryId> = serde_json::from_str(&r.story_ids).map_err(AppError::internal)?;
    let withdrawn = withdrawn_in(&mut *conn, edition).await?;
    Ok(Some(BuildRecord {
        scope: BuildScope {
            organisation: id(&r.organisation_id)?,
            municipality: id(&r.municipality_id)?,
            publication: publication(r.published_at.as_deref(), r.superseded_by.as_deref()),
            withdrawn_stories: stories.iter().filter(|s| withdrawn.contains(s)).count(),
        },
        status: BuildStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal(format!("unknown build status {}", r.status)))?,
        pdf_key: r.pdf_key,
        selection: id(&r.selection_id)?,
        edition,
        stories,
        year: r.year,
        municipality_name: r.municipality_name,
        edition_public: r.is_public != 0,
    }))
}

#[derive(sqlx::FromRow)]
struct BuildRecordRow {
    organisation_id: String,
    municipality_id: String,
    status: String,
    pdf_key: Option<String>,
    published_at: Option<String>,
    superseded_by: Option<String>,
    selection_id: String,
    edition_id: String,
    story_ids: String,
    year: i64,
    municipality_name: String,
    is_public: i64,
}

/// Where a build stands, from its `published_at` and `superseded_by`.
fn publication(published_at: Option<&str>, superseded_by: Option<&str>) -> Publication {
    match (published_at, superseded_by) {
        (None, _) => Publication::Unpublished,
        (Some(_), None) => Publication::Current,
        (Some(_), Some(_)) => Publication::Superseded,
    }
}

/// The stories of `edition` whose resident withdrew: taken back by the
/// lifecycle, or whose consent is marked withdrawn. A build that holds one of
/// them is kept from everyone but the researchers.
pub async fn withdrawn_in(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<std::collections::BTreeSet<StoryId>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT s.id FROM story s LEFT JOIN consent c ON c.id = s.consent_id
          WHERE s.edition_id = $1 AND (s.status = 'withdrawn' OR c.withdrawn_at IS NOT NULL)",
    )
    .bind(edition.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|(s,)| id(s)).collect()
}

/// Marks `build` published and the selection's earlier published build as
/// superseded by it.
pub async fn publish(
    conn: &mut AnyConnection,
    build: BuildId,
    selection: SelectionId,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE booklet_build SET superseded_by = $1
          WHERE selection_id = $2 AND published_at IS NOT NULL AND superseded_by IS NULL AND id <> $1",
    )
    .bind(build.to_string())
    .bind(selection.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE booklet_build SET published_at = $2, published_by = $3 WHERE id = $1")
        .bind(build.to_string())
        .bind(now())
        .bind(by.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Which builds to list.
#[derive(Debug, Clone, Copy)]
pub enum BuildFilter {
    /// All builds of a selection (researchers).
    Selection(SelectionId),
    /// The publication in force of a municipality, unless it holds a
    /// withdrawn story (municipality staff, admins, the public).
    PublishedFor(OrganisationId, MunicipalityId),
    /// Every publication of a municipality, earlier ones and those holding
    /// a withdrawn story included (the organisation's researchers).
    AllPublishedFor(OrganisationId, MunicipalityId),
}

/// Lists builds, newest first.
pub async fn list_builds(db: &Db, filter: BuildFilter) -> Result<Vec<BuildView>, AppError> {
    let (clause, a, b) = match filter {
        BuildFilter::Selection(s) => (
            "b.selection_id = $1 AND $2 = $2",
            s.to_string(),
            String::new(),
        ),
        BuildFilter::PublishedFor(o, m) => (
            "b.organisation_id = $1 AND b.municipality_id = $2 AND b.published_at IS NOT NULL
             AND b.superseded_by IS NULL",
            o.to_string(),
            m.to_string(),
        ),
        BuildFilter::AllPublishedFor(o, m) => (
            "b.organisation_id = $1 AND b.municipality_id = $2 AND b.published_at IS NOT NULL",
            o.to_string(),
            m.to_string(),
        ),
    };
    let sql = format!(
        "SELECT b.id, b.edition_id, e.year, m.name, b.status, b.phase, b.error, b.story_ids, b.page_count, b.pdf_bytes,
                b.created_at, b.finished_at, b.published_at, b.superseded_by, b.missing_glyphs
           FROM booklet_build b JOIN edition e ON e.id = b.edition_id JOIN municipality m ON m.id = b.municipality_id
          WHERE {clause}
          ORDER BY b.created_at DESC"
    );
    let rows: Vec<BuildRow> = sqlx::query_as(&sql)
        .bind(a)
        .bind(b)
        .fetch_all(&db.pool)
        .await?;
    let mut conn = db.pool.acquire().await?;
    let mut withdrawn_by_edition = BTreeMap::new();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let edition: EditionId = id(&row.edition_id)?;
        let withdrawn = match withdrawn_by_edition.entry(edition) {
            std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(withdrawn_in(&mut conn, edition).await?)
            }
        };
        let mut view = row.into_view(withdrawn)?;
        // Outside the research team only the publication in force, and
        // only while none of its residents has withdrawn.
        if matches!(filter, BuildFilter::PublishedFor(..)) && view.withdrawn_stories > 0 {
            continue;
        }
        if view.status == BuildStatus::Done {
            (view.outputs, view.preview_pages) = outputs_of(db, view.id).await?;
        }
        views.push(view);
    }
    Ok(views)
}

#[derive(sqlx::FromRow)]
struct BuildRow {
    id: String,
    edition_id: String,
    year: i64,
    name: String,
    status: String,
    phase: String,
    error: Option<String>,
    story_ids: String,
    page_count: Option<i64>,
    pdf_bytes: Option<i64>,
    created_at: String,
    finished_at: Option<String>,
    published_at: Option<String>,
    superseded_by: Option<String>,
    missing_glyphs: String,
}

impl BuildRow {
    fn into_view(
        self,
        withdrawn: &std::collections::BTreeSet<StoryId>,
    ) -> Result<BuildView, AppError> {
        let bid: BuildId = id(&self.id)?;
        let status = BuildStatus::parse(&self.status)
            .ok_or_else(|| AppError::internal(format!("unknown build status {}", self.status)))?;
        let stories: Vec<StoryId> =
            serde_json::from_str(&self.story_ids).map_err(AppError::internal)?;
        Ok(BuildView {
            id: bid,
            year: self.year,
            municipality: self.name,
            status,
            phase: self.phase,
            error: self.error,
            story_count: stories.len() as i64,
            page_count: self.page_count,
            pdf_bytes: self.pdf_bytes,
            created_at: ts(&self.created_at)?,
            finished_at: opt_ts(self.finished_at.as_deref())?,
            published_at: opt_ts(self.published_at.as_deref())?,
            superseded: self.superseded_by.is_some(),
            withdrawn_stories: stories.iter().filter(|s| withdrawn.contains(s)).count(),
            download_url: (status == BuildStatus::Done).then(|| crate::routes::booklet_pdf(bid)),
            outputs: Vec::new(),
            preview_pages: 0,
            missing_glyphs: serde_json::from_str(&self.missing_glyphs)
                .map_err(AppError::internal)?,
        })
    }
}
