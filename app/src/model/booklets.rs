//! Booklet builds and their files, with the build phases' progress.

use crate::domain::ids::BuildId;
use crate::domain::time::Timestamp;

/// Defined with the domain rules (routes and the worker use them too).
pub use crate::domain::build::{BuildOutputKind, BuildStatus};
use serde::{Deserialize, Serialize};

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
