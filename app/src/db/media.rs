//! Media rows: photos, recordings and signatures of stories. The bytes are in
//! the object store; these rows say whose they are and where.

use super::{id, now, opt_id, ts};
use crate::domain::ids::*;
use crate::domain::media::MediaKind;
use crate::error::AppError;
use crate::model::MediaView;
use sqlx::AnyConnection;

/// A medium as the handlers need it.
#[derive(Debug, Clone)]
pub struct MediaRecord {
    /// Its id.
    pub id: MediaId,
    /// The story it belongs to (signatures: the story of the consent).
    pub story: Option<StoryId>,
    /// The resident (signatures).
    pub resident: Option<ResidentId>,
    /// Its kind.
    pub kind: MediaKind,
    /// `recording` while audio chunks arrive, then `ready`.
    pub ready: bool,
    /// Object key of the file (None while recording).
    pub object_key: Option<String>,
    /// Object key of the thumbnail (photos).
    pub thumb_key: Option<String>,
    /// MIME type of the file.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Who added it.
    pub uploaded_by: UserId,
}

/// A new medium.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    /// Its id.
    pub id: MediaId,
    /// The organisation (for audits and exports).
    pub organisation: OrganisationId,
    /// The story.
    pub story: Option<StoryId>,
    /// The resident (signatures).
    pub resident: Option<ResidentId>,
    /// Its kind.
    pub kind: MediaKind,
    /// Ready, or still recording.
    pub ready: bool,
    /// Object key of the file.
    pub object_key: Option<&'a str>,
    /// Object key of the thumbnail.
    pub thumb_key: Option<&'a str>,
    /// SHA-256 of the file, hex.
    pub content_hash: Option<&'a str>,
    /// MIME type.
    pub mime: &'a str,
    /// Size in bytes.
    pub bytes: i64,
    /// Pixel size (photos, signatures).
    pub size: Option<(u32, u32)>,
    /// Caption.
    pub caption: &'a str,
    /// Alt text.
    pub alt_text: &'a str,
    /// Who adds it.
    pub uploaded_by: UserId,
}

/// Stores a new medium row.
pub async fn insert(conn: &mut AnyConnection, m: &NewMedia<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO media (id, organisation_id, story_id, resident_id, kind, status, object_key, thumb_key,
                            content_hash, mime, bytes, width, height, caption, alt_text, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(m.id.to_string())
    .bind(m.organisation.to_string())
    .bind(m.story.map(|s| s.to_string()))
    .bind(m.resident.map(|r| r.to_string()))
    .bind(m.kind.as_str())
    .bind(if m.ready { "ready" } else { "recording" })
    .bind(m.object_key)
    .bind(m.thumb_key)
    .bind(m.content_hash)
    .bind(m.mime)
    .bind(m.bytes)
    .bind(m.size.map(|(w, _)| i64::from(w)))
    .bind(m.size.map(|(_, h)| i64::from(h)))
    .bind(m.caption)
    .bind(m.alt_text)
    .bind(m.uploaded_by.to_string())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    story_id: Option<String>,
    resident_id: Option<String>,
    kind: String,
    status: String,
    object_key: Option<String>,
    thumb_key: Option<String>,
    mime: String,
    bytes: i64,
    uploaded_by: String,
}

/// A medium that was not removed.
pub async fn record(
    conn: &mut AnyConnection,
    media: MediaId,
) -> Result<Option<MediaRecord>, AppError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, story_id, resident_id, kind, status, object_key, thumb_key, mime, bytes, uploaded_by
           FROM media WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(media.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(MediaRecord {
            id: id(&r.id)?,
            story: opt_id(r.story_id.as_deref())?,
            resident: opt_id(r.resident_id.as_deref())?,
            kind: MediaKind::parse(&r.kind)
                .ok_or_else(|| AppError::internal(format!("media kind {}", r.kind)))?,
            ready: r.status == "ready",
            object_key: r.object_key,
            thumb_key: r.thumb_key,
            mime: r.mime,
            bytes: r.bytes,
            uploaded_by: id(&r.uploaded_by)?,
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: String,
    kind: String,
    caption: String,
    alt_text: String,
    width: Option<i64>,
    height: Option<i64>,
    duration_ms: Option<i64>,
    bytes: i64,
    created_at: String,
}

/// The ready photos and recordings of a story, oldest first.
pub async fn of_story(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Vec<MediaView>, AppError> {
    let rows: Vec<ViewRow> = sqlx::query_as(
        "SELECT id, kind, caption, alt_text, width, height, duration_ms, bytes, created_at
           FROM media
          WHERE story_id = $1 AND deleted_at IS NULL AND status = 'ready' AND kind IN ('photo', 'audio')
          ORDER BY created_at, id",
    )
    .bind(story.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(MediaView {
                id: id(&r.id)?,
                kind: MediaKind::parse(&r.kind)
                    .ok_or_else(|| AppError::internal(format!("media kind {}", r.kind)))?,
                caption: r.caption,
                alt_text: r.alt_text,
                width: r.width,
                height: r.height,
                duration_ms: r.duration_ms,
                bytes: r.bytes,
                created_at: ts(&r.created_at)?,
            })
        })
        .collect()
}

/// Marks a medium removed; returns the object keys no other medium still
/// uses (photos are stored by content, so the same photo may be in two
/// stories), for the caller to delete — the chunks of a recording that was
/// never finished included.
pub async fn remove(
    conn: &mut AnyConnection,
    media: &MediaRecord,
) -> Result<Vec<String>, AppError> {
    sqlx::query("UPDATE media SET deleted_at = $2 WHERE id = $1")
        .bind(media.id.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    let mut orphans: Vec<String> = chunks(conn, media.id)
        .await?
        .into_iter()
        .map(|c| c.object_key)
        .collect();
    sqlx::query("DELETE FROM media_chunk WHERE media_id = $1")
        .bind(media.id.to_string())
        .execute(&mut *conn)
        .await?;
    for key in [&media.object_key, &media.thumb_key].into_iter().flatten() {
        let (users,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM media WHERE deleted_at IS NULL AND (object_key = $1 OR thumb_key = $1)",
        )
        .bind(key)
        .fetch_one(&mut *conn)
        .await?;
        if users == 0 {
            orphans.push(key.clone());
        }
    }
    Ok(orphans)
}

/// A stored chunk of a recording that is still being made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRecord {
    /// Its number (from 0).
    pub seq: u32,
    /// Where its bytes are.
    pub object_key: String,
    /// Its size.
    pub bytes: i64,
}

#[derive(sqlx::FromRow)]
struct ChunkRow {
    seq: i64,
    object_key: String,
    bytes: i64,
}

/// Whether chunk `seq` of a recording is stored.
pub async fn chunk_exists(
    conn: &mut AnyConnection,
    media: MediaId,
    seq: u32,
) -> Result<bool, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM media_chunk WHERE media_id = $1 AND seq = $2")
            .bind(media.to_string())
            .bind(i64::from(seq))
            .fetch_one(&mut *conn)
            .await?;
    Ok(n > 0)
}

/// The stored chunks of a recording, in order.
pub async fn chunks(
    conn: &mut AnyConnection,
    media: MediaId,
) -> Result<Vec<ChunkRecord>, AppError> {
    let rows: Vec<ChunkRow> = sqlx::query_as(
        "SELECT seq, object_key, bytes FROM media_chunk WHERE media_id = $1 ORDER BY seq",
    )
    .bind(media.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ChunkRecord {
                seq: u32::try_from(r.seq)
                    .map_err(|_| AppError::internal(format!("chunk number {}", r.seq)))?,
                object_key: r.object_key,
                bytes: r.bytes,
            })
        })
        .collect()
}

