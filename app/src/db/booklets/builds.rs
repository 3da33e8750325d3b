//! Booklet builds: a queued/running/done set of files of a selection, and
//! its publication.
//!
//! Builds form a job queue in the database, so any server instance can claim
//! the next one: PostgreSQL uses `FOR UPDATE SKIP LOCKED`; SQLite has one
//! instance and a single writer, where a compare-and-set suffices.

use super::super::{id, now, opt_ts, ts, Backend, Db};
use crate::booklet::{BookletDocument, PhotoAsset};
use crate::domain::access::{BuildScope, Publication};
use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{BuildOutputKind, BuildOutputView, BuildStatus, BuildView};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

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
