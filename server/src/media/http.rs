//! The HTTP side of media: photo uploads and access-checked downloads.
//!
//! Uploads are multipart form posts (the tablet's camera or file picker). The
//! order of work is chosen so that refusing costs little:
//!
//! 1. who is calling, and may they add a photo to this story (an editable
//!    story of their group whose resident consented to photos)? — before a
//!    single byte of the body is read;
//! 2. the file part is read chunk by chunk and refused (413) as soon as it
//!    passes [`PhotoLimits::max_bytes`]: multipart bodies are not bounded by
//!    axum's default body limit, so the cap is enforced here;
//! 3. caption and alt text are parsed ([`Caption`], [`AltText`]);
//! 4. the bytes go through [`process_photo`] on a blocking thread (sniffing,
//!    bomb check, orientation, metadata stripped, resized);
//! 5. the two JPEGs are stored by content hash in the object store and the
//!    row is written (permission checked again inside the transaction).
//!
//! Clients that ask for JSON (`Accept: application/json`, the hydrated page)
//! get `201` with a [`MediaView`] or an [`AppError`] with its status; a plain
//! form post (no JavaScript) is redirected back to the interview, or shown a
//! short page with the message.

use super::photo::{process_photo, PhotoError, PhotoLimits};
use super::range::{parse_range, ByteRange};
use crate::refusal::Refusal;
use crate::state::current_actor;
use crate::state::AppState;
use app::db::media::{self as store, NewMedia};
use app::domain::ids::{MediaId, StoryId};
use app::domain::media::{may_add_media, may_view_media, MediaKind, MediaRefusal};
use app::domain::text::{AltText, Caption, FieldProblem};
use app::domain::Message;
use app::error::AppError;
use app::model::MediaView;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange};
use tower_sessions::Session;

/// Name of the file part of the upload form.
pub const PHOTO_FIELD: &str = "foto";
/// Name of the caption part.
pub const CAPTION_FIELD: &str = "bijschrift";
/// Name of the alt text part.
pub const ALT_FIELD: &str = "beschrijving";

/// Largest text part (caption, alt text) read, in bytes.
const TEXT_PART_MAX: usize = 16 * 1024;

/// The multipart body limit of the upload route: the photo cap plus room for
/// the text parts and the multipart framing.
pub fn upload_body_limit() -> usize {
    PhotoLimits::default().max_bytes + 256 * 1024
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// An error answer: JSON for the hydrated page, a small page otherwise.
fn error_response(json: bool, story: Option<StoryId>, refusal: Refusal) -> Response {
    if json {
        return refusal.json();
    }
    let back = story
        .map(app::routes::edit_story)
        .unwrap_or_else(|| "/".into());
    refusal.page("Foto niet toegevoegd", &back)
}

fn photo_error(e: &PhotoError) -> Refusal {
    let error = AppError::invalid(Message::new(e.message_nl(), e.message_en()));
    match e {
        PhotoError::TooLarge { .. } => Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, error),
        PhotoError::NotAnImage
        | PhotoError::UnsupportedFormat(_)
        | PhotoError::TypeMismatch { .. } => {
            Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, error)
        }
        PhotoError::Corrupt(detail) => {
            tracing::info!("photo refused as corrupt: {detail}");
            error.into()
        }
        _ => error.into(),
    }
}

/// `POST /bestanden/verhalen/{id}/fotos`: adds a photo to a story.
pub async fn upload_photo(
    State(state): State<AppState>,
    session: Session,
    Path(story): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let Some(story) = StoryId::parse(&story) else {
        return error_response(json, None, AppError::not_found().into());
    };
    match upload(&state, &session, story, multipart).await {
        Ok(view) if json => (StatusCode::CREATED, axum::Json(view)).into_response(),
        Ok(_) => Redirect::to(&app::routes::edit_story(story)).into_response(),
        Err(e) => error_response(json, Some(story), e),
    }
}

