//! The researcher's curation: the selection page, one story's quotes and
//! editorial version, the codebook's themes, the booklet's free texts.

use super::booklets::BuildView;
use super::stories::StoryListItem;
use crate::domain::ids::{
    EditionId, MunicipalityId, NeighbourhoodId, QuestionId, QuoteId, StoryId, ThemeId,
};
use serde::{Deserialize, Serialize};

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
