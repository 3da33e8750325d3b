//! Composing a booklet: from the rows of a selection to the document typst
//! prints. Pure: the database loads [`SelectionRows`] (a fixed number of
//! queries whatever the number of stories, see `db::booklets::selection_rows`)
//! and [`compose`] applies every rule of what goes into print:
//!
//! * **consent** — only stories that are selected (or published) and whose
//!   resident's consent, not withdrawn, includes the booklet
//!   ([`may_select_for_booklet`]); the resident's printed name is the
//!   pseudonym, or the real first name with `real_first_name`
//!   ([`printed_name`]); photos only with `photos`;
//! * **editorial** — the latest editorial version, where there is one, gives
//!   the title, the lead and the answers; else the students' own text; empty
//!   answers are left out;
//! * **order** — chapters per neighbourhood and stories within them as the
//!   researcher set them ([`arrange`]); photos are numbered in print order.

use super::{
    alt_or_fallback, photo_path, printed_name, BookletDocument, BookletPhoto, BookletStory,
    Chapter, Colophon, PhotoAsset, Section,
};
use crate::domain::access::{may_select_for_booklet, StoryScope};
use crate::domain::consent::{ConsentScope, ConsentScopes};
use crate::domain::curation::arrange;
use crate::domain::ids::*;
use crate::domain::lifecycle::StoryStatus;
use std::collections::BTreeMap;

/// The selection itself: its edition, municipality and free texts.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionHead {
    /// The selection.
    pub id: SelectionId,
    /// The edition's organisation.
    pub organisation: OrganisationId,
    /// Its name (cover, colophon).
    pub organisation_name: String,
    /// The edition.
    pub edition: EditionId,
    /// The edition's year.
    pub year: i32,
    /// The municipality.
    pub municipality: MunicipalityId,
    /// Its name.
    pub municipality_name: String,
    /// The booklet's title.
    pub title: String,
    /// Foreword ("" for none).
    pub foreword: String,
    /// Extra colophon text ("" for none).
    pub colophon_extra: String,
    /// Funder line ("" for none).
    pub funder_line: String,
}

/// One story of the selection, whatever its state now.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedStory {
    /// The story.
    pub id: StoryId,
    /// Its position in the selection.
    pub position: i64,
    /// Its organisation, municipality and group.
    pub organisation: OrganisationId,
    /// Its municipality.
    pub municipality: MunicipalityId,
    /// Its group.
    pub group: GroupId,
    /// Its status.
    pub status: StoryStatus,
    /// The students' title.
    pub title: String,
    /// The resident's pseudonym.
    pub pseudonym: String,
    /// The resident's real first name, if entered.
    pub first_name: Option<String>,
    /// The consent's scopes (`None`: no consent recorded).
    pub scopes: Option<ConsentScopes>,
    /// Whether the resident withdrew consent.
    pub withdrawn: bool,
    /// The neighbourhood (the chapter).
    pub neighbourhood: NeighbourhoodId,
    /// Its name.
    pub neighbourhood_name: String,
    /// Its CBS code.
    pub cbs_code: Option<String>,
}

/// One answer of a selected story, in the guide's order.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    /// The story.
    pub story: StoryId,
    /// The question.
    pub question: QuestionId,
    /// The question as printed.
    pub question_text: String,
    /// The students' answer.
    pub body: String,
}

/// The latest editorial version of a story.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EditorialText {
    /// Title.
    pub title: String,
    /// Lead ("" for none).
    pub lead: String,
    /// Answers by question.
    pub answers: BTreeMap<QuestionId, String>,
}

/// A ready photo of a selected story.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoRow {
    /// The story.
    pub story: StoryId,
    /// Object store key of the JPEG.
    pub object_key: String,
    /// SHA-256 of the bytes, if known.
    pub content_hash: Option<String>,
    /// Caption.
    pub caption: String,
    /// Alternative text as the student wrote it.
    pub alt: String,
}

