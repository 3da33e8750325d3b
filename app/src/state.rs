//! What the server gives every server function and page render (server only).

use crate::db::Db;
use std::sync::Arc;

/// Shared server state, provided as Leptos context to server functions and
/// server-side rendering.
#[derive(Clone, Debug)]
pub struct ServerState {
    /// The database.
    pub db: Db,
    /// Wakes the booklet worker when a build is queued.
    pub booklet_wakeup: Arc<tokio::sync::Notify>,
    /// Hash of the booklet template (part of every build's input hash, so a
    /// new template never reuses an old PDF).
    pub template_hash: Arc<str>,
    /// Stored files: booklet PDFs, photos, recordings, signatures.
    pub objects: Arc<dyn object_store::ObjectStore>,
}
