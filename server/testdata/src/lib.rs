//! Generated test images for the media pipelines, shared by the server's unit tests, its
//! integration tests (`server/tests/`) and the benchmark (`server/benches/photo_pipeline.rs`).
//!
//! Everything is built in code, deterministically, so no binary fixtures live in the
//! repository. A dev-dependency only: the application never links it.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// Colour of the marked block in the *stored* top-left corner of
/// [`jpeg_with_exif_orientation_and_gps`] (red).
pub const MARK_TOP_LEFT: [u8; 3] = [220, 30, 30];

/// Colour of the marked block in the *stored* top-right corner of
/// [`jpeg_with_exif_orientation_and_gps`] (green).
pub const MARK_TOP_RIGHT: [u8; 3] = [30, 190, 40];

/// Colour of the rest of [`jpeg_with_exif_orientation_and_gps`] (mid grey).
pub const BACKGROUND: [u8; 3] = [128, 128, 128];

/// GPSLatitude of the fixture's GPS IFD: 52° 22′ 12.34″ (as EXIF rationals).
pub const GPS_LATITUDE: [(u32, u32); 3] = [(52, 1), (22, 1), (1234, 100)];

/// GPSLongitude of the fixture's GPS IFD: 4° 53′ 56.78″ (as EXIF rationals).
pub const GPS_LONGITUDE: [(u32, u32); 3] = [(4, 1), (53, 1), (5678, 100)];

/// The side, in pixels, of the square corner marks of an image `width` × `height` made by
/// [`jpeg_with_exif_orientation_and_gps`]: a quarter of the short side.
pub fn mark_size(width: u32, height: u32) -> u32 {
    (width.min(height) / 4).max(1)
}

/// A 300 × 200 JPEG whose EXIF says "rotate 90° clockwise" (orientation 6) and which carries
/// a GPS position: what a tablet held upright produces. Shown correctly it is 200 × 300, with
/// the red mark ([`MARK_TOP_LEFT`]) in the top-right corner and the green one
/// ([`MARK_TOP_RIGHT`]) in the bottom-right corner.
pub fn jpeg_orientation_6_with_gps() -> Vec<u8> {
    jpeg_with_exif_orientation_and_gps(300, 200, 6)
}

/// A baseline JPEG of `width` × `height` stored pixels with an APP1 Exif segment right after
/// SOI, holding IFD0 with `Orientation` = `orientation` (1–8) and a `GPSInfo` pointer to a GPS
/// IFD (GPSVersionID, GPSLatitudeRef `N`, [`GPS_LATITUDE`], GPSLongitudeRef `E`,
/// [`GPS_LONGITUDE`]).
///
/// The pixels are [`BACKGROUND`] with a [`mark_size`] square of [`MARK_TOP_LEFT`] in the
/// stored top-left corner and one of [`MARK_TOP_RIGHT`] in the stored top-right corner, so a
/// test can tell every rotation and mirroring apart.
pub fn jpeg_with_exif_orientation_and_gps(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let mark = mark_size(width, height);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            let colour = if y < mark && x < mark {
                MARK_TOP_LEFT
            } else if y < mark && x >= width - mark {
                MARK_TOP_RIGHT
            } else {
                BACKGROUND
            };
            pixels.extend_from_slice(&colour);
        }
    }
    let jpeg = encode_jpeg(&pixels, width, height, 95);
    insert_after_soi(&jpeg, &exif_app1_segment(orientation))
}

