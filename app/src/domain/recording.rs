//! The audio recording of an interview: the rules both sides share.
//!
//! A recording is made in the browser with `MediaRecorder` and travels in
//! numbered chunks (one every few seconds) while the interview goes on, so a
//! dropped connection costs nothing: unsent chunks wait on the tablet and
//! follow later, in order. When the student stops, the browser says how many
//! chunks there were; the server checks that it has every one of them,
//! joins them into one file and marks the medium ready.
//!
//! Who may record is [`super::media::may_add_media`] with
//! [`super::media::MediaKind::Audio`] (an editable story whose resident
//! consented to a recording); who may listen is
//! [`super::media::may_view_media`]. This module holds the limits, the
//! accepted formats and the chunk bookkeeping.

use super::Message;

/// How long one chunk is, in milliseconds (`MediaRecorder` timeslice). Short
/// enough that a dropped connection loses little, long enough that a
/// four-hour interview stays well under [`RecordingLimits::max_chunks`].
pub const CHUNK_MS: u32 = 5_000;

/// Limits of one recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordingLimits {
    /// Largest chunk, in bytes. Speech at the bit rates browsers use is
    /// 20–100 KB per 5 s; 8 MiB leaves room for any codec.
    pub chunk_max_bytes: u64,
    /// Largest recording, in bytes (all chunks together).
    pub total_max_bytes: u64,
    /// Most chunks of one recording (10 000 × 5 s ≈ 14 hours).
    pub max_chunks: u32,
    /// Longest duration accepted, in milliseconds (a day; the duration is
    /// only shown, so a clock gone wrong must not store nonsense).
    pub max_duration_ms: u64,
}

impl Default for RecordingLimits {
    fn default() -> Self {
        RecordingLimits {
            chunk_max_bytes: 8 * 1024 * 1024,
            total_max_bytes: 1024 * 1024 * 1024,
            max_chunks: 10_000,
            max_duration_ms: 24 * 3600 * 1000,
        }
    }
}

/// The audio formats a recording may have: what `MediaRecorder` produces in
/// Chromium/Firefox (WebM or Ogg with Opus) and Safari (MP4 with AAC). Each
/// of them can be cut into timeslice chunks that join back into one file.
pub const AUDIO_TYPES: [&str; 3] = ["audio/webm", "audio/ogg", "audio/mp4"];

/// The stored MIME type for what the browser declared (`audio/webm;codecs=opus`
/// → `audio/webm`), or `None` for anything outside [`AUDIO_TYPES`].
pub fn audio_mime(declared: &str) -> Option<&'static str> {
    let base = declared.split(';').next()?.trim().to_ascii_lowercase();
    AUDIO_TYPES.into_iter().find(|t| *t == base)
}

/// File name extension of a stored recording.
pub fn audio_extension(mime: &str) -> &'static str {
    match audio_mime(mime) {
        Some("audio/ogg") => "ogg",
        Some("audio/mp4") => "m4a",
        _ => "webm",
    }
}

/// The chunks among `0..count` that are not in `present` (any order,
/// duplicates allowed), in ascending order.
pub fn missing_chunks(present: &[u32], count: u32) -> Vec<u32> {
    let mut have = vec![false; count as usize];
    for &seq in present {
        if let Some(slot) = have.get_mut(seq as usize) {
            *slot = true;
        }
    }
    have.iter()
        .enumerate()
        .filter(|(_, h)| !**h)
        .map(|(i, _)| i as u32)
        .collect()
}