/// A stored chapter of the selection: its place and intro.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterText {
    /// The neighbourhood.
    pub neighbourhood: NeighbourhoodId,
    /// Its stored position.
    pub position: i64,
    /// Intro ("" for none).
    pub intro: String,
}

/// Everything the database holds for one selection's booklet.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionRows {
    /// The selection.
    pub head: SelectionHead,
    /// Its stories, in selection order.
    pub stories: Vec<SelectedStory>,
    /// Their answers, per story in the guide's order.
    pub answers: Vec<AnswerRow>,
    /// Latest editorial versions, by story.
    pub editorial: BTreeMap<StoryId, EditorialText>,
    /// Pull quotes, by story.
    pub pull_quotes: BTreeMap<StoryId, String>,
    /// Ready photos, per story in the order they were added.
    pub photos: Vec<PhotoRow>,
    /// Stored chapters (their order and intros).
    pub chapters: Vec<ChapterText>,
    /// The students named in the colophon.
    pub students: Vec<String>,
}

/// A composed booklet.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    /// The document for the template.
    pub document: BookletDocument,
    /// The stories in it, in assembly order.
    pub stories: Vec<StoryId>,
    /// The photos the document names, in print order.
    pub photos: Vec<PhotoAsset>,
}

/// A selection that cannot be composed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeError {
    /// A selected story belongs to another organisation than the selection.
    CrossesOrganisations(StoryId),
}

impl std::fmt::Display for ComposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ComposeError::CrossesOrganisations(s) => {
                write!(
                    f,
                    "story {s} belongs to another organisation than its selection"
                )
            }
        }
    }
}

/// Whether a selected story goes into print now (see the module docs).
fn printable(story: &SelectedStory) -> bool {
    let scopes = match story.scopes {
        Some(s) if !story.withdrawn => s,
        _ => return false,
    };
    let scope = StoryScope {
        organisation: story.organisation,
        municipality: story.municipality,
        group: story.group,
        status: story.status,
        scopes,
    };
    matches!(story.status, StoryStatus::Selected | StoryStatus::Published)
        && may_select_for_booklet(&scope).is_ok()
}

