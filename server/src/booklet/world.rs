//! A minimal, sealed [`World`] for one booklet compilation.
//!
//! The world knows the embedded template at `/main.typ`, the serialized
//! booklet data at `/data.json` and the photos of this build at
//! `/photos/0001.jpg`, `/photos/0002.jpg`, … (bytes handed in by the caller)
//! — and nothing else: every other path, including package imports, is
//! [`FileError::NotFound`]. There is no disk access, so neither the template
//! nor anything in the data can read the host file system.
//!
//! Everything that does not depend on the booklet (standard library, fonts,
//! parsed template, file ids) lives in process-wide statics and is built once.
//! File ids are interned per process with a hard limit of 65 535, so only the
//! two fixed paths above and the numbered photo paths are ever interned; the
//! photo paths are the same in every build, so a long-running process interns
//! at most as many as the largest booklet has photos.
//!
//! The output (screen, print with bleed, one chapter) reaches the template as
//! `sys.inputs`, like `typst compile --input output=print` would.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{DiagSpan, FileId, Lines, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

/// The booklet template, compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../templates/booklet.typ");

/// The bundled fonts (see `assets/fonts/README.md`): the sans-serif for
/// headings (Inter), then the fallbacks for text that Libertinus Serif and
/// Inter cannot print — other scripts, symbols and emoji. The template names
/// them in this order after its main fonts.
pub const BUNDLED_FONTS: [&[u8]; 13] = [
    include_bytes!("../../../assets/fonts/Inter-Regular.otf"),
    include_bytes!("../../../assets/fonts/Inter-Italic.otf"),
    include_bytes!("../../../assets/fonts/Inter-SemiBold.otf"),
    include_bytes!("../../../assets/fonts/Inter-Bold.otf"),
    include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansTifinagh-Regular.ttf"),
    include_bytes!("../../../assets/fonts/NotoSansSymbols2-Regular.ttf"),
    include_bytes!("../../../assets/fonts/DroidSansFallback.ttf"),
    include_bytes!("../../../assets/fonts/NotoColorEmoji.ttf"),
];

/// Virtual path of the main source (the template).
const MAIN_PATH: &str = "/main.typ";
/// Virtual path of the booklet data.
const DATA_PATH: &str = "/data.json";

