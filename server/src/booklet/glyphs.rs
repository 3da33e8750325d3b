//! Characters no bundled font can print.
//!
//! Residents write in many languages and students type emoji, but a PDF/A
//! export refuses any character that ends up as the font's empty "notdef"
//! glyph — one such character would fail the whole booklet. The fallback
//! fonts (`assets/fonts/README.md`) cover the scripts we meet; whatever is
//! still left is replaced here by [`REPLACEMENT`] before typesetting, and
//! every replacement is reported as a [`MissingGlyph`] with the story it came
//! from, so the researcher can see and fix it while the booklet still builds.
//!
//! Two passes find such characters:
//! 1. before layout, [`unprintable`] checks every character of the data
//!    against the coverage of all bundled fonts;
//! 2. after layout, [`notdef_chars`] finds characters that a font covers in
//!    theory but that shaping still turned into notdef (a combining mark
//!    whose base came from another font, say); the caller then replaces
//!    those too and typesets again.

use std::collections::{BTreeMap, BTreeSet};

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use super::model::{BookletDocument, MissingGlyph};
use super::world;
use app::domain::ids::StoryId;

/// What an unprintable character is printed as: visible, so a reader sees
/// that something is missing, and covered by the bundled fonts.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether a character needs no glyph: line breaks and other controls, and
/// Unicode's default-ignorable code points (zero-width joiners, variation
/// selectors, emoji tag characters, bidi marks, soft hyphen …), which shaping
/// hides when a font has nothing for them.
fn needs_no_glyph(c: char) -> bool {
    c.is_control()
        || matches!(
            u32::from(c),
            0x00AD
                | 0x034F
                | 0x061C
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x200B..=0x200F
                | 0x202A..=0x202E
                | 0x2060..=0x206F
                | 0x3164
                | 0xFE00..=0xFE0F
                | 0xFEFF
                | 0xFFA0
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE0FFF
        )
}

/// The characters of `doc` that no bundled font covers.
pub fn unprintable(doc: &BookletDocument) -> BTreeSet<char> {
    let mut seen = BTreeMap::new();
    let mut doc = doc.clone();
    for_each_text(&mut doc, &mut |_, text| {
        for c in text.chars() {
            seen.entry(c)
                .or_insert_with(|| !needs_no_glyph(c) && !world::is_covered(c));
        }
    });
    seen.into_iter()
        .filter_map(|(c, missing)| missing.then_some(c))
        .collect()
}

/// The characters that ended up as a notdef glyph (id 0) anywhere in the
/// laid-out document, except those that need no glyph.
pub fn notdef_chars(document: &PagedDocument) -> BTreeSet<char> {
    fn walk(frame: &Frame, out: &mut BTreeSet<char>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => {
                    for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                        let chars = text.text.get(glyph.range()).unwrap_or_default().chars();
                        out.extend(chars.filter(|&c| !needs_no_glyph(c)));
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    for page in document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// Replaces every character of `missing` in the document's texts by
/// [`REPLACEMENT`] and reports where each occurred.
pub fn replace(doc: &mut BookletDocument, missing: &BTreeSet<char>) -> Vec<MissingGlyph> {
    if missing.is_empty() {
        return Vec::new();
    }
    let mut found: BTreeMap<(Option<StoryId>, String, char), usize> = BTreeMap::new();
    for_each_text(doc, &mut |place, text| {
        if !text.chars().any(|c| missing.contains(&c)) {
            return;
        }
        *text = text
            .chars()
            .map(|c| {
                if missing.contains(&c) {
                    *found
                        .entry((place.story_id, place.name.to_owned(), c))
                        .or_default() += 1;
                    REPLACEMENT
                } else {
                    c
                }
            })
            .collect();
    });
    found
        .into_iter()
        .map(|((story_id, place, character), count)| MissingGlyph {
            story_id,
            place,
            character,
            count,
        })
        .collect()
}

/// Where a text of the document belongs.
struct Place<'a> {
    story_id: Option<StoryId>,
    name: &'a str,
}

/// Calls `f` with every user-supplied text of the document and its place.
fn for_each_text(doc: &mut BookletDocument, f: &mut dyn FnMut(&Place<'_>, &mut String)) {
    fn booklet(name: &str) -> Place<'_> {
        Place {
            story_id: None,
            name,
        }
    }
    f(&booklet("Titel"), &mut doc.title);
    f(&booklet("Organisatie"), &mut doc.organisation);
    f(&booklet("Gemeente"), &mut doc.municipality);
    for text in [
        &mut doc.subtitle,
        &mut doc.foreword,
        &mut doc.foreword_signature,
    ]
    .into_iter()
    .flatten()
    {
        f(&booklet("Voorwoord"), text);
    }
    if let Some(photo) = doc.cover_photo.as_mut() {
        f(&booklet("Omslagfoto"), &mut photo.caption);
        f(&booklet("Omslagfoto"), &mut photo.alt);
    }
    let colophon = &mut doc.colophon;
    let texts = [&mut colophon.funder_line, &mut colophon.extra];
    for text in colophon
        .students
        .iter_mut()
        .chain(std::iter::once(&mut colophon.organisation))
        .chain(texts.into_iter().flatten())
    {
        f(&booklet("Colofon"), text);
    }
    for chapter in &mut doc.chapters {
        let name = format!("Hoofdstuk {}", chapter.neighbourhood);
        f(&booklet(&name), &mut chapter.neighbourhood);
        if let Some(text) = chapter.intro.as_mut() {
            f(&booklet(&name), text);
        }
        for story in &mut chapter.stories {
            // The title names the place, as it was before any replacement.
            let title = story.title.clone();
            let place = Place {
                story_id: story.story_id,
                name: &title,
            };
            f(&place, &mut story.title);
            f(&place, &mut story.resident);
            f(&place, &mut story.neighbourhood);
            for text in [&mut story.pull_quote, &mut story.lead]
                .into_iter()
                .flatten()
            {
                f(&place, text);
            }
            for section in &mut story.sections {
                f(&place, &mut section.question);
                f(&place, &mut section.answer);
            }
            for photo in &mut story.photos {
                f(&place, &mut photo.caption);
                f(&place, &mut photo.alt);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replacement_and_every_script_we_meet_are_covered() {
        assert!(world::is_covered(REPLACEMENT));
        // Latin with diacritics, Greek, Cyrillic, Turkish, Polish, Arabic,
        // Hebrew, Devanagari, Thai, Tifinagh, Chinese, Japanese, Korean, emoji.
        let samples = "éëïçñøåßğışłąęż Ωλ Жизнь مرحبا שלום नमस्ते สวัสดี ⵜⴰⵎⴰⵣⵉⵖⵜ 你好 こんにちは 안녕 👩😀👍🏽🏳🌈✓";
        let missing: Vec<char> = samples
            .chars()
            .filter(|&c| !c.is_whitespace() && !world::is_covered(c))
            .collect();
        assert!(missing.is_empty(), "no font for {missing:?}");
    }

    #[test]
    fn joiners_and_selectors_need_no_glyph() {
        for c in [
            '\u{200D}',
            '\u{FE0F}',
            '\u{E0067}',
            '\u{200F}',
            '\n',
            '\u{AD}',
        ] {
            assert!(needs_no_glyph(c), "{c:?}");
        }
        assert!(!needs_no_glyph('a'));
        assert!(!needs_no_glyph('\u{1F600}'));
    }
}