/// The bytes of all stored chunks of a recording.
pub async fn chunk_bytes(conn: &mut AnyConnection, media: MediaId) -> Result<i64, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which Any cannot decode.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM media_chunk WHERE media_id = $1",
    )
    .bind(media.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Stores chunk `seq` of a recording, if the recording is still being made
/// and the chunk is not stored yet. Returns whether it was stored (`false`:
/// a repeat, or the recording is finished or removed).
pub async fn insert_chunk(
    conn: &mut AnyConnection,
    media: MediaId,
    chunk: &ChunkRecord,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO media_chunk (media_id, seq, object_key, bytes, created_at)
         SELECT $1, $2, $3, $4, $5
          WHERE EXISTS (SELECT 1 FROM media WHERE id = $1 AND status = 'recording' AND deleted_at IS NULL)
         ON CONFLICT (media_id, seq) DO NOTHING",
    )
    .bind(media.to_string())
    .bind(i64::from(chunk.seq))
    .bind(&chunk.object_key)
    .bind(chunk.bytes)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The finished file of a recording.
#[derive(Debug, Clone)]
pub struct FinishedRecording<'a> {
    /// Where the joined file is.
    pub object_key: &'a str,
    /// SHA-256 of the file, hex.
    pub content_hash: &'a str,
    /// Its size.
    pub bytes: i64,
    /// Its length in milliseconds.
    pub duration_ms: i64,
}

/// Marks a recording ready with its joined file and forgets its chunks
/// (the caller deletes their objects). Returns `false` when the recording
/// was not being made any more (finished by an earlier request, or removed).
pub async fn finish_recording(
    conn: &mut AnyConnection,
    media: MediaId,
    file: &FinishedRecording<'_>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE media SET status = 'ready', object_key = $2, content_hash = $3, bytes = $4, duration_ms = $5
          WHERE id = $1 AND status = 'recording' AND deleted_at IS NULL",
    )
    .bind(media.to_string())
    .bind(file.object_key)
    .bind(file.content_hash)
    .bind(file.bytes)
    .bind(file.duration_ms)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM media_chunk WHERE media_id = $1")
        .bind(media.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(true)
}
