//! The yearly booklet: typesetting published stories into a PDF with typst.
//!
//! # Pipeline
//!
//! 1. **Data.** The caller assembles a [`BookletDocument`] (cover data,
//!    foreword, one [`Chapter`] per neighbourhood with its stories, colophon).
//! 2. **JSON virtual file.** [`render`] serializes it with `serde_json` and
//!    serves it as the only data file, `/data.json`, of a sealed typst
//!    `World` (see `world.rs`): the template at `/main.typ`, the typst-assets
//!    fonts plus the bundled OFL sans (Inter, `assets/fonts`), and nothing
//!    else — every other path is "not found", there is no disk access.
//! 3. **Template.** `templates/booklet.typ` (embedded in the binary) reads
//!    `json("/data.json")` and lays out cover, foreword, contents, chapter
//!    openers, stories and colophon in A5.
//! 4. **typst compile.** `typst::compile` evaluates the template and lays it
//!    out into pages; errors come back as readable [`Diagnostic`]s in a
//!    [`RenderError`].
//! 5. **PDF.** `typst_pdf` writes a tagged PDF with title, language (`nl`)
//!    and the creation date from [`RenderOptions::timestamp`]. Each
//!    [`Output`] is its own compilation: the screen edition (PDF/A-2a +
//!    PDF/UA-1), the print edition (3 mm bleed, `TrimBox`) and one PDF per
//!    chapter. The template learns which through `sys.inputs`.
//! 6. **Photos.** The worker copies the photos of a build out of the object
//!    store and serves them as `/photos/0001.jpg`, … ; the JSON only names
//!    those paths.
//!
//! # Why JSON and not generated markup
//!
//! Residents' answers may contain anything, including typst syntax such as
//! `#panic("x")`, `]`, `$x$`, `<label>`, `@ref` or `#read("/etc/passwd")`.
//! Splicing such text into typst markup would break the layout at best and
//! run the user's code at worst. Values loaded with `json()` are plain
//! strings that the template inserts as content and never evaluates, so they
//! always print literally. The template must therefore never use `eval` on
//! data.
//!
//! # Operational notes
//!
//! A build blocks its thread and cannot be cancelled; a single compilation
//! reports no progress, so [`render_all`] reports phases between the
//! compilations of its files. Time and memory grow with the page count
//! (release build, 2 cores: 126 pages ≈0.3 s / 110 MB, 638 pages ≈1.4 s /
//! 440 MB per compilation). All files of a 300-story booklet (950 pages:
//! screen, print, 12 chapters, 950 previews) took ≈22 s and 1.35 GB peak in
//! the dev profile (dependencies optimised). Previews are rendered for every
//! page at 0.5 px/pt (210 × 298 px, ≈30 KB each): ≈4.7 ms a page, ≈20 % of
//! the build, so any page can be shown without rendering on request. Run
//! builds in a worker process, one at a time. typst memoizes in
//! process-global caches; the render functions evict stale entries after
//! each file.

pub mod glyphs;
pub mod render;
mod world;

pub use world::{is_photo_path, BUNDLED_FONTS, TEMPLATE};

/// The document model is shared with the app crate, which assembles it from
/// the database; only this module knows how it becomes a PDF.
pub use app::booklet as model;

pub use model::{BookletDocument, BookletStory, Chapter, Colophon, MissingGlyph, Section};
pub use render::{
    render, render_all, render_output, render_pdf, warm_up, BuildEvent, Diagnostic, Output,
    PagePreview, RenderError, RenderOptions, RenderedBooklet, PREVIEW_PIXELS_PER_PT,
};

/// A hash of the template and fonts version: part of every build's input
/// hash, so a changed template never reuses a PDF made with the old one.
pub fn template_hash() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(world::TEMPLATE.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    format!("{:x}", h.finalize())
}
