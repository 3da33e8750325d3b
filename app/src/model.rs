//! Data the server sends to the pages (and the pages send back): plain
//! serialisable structs shared by the server and the browser build.

use crate::domain::consent::ConsentScopes;
use crate::domain::ids::*;
use crate::domain::lifecycle::StoryStatus;
use crate::domain::role::Role;
use crate::domain::text::FieldProblem;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Defined with the domain rules (routes and the worker use them too).
pub use crate::domain::build::{BuildOutputKind, BuildStatus};

/// The signed-in user as the interface needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    /// Account id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Roles held (any organisation).
    pub roles: Vec<Role>,
    /// Unread notifications (the badge in the navigation).
    #[serde(default)]
    pub unread: i64,
}

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

/// A photo or recording of a story, as the interface shows it. The bytes are
/// served by the access-checked handler at [`crate::routes::media`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaView {
    /// Its id.
    pub id: MediaId,
    /// Photo, audio or signature.
    pub kind: crate::domain::media::MediaKind,
    /// Caption (photos).
    pub caption: String,
    /// What the photo shows, for screen readers.
    pub alt_text: String,
    /// Width in pixels (photos).
    pub width: Option<i64>,
    /// Height in pixels (photos).
    pub height: Option<i64>,
    /// Length in milliseconds (audio).
    pub duration_ms: Option<i64>,
    /// Size in bytes.
    pub bytes: i64,
    /// When it was added.
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

/// One thing to do now, on the start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// How many.
    pub count: i64,
    /// What, e.g. "3 verhalen wachten op review".
    pub message: crate::domain::Message,
    /// Where to do it.
    pub href: String,
}

/// A notification, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    /// Its id.
    pub id: String,
    /// What happened.
    pub kind: crate::domain::notify::NotificationKind,
    /// The story it is about.
    pub story: Option<StoryId>,
    /// What it says.
    pub message: crate::domain::Message,
    /// When.
    pub created_at: Timestamp,
    /// Whether the user has seen it.
    pub read: bool,
}

/// The notifications page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    /// The latest notifications, newest first.
    pub items: Vec<NotificationView>,
    /// How many are unread.
    pub unread: i64,
    /// Whether they also arrive by e-mail.
    pub email: bool,
    /// Whether the user is a student (and so may appear in a colophon).
    pub student: bool,
    /// Whether the user's name stays out of booklet colophons.
    pub colophon_opt_out: bool,
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

/// A municipality with its neighbourhoods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityInfo {
    /// Municipality id.
    pub id: MunicipalityId,
    /// Name.
    pub name: String,
}

/// A story as the curation page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurationStory {
    /// The story.
    pub story: StoryListItem,
    /// Whether it is in the selection, and at which position.
    pub position: Option<i64>,
    /// Why it cannot be selected, if it cannot.
    pub blocked: Option<crate::domain::Message>,
    /// Themes of the codebook the story is tagged with.
    #[serde(default)]
    pub themes: Vec<ThemeId>,
}

/// One story as a researcher curates it: the text the booklet uses (the
/// latest editorial version, else the students' text) and its quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryCurationView {
    /// The story.
    pub story: StoryId,
    /// The story's version (send it back with an editorial save).
    pub version: i64,
    /// The revision the text below comes from (quotes refer to it).
    pub revision: i64,
    /// Whether that is an editorial revision.
    pub editorial: bool,
    /// Title.
    pub title: String,
    /// Lead (editorial versions only; else empty).
    pub lead: String,
    /// The answers in guide order.
    pub answers: Vec<CurationAnswer>,
    /// Saved quotes, oldest first.
    pub quotes: Vec<QuoteView>,
}

/// One answer on the story's curation panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurationAnswer {
    /// The question.
    pub question: QuestionId,
    /// Its text.
    pub question_text: String,
    /// The answer.
    pub answer: String,
}

/// A saved quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    /// Quote id.
    pub id: QuoteId,
    /// The question whose answer it is from.
    pub question: QuestionId,
    /// That question's text.
    pub question_text: String,
    /// The revision it was taken from.
    pub revision: i64,
    /// Start in that answer, in UTF-16 code units.
    pub start: i64,
    /// End (exclusive), in UTF-16 code units.
    pub end: i64,
    /// The exact text.
    pub text: String,
    /// Whether it is the story's pull quote.
    pub pull: bool,
}

