//! Access-checked downloads of stored files (booklet PDFs).
//!
//! Files are never served from a public directory: every request loads the
//! signed-in user, asks the domain rules, and only then streams the object.

use crate::startup::AppState;
use app::db::booklets::build_record;
use app::domain::access::may_download_build;
use app::domain::ids::BuildId;
use app::model::BuildStatus;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// A short plain-text refusal (downloads are opened directly, not by the page).
pub fn refuse(status: StatusCode, nl: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        nl.to_string(),
    )
        .into_response()
}

/// `GET /bestanden/boekjes/{id}.pdf`: the PDF of a booklet build, for
/// researchers of its organisation and — once published — the staff of its
/// municipality. Everyone else gets 401 (not signed in) or 404.
pub async fn booklet_pdf(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
) -> Response {
    let not_found = || refuse(StatusCode::NOT_FOUND, "Niet gevonden.");
    let Some(id) = file.strip_suffix(".pdf").and_then(BuildId::parse) else {
        return not_found();
    };
    let db = &state.server.db;
    let actor = match current_actor(db, &session).await {
        Ok(a) => a,
        Err(app::error::AppError::NotAuthenticated) => {
            return refuse(StatusCode::UNAUTHORIZED, "Log eerst in.")
        }
        Err(_) => return not_found(),
    };
    let result = async {
        let mut conn = db.pool.acquire().await?;
        let Some(rec) = build_record(&mut conn, id).await? else {
            return Ok(None);
        };
        if may_download_build(&actor, &rec.scope).is_err() || rec.status != BuildStatus::Done {
            return Ok(None);
        }
        Ok::<_, app::error::AppError>(Some(rec))
    }
    .await;
    let rec = match result {
        Ok(Some(rec)) => rec,
        Ok(None) => return not_found(),
        Err(_) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis."),
    };
    let Some(key) = rec.pdf_key else {
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
                tracing::error!("reading {key}: {e}");
                return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis.");
            }
        },
        Err(e) => {
            tracing::error!("opening {key}: {e}");
            return not_found();
        }
    };
    let name = format!(
        "wijkverhalen-{}-{}.pdf",
        slug(&rec.municipality_name),
        rec.year
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The signed-in user of a download or upload request: `NotAuthenticated`
/// without a session (or for a disabled account).
pub async fn current_actor(
    db: &app::db::Db,
    session: &Session,
) -> Result<app::domain::access::Actor, app::error::AppError> {
    use app::error::AppError;
    let user = session
        .get::<app::domain::ids::UserId>(app::api::server::SESSION_USER)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotAuthenticated)?;
    app::db::users::actor(db, user)
        .await?
        .ok_or(AppError::NotAuthenticated)
}

/// `Sittard-Geleen` → `sittard-geleen`: ASCII letters and digits, dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs() {
        assert_eq!(super::slug("Sittard-Geleen"), "sittard-geleen");
        assert_eq!(super::slug("Berg aan de Maas!"), "berg-aan-de-maas");
        assert_eq!(super::slug("\"; rm -rf"), "rm-rf");
    }
}
