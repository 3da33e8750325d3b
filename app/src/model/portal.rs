//! The portal: published booklets and stories as web pages.

use super::booklets::BuildView;
use crate::domain::ids::{EditionId, MunicipalityId};
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

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