/// A theme of an edition's codebook, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeView {
    /// Theme id.
    pub id: ThemeId,
    /// The theme above it, if any.
    pub parent: Option<ThemeId>,
    /// Name.
    pub name: String,
    /// Optional description.
    pub description: String,
    /// Depth in the tree (0 = top level).
    pub depth: usize,
}

/// The curation page of one edition × municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurationView {
    /// Edition id.
    pub edition: EditionId,
    /// Year.
    pub year: i64,
    /// The municipality.
    pub municipality: MunicipalityInfo,
    /// All municipalities of the organisation (to switch).
    pub municipalities: Vec<MunicipalityInfo>,
    /// Approved (and selected/published) stories of the municipality.
    pub stories: Vec<CurationStory>,
    /// Builds, newest first.
    pub builds: Vec<BuildView>,
    /// The chapters of the booklet in order (neighbourhoods with at least
    /// one selected story), each with its selected stories in order.
    pub chapters: Vec<CurationChapter>,
    /// Version of the order of chapters and stories (send it back when
    /// moving one; a stale one gives a conflict).
    pub order_version: i64,
    /// Foreword, colophon text and funder line.
    pub texts: CurationTexts,
    /// Students named in the colophon (those who did not opt out).
    pub students: Vec<String>,
    /// The edition's codebook in reading order.
    pub themes: Vec<ThemeView>,
    /// The theme the approved stories are filtered by, if any.
    pub theme_filter: Option<ThemeId>,
    /// Whether the codebook can be copied from the previous edition (this
    /// one is empty and the previous one is not).
    pub can_copy_themes: bool,
}

/// One chapter (neighbourhood) of the booklet on the curation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurationChapter {
    /// The neighbourhood.
    pub neighbourhood: NeighbourhoodId,
    /// Its name.
    pub name: String,
    /// Intro text of the chapter.
    pub intro: String,
    /// Version of the intro.
    pub version: i64,
    /// The selected stories, in booklet order.
    pub stories: Vec<CurationStory>,
}

/// The free texts of a booklet selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurationTexts {
    /// Foreword.
    pub foreword: String,
    /// Extra text for the colophon.
    pub colophon_extra: String,
    /// Funder line in the colophon.
    pub funder_line: String,
    /// Version of these texts.
    pub version: i64,
}

/// A booklet build as shown to researchers and municipality staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildView {
    /// Build id.
    pub id: BuildId,
    /// Edition year.
    pub year: i64,
    /// Municipality name.
    pub municipality: String,
    /// Status.
    pub status: BuildStatus,
    /// Current phase while running (e.g. "typesetting").
    pub phase: String,
    /// Error text when failed (for researchers).
    pub error: Option<String>,
    /// Number of stories.
    pub story_count: i64,
    /// Pages, when done.
    pub page_count: Option<i64>,
    /// PDF size in bytes, when done.
    pub pdf_bytes: Option<i64>,
    /// When it was requested.
    pub created_at: Timestamp,
    /// When it finished.
    pub finished_at: Option<Timestamp>,
    /// When it was published.
    pub published_at: Option<Timestamp>,
    /// Whether a later publication replaced it.
    pub superseded: bool,
    /// How many of its stories were withdrawn since: such a build is served
    /// to the organisation's researchers only (to see what to reprint).
    #[serde(default)]
    pub withdrawn_stories: usize,
    /// Where to download the PDF (the screen edition).
    pub download_url: Option<String>,
    /// The files of a finished build: screen, print and one per chapter
    /// (page previews are not listed; see `preview_pages`).
    #[serde(default)]
    pub outputs: Vec<BuildOutputView>,
    /// How many pages have a PNG preview
    /// ([`routes::booklet_file`](crate::routes::booklet_file) with
    /// [`BuildOutputKind::Page`]).
    #[serde(default)]
    pub preview_pages: i64,
    /// Characters no font could print, shown as a replacement in the
    /// booklet; listed so the researcher can correct the story.
    #[serde(default)]
    pub missing_glyphs: Vec<crate::booklet::MissingGlyph>,
}

impl BuildView {
    /// The URL of the preview of page `page` (from 1), if it exists.
    pub fn preview_url(&self, page: i64) -> Option<String> {
        (1..=self.preview_pages)
            .contains(&page)
            .then(|| crate::routes::booklet_file(self.id, BuildOutputKind::Page, page))
    }