/// Why a recording cannot be finished yet: the chunks that did not arrive
/// (numbered from 1 for people; at most ten listed).
pub fn missing_message(missing: &[u32]) -> Message {
    const SHOWN: usize = 10;
    let list = missing
        .iter()
        .take(SHOWN)
        .map(|s| (s + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let more = missing.len().saturating_sub(SHOWN);
    let (more_nl, more_en) = if more > 0 {
        (format!(" en nog {more}"), format!(" and {more} more"))
    } else {
        (String::new(), String::new())
    };
    let (noun_nl, verb_nl, noun_en, verb_en) = if missing.len() == 1 {
        ("Stuk", "ontbreekt", "Part", "is")
    } else {
        ("Stukken", "ontbreken", "Parts", "are")
    };
    Message::new(
        format!(
            "De opname is nog niet compleet op de server: {noun_nl} {list}{more_nl} {verb_nl} nog. Die worden opnieuw verstuurd zodra er verbinding is; de opname op dit apparaat blijft bewaard."
        ),
        format!(
            "The recording is not complete on the server yet: {noun_en} {list}{more_en} {verb_en} missing. They are sent again when there is a connection; the recording on this device is kept."
        ),
    )
}

/// The clock of a recording, `mm:ss` (or `h:mm:ss` from an hour on).
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A duration in words for screen readers, to the minute below an hour
/// ("3 minuten"), e.g. for the recording timer's label, which should not
/// change every second.
pub fn spoken_minutes(ms: u64, lang: super::Lang) -> String {
    let total_min = ms / 60_000;
    let (h, m) = (total_min / 60, total_min % 60);
    let unit = |n: u64, one_nl: &str, many_nl: &str, one_en: &str, many_en: &str| {
        let word = match (lang, n == 1) {
            (super::Lang::Nl, true) => one_nl,
            (super::Lang::Nl, false) => many_nl,
            (super::Lang::En, true) => one_en,
            (super::Lang::En, false) => many_en,
        };
        format!("{n} {word}")
    };
    let minutes = unit(m, "minuut", "minuten", "minute", "minutes");
    if h == 0 {
        if m == 0 {
            return lang
                .pick("minder dan een minuut", "less than a minute")
                .to_string();
        }
        return minutes;
    }
    let hours = unit(h, "uur", "uur", "hour", "hours");
    if m == 0 {
        hours
    } else {
        format!("{hours} {} {minutes}", lang.pick("en", "and"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn only_known_audio_types_are_accepted() {
        assert_eq!(audio_mime("audio/webm;codecs=opus"), Some("audio/webm"));
        assert_eq!(audio_mime(" Audio/WebM "), Some("audio/webm"));
        assert_eq!(audio_mime("audio/ogg; codecs=opus"), Some("audio/ogg"));
        assert_eq!(audio_mime("audio/mp4"), Some("audio/mp4"));
        for bad in [
            "",
            "video/webm",
            "text/html",
            "audio/wav",
            "audio/webm2",
            "audio",
        ] {
            assert_eq!(audio_mime(bad), None, "{bad}");
        }
        assert_eq!(audio_extension("audio/mp4"), "m4a");
        assert_eq!(audio_extension("audio/ogg"), "ogg");
        assert_eq!(audio_extension("audio/webm;codecs=opus"), "webm");
    }

    #[test]
    fn missing_chunks_ignore_order_duplicates_and_extras() {
        assert_eq!(missing_chunks(&[2, 0, 1, 1], 3), Vec::<u32>::new());
        assert_eq!(missing_chunks(&[0, 3, 7], 5), vec![1, 2, 4]);
        assert_eq!(missing_chunks(&[], 2), vec![0, 1]);
        assert_eq!(missing_chunks(&[0, 1], 0), Vec::<u32>::new());
    }

    #[test]
    fn missing_chunks_are_named_for_people() {
        let one = missing_message(&[2]);
        assert!(one.nl.contains("Stuk 3 ontbreekt nog"), "{}", one.nl);
        assert!(one.en.contains("Part 3 is missing"), "{}", one.en);
        let two = missing_message(&[0, 4]);
        assert!(two.nl.contains("Stukken 1, 5 ontbreken nog"), "{}", two.nl);
        assert!(two.en.contains("Parts 1, 5 are missing"), "{}", two.en);
        let many: Vec<u32> = (0..25).collect();
        let m = missing_message(&many);
        assert!(
            m.nl.contains("1, 2, 3, 4, 5, 6, 7, 8, 9, 10 en nog 15 ontbreken"),
            "{}",
            m.nl
        );
    }

    #[test]
    fn clock_and_spoken_duration() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(5_999), "00:05");
        assert_eq!(clock(192_000), "03:12");
        assert_eq!(clock(3_600_000 + 62_000), "1:01:02");
        assert_eq!(spoken_minutes(30_000, Lang::Nl), "minder dan een minuut");
        assert_eq!(spoken_minutes(61_000, Lang::Nl), "1 minuut");
        assert_eq!(spoken_minutes(192_000, Lang::Nl), "3 minuten");
        assert_eq!(spoken_minutes(192_000, Lang::En), "3 minutes");
        assert_eq!(spoken_minutes(3_600_000, Lang::Nl), "1 uur");
        assert_eq!(
            spoken_minutes(2 * 3_600_000 + 60_000, Lang::En),
            "2 hours and 1 minute"
        );
    }

    #[test]
    fn limits_fit_a_long_interview() {
        let l = RecordingLimits::default();
        let four_hours = 4 * 3600 * 1000 / u64::from(CHUNK_MS);
        assert!(u64::from(l.max_chunks) > 2 * four_hours);
        assert!(l.chunk_max_bytes < l.total_max_bytes);
    }
}