/// A complete APP1 segment (marker, length, `Exif\0\0`, big-endian TIFF structure) with IFD0
/// holding `Orientation` = `orientation` and a `GPSInfo` pointer to a GPS IFD, as described at
/// [`jpeg_with_exif_orientation_and_gps`].
pub fn exif_app1_segment(orientation: u16) -> Vec<u8> {
    // Offsets are from the start of the TIFF header ("MM").
    const IFD0: u32 = 8;
    const IFD0_ENTRIES: u16 = 2;
    const GPS_IFD: u32 = IFD0 + 2 + 12 * IFD0_ENTRIES as u32 + 4;
    const GPS_ENTRIES: u16 = 5;
    const LATITUDE: u32 = GPS_IFD + 2 + 12 * GPS_ENTRIES as u32 + 4;
    const LONGITUDE: u32 = LATITUDE + 24;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const BYTE: u16 = 1;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;

    fn entry(tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&count.to_be_bytes());
        tiff.extend_from_slice(&value);
    }

    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a");
    tiff.extend_from_slice(&IFD0.to_be_bytes());
    // IFD0: Orientation, GPSInfo (tags in ascending order).
    tiff.extend_from_slice(&IFD0_ENTRIES.to_be_bytes());
    let [hi, lo] = orientation.to_be_bytes();
    entry(&mut tiff, 0x0112, SHORT, 1, [hi, lo, 0, 0]);
    entry(&mut tiff, 0x8825, LONG, 1, GPS_IFD.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    debug_assert_eq!(tiff.len(), GPS_IFD as usize);
    // GPS IFD.
    tiff.extend_from_slice(&GPS_ENTRIES.to_be_bytes());
    entry(&mut tiff, 0x0000, BYTE, 4, [2, 3, 0, 0]);
    entry(&mut tiff, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, RATIONAL, 3, LATITUDE.to_be_bytes());
    entry(&mut tiff, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut tiff, 0x0004, RATIONAL, 3, LONGITUDE.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    debug_assert_eq!(tiff.len(), LATITUDE as usize);
    tiff.extend_from_slice(&gps_rationals_be(GPS_LATITUDE));
    tiff.extend_from_slice(&gps_rationals_be(GPS_LONGITUDE));

    let payload_len = 2 + 6 + tiff.len();
    let mut segment = Vec::with_capacity(2 + payload_len);
    segment.extend_from_slice(&[0xFF, 0xE1]);
    segment.extend_from_slice(
        &u16::try_from(payload_len)
            .expect("Exif segment fits in 64 kB")
            .to_be_bytes(),
    );
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    segment
}

/// Three EXIF rationals as stored in the fixture (big-endian numerator, denominator): 24 bytes
/// that must not appear in anything the pipeline outputs.
pub fn gps_rationals_be(rationals: [(u32, u32); 3]) -> [u8; 24] {
    let mut bytes = [0; 24];
    for (i, (numerator, denominator)) in rationals.into_iter().enumerate() {
        bytes[i * 8..i * 8 + 4].copy_from_slice(&numerator.to_be_bytes());
        bytes[i * 8 + 4..i * 8 + 8].copy_from_slice(&denominator.to_be_bytes());
    }
    bytes
}

/// `jpeg` with `segment` inserted right after its SOI marker.
pub fn insert_after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "not a JPEG");
    let mut out = Vec::with_capacity(jpeg.len() + segment.len());
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The markers of the segments of a JPEG up to and including SOS, in order (`0xE0` for
/// APP0, `0xE1` for APP1 (Exif, XMP), `0xFE` for COM, `0xC0` for a baseline SOF, …). Panics on
/// a malformed marker structure.
pub fn jpeg_segment_markers(jpeg: &[u8]) -> Vec<u8> {
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "no SOI");
    let mut markers = Vec::new();
    let mut i = 2;
    loop {
        assert_eq!(jpeg.get(i), Some(&0xFF), "expected a marker at byte {i}");
        while jpeg.get(i) == Some(&0xFF) {
            i += 1; // fill bytes
        }
        let marker = *jpeg.get(i).expect("truncated JPEG");
        markers.push(marker);
        if marker == 0xDA || marker == 0xD9 {
            return markers;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 1], jpeg[i + 2]]));
        i += 1 + len;
    }
}

/// A small PNG whose header (IHDR) declares `width` × `height` pixels while its image data
/// holds a single pixel: a stand-in for a decompression bomb. It costs a few dozen bytes,
/// every chunk (CRC included) is well formed, so only the declared size can get it refused;
/// a decoder that went on to decode it would allocate the full declared size first.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = png_of_size(1, 1);
    // Signature (8 bytes), IHDR length (4) and type (4), then width and height.
    assert_eq!(&png[12..16], b"IHDR");
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    // The CRC covers the chunk type and data (13 bytes), and follows them.
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// An RGB PNG of `width` × `height` with the same photo-like content as [`jpeg_of_size`].
pub fn png_of_size(width: u32, height: u32) -> Vec<u8> {
    let pixels = photo_like_pixels(width, height);
    let mut png = Vec::new();
    PngEncoder::new(Cursor::new(&mut png))
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .expect("encoding a PNG in memory");
    png
}

