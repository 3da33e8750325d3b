//! Stories as students, lecturers and readers see them: lists, the story
//! page, the edit form's context, revisions and their differences.

use super::media::MediaView;
use crate::domain::consent::ConsentScopes;
use crate::domain::ids::{
    CommentId, EditionId, GroupId, MediaId, NeighbourhoodId, QuestionId, StoryId, UserId,
};
use crate::domain::lifecycle::StoryStatus;
use crate::domain::text::FieldProblem;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One question of an edition's interview guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideQuestion {
    /// Question id.
    pub id: QuestionId,
    /// 1-based position in the guide.
    pub position: i64,
    /// The question as asked.
    pub text: String,
    /// Help for the interviewer.
    pub help_text: String,
    /// Whether an answer is needed before handing in (never for an archived
    /// question).
    pub required: bool,
    /// Whether the question was archived: no longer in the form for new
    /// interviews; shown only with stories that answered it.
    #[serde(default)]
    pub archived: bool,
}

/// A versioned consent text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentText {
    /// Record id.
    pub id: String,
    /// Version number within the edition.
    pub version: i64,
    /// The text shown to the resident.
    pub body: String,
}

/// A neighbourhood with its municipality, for pickers and headings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodRef {
    /// Neighbourhood id.
    pub id: NeighbourhoodId,
    /// Its name.
    pub name: String,
    /// CBS wijk/buurt code, if known.
    pub cbs_code: Option<String>,
    /// The municipality's name.
    pub municipality: String,
}

/// A group the signed-in user belongs to, with what a student needs to start
/// a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    /// Group id.
    pub id: GroupId,
    /// Group name.
    pub name: String,
    /// Edition id.
    pub edition: EditionId,
    /// Edition year.
    pub year: i64,
    /// Whether the edition is still collecting stories.
    pub edition_open: bool,
    /// Neighbourhoods assigned to the group.
    pub neighbourhoods: Vec<NeighbourhoodRef>,
}

/// A line in a list of stories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryListItem {
    /// Story id.
    pub id: StoryId,
    /// Title (may be empty for a fresh draft).
    pub title: String,
    /// Status.
    pub status: StoryStatus,
    /// Neighbourhood name.
    pub neighbourhood: String,
    /// Municipality name.
    pub municipality: String,
    /// Group name.
    pub group: String,
    /// Resident pseudonym.
    pub resident: String,
    /// Last change.
    pub updated_at: Timestamp,
    /// The consent scopes.
    pub scopes: ConsentScopes,
}

/// Everything the story page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDetail {
    /// Story id.
    pub id: StoryId,
    /// Group id.
    pub group: GroupId,
    /// Group name.
    pub group_name: String,
    /// Edition year.
    pub year: i64,
    /// The neighbourhood.
    pub neighbourhood: NeighbourhoodRef,
    /// Title.
    pub title: String,
    /// Status.
    pub status: StoryStatus,
    /// Optimistic-locking version: send it back with every change.
    pub version: i64,
    /// The resident.
    pub resident: ResidentInfo,
    /// The consent as recorded.
    pub consent: Option<ConsentInfo>,
    /// The edition's guide.
    pub questions: Vec<GuideQuestion>,
    /// Answers by question.
    pub answers: BTreeMap<QuestionId, String>,
    /// Comments, oldest first.
    pub comments: Vec<CommentView>,
    /// Photos and recordings the caller may see, oldest first.
    #[serde(default)]
    pub media: Vec<MediaView>,
    /// For a resubmitted story: what changed since the previous submission
    /// (the version the lecturer reviewed).
    #[serde(default)]
    pub since_review: Option<StoryDiff>,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// What the signed-in user may do here.
    pub can: StoryPermissions,
    /// Problems that block handing in (shown while editing).
    pub problems: Vec<FieldProblem>,
    /// What the edit form needs, when the user may edit.
    pub edit: Option<EditContext>,
}

/// What the edit form needs besides the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditContext {
    /// The editing user (drafts in the browser are kept per user).
    pub user: UserId,
    /// A fresh save id for the first save from this page.
    pub save_id: String,
    /// The neighbourhoods of the story's group.
    pub neighbourhoods: Vec<NeighbourhoodRef>,
    /// The consent text to show the resident.
    pub consent_text: Option<ConsentText>,
}

