//! How the server's own HTTP handlers say no.
//!
//! Server functions answer with [`AppError`] through Leptos. The handlers
//! that are not server functions — photo uploads, recordings, signatures and
//! downloads of stored files — answer with a [`Refusal`]: an [`AppError`]
//! (the message people read, in Dutch and English) with the HTTP status to
//! send, as JSON for the hydrated page ([`Refusal::json`]), as a small page
//! for a form posted without JavaScript ([`Refusal::page`]) or as plain text
//! for a file opened directly ([`Refusal::text`]).

use app::error::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A refused request: the error and the status to answer with (the error's
/// own status unless a handler needs a more precise one, e.g. 413 for a file
/// over the cap or 416 for a byte range outside a file).
#[derive(Debug)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for the person.
    pub error: AppError,
}

impl Refusal {
    /// `error`, answered with `status`.
    pub fn new(status: StatusCode, error: AppError) -> Self {
        Refusal { status, error }
    }

    /// 404 with the standard message (also for what the caller may not see).
    pub fn not_found() -> Self {
        AppError::not_found().into()
    }

    /// 401: sign in first.
    pub fn not_signed_in() -> Self {
        AppError::NotAuthenticated.into()
    }

    /// 500; `detail` goes to the log, not to the person.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        AppError::internal(detail).into()
    }

    /// The answer for the hydrated page: the error as JSON.
    pub fn json(self) -> Response {
        (self.status, axum::Json(self.error)).into_response()
    }

    /// The answer for a file opened directly: the Dutch message as text.
    pub fn text(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.error.message().nl,
        )
            .into_response()
    }

    /// The answer for a form posted without JavaScript: a small page with
    /// the message and a way `back` (the typed text is kept there).
    pub fn page(self, title: &str, back: &str) -> Response {
        let html = format!(
            "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <title>{title}</title><main><h1>{title}</h1><p role=\"alert\">{}</p>\
             <p><a href=\"{}\">Terug naar het interview</a> (uw tekst is bewaard).</p></main></html>",
            escape(&self.error.message().nl),
            escape(back),
            title = escape(title),
        );
        (
            self.status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
        Refusal { status, error }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        AppError::from(error).into()
    }
}

/// Escapes text for HTML (our own messages, but never trust a format string).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_form_carries_the_status_and_the_message() {
        let body = |r: Response| async move {
            let status = r.status();
            let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        };
        let (status, text) = body(Refusal::not_found().text()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(text, AppError::not_found().message().nl);
        let (status, json) = body(Refusal::not_signed_in().json()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let error: AppError = serde_json::from_str(&json).unwrap();
        assert!(matches!(error, AppError::NotAuthenticated), "{json}");
        let evil = Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::invalid(app::domain::Message::new("<script>x</script>", "x")),
        );
        let (status, html) = body(evil.page("Foto niet toegevoegd", "/a\"b")).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"), "{html}");
        assert!(html.contains("href=\"/a&quot;b\""), "{html}");
        assert!(!html.contains("<script>"));
    }
}
