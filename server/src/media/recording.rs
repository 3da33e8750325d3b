//! The audio recording of an interview, over HTTP (see
//! `app::domain::recording` for the idea).
//!
//! * `POST /bestanden/verhalen/{story}/opnames` starts a recording: the
//!   caller must be allowed to add audio to the story (an editable story of
//!   their group whose resident consented to a recording). The browser may
//!   bring its own id, so it can start recording while offline and announce
//!   the recording later; the same id again gets the same answer.
//! * `PUT /bestanden/media/{id}/stukken/{seq}` stores one chunk (the raw
//!   body, under a byte cap). Only the person who started the recording may
//!   add to it, and only while it is being made. A chunk the server has
//!   already is acknowledged without being read again: a browser that lost
//!   the answer simply sends it once more.
//! * `POST /bestanden/media/{id}/klaar` ends it: every chunk `0..n` must be
//!   there (else `409` saying which are missing); they are joined, in order,
//!   into one object (timeslice chunks of one `MediaRecorder` recording join
//!   into a valid file), the chunk objects are deleted and the medium is
//!   marked ready. Finishing twice returns the same medium.
//!
//! As with photos, permission comes before a single byte of a body is read.
//! Objects live under `audio/<media id>/`. Every step is in the audit log.
//! All answers are JSON (an [`AppError`] on refusal): recording needs the
//! hydrated page anyway.

use super::audio::{sniff_audio, webm_with_duration};
use super::http::{check_add, may_add};
use crate::refusal::Refusal;
use crate::state::current_actor;
use crate::state::AppState;
use app::db::media::{self as store, ChunkRecord, FinishedRecording, MediaRecord, NewMedia};
use app::domain::access::Actor;
use app::domain::ids::{MediaId, StoryId};
use app::domain::media::MediaKind;
use app::domain::recording::{
    audio_extension, audio_mime, missing_chunks, missing_message, RecordingLimits,
};
use app::domain::Message;
use app::error::AppError;
use app::model::{ChunkReceipt, MediaView, RecordingFinish, RecordingStart, RecordingStarted};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use object_store::path::Path as ObjectPath;
use object_store::WriteMultipart;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

/// Largest JSON body of the start and finish calls.
const JSON_MAX: usize = 16 * 1024;

fn answer<T: serde::Serialize>(result: Result<(StatusCode, T), Refusal>) -> Response {
    match result {
        Ok((status, body)) => (status, axum::Json(body)).into_response(),
        Err(refusal) => refusal.json(),
    }
}

fn too_large(message: Message) -> Refusal {
    Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, AppError::invalid(message))
}

fn chunk_too_large(limits: &RecordingLimits) -> Refusal {
    too_large(Message::new(
        format!(
            "Dit stuk van de opname is te groot (meer dan {} MB).",
            limits.chunk_max_bytes / (1024 * 1024)
        ),
        format!(
            "This part of the recording is too large (over {} MB).",
            limits.chunk_max_bytes / (1024 * 1024)
        ),
    ))
}

fn interrupted() -> Refusal {
    AppError::invalid(Message::new(
        "De verbinding viel weg tijdens het versturen. Het wordt opnieuw geprobeerd.",
        "The connection dropped while sending. It will be tried again.",
    ))
    .into()
}

/// Reads a body of at most `max` bytes; `too_big` when it is larger. The
/// cap is counted as the bytes arrive: a long body is refused at the cap.
async fn read_capped(
    mut body: Body,
    headers: &HeaderMap,
    max: u64,
    too_big: impl Fn() -> Refusal,
) -> Result<Bytes, Refusal> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(max) as usize);
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame.map_err(|e| {
            tracing::info!("recording body: {e}");
            interrupted()
        })?;
        if let Ok(data) = frame.into_data() {
            if (bytes.len() + data.len()) as u64 > max {
                return Err(too_big());
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes.into())
}

async fn read_json<T: serde::de::DeserializeOwned>(
    body: Body,
    headers: &HeaderMap,
) -> Result<T, Refusal> {
    let bytes = read_capped(body, headers, JSON_MAX as u64, || {
        too_large(Message::new("Te veel gegevens.", "Too much data."))
    })
    .await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        tracing::info!("recording request: {e}");
        AppError::invalid(Message::new(
            "Onleesbaar verzoek voor de opname.",
            "Unreadable recording request.",
        ))
        .into()
    })
}

/// `POST /bestanden/verhalen/{story}/opnames`: starts a recording.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    Path(story): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(start_inner(&state, &session, &story, &headers, body).await)
}

