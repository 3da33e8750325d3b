//! The photo pipeline: from untrusted uploaded bytes to a clean, web-sized JPEG and thumbnail.
//!
//! Students photograph residents and places on tablets. Every uploaded photo is treated as
//! hostile until it has been re-encoded, because a photo is both private (where was it taken,
//! by which device?) and a classic attack surface (parsers of complex binary formats). The
//! pipeline is pure and synchronous: it takes bytes and returns bytes. Storing them, streaming
//! the upload and running this on a blocking thread (`tokio::task::spawn_blocking`) is the
//! caller's job.
//!
//! The steps, in order, and why each one exists:
//!
//! 1. **Empty check** — an empty file is a common tablet hiccup (a cancelled picker, a photo
//!    still syncing from the cloud). It gets its own friendly message.
//! 2. **Byte cap** ([`PhotoLimits::max_bytes`]) — a cheap first bound on the work and memory
//!    any single upload can cause. The HTTP layer must already stop reading at this cap
//!    (multipart bodies bypass axum's body limit); this check makes the pipeline safe on its
//!    own too.
//! 3. **Sniffing the real type from the content** (magic bytes), never from the name or the
//!    Content-Type, which the client chooses freely. Only JPEG, PNG and WebP are accepted:
//!    every extra format is extra decoder code exposed to the internet. HEIC, GIF, TIFF and the
//!    like are recognised so the student gets a useful message instead of "not a photo".
//! 4. **Mislabeled files** — if the file name or the Content-Type claims a *different* image
//!    type than the content (a PNG named `photo.jpg`), the upload is refused with
//!    [`PhotoError::TypeMismatch`]. Such files are usually screenshots or converted copies
//!    rather than the original photo, and a mismatch is also a classic ingredient of
//!    polyglot-file tricks. Names and types that claim nothing (no extension,
//!    `application/octet-stream`) are fine.
//! 5. **Decompression bombs** — a tiny file can declare an enormous image (a 50 kB PNG of
//!    20000 × 20000 pixels decodes to 1.6 GB). The dimensions are read from the header only
//!    and checked against [`PhotoLimits`] *before* any pixel buffer is allocated.
//! 6. **Decoding** with [`image::ImageReader`] under [`image::Limits`] (width, height and an
//!    allocation cap) as a second line of defence, should a decoder ever disagree with the
//!    header we checked.
//! 7. **EXIF orientation** — tablets store pixels as the sensor saw them and put "rotate 90°"
//!    in EXIF. Because step 10 drops all EXIF, the rotation must be applied to the pixels, or
//!    portrait photos would come out sideways.
//! 8. **RGB8 on white** — JPEG has no alpha channel; transparent areas (screenshots, PNG
//!    drawings) become white instead of black.
//! 9. **Resizing** with `fast_image_resize` (Lanczos3, SIMD) to at most [`MAX_SIDE`] pixels on
//!    the long side, never upscaling, and a thumbnail of at most [`THUMB_SIDE`] pixels made
//!    from that result (much cheaper than from the original). The orientation of step 7 is
//!    applied to the already downscaled pixels: rotating and flipping commute with resizing, and
//!    turning a 1600 px image is far cheaper than turning a 12-megapixel one.
//! 10. **Re-encoding** both as baseline JPEG (quality [`JPEG_QUALITY`]) from raw pixels. This is
//!     what guarantees privacy: the output is built from pixels alone, so *no* metadata of the
//!     upload survives — no EXIF (with the GPS position of a resident's home, the device
//!     serial number, the time), no XMP, no ICC profile, no comments, nothing appended after
//!     the image. The output contains only the JFIF APP0 header.
//!
//! Known limitation: the ICC profile is dropped without converting the colours, so photos in
//! a wide-gamut colour space (Display P3, common on recent iPads) look slightly less saturated
//! than on the tablet. Converting to sRGB first (e.g. with `moxcms`, which `image` already
//! depends on) would fix that.

use std::fmt;
use std::io::Cursor;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits,
    RgbImage,
};
use sha2::{Digest, Sha256};

/// Longest side, in pixels, of the processed photo ([`ProcessedPhoto::image`]).
pub const MAX_SIDE: u32 = 1600;

/// Longest side, in pixels, of the thumbnail ([`ProcessedPhoto::thumbnail`]).
pub const THUMB_SIDE: u32 = 400;

/// JPEG quality (1–100) of both outputs.
pub const JPEG_QUALITY: u8 = 85;

/// Bounds on what an upload may cost. [`PhotoLimits::default`] gives the production values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Largest accepted file, in bytes. Default: 25 MiB.
    pub max_bytes: usize,
    /// Largest accepted width, in pixels, as stored (before EXIF rotation). Default: 12 000.
    pub max_width: u32,
    /// Largest accepted height, in pixels, as stored (before EXIF rotation). Default: 12 000.
    pub max_height: u32,
    /// Largest accepted number of pixels (width × height). Default: 50 000 000 (50 megapixel).
    pub max_pixels: u64,
    /// Most memory, in bytes, the decoder may allocate (passed on as
    /// [`image::Limits::max_alloc`]). Default: 512 MiB.
    pub max_alloc: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            max_width: 12_000,
            max_height: 12_000,
            max_pixels: 50_000_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// The result of [`process_photo`]: two clean JPEGs, free of any metadata, upright.
#[derive(Clone, PartialEq, Eq)]
pub struct ProcessedPhoto {
    /// The photo as baseline JPEG, long side at most [`MAX_SIDE`] pixels (never upscaled).
    pub image: Vec<u8>,
    /// The thumbnail as baseline JPEG, long side at most [`THUMB_SIDE`] pixels (never upscaled).
    pub thumbnail: Vec<u8>,
    /// Width of [`image`](Self::image) in pixels, after EXIF rotation.
    pub width: u32,
    /// Height of [`image`](Self::image) in pixels, after EXIF rotation.
    pub height: u32,
    /// Width of [`thumbnail`](Self::thumbnail) in pixels.
    pub thumb_width: u32,
    /// Height of [`thumbnail`](Self::thumbnail) in pixels.
    pub thumb_height: u32,
    /// SHA-256 of the [`image`](Self::image) bytes, as 64 lowercase hex digits: the storage key.
    pub sha256: String,
    /// The real format of the upload, as found in its content.
    pub source_format: SourceFormat,
}

