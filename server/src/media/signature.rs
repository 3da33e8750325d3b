//! The resident's signature, drawn with a finger on the tablet: checked and
//! cleaned before it is kept as evidence of consent.
//!
//! The browser sends the canvas as a PNG. Like a photo it is untrusted input,
//! so it is decoded under limits and re-encoded from pixels (grey + alpha,
//! nothing else survives). An empty canvas — a tap on "bevestigen" before
//! anyone signed — is refused: a blank signature is no signature.

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Largest accepted PNG, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Largest accepted canvas width, in pixels.
pub const MAX_WIDTH: u32 = 3000;
/// Largest accepted canvas height, in pixels.
pub const MAX_HEIGHT: u32 = 1500;
/// Fewest ink pixels that make a signature.
pub const MIN_INK: usize = 40;

/// A cleaned signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanSignature {
    /// The PNG, re-encoded (grey + alpha, no metadata).
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// SHA-256 of `png`, hex: the storage key.
    pub sha256: String,
}

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// Not a PNG (or damaged).
    NotPng,
    /// Larger than [`MAX_BYTES`] or [`MAX_WIDTH`] × [`MAX_HEIGHT`].
    TooLarge,
    /// Nothing (or almost nothing) was drawn.
    Blank,
}

impl SignatureError {
    /// What the student reads (Dutch, English).
    pub fn message(&self) -> (&'static str, &'static str) {
        match self {
            SignatureError::NotPng => (
                "De handtekening kon niet worden gelezen. Wis het vak en laat de bewoner opnieuw tekenen.",
                "The signature could not be read. Clear the box and let the resident sign again.",
            ),
            SignatureError::TooLarge => (
                "De handtekening is te groot om op te slaan. Wis het vak en probeer het opnieuw.",
                "The signature is too large to store. Clear the box and try again.",
            ),
            SignatureError::Blank => (
                "De handtekening is leeg. Laat de bewoner met een vinger in het vak tekenen.",
                "The signature is empty. Let the resident sign in the box with a finger.",
            ),
        }
    }
}

/// Checks and cleans a drawn signature.
pub fn clean_signature(bytes: &[u8]) -> Result<CleanSignature, SignatureError> {
    if bytes.len() > MAX_BYTES {
        return Err(SignatureError::TooLarge);
    }
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(SignatureError::NotPng);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_WIDTH);
    limits.max_image_height = Some(MAX_HEIGHT);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => SignatureError::TooLarge,
        _ => SignatureError::NotPng,
    })?;
    let grey = image.to_luma_alpha8();
    let (width, height) = grey.dimensions();
    // Ink: visible and darker than the paper.
    let (mut ink, mut min_x, mut min_y, mut max_x, mut max_y) =
        (0usize, u32::MAX, u32::MAX, 0u32, 0u32);
    for (x, y, p) in grey.enumerate_pixels() {
        let [luma, alpha] = p.0;
        if alpha > 128 && luma < 160 {
            ink += 1;
            min_x = min_x.min(x);
            min_y = min_y.min(y);
            max_x = max_x.max(x);
            max_y = max_y.max(y);
        }
    }
    if ink < MIN_INK || max_x.saturating_sub(min_x) < 20 {
        return Err(SignatureError::Blank);
    }
    let _ = (min_y, max_y);
    let mut png = Vec::new();
    grey.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| SignatureError::NotPng)?;
    let sha256 = Sha256::digest(&png)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(CleanSignature {
        png,
        width,
        height,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgba, RgbaImage};

    fn canvas(draw: bool) -> Vec<u8> {
        let mut img = RgbaImage::from_pixel(600, 200, Rgba([0, 0, 0, 0]));
        if draw {
            for x in 50..450 {
                let y = 100 + ((x as f32 / 20.0).sin() * 40.0) as u32;
                for dy in 0..3 {
                    img.put_pixel(x, y + dy, Rgba([20, 20, 40, 255]));
                }
            }
        }
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_drawn_signature_is_kept_clean() {
        let s = clean_signature(&canvas(true)).unwrap();
        assert_eq!((s.width, s.height), (600, 200));
        assert!(s.png.starts_with(b"\x89PNG"));
        assert_eq!(s.sha256.len(), 64);
        // Re-encoded from pixels: no text chunks or other metadata.
        assert!(!s
            .png
            .windows(4)
            .any(|w| w == b"tEXt" || w == b"iTXt" || w == b"eXIf"));
    }

    #[test]
    fn blank_and_foreign_input_is_refused() {
        assert_eq!(clean_signature(&canvas(false)), Err(SignatureError::Blank));
        assert_eq!(clean_signature(b"GIF89a...."), Err(SignatureError::NotPng));
        assert_eq!(
            clean_signature(&[0u8; MAX_BYTES + 1]),
            Err(SignatureError::TooLarge)
        );
        let bomb = testdata::png_declaring(20_000, 20_000);
        assert_eq!(clean_signature(&bomb), Err(SignatureError::TooLarge));
        for e in [
            SignatureError::NotPng,
            SignatureError::TooLarge,
            SignatureError::Blank,
        ] {
            assert!(!e.message().0.is_empty() && !e.message().1.is_empty());
        }
    }
}
