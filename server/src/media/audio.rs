//! Recordings: the small amount of container knowledge the server needs.
//!
//! * [`sniff_audio`] tells by the first bytes whether a recording's first
//!   chunk is the WebM, Ogg or MP4 file it claims to be (DESIGN.md §7: by
//!   content, not by label), so nothing else is ever served as audio.
//! * [`webm_with_duration`] writes the length into a WebM header.
//!   `MediaRecorder` cannot know the length when it writes the header, so it
//!   leaves the `Duration` element out; browsers then report the length as
//!   infinite and show no usable time line. The server learns the length
//!   when the recording is finished and puts it into the first chunk while
//!   joining the chunks.
//!
//! Pure functions, no I/O.

/// EBML header (the start of every WebM/Matroska file).
const EBML: u32 = 0x1A45_DFA3;
/// Segment: everything after the header.
const SEGMENT: u32 = 0x1853_8067;
/// Segment information (time scale, duration, writing app).
const INFO: u32 = 0x1549_A966;
/// Padding.
const VOID: u32 = 0xEC;
/// Inside Info: nanoseconds per time unit (default 1 000 000: milliseconds).
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
/// Inside Info: length in time units, a float.
const DURATION: u32 = 0x4489;

/// The audio type the bytes start like: `audio/webm`, `audio/ogg`,
/// `audio/mp4`, or `None`.
pub fn sniff_audio(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&EBML.to_be_bytes()) {
        Some("audio/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        Some("audio/mp4")
    } else {
        None
    }
}

/// An element header: id, data size (`None`: unknown, "until the parent
/// ends"), and where the data starts.
struct Header {
    id: u32,
    size: Option<u64>,
    data: usize,
}

/// Reads the element header at `pos`.
fn header(bytes: &[u8], pos: usize) -> Option<Header> {
    let first = *bytes.get(pos)?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 {
        return None;
    }
    let id = bytes
        .get(pos..pos + id_len)?
        .iter()
        .fold(0u32, |v, b| (v << 8) | u32::from(*b));
    let at = pos + id_len;
    let first = *bytes.get(at)?;
    let size_len = first.leading_zeros() as usize + 1;
    if size_len > 8 {
        return None;
    }
    let rest = bytes.get(at + 1..at + size_len)?;
    let marker_free = u64::from(first) & (0xFF_u64 >> size_len);
    let size = rest
        .iter()
        .fold(marker_free, |v, b| (v << 8) | u64::from(*b));
    let all_ones = (1u64 << (7 * size_len)) - 1;
    Some(Header {
        id,
        size: (size != all_ones).then_some(size),
        data: at + size_len,
    })
}

/// The end of an element with a known size, if it fits in `bytes`.
fn end_of(bytes: &[u8], h: &Header) -> Option<usize> {
    let end = h.data.checked_add(usize::try_from(h.size?).ok()?)?;
    (end <= bytes.len()).then_some(end)
}

/// `head` (the start of a WebM file as `MediaRecorder` writes it) with its
/// `Duration` set to `duration_ms`; `None` when the header is not of the
/// simple shape `MediaRecorder` writes (then the file is kept as it is).
pub fn webm_with_duration(head: &[u8], duration_ms: u64) -> Option<Vec<u8>> {
    let ebml = header(head, 0)?;
    if ebml.id != EBML {
        return None;
    }
    let segment = header(head, end_of(head, &ebml)?)?;
    // A segment of known size would need its size rewritten too; the
    // browsers' recorders write "unknown" (they stream).
    if segment.id != SEGMENT || segment.size.is_some() {
        return None;
    }
    let mut pos = segment.data;
    let (info_start, info) = loop {
        let h = header(head, pos)?;
        match h.id {
            INFO => break (pos, h),
            VOID => pos = end_of(head, &h)?,
            // A SeekHead (its positions would shift), or tracks before info.
            _ => return None,
        }
    };
    let info_end = end_of(head, &info)?;
    let mut scale: u64 = 1_000_000;
    let mut child = info.data;
    let mut existing = None;
    while child < info_end {
        let h = header(head, child)?;
        let end = end_of(head, &h)?;
        match h.id {
            TIMECODE_SCALE => {
                let v = head[h.data..end]
                    .iter()
                    .fold(0u64, |v, b| (v << 8) | u64::from(*b));
                if v > 0 {
                    scale = v;
                }
            }
            DURATION => existing = Some((h.data, end)),
            _ => {}
        }
        child = end;
    }
    let units = duration_ms as f64 * 1_000_000.0 / scale as f64;
    let mut out = head.to_vec();
    if let Some((start, end)) = existing {
        match end - start {
            8 => out[start..end].copy_from_slice(&units.to_be_bytes()),
            4 => out[start..end].copy_from_slice(&(units as f32).to_be_bytes()),
            _ => return None,
        }
        return Some(out);
    }
    // Info gets a Duration (id, size 8, a big-endian f64) and a new size,
    // written as an 8-byte number so any size fits.
    let mut element = Vec::with_capacity(11);
    element.extend_from_slice(&(DURATION as u16).to_be_bytes());
    element.push(0x88);
    element.extend_from_slice(&units.to_be_bytes());
    let new_size = (info_end - info.data + element.len()) as u64;
    let mut out = Vec::with_capacity(head.len() + 24);
    out.extend_from_slice(&head[..info_start]);
    out.extend_from_slice(&INFO.to_be_bytes());
    out.push(0x01);
    out.extend_from_slice(&new_size.to_be_bytes()[1..]);
    out.extend_from_slice(&head[info.data..info_end]);
    out.extend_from_slice(&element);
    out.extend_from_slice(&head[info_end..]);
    Some(out)
}

