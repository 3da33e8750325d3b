//! The interview guide editor.

use crate::domain::ids::{EditionId, QuestionId};
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An edition as the interview guide editor offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionChoice {
    /// Edition id.
    pub id: EditionId,
    /// Year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Status (the guide changes only while open).
    pub status: crate::domain::edition::EditionStatus,
    /// The organisation's name (shown when the user works for several).
    pub organisation: String,
}

/// One question in the guide editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideEditorQuestion {
    /// Question id.
    pub id: QuestionId,
    /// The question as asked.
    pub text: String,
    /// Help for the interviewer.
    pub help_text: String,
    /// Whether an answer is needed before handing in.
    pub required: bool,
    /// Optimistic-locking version: send it back with every change.
    pub version: i64,
    /// How many stories answered it already.
    pub answered: i64,
    /// When it was archived, if it was.
    pub archived_at: Option<Timestamp>,
    /// When it was last changed in the editor.
    pub updated_at: Option<Timestamp>,
    /// Who changed it last.
    pub updated_by: Option<String>,
}

/// The interview guide editor of one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideEditorView {
    /// Editions the user may open, newest first.
    pub editions: Vec<EditionChoice>,
    /// The edition shown.
    pub edition: EditionChoice,
    /// Version of the list of questions: send it back with a move.
    pub guide_version: i64,
    /// Why the guide cannot be changed now, if it cannot (read-only view).
    pub locked: Option<crate::domain::Message>,
    /// The active questions, in the order students see them.
    pub questions: Vec<GuideEditorQuestion>,
    /// Archived questions, in their former order.
    pub archived: Vec<GuideEditorQuestion>,
    /// A fresh id for the "add a question" form (a double click adds once).
    pub new_question_id: QuestionId,
}