impl fmt::Debug for ProcessedPhoto {
    /// Shows sizes instead of dumping megabytes of JPEG bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessedPhoto")
            .field("image", &format_args!("{} bytes", self.image.len()))
            .field("thumbnail", &format_args!("{} bytes", self.thumbnail.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("thumb_width", &self.thumb_width)
            .field("thumb_height", &self.thumb_height)
            .field("sha256", &self.sha256)
            .field("source_format", &self.source_format)
            .finish()
    }
}

/// The image formats the pipeline accepts, as recognised from the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// JPEG (what tablet cameras produce).
    Jpeg,
    /// PNG (screenshots, drawings).
    Png,
    /// WebP (images saved from the web).
    Webp,
}

impl SourceFormat {
    /// The usual name of the format, as shown to people: `"JPEG"`, `"PNG"` or `"WebP"`.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "JPEG",
            SourceFormat::Png => "PNG",
            SourceFormat::Webp => "WebP",
        }
    }

    /// The format's MIME type, e.g. `"image/jpeg"`.
    pub fn mime_type(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "image/jpeg",
            SourceFormat::Png => "image/png",
            SourceFormat::Webp => "image/webp",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            SourceFormat::Jpeg => ImageFormat::Jpeg,
            SourceFormat::Png => ImageFormat::Png,
            SourceFormat::Webp => ImageFormat::WebP,
        }
    }
}

impl fmt::Display for SourceFormat {
    /// Writes [`SourceFormat::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an upload was refused. Show [`PhotoError::message_nl`] (or [`message_en`]) to the
/// student; log the [`Display`](fmt::Display) form, which is technical and in English.
///
/// [`message_en`]: PhotoError::message_en
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    /// The file has no bytes at all.
    Empty,
    /// The file is larger than [`PhotoLimits::max_bytes`].
    TooLarge {
        /// Size of the upload in bytes.
        bytes: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The content is not an image we recognise (text, PDF, video, …).
    NotAnImage,
    /// The content is an image, but in a format we don't accept; holds its short name, such as
    /// `"HEIC"`, `"GIF"` or `"TIFF"`.
    UnsupportedFormat(String),
    /// The file name or Content-Type claims a different image type than the content.
    TypeMismatch {
        /// What was claimed, as given: a file extension with its dot (`".jpg"`) or a MIME type
        /// (`"image/jpeg"`).
        claimed: String,
        /// What the content really is.
        actual: SourceFormat,
    },
    /// The image is wider, higher or has more pixels than [`PhotoLimits`] allow (possibly a
    /// decompression bomb). Dimensions as stored in the file, before EXIF rotation.
    TooManyPixels {
        /// Width in pixels, from the file's header.
        width: u32,
        /// Height in pixels, from the file's header.
        height: u32,
    },
    /// The image could not be decoded (damaged, truncated, or an exotic variant); holds the
    /// decoder's technical message, for logs only.
    Corrupt(String),
}

impl PhotoError {
    /// A short, friendly explanation in Dutch that a student understands, with what to do next.
    ///
    /// For [`PhotoError::TooManyPixels`] the maximum quoted is that of
    /// [`PhotoLimits::default`]; with other limits the message names no number.
    pub fn message_nl(&self) -> String {
        match self {
            PhotoError::Empty => "Het bestand is leeg. Kies de foto opnieuw.".to_owned(),
            PhotoError::TooLarge { bytes, max } => format!(
                "Dit bestand is te groot ({} MB); het maximum is {} MB. Kies een kleinere foto.",
                megabytes(*bytes, true, ','),
                megabytes(*max, false, ',')
            ),
            PhotoError::NotAnImage => {
                "Dit bestand is geen foto. Kies een foto (JPEG, PNG of WebP).".to_owned()
            }
            PhotoError::UnsupportedFormat(name) if name == "HEIC" => {
                "Dit is een HEIC-foto (zo bewaren iPhones en iPads foto's). Die kunnen we niet \
                 openen. Zet op de iPad bij Instellingen > Camera > Formaten 'Meest compatibel' \
                 aan, of kies de foto als JPEG."
                    .to_owned()
            }
            PhotoError::UnsupportedFormat(name) => format!(
                "Dit is een {name}-bestand. Dat soort bestanden kunnen we niet gebruiken: \
                 kies een foto in JPEG, PNG of WebP."
            ),
            PhotoError::TypeMismatch { claimed, actual } => {
                if claimed.starts_with('.') {
                    format!(
                        "Dit bestand heet {claimed} maar is eigenlijk een {actual}-afbeelding. \
                         Kies de originele foto."
                    )
                } else {
                    format!(
                        "Dit bestand zegt dat het een {}-afbeelding is, maar het is eigenlijk een \
                         {actual}-afbeelding. Kies de originele foto.",
                        claimed_type_name(claimed)
                    )
                }
            }
            PhotoError::TooManyPixels { width, height } => {
                let default = PhotoLimits::default();
                if u64::from(*width) * u64::from(*height) > default.max_pixels {
                    format!(
                        "Deze foto is te groot ({width} × {height} pixels); het maximum is {} \
                         megapixel.",
                        default.max_pixels / 1_000_000
                    )
                } else if *width > default.max_width || *height > default.max_height {
                    format!(
                        "Deze foto is te groot ({width} × {height} pixels); een foto mag niet \
                         breder of hoger zijn dan {} pixels.",
                        default.max_width.max(default.max_height)
                    )
                } else {
                    format!(
                        "Deze foto is te groot ({width} × {height} pixels). Kies een kleinere foto."
                    )
                }
            }
            PhotoError::Corrupt(_) => "Dit bestand is beschadigd of onvolledig en kan niet \
                                       worden geopend. Probeer het opnieuw, of kies een andere \
                                       foto."
                .to_owned(),
        }
    }