/// A photo-like JPEG (quality 90, no metadata) of `width` × `height`: smooth gradients and
/// shapes with sensor-like noise and a strongly textured lower part, so that it compresses
/// about as well as a real camera photo (a 4000 × 3000 one is a few megabytes). Deterministic.
pub fn jpeg_of_size(width: u32, height: u32) -> Vec<u8> {
    encode_jpeg(&photo_like_pixels(width, height), width, height, 90)
}

/// RGB8 pixels for [`jpeg_of_size`] and [`png_of_size`].
pub fn photo_like_pixels(width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    // Per-column and per-row colour waves keep this cheap for 12-megapixel images.
    let wave = |i: usize, n: usize, periods: f32, phase: f32| {
        (i as f32 / n.max(1) as f32 * periods * std::f32::consts::TAU + phase).sin()
    };
    let columns: Vec<[f32; 3]> = (0..w)
        .map(|x| {
            [
                40.0 * wave(x, w, 1.3, 0.0) + 15.0 * wave(x, w, 17.0, 1.0),
                35.0 * wave(x, w, 0.7, 2.0) + 12.0 * wave(x, w, 23.0, 0.5),
                30.0 * wave(x, w, 1.9, 4.0) + 10.0 * wave(x, w, 31.0, 2.5),
            ]
        })
        .collect();
    let rows: Vec<[f32; 3]> = (0..h)
        .map(|y| {
            let sky = 1.0 - y as f32 / h.max(1) as f32;
            [
                90.0 + 50.0 * sky + 10.0 * wave(y, h, 13.0, 0.3),
                100.0 + 40.0 * sky + 12.0 * wave(y, h, 19.0, 1.1),
                80.0 + 90.0 * sky + 8.0 * wave(y, h, 29.0, 2.2),
            ]
        })
        .collect();
    let mut rng = XorShift(0x9E37_79B9);
    let mut pixels = Vec::with_capacity(w * h * 3);
    for (y, row) in rows.iter().enumerate() {
        // The lower part ("grass", "pavement") is much busier than the "sky".
        let texture = if y * 5 > h * 3 { 16 } else { 5 };
        // A few blocky "buildings" with hard edges.
        let in_building = |x: usize| {
            let band = x * 7 / w.max(1);
            band % 2 == 1 && y * 10 > h * (3 + band % 3)
        };
        for (x, column) in columns.iter().enumerate() {
            let shade = if in_building(x) { -45.0 } else { 0.0 };
            for channel in 0..3 {
                let noise = (rng.next() % (2 * texture + 1)) as f32 - texture as f32;
                let value = row[channel] + column[channel] + shade + noise;
                pixels.push(value.clamp(0.0, 255.0) as u8);
            }
        }
    }
    pixels
}

fn encode_jpeg(pixels: &[u8], width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode(pixels, width, height, ExtendedColorType::Rgb8)
        .expect("encoding a JPEG in memory");
    jpeg
}

/// A tiny deterministic pseudo-random generator (xorshift32): no `rand` needed.
struct XorShift(u32);

impl XorShift {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}

/// CRC-32 (ISO-HDLC, as in PNG chunks and zlib), bit by bit: fast enough for a chunk header.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn png_declaring_keeps_a_valid_header() {
        let png = png_declaring(20_000, 20_000);
        let reader = image::ImageReader::with_format(Cursor::new(&png), image::ImageFormat::Png);
        assert_eq!(reader.into_dimensions().unwrap(), (20_000, 20_000));
    }

    #[test]
    fn orientation_fixture_carries_orientation_and_gps() {
        use image::ImageDecoder;
        let jpeg = jpeg_orientation_6_with_gps();
        assert_eq!(jpeg_segment_markers(&jpeg)[0], 0xE1);
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(Cursor::new(&jpeg)).expect("valid JPEG");
        assert_eq!(decoder.dimensions(), (300, 200));
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );
        let exif = decoder.exif_metadata().unwrap().expect("Exif present");
        let latitude = gps_rationals_be(GPS_LATITUDE);
        assert!(exif.windows(24).any(|w| w == latitude));
    }
}
