//! Editions: one year of an organisation's work, `open` (collecting
//! stories) → `closed` → `published`.
//!
//! What each status allows, decided here and asked by the API:
//!
//! | status      | new interviews | texts, reviews, curation | withdrawal, reprint |
//! |-------------|----------------|--------------------------|---------------------|
//! | `open`      | yes            | yes                      | yes                 |
//! | `closed`    | no             | yes                      | yes                 |
//! | `published` | no             | no (read-only)           | yes                 |
//!
//! A resident's withdrawal is never refused, whatever the status, and the
//! booklet can always be rebuilt and republished without a withdrawn story.
//! The next year's edition is made from the previous one
//! ([`NextEdition::parse`]): the guide, the consent text, the codebook and
//! the groups (with their neighbourhoods and lecturers, without students) are
//! copied; the stories are not.

use super::lifecycle::StoryAction;
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

    /// The transition to `to`, or why it is refused. Open ⇄ closed (a
    /// closed edition can be reopened, e.g. to let a late group finish),
    /// closed → published; published is final.
    pub fn transition(self, to: EditionStatus) -> Result<EditionStatus, Message> {
        use EditionStatus::*;
        match (self, to) {
            (Open, Closed) | (Closed, Open) | (Closed, Published) => Ok(to),
            (a, b) if a == b => {
                let (nl, en) = a.label();
                Err(Message::new(
                    format!("Deze editie is al {nl}."),
                    format!("This edition is already {en}."),
                ))
            }
            (Open, Published) => Err(Message::new(
                "Sluit de editie eerst: publiceren kan pas als er geen interviews meer bij komen.",
                "Close the edition first: it can only be published once no more interviews are added.",
            )),
            (Published, _) => Err(Message::new(
                "Een gepubliceerde editie blijft gepubliceerd: de verhalen staan in het boekje. Maak voor nieuw werk de volgende editie aan.",
                "A published edition stays published: its stories are in the booklet. Create the next edition for new work.",
            )),
            // Every other pair is listed above; kept total for the compiler.
            _ => Err(Message::new(
                "Deze overgang kan niet.",
                "This transition is not possible.",
            )),
        }
    }

    /// Whether students may start new interviews in this edition.
    pub fn accepts_new_interviews(self) -> Result<(), Message> {
        match self {
            EditionStatus::Open => Ok(()),
            EditionStatus::Closed => Err(Message::new(
                "Deze editie is gesloten: er kunnen geen nieuwe interviews meer bij. Bestaande verhalen kunnen nog worden afgemaakt en beoordeeld.",
                "This edition is closed: no new interviews can be added. Existing stories can still be finished and reviewed.",
            )),
            EditionStatus::Published => Err(read_only()),
        }
    }

    /// Whether a story of this edition may change: its text, comments,
    /// review decisions, themes, quotes, editorial version and selection.
    pub fn allows_story_changes(self) -> Result<(), Message> {
        match self {
            EditionStatus::Open | EditionStatus::Closed => Ok(()),
            EditionStatus::Published => Err(read_only()),
        }
    }

    /// Whether `action` may be applied to a story of this edition. Withdrawal
    /// always (a resident's right does not end with the booklet), and
    /// marking stories published when a (re)built booklet is published.
    pub fn permits(self, action: StoryAction) -> Result<(), Message> {
        match action {
            StoryAction::Withdraw | StoryAction::Publish => Ok(()),
            _ => self.allows_story_changes(),
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

fn read_only() -> Message {
    Message::new(
        "Deze editie is gepubliceerd en alleen nog te lezen. Een intrekking van toestemming kan wel altijd.",
        "This edition is published and read-only. Consent can still be withdrawn at any time.",
    )
}

/// The lowest and highest year an edition may have.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// A request for the next edition, parsed: the year (after every existing
/// one of the organisation) and a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextEdition {
    /// The new edition's year.
    pub year: i64,
    /// Its title (defaults to "Wijkverhalen {year}").
    pub title: String,
}

impl NextEdition {
    /// Parses the form: `year` must be a year after `latest` (the newest
    /// existing edition of the organisation, if any); an empty title becomes
    /// "Wijkverhalen {year}".
    pub fn parse(year: &str, title: &str, latest: Option<i64>) -> Result<NextEdition, Message> {
        let year: i64 = year.trim().parse().map_err(|_| {
            Message::new(
                "Vul een jaartal in, bijvoorbeeld 2027.",
                "Enter a year, for example 2027.",
            )
        })?;
        if !YEARS.contains(&year) {
            return Err(Message::new(
                format!(
                    "Kies een jaartal tussen {} en {}.",
                    YEARS.start(),
                    YEARS.end()
                ),
                format!(
                    "Choose a year between {} and {}.",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
        if let Some(latest) = latest.filter(|l| year <= *l) {
            return Err(Message::new(
                format!(
                    "Er is al een editie {latest}; de volgende editie moet een later jaar hebben."
                ),
                format!(
                    "There is already an edition {latest}; the next edition needs a later year."
                ),
            ));
        }
        let title = title.trim();
        let title = if title.is_empty() {
            format!("Wijkverhalen {year}")
        } else if title.chars().count() > 120 {
            return Err(Message::new(
                "De titel is te lang (ten hoogste 120 tekens).",
                "The title is too long (at most 120 characters).",
            ));
        } else {
            title.to_string()
        };
        Ok(NextEdition { year, title })
    }
}

/// The body of a new consent-text version, parsed: trimmed, not empty, not
/// the same as the current version, at most 20,000 characters.
pub fn parse_consent_text(body: &str, current: Option<&str>) -> Result<String, Message> {
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(Message::new(
            "De toestemmingstekst mag niet leeg zijn: bewoners lezen en tekenen hem.",
            "The consent text cannot be empty: residents read and sign it.",
        ));
    }
    if body.chars().count() > 20_000 {
        return Err(Message::new(
            "De toestemmingstekst is te lang (ten hoogste 20.000 tekens).",
            "The consent text is too long (at most 20,000 characters).",
        ));
    }
    if current.is_some_and(|c| c.trim() == body) {
        return Err(Message::new(
            "Deze tekst is gelijk aan de huidige versie; er is niets opgeslagen.",
            "This text is the same as the current version; nothing was saved.",
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_are_guarded() {
        use EditionStatus::*;
        assert_eq!(Open.transition(Closed), Ok(Closed));
        assert_eq!(Closed.transition(Open), Ok(Open));
        assert_eq!(Closed.transition(Published), Ok(Published));
        assert!(Open
            .transition(Published)
            .unwrap_err()
            .nl
            .contains("Sluit de editie eerst"));
        assert!(Open.transition(Open).unwrap_err().nl.contains("al open"));
        for to in EditionStatus::ALL {
            let e = Published.transition(to).unwrap_err();
            assert!(e.nl.contains("gepubliceerd"), "{to:?}: {e}");
        }
    }

    #[test]
    fn what_each_status_allows() {
        use EditionStatus::*;
        assert!(Open.accepts_new_interviews().is_ok());
        assert!(Closed
            .accepts_new_interviews()
            .unwrap_err()
            .nl
            .contains("geen nieuwe interviews"));
        assert!(Published.accepts_new_interviews().is_err());
        for s in [Open, Closed] {
            assert!(s.allows_story_changes().is_ok());
            for a in [
                StoryAction::Approve,
                StoryAction::Select,
                StoryAction::Withdraw,
            ] {
                assert!(s.permits(a).is_ok(), "{s:?} {a:?}");
            }
        }
        assert!(Published
            .allows_story_changes()
            .unwrap_err()
            .nl
            .contains("alleen nog te lezen"));
        for a in [
            StoryAction::Submit,
            StoryAction::RequestChanges,
            StoryAction::Approve,
            StoryAction::Select,
            StoryAction::Deselect,
        ] {
            assert!(Published.permits(a).is_err(), "{a:?}");
        }
        assert!(Published.permits(StoryAction::Withdraw).is_ok());
        assert!(Published.permits(StoryAction::Publish).is_ok());
    }

    #[test]
    fn the_next_edition_needs_a_later_year() {
        let n = NextEdition::parse(" 2027 ", "", Some(2026)).unwrap();
        assert_eq!(
            n,
            NextEdition {
                year: 2027,
                title: "Wijkverhalen 2027".into()
            }
        );
        assert_eq!(
            NextEdition::parse("2027", "  Buurtverhalen ", None)
                .unwrap()
                .title,
            "Buurtverhalen"
        );
        assert!(NextEdition::parse("2026", "", Some(2026))
            .unwrap_err()
            .nl
            .contains("al een editie 2026"));
        assert!(NextEdition::parse("2025", "", Some(2026)).is_err());
        assert!(NextEdition::parse("twintig", "", None)
            .unwrap_err()
            .nl
            .contains("jaartal"));
        assert!(NextEdition::parse("1999", "", None)
            .unwrap_err()
            .nl
            .contains("tussen 2000 en 2100"));
        assert!(NextEdition::parse("2027", &"x".repeat(121), None).is_err());
    }

    #[test]
    fn a_consent_text_version_must_say_something_new() {
        assert_eq!(
            parse_consent_text("  Ik geef toestemming.\r\n", None).unwrap(),
            "Ik geef toestemming."
        );
        assert!(parse_consent_text(" \n ", None)
            .unwrap_err()
            .nl
            .contains("niet leeg"));
        assert!(parse_consent_text("Tekst", Some("Tekst\n"))
            .unwrap_err()
            .nl
            .contains("gelijk aan de huidige"));
        assert!(parse_consent_text(&"a".repeat(20_001), None).is_err());
    }

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