/// Composes the booklet of `rows` (see the module docs).
pub fn compose(rows: SelectionRows) -> Result<Composed, ComposeError> {
    let SelectionRows {
        head,
        stories,
        answers,
        editorial,
        pull_quotes,
        photos,
        chapters: chapter_texts,
        students,
    } = rows;
    let mut answers_of: BTreeMap<StoryId, Vec<AnswerRow>> = BTreeMap::new();
    for a in answers {
        answers_of.entry(a.story).or_default().push(a);
    }
    let mut photos_of: BTreeMap<StoryId, Vec<PhotoRow>> = BTreeMap::new();
    for p in photos {
        photos_of.entry(p.story).or_default().push(p);
    }
    let mut chapters: Vec<(NeighbourhoodId, Chapter)> = Vec::new();
    let mut story_ids = Vec::new();
    // Photo assets in assembly order; their final paths are given below.
    let mut pending: Vec<PhotoAsset> = Vec::new();
    for story in stories.iter().filter(|s| printable(s)) {
        if story.organisation != head.organisation {
            return Err(ComposeError::CrossesOrganisations(story.id));
        }
        let scopes = story.scopes.unwrap_or_default();
        let edit = editorial.get(&story.id);
        let mut entry = BookletStory {
            story_id: Some(story.id),
            title: edit.map_or_else(|| story.title.clone(), |e| e.title.clone()),
            resident: printed_name(
                &story.pseudonym,
                story.first_name.as_deref(),
                scopes.contains(ConsentScope::RealFirstName),
            ),
            neighbourhood: story.neighbourhood_name.clone(),
            pull_quote: pull_quotes.get(&story.id).cloned(),
            lead: edit
                .map(|e| e.lead.clone())
                .filter(|l| !l.trim().is_empty()),
            photos: Vec::new(),
            sections: answers_of
                .remove(&story.id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| Section {
                    question: a.question_text,
                    answer: edit
                        .and_then(|e| e.answers.get(&a.question).cloned())
                        .unwrap_or(a.body),
                })
                .filter(|s| !s.answer.trim().is_empty())
                .collect(),
        };
        if scopes.contains(ConsentScope::Photos) {
            for p in photos_of.remove(&story.id).unwrap_or_default() {
                let path = format!("pending/{}", pending.len());
                entry.photos.push(BookletPhoto {
                    path: path.clone(),
                    caption: p.caption.trim().to_string(),
                    alt: alt_or_fallback(&p.alt),
                });
                pending.push(PhotoAsset {
                    path,
                    content_hash: p.content_hash.unwrap_or_else(|| p.object_key.clone()),
                    object_key: p.object_key,
                });
            }
        }
        story_ids.push(story.id);
        match chapters.iter_mut().find(|(n, _)| *n == story.neighbourhood) {
            Some((_, ch)) => ch.stories.push(entry),
            None => chapters.push((
                story.neighbourhood,
                Chapter {
                    neighbourhood: story.neighbourhood_name.clone(),
                    cbs_code: story.cbs_code.clone(),
                    intro: None,
                    stories: vec![entry],
                },
            )),
        }
    }
    // Chapter order as the researcher set it (see `domain::curation`).
    let placed: Vec<(StoryId, NeighbourhoodId, i64)> = stories
        .iter()
        .map(|s| (s.id, s.neighbourhood, s.position))
        .collect();
    let stored: Vec<(NeighbourhoodId, i64)> = chapter_texts
        .iter()
        .map(|c| (c.neighbourhood, c.position))
        .collect();
    let order: Vec<NeighbourhoodId> = arrange(&placed, &stored)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    chapters.sort_by_key(|(nid, _)| order.iter().position(|o| o == nid));
    for text in &chapter_texts {
        if let Some((_, ch)) = chapters.iter_mut().find(|(n, _)| *n == text.neighbourhood) {
            ch.intro = Some(text.intro.clone()).filter(|i| !i.trim().is_empty());
        }
    }
    let mut chapters: Vec<Chapter> = chapters.into_iter().map(|(_, c)| c).collect();
    let photos = number_photos(&mut chapters, pending);
    let cover_photo = chapters
        .iter()
        .flat_map(|c| &c.stories)
        .find_map(|s| s.photos.first().cloned());
    let nonempty = |s: String| Some(s).filter(|t| !t.trim().is_empty());
    let document = BookletDocument {
        title: head.title,
        subtitle: Some(format!(
            "Verhalen uit de wijken van {}",
            head.municipality_name
        )),
        organisation: head.organisation_name.clone(),
        municipality: head.municipality_name,
        year: head.year,
        language: "nl".into(),
        foreword: nonempty(head.foreword),
        foreword_signature: None,
        chapters,
        cover_photo,
        colophon: Colophon {
            students,
            organisation: head.organisation_name,
            funder_line: nonempty(head.funder_line),
            year: head.year,
            extra: nonempty(head.colophon_extra),
        },
    };
    Ok(Composed {
        document,
        stories: story_ids,
        photos,
    })
}

