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
//! `booklet` module turns a document into a PDF; [`compose`] makes it from
//! the rows the database loads (`db::booklets::selection_rows`).

use serde::{Deserialize, Serialize};

pub mod compose;

pub use compose::{compose, ComposeError, Composed, SelectionRows};

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
    /// Full-bleed photo on the cover: the first photo of the first story
    /// whose resident allowed photos; `None` keeps the drawn skyline.
    #[serde(default)]
    pub cover_photo: Option<BookletPhoto>,
}

/// A photo as the template sees it: a virtual path inside the typst world,
/// never a database id or a storage key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookletPhoto {
    /// Stable virtual path, `/photos/0001.jpg`, numbered in print order.
    pub path: String,
    /// Caption printed under the photo (may be empty).
    pub caption: String,
    /// Alternative text for the tagged PDF; never empty (a Dutch fallback
    /// is filled in when the student gave none).
    pub alt: String,
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
    /// The story's id. The template ignores it; the web portal uses it to
    /// show the published text of each story and to check, at every
    /// request, that the resident's consent still allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story_id: Option<crate::domain::ids::StoryId>,
    /// Story title; the level-2 heading and its table-of-contents entry.
    pub title: String,
    /// The resident's name as printed: the pseudonym, or only their real
    /// first name while their consent includes `real_first_name`.
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
    /// The story's photos, set at text width with their captions; empty
    /// unless the resident's consent currently includes `photos`.
    #[serde(default)]
    pub photos: Vec<BookletPhoto>,
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

/// A character that no font of the booklet could print, where it occurred and
/// how often. The build does not fail on it: the booklet shows a visible
/// replacement (U+FFFD) instead, and the build lists it for the researcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingGlyph {
    /// The story holding the character; `None` for booklet texts (title,
    /// foreword, chapter intros, colophon).
    pub story_id: Option<crate::domain::ids::StoryId>,
    /// The story's title, or which booklet text (e.g. "Voorwoord").
    pub place: String,
    /// The character.
    pub character: char,
    /// How many times it occurs there.
    pub count: usize,
}

impl MissingGlyph {
    /// The character as `U+1F600`.
    pub fn code_point(&self) -> String {
        format!("U+{:04X}", u32::from(self.character))
    }
}

/// Alternative text used when the student described a photo with nothing.
pub const FALLBACK_ALT: &str = "Foto bij het verhaal, zonder beschrijving.";

/// The virtual path of the `n`-th photo of a booklet (from 1), in print order.
pub fn photo_path(n: usize) -> String {
    format!("/photos/{n:04}.jpg")
}

/// The name printed for a resident: their real first name only while
/// `real_first_name` is allowed and a first name was entered (only the first
/// word of it, so a full name typed by mistake never reaches print); else the
/// pseudonym.
pub fn printed_name(pseudonym: &str, first_name: Option<&str>, may_use_first_name: bool) -> String {
    let first = first_name
        .and_then(|f| f.split_whitespace().next())
        .filter(|_| may_use_first_name);
    match first {
        Some(f) => f.to_string(),
        None => pseudonym.to_string(),
    }
}

/// The alt text of a photo: the student's description, or [`FALLBACK_ALT`].
pub fn alt_or_fallback(alt: &str) -> String {
    let alt = alt.trim();
    if alt.is_empty() {
        FALLBACK_ALT.to_string()
    } else {
        alt.to_string()
    }
}

/// A photo a build reads from the object store and serves to typst at
/// `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoAsset {
    /// Virtual path in the typst world (`/photos/0001.jpg`).
    pub path: String,
    /// Object store key of the JPEG.
    pub object_key: String,
    /// SHA-256 of the JPEG bytes (part of the input hash).
    pub content_hash: String,
}

/// The input hash of a build: the template's hash, the document JSON and the
/// content hash of every photo (in order). Two builds with the same hash
/// produce the same files, so the stored one is reused.
#[cfg(feature = "ssr")]
pub fn input_hash(template_hash: &str, document_json: &str, photos: &[PhotoAsset]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(template_hash.as_bytes());
    h.update([0u8]);
    h.update(document_json.as_bytes());
    for p in photos {
        h.update([0u8]);
        h.update(p.path.as_bytes());
        h.update([1u8]);
        h.update(p.content_hash.as_bytes());
    }
    format!("{:x}", h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_name_only_with_consent() {
        assert_eq!(printed_name("Mevrouw X", Some("Anna"), true), "Anna");
        assert_eq!(printed_name("Mevrouw X", Some("Anna"), false), "Mevrouw X");
        assert_eq!(printed_name("Mevrouw X", None, true), "Mevrouw X");
        assert_eq!(printed_name("Mevrouw X", Some("  "), true), "Mevrouw X");
        assert_eq!(
            printed_name("Mevrouw X", Some(" Anna de Vries"), true),
            "Anna"
        );
    }

    #[test]
    fn alt_text_never_empty() {
        assert_eq!(alt_or_fallback("  "), FALLBACK_ALT);
        assert_eq!(alt_or_fallback(" Een bank "), "Een bank");
    }

    #[test]
    fn photo_paths_are_stable() {
        assert_eq!(photo_path(1), "/photos/0001.jpg");
        assert_eq!(photo_path(12345), "/photos/12345.jpg");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn input_hash_covers_photo_content() {
        let a = PhotoAsset {
            path: photo_path(1),
            object_key: "k".into(),
            content_hash: "aa".into(),
        };
        let b = PhotoAsset {
            content_hash: "bb".into(),
            ..a.clone()
        };
        let h = |p: &[PhotoAsset]| input_hash("t", "{}", p);
        assert_eq!(h(std::slice::from_ref(&a)), h(std::slice::from_ref(&a)));
        assert_ne!(h(std::slice::from_ref(&a)), h(std::slice::from_ref(&b)));
        assert_ne!(h(&[]), h(&[a]));
        assert_ne!(input_hash("t1", "{}", &[]), input_hash("t2", "{}", &[]));
    }
}
