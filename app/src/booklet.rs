//! The booklet document: the data the typst template reads.
//!
//! A [`BookletDocument`] is serialized to JSON and handed to the template as
//! the virtual file `/data.json`. Every string in here is *data*: the
//! template inserts it as a content value and never evaluates it, so text
//! such as `#panic("x")`, `$x$`, `<label>` or `@ref` appears literally in the
//! PDF.
//!
//! Field names are part of the contract with `server/templates/booklet.typ`;
//! rename a field only together with the template. The server's
//! `booklet` module turns a document into a PDF; this crate assembles it from
//! the database (`db::booklets::assemble`).

use serde::{Deserialize, Serialize};

/// One yearly booklet: cover data, optional foreword, one chapter per
/// neighbourhood and a colophon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookletDocument {
    /// Main title, shown on the cover and set as the PDF document title.
    pub title: String,
    /// Optional subtitle shown under the title on the cover.
    pub subtitle: Option<String>,
    /// The organisation (werkplaats) publishing the booklet; shown on the
    /// cover and set as the PDF author.
    pub organisation: String,
    /// Municipality the booklet is about, e.g. "Sittard-Geleen".
    pub municipality: String,
    /// Edition year shown on the cover.
    pub year: i32,
    /// BCP 47 language tag of the text; drives hyphenation, quotes and the
    /// PDF language entry. Always `"nl"` for now.
    pub language: String,
    /// Optional foreword (plain text, paragraphs separated by blank lines).
    pub foreword: Option<String>,
    /// Name under the foreword, e.g. "Namens de werkplaats, Anouk Janssen".
    pub foreword_signature: Option<String>,
    /// The chapters, one per neighbourhood, in print order.
    pub chapters: Vec<Chapter>,
    /// Credits printed on the last page.
    pub colophon: Colophon,
}

/// A chapter: all published stories of one neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// Neighbourhood name; the level-1 heading and the running head.
    pub neighbourhood: String,
    /// Optional CBS neighbourhood code (e.g. "BU19830101"), printed small on
    /// the chapter opener.
    pub cbs_code: Option<String>,
    /// Optional introduction on the chapter opener (plain text, paragraphs
    /// separated by blank lines).
    pub intro: Option<String>,
    /// The stories in print order.
    pub stories: Vec<BookletStory>,
}

/// One interview story as printed in the booklet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookletStory {
    /// Story title; the level-2 heading and its table-of-contents entry.
    pub title: String,
    /// Pseudonym of the resident who told the story (never the real name).
    pub resident: String,
    /// Neighbourhood shown in the byline (usually the chapter's).
    pub neighbourhood: String,
    /// Optional short quote from the story, set large under the byline.
    pub pull_quote: Option<String>,
    /// Optional lead (short intro) from the editorial version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Interview questions and answers in order.
    pub sections: Vec<Section>,
}

/// One interview question with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The question, set as a small sans-serif subheading.
    pub question: String,
    /// The answer as plain text; paragraphs are separated by blank lines.
    /// Any characters are allowed and printed literally.
    pub answer: String,
}

/// Credits on the last page of the booklet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Colophon {
    /// Names of the students who conducted and edited the interviews.
    pub students: Vec<String>,
    /// The organisation (werkplaats) responsible for the booklet.
    pub organisation: String,
    /// Optional funder acknowledgement, e.g. "Mogelijk gemaakt door …".
    pub funder_line: Option<String>,
    /// Year of publication.
    pub year: i32,
    /// Optional extra text (contact details, privacy note, licence …).
    pub extra: Option<String>,
}

/// The input hash of a build: the template's hash and the document JSON.
/// Two builds with the same hash produce the same PDF, so the stored one is
/// reused.
#[cfg(feature = "ssr")]
pub fn input_hash(template_hash: &str, document_json: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(template_hash.as_bytes());
    h.update([0u8]);
    h.update(document_json.as_bytes());
    format!("{:x}", h.finalize())
}