/// The story, if `actor` may add a medium of `kind` to it (see [`check_add`]).
pub(super) async fn may_add(
    state: &AppState,
    actor: &app::domain::access::Actor,
    story: StoryId,
    kind: MediaKind,
) -> Result<app::db::stories::StoryRecord, AppError> {
    let mut conn = state.server.db.pool.acquire().await?;
    // A story id nobody stored yet: the interview was not saved yet (a
    // random id reveals nothing about other people's stories).
    let rec = app::db::stories::record(&mut conn, story)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(match kind {
                MediaKind::Audio => Message::new(
                    "Het interview is nog niet opgeslagen. Kies eerst de wijk en vul iets in; daarna kunt u opnemen.",
                    "The interview has not been saved yet. First choose the neighbourhood and fill something in; then you can record.",
                ),
                _ => Message::new(
                    "Het interview is nog niet opgeslagen. Kies eerst de wijk en vul iets in; daarna kunt u foto's toevoegen.",
                    "The interview has not been saved yet. First choose the neighbourhood and fill something in; then you can add photos.",
                ),
            })
        })?;
    check_add(actor, &rec, kind)?;
    Ok(rec)
}

/// Whether `actor` may add a medium of `kind` to the story: not found, or
/// forbidden with the consent message (`may_add_media`).
pub(super) fn check_add(
    actor: &app::domain::access::Actor,
    rec: &app::db::stories::StoryRecord,
    kind: MediaKind,
) -> Result<(), AppError> {
    may_add_media(actor, &rec.scope, kind).map_err(|r| match r {
        MediaRefusal::Denied(d) => AppError::from(d),
        MediaRefusal::NoConsent(m) => AppError::Forbidden(m),
    })?;
    rec.changeable()
}

