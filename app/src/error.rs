//! The one error type of the application.
//!
//! Every server function returns `Result<T, AppError>`. An `AppError` knows
//! its HTTP status and carries a message the user understands, in Dutch and
//! English; internal details are logged on the server and never sent to the
//! browser.

use crate::domain::access::Denied;
use crate::domain::lifecycle::TransitionError;
use crate::domain::text::FieldProblem;
use crate::domain::Message;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as far as the user (and the HTTP status) is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in (401).
    #[error("niet ingelogd")]
    NotAuthenticated,
    /// Signed in, but this role may not do this to this record (403).
    #[error("{0}")]
    Forbidden(Message),
    /// The record does not exist, or the user may not know it does (404).
    #[error("{0}")]
    NotFound(Message),
    /// Someone else changed the record first (409): the user keeps their text
    /// and sees both versions.
    #[error("{message}")]
    Conflict {
        /// What happened.
        message: Message,
        /// The version now stored on the server, if the record has one.
        current_version: Option<i64>,
    },
    /// The input cannot be accepted (422); `problems` names the fields.
    #[error("{message}")]
    Invalid {
        /// Summary.
        message: Message,
        /// Field-level problems, shown next to the fields.
        problems: Vec<FieldProblem>,
    },
    /// The browser could not reach the server (never sent by the server).
    #[error("{0}")]
    Offline(Message),
    /// Anything else (500). Details are in the server log only.
    #[error("{0}")]
    Internal(Message),
}

impl AppError {
    /// A 403 with the standard message.
    pub fn forbidden() -> Self {
        AppError::Forbidden(Denied::Forbidden.message())
    }

    /// A 404 with the standard message.
    pub fn not_found() -> Self {
        AppError::NotFound(Denied::NotFound.message())
    }

    /// A 422 for one field problem.
    pub fn invalid_field(problem: FieldProblem) -> Self {
        AppError::Invalid {
            message: problem.message.clone(),
            problems: vec![problem],
        }
    }

    /// A 422 with a message and no field.
    pub fn invalid(message: Message) -> Self {
        AppError::Invalid {
            message,
            problems: Vec::new(),
        }
    }

    /// A 409 for a stale edit.
    pub fn stale(current_version: i64) -> Self {
        AppError::Conflict {
            message: Message::new(
                "Iemand anders heeft dit intussen gewijzigd. Uw tekst is niet verloren: vergelijk beide versies en kies.",
                "Someone else changed this in the meantime. Your text is not lost: compare both versions and choose.",
            ),
            current_version: Some(current_version),
        }
    }

    /// A 500; `detail` goes to the server log, never to the user.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!("internal error: {detail}");
        #[cfg(not(feature = "ssr"))]
        let _ = detail;
        AppError::Internal(Message::new(
            "Er ging iets mis op de server. Uw invoer is bewaard; probeer het zo nog eens.",
            "Something went wrong on the server. Your input is kept; please try again shortly.",
        ))
    }

    /// The HTTP status code for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotAuthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict { .. } => 409,
            AppError::Invalid { .. } => 422,
            AppError::Offline(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    /// The message to show the user.
    pub fn message(&self) -> Message {
        match self {
            AppError::NotAuthenticated => Message::new(
                "U bent niet (meer) ingelogd. Log opnieuw in; uw invoer blijft op dit apparaat bewaard.",
                "You are not signed in (any more). Please sign in again; your input stays on this device.",
            ),
            AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::Offline(m)
            | AppError::Internal(m) => m.clone(),
            AppError::Conflict { message, .. } | AppError::Invalid { message, .. } => {
                message.clone()
            }
        }
    }

    /// Field problems, if any.
    pub fn problems(&self) -> &[FieldProblem] {
        match self {
            AppError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Offline(Message::new(
                "Niet verbonden met de server. Uw invoer is op dit apparaat bewaard.",
                "Not connected to the server. Your input is kept on this device.",
            )),
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::MissingArg(e) => invalid_request(&e),
            // On the server this is a request body that does not parse (a
            // JSON server function's input, e.g. a patch naming a field the
            // form does not have); in the browser it would be an answer that
            // does not parse, which is the server's fault.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(e) => invalid_request(&e),
            other => AppError::internal(other),
        }
    }
}

/// A request whose arguments cannot be read: 422, saying why.
fn invalid_request(detail: &str) -> AppError {
    AppError::invalid(Message::new(
        format!("Het formulier is niet volledig of niet geldig ({detail})."),
        format!("The form is incomplete or invalid ({detail})."),
    ))
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => AppError::NotFound(d.message()),
            Denied::Forbidden => AppError::Forbidden(d.message()),
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        AppError::Invalid {
            message: e.message(),
            problems: Vec::new(),
        }
    }
}

impl From<FieldProblem> for AppError {
    fn from(p: FieldProblem) -> Self {
        AppError::invalid_field(p)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(format!("database: {e}"))
    }
}
