//! Consent: what a resident allowed us to do with their story.
//!
//! A consent record stores the version of the consent text the resident was
//! shown, the scopes they granted, and how it was confirmed (a signature drawn
//! on the tablet, or the name of the witnessing student). Withdrawing consent
//! withdraws the story everywhere.

use super::Message;
use serde::{Deserialize, Serialize};

/// One thing a resident can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    /// Use of the story for research by the lectoraat (required).
    Research,
    /// Printing the story in the yearly booklet.
    Booklet,
    /// Publishing the story on the web portal.
    Web,
    /// Using photos taken during the interview.
    Photos,
    /// Showing the resident's real first name instead of the pseudonym.
    RealFirstName,
    /// Recording the audio of the interview.
    Audio,
}

impl ConsentScope {
    /// Every scope, in the order the consent form lists them.
    pub const ALL: [ConsentScope; 6] = [
        ConsentScope::Research,
        ConsentScope::Booklet,
        ConsentScope::Web,
        ConsentScope::Photos,
        ConsentScope::RealFirstName,
        ConsentScope::Audio,
    ];

    /// The stable text form (database, forms).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentScope::Research => "research",
            ConsentScope::Booklet => "booklet",
            ConsentScope::Web => "web",
            ConsentScope::Photos => "photos",
            ConsentScope::RealFirstName => "real_first_name",
            ConsentScope::Audio => "audio",
        }
    }

    /// Parses the text form.
    pub fn parse(s: &str) -> Option<ConsentScope> {
        ConsentScope::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// What the resident agrees to, in plain Dutch and English, as shown on the
    /// consent form.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ConsentScope::Research => (
                "Mijn verhaal mag gebruikt worden voor onderzoek naar sociale verbinding in de wijk.",
                "My story may be used for research into social connection in the neighbourhood.",
            ),
            ConsentScope::Booklet => (
                "Mijn verhaal mag in het boekje van de gemeente staan (onder mijn schuilnaam).",
                "My story may appear in the municipality's booklet (under my pseudonym).",
            ),
            ConsentScope::Web => (
                "Mijn verhaal mag op de website van het project staan.",
                "My story may appear on the project's website.",
            ),
            ConsentScope::Photos => (
                "Foto's die tijdens het gesprek zijn gemaakt, mogen gebruikt worden.",
                "Photos taken during the conversation may be used.",
            ),
            ConsentScope::RealFirstName => (
                "Mijn echte voornaam mag genoemd worden in plaats van mijn schuilnaam.",
                "My real first name may be used instead of my pseudonym.",
            ),
            ConsentScope::Audio => (
                "Het gesprek mag worden opgenomen (geluid).",
                "The conversation may be recorded (audio).",
            ),
        }
    }
}

/// A set of consent scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ConsentScopes(u8);

impl ConsentScopes {
    /// No scope at all.
    pub fn none() -> Self {
        ConsentScopes(0)
    }

    /// Every scope.
    pub fn all() -> Self {
        ConsentScope::ALL.into_iter().collect()
    }

    /// Whether `scope` is granted.
    pub fn contains(self, scope: ConsentScope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Grants `scope`.
    pub fn insert(&mut self, scope: ConsentScope) {
        self.0 |= scope.bit();
    }

    /// Whether nothing is granted.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The granted scopes in form order.
    pub fn iter(self) -> impl Iterator<Item = ConsentScope> {
        ConsentScope::ALL
            .into_iter()
            .filter(move |s| self.contains(*s))
    }

    /// The stable text form: scope names separated by commas (`research,booklet`).
    pub fn to_db(self) -> String {
        self.iter()
            .map(ConsentScope::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Parses the text form, ignoring unknown names (so an older binary can
    /// read a newer database without losing the known scopes).
    pub fn from_db(s: &str) -> Self {
        s.split(',')
            .filter_map(|p| ConsentScope::parse(p.trim()))
            .collect()
    }
}

impl FromIterator<ConsentScope> for ConsentScopes {
    fn from_iter<I: IntoIterator<Item = ConsentScope>>(iter: I) -> Self {
        let mut s = ConsentScopes::none();
        for scope in iter {
            s.insert(scope);
        }
        s
    }
}

impl Serialize for ConsentScopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ConsentScopes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let scopes = Vec::<ConsentScope>::deserialize(deserializer)?;
        Ok(scopes.into_iter().collect())
    }
}

/// The state of a story's consent, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    /// The granted scopes.
    pub scopes: ConsentScopes,
    /// Whether the resident withdrew consent.
    pub withdrawn: bool,
    /// Whether it was confirmed (signature drawn or a witnessing student named).
    pub confirmed: bool,
}

/// A story may be handed in only with confirmed, current consent that allows
/// at least research use.
pub fn check_for_submission(consent: Option<&ConsentState>) -> Result<(), Message> {
    let Some(c) = consent else {
        return Err(Message::new(
            "Er is nog geen toestemming van de bewoner vastgelegd.",
            "No consent from the resident has been recorded yet.",
        ));
    };
    if c.withdrawn {
        return Err(Message::new(
            "De bewoner heeft de toestemming ingetrokken.",
            "The resident withdrew consent.",
        ));
    }
    if !c.scopes.contains(ConsentScope::Research) {
        return Err(Message::new(
            "Zonder toestemming voor onderzoek kan het verhaal niet worden ingediend.",
            "Without consent for research the story cannot be submitted.",
        ));
    }
    if !c.confirmed {
        return Err(Message::new(
            "De toestemming moet bevestigd zijn: met een handtekening of de naam van de student die erbij was.",
            "Consent must be confirmed: with a signature or the name of the student who witnessed it.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_ignores_unknown() {
        let s: ConsentScopes = [ConsentScope::Research, ConsentScope::Photos]
            .into_iter()
            .collect();
        assert_eq!(s.to_db(), "research,photos");
        assert_eq!(ConsentScopes::from_db("research,photos"), s);
        assert_eq!(ConsentScopes::from_db("photos, research,telepathy"), s);
        assert_eq!(ConsentScopes::from_db(""), ConsentScopes::none());
        for scope in ConsentScope::ALL {
            assert_eq!(ConsentScope::parse(scope.as_str()), Some(scope));
        }
    }

    #[test]
    fn serialises_as_list() {
        let s: ConsentScopes = [ConsentScope::Web, ConsentScope::Research]
            .into_iter()
            .collect();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"["research","web"]"#);
        assert_eq!(serde_json::from_str::<ConsentScopes>(&json).unwrap(), s);
    }

    #[test]
    fn submission_rules() {
        let ok = ConsentState {
            scopes: ConsentScopes::from_iter([ConsentScope::Research]),
            withdrawn: false,
            confirmed: true,
        };
        assert!(check_for_submission(Some(&ok)).is_ok());
        assert!(check_for_submission(None).is_err());
        let no_research = ConsentState {
            scopes: ConsentScopes::from_iter([ConsentScope::Booklet]),
            ..ok.clone()
        };
        assert!(check_for_submission(Some(&no_research))
            .unwrap_err()
            .nl
            .contains("onderzoek"));
        let withdrawn = ConsentState {
            withdrawn: true,
            ..ok.clone()
        };
        assert!(check_for_submission(Some(&withdrawn)).is_err());
        let unconfirmed = ConsentState {
            confirmed: false,
            ..ok
        };
        assert!(check_for_submission(Some(&unconfirmed)).is_err());
    }
}