async fn upload(
    state: &AppState,
    session: &Session,
    story: StoryId,
    mut multipart: Multipart,
) -> Result<MediaView, Refusal> {
    let actor = current_actor(&state.server.db, session).await?;
    // 1. Permission first: nothing of the body is read for a refused upload.
    may_add(state, &actor, story, MediaKind::Photo).await?;

    // 2.–3. The parts, the file under a byte cap.
    let limits = PhotoLimits::default();
    let mut file: Option<(Vec<u8>, Option<String>, Option<String>)> = None;
    let (mut caption, mut alt) = (String::new(), String::new());
    let too_large = |bytes: usize| {
        photo_error(&PhotoError::TooLarge {
            bytes,
            max: limits.max_bytes,
        })
    };
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return too_large(limits.max_bytes + 1);
        }
        Refusal::from(AppError::invalid(Message::new(
            "De upload is afgebroken of onleesbaar. Probeer het opnieuw zodra de verbinding goed is.",
            "The upload was interrupted or unreadable. Try again when the connection is good.",
        )))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            PHOTO_FIELD => {
                let file_name = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(str::to_string);
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > limits.max_bytes {
                        return Err(too_large(bytes.len() + chunk.len()));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // The form has two file inputs (camera, picker); the unused
                // one arrives as an empty part without a name.
                let unused = bytes.is_empty() && file_name.as_deref().unwrap_or("").is_empty();
                match &file {
                    Some((earlier, _, _)) if !earlier.is_empty() || unused => {}
                    _ => file = Some((bytes, file_name, content_type)),
                }
            }
            CAPTION_FIELD | ALT_FIELD => {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    text.extend_from_slice(&chunk);
                    if text.len() > TEXT_PART_MAX {
                        return Err(AppError::invalid(Message::new(
                            "Het bijschrift of de beschrijving is veel te lang.",
                            "The caption or description is far too long.",
                        ))
                        .into());
                    }
                }
                let text = String::from_utf8_lossy(&text).into_owned();
                if name == CAPTION_FIELD {
                    caption = text;
                } else {
                    alt = text;
                }
            }
            _ => {
                // Unknown parts are drained and ignored (bounded by the body limit).
                while field.chunk().await.map_err(unreadable)?.is_some() {}
            }
        }
    }
    let mut problems: Vec<FieldProblem> = Vec::new();
    let caption = if caption.trim().is_empty() {
        String::new()
    } else {
        match Caption::parse(&caption) {
            Ok(c) => c.into_inner(),
            Err(p) => {
                problems.push(p);
                String::new()
            }
        }
    };
    let alt = match AltText::parse(&alt) {
        Ok(a) => a.into_inner(),
        Err(p) => {
            problems.push(p);
            String::new()
        }
    };
    let Some((bytes, file_name, content_type)) = file else {
        return Err(AppError::invalid(Message::new(
            "Kies eerst een foto (of maak er een met de camera).",
            "First choose a photo (or take one with the camera).",
        ))
        .into());
    };
    if bytes.is_empty() {
        return Err(photo_error(&PhotoError::Empty));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid {
            message: Message::new(
                "Vul ook in wat er op de foto te zien is (voor wie de foto niet kan zien).",
                "Also say what the photo shows (for people who cannot see it).",
            ),
            problems,
        }
        .into());
    }

    // 4. The pipeline, off the async runtime.
    let processed = tokio::task::spawn_blocking(move || {
        process_photo(
            &bytes,
            file_name.as_deref(),
            content_type.as_deref(),
            &limits,
        )
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| photo_error(&e))?;

    // 5. Store by content, then the row (permission checked again).
    let prefix = &processed.sha256[..2];
    let key = format!("photos/{prefix}/{}.jpg", processed.sha256);
    let thumb_key = format!("photos/{prefix}/{}-klein.jpg", processed.sha256);
    for (k, data) in [(&key, &processed.image), (&thumb_key, &processed.thumbnail)] {
        state
            .objects
            .put(&ObjectPath::from(k.as_str()), data.clone().into())
            .await
            .map_err(AppError::internal)?;
    }
    let id = MediaId::new();
    let db = &state.server.db;
    let mut tx = db.begin().await?;
    let rec = app::db::stories::record(&mut tx, story)
        .await?
        .ok_or_else(AppError::not_found)?;
    check_add(&actor, &rec, MediaKind::Photo)?;
    store::insert(
        &mut tx,
        &NewMedia {
            id,
            organisation: rec.scope.organisation,
            story: Some(story),
            resident: Some(rec.resident),
            kind: MediaKind::Photo,
            ready: true,
            object_key: Some(&key),
            thumb_key: Some(&thumb_key),
            content_hash: Some(&processed.sha256),
            mime: "image/jpeg",
            bytes: processed.image.len() as i64,
            size: Some((processed.width, processed.height)),
            caption: &caption,
            alt_text: &alt,
            uploaded_by: actor.user,
        },
    )
    .await?;
    app::db::audit(
        &mut *tx,
        Some(rec.scope.organisation),
        Some(actor.user),
        "media.add",
        "media",
        &id.to_string(),
        serde_json::json!({ "story": story, "kind": "photo", "bytes": processed.image.len() }),
    )
    .await?;
    tx.commit().await?;
    let mut conn = db.pool.acquire().await?;
    Ok(store::of_story(&mut conn, story)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(AppError::not_found)?)
}

/// `GET /bestanden/media/{id}`: the file of a photo, recording or signature.
/// Answers byte ranges (`206`), so a listener can seek in a recording.
pub async fn media_file(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &session, &id, false, &headers).await
}

/// `GET /bestanden/media/{id}/klein`: a photo's thumbnail.
pub async fn media_thumb(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &session, &id, true, &headers).await
}

