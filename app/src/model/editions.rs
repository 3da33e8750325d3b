//! Editions as coordinators run them: the "Edities" page of one
//! organisation.

use super::{ConsentText, OrganisationChoice};
use crate::domain::edition::EditionStatus;
use crate::domain::ids::EditionId;
use serde::{Deserialize, Serialize};

/// The "Edities" page of one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionsView {
    /// Organisations whose editions the user manages, by name.
    pub organisations: Vec<OrganisationChoice>,
    /// The organisation shown.
    pub organisation: OrganisationChoice,
    /// Its editions, newest first.
    pub editions: Vec<EditionAdmin>,
    /// The year the "next edition" form proposes (after the newest one).
    pub next_year: i64,
    /// A fresh id for that form (a repeated post creates one edition).
    pub new_edition: EditionId,
}

/// One edition with what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionAdmin {
    /// Id.
    pub id: EditionId,
    /// Year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: EditionStatus,
    /// The statuses it may move to ([`EditionStatus::transition`]).
    pub next_statuses: Vec<EditionStatus>,
    /// Stories written in it.
    pub stories: i64,
    /// Its groups.
    pub groups: i64,
    /// Active guide questions.
    pub questions: i64,
    /// Codebook themes.
    pub themes: i64,
    /// The consent text residents are shown now (highest version).
    pub consent: Option<ConsentText>,
}

/// What creating an edition copied from the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CopiedFromPrevious {
    /// Guide questions.
    pub questions: i64,
    /// Whether a consent text was copied.
    pub consent_text: bool,
    /// Codebook themes.
    pub themes: i64,
    /// Groups (with their neighbourhoods, without students).
    pub groups: i64,
    /// Lecturers kept in those groups.
    pub lecturers: i64,
}
