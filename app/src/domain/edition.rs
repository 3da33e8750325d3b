//! Editions: one year of an organisation's work, `open` (collecting
//! stories) → `closed` → `published`.

use super::Message;
use serde::{Deserialize, Serialize};

/// Where an edition is in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionStatus {
    /// Students are collecting stories.
    Open,
    /// Collecting is over; curation and the booklet continue.
    Closed,
    /// The booklet is out.
    Published,
}

impl EditionStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [EditionStatus; 3] = [
        EditionStatus::Open,
        EditionStatus::Closed,
        EditionStatus::Published,
    ];

    /// The stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EditionStatus::Open => "open",
            EditionStatus::Closed => "closed",
            EditionStatus::Published => "published",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<EditionStatus> {
        EditionStatus::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Dutch and English names for the interface.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            EditionStatus::Open => ("open", "open"),
            EditionStatus::Closed => ("gesloten", "closed"),
            EditionStatus::Published => ("gepubliceerd", "published"),
        }
    }

    /// Whether the interview guide may still change.
    ///
    /// Only while the edition is open: once collecting is over the stories
    /// are read against the questions as they were asked, so the guide is
    /// kept as it is (readable, not editable).
    pub fn guide_editable(self) -> Result<(), Message> {
        match self {
            EditionStatus::Open => Ok(()),
            EditionStatus::Closed | EditionStatus::Published => {
                let (nl, en) = self.label();
                Err(Message::new(
                    format!(
                        "Deze editie is {nl}: de vragenlijst ligt vast, omdat de verhalen ermee zijn verzameld. U kunt hem nog wel bekijken."
                    ),
                    format!(
                        "This edition is {en}: the interview guide is fixed, because the stories were collected with it. You can still read it."
                    ),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in EditionStatus::ALL {
            assert_eq!(EditionStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(EditionStatus::parse("archived"), None);
    }

    #[test]
    fn only_open_editions_have_an_editable_guide() {
        assert!(EditionStatus::Open.guide_editable().is_ok());
        let closed = EditionStatus::Closed.guide_editable().unwrap_err();
        assert!(closed.nl.contains("gesloten"), "{closed}");
        assert!(closed.nl.contains("ligt vast"));
        assert!(EditionStatus::Published
            .guide_editable()
            .unwrap_err()
            .en
            .contains("published"));
    }
}