async fn start_inner(
    state: &AppState,
    session: &Session,
    story: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<(StatusCode, RecordingStarted), Refusal> {
    let story = StoryId::parse(story).ok_or_else(AppError::not_found)?;
    let actor = current_actor(&state.server.db, session).await?;
    // Permission first: nothing of the body is read for a refused start.
    may_add(state, &actor, story, MediaKind::Audio).await?;
    let request: RecordingStart = read_json(body, headers).await?;
    let mime = audio_mime(&request.mime).ok_or_else(|| {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::invalid(Message::new(
                "Deze browser neemt op in een formaat dat Wijkverhalen niet kan bewaren. Probeer Chrome, Firefox of Safari.",
                "This browser records in a format Wijkverhalen cannot keep. Try Chrome, Firefox or Safari.",
            )),
        )
    })?;
    let id = request.id.unwrap_or_default();
    // The same start again (the answer got lost): the same answer.
    if let Some(again) = existing_start(state, &actor, story, id).await? {
        return Ok((StatusCode::OK, again));
    }
    let db = &state.server.db;
    let inserted = async {
        let mut tx = db.begin().await?;
        let rec = app::db::stories::record(&mut tx, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        check_add(&actor, &rec, MediaKind::Audio)?;
        store::insert(
            &mut tx,
            &NewMedia {
                id,
                organisation: rec.scope.organisation,
                story: Some(story),
                resident: Some(rec.resident),
                kind: MediaKind::Audio,
                ready: false,
                object_key: None,
                thumb_key: None,
                content_hash: None,
                mime,
                bytes: 0,
                size: None,
                caption: "",
                alt_text: "",
                uploaded_by: actor.user,
            },
        )
        .await?;
        app::db::audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "media.record.start",
            "media",
            &id.to_string(),
            serde_json::json!({ "story": story, "kind": "audio", "mime": mime }),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    match inserted {
        Ok(()) => Ok((
            StatusCode::CREATED,
            RecordingStarted {
                id,
                mime: mime.to_string(),
            },
        )),
        // Two starts of the same id at once: the other one won.
        Err(e) => match existing_start(state, &actor, story, id).await? {
            Some(again) => Ok((StatusCode::OK, again)),
            None => Err(e.into()),
        },
    }
}

/// A recording with this id, if it is this user's recording of this story;
/// an error if the id is taken by anything else.
async fn existing_start(
    state: &AppState,
    actor: &Actor,
    story: StoryId,
    id: MediaId,
) -> Result<Option<RecordingStarted>, AppError> {
    let mut conn = state.server.db.pool.acquire().await?;
    let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM media WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    match store::record(&mut conn, id).await? {
        Some(m)
            if m.kind == MediaKind::Audio
                && m.uploaded_by == actor.user
                && m.story == Some(story) =>
        {
            Ok(Some(RecordingStarted { id, mime: m.mime }))
        }
        _ => Err(AppError::Conflict {
            message: Message::new(
                "Deze opname bestaat al. Start een nieuwe opname.",
                "This recording exists already. Start a new recording.",
            ),
            current_version: None,
        }),
    }
}

/// The recording `id` if `actor` made it: anyone else gets "not found"
/// (whose recordings exist is nobody else's business). Also the story.
async fn own_recording(
    state: &AppState,
    actor: &Actor,
    id: MediaId,
) -> Result<(MediaRecord, app::db::stories::StoryRecord), AppError> {
    let mut conn = state.server.db.pool.acquire().await?;
    let media = store::record(&mut conn, id)
        .await?
        .filter(|m| m.kind == MediaKind::Audio && m.uploaded_by == actor.user)
        .ok_or_else(AppError::not_found)?;
    let story = media.story.ok_or_else(AppError::not_found)?;
    let rec = app::db::stories::record(&mut conn, story)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((media, rec))
}

fn finished_already() -> AppError {
    AppError::Conflict {
        message: Message::new(
            "Deze opname is al afgerond; er kan niets meer bij.",
            "This recording has been finished; nothing can be added.",
        ),
        current_version: None,
    }
}

/// `PUT /bestanden/media/{id}/stukken/{seq}`: stores one chunk.
pub async fn chunk(
    State(state): State<AppState>,
    session: Session,
    Path((id, seq)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(chunk_inner(&state, &session, &id, &seq, &headers, body).await)
}

async fn chunk_inner(
    state: &AppState,
    session: &Session,
    id: &str,
    seq: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<(StatusCode, ChunkReceipt), Refusal> {
    let limits = RecordingLimits::default();
    let id = MediaId::parse(id).ok_or_else(AppError::not_found)?;
    let seq: u32 = seq.parse().map_err(|_| AppError::not_found())?;
    let actor = current_actor(&state.server.db, session).await?;
    let (media, rec) = own_recording(state, &actor, id).await?;
    if media.ready {
        return Err(finished_already().into());
    }
    check_add(&actor, &rec, MediaKind::Audio)?;
    if seq >= limits.max_chunks {
        return Err(too_large(Message::new(
            "De opname is te lang geworden. Stop de opname en start zo nodig een nieuwe.",
            "The recording has become too long. Stop it and start a new one if needed.",
        )));
    }
    let db = &state.server.db;
    {
        let mut conn = db.pool.acquire().await?;
        if store::chunk_exists(&mut conn, id, seq).await? {
            return Ok((
                StatusCode::OK,
                ChunkReceipt {
                    seq,
                    duplicate: true,
                },
            ));
        }
    }
    let bytes = read_capped(body, headers, limits.chunk_max_bytes, || {
        chunk_too_large(&limits)
    })
    .await?;
    if bytes.is_empty() {
        return Err(AppError::invalid(Message::new(
            "Dit stuk van de opname is leeg.",
            "This part of the recording is empty.",
        ))
        .into());
    }
    // The first chunk starts the file: it must be what the recording claims.
    if seq == 0 && sniff_audio(&bytes) != Some(media.mime.as_str()) {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::invalid(Message::new(
                "Dit is geen geluidsopname in het verwachte formaat.",
                "This is not an audio recording in the expected format.",
            )),
        ));
    }
    {
        let mut conn = db.pool.acquire().await?;
        let stored = store::chunk_bytes(&mut conn, id).await?;
        if (stored as u64).saturating_add(bytes.len() as u64) > limits.total_max_bytes {
            return Err(too_large(Message::new(
                format!(
                    "De opname is te groot geworden (meer dan {} MB). Stop de opname en start zo nodig een nieuwe.",
                    limits.total_max_bytes / (1024 * 1024)
                ),
                format!(
                    "The recording has become too large (over {} MB). Stop it and start a new one if needed.",
                    limits.total_max_bytes / (1024 * 1024)
                ),
            )));
        }
    }
    // Each upload writes its own object; if the same chunk raced in on
    // another connection, the loser's object is deleted again below.
    let key = format!(
        "audio/{id}/stukken/{seq:06}-{}.part",
        uuid::Uuid::new_v4().simple()
    );
    let path = ObjectPath::from(key.as_str());
    let len = bytes.len() as i64;
    state
        .objects
        .put(&path, bytes.into())
        .await
        .map_err(AppError::internal)?;
    let stored = async {
        let mut tx = db.begin().await?;
        let stored = store::insert_chunk(
            &mut tx,
            id,
            &ChunkRecord {
                seq,
                object_key: key.clone(),
                bytes: len,
            },
        )
        .await?;
        if stored {
            app::db::audit(
                &mut *tx,
                Some(rec.scope.organisation),
                Some(actor.user),
                "media.record.chunk",
                "media",
                &id.to_string(),
                serde_json::json!({ "seq": seq, "bytes": len }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok::<_, AppError>(stored)
    }
    .await;
    if !matches!(stored, Ok(true)) {
        if let Err(e) = state.objects.delete(&path).await {
            tracing::warn!("removing {key}: {e}");
        }
    }
    if stored? {
        return Ok((
            StatusCode::CREATED,
            ChunkReceipt {
                seq,
                duplicate: false,
            },
        ));
    }
    // Not stored: another upload of this chunk won, or the recording was
    // finished or removed meanwhile.
    let mut conn = db.pool.acquire().await?;
    if store::chunk_exists(&mut conn, id, seq).await? {
        Ok((
            StatusCode::OK,
            ChunkReceipt {
                seq,
                duplicate: true,
            },
        ))
    } else {
        Err(finished_already().into())
    }
}

/// `POST /bestanden/media/{id}/klaar`: ends a recording.
pub async fn finish(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(finish_inner(&state, &session, &id, &headers, body).await)
}

async fn view_of(state: &AppState, media: &MediaRecord) -> Result<MediaView, AppError> {
    let story = media.story.ok_or_else(AppError::not_found)?;
    let mut conn = state.server.db.pool.acquire().await?;
    store::of_story(&mut conn, story)
        .await?
        .into_iter()
        .find(|m| m.id == media.id)
        .ok_or_else(AppError::not_found)
}

async fn finish_inner(
    state: &AppState,
    session: &Session,
    id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<(StatusCode, MediaView), Refusal> {
    let limits = RecordingLimits::default();
    let id = MediaId::parse(id).ok_or_else(AppError::not_found)?;
    let actor = current_actor(&state.server.db, session).await?;
    let (media, rec) = own_recording(state, &actor, id).await?;
    if media.ready {
        // Finished by an earlier request whose answer got lost.
        return Ok((StatusCode::OK, view_of(state, &media).await?));
    }
    check_add(&actor, &rec, MediaKind::Audio)?;
    let request: RecordingFinish = read_json(body, headers).await?;
    if request.chunks == 0 {
        return Err(AppError::invalid(Message::new(
            "De opname is leeg: er is niets opgenomen.",
            "The recording is empty: nothing was recorded.",
        ))
        .into());
    }
    if request.chunks > limits.max_chunks {
        return Err(AppError::invalid(Message::new(
            "De opname heeft meer stukken dan mogelijk is.",
            "The recording has more parts than possible.",
        ))
        .into());
    }
    let duration_ms = request.duration_ms.min(limits.max_duration_ms);
    let db = &state.server.db;
    let chunks = {
        let mut conn = db.pool.acquire().await?;
        store::chunks(&mut conn, id).await?
    };
    let present: Vec<u32> = chunks.iter().map(|c| c.seq).collect();
    let missing = missing_chunks(&present, request.chunks);
    if !missing.is_empty() {
        return Err(AppError::Conflict {
            message: missing_message(&missing),
            current_version: None,
        }
        .into());
    }
    if chunks.iter().any(|c| c.seq >= request.chunks) {
        tracing::warn!(
            "recording {id}: chunks beyond the {} announced are dropped",
            request.chunks
        );
    }

    // Join the chunks, in order, into one object (streamed: a recording may
    // be far larger than what should be held in memory).
    let key = format!("audio/{id}/opname.{}", audio_extension(&media.mime));
    let path = ObjectPath::from(key.as_str());
    let upload = state
        .objects
        .put_multipart(&path)
        .await
        .map_err(AppError::internal)?;
    let mut writer = WriteMultipart::new(upload);
    let mut hasher = Sha256::new();
    let mut total: u64 = 0;
    let joined = async {
        for c in chunks.iter().filter(|c| c.seq < request.chunks) {
            let mut bytes = state
                .objects
                .get(&ObjectPath::from(c.object_key.as_str()))
                .await?
                .bytes()
                .await?
                .to_vec();
            if c.seq == 0 && media.mime == "audio/webm" {
                if let Some(fixed) = webm_with_duration(&bytes, duration_ms) {
                    bytes = fixed;
                }
            }
            hasher.update(&bytes);
            total += bytes.len() as u64;
            writer.wait_for_capacity(4).await?;
            writer.write(&bytes);
        }
        Ok::<_, object_store::Error>(())
    }
    .await;
    if let Err(e) = joined {
        let _ = writer.abort().await;
        return Err(AppError::internal(format!("joining recording {id}: {e}")).into());
    }
    writer.finish().await.map_err(AppError::internal)?;
    let hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();

    let mut tx = db.begin().await?;
    let done = store::finish_recording(
        &mut tx,
        id,
        &FinishedRecording {
            object_key: &key,
            content_hash: &hash,
            bytes: total as i64,
            duration_ms: duration_ms as i64,
        },
    )
    .await?;
    if done {
        app::db::audit(
            &mut *tx,
            Some(rec.scope.organisation),
            Some(actor.user),
            "media.record.finish",
            "media",
            &id.to_string(),
            serde_json::json!({
                "story": media.story, "kind": "audio", "chunks": request.chunks,
                "bytes": total, "duration_ms": duration_ms,
            }),
        )
        .await?;
    }
    tx.commit().await?;
    if done {
        for c in &chunks {
            if let Err(e) = state
                .objects
                .delete(&ObjectPath::from(c.object_key.as_str()))
                .await
            {
                tracing::warn!("removing {}: {e}", c.object_key);
            }
        }
    }
    // `done == false`: another request finished it at the same time (with the
    // same chunks, into the same object), or it was removed (then not found).
    let now = {
        let mut conn = db.pool.acquire().await?;
        store::record(&mut conn, id).await?
    };
    let Some(media) = now.filter(|m| m.ready) else {
        if let Err(e) = state.objects.delete(&path).await {
            tracing::warn!("removing {key}: {e}");
        }
        return Err(AppError::not_found().into());
    };
    Ok((StatusCode::OK, view_of(state, &media).await?))
}