    /// The same explanation as [`PhotoError::message_nl`], in English.
    pub fn message_en(&self) -> String {
        match self {
            PhotoError::Empty => "The file is empty. Please choose the photo again.".to_owned(),
            PhotoError::TooLarge { bytes, max } => format!(
                "This file is too large ({} MB); the maximum is {} MB. Please choose a smaller \
                 photo.",
                megabytes(*bytes, true, '.'),
                megabytes(*max, false, '.')
            ),
            PhotoError::NotAnImage => {
                "This file is not a photo. Please choose a photo (JPEG, PNG or WebP).".to_owned()
            }
            PhotoError::UnsupportedFormat(name) if name == "HEIC" => {
                "This is a HEIC photo (the way iPhones and iPads store photos), which we can't \
                 open. On the iPad, choose Settings > Camera > Formats > 'Most Compatible', or \
                 choose the photo as JPEG."
                    .to_owned()
            }
            PhotoError::UnsupportedFormat(name) => format!(
                "This is a {name} file, which we can't use: please choose a JPEG, PNG or WebP \
                 photo."
            ),
            PhotoError::TypeMismatch { claimed, actual } => {
                if claimed.starts_with('.') {
                    format!(
                        "This file is called {claimed} but is really a {actual} image. Please \
                         choose the original photo."
                    )
                } else {
                    format!(
                        "This file says it is a {} image, but it is really a {actual} image. \
                         Please choose the original photo.",
                        claimed_type_name(claimed)
                    )
                }
            }
            PhotoError::TooManyPixels { width, height } => {
                let default = PhotoLimits::default();
                if u64::from(*width) * u64::from(*height) > default.max_pixels {
                    format!(
                        "This photo is too large ({width} × {height} pixels); the maximum is {} \
                         megapixels.",
                        default.max_pixels / 1_000_000
                    )
                } else if *width > default.max_width || *height > default.max_height {
                    format!(
                        "This photo is too large ({width} × {height} pixels); a photo may be at \
                         most {} pixels wide or high.",
                        default.max_width.max(default.max_height)
                    )
                } else {
                    format!(
                        "This photo is too large ({width} × {height} pixels). Please choose a \
                         smaller photo."
                    )
                }
            }
            PhotoError::Corrupt(_) => "This file is damaged or incomplete and can't be opened. \
                                       Please try again or choose another photo."
                .to_owned(),
        }
    }
}

impl fmt::Display for PhotoError {
    /// A technical description for logs (English, includes decoder details).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhotoError::Empty => write!(f, "empty upload"),
            PhotoError::TooLarge { bytes, max } => {
                write!(f, "upload too large: {bytes} bytes (max {max})")
            }
            PhotoError::NotAnImage => write!(f, "not an image"),
            PhotoError::UnsupportedFormat(name) => write!(f, "unsupported image format: {name}"),
            PhotoError::TypeMismatch { claimed, actual } => {
                write!(f, "type mismatch: claimed {claimed}, content is {actual}")
            }
            PhotoError::TooManyPixels { width, height } => {
                write!(f, "image too large: {width}x{height} pixels")
            }
            PhotoError::Corrupt(detail) => write!(f, "corrupt image: {detail}"),
        }
    }
}

impl std::error::Error for PhotoError {}

/// Turns an uploaded photo into a clean JPEG (long side ≤ [`MAX_SIDE`]) and a thumbnail (long
/// side ≤ [`THUMB_SIDE`]), upright and without any metadata. See the [module docs](self) for
/// the steps and why each exists.
///
/// `claimed_name` is the file name the client sent (only its extension is used) and
/// `claimed_content_type` the Content-Type of the upload part; both are optional and only used
/// to detect mislabeled files, never to decide the format.
///
/// This is CPU-bound and single-threaded (about 0.2 s and 65 MB of memory for a 12-megapixel
/// JPEG in release builds on one core of a small server; see `benches/photo_pipeline.rs`):
/// call it from `tokio::task::spawn_blocking`, not directly on the async runtime, and bound
/// how many run at once.
pub fn process_photo(
    bytes: &[u8],
    claimed_name: Option<&str>,
    claimed_content_type: Option<&str>,
    limits: &PhotoLimits,
) -> Result<ProcessedPhoto, PhotoError> {
    // 1. Empty check.
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    // 2. Byte cap.
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    // 3. The real type, from the content.
    let source_format = sniff(bytes)?;
    // 4. Refuse files whose name or Content-Type claims another image type.
    check_claims(source_format, claimed_name, claimed_content_type)?;
    // 4b. Refuse a JPEG whose data ends early: its decoder pads a cut-off scan with grey
    //     instead of failing, which would store a half-grey photo.
    if source_format == SourceFormat::Jpeg {
        check_jpeg_complete(bytes)?;
    }
    // 5.–7. Header check against bombs, guarded decode, EXIF orientation.
    let (decoded, orientation) = decode(bytes, source_format, limits)?;
    // 8. RGB8, transparency onto white.
    let rgb = into_rgb8_on_white(decoded);
    // 9. Resize (then orient the small result), thumbnail from the resized photo.
    let resized = match downscale(&rgb, MAX_SIDE)? {
        Some(smaller) => smaller,
        None => rgb,
    };
    let main = orient(resized, orientation);
    let thumb = downscale(&main, THUMB_SIDE)?;
    let thumb = thumb.as_ref().unwrap_or(&main);
    // 10. Re-encode from pixels: nothing of the upload's metadata survives.
    let image = encode_jpeg(&main)?;
    let thumbnail = encode_jpeg(thumb)?;
    let sha256 = sha256_hex(&image);
    Ok(ProcessedPhoto {
        image,
        thumbnail,
        width: main.width(),
        height: main.height(),
        thumb_width: thumb.width(),
        thumb_height: thumb.height(),
        sha256,
        source_format,
    })
}

/// Recognises the format from the first bytes of the content.
fn sniff(bytes: &[u8]) -> Result<SourceFormat, PhotoError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(SourceFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(SourceFormat::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(SourceFormat::Webp);
    }
    match sniff_unsupported(bytes) {
        Some(name) => Err(PhotoError::UnsupportedFormat(name.to_owned())),
        None => Err(PhotoError::NotAnImage),
    }
}