/// What the signed-in user may do with a story (computed on the server by
/// the domain rules; the page only hides what the server would refuse).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryPermissions {
    /// Edit the text.
    pub edit: bool,
    /// Hand in.
    pub submit: bool,
    /// Approve or request changes.
    pub review: bool,
    /// Comment.
    pub comment: bool,
    /// Add photos (editable, and the resident allowed photos).
    #[serde(default)]
    pub add_photos: bool,
    /// Record audio (editable, and the resident allowed a recording).
    #[serde(default)]
    pub record_audio: bool,
    /// Record that the resident withdrew consent.
    #[serde(default)]
    pub withdraw: bool,
    /// Edit the booklet version, quotes and codes (the organisation's
    /// researchers, once the story is approved).
    #[serde(default)]
    pub curate: bool,
}

/// The resident, as shown to students and reviewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentInfo {
    /// Pseudonym.
    pub pseudonym: String,
    /// Real first name (only for those who may edit the story).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Age band, e.g. "65-79".
    pub age_band: Option<String>,
    /// Years in the neighbourhood.
    pub years_in_neighbourhood: Option<i64>,
}

/// A consent record as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentInfo {
    /// Granted scopes.
    pub scopes: ConsentScopes,
    /// The consent text version the resident saw.
    pub text_version: i64,
    /// Name of the witnessing student, if confirmed that way.
    pub witness_name: Option<String>,
    /// Whether a signature was drawn.
    pub signed: bool,
    /// The drawn signature (served access-checked at [`crate::routes::media`]).
    #[serde(default)]
    pub signature: Option<MediaId>,
    /// When it was given.
    pub signed_at: Timestamp,
    /// When it was withdrawn.
    pub withdrawn_at: Option<Timestamp>,
}

/// A comment on a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    /// Comment id.
    pub id: CommentId,
    /// Author's display name.
    pub author: String,
    /// The text.
    pub body: String,
    /// The answer it concerns, if any.
    pub question: Option<QuestionId>,
    /// The comment it replies to, if any.
    #[serde(default)]
    pub parent: Option<CommentId>,
    /// The story version it was written against.
    pub story_version: i64,
    /// Whether it is resolved.
    pub resolved: bool,
    /// When.
    pub created_at: Timestamp,
}

/// One stored revision of a story (every save makes one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    /// Its number: the story version it produced.
    pub number: i64,
    /// `draft`, `submitted` or `editorial`.
    pub kind: String,
    /// Who saved it.
    pub author: String,
    /// When.
    pub created_at: Timestamp,
}

/// A story as it was at one revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    /// Which revision.
    pub info: RevisionInfo,
    /// Title then.
    pub title: String,
    /// Pseudonym then.
    pub pseudonym: String,
    /// The guide questions (to show the answers in order).
    pub questions: Vec<GuideQuestion>,
    /// Answers then.
    pub answers: BTreeMap<QuestionId, String>,
}

/// The word-level difference of one part of a story between two revisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartDiff {
    /// What part: the title, the pseudonym, or the question's text.
    pub label: crate::domain::Message,
    /// The question, for answers.
    pub question: Option<QuestionId>,
    /// The text, word by word, marked.
    pub segments: Vec<crate::domain::diff::Segment>,
    /// Whether anything changed.
    pub changed: bool,
}

/// The difference between two revisions of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDiff {
    /// The older revision.
    pub from: RevisionInfo,
    /// The newer revision.
    pub to: RevisionInfo,
    /// Title, pseudonym and every answer, in guide order.
    pub parts: Vec<PartDiff>,
}

/// What the "new story" page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewStoryForm {
    /// The signed-in student (drafts in the browser are kept per user).
    pub user: UserId,
    /// A fresh story id, generated once per page load: a double-clicked
    /// submit sends it twice and still makes one story.
    pub story_id: StoryId,
    /// A fresh save id (idempotency of the first save).
    pub save_id: String,
    /// The groups the student can write for (open editions only).
    pub groups: Vec<GroupInfo>,
    /// The guide of the (first) group's edition.
    pub questions: Vec<GuideQuestion>,
    /// The consent text to show the resident.
    pub consent_text: Option<ConsentText>,
}

/// The result of saving a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveOutcome {
    /// Story id.
    pub id: StoryId,
    /// The new version (send it with the next save).
    pub version: i64,
    /// Status after the save.
    pub status: StoryStatus,
    /// When it was saved.
    pub saved_at: Timestamp,
    /// Problems that still block handing in (empty when it was handed in).
    pub problems: Vec<FieldProblem>,
    /// A fresh save id for the next save.
    pub next_save_id: String,
}