/// Gives every photo its final virtual path, numbered from 1 in print order
/// (chapters may print in another order than the stories were assembled),
/// and returns the assets in that order.
fn number_photos(chapters: &mut [Chapter], pending: Vec<PhotoAsset>) -> Vec<PhotoAsset> {
    let mut out = Vec::with_capacity(pending.len());
    for photo in chapters
        .iter_mut()
        .flat_map(|c| c.stories.iter_mut())
        .flat_map(|s| s.photos.iter_mut())
    {
        let asset = photo
            .path
            .strip_prefix("pending/")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| pending.get(i));
        if let Some(asset) = asset {
            let path = photo_path(out.len() + 1);
            out.push(PhotoAsset {
                path: path.clone(),
                ..asset.clone()
            });
            photo.path = path;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        rows: SelectionRows,
        north: NeighbourhoodId,
        south: NeighbourhoodId,
        q: QuestionId,
    }

    fn story(f: &Fixture, n: NeighbourhoodId, position: i64, title: &str) -> SelectedStory {
        SelectedStory {
            id: StoryId::new(),
            position,
            organisation: f.rows.head.organisation,
            municipality: f.rows.head.municipality,
            group: GroupId::new(),
            status: StoryStatus::Selected,
            title: title.into(),
            pseudonym: format!("Bewoner {title}"),
            first_name: Some("Anna Maria".into()),
            scopes: Some(ConsentScopes::from_db("research,booklet")),
            withdrawn: false,
            neighbourhood: n,
            neighbourhood_name: if n == f.north {
                "Noord".into()
            } else {
                "Zuid".into()
            },
            cbs_code: None,
        }
    }

    fn fixture() -> Fixture {
        let head = SelectionHead {
            id: SelectionId::new(),
            organisation: OrganisationId::new(),
            organisation_name: "Zuyd".into(),
            edition: EditionId::new(),
            year: 2026,
            municipality: MunicipalityId::new(),
            municipality_name: "Stein".into(),
            title: "Wijkverhalen Stein 2026".into(),
            foreword: " ".into(),
            colophon_extra: String::new(),
            funder_line: "Fonds".into(),
        };
        Fixture {
            rows: SelectionRows {
                head,
                stories: Vec::new(),
                answers: Vec::new(),
                editorial: BTreeMap::new(),
                pull_quotes: BTreeMap::new(),
                photos: Vec::new(),
                chapters: Vec::new(),
                students: vec!["Sanne".into()],
            },
            north: NeighbourhoodId::new(),
            south: NeighbourhoodId::new(),
            q: QuestionId::new(),
        }
    }

    fn answer(f: &Fixture, s: &SelectedStory, body: &str) -> AnswerRow {
        AnswerRow {
            story: s.id,
            question: f.q,
            question_text: "Waar ontmoet u buren?".into(),
            body: body.into(),
        }
    }

    fn photo(s: &SelectedStory, key: &str) -> PhotoRow {
        PhotoRow {
            story: s.id,
            object_key: key.into(),
            content_hash: None,
            caption: " Het plein ".into(),
            alt: String::new(),
        }
    }

    fn titles(c: &Composed) -> Vec<Vec<String>> {
        c.document
            .chapters
            .iter()
            .map(|ch| ch.stories.iter().map(|s| s.title.clone()).collect())
            .collect()
    }

    #[test]
    fn only_stories_with_current_booklet_consent_are_printed() {
        let mut f = fixture();
        let ok = story(&f, f.north, 0, "A");
        let mut no_booklet = story(&f, f.north, 1, "B");
        no_booklet.scopes = Some(ConsentScopes::from_db("research,web"));
        let mut withdrawn = story(&f, f.north, 2, "C");
        withdrawn.withdrawn = true;
        let mut no_consent = story(&f, f.north, 3, "D");
        no_consent.scopes = None;
        let mut taken_back = story(&f, f.north, 4, "E");
        taken_back.status = StoryStatus::Withdrawn;
        let mut approved_only = story(&f, f.north, 5, "F");
        approved_only.status = StoryStatus::Approved;
        let mut published = story(&f, f.north, 6, "G");
        published.status = StoryStatus::Published;
        f.rows.stories = vec![
            ok.clone(),
            no_booklet,
            withdrawn,
            no_consent,
            taken_back,
            approved_only,
            published.clone(),
        ];
        let c = compose(f.rows).unwrap();
        assert_eq!(c.stories, vec![ok.id, published.id]);
        assert_eq!(titles(&c), vec![vec!["A".to_string(), "G".to_string()]]);
    }

    #[test]
    fn names_and_photos_follow_the_scopes() {
        let mut f = fixture();
        let plain = story(&f, f.north, 0, "A");
        let mut named = story(&f, f.north, 1, "B");
        named.scopes = Some(ConsentScopes::from_db(
            "research,booklet,real_first_name,photos",
        ));
        f.rows.photos = vec![
            photo(&plain, "p1"),
            photo(&named, "n1"),
            photo(&named, "n2"),
        ];
        f.rows.stories = vec![plain, named];
        let c = compose(f.rows).unwrap();
        let printed = &c.document.chapters[0].stories;
        assert_eq!(printed[0].resident, "Bewoner A");
        assert!(printed[0].photos.is_empty(), "no photos scope, no photos");
        assert_eq!(printed[1].resident, "Anna");
        assert_eq!(
            printed[1]
                .photos
                .iter()
                .map(|p| p.path.as_str())
                .collect::<Vec<_>>(),
            ["/photos/0001.jpg", "/photos/0002.jpg"]
        );
        assert_eq!(printed[1].photos[0].caption, "Het plein");
        assert_eq!(printed[1].photos[0].alt, crate::booklet::FALLBACK_ALT);
        assert_eq!(
            c.photos
                .iter()
                .map(|p| p.object_key.as_str())
                .collect::<Vec<_>>(),
            ["n1", "n2"]
        );
        assert_eq!(
            c.document.cover_photo.as_ref().map(|p| p.path.as_str()),
            Some("/photos/0001.jpg")
        );
    }

    #[test]
    fn the_editorial_version_is_printed_and_empty_answers_left_out() {
        let mut f = fixture();
        let edited = story(&f, f.north, 0, "Eigen titel");
        let empty = story(&f, f.north, 1, "Leeg");
        f.rows.answers = vec![
            answer(&f, &edited, "Op de markt."),
            answer(&f, &empty, "  "),
        ];
        f.rows.editorial.insert(
            edited.id,
            EditorialText {
                title: "Redactietitel".into(),
                lead: "Een inleiding.".into(),
                answers: [(f.q, "Op de zaterdagmarkt.".to_string())]
                    .into_iter()
                    .collect(),
            },
        );
        f.rows
            .pull_quotes
            .insert(edited.id, "Iedereen kent elkaar.".into());
        f.rows.stories = vec![edited, empty];
        let c = compose(f.rows).unwrap();
        let printed = &c.document.chapters[0].stories;
        assert_eq!(printed[0].title, "Redactietitel");
        assert_eq!(printed[0].lead.as_deref(), Some("Een inleiding."));
        assert_eq!(printed[0].sections[0].answer, "Op de zaterdagmarkt.");
        assert_eq!(
            printed[0].pull_quote.as_deref(),
            Some("Iedereen kent elkaar.")
        );
        assert_eq!(printed[1].title, "Leeg");
        assert_eq!(printed[1].lead, None);
        assert!(printed[1].sections.is_empty());
        assert_eq!(c.document.foreword, None);
        assert_eq!(c.document.colophon.funder_line.as_deref(), Some("Fonds"));
    }

    #[test]
    fn chapters_follow_the_stored_order_with_their_intros() {
        let mut f = fixture();
        let a = story(&f, f.north, 0, "Noord 1");
        let b = story(&f, f.south, 1, "Zuid 1");
        let c = story(&f, f.north, 2, "Noord 2");
        f.rows.chapters = vec![
            ChapterText {
                neighbourhood: f.south,
                position: 0,
                intro: "Over Zuid.".into(),
            },
            ChapterText {
                neighbourhood: f.north,
                position: 1,
                intro: " ".into(),
            },
        ];
        f.rows.stories = vec![a, b, c];
        let composed = compose(f.rows).unwrap();
        assert_eq!(
            titles(&composed),
            vec![
                vec!["Zuid 1".to_string()],
                vec!["Noord 1".to_string(), "Noord 2".to_string()]
            ]
        );
        assert_eq!(
            composed.document.chapters[0].intro.as_deref(),
            Some("Over Zuid.")
        );
        assert_eq!(composed.document.chapters[1].intro, None);
    }

    #[test]
    fn a_story_of_another_organisation_stops_the_build() {
        let mut f = fixture();
        let mut foreign = story(&f, f.north, 0, "A");
        foreign.organisation = OrganisationId::new();
        let id = foreign.id;
        f.rows.stories = vec![foreign];
        assert_eq!(compose(f.rows), Err(ComposeError::CrossesOrganisations(id)));
    }
}
