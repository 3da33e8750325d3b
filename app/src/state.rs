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
    /// Sends single mails (password-reset links) in the background.
    pub mail: Arc<dyn SendMail>,
    /// The address the server is reached at (`WV_PUBLIC_URL`), for links
    /// in mails.
    pub public_url: Arc<str>,
}

/// One mail to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Sends a mail without making the caller wait (so a server function's
/// answer time does not tell whether a mail went out). The server's
/// implementation sends through SMTP, into `.eml` files, or to the log
/// (`server::mail`).
pub trait SendMail: Send + Sync + std::fmt::Debug {
    /// Queues `mail`; failures are logged.
    fn send(&self, mail: OutgoingMail);
}
