//! HTTP byte ranges (RFC 9110 §14) for media downloads.
//!
//! Browsers ask for parts of a recording when the listener seeks (Chromium
//! does not let a user seek at all unless the server answers ranges with
//! `206 Partial Content`). Only single ranges are answered; a header this
//! module does not understand is ignored, as the RFC allows, and the whole
//! file is sent.

/// What to send for a `Range` header and a file of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// The whole file (`200`): no header, or one to ignore.
    Full,
    /// Bytes `start..=end` (`206`).
    Partial {
        /// First byte.
        start: u64,
        /// Last byte (inclusive).
        end: u64,
    },
    /// A range outside the file (`416`).
    Unsatisfiable,
}

impl ByteRange {
    /// The `Content-Range` value for a partial answer of a file of `len` bytes.
    pub fn content_range(self, len: u64) -> Option<String> {
        match self {
            ByteRange::Full => None,
            ByteRange::Partial { start, end } => Some(format!("bytes {start}-{end}/{len}")),
            ByteRange::Unsatisfiable => Some(format!("bytes */{len}")),
        }
    }
}

/// Reads a `Range` header against a file of `len` bytes.
pub fn parse_range(header: Option<&str>, len: u64) -> ByteRange {
    let Some(header) = header else {
        return ByteRange::Full;
    };
    let header = header.trim();
    let Some((unit, spec)) = header.split_once('=') else {
        return ByteRange::Full;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return ByteRange::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return ByteRange::Full;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // More digits than a u64 holds: as good as infinite.
        Some(s.parse().unwrap_or(u64::MAX))
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // `bytes=-500`: the last 500 bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Partial {
                    start: len.saturating_sub(suffix),
                    end: len - 1,
                }
            }
        }
        // `bytes=100-`: from byte 100 to the end.
        (false, Some(start), None) if last.trim().is_empty() => {
            if start >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Partial {
                    start,
                    end: len - 1,
                }
            }
        }
        // `bytes=100-199`.
        (false, Some(start), Some(end)) if start <= end => {
            if start >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Partial {
                    start,
                    end: end.min(len - 1),
                }
            }
        }
        _ => ByteRange::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::ByteRange::*;
    use super::*;

    #[test]
    fn single_ranges() {
        assert_eq!(parse_range(None, 100), Full);
        assert_eq!(
            parse_range(Some("bytes=0-"), 100),
            Partial { start: 0, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=10-19"), 100),
            Partial { start: 10, end: 19 }
        );
        assert_eq!(
            parse_range(Some("bytes=90-500"), 100),
            Partial { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-30"), 100),
            Partial { start: 70, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-300"), 100),
            Partial { start: 0, end: 99 }
        );
        assert_eq!(
            parse_range(Some(" Bytes = 5 - 5 "), 100),
            Partial { start: 5, end: 5 }
        );
        assert_eq!(
            parse_range(Some("bytes=99999999999999999999999-"), 100),
            Unsatisfiable
        );
    }

    #[test]
    fn outside_the_file() {
        assert_eq!(parse_range(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=100-200"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-"), 0), Unsatisfiable);
        assert_eq!(
            Unsatisfiable.content_range(100).as_deref(),
            Some("bytes */100")
        );
        assert_eq!(
            Partial { start: 1, end: 2 }.content_range(3).as_deref(),
            Some("bytes 1-2/3")
        );
    }

    #[test]
    fn what_is_not_understood_is_ignored() {
        for h in [
            "",
            "bytes",
            "items=0-1",
            "bytes=0-1,5-6",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=-",
            "bytes=1",
            "bytes=+1-2",
            "bytes=1-2-3",
        ] {
            assert_eq!(parse_range(Some(h), 100), Full, "{h:?}");
        }
    }
}
