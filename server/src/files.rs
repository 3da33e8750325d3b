//! Access-checked downloads of stored files (booklet PDFs and previews).
//!
//! Files are never served from a public directory: every request loads the
//! signed-in user, asks the domain rules, and only then streams the object.

use crate::refusal::Refusal;
use crate::state::current_actor;
use crate::state::AppState;
use app::db::booklets::{self, build_record};
use app::domain::access::may_download_build_file;
use app::domain::ids::BuildId;
use app::domain::text::slug;
use app::model::{BuildOutputKind, BuildStatus};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// `GET /bestanden/boekjes/{id}.pdf`: the screen edition of a booklet
/// build (kept for links made before builds had several files).
pub async fn booklet_pdf(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
) -> Response {
    let Some(id) = file.strip_suffix(".pdf").and_then(BuildId::parse) else {
        return Refusal::not_found().text();
    };
    serve_build_file(&state, &session, id, BuildOutputKind::Screen, 0).await
}

/// `GET /bestanden/boekjes/{id}/{file}`: one file of a booklet build —
/// `druk.pdf`, `scherm.pdf`, `hoofdstuk-{n}.pdf` or `pagina-{n}.png`.
/// Researchers and admins of its organisation always; once published, the
/// staff of its municipality, and everyone if the edition is public. Others
/// get 401 (not signed in) or 404.
pub async fn booklet_file(
    State(state): State<AppState>,
    session: Session,
    Path((build, file)): Path<(String, String)>,
) -> Response {
    let parsed = BuildId::parse(&build).zip(BuildOutputKind::from_file_name(&file));
    let Some((id, (kind, ordinal))) = parsed else {
        return Refusal::not_found().text();
    };
    serve_build_file(&state, &session, id, kind, ordinal).await
}

async fn serve_build_file(
    state: &AppState,
    session: &Session,
    id: BuildId,
    kind: BuildOutputKind,
    ordinal: i64,
) -> Response {
    let not_found = || Refusal::not_found().text();
    let db = &state.server.db;
    // Someone without a role (or still with a start password) downloads
    // what anyone may: a public edition's current booklet.
    let actor = match current_actor(db, session).await {
        Ok(a) => Some(a),
        Err(app::error::AppError::NotAuthenticated | app::error::AppError::Forbidden(_)) => None,
        Err(_) => return not_found(),
    };
    let result = async {
        let mut conn = db.pool.acquire().await?;
        let Some(rec) = build_record(&mut conn, id).await? else {
            return Ok(Err(false));
        };
        if may_download_build_file(actor.as_ref(), &rec.scope, rec.edition_public).is_err()
            || rec.status != BuildStatus::Done
        {
            return Ok(Err(true));
        }
        let key = match booklets::output(&mut conn, id, kind, ordinal).await? {
            Some(out) => Some(out.storage_key),
            // Builds made before outputs were listed have only their PDF.
            None if kind == BuildOutputKind::Screen => rec.pdf_key.clone(),
            None => None,
        };
        Ok::<_, app::error::AppError>(Ok((rec, key)))
    }
    .await;
    let (rec, key) = match result {
        Ok(Ok(found)) => found,
        Ok(Err(denied)) => {
            return if denied && actor.is_none() {
                Refusal::not_signed_in().text()
            } else {
                not_found()
            }
        }
        Err(e) => return Refusal::internal(e).text(),
    };
    let Some(key) = key else {
        return not_found();
    };
    let bytes = match state
        .objects
        .get(&object_store::path::Path::from(key.as_str()))
        .await
    {
        Ok(r) => match r.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Refusal::internal(format!("reading {key}: {e}")).text();
            }
        },
        Err(e) => {
            tracing::error!("opening {key}: {e}");
            return not_found();
        }
    };
    let base = format!("wijkverhalen-{}-{}", slug(&rec.municipality_name), rec.year);
    let (name, mime, disposition) = match kind {
        BuildOutputKind::Screen => (format!("{base}.pdf"), "application/pdf", "attachment"),
        BuildOutputKind::Print => (format!("{base}-druk.pdf"), "application/pdf", "attachment"),
        BuildOutputKind::Chapter => (
            format!("{base}-hoofdstuk-{ordinal}.pdf"),
            "application/pdf",
            "attachment",
        ),
        BuildOutputKind::Page => (
            format!("{base}-pagina-{ordinal}.png"),
            "image/png",
            "inline",
        ),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    let cache = if rec.scope.in_force() && rec.edition_public {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