async fn serve(
    state: &AppState,
    session: &Session,
    id: &str,
    thumb: bool,
    headers: &HeaderMap,
) -> Response {
    let not_found = || Refusal::not_found().text();
    let Some(id) = MediaId::parse(id) else {
        return not_found();
    };
    let actor = match current_actor(&state.server.db, session).await {
        Ok(a) => a,
        Err(AppError::NotAuthenticated) => return Refusal::not_signed_in().text(),
        Err(_) => return not_found(),
    };
    let found = async {
        let mut conn = state.server.db.pool.acquire().await?;
        let Some(media) = store::record(&mut conn, id).await? else {
            return Ok(None);
        };
        let Some(story) = media.story else {
            return Ok(None);
        };
        let Some(rec) = app::db::stories::record(&mut conn, story).await? else {
            return Ok(None);
        };
        if !media.ready || may_view_media(&actor, &rec.scope, media.kind).is_err() {
            return Ok(None);
        }
        Ok::<_, AppError>(Some(media))
    }
    .await;
    let media = match found {
        Ok(Some(m)) => m,
        Ok(None) => return not_found(),
        Err(e) => return Refusal::internal(e).text(),
    };
    let key = if thumb {
        media.thumb_key.clone()
    } else {
        media.object_key.clone()
    };
    let Some(key) = key else {
        return not_found();
    };
    let path = ObjectPath::from(key.as_str());
    // The length first: a range is read against it (recordings can be large,
    // so the file is streamed, never read into memory as a whole).
    let len = match state.objects.head(&path).await {
        Ok(meta) => meta.size,
        Err(e) => {
            tracing::error!("opening {key}: {e}");
            return not_found();
        }
    };
    let range = parse_range(
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        len,
    );
    let mime = if thumb {
        "image/jpeg".to_string()
    } else {
        media.mime.clone()
    };
    let (status, get_range, body_len) = match range {
        ByteRange::Full => (StatusCode::OK, None, len),
        ByteRange::Partial { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            Some(GetRange::Bounded(start..end + 1)),
            end + 1 - start,
        ),
        ByteRange::Unsatisfiable => {
            let mut res = Refusal::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                AppError::invalid(Message::new(
                    "Dit deel van het bestand bestaat niet.",
                    "This part of the file does not exist.",
                )),
            )
            .text();
            if let Some(Ok(v)) = range.content_range(len).map(|v| HeaderValue::from_str(&v)) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return res;
        }
    };
    let options = GetOptions {
        range: get_range,
        ..GetOptions::default()
    };
    let stream = match state.objects.get_opts(&path, options).await {
        Ok(r) => r.into_stream(),
        Err(e) => {
            return Refusal::internal(format!("reading {key}: {e}")).text();
        }
    };
    let mut res = (status, Body::from_stream(stream)).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(Ok(v)) = range.content_range(len).map(|v| HeaderValue::from_str(&v)) {
        h.insert(header::CONTENT_RANGE, v);
    }
    // Personal data: the browser may keep it for this user only, and must
    // ask again (access can be withdrawn).
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    res
}

/// What the tablet sends when the resident has signed.
#[derive(Debug, serde::Deserialize)]
pub struct SignRequest {
    /// The scopes ticked when the resident signed (what the signature covers).
    pub scopes: Vec<String>,
    /// The canvas as a PNG, base64 (a `data:image/png;base64,` prefix is fine).
    pub png: String,
}

/// `POST /bestanden/verhalen/{id}/handtekening` (JSON): records the
/// resident's drawn signature under the story's consent, with the scopes
/// ticked at that moment, the current consent text version and the time.
pub async fn sign_consent(
    State(state): State<AppState>,
    session: Session,
    Path(story): Path<String>,
    axum::Json(request): axum::Json<SignRequest>,
) -> Response {
    let Some(story) = StoryId::parse(&story) else {
        return error_response(true, None, AppError::not_found().into());
    };
    match sign(&state, &session, story, request).await {
        Ok(info) => (StatusCode::OK, axum::Json(info)).into_response(),
        Err(e) => error_response(true, Some(story), e),
    }
}

