//! Interface languages. Dutch is the default; English is the second language.

use serde::{Deserialize, Serialize};

/// A language the interface can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Nederlands — the default.
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and typst's `text(lang:)`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Parses a tag such as `nl`, `en`, `en-GB`; anything else is `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the text for this language from a Dutch/English pair.
    pub fn pick<'a>(self, nl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// A user-facing message in both interface languages.
///
/// Errors that reach a user carry one of these, so the browser can show the
/// message in the language the user chose without another round trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Dutch text (always present, shown by default).
    pub nl: String,
    /// English text.
    pub en: String,
}

impl Message {
    /// A message from a Dutch and an English text.
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Message {
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.nl, &self.en)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.nl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_with_regions() {
        assert_eq!(Lang::parse("nl-NL"), Some(Lang::Nl));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn message_picks_language() {
        let m = Message::new("Opgeslagen", "Saved");
        assert_eq!(m.get(Lang::Nl), "Opgeslagen");
        assert_eq!(m.get(Lang::En), "Saved");
        assert_eq!(m.to_string(), "Opgeslagen");
    }
}