/// Recognises image formats we refuse, so that the student learns what is wrong. Signatures
/// are strict enough that ordinary text is never taken for an image.
fn sniff_unsupported(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some("GIF");
    }
    // TIFF, and the camera RAW formats built on it (DNG, CR2, NEF, ARW).
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Some("TIFF");
    }
    if b.starts_with(b"8BPS") {
        return Some("PSD");
    }
    if b.starts_with(&[0xFF, 0x0A]) || b.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Some("JPEG XL");
    }
    if b.len() >= 18 && b.starts_with(b"BM") {
        let dib_header = u32::from_le_bytes([b[14], b[15], b[16], b[17]]);
        if matches!(dib_header, 12 | 40 | 52 | 56 | 64 | 108 | 124) {
            return Some("BMP");
        }
    }
    // ISO base media file format (HEIF/HEIC, AVIF): a `ftyp` box with brands.
    if b.len() >= 16 && &b[4..8] == b"ftyp" {
        let box_len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let end = box_len.clamp(16, 256).min(b.len());
        // Major brand at 8..12, minor version at 12..16, compatible brands after that.
        let brands = std::iter::once(&b[8..12]).chain(b[16..end].chunks_exact(4));
        let mut heif = false;
        for brand in brands {
            match brand {
                b"avif" | b"avis" => return Some("AVIF"),
                b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                    heif = true
                }
                _ => {}
            }
        }
        if heif {
            return Some("HEIC");
        }
    }
    None
}

/// What a file name or Content-Type says the file is.
enum Claim {
    /// One of the formats we accept.
    Format(SourceFormat),
    /// Some other image type (GIF, HEIC, …).
    OtherImage,
}

/// Fails with [`PhotoError::TypeMismatch`] if the name or Content-Type claims another image
/// type than the content. Claims of nothing in particular are ignored.
fn check_claims(
    actual: SourceFormat,
    claimed_name: Option<&str>,
    claimed_content_type: Option<&str>,
) -> Result<(), PhotoError> {
    let claims = [
        claimed_name.and_then(claim_from_name),
        claimed_content_type.and_then(claim_from_content_type),
    ];
    for (claimed, claim) in claims.into_iter().flatten() {
        let matches = matches!(claim, Claim::Format(format) if format == actual);
        if !matches {
            return Err(PhotoError::TypeMismatch { claimed, actual });
        }
    }
    Ok(())
}

/// The claim made by a file name's extension, with the extension as written (`".JPG"`).
fn claim_from_name(name: &str) -> Option<(String, Claim)> {
    let file = name.rsplit(['/', '\\']).next()?;
    let (_, ext) = file.rsplit_once('.')?;
    let claim = match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" | "pjpeg" | "pjp" => Claim::Format(SourceFormat::Jpeg),
        "png" | "apng" => Claim::Format(SourceFormat::Png),
        "webp" => Claim::Format(SourceFormat::Webp),
        "gif" | "heic" | "heif" | "hif" | "avif" | "bmp" | "tif" | "tiff" | "jxl" | "psd"
        | "dng" | "ico" | "svg" => Claim::OtherImage,
        _ => return None,
    };
    Some((format!(".{ext}"), claim))
}

/// The claim made by a Content-Type (parameters ignored, case-insensitive).
fn claim_from_content_type(content_type: &str) -> Option<(String, Claim)> {
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    let claim = match essence.as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Claim::Format(SourceFormat::Jpeg),
        "image/png" | "image/x-png" | "image/apng" => Claim::Format(SourceFormat::Png),
        "image/webp" => Claim::Format(SourceFormat::Webp),
        other
            if other.len() > "image/".len()
                && other.starts_with("image/")
                && other != "image/*" =>
        {
            Claim::OtherImage
        }
        _ => return None,
    };
    Some((essence, claim))
}

/// A readable name for a claimed MIME type: `"image/jpeg"` → `"JPEG"`, `"image/heic"` → `"HEIC"`.
fn claimed_type_name(claimed: &str) -> String {
    let subtype = claimed.strip_prefix("image/").unwrap_or(claimed);
    match subtype {
        "jpeg" | "jpg" | "pjpeg" => "JPEG".to_owned(),
        "png" | "x-png" | "apng" => "PNG".to_owned(),
        "webp" => "WebP".to_owned(),
        other => other
            .trim_start_matches("x-")
            .split('+')
            .next()
            .unwrap_or(other)
            .to_ascii_uppercase(),
    }
}

