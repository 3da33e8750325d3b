//! Time stamps: stored as fixed-precision RFC 3339 UTC text (so text order is
//! time order, on SQLite and PostgreSQL alike) and shown in Dutch local time.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// A moment in time (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

const DB_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl Timestamp {
    /// Now (server clock).
    pub fn now() -> Self {
        Timestamp(Utc::now())
    }

    /// The database text form: `2026-11-28T14:02:05.123456Z` (always the
    /// same length, so comparing texts compares times).
    pub fn to_db(self) -> String {
        self.0.format(DB_FORMAT).to_string()
    }

    /// Parses the database text form (any RFC 3339 text is accepted).
    pub fn from_db(s: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| Timestamp(d.with_timezone(&Utc)))
    }

    /// The wall-clock time in the Netherlands (CET/CEST).
    pub fn local(self) -> chrono::NaiveDateTime {
        self.0.naive_utc() + Duration::hours(amsterdam_offset_hours(self.0))
    }

    /// `14:02`, Dutch local time.
    pub fn time_hm(self) -> String {
        self.local().format("%H:%M").to_string()
    }

    /// `28 nov 2026 14:02` (Dutch) / `28 Nov 2026 14:02` (English), local time.
    pub fn short(self, lang: super::Lang) -> String {
        let l = self.local();
        let month = MONTHS[l.month0() as usize];
        let m = lang.pick(month.0, month.1);
        format!("{} {} {} {}", l.day(), m, l.year(), l.format("%H:%M"))
    }
}

const MONTHS: [(&str, &str); 12] = [
    ("jan", "Jan"),
    ("feb", "Feb"),
    ("mrt", "Mar"),
    ("apr", "Apr"),
    ("mei", "May"),
    ("jun", "Jun"),
    ("jul", "Jul"),
    ("aug", "Aug"),
    ("sep", "Sep"),
    ("okt", "Oct"),
    ("nov", "Nov"),
    ("dec", "Dec"),
];

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid date");
    let mut d = first_next - Duration::days(1);
    while d.weekday() != Weekday::Sun {
        d -= Duration::days(1);
    }
    d
}

/// The offset of Europe/Amsterdam from UTC at `t`: +2 between the last
/// Sundays of March and October at 01:00 UTC (EU rule), +1 otherwise.
/// Computed here so the server and the browser render the same text (no
/// time-zone database needed in the wasm bundle).
pub fn amsterdam_offset_hours(t: DateTime<Utc>) -> i64 {
    let y = t.year();
    let start = Utc.from_utc_datetime(&last_sunday(y, 3).and_hms_opt(1, 0, 0).expect("valid"));
    let end = Utc.from_utc_datetime(&last_sunday(y, 10).and_hms_opt(1, 0, 0).expect("valid"));
    if t >= start && t < end {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::from_db(s).unwrap()
    }

    #[test]
    fn db_form_has_fixed_width_and_round_trips() {
        let t = ts("2026-03-01T08:00:00Z");
        assert_eq!(t.to_db(), "2026-03-01T08:00:00.000000Z");
        assert_eq!(Timestamp::from_db(&t.to_db()), Some(t));
        assert!(ts("2026-03-01T08:00:00.5Z").to_db() > t.to_db());
    }

    #[test]
    fn dutch_summer_and_winter_time() {
        // 2026: DST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(ts("2026-03-29T00:59:59Z").time_hm(), "01:59");
        assert_eq!(ts("2026-03-29T01:00:00Z").time_hm(), "03:00");
        assert_eq!(ts("2026-10-25T00:59:59Z").time_hm(), "02:59");
        assert_eq!(ts("2026-10-25T01:00:00Z").time_hm(), "02:00");
        assert_eq!(
            ts("2026-11-28T13:02:00Z").short(super::super::Lang::Nl),
            "28 nov 2026 14:02"
        );
        assert_eq!(
            ts("2026-05-03T13:02:00Z").short(super::super::Lang::En),
            "3 May 2026 15:02"
        );
    }
}