    /// Progress of a running build from its phase (`"photos 3/10"`,
    /// `"previews 40/120"`): done and total, when the phase counts.
    pub fn phase_progress(&self) -> Option<(i64, i64)> {
        phase_progress(&self.phase)
    }
}

/// Splits a phase such as `"pdf 2/5"` into its name and `(done, total)`.
pub fn phase_parts(phase: &str) -> (&str, Option<(i64, i64)>) {
    let (name, count) = match phase.split_once(' ') {
        Some((n, c)) => (n, Some(c)),
        None => (phase, None),
    };
    let count = count.and_then(|c| {
        let (a, b) = c.split_once('/')?;
        let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (b > 0 && a <= b).then_some((a, b))
    });
    (name, count)
}

/// `(done, total)` of a counted phase.
pub fn phase_progress(phase: &str) -> Option<(i64, i64)> {
    phase_parts(phase).1
}

/// One downloadable file of a booklet build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildOutputView {
    /// What it is.
    pub kind: BuildOutputKind,
    /// Chapter number (chapters), page (previews), else 0.
    pub ordinal: i64,
    /// Dutch label.
    pub label_nl: String,
    /// English label.
    pub label_en: String,
    /// Download URL.
    pub url: String,
    /// File size.
    pub bytes: i64,
    /// Pages in it.
    pub pages: i64,
}

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

/// Starting an audio recording (`POST` to [`crate::routes::recording_start`],
/// JSON). The browser may choose the id itself, so a recording can begin
/// while the connection is down and be announced when it returns; starting
/// the same id again is answered as the first time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingStart {
    /// The recording's id (a fresh UUID from the browser), or none to let
    /// the server choose.
    #[serde(default)]
    pub id: Option<MediaId>,
    /// What `MediaRecorder` produces, e.g. `audio/webm;codecs=opus`.
    pub mime: String,
}

/// The answer to [`RecordingStart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingStarted {
    /// The recording's id (chunks go to [`crate::routes::recording_chunk`]).
    pub id: MediaId,
    /// The MIME type it is stored with (`audio/webm`, …).
    pub mime: String,
}

/// The answer to one chunk (`PUT` to [`crate::routes::recording_chunk`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkReceipt {
    /// The chunk's number (from 0).
    pub seq: u32,
    /// The server had this chunk already (a repeated upload; nothing stored).
    pub duplicate: bool,
}

/// Finishing a recording (`POST` to [`crate::routes::recording_finish`],
/// JSON): the server joins chunks `0..chunks` into one file. The answer is the
/// ready [`MediaView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingFinish {
    /// How many chunks the browser made.
    pub chunks: u32,
    /// How long the recording is (pauses not counted), in milliseconds.
    pub duration_ms: u64,
}

/// The group administration page of one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupsView {
    /// Editions the user manages groups of, newest first.
    pub editions: Vec<EditionChoice>,
    /// The edition shown.
    pub edition: EditionChoice,
    /// Its groups, by name.
    pub groups: Vec<GroupAdmin>,
    /// Every neighbourhood of the edition's organisation, by municipality
    /// and name, to assign to groups.
    pub neighbourhoods: Vec<NeighbourhoodRef>,
    /// A fresh id for the "new group" form (a repeated post creates one
    /// group).
    pub new_group_id: GroupId,
}

/// A group as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupAdmin {
    /// Group id.
    pub id: GroupId,
    /// Name.
    pub name: String,
    /// Supervising lecturers, by name.
    pub lecturers: Vec<GroupMemberView>,
    /// Students, by name.
    pub students: Vec<GroupMemberView>,
    /// Assigned neighbourhoods.
    pub neighbourhoods: Vec<NeighbourhoodId>,
    /// Stories written in this group.
    pub story_count: i64,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMemberView {
    /// The user.
    pub user: UserId,
    /// Display name.
    pub name: String,
    /// E-mail address (their sign-in name).
    pub email: String,
    /// Stories they wrote in this group.
    pub stories: i64,
}

/// What adding a pasted list of people to a group did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MembersAdded {
    /// One entry per person read from the list.
    pub people: Vec<AddedMember>,
    /// Lines that could not be read or people who could not be added; the
    /// page puts these lines back in the box to correct them.
    pub problems: Vec<crate::domain::groups::LineProblem>,
}

