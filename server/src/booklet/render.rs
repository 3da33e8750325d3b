//! Compiling a [`BookletDocument`] into PDF bytes.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::glyphs;
use super::model::{BookletDocument, MissingGlyph};

use super::world::{self, BookletWorld};

/// Settings for one booklet build that are not part of the booklet data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Creation date written into the PDF metadata (required for PDF/A) and
    /// the date `datetime.today()` returns inside the template. Pass the
    /// build's start time; the same timestamp yields the same PDF.
    pub timestamp: DateTime<Utc>,
    /// A stable identifier of the booklet across rebuilds (e.g.
    /// `"wijkverhalen-sittard-geleen-2026"`). Its hash becomes the PDF
    /// document id; `None` lets typst derive one from title and author.
    pub ident: Option<String>,
}

impl RenderOptions {
    /// Options with the given timestamp and no stable identifier.
    pub fn new(timestamp: DateTime<Utc>) -> Self {
        Self {
            timestamp,
            ident: None,
        }
    }
}

/// Which file of a booklet to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A5 for reading on screen: PDF/A-2a and PDF/UA-1, tagged.
    Screen,
    /// A5 for the printer: the trimmed page plus 3 mm bleed on every side
    /// (154 × 216 mm), `TrimBox` set; tagged, no PDF standard.
    Print,
    /// One chapter (index into `chapters`, from 0) on its own, with the
    /// screen settings; its opener keeps the chapter's number.
    Chapter(usize),
}

impl Output {
    /// The `sys.inputs` the template reads for this output.
    fn inputs(self) -> Vec<(&'static str, String)> {
        match self {
            Output::Screen => vec![("output", "screen".into())],
            Output::Print => vec![("output", "print".into())],
            Output::Chapter(i) => vec![
                ("output", "chapter".into()),
                ("chapter", (i + 1).to_string()),
            ],
        }
    }

    /// The PDF standards this output conforms to.
    pub fn standards(self) -> &'static [PdfStandard] {
        match self {
            Output::Screen | Output::Chapter(_) => &[PdfStandard::A_2a, PdfStandard::Ua_1],
            Output::Print => &[],
        }
    }
}

/// A PNG preview of one page, handed to the caller while rendering.
#[derive(Debug, Clone)]
pub struct PagePreview {
    /// Page number, from 1.
    pub page: usize,
    /// Pages in the document.
    pub of: usize,
    /// The PNG file.
    pub png: Vec<u8>,
}

/// Pixels per point of page previews: an A5 page becomes 210 × 298 px,
/// readable as a thumbnail and cheap enough to render every page.
pub const PREVIEW_PIXELS_PER_PT: f64 = 0.5;

/// The result of a successful build.
#[derive(Debug, Clone)]
pub struct RenderedBooklet {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Number of pages in the PDF.
    pub page_count: usize,
    /// Non-fatal typst warnings, formatted like errors.
    pub warnings: Vec<Diagnostic>,
    /// Characters no bundled font could print, printed as
    /// [`glyphs::REPLACEMENT`] instead.
    pub missing_glyphs: Vec<MissingGlyph>,
}

/// A typst diagnostic turned into plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `true` for errors, `false` for warnings.
    pub is_error: bool,
    /// The main message.
    pub message: String,
    /// `path:line:column` in the template or data, if known.
    pub location: Option<String>,
    /// Hints typst gives to fix the problem.
    pub hints: Vec<String>,
    /// The call trace, innermost first (e.g. "while calling `json`").
    pub trace: Vec<String>,
}