/// Step 4b: walks a JPEG's segments from the start-of-image marker to the end-of-image marker
/// and refuses the file when the data ends before it.
///
/// JPEG decoders are lenient on purpose: a scan that stops early decodes as far as it goes and
/// the rest of the picture becomes grey. For an upload that is the wrong trade (the student
/// sees a broken photo in the booklet months later), so a file must reach its EOI marker.
/// Segment lengths are followed exactly (an EXIF thumbnail's own markers inside APP1 are
/// skipped with it); inside entropy-coded data, `FF 00` stuffing, restart markers and fill
/// bytes are stepped over. Bytes after EOI (some phones append data there) are allowed.
fn check_jpeg_complete(bytes: &[u8]) -> Result<(), PhotoError> {
    let ends_early = |what: &str| PhotoError::Corrupt(format!("JPEG data ends early ({what})"));
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(PhotoError::Corrupt(
            "JPEG without start-of-image".to_owned(),
        ));
    }
    let mut at = 2;
    loop {
        // A marker: one or more 0xFF fill bytes, then the marker code.
        if bytes.get(at) != Some(&0xFF) {
            return match bytes.get(at) {
                None => Err(ends_early("before the end-of-image marker")),
                Some(byte) => Err(PhotoError::Corrupt(format!(
                    "JPEG: expected a marker at byte {at}, found {byte:#04x}"
                ))),
            };
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return Err(ends_early("inside a marker"));
        };
        at += 1;
        match marker {
            // End of image: complete.
            0xD9 => return Ok(()),
            // Markers without a length: TEM, RST0–7, a stray SOI.
            0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let (Some(&high), Some(&low)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(ends_early("inside a segment header"));
        };
        let length = usize::from(u16::from_be_bytes([high, low]));
        if length < 2 {
            return Err(PhotoError::Corrupt(format!(
                "JPEG segment {marker:#04x} with length {length}"
            )));
        }
        at += length;
        if at > bytes.len() {
            return Err(ends_early("inside a segment"));
        }
        if marker == 0xDA {
            // Start of scan: entropy-coded data runs to the next marker that is neither
            // stuffing (FF 00) nor a restart marker (FF D0–D7).
            loop {
                let Some(offset) = bytes[at..].iter().position(|&b| b == 0xFF) else {
                    return Err(ends_early("inside the image data"));
                };
                at += offset;
                let mut next = at + 1;
                while bytes.get(next) == Some(&0xFF) {
                    next += 1;
                }
                match bytes.get(next) {
                    None => return Err(ends_early("inside the image data")),
                    Some(0x00 | 0xD0..=0xD7) => at = next + 1,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Steps 5–7: checks the header's dimensions, then decodes under `image::Limits` and reads
/// the EXIF orientation.
fn decode(
    bytes: &[u8],
    format: SourceFormat,
    limits: &PhotoLimits,
) -> Result<(DynamicImage, Orientation), PhotoError> {
    // Building the decoder parses the header only: no pixel buffer exists yet. The allocation
    // cap already applies to what header parsing may allocate (PNG text and ICC chunks).
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(limits.max_alloc);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(header_limits);
    // A limit hit here is not about pixels (none are known yet) but metadata that would not
    // fit the allocation cap, such as a PNG with a huge compressed ICC profile: a broken file.
    let mut decoder = reader.into_decoder().map_err(corrupt)?;

    // Step 5: refuse decompression bombs on the header's word alone.
    let (width, height) = decoder.dimensions();
    let too_many = PhotoError::TooManyPixels { width, height };
    if width > limits.max_width
        || height > limits.max_height
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(too_many);
    }
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt(format!(
            "image of {width}x{height} pixels"
        )));
    }

    // Step 6: the decoder's own limits as a second line of defence. `from_decoder` does not
    // check `max_alloc` against the output buffer itself, so reserve the buffer first and hand
    // the decoder only what is left for its own allocations (as `ImageReader::decode` does).
    let mut decode_limits = Limits::default();
    decode_limits.max_image_width = Some(limits.max_width);
    decode_limits.max_image_height = Some(limits.max_height);
    decode_limits.max_alloc = Some(limits.max_alloc);
    let limit_error = |e: ImageError| match e {
        ImageError::Limits(_) => too_many.clone(),
        other => corrupt(other),
    };
    decode_limits
        .reserve(decoder.total_bytes())
        .map_err(limit_error)?;
    decoder.set_limits(decode_limits).map_err(limit_error)?;

    // Step 7: a damaged EXIF block should not cost the student the photo; assume upright.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let image = DynamicImage::from_decoder(decoder).map_err(limit_error)?;
    Ok((image, orientation))
}

fn corrupt(error: ImageError) -> PhotoError {
    PhotoError::Corrupt(error.to_string())
}

/// Step 8: 8-bit RGB; transparent pixels are composited onto white.
fn into_rgb8_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        // No copy when the decoder already produced RGB8 (every ordinary JPEG).
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for pixel in rgba.as_raw().chunks_exact(4) {
        let alpha = u32::from(pixel[3]);
        for &channel in &pixel[..3] {
            let blended = (u32::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            rgb.push(blended as u8);
        }
    }
    RgbImage::from_raw(width, height, rgb).expect("3 bytes per pixel")
}

/// The size of `width` × `height` scaled down to fit `max_side` on its long side; unchanged if
/// it already fits (never upscales). Sides are rounded and at least 1 pixel.
fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        (scaled as u32).clamp(1, max_side)
    };
    (scale(width), scale(height))
}

/// Step 9: a Lanczos3-downscaled copy fitting `max_side`, or `None` if `image` already fits.
fn downscale(image: &RgbImage, max_side: u32) -> Result<Option<RgbImage>, PhotoError> {
    let (width, height) = image.dimensions();
    let (new_width, new_height) = fit_within(width, height, max_side);
    if (new_width, new_height) == (width, height) {
        return Ok(None);
    }
    let resize_failed = |e: &dyn fmt::Display| PhotoError::Corrupt(format!("resize failed: {e}"));
    let source = ImageRef::new(width, height, image.as_raw(), PixelType::U8x3)
        .map_err(|e| resize_failed(&e))?;
    let mut target = Image::new(new_width, new_height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| resize_failed(&e))?;
    let resized =
        RgbImage::from_raw(new_width, new_height, target.into_vec()).expect("3 bytes per pixel");
    Ok(Some(resized))
}

/// Step 7, applied: turns the pixels as EXIF says, so the photo is upright without metadata.
fn orient(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// Step 10: baseline JPEG from raw pixels; the only header written is JFIF APP0.
fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut jpeg = Vec::with_capacity(image.as_raw().len() / 8);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|e| PhotoError::Corrupt(format!("JPEG encoding failed: {e}")))?;
    Ok(jpeg)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        write!(hex, "{byte:02x}").expect("writing to a String cannot fail");
    }
    hex
}