async fn sign(
    state: &AppState,
    session: &Session,
    story: StoryId,
    request: SignRequest,
) -> Result<app::model::ConsentInfo, Refusal> {
    use super::signature::clean_signature;
    use app::domain::consent::{ConsentScope, ConsentScopes};
    use base64::Engine;
    let actor = current_actor(&state.server.db, session).await?;
    let rec = {
        let mut conn = state.server.db.pool.acquire().await?;
        app::db::stories::record(&mut conn, story)
            .await?
            .ok_or_else(|| {
                AppError::NotFound(Message::new(
                    "Het interview is nog niet opgeslagen. Kies eerst de wijk en vul iets in; daarna kan de bewoner tekenen.",
                    "The interview has not been saved yet. First choose the neighbourhood and fill something in; then the resident can sign.",
                ))
            })?
    };
    may_add_media(&actor, &rec.scope, MediaKind::Signature).map_err(|r| match r {
        MediaRefusal::Denied(d) => AppError::from(d),
        MediaRefusal::NoConsent(m) => AppError::Forbidden(m),
    })?;
    rec.changeable()?;
    let mut scopes = ConsentScopes::none();
    for s in &request.scopes {
        scopes.insert(ConsentScope::parse(s).ok_or_else(|| {
            AppError::invalid(Message::new(
                "Onbekende toestemming in het formulier.",
                "Unknown consent scope in the form.",
            ))
        })?);
    }
    if !scopes.contains(ConsentScope::Research) {
        return Err(AppError::invalid(Message::new(
            "Zonder toestemming voor onderzoek heeft tekenen geen zin: vink die eerst aan (samen met de bewoner).",
            "Without consent for research, signing makes no sense: tick it first (together with the resident).",
        ))
        .into());
    }
    let b64 = request
        .png
        .split_once("base64,")
        .map_or(request.png.as_str(), |(_, b)| b);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| signature_error(&super::signature::SignatureError::NotPng))?;
    let clean = tokio::task::spawn_blocking(move || clean_signature(&bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| signature_error(&e))?;
    let db = &state.server.db;
    let text = app::db::org::current_consent_text(db, rec.edition)
        .await?
        .ok_or_else(|| {
            AppError::invalid(Message::new(
                "Er is nog geen toestemmingstekst voor deze editie; vraag de onderzoeker die toe te voegen.",
                "There is no consent text for this edition yet; ask the researcher to add one.",
            ))
        })?;
    let key = format!("signatures/{}/{}.png", &clean.sha256[..2], clean.sha256);
    state
        .objects
        .put(&ObjectPath::from(key.as_str()), clean.png.clone().into())
        .await
        .map_err(AppError::internal)?;
    let id = MediaId::new();
    let mut tx = db.begin().await?;
    let rec = app::db::stories::record(&mut tx, story)
        .await?
        .ok_or_else(AppError::not_found)?;
    app::domain::access::may_edit(&actor, &rec.scope).map_err(AppError::from)?;
    rec.changeable()?;
    store::insert(
        &mut tx,
        &NewMedia {
            id,
            organisation: rec.scope.organisation,
            story: Some(story),
            resident: Some(rec.resident),
            kind: MediaKind::Signature,
            ready: true,
            object_key: Some(&key),
            thumb_key: None,
            content_hash: Some(&clean.sha256),
            mime: "image/png",
            bytes: clean.png.len() as i64,
            size: Some((clean.width, clean.height)),
            caption: "",
            alt_text: "Handtekening van de bewoner",
            uploaded_by: actor.user,
        },
    )
    .await?;
    app::db::stories::sign_consent(&mut tx, &rec, story, scopes, &text.id, id, actor.user).await?;
    app::db::audit(
        &mut *tx,
        Some(rec.scope.organisation),
        Some(actor.user),
        "consent.sign",
        "story",
        &story.to_string(),
        serde_json::json!({ "scopes": scopes, "text_version": text.version, "signature": id }),
    )
    .await?;
    tx.commit().await?;
    let mut conn = db.pool.acquire().await?;
    let detail = app::db::stories::detail(&mut conn, story)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(detail.consent.ok_or_else(AppError::not_found)?)
}

fn signature_error(e: &super::signature::SignatureError) -> Refusal {
    let (nl, en) = e.message();
    AppError::invalid(Message::new(nl, en)).into()
}