impl Diagnostic {
    fn from_typst(world: &BookletWorld, diag: &SourceDiagnostic) -> Self {
        Self {
            is_error: diag.severity == Severity::Error,
            message: diag.message.to_string(),
            location: world.locate(diag.span),
            hints: diag.hints.iter().map(|hint| hint.v.to_string()).collect(),
            trace: diag.trace.iter().map(|point| point.v.to_string()).collect(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.is_error { "error" } else { "warning" };
        write!(f, "{severity}: {}", self.message)?;
        if let Some(location) = &self.location {
            write!(f, " (at {location})")?;
        }
        for point in &self.trace {
            write!(f, "\n  {point}")?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Why a booklet could not be rendered.
#[derive(Debug)]
#[non_exhaustive]
pub enum RenderError {
    /// The booklet data could not be serialized to JSON.
    Data(serde_json::Error),
    /// The timestamp cannot be represented in a PDF (year outside 0..=9999).
    Timestamp(DateTime<Utc>),
    /// typst reported errors while compiling the template.
    Compile(Vec<Diagnostic>),
    /// typst reported errors while exporting the PDF.
    Export(Vec<Diagnostic>),
    /// The data or the photos do not fit the world (e.g. a bad photo path,
    /// a chapter that does not exist, incompatible PDF standards).
    Input(String),
    /// A finished file could not be encoded or handed over (e.g. written).
    Output(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (stage, diagnostics) = match self {
            Self::Data(err) => return write!(f, "cannot serialize booklet data: {err}"),
            Self::Timestamp(ts) => {
                return write!(f, "timestamp {ts} cannot be written into a PDF");
            }
            Self::Input(message) => return write!(f, "booklet input: {message}"),
            Self::Output(message) => return write!(f, "booklet output: {message}"),
            Self::Compile(diagnostics) => ("typesetting", diagnostics),
            Self::Export(diagnostics) => ("PDF export", diagnostics),
        };
        write!(f, "booklet {stage} failed")?;
        for diagnostic in diagnostics {
            write!(f, "\n{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Data(err) => Some(err),
            _ => None,
        }
    }
}

/// Renders the booklet to PDF bytes.
///
/// Shorthand for [`render`] when page count and warnings are not needed.
pub fn render_pdf(doc: &BookletDocument, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    render(doc, opts).map(|rendered| rendered.pdf)
}

/// Renders the screen edition of a booklet without photos: data →
/// `/data.json` → template → layout → tagged PDF/A-2a + PDF/UA-1.
///
/// Blocks the calling thread for the whole build (≈0.3 s for 50 stories,
/// release build) and cannot be cancelled; run it on a blocking thread or in a
/// worker process.
pub fn render(doc: &BookletDocument, opts: &RenderOptions) -> Result<RenderedBooklet, RenderError> {
    render_output(doc, &HashMap::new(), opts, Output::Screen, None)
}

/// Renders one [`Output`] of a booklet whose photos (virtual path → JPEG
/// bytes) are in `photos`. With `previews`, every page is also rendered to a
/// small PNG ([`PREVIEW_PIXELS_PER_PT`]) and handed over one by one.
pub fn render_output(
    doc: &BookletDocument,
    photos: &HashMap<String, Bytes>,
    opts: &RenderOptions,
    output: Output,
    previews: Option<&mut dyn FnMut(PagePreview)>,
) -> Result<RenderedBooklet, RenderError> {
    let result = (|| {
        let (_, compiled, missing_glyphs) = compile_printable(doc, photos, opts, output)?;
        let pdf = compiled.export(opts, output)?;
        if let Some(previews) = previews {
            compiled.previews(&mut |p| {
                previews(p);
                Ok(())
            })?;
        }
        Ok(RenderedBooklet {
            pdf,
            page_count: compiled.document.pages().len(),
            warnings: compiled.warnings,
            missing_glyphs,
        })
    })();
    // typst memoizes globally (comemo); drop what the last builds no longer
    // use so a long-running process does not keep every build's layout.
    typst::comemo::evict(10);
    result
}

/// What [`render_all`] reports while it works, in this order: phases with
/// counts, each finished file, each page preview.
#[derive(Debug)]
pub enum BuildEvent<'a> {
    /// A new phase: `typesetting`, `pdf n/N`, `previews n/N`.
    Phase(String),
    /// A finished PDF.
    File {
        /// Which one.
        output: Output,
        /// Its pages.
        pages: usize,
        /// The bytes.
        pdf: &'a [u8],
    },
    /// A page preview of the screen edition.
    Preview(PagePreview),
    /// A character no bundled font could print (reported once per story and
    /// character, after typesetting); every file shows a replacement.
    MissingGlyph(&'a MissingGlyph),
}

/// Makes every file of a booklet — screen edition, print edition, one PDF
/// per chapter and, with `previews`, a PNG of every page of the screen
/// edition — and hands each to `sink` as soon as it is ready. Phases run
/// typesetting → pdf 1/N … N/N → previews n/N; a sink error stops the build.
pub fn render_all(
    doc: &BookletDocument,
    photos: &HashMap<String, Bytes>,
    opts: &RenderOptions,
    previews: bool,
    sink: &mut dyn FnMut(BuildEvent<'_>) -> Result<(), String>,
) -> Result<(), RenderError> {
    let result = (|| {
        let sink_err = RenderError::Output;
        let pdfs = 2 + doc.chapters.len();
        sink(BuildEvent::Phase("typesetting".into())).map_err(sink_err)?;
        let (doc, screen, missing) = compile_printable(doc, photos, opts, Output::Screen)?;
        for glyph in &missing {
            sink(BuildEvent::MissingGlyph(glyph)).map_err(sink_err)?;
        }
        let doc = &doc;
        sink(BuildEvent::Phase(format!("pdf 1/{pdfs}"))).map_err(sink_err)?;
        let pdf = screen.export(opts, Output::Screen)?;
        sink(BuildEvent::File {
            output: Output::Screen,
            pages: screen.document.pages().len(),
            pdf: &pdf,
        })
        .map_err(sink_err)?;
        drop(pdf);
        let others =
            std::iter::once(Output::Print).chain((0..doc.chapters.len()).map(Output::Chapter));
        for (i, output) in others.enumerate() {
            sink(BuildEvent::Phase(format!("pdf {}/{pdfs}", i + 2))).map_err(sink_err)?;
            let compiled = compile(doc, photos, opts, output)?;
            let pdf = compiled.export(opts, output)?;
            sink(BuildEvent::File {
                output,
                pages: compiled.document.pages().len(),
                pdf: &pdf,
            })
            .map_err(sink_err)?;
            typst::comemo::evict(10);
        }
        if previews {
            screen.previews(&mut |p| {
                if p.page == 1 || p.page.is_multiple_of(10) || p.page == p.of {
                    sink(BuildEvent::Phase(format!("previews {}/{}", p.page, p.of)))?;
                }
                sink(BuildEvent::Preview(p))
            })?;
        }
        Ok(())
    })();
    typst::comemo::evict(10);
    result
}

/// A laid-out booklet and the world it came from.
struct Compiled {
    world: BookletWorld,
    document: PagedDocument,
    warnings: Vec<Diagnostic>,
}

/// Lays out one output after replacing the characters no bundled font can
/// print (see [`glyphs`]): first those no font covers; then, if shaping still
/// produced empty glyphs, those too, and lays it out again. Returns the
/// document as printed, the layout and what was replaced.
fn compile_printable(
    doc: &BookletDocument,
    photos: &HashMap<String, Bytes>,
    opts: &RenderOptions,
    output: Output,
) -> Result<(BookletDocument, Compiled, Vec<MissingGlyph>), RenderError> {
    let mut doc = doc.clone();
    let uncovered = glyphs::unprintable(&doc);
    let mut missing = glyphs::replace(&mut doc, &uncovered);
    let mut compiled = compile(&doc, photos, opts, output)?;
    let late: BTreeSet<char> = glyphs::notdef_chars(&compiled.document)
        .into_iter()
        .filter(|c| *c != glyphs::REPLACEMENT && !uncovered.contains(c))
        .collect();
    if !late.is_empty() {
        missing.extend(glyphs::replace(&mut doc, &late));
        compiled = compile(&doc, photos, opts, output)?;
    }
    missing.sort_by(|a, b| (&a.place, a.character).cmp(&(&b.place, b.character)));
    Ok((doc, compiled, missing))
}

/// Lays out one output: the data (one chapter for [`Output::Chapter`]) as
/// `/data.json`, the photos, and the output's `sys.inputs`.
fn compile(
    doc: &BookletDocument,
    photos: &HashMap<String, Bytes>,
    opts: &RenderOptions,
    output: Output,
) -> Result<Compiled, RenderError> {
    let data = match output {
        Output::Chapter(i) => {
            let chapter = doc
                .chapters
                .get(i)
                .ok_or_else(|| RenderError::Input(format!("there is no chapter {}", i + 1)))?;
            let mut single = doc.clone();
            single.chapters = vec![chapter.clone()];
            serde_json::to_vec(&single)
        }
        _ => serde_json::to_vec(doc),
    }
    .map_err(RenderError::Data)?;
    let world = BookletWorld::new(data, opts.timestamp)
        .with_photos(photos)
        .map_err(RenderError::Input)?
        .with_inputs(&output.inputs());
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let convert = |diags: &[SourceDiagnostic]| -> Vec<Diagnostic> {
        diags
            .iter()
            .map(|diag| Diagnostic::from_typst(&world, diag))
            .collect()
    };
    let document = output.map_err(|errors| RenderError::Compile(convert(&errors)))?;
    let warnings = convert(&warnings);
    Ok(Compiled {
        world,
        document,
        warnings,
    })
}

impl Compiled {
    /// Writes the PDF with the output's standards.
    fn export(&self, opts: &RenderOptions, output: Output) -> Result<Vec<u8>, RenderError> {
        let timestamp = pdf_timestamp(opts.timestamp)?;
        let standards = PdfStandards::new(output.standards())
            .map_err(|e| RenderError::Input(e.message().to_string()))?;
        let options = PdfOptions {
            ident: opts.ident.clone().map_or(Smart::Auto, Smart::Custom),
            timestamp: Some(timestamp),
            tagged: true,
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&self.document, &options).map_err(|errors| {
            RenderError::Export(
                errors
                    .iter()
                    .map(|diag| Diagnostic::from_typst(&self.world, diag))
                    .collect(),
            )
        })
    }

    /// Renders every page to a small PNG ([`PREVIEW_PIXELS_PER_PT`]).
    fn previews(
        &self,
        sink: &mut dyn FnMut(PagePreview) -> Result<(), String>,
    ) -> Result<(), RenderError> {
        let render_options = typst_render::RenderOptions {
            pixel_per_pt: PREVIEW_PIXELS_PER_PT.into(),
            render_bleed: false,
        };
        let of = self.document.pages().len();
        for (i, page) in self.document.pages().iter().enumerate() {
            let png = typst_render::render(page, &render_options)
                .encode_png()
                .map_err(|e| RenderError::Output(format!("page {}: PNG: {e}", i + 1)))?;
            sink(PagePreview {
                page: i + 1,
                of,
                png,
            })
            .map_err(RenderError::Output)?;
        }
        Ok(())
    }
}

/// Converts the build timestamp into typst's PDF timestamp (UTC).
fn pdf_timestamp(ts: DateTime<Utc>) -> Result<Timestamp, RenderError> {
    let datetime = (|| {
        Datetime::from_ymd_hms(
            ts.year(),
            u8::try_from(ts.month()).ok()?,
            u8::try_from(ts.day()).ok()?,
            u8::try_from(ts.hour()).ok()?,
            u8::try_from(ts.minute()).ok()?,
            u8::try_from(ts.second()).ok()?,
        )
    })()
    .filter(|_| (0..=9999).contains(&ts.year()))
    .ok_or(RenderError::Timestamp(ts))?;
    Ok(Timestamp::new_utc(datetime))
}

/// Parses the template and loads fonts ahead of the first build.
pub fn warm_up() {
    world::warm_up();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booklet::model::{BookletStory, Chapter, Colophon, Section};
    use typst::layout::{Frame, FrameItem};

    const INJECTION: &str = r#"#panic("x") ] $x$ <l> @r #read("/etc/passwd")"#;

    fn timestamp() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-06-03T10:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("valid timestamp")
    }

    fn document() -> BookletDocument {
        BookletDocument {
            title: format!("Titel {INJECTION}"),
            subtitle: None,
            organisation: "Werkplaats".into(),
            municipality: "Sittard-Geleen".into(),
            year: 2026,
            language: "nl".into(),
            foreword: Some(format!("Eerste alinea.\n\n{INJECTION}")),
            foreword_signature: None,
            chapters: vec![
                Chapter {
                    neighbourhood: "Limbricht".into(),
                    cbs_code: None,
                    intro: None,
                    stories: vec![BookletStory {
                        story_id: None,
                        title: format!("Verhaal {INJECTION}"),
                        resident: format!("Mia {INJECTION}"),
                        neighbourhood: "Limbricht".into(),
                        pull_quote: Some(INJECTION.into()),
                        photos: vec![],
                        lead: Some(format!("Inleiding van de redactie {INJECTION}")),
                        sections: vec![Section {
                            question: format!("Vraag {INJECTION}?"),
                            answer: format!("Een.\r\n\r\nTwee {INJECTION}\nregel.\n \n"),
                        }],
                    }],
                },
                // Edge cases: empty chapter, empty story.
                Chapter {
                    neighbourhood: "Kluis".into(),
                    cbs_code: Some("BU19830103".into()),
                    intro: Some("  ".into()),
                    stories: vec![],
                },
                Chapter {
                    neighbourhood: "Ophoven".into(),
                    cbs_code: None,
                    intro: None,
                    stories: vec![BookletStory {
                        story_id: None,
                        title: String::new(),
                        resident: String::new(),
                        neighbourhood: String::new(),
                        pull_quote: Some(String::new()),
                        photos: vec![],
                        lead: None,
                        sections: vec![],
                    }],
                },
            ],
            colophon: Colophon {
                students: vec![],
                organisation: "Werkplaats".into(),
                funder_line: None,
                year: 2026,
                extra: None,
            },
            cover_photo: None,
        }
    }

    fn with_photo() -> (BookletDocument, HashMap<String, Bytes>) {
        let mut doc = document();
        let photo = crate::booklet::model::BookletPhoto {
            path: "/photos/0001.jpg".into(),
            caption: format!("Bijschrift {INJECTION}"),
            alt: "Een bankje bij de kerk".into(),
        };
        doc.chapters[0].stories[0].photos = vec![photo.clone()];
        doc.cover_photo = Some(photo);
        let mut photos = HashMap::new();
        photos.insert(
            "/photos/0001.jpg".to_string(),
            Bytes::new(testdata::jpeg_of_size(64, 48)),
        );
        (doc, photos)
    }

    #[test]
    fn screen_edition_is_pdf_a_and_ua_with_photos() {
        let (doc, photos) = with_photo();
        let opts = RenderOptions::new(timestamp());
        let mut previews = Vec::new();
        let mut collect = |p: PagePreview| previews.push(p);
        let rendered = render_output(&doc, &photos, &opts, Output::Screen, Some(&mut collect))
            .expect("renders");
        let pdf = String::from_utf8_lossy(&rendered.pdf);
        assert!(pdf.contains("pdfaid:part"), "PDF/A identification");
        assert!(pdf.contains("pdfuaid:part"), "PDF/UA identification");
        assert!(pdf.contains("Een bankje bij de kerk"), "alt text");
        assert!(!pdf.contains("/TrimBox"), "no bleed on screen");
        assert_eq!(previews.len(), rendered.page_count);
        assert!(previews.iter().all(|p| p.png.starts_with(b"\x89PNG")));
        assert_eq!(previews[2].page, 3);
    }

    #[test]
    fn all_files_in_phase_order() {
        let (doc, photos) = with_photo();
        let opts = RenderOptions::new(timestamp());
        let mut log = Vec::new();
        let mut pages = 0;
        render_all(&doc, &photos, &opts, true, &mut |e| {
            match e {
                BuildEvent::Phase(p) => log.push(p),
                BuildEvent::File {
                    output,
                    pages: n,
                    pdf,
                } => {
                    assert!(pdf.starts_with(b"%PDF-"));
                    if output == Output::Screen {
                        pages = n;
                    }
                    log.push(format!("{output:?}"));
                }
                BuildEvent::Preview(p) => {
                    assert!(p.png.starts_with(b"\x89PNG"));
                    log.push(format!("png {}", p.page));
                }
                BuildEvent::MissingGlyph(m) => log.push(format!("missing {}", m.code_point())),
            }
            Ok(())
        })
        .expect("renders");
        let head: Vec<&str> = log.iter().take(11).map(String::as_str).collect();
        assert_eq!(
            head,
            [
                "typesetting",
                "pdf 1/5",
                "Screen",
                "pdf 2/5",
                "Print",
                "pdf 3/5",
                "Chapter(0)",
                "pdf 4/5",
                "Chapter(1)",
                "pdf 5/5",
                "Chapter(2)"
            ]
        );
        assert_eq!(log[11], format!("previews 1/{pages}"));
        assert_eq!(log.last(), Some(&format!("png {pages}")));
        assert_eq!(log.iter().filter(|l| l.starts_with("png ")).count(), pages);
        // A failing sink stops the build with its message.
        let err = render_all(&doc, &photos, &opts, false, &mut |e| match e {
            BuildEvent::File { .. } => Err("disk full".into()),
            _ => Ok(()),
        })
        .expect_err("stops");
        assert!(err.to_string().contains("disk full"), "{err}");
    }

    #[test]
    fn print_edition_has_bleed_and_chapters_stand_alone() {
        let (doc, photos) = with_photo();
        let opts = RenderOptions::new(timestamp());
        let print = render_output(&doc, &photos, &opts, Output::Print, None).expect("print");
        assert!(String::from_utf8_lossy(&print.pdf).contains("/TrimBox"));
        let chapter =
            render_output(&doc, &photos, &opts, Output::Chapter(0), None).expect("chapter");
        assert!(chapter.page_count < print.page_count);
        let missing = render_output(&doc, &photos, &opts, Output::Chapter(7), None);
        assert!(matches!(missing, Err(RenderError::Input(_))));
        // A photo path the world does not allow is refused, never read.
        let mut bad = photos.clone();
        bad.insert("/etc/passwd".into(), Bytes::new(vec![0u8]));
        let refused = render_output(&doc, &bad, &opts, Output::Screen, None);
        assert!(matches!(refused, Err(RenderError::Input(_))));
    }

    fn collect_text(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => collect_text(&group.frame, out),
                FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }

    #[test]
    fn renders_tagged_pdf() {
        let opts = RenderOptions::new(timestamp());
        let rendered = render(&document(), &opts).expect("renders");
        assert!(rendered.pdf.starts_with(b"%PDF-"));
        assert!(rendered.page_count >= 6, "{}", rendered.page_count);
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        let pdf = String::from_utf8_lossy(&rendered.pdf);
        assert!(pdf.contains("/Lang(nl)"));
        assert!(pdf.contains("/StructTreeRoot"));
        assert!(pdf.contains("/Marked true"));
    }

    /// Every script the werkplaats meets, emoji with joiners, skin tones and
    /// flags, and two characters no bundled font has (Egyptian hieroglyph
    /// A001, Linear B syllable B008).
    const WORLD_TEXT: &str = "Nederlands ëï, Türkçe ğış, Polski łęż, Ελληνικά, Русский; \
        العربية: مرحبا بالجيران; עברית: שלום שכנים; हिन्दी: नमस्ते पड़ोसी; \
        ไทย: สวัสดีเพื่อนบ้าน; ⵜⴰⵎⴰⵣⵉⵖⵜ: ⴰⵣⵓⵍ; 中文: 邻居你好; 日本語: こんにちは; 한국어: 안녕하세요; \
        emoji 👩‍👧 🏳️‍🌈 👍🏽 👨🏿‍🦱 🇳🇱 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ❤️ ✓ 😀; \
        ontbreekt: \u{13000} \u{10000}\u{13000}";

    #[test]
    fn any_script_and_emoji_build_and_what_no_font_has_is_replaced_and_reported() {
        let mut doc = document();
        let story = crate::booklet::model::BookletStory {
            story_id: Some(app::domain::ids::StoryId::new()),
            title: "Wereldtalen 🌍".into(),
            resident: "Fatima".into(),
            neighbourhood: "Limbricht".into(),
            pull_quote: Some("👩‍👧 שלום مرحبا".into()),
            lead: None,
            photos: vec![],
            sections: vec![Section {
                question: "Welke talen spreekt u thuis?".into(),
                answer: WORLD_TEXT.into(),
            }],
        };
        let story_id = story.story_id;
        doc.chapters[0].stories.push(story);
        let opts = RenderOptions::new(timestamp());
        // The screen edition is PDF/A-2a + PDF/UA-1: export refuses any
        // character shown as an empty glyph, so this is the real check.
        let rendered = render(&doc, &opts).expect("the booklet builds");
        let reported: Vec<(Option<app::domain::ids::StoryId>, &str, char, usize)> = rendered
            .missing_glyphs
            .iter()
            .map(|m| (m.story_id, m.place.as_str(), m.character, m.count))
            .collect();
        assert_eq!(
            reported,
            vec![
                (story_id, "Wereldtalen 🌍", '\u{10000}', 1),
                (story_id, "Wereldtalen 🌍", '\u{13000}', 2),
            ]
        );
        assert_eq!(rendered.missing_glyphs[1].code_point(), "U+13000");

        // The layout shows the scripts and the replacement, not the missing ones.
        let (_, compiled, _) =
            compile_printable(&doc, &HashMap::new(), &opts, Output::Screen).expect("compiles");
        let mut text = String::new();
        for page in compiled.document.pages() {
            collect_text(&page.frame, &mut text);
        }
        for sample in [
            "مرحبا",
            "שלום",
            "नमस्ते",
            "สวัสดี",
            "ⴰⵣⵓⵍ",
            "邻居你好",
            "안녕하세요",
            "👍🏽",
            "😀",
        ] {
            assert!(text.contains(sample), "{sample} printed");
        }
        assert!(!text.contains('\u{13000}'));
        assert_eq!(text.matches(glyphs::REPLACEMENT).count(), 3, "{text}");
        assert!(glyphs::notdef_chars(&compiled.document).is_empty());
        // Print and chapter files build from the same text.
        render_output(&doc, &HashMap::new(), &opts, Output::Print, None).expect("print");
    }

    #[test]
    fn user_text_is_printed_literally() {
        let doc = document();
        let world = BookletWorld::new(serde_json::to_vec(&doc).expect("json"), timestamp());
        let document = typst::compile(&world).output.expect("compiles");
        // Exporting pins the output type (typst 0.15 does not re-export it).
        typst_pdf::pdf(&document, &PdfOptions::default()).expect("exports");

        let mut text = String::new();
        for page in document.pages() {
            collect_text(&page.frame, &mut text);
        }
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let text = squash(&text);
        let needle = squash(INJECTION);
        // Title (cover + heading + contents), foreword, resident, lead,
        // quote, question and answer.
        assert!(text.matches(&needle).count() >= 8, "{text}");
        assert!(
            text.contains(&squash("Inleiding van de redactie")),
            "lead printed"
        );
    }

    #[test]
    fn errors_are_readable() {
        let mut doc = document();
        doc.language = "not a language".into();
        let err = render_pdf(&doc, &RenderOptions::new(timestamp())).expect_err("fails");
        let message = err.to_string();
        assert!(matches!(err, RenderError::Compile(_)), "{message}");
        assert!(message.contains("/main.typ:"), "{message}");
    }

    #[test]
    fn timestamp_out_of_pdf_range_is_rejected() {
        let ts = DateTime::<Utc>::MIN_UTC;
        assert!(matches!(pdf_timestamp(ts), Err(RenderError::Timestamp(_))));
    }
}
