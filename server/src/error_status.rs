//! The HTTP status of a server function's error, also when it failed before
//! its body ran.
//!
//! A server function that runs answers an error with the status the error
//! names (`api::server::respond` sets it). One whose arguments do not parse
//! never runs: Leptos then answers 500 whatever the error says. This layer
//! reads such an answer's error and gives it its own status, so a request
//! that cannot be read is a 422 with a message, not a server failure.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The header Leptos puts on a server function's error answer.
const SERVER_FN_ERROR: &str = "serverfnerror";

/// Sets the status of a server function's 500 answer to its error's own.
pub async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes)
        .ok()
        .and_then(|e| StatusCode::from_u16(e.status()).ok())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