/// Interns a fixed project path. Only ever called with the constants above.
fn intern(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("constant virtual path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static MAIN_ID: LazyLock<FileId> = LazyLock::new(|| intern(MAIN_PATH));
static DATA_ID: LazyLock<FileId> = LazyLock::new(|| intern(DATA_PATH));

/// The parsed template; cloning a [`Source`] is cheap (reference-counted).
static MAIN_SOURCE: LazyLock<Source> = LazyLock::new(|| Source::new(*MAIN_ID, TEMPLATE.to_owned()));

/// The standard library with default features and no inputs.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Whether `path` is a photo path the world may serve: `/photos/` followed
/// by at least four digits and `.jpg` (see `app::booklet::photo_path`).
pub fn is_photo_path(path: &str) -> bool {
    path.strip_prefix("/photos/")
        .and_then(|rest| rest.strip_suffix(".jpg"))
        .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Interns a photo path after checking its shape.
fn intern_photo(path: &str) -> Option<FileId> {
    if !is_photo_path(path) {
        return None;
    }
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// All fonts (typst-assets + bundled) and the book describing them.
static FONTS: LazyLock<FontStore> = LazyLock::new(FontStore::load);

/// Parsed fonts and their metadata, indexed alike.
struct FontStore {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl FontStore {
    fn load() -> Self {
        let fonts: Vec<Font> = typst_assets::fonts()
            .chain(BUNDLED_FONTS)
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Self { book, fonts }
    }
}

/// Whether any bundled font has a glyph for `c`.
pub(super) fn is_covered(c: char) -> bool {
    let c = u32::from(c);
    FONTS
        .fonts
        .iter()
        .any(|font| font.info().coverage.contains(c))
}

/// Parses the template and loads all fonts now instead of during the first
/// build (useful to keep the first build's timing honest, or to fail early).
pub(crate) fn warm_up() {
    LazyLock::force(&MAIN_SOURCE);
    LazyLock::force(&LIBRARY);
    LazyLock::force(&FONTS);
}

/// The world for compiling one booklet.
pub(crate) struct BookletWorld {
    /// The serialized [`BookletDocument`](super::model::BookletDocument).
    data: Bytes,
    /// The instant `datetime.today()` is derived from.
    now: DateTime<Utc>,
    /// Photo bytes by their interned path.
    photos: HashMap<FileId, Bytes>,
    /// The library with this output's `sys.inputs`, if any.
    library: Option<LazyHash<Library>>,
}

impl BookletWorld {
    /// Creates a world serving `data` as `/data.json`, with `today()` fixed to
    /// the date of `now` (UTC unless the template asks for an offset).
    pub(crate) fn new(data: Vec<u8>, now: DateTime<Utc>) -> Self {
        Self {
            data: Bytes::new(data),
            now,
            photos: HashMap::new(),
            library: None,
        }
    }

    /// Serves `photos` (virtual path → JPEG bytes). Paths that are not of the
    /// form `/photos/NNNN.jpg` are refused with their path.
    pub(crate) fn with_photos(mut self, photos: &HashMap<String, Bytes>) -> Result<Self, String> {
        for (path, bytes) in photos {
            let id = intern_photo(path).ok_or_else(|| format!("not a photo path: {path:?}"))?;
            self.photos.insert(id, bytes.clone());
        }
        Ok(self)
    }

    /// Sets `sys.inputs` (string keys and values), as `--input k=v` does.
    pub(crate) fn with_inputs(mut self, inputs: &[(&str, String)]) -> Self {
        let mut dict = Dict::new();
        for (key, value) in inputs {
            dict.insert((*key).into(), value.as_str().into_value());
        }
        self.library = Some(LazyHash::new(Library::builder().with_inputs(dict).build()));
        self
    }

    /// Formats the location of a diagnostic span as `path:line:column`
    /// (1-based), if the span points into one of the world's files.
    pub(crate) fn locate(&self, span: DiagSpan) -> Option<String> {
        let id = span.id()?;
        let range = self.range(span)?;
        let (line, column) = if id == *MAIN_ID {
            MAIN_SOURCE.lines().byte_to_line_column(range.start)?
        } else if id == *DATA_ID {
            let text = std::str::from_utf8(self.data.as_slice()).ok()?;
            Lines::new(text).byte_to_line_column(range.start)?
        } else {
            return None;
        };
        Some(format!(
            "{}:{}:{}",
            id.vpath().get_with_slash(),
            line + 1,
            column + 1
        ))
    }
}

/// The error for every file the world does not serve.
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

impl World for BookletWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.library.as_ref().unwrap_or(&LIBRARY)
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        *MAIN_ID
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN_ID {
            Ok(MAIN_SOURCE.clone())
        } else if id == *DATA_ID {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA_ID {
            Ok(self.data.clone())
        } else if let Some(photo) = self.photos.get(&id) {
            Ok(photo.clone())
        } else if id == *MAIN_ID {
            Ok(Bytes::from_string(MAIN_SOURCE.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        // "Local" time is defined as UTC so that a build only depends on its
        // inputs, never on the host's time zone.
        let now = match offset {
            None => self.now,
            Some(offset) => {
                // Offsets are whole hours or minutes; truncation is intended.
                let delta = TimeDelta::try_seconds(offset.seconds() as i64)?;
                self.now.checked_add_signed(delta)?
            }
        };
        Datetime::from_ymd(
            now.year(),
            u8::try_from(now.month()).ok()?,
            u8::try_from(now.day()).ok()?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> BookletWorld {
        BookletWorld::new(b"{}".to_vec(), DateTime::UNIX_EPOCH)
    }

    #[test]
    fn serves_only_registered_files() {
        let world = world();
        assert!(world.source(world.main()).is_ok());
        assert!(world.file(*DATA_ID).is_ok());
        for path in [
            "/etc/passwd",
            "/main.typ.bak",
            "/data.json/x",
            "/fonts/x.otf",
        ] {
            let id = intern(path);
            assert!(
                matches!(world.file(id), Err(FileError::NotFound(_))),
                "{path}"
            );
            assert!(
                matches!(world.source(id), Err(FileError::NotFound(_))),
                "{path}"
            );
        }
    }

    #[test]
    fn serves_given_photos_only() {
        let mut photos = HashMap::new();
        photos.insert("/photos/0001.jpg".to_string(), Bytes::new(vec![1u8, 2]));
        let w = world().with_photos(&photos).expect("valid path");
        let id = intern("/photos/0001.jpg");
        assert_eq!(w.file(id).expect("served").as_slice(), &[1, 2]);
        let other = intern("/photos/0002.jpg");
        assert!(matches!(w.file(other), Err(FileError::NotFound(_))));
        for bad in [
            "/etc/passwd",
            "/photos/1.jpg",
            "/photos/../x.jpg",
            "/photos/0001.png",
        ] {
            let mut p = HashMap::new();
            p.insert(bad.to_string(), Bytes::new(vec![0u8]));
            assert!(world().with_photos(&p).is_err(), "{bad}");
        }
    }

    #[test]
    fn font_book_has_serif_and_bundled_sans() {
        assert!(FONTS.book.contains_family("libertinus serif"));
        assert!(FONTS.book.contains_family("inter"));
    }

    #[test]
    fn every_fallback_the_template_names_is_bundled() {
        let list = TEMPLATE
            .split_once("#let fallbacks = (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(list, _)| list)
            .expect("the template defines its fallbacks");
        let families: Vec<&str> = list
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .filter(|f| !f.is_empty())
            .collect();
        assert!(families.len() >= 8, "{families:?}");
        for family in families {
            assert!(
                FONTS.book.contains_family(&family.to_lowercase()),
                "{family} is named in the template but not bundled"
            );
        }
    }

    #[test]
    fn today_is_fixed() {
        let now = DateTime::parse_from_rfc3339("2026-03-31T23:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("valid timestamp");
        let world = BookletWorld::new(Vec::new(), now);
        assert_eq!(world.today(None), Datetime::from_ymd(2026, 3, 31));
        let two_hours = Duration::construct(0, 0, 2, 0, 0);
        assert_eq!(world.today(Some(two_hours)), Datetime::from_ymd(2026, 4, 1));
    }
}
