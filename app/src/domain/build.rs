//! Booklet builds: their status and the files a build makes. Plain values
//! shared by the database, the worker, the routes and the pages.

use serde::{Deserialize, Serialize};

/// Status of a booklet build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildStatus {
    /// Waiting for the worker.
    Queued,
    /// Being built.
    Running,
    /// PDF ready.
    Done,
    /// Failed; see the error.
    Failed,
}

impl BuildStatus {
    /// Database text form.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildStatus::Queued => "queued",
            BuildStatus::Running => "running",
            BuildStatus::Done => "done",
            BuildStatus::Failed => "failed",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            BuildStatus::Queued,
            BuildStatus::Running,
            BuildStatus::Done,
            BuildStatus::Failed,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// What a file of a booklet build is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildOutputKind {
    /// A5 with 3 mm bleed, for the printer.
    Print,
    /// A5, PDF/A-2 + PDF/UA-1, for reading on screen.
    Screen,
    /// One neighbourhood's chapter (screen settings); ordinal = chapter number.
    Chapter,
    /// A PNG preview of one page of the screen edition; ordinal = page.
    Page,
}

impl BuildOutputKind {
    /// Database text form.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildOutputKind::Print => "print",
            BuildOutputKind::Screen => "screen",
            BuildOutputKind::Chapter => "chapter",
            BuildOutputKind::Page => "page",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            BuildOutputKind::Print,
            BuildOutputKind::Screen,
            BuildOutputKind::Chapter,
            BuildOutputKind::Page,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The file name in download URLs.
    pub fn file_name(self, ordinal: i64) -> String {
        match self {
            BuildOutputKind::Print => "druk.pdf".into(),
            BuildOutputKind::Screen => "scherm.pdf".into(),
            BuildOutputKind::Chapter => format!("hoofdstuk-{ordinal}.pdf"),
            BuildOutputKind::Page => format!("pagina-{ordinal}.png"),
        }
    }

    /// Parses a file name of a download URL into kind and ordinal.
    pub fn from_file_name(name: &str) -> Option<(Self, i64)> {
        let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 1);
        match name {
            "druk.pdf" => Some((BuildOutputKind::Print, 0)),
            "scherm.pdf" => Some((BuildOutputKind::Screen, 0)),
            _ => {
                if let Some(n) = name
                    .strip_prefix("hoofdstuk-")
                    .and_then(|r| r.strip_suffix(".pdf"))
                {
                    number(n).map(|n| (BuildOutputKind::Chapter, n))
                } else {
                    name.strip_prefix("pagina-")
                        .and_then(|r| r.strip_suffix(".png"))
                        .and_then(number)
                        .map(|n| (BuildOutputKind::Page, n))
                }
            }
        }
    }

    /// Dutch and English label of an output; `name` is the chapter's
    /// neighbourhood.
    pub fn label(self, ordinal: i64, name: &str) -> (String, String) {
        match self {
            BuildOutputKind::Print => (
                "Drukversie (A5, 3 mm afloop)".into(),
                "Print edition (A5, 3 mm bleed)".into(),
            ),
            BuildOutputKind::Screen => (
                "Schermversie (PDF/A, toegankelijk)".into(),
                "Screen edition (PDF/A, accessible)".into(),
            ),
            BuildOutputKind::Chapter => (
                format!("Hoofdstuk {ordinal}: {name}"),
                format!("Chapter {ordinal}: {name}"),
            ),
            BuildOutputKind::Page => (format!("Pagina {ordinal}"), format!("Page {ordinal}")),
        }
    }
}
