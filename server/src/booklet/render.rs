//! Compiling a [`BookletDocument`] into PDF bytes.

use std::fmt;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_pdf::{PdfOptions, Timestamp};

use super::model::BookletDocument;
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

/// The result of a successful build.
#[derive(Debug, Clone)]
pub struct RenderedBooklet {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Number of pages in the PDF.
    pub page_count: usize,
    /// Non-fatal typst warnings (e.g. a missing glyph), formatted like errors.
    pub warnings: Vec<Diagnostic>,
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
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (stage, diagnostics) = match self {
            Self::Data(err) => return write!(f, "cannot serialize booklet data: {err}"),
            Self::Timestamp(ts) => {
                return write!(f, "timestamp {ts} cannot be written into a PDF");
            }
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

/// Renders the booklet: data → `/data.json` → template → layout → tagged PDF.
///
/// Blocks the calling thread for the whole build (≈0.3 s for 50 stories,
/// release build) and cannot be cancelled; run it on a blocking thread or in a
/// worker process.
pub fn render(doc: &BookletDocument, opts: &RenderOptions) -> Result<RenderedBooklet, RenderError> {
    let timestamp = pdf_timestamp(opts.timestamp)?;
    let data = serde_json::to_vec(doc).map_err(RenderError::Data)?;
    let world = BookletWorld::new(data, opts.timestamp);
    let result = compile_and_export(&world, opts, timestamp);
    // typst memoizes globally (comemo); drop what the last builds no longer
    // use so a long-running process does not keep every build's layout.
    typst::comemo::evict(10);
    result
}

fn compile_and_export(
    world: &BookletWorld,
    opts: &RenderOptions,
    timestamp: Timestamp,
) -> Result<RenderedBooklet, RenderError> {
    let convert = |diags: &[SourceDiagnostic]| -> Vec<Diagnostic> {
        diags
            .iter()
            .map(|diag| Diagnostic::from_typst(world, diag))
            .collect()
    };

    // The output type (`typst_layout::PagedDocument`) is inferred from
    // `typst_pdf::pdf` below; typst 0.15 does not re-export it.
    let Warned { output, warnings } = typst::compile(world);
    let document = output.map_err(|errors| RenderError::Compile(convert(&errors)))?;

    let options = PdfOptions {
        ident: opts.ident.clone().map_or(Smart::Auto, Smart::Custom),
        timestamp: Some(timestamp),
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| RenderError::Export(convert(&errors)))?;

    Ok(RenderedBooklet {
        pdf,
        page_count: document.pages().len(),
        warnings: convert(&warnings),
    })
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
                        title: format!("Verhaal {INJECTION}"),
                        resident: format!("Mia {INJECTION}"),
                        neighbourhood: "Limbricht".into(),
                        pull_quote: Some(INJECTION.into()),
                        lead: None,
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
                        title: String::new(),
                        resident: String::new(),
                        neighbourhood: String::new(),
                        pull_quote: Some(String::new()),
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
        }
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
        // Title (cover + heading + contents), foreword, resident, quote,
        // question and answer.
        assert!(text.matches(&needle).count() >= 7, "{text}");
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