/// One person of a pasted list and what happened to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedMember {
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `true` if they were already in the group in this role.
    pub already_member: bool,
    /// For a new account: the one-time start password to hand over. It is
    /// shown once and stored only as a hash.
    pub start_password: Option<String>,
}

/// A published booklet on the portal's front page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalEntry {
    /// The municipality.
    pub municipality: MunicipalityId,
    /// Its name.
    pub municipality_name: String,
    /// The werkplaats that made it.
    pub organisation_name: String,
    /// The year.
    pub year: i64,
    /// The booklet's title.
    pub title: String,
    /// When the version in force was published.
    pub published_at: Timestamp,
    /// Whether the edition is public (otherwise only the organisation and
    /// the municipality's staff see it).
    pub public: bool,
    /// The portal page of this booklet.
    pub href: String,
}

/// A municipality's published booklet of one year, as the portal shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalBooklet {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Municipality name.
    pub municipality_name: String,
    /// The werkplaats.
    pub organisation_name: String,
    /// Year.
    pub year: i64,
    /// Foreword (plain text, paragraphs separated by blank lines).
    pub foreword: Option<String>,
    /// The publication in force, with its downloads; `None` while it holds a
    /// story whose resident withdrew (only researchers get it then, until
    /// the reprint is published).
    pub current: Option<BuildView>,
    /// Earlier publications, replaced by the current one, newest first
    /// (researchers only).
    pub earlier: Vec<BuildView>,
    /// Chapters with the stories that are on the web.
    pub chapters: Vec<PortalChapter>,
    /// Stories in the booklet that are not on the web (no web consent).
    pub offline_stories: usize,
    /// The edition.
    pub edition: EditionId,
    /// Whether the edition is open to the public.
    pub public: bool,
    /// Whether the reader may open or close the edition to the public.
    pub may_change_public: bool,
}

/// A chapter of a published booklet on the portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalChapter {
    /// Neighbourhood.
    pub neighbourhood: String,
    /// Intro (plain text).
    pub intro: Option<String>,
    /// The chapter's stories that are on the web, in booklet order.
    pub stories: Vec<PortalStoryLink>,
}

/// A link to a story page of the portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalStoryLink {
    /// Story title.
    pub title: String,
    /// Resident as printed (pseudonym or first name).
    pub resident: String,
    /// Pull quote, if any.
    pub pull_quote: Option<String>,
    /// The page.
    pub href: String,
}

/// One published story as a web page: the text as published in the
/// booklet version in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalStory {
    /// The booklet's title.
    pub booklet_title: String,
    /// The booklet's portal page.
    pub booklet_href: String,
    /// The story as printed.
    pub story: crate::booklet::BookletStory,
    /// The previous story on the web, if any.
    pub previous: Option<PortalStoryLink>,
    /// The next story on the web, if any.
    pub next: Option<PortalStoryLink>,
}

#[cfg(test)]
mod build_output_tests {
    use super::*;

    #[test]
    fn file_names_round_trip() {
        for (kind, n) in [
            (BuildOutputKind::Print, 0),
            (BuildOutputKind::Screen, 0),
            (BuildOutputKind::Chapter, 3),
            (BuildOutputKind::Page, 120),
        ] {
            assert_eq!(
                BuildOutputKind::from_file_name(&kind.file_name(n)),
                Some((kind, n))
            );
            assert_eq!(BuildOutputKind::parse(kind.as_str()), Some(kind));
        }
        for bad in [
            "hoofdstuk-0.pdf",
            "hoofdstuk--1.pdf",
            "pagina-x.png",
            "pagina-1.pdf",
            "../scherm.pdf",
            "",
        ] {
            assert_eq!(BuildOutputKind::from_file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn phases_with_counts() {
        assert_eq!(phase_parts("photos 3/10"), ("photos", Some((3, 10))));
        assert_eq!(phase_parts("typesetting"), ("typesetting", None));
        assert_eq!(phase_parts("pdf 6/5"), ("pdf", None));
        assert_eq!(phase_parts("pdf 0/0"), ("pdf", None));
        assert_eq!(phase_progress("previews 40/120"), Some((40, 120)));
    }
}