/// Bytes as megabytes (MiB) with at most one decimal, e.g. `"25"` or `"31,4"`. Rounded up
/// for the actual size and down for the maximum, so a file just over the limit never reads
/// as "25 MB; the maximum is 25 MB".
fn megabytes(bytes: usize, round_up: bool, decimal_separator: char) -> String {
    let tenths = bytes as f64 / (1024.0 * 1024.0) * 10.0;
    let tenths = if round_up {
        tenths.ceil()
    } else {
        tenths.floor()
    } as u64;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}{decimal_separator}{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(bytes: &[u8], name: Option<&str>) -> Result<ProcessedPhoto, PhotoError> {
        process_photo(bytes, name, None, &PhotoLimits::default())
    }

    fn decode_output(jpeg: &[u8]) -> RgbImage {
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg)
            .expect("the output is a valid JPEG")
            .into_rgb8()
    }

    fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .expect("encoding in memory");
        bytes
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    /// Whether `actual` is within JPEG-loss distance of `expected`, channel by channel.
    fn close_to(actual: [u8; 3], expected: [u8; 3]) -> bool {
        actual
            .iter()
            .zip(expected)
            .all(|(&a, e)| a.abs_diff(e) <= 40)
    }

    /// The segments of a clean output: JFIF APP0, then tables, a baseline frame and the scan.
    fn assert_clean_baseline_jpeg(jpeg: &[u8]) {
        let markers = testdata::jpeg_segment_markers(jpeg);
        assert_eq!(
            markers.first(),
            Some(&0xE0),
            "starts with JFIF APP0: {markers:x?}"
        );
        assert_eq!(&jpeg[6..11], b"JFIF\0");
        assert!(markers.contains(&0xC0), "baseline SOF0: {markers:x?}");
        for marker in &markers[1..] {
            assert!(
                matches!(marker, 0xC0 | 0xC4 | 0xDB | 0xDD | 0xDA),
                "unexpected segment {marker:#x} in {markers:x?}"
            );
        }
        assert!(!contains(jpeg, b"Exif"));
        assert!(!contains(jpeg, b"http://ns.adobe.com/xap"), "no XMP");
        assert!(!contains(jpeg, b"ICC_PROFILE"));
    }

    #[test]
    fn empty_file_is_refused() {
        assert_eq!(process(b"", Some("photo.jpg")), Err(PhotoError::Empty));
        assert_eq!(process(b"", None), Err(PhotoError::Empty));
    }

    #[test]
    fn file_over_the_byte_cap_is_refused_before_anything_else() {
        let limits = PhotoLimits {
            max_bytes: 100,
            ..PhotoLimits::default()
        };
        // Not even an image: the size alone decides.
        let bytes = vec![b'x'; 101];
        assert_eq!(
            process_photo(&bytes, None, None, &limits),
            Err(PhotoError::TooLarge {
                bytes: 101,
                max: 100
            })
        );
        let at_cap = vec![b'x'; 100];
        assert_eq!(
            process_photo(&at_cap, None, None, &limits),
            Err(PhotoError::NotAnImage)
        );
    }

    #[test]
    fn png_named_jpg_is_refused_as_mismatch() {
        let png = testdata::png_of_size(64, 48);
        for name in [
            "photo.jpg",
            "IMG_0001.JPG",
            "C:\\Users\\leerling\\foto.jpeg",
        ] {
            let error = process(&png, Some(name)).unwrap_err();
            let PhotoError::TypeMismatch { claimed, actual } = &error else {
                panic!("{name}: expected a type mismatch, got {error:?}");
            };
            assert!(name.ends_with(claimed.as_str()), "{claimed} from {name}");
            assert_eq!(*actual, SourceFormat::Png);
            assert!(error.message_nl().contains(claimed.as_str()));
            assert!(error.message_nl().contains("PNG"));
        }
        // A Content-Type that claims JPEG is just as wrong.
        let error =
            process_photo(&png, None, Some("image/jpeg"), &PhotoLimits::default()).unwrap_err();
        assert_eq!(
            error,
            PhotoError::TypeMismatch {
                claimed: "image/jpeg".to_owned(),
                actual: SourceFormat::Png
            }
        );
        assert!(error.message_nl().contains("JPEG-afbeelding"));
        // So is a name claiming an image type we don't accept at all.
        assert!(matches!(
            process(&png, Some("photo.heic")),
            Err(PhotoError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn png_named_png_or_claiming_nothing_is_accepted() {
        let png = testdata::png_of_size(64, 48);
        let limits = PhotoLimits::default();
        let accepted = [
            (Some("photo.png"), None),
            (Some("PHOTO.PNG"), Some("image/png")),
            (None, None),
            (Some("photo"), Some("application/octet-stream")),
            (Some("scan.v2"), Some("image/*")),
            (None, Some("image/PNG; charset=binary")),
        ];
        for (name, content_type) in accepted {
            let photo = process_photo(&png, name, content_type, &limits)
                .unwrap_or_else(|e| panic!("{name:?} {content_type:?}: {e}"));
            assert_eq!(photo.source_format, SourceFormat::Png);
            assert_eq!((photo.width, photo.height), (64, 48));
            assert_clean_baseline_jpeg(&photo.image);
        }
    }

    #[test]
    fn jpeg_and_webp_are_accepted() {
        let jpeg = testdata::jpeg_of_size(120, 80);
        let photo = process(&jpeg, Some("IMG_0001.JPG")).unwrap();
        assert_eq!(photo.source_format, SourceFormat::Jpeg);
        assert_eq!((photo.width, photo.height), (120, 80));

        let rgb = RgbImage::from_raw(120, 80, testdata::photo_like_pixels(120, 80)).unwrap();
        let webp = encode(DynamicImage::ImageRgb8(rgb), ImageFormat::WebP);
        let photo = process(&webp, Some("download.webp")).unwrap();
        assert_eq!(photo.source_format, SourceFormat::Webp);
        assert_eq!((photo.width, photo.height), (120, 80));
        assert_clean_baseline_jpeg(&photo.image);
    }

    #[test]
    fn png_declaring_20000_by_20000_is_refused_from_its_header() {
        let bomb = testdata::png_declaring(20_000, 20_000);
        assert!(bomb.len() < 100, "the bomb is tiny: {} bytes", bomb.len());
        let expected = PhotoError::TooManyPixels {
            width: 20_000,
            height: 20_000,
        };
        assert_eq!(process(&bomb, Some("bomb.png")), Err(expected.clone()));
        // With width, height and allocation unlimited, only the header's pixel count can stop
        // it: without that check the decoder would allocate the 1.2 GB buffer and only then
        // fail on the missing data (as `Corrupt`).
        let only_pixels = PhotoLimits {
            max_width: u32::MAX,
            max_height: u32::MAX,
            max_alloc: u64::MAX,
            ..PhotoLimits::default()
        };
        assert_eq!(
            process_photo(&bomb, None, None, &only_pixels),
            Err(expected.clone())
        );
        let message = expected.message_nl();
        assert!(message.contains("20000 × 20000"), "{message}");
        assert!(message.contains("50 megapixel"), "{message}");
    }

    #[test]
    fn too_wide_image_is_refused_even_with_few_pixels() {
        let wide = testdata::png_declaring(13_000, 10);
        assert_eq!(
            process(&wide, None),
            Err(PhotoError::TooManyPixels {
                width: 13_000,
                height: 10
            })
        );
    }

    #[test]
    fn image_data_not_matching_its_header_is_corrupt() {
        // Within the limits, so it gets decoded, but the data holds a single pixel.
        let truncated = testdata::png_declaring(300, 200);
        assert!(matches!(
            process(&truncated, None),
            Err(PhotoError::Corrupt(_))
        ));
        // A JPEG cut off inside its headers.
        let jpeg = testdata::jpeg_of_size(64, 64);
        assert!(matches!(
            process(&jpeg[..40], None),
            Err(PhotoError::Corrupt(_))
        ));
    }

    #[test]
    fn a_jpeg_cut_off_inside_its_image_data_is_corrupt() {
        // The decoder alone accepts this and greys out the missing rows.
        let jpeg = testdata::jpeg_of_size(256, 256);
        for keep in [jpeg.len() * 2 / 3, jpeg.len() - 2, jpeg.len() - 1] {
            let result = process(&jpeg[..keep], Some("foto.jpg"));
            assert!(
                matches!(&result, Err(PhotoError::Corrupt(detail)) if detail.contains("ends early")),
                "cut at {keep} of {}: {result:?}",
                jpeg.len()
            );
            let message = result.unwrap_err().message_nl();
            assert!(message.contains("beschadigd of onvolledig"), "{message}");
        }
        // The complete file, and one with bytes after its end-of-image marker, are fine.
        assert!(process(&jpeg, Some("foto.jpg")).is_ok());
        let mut with_trailer = jpeg.clone();
        with_trailer.extend_from_slice(b"trailing data some phones append");
        assert!(process(&with_trailer, Some("foto.jpg")).is_ok());
    }

    #[test]
    fn the_jpeg_walker_steps_over_stuffing_restarts_and_segments() {
        // SOI, an APP1 holding a whole embedded JPEG (its EOI must not end the walk),
        // SOS with stuffing, a restart marker and fill bytes, then EOI.
        let mut file = vec![0xFF, 0xD8];
        let embedded = [0xFF, 0xD8, 0xFF, 0xD9];
        file.extend_from_slice(&[0xFF, 0xE1, 0x00, 2 + embedded.len() as u8]);
        file.extend_from_slice(&embedded);
        file.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x01]);
        file.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF]);
        let without_end = file.clone();
        file.extend_from_slice(&[0xD9]);
        assert_eq!(check_jpeg_complete(&file), Ok(()));
        assert!(matches!(
            check_jpeg_complete(&without_end),
            Err(PhotoError::Corrupt(_))
        ));
        // Cut inside the APP1 segment: the embedded EOI is not mistaken for the end.
        assert!(matches!(
            check_jpeg_complete(&file[..8]),
            Err(PhotoError::Corrupt(_))
        ));
    }

    #[test]
    fn a_png_cut_off_inside_its_image_data_is_corrupt() {
        let png = testdata::png_of_size(256, 256);
        let result = process(&png[..png.len() * 2 / 3], Some("foto.png"));
        assert!(matches!(result, Err(PhotoError::Corrupt(_))), "{result:?}");
    }

    #[test]
    fn text_and_other_files_are_not_images() {
        let cases: [&[u8]; 4] = [
            b"Dit is mijn verhaal over de buurt.\n",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"\0\0\0\x18ftypmp42\0\0\0\0isommp42", // MP4 video
        ];
        for bytes in cases {
            assert_eq!(
                process(bytes, Some("photo.jpg")),
                Err(PhotoError::NotAnImage)
            );
        }
    }

    #[test]
    fn heic_gif_and_friends_get_their_own_message() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0";
        let error = process(heic, Some("IMG_0001.HEIC")).unwrap_err();
        assert_eq!(error, PhotoError::UnsupportedFormat("HEIC".to_owned()));
        assert!(error.message_nl().contains("HEIC"));
        assert!(error.message_nl().contains("Meest compatibel"));
        assert!(error.message_en().contains("Most Compatible"));

        let gif = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0";
        let error = process(gif, Some("funny.gif")).unwrap_err();
        assert_eq!(error, PhotoError::UnsupportedFormat("GIF".to_owned()));
        assert!(error.message_nl().contains("GIF-bestand"));

        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(
            process(avif, None),
            Err(PhotoError::UnsupportedFormat("AVIF".to_owned()))
        );
        assert_eq!(
            process(b"II*\0\x08\0\0\0", None),
            Err(PhotoError::UnsupportedFormat("TIFF".to_owned()))
        );
    }

    #[test]
    fn exif_orientation_is_applied_and_all_metadata_dropped() {
        let input = testdata::jpeg_orientation_6_with_gps();
        let gps_latitude = testdata::gps_rationals_be(testdata::GPS_LATITUDE);
        let gps_longitude = testdata::gps_rationals_be(testdata::GPS_LONGITUDE);
        // The fixture really carries what the output must not.
        assert!(contains(&input, b"Exif\0\0"));
        assert!(contains(&input, &gps_latitude));

        let photo = process(&input, Some("IMG_0001.jpg")).unwrap();
        assert_eq!((photo.width, photo.height), (200, 300), "upright: portrait");
        assert_eq!((photo.thumb_width, photo.thumb_height), (200, 300));

        for jpeg in [&photo.image, &photo.thumbnail] {
            assert_clean_baseline_jpeg(jpeg);
            assert!(
                !testdata::jpeg_segment_markers(jpeg).contains(&0xE1),
                "no APP1"
            );
            assert!(!contains(jpeg, &[0xFF, 0xE1]), "no APP1 marker anywhere");
            assert!(!contains(jpeg, &gps_latitude), "no GPS latitude");
            assert!(!contains(jpeg, &gps_longitude), "no GPS longitude");
        }

        // Rotating 90° clockwise moves the stored top-left corner to the top right and the
        // stored top-right corner to the bottom right; the left side is background.
        let out = decode_output(&photo.image);
        assert_eq!(out.dimensions(), (200, 300));
        let inset = testdata::mark_size(300, 200) / 2;
        let (right, bottom) = (200 - 1 - inset, 300 - 1 - inset);
        let at = |x: u32, y: u32| out.get_pixel(x, y).0;
        assert!(
            close_to(at(right, inset), testdata::MARK_TOP_LEFT),
            "{:?}",
            at(right, inset)
        );
        assert!(
            close_to(at(right, bottom), testdata::MARK_TOP_RIGHT),
            "{:?}",
            at(right, bottom)
        );
        assert!(
            close_to(at(inset, inset), testdata::BACKGROUND),
            "{:?}",
            at(inset, inset)
        );
        assert!(
            close_to(at(inset, bottom), testdata::BACKGROUND),
            "{:?}",
            at(inset, bottom)
        );
    }

    #[test]
    fn every_orientation_ends_up_upright() {
        // Where the stored top-left (red) mark must end up, per EXIF orientation, as
        // (right side?, bottom side?); orientations 5–8 also swap width and height.
        let expected = [
            (1, false, false),
            (2, true, false),
            (3, true, true),
            (4, false, true),
            (5, false, false),
            (6, true, false),
            (7, true, true),
            (8, false, true),
        ];
        for (orientation, right, bottom) in expected {
            let input = testdata::jpeg_with_exif_orientation_and_gps(120, 80, orientation);
            let photo = process(&input, None).unwrap();
            let (width, height) = if orientation >= 5 {
                (80, 120)
            } else {
                (120, 80)
            };
            assert_eq!(
                (photo.width, photo.height),
                (width, height),
                "{orientation}"
            );
            let out = decode_output(&photo.image);
            let inset = testdata::mark_size(120, 80) / 2;
            let x = if right { width - 1 - inset } else { inset };
            let y = if bottom { height - 1 - inset } else { inset };
            let pixel = out.get_pixel(x, y).0;
            assert!(
                close_to(pixel, testdata::MARK_TOP_LEFT),
                "orientation {orientation}: {pixel:?} at ({x}, {y})"
            );
        }
    }

    #[test]
    fn large_image_is_downscaled_to_max_side_with_thumbnail() {
        let input = testdata::jpeg_of_size(2000, 1500);
        let photo = process(&input, None).unwrap();
        assert_eq!((photo.width, photo.height), (MAX_SIDE, 1200));
        assert_eq!((photo.thumb_width, photo.thumb_height), (THUMB_SIDE, 300));
        assert_eq!(decode_output(&photo.image).dimensions(), (1600, 1200));
        assert_eq!(decode_output(&photo.thumbnail).dimensions(), (400, 300));
        assert!(photo.thumbnail.len() < photo.image.len());
        assert_clean_baseline_jpeg(&photo.image);
        assert_clean_baseline_jpeg(&photo.thumbnail);

        // Portrait, with a side that does not divide evenly.
        let input = testdata::jpeg_of_size(1001, 2003);
        let photo = process(&input, None).unwrap();
        assert_eq!((photo.width, photo.height), (800, MAX_SIDE));
        assert_eq!((photo.thumb_width, photo.thumb_height), (200, THUMB_SIDE));
    }

    #[test]
    fn small_image_is_never_upscaled() {
        let input = testdata::jpeg_of_size(300, 100);
        let photo = process(&input, None).unwrap();
        assert_eq!((photo.width, photo.height), (300, 100));
        assert_eq!((photo.thumb_width, photo.thumb_height), (300, 100));
        // Between the two sizes: only the thumbnail shrinks.
        let input = testdata::jpeg_of_size(800, 600);
        let photo = process(&input, None).unwrap();
        assert_eq!((photo.width, photo.height), (800, 600));
        assert_eq!((photo.thumb_width, photo.thumb_height), (400, 300));
    }

    #[test]
    fn transparency_becomes_white() {
        let mut rgba = image::RgbaImage::from_pixel(40, 30, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 255, 255]));
        let png = encode(DynamicImage::ImageRgba8(rgba), ImageFormat::Png);
        let photo = process(&png, Some("drawing.png")).unwrap();
        let out = decode_output(&photo.image);
        assert!(close_to(out.get_pixel(30, 20).0, [255, 255, 255]));
    }

    #[test]
    fn sha256_is_of_the_image_bytes() {
        let input = testdata::jpeg_of_size(640, 480);
        let photo = process(&input, None).unwrap();
        let expected: String = Sha256::digest(&photo.image)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(photo.sha256, expected);
        assert_eq!(photo.sha256.len(), 64);
        assert_ne!(photo.sha256, sha256_hex(&photo.thumbnail));
        assert_ne!(photo.sha256, sha256_hex(&input));
        // Deterministic: the same upload gives the same key.
        assert_eq!(process(&input, None).unwrap().sha256, photo.sha256);
        // Known answer for the helper itself.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn fit_within_rounds_and_never_upscales() {
        assert_eq!(fit_within(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit_within(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit_within(1001, 2003, 1600), (800, 1600));
        assert_eq!(fit_within(1600, 900, 1600), (1600, 900));
        assert_eq!(fit_within(10, 5, 1600), (10, 5));
        assert_eq!(fit_within(100_000, 1, 1600), (1600, 1));
    }

    #[test]
    fn every_error_has_a_dutch_and_an_english_message() {
        let errors = [
            PhotoError::Empty,
            PhotoError::TooLarge {
                bytes: 30 * 1024 * 1024 + 1,
                max: 25 * 1024 * 1024,
            },
            PhotoError::NotAnImage,
            PhotoError::UnsupportedFormat("HEIC".to_owned()),
            PhotoError::UnsupportedFormat("GIF".to_owned()),
            PhotoError::TypeMismatch {
                claimed: ".jpg".to_owned(),
                actual: SourceFormat::Png,
            },
            PhotoError::TypeMismatch {
                claimed: "image/jpeg".to_owned(),
                actual: SourceFormat::Webp,
            },
            PhotoError::TooManyPixels {
                width: 20_000,
                height: 20_000,
            },
            PhotoError::TooManyPixels {
                width: 13_000,
                height: 10,
            },
            PhotoError::TooManyPixels {
                width: 2_000,
                height: 1_000,
            },
            PhotoError::Corrupt("zune-jpeg: no more bytes".to_owned()),
        ];
        for error in &errors {
            let nl = error.message_nl();
            let en = error.message_en();
            assert!(!nl.trim().is_empty() && !en.trim().is_empty(), "{error:?}");
            assert_ne!(nl, en, "{error:?}");
            // Dutch: every message speaks to the student about "het bestand" / "deze foto".
            assert!(
                ["Het ", "Dit ", "Deze "]
                    .iter()
                    .any(|start| nl.starts_with(start)),
                "not Dutch? {nl}"
            );
            assert!(
                ["The ", "This "].iter().any(|start| en.starts_with(start)),
                "not English? {en}"
            );
            // Technical details stay in the logs.
            assert!(!nl.contains("zune") && !en.contains("zune"), "{nl}");
            assert!(!error.to_string().is_empty());
        }
        let too_large = errors[1].message_nl();
        assert!(
            too_large.contains("30,1 MB") && too_large.contains("25 MB"),
            "{too_large}"
        );
        assert!(errors[1].message_en().contains("30.1 MB"));
        assert!(errors[8].message_nl().contains("12000 pixels"));
    }
}
