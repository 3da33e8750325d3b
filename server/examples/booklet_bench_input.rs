//! Synthetic booklet input for `scripts/bench-booklet`: writes a directory
//! that both the worker (`wijkverhalen booklet-worker DIR`) and the typst
//! CLI (`typst compile --root DIR DIR/main.typ out.pdf`) can build.
//!
//! ```text
//! cargo run -p server --example booklet_bench_input -- DIR STORIES
//! ```
//!
//! An example, not part of the server binary: its photo comes from the
//! generated test images (the `testdata` dev-dependency).
//!
//!
//! ```text
//! DIR/data.json          the BookletDocument (N stories, 6 answers each)
//! DIR/main.typ           the template, as embedded in the binary
//! DIR/photos/0001.jpg …  one 1600 × 1200 photo per 3 stories
//! DIR/fonts/bundled-N.otf the bundled sans, Inter (the CLI needs `--font-path`)
//! ```
//!
//! Same input for the CLI as for the library:
//! `typst compile --root DIR --font-path DIR/fonts --ignore-system-fonts
//! DIR/main.typ out.pdf` (screen) or with `--input output=print` (print).

use std::path::Path;

use server::booklet::model::BookletPhoto;
use server::booklet::{
    BookletDocument, BookletStory, Chapter, Colophon, Section, BUNDLED_FONTS, TEMPLATE,
};

/// Stories per chapter in the synthetic booklet.
const STORIES_PER_CHAPTER: usize = 25;

/// A deterministic booklet of `stories` stories in chapters of 25, every
/// third story with a photo (`/photos/0001.jpg`, …).
fn synthetic_document(stories: usize) -> BookletDocument {
    let paragraph = "Toen wij hier kwamen wonen stonden er nog maar een paar huizen aan de \
        straat. De buurvrouw bracht koffie en vertelde over de mijn, de kerk en het café op de \
        hoek. Nu ken ik iedereen bij naam, en op zaterdag staan we met z'n allen op de markt. \
        Soms mis ik de oude winkeltjes, maar het buurthuis is ervoor in de plaats gekomen.";
    let questions = server::seed::GUIDE_2026;
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut photo = 0;
    for i in 0..stories {
        if i % STORIES_PER_CHAPTER == 0 {
            let n = chapters.len() + 1;
            chapters.push(Chapter {
                neighbourhood: format!("Wijk {n}"),
                cbs_code: Some(format!("BU1883{n:04}")),
                intro: Some(paragraph.to_string()),
                stories: Vec::new(),
            });
        }
        let photos = if i % 3 == 0 {
            photo += 1;
            vec![BookletPhoto {
                path: app::booklet::photo_path(photo),
                caption: format!("Bij verhaal {}", i + 1),
                alt: "Een straat met rijtjeshuizen en een bankje".into(),
            }]
        } else {
            Vec::new()
        };
        let story = BookletStory {
            story_id: None,
            lead: None,
            title: format!("Verhaal {} over de buurt", i + 1),
            resident: format!("Bewoner {}", i + 1),
            neighbourhood: chapters
                .last()
                .map(|c| c.neighbourhood.clone())
                .unwrap_or_default(),
            pull_quote: (i % 2 == 0).then(|| "Hier ken ik iedereen bij naam.".to_string()),
            sections: questions
                .iter()
                .enumerate()
                .map(|(q, (question, _, _))| Section {
                    question: question.to_string(),
                    answer: vec![paragraph; 1 + (i + q) % 3].join("\n\n"),
                })
                .collect(),
            photos,
        };
        if let Some(chapter) = chapters.last_mut() {
            chapter.stories.push(story);
        }
    }
    let cover_photo = chapters
        .iter()
        .flat_map(|c| &c.stories)
        .find_map(|s| s.photos.first().cloned());
    BookletDocument {
        title: "Wijkverhalen Benchmark 2026".into(),
        subtitle: Some("Verhalen uit de wijken van Proefstad".into()),
        organisation: "Werkplaats Sociaal Domein".into(),
        municipality: "Proefstad".into(),
        year: 2026,
        language: "nl".into(),
        foreword: Some(paragraph.into()),
        foreword_signature: None,
        chapters,
        colophon: Colophon {
            students: vec!["Sanne Hermans".into(), "Bram Pluijmen".into()],
            organisation: "Werkplaats Sociaal Domein".into(),
            funder_line: None,
            year: 2026,
            extra: None,
        },
        cover_photo,
    }
}

/// Writes the synthetic booklet of `stories` stories into `dir` (see the
/// module documentation). The same photo bytes are used for every photo.
fn write_input(dir: &Path, stories: usize) -> Result<(), String> {
    let doc = synthetic_document(stories);
    for sub in ["photos", "fonts"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let json = serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).map_err(|e| format!("writing {name}: {e}"))
    };
    write("data.json", &json)?;
    write("main.typ", TEMPLATE.as_bytes())?;
    for (i, font) in BUNDLED_FONTS.iter().enumerate() {
        write(&format!("fonts/bundled-{i}.otf"), font)?;
    }
    let jpeg = testdata::jpeg_of_size(1600, 1200);
    for story in doc.chapters.iter().flat_map(|c| &c.stories) {
        for p in &story.photos {
            write(p.path.trim_start_matches('/'), &jpeg)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_photo_per_three_stories() {
        let doc = synthetic_document(10);
        let photos: Vec<_> = doc
            .chapters
            .iter()
            .flat_map(|c| &c.stories)
            .flat_map(|s| &s.photos)
            .map(|p| p.path.as_str())
            .collect();
        assert_eq!(
            photos,
            [
                "/photos/0001.jpg",
                "/photos/0002.jpg",
                "/photos/0003.jpg",
                "/photos/0004.jpg"
            ]
        );
        assert_eq!(synthetic_document(60).chapters.len(), 3);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: booklet_bench_input DIR STORIES");
        std::process::exit(2);
    };
    if let Err(e) = write_input(Path::new(dir), n) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