/// The `Duration` of a WebM head in milliseconds, if it has one (tests).
pub fn webm_duration_ms(head: &[u8]) -> Option<f64> {
    let ebml = header(head, 0)?;
    let segment = header(head, end_of(head, &ebml)?)?;
    let mut pos = segment.data;
    let info = loop {
        let h = header(head, pos)?;
        if h.id == INFO {
            break h;
        }
        pos = end_of(head, &h)?;
    };
    let info_end = end_of(head, &info)?;
    let (mut scale, mut units) = (1_000_000f64, None);
    let mut child = info.data;
    while child < info_end {
        let h = header(head, child)?;
        let end = end_of(head, &h)?;
        let data = &head[h.data..end];
        match h.id {
            TIMECODE_SCALE => {
                scale = data.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b)) as f64
            }
            DURATION if data.len() == 8 => units = Some(f64::from_be_bytes(data.try_into().ok()?)),
            DURATION if data.len() == 4 => {
                units = Some(f64::from(f32::from_be_bytes(data.try_into().ok()?)))
            }
            _ => {}
        }
        child = end;
    }
    units.map(|u| u * scale / 1_000_000.0)
}

/// A minimal WebM head as Chromium's `MediaRecorder` writes it (EBML header,
/// a segment of unknown size, Info without Duration, a tiny Tracks element,
/// the start of a cluster), followed by `tail`. For tests.
#[doc(hidden)]
pub fn sample_webm_head(tail: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    // EBML header: DocType "webm".
    v.extend_from_slice(&[0x1A, 0x45, 0xDF, 0xA3, 0x8B]);
    v.extend_from_slice(&[0x42, 0x82, 0x84]);
    v.extend_from_slice(b"webm");
    v.extend_from_slice(&[0x42, 0x87, 0x81, 0x04]);
    // Segment, unknown size.
    v.extend_from_slice(&[
        0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ]);
    // Info: TimecodeScale 1 000 000, MuxingApp "Chrome".
    let mut info = vec![0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40];
    info.extend_from_slice(&[0x4D, 0x80, 0x86]);
    info.extend_from_slice(b"Chrome");
    v.extend_from_slice(&[0x15, 0x49, 0xA9, 0x66, 0x80 | info.len() as u8]);
    v.extend_from_slice(&info);
    // Tracks with one empty TrackEntry.
    v.extend_from_slice(&[0x16, 0x54, 0xAE, 0x6B, 0x82, 0xAE, 0x80]);
    // Cluster, unknown size, Timecode 0.
    v.extend_from_slice(&[
        0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ]);
    v.extend_from_slice(&[0xE7, 0x81, 0x00]);
    v.extend_from_slice(tail);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_recorders_formats() {
        assert_eq!(sniff_audio(&sample_webm_head(&[])), Some("audio/webm"));
        assert_eq!(sniff_audio(b"OggS\0\x02rest"), Some("audio/ogg"));
        assert_eq!(
            sniff_audio(b"\0\0\0\x18ftypmp42\0\0\0\0"),
            Some("audio/mp4")
        );
        assert_eq!(sniff_audio(b"<!doctype html>"), None);
        assert_eq!(sniff_audio(b""), None);
        assert_eq!(sniff_audio(&[0x1A, 0x45]), None);
    }

    #[test]
    fn writes_the_duration_into_a_recorder_header() {
        let tail = b"\xA3\x85\x81\x00\x00\x80\x42rest-of-the-cluster";
        let head = sample_webm_head(tail);
        assert_eq!(webm_duration_ms(&head), None);
        let fixed = webm_with_duration(&head, 6_250).expect("fixable");
        assert_eq!(webm_duration_ms(&fixed), Some(6_250.0));
        assert!(fixed.ends_with(tail), "everything after Info unchanged");
        assert_eq!(sniff_audio(&fixed), Some("audio/webm"));
        // Fixing again replaces the value instead of adding a second one.
        let again = webm_with_duration(&fixed, 7_000).unwrap();
        assert_eq!(again.len(), fixed.len());
        assert_eq!(webm_duration_ms(&again), Some(7_000.0));
    }

    #[test]
    fn leaves_other_shapes_alone() {
        assert_eq!(webm_with_duration(b"OggS....", 1000), None);
        assert_eq!(webm_with_duration(&[], 1000), None);
        // Cut off in the middle of the Info element.
        let head = sample_webm_head(&[]);
        assert_eq!(webm_with_duration(&head[..30], 1000), None);
        // A segment of known size.
        let mut known = head.clone();
        let seg = known
            .windows(4)
            .position(|w| w == [0x18, 0x53, 0x80, 0x67])
            .unwrap();
        known[seg + 4..seg + 12].copy_from_slice(&[0x01, 0, 0, 0, 0, 0, 0, 0x40]);
        assert_eq!(webm_with_duration(&known, 1000), None);
        // Garbage never panics.
        for n in 0..head.len() {
            let mut g = head.clone();
            g[n] ^= 0xFF;
            let _ = webm_with_duration(&g, 1000);
            let _ = webm_with_duration(&head[..n], 1000);
        }
    }
}
