//! The interview form: its one vocabulary of fields and its rules.
//!
//! A story's editable values travel as a flat [`FieldMap`] keyed by
//! [`FieldKey`]: the page names its controls with [`FieldKey::form_name`]
//! (`form[answers][q…]`), the browser keeps drafts and sends patches keyed by
//! [`FieldKey::name`] (`answers.q…`), and the server reads both back into the
//! same keys, lays a patch over the stored values ([`StoryInput::fields`]) and
//! parses the result once ([`StoryInput::parse`]): the age bands, the years
//! 0–120, the consent scopes, the length limits and the questions of the
//! guide are checked here and nowhere else.

use super::consent::{ConsentScope, ConsentScopes};
use super::ids::{NeighbourhoodId, QuestionId};
use super::text::{DraftText, Field, FieldProblem, ANSWER_MAX, NAME_MAX, PSEUDONYM_MAX, TITLE_MAX};
use super::Message;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// The age bands a resident can be placed in (the form offers exactly these).
pub const AGE_BANDS: [&str; 6] = ["18-29", "30-44", "45-64", "65-79", "80+", "onbekend"];

/// Oldest "years in the neighbourhood" the form accepts.
pub const YEARS_MAX: i64 = 120;

/// Prefix of an answer's key in forms and field maps: `q<uuid>` (a bare UUID
/// that starts with a digit would be read as a list index by the form decoder).
const ANSWER_PREFIX: char = 'q';

/// One field of the interview form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKey {
    /// Story title.
    Title,
    /// Resident pseudonym.
    Pseudonym,
    /// The resident's real first name ("" when not given).
    FirstName,
    /// Resident age band ("" when not asked).
    AgeBand,
    /// Years in the neighbourhood, as typed.
    Years,
    /// Witness of the consent.
    Witness,
    /// Neighbourhood id.
    Neighbourhood,
    /// Granted consent scopes, comma-separated in [`ConsentScope::ALL`] order.
    Scopes,
    /// The answer to a question of the guide.
    Answer(QuestionId),
}

impl FieldKey {
    /// The single-valued fields (one form control each), answers aside.
    pub const SINGLE: [FieldKey; 7] = [
        FieldKey::Title,
        FieldKey::Pseudonym,
        FieldKey::FirstName,
        FieldKey::AgeBand,
        FieldKey::Years,
        FieldKey::Witness,
        FieldKey::Neighbourhood,
    ];

    fn plain_name(self) -> Option<&'static str> {
        Some(match self {
            FieldKey::Title => "title",
            FieldKey::Pseudonym => "pseudonym",
            FieldKey::FirstName => "first_name",
            FieldKey::AgeBand => "age_band",
            FieldKey::Years => "years_in_neighbourhood",
            FieldKey::Witness => "witness_name",
            FieldKey::Neighbourhood => "neighbourhood",
            FieldKey::Scopes => "scopes",
            FieldKey::Answer(_) => return None,
        })
    }

    fn of_plain_name(name: &str) -> Option<FieldKey> {
        FieldKey::SINGLE
            .into_iter()
            .chain([FieldKey::Scopes])
            .find(|k| k.plain_name() == Some(name))
    }

    /// The key of an answer inside the form's `answers` group: `q<uuid>`.
    pub fn answer_name(question: QuestionId) -> String {
        format!("{ANSWER_PREFIX}{question}")
    }

    /// Reads an answer's key inside the form's `answers` group (`q<uuid>`).
    pub fn of_answer_name(name: &str) -> Option<FieldKey> {
        name.strip_prefix(ANSWER_PREFIX)
            .and_then(QuestionId::parse)
            .map(FieldKey::Answer)
    }

    /// The key in a [`FieldMap`], a draft on the device and a patch:
    /// `title`, `answers.q<uuid>`.
    pub fn name(self) -> String {
        match self {
            FieldKey::Answer(q) => format!("answers.{}", FieldKey::answer_name(q)),
            other => other.plain_name().unwrap_or_default().to_string(),
        }
    }

    /// Reads a key written by [`FieldKey::name`].
    pub fn parse(name: &str) -> Option<FieldKey> {
        match name.strip_prefix("answers.") {
            Some(answer) => FieldKey::of_answer_name(answer),
            None => FieldKey::of_plain_name(name),
        }
    }

    /// The name of the HTML form control: `form[title]`,
    /// `form[answers][q<uuid>]`, `form[scopes][]` (one checkbox per scope).
    pub fn form_name(self) -> String {
        match self {
            FieldKey::Answer(q) => format!("form[answers][{}]", FieldKey::answer_name(q)),
            FieldKey::Scopes => "form[scopes][]".to_string(),
            other => format!("form[{}]", other.plain_name().unwrap_or_default()),
        }
    }

    /// The field of an HTML form control's name (the inverse of
    /// [`FieldKey::form_name`]); `None` for controls that are not content
    /// (ids, version, group, intent).
    pub fn of_form_name(name: &str) -> Option<FieldKey> {
        let inner = name.strip_prefix("form[")?;
        if let Some(rest) = inner.strip_prefix("answers][") {
            return FieldKey::of_answer_name(rest.strip_suffix(']')?);
        }
        let field = inner
            .strip_suffix("][]")
            .or_else(|| inner.strip_suffix(']'))?;
        FieldKey::of_plain_name(field)
    }
}

impl std::fmt::Display for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl Serialize for FieldKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        FieldKey::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "onbekend veld {name:?}: het formulier hoort bij een andere versie van de vragenlijst"
            ))
        })
    }
}

/// The values of the interview form, keyed by [`FieldKey`].
pub type FieldMap = BTreeMap<FieldKey, String>;

/// Line endings as browsers report them from a text area (`\n`), so that a
/// value stored from a form post (`\r\n`) compares equal to what is shown.
pub fn normalised(value: &str) -> String {
    value.replace("\r\n", "\n").replace('\r', "\n")
}

/// Scopes in their one canonical text form: known scopes only, in form order.
pub fn canonical_scopes(scopes: ConsentScopes) -> String {
    scopes
        .iter()
        .map(ConsentScope::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// Why a form's values cannot be stored at all (a draft with gaps can; see
/// [`StoryInput::parse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FormRefusal {
    /// What to tell the student.
    pub message: Message,
    /// The fields that are far too long, if that is the reason.
    pub problems: Vec<FieldProblem>,
}

impl FormRefusal {
    fn new(nl: &str, en: &str) -> Self {
        FormRefusal {
            message: Message::new(nl, en),
            problems: Vec::new(),
        }
    }
}

/// The interview form's values, parsed: what a save stores.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryInput {
    /// The neighbourhood the resident lives in (`None` only before one was
    /// chosen; [`StoryInput::parse`] requires it).
    pub neighbourhood: Option<NeighbourhoodId>,
    /// Title (a draft may leave it empty).
    pub title: String,
    /// Resident pseudonym (a draft may leave it empty).
    pub pseudonym: String,
    /// The resident's real first name, if given.
    pub first_name: Option<String>,
    /// One of [`AGE_BANDS`], if chosen.
    pub age_band: Option<String>,
    /// Years in the neighbourhood, 0 to [`YEARS_MAX`], if given.
    pub years_in_neighbourhood: Option<i64>,
    /// Ticked consent scopes.
    pub scopes: ConsentScopes,
    /// The student who witnessed the consent, if named.
    pub witness_name: Option<String>,
    /// The answers that are not empty.
    pub answers: BTreeMap<QuestionId, String>,
}

impl StoryInput {
    /// Parses the form's values. `guide` holds every question the edition
    /// has (archived ones too). A draft may be incomplete; refused are only
    /// values no version of this form can produce — a missing neighbourhood,
    /// a question of another guide, an unknown age band or consent scope,
    /// years outside 0–120 — and text far beyond its limit.
    pub fn parse(fields: &FieldMap, guide: &[QuestionId]) -> Result<StoryInput, FormRefusal> {
        let text = |k: FieldKey| fields.get(&k).map(String::as_str).unwrap_or("");
        let blank_is_none = |k: FieldKey| Some(text(k)).filter(|v| !v.trim().is_empty());
        let neighbourhood =
            NeighbourhoodId::parse(text(FieldKey::Neighbourhood)).ok_or_else(|| {
                FormRefusal::new(
                    "Kies eerst de wijk waar de bewoner woont.",
                    "First choose the neighbourhood the resident lives in.",
                )
            })?;
        let mut problems = Vec::new();
        let mut keep = |r: Result<DraftText, FieldProblem>| match r {
            Ok(t) => t.into_inner(),
            Err(p) => {
                problems.push(p);
                String::new()
            }
        };
        let title = keep(DraftText::parse(
            Field::Title,
            text(FieldKey::Title),
            TITLE_MAX,
            true,
        ));
        let pseudonym = keep(DraftText::parse(
            Field::Pseudonym,
            text(FieldKey::Pseudonym),
            PSEUDONYM_MAX,
            true,
        ));
        let first_name = keep(DraftText::parse(
            Field::FirstName,
            text(FieldKey::FirstName),
            NAME_MAX,
            true,
        ));
        let witness = keep(DraftText::parse(
            Field::Witness,
            blank_is_none(FieldKey::Witness).unwrap_or(""),
            NAME_MAX,
            true,
        ));
        let mut answers = BTreeMap::new();
        for (key, value) in fields {
            let FieldKey::Answer(question) = *key else {
                continue;
            };
            if !guide.contains(&question) {
                return Err(FormRefusal::new(
                    "Het formulier hoort bij een andere vragenlijst. Laad de pagina opnieuw; kopieer eerst uw tekst.",
                    "The form belongs to another interview guide. Reload the page; copy your text first.",
                ));
            }
            let answer = keep(DraftText::parse(
                Field::Answer(question),
                value,
                ANSWER_MAX,
                false,
            ));
            if !answer.trim().is_empty() {
                answers.insert(question, answer);
            }
        }
        if !problems.is_empty() {
            return Err(FormRefusal {
                message: Message::new(
                    "Niet opgeslagen: een tekst is veel te lang. Maak hem korter; uw tekst staat nog in het formulier.",
                    "Not saved: a text is far too long. Please shorten it; your text is still in the form.",
                ),
                problems,
            });
        }
        let years = blank_is_none(FieldKey::Years)
            .map(|y| {
                y.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (0..=YEARS_MAX).contains(n))
                    .ok_or_else(|| {
                        FormRefusal::new(
                            "Vul bij ‘jaren in de wijk’ een heel getal in (0 tot 120), of laat het leeg.",
                            "Enter a whole number (0 to 120) for ‘years in the neighbourhood’, or leave it empty.",
                        )
                    })
            })
            .transpose()?;
        let age_band = blank_is_none(FieldKey::AgeBand)
            .map(|a| {
                let a = a.trim();
                AGE_BANDS
                    .contains(&a)
                    .then(|| a.to_string())
                    .ok_or_else(|| {
                        FormRefusal::new(
                            "Kies een leeftijdsgroep uit de lijst.",
                            "Choose an age band from the list.",
                        )
                    })
            })
            .transpose()?;
        let mut scopes = ConsentScopes::none();
        for s in text(FieldKey::Scopes)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            scopes.insert(ConsentScope::parse(s).ok_or_else(|| {
                FormRefusal::new(
                    "Onbekende toestemming in het formulier.",
                    "Unknown consent scope in the form.",
                )
            })?);
        }
        Ok(StoryInput {
            neighbourhood: Some(neighbourhood),
            title,
            pseudonym,
            first_name: Some(first_name.trim().to_string()).filter(|f| !f.is_empty()),
            age_band,
            years_in_neighbourhood: years,
            scopes,
            witness_name: Some(witness).filter(|w| !w.is_empty()),
            answers,
        })
    }

    /// The values as the form shows them: every single-valued field, the
    /// scopes, and an answer for each of `questions` (empty where there is
    /// none). A patch laid over these and parsed again gives the new values.
    pub fn fields(&self, questions: impl IntoIterator<Item = QuestionId>) -> FieldMap {
        let mut fields = FieldMap::new();
        let mut put = |k: FieldKey, v: &str| {
            fields.insert(k, normalised(v));
        };
        put(FieldKey::Title, &self.title);
        put(FieldKey::Pseudonym, &self.pseudonym);
        put(
            FieldKey::FirstName,
            self.first_name.as_deref().unwrap_or_default(),
        );
        put(
            FieldKey::AgeBand,
            self.age_band.as_deref().unwrap_or_default(),
        );
        put(
            FieldKey::Years,
            &self
                .years_in_neighbourhood
                .map(|y| y.to_string())
                .unwrap_or_default(),
        );
        put(
            FieldKey::Witness,
            self.witness_name.as_deref().unwrap_or_default(),
        );
        put(FieldKey::Scopes, &canonical_scopes(self.scopes));
        put(
            FieldKey::Neighbourhood,
            &self
                .neighbourhood
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        for q in questions {
            put(
                FieldKey::Answer(q),
                self.answers.get(&q).map(String::as_str).unwrap_or(""),
            );
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(n: NeighbourhoodId, q: QuestionId) -> FieldMap {
        [
            (FieldKey::Neighbourhood, n.to_string()),
            (FieldKey::Title, "Koffie".into()),
            (FieldKey::Scopes, "research,booklet".into()),
            (FieldKey::AgeBand, "".into()),
            (FieldKey::Years, " 12 ".into()),
            (FieldKey::Answer(q), "Ja".into()),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn every_spelling_of_a_key_round_trips() {
        let q = QuestionId::new();
        for key in FieldKey::SINGLE
            .into_iter()
            .chain([FieldKey::Scopes, FieldKey::Answer(q)])
        {
            assert_eq!(FieldKey::parse(&key.name()), Some(key));
            assert_eq!(FieldKey::of_form_name(&key.form_name()), Some(key));
            let json = serde_json::to_string(&key).unwrap();
            assert_eq!(serde_json::from_str::<FieldKey>(&json).unwrap(), key);
        }
        assert_eq!(FieldKey::Answer(q).name(), format!("answers.q{q}"));
        assert_eq!(
            FieldKey::Answer(q).form_name(),
            format!("form[answers][q{q}]")
        );
        assert_eq!(FieldKey::Scopes.form_name(), "form[scopes][]");
        assert_eq!(FieldKey::Years.name(), "years_in_neighbourhood");
        for not_content in [
            "form[id]",
            "form[version]",
            "form[save_id]",
            "form[group]",
            "form[intent]",
            "title",
            "form[evil",
            "form[answers][x]",
        ] {
            assert_eq!(FieldKey::of_form_name(not_content), None, "{not_content}");
        }
        for unknown in ["id", "answers.x", "answers.q1", "Title", ""] {
            assert_eq!(FieldKey::parse(unknown), None, "{unknown}");
            assert!(serde_json::from_str::<FieldKey>(&format!("{unknown:?}")).is_err());
        }
    }

    #[test]
    fn a_draft_parses_with_gaps_and_refuses_what_no_form_sends() {
        let (n, q) = (NeighbourhoodId::new(), QuestionId::new());
        let input = StoryInput::parse(&complete(n, q), &[q]).unwrap();
        assert_eq!(input.neighbourhood, Some(n));
        assert_eq!(input.scopes, ConsentScopes::from_db("research,booklet"));
        assert_eq!(input.age_band, None);
        assert_eq!(input.years_in_neighbourhood, Some(12));
        assert_eq!(input.answers.get(&q).map(String::as_str), Some("Ja"));
        assert_eq!(input.pseudonym, "");

        let refused = |change: &dyn Fn(&mut FieldMap), needle: &str| {
            let mut fields = complete(n, q);
            change(&mut fields);
            let e = StoryInput::parse(&fields, &[q]).unwrap_err();
            assert!(e.message.nl.contains(needle), "{needle}: {}", e.message.nl);
        };
        refused(
            &|f| {
                f.remove(&FieldKey::Neighbourhood);
            },
            "wijk",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Answer(QuestionId::new()), "x".into());
            },
            "andere vragenlijst",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Years, "121".into());
            },
            "0 tot 120",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Years, "-1".into());
            },
            "0 tot 120",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Years, "twaalf".into());
            },
            "heel getal",
        );
        refused(
            &|f| {
                f.insert(FieldKey::AgeBand, "12-17".into());
            },
            "leeftijdsgroep",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Scopes, "research,everything".into());
            },
            "Onbekende toestemming",
        );
        refused(
            &|f| {
                f.insert(FieldKey::Title, "x".repeat(TITLE_MAX * 10));
            },
            "veel te lang",
        );
        for edge in ["0", "120"] {
            let mut fields = complete(n, q);
            fields.insert(FieldKey::Years, edge.into());
            assert!(StoryInput::parse(&fields, &[q]).is_ok(), "{edge}");
        }
    }

    #[test]
    fn blank_values_are_absent_and_empty_answers_dropped() {
        let (n, q) = (NeighbourhoodId::new(), QuestionId::new());
        let mut fields = complete(n, q);
        fields.insert(FieldKey::Witness, "  ".into());
        fields.insert(FieldKey::FirstName, " Anna ".into());
        fields.insert(FieldKey::Answer(q), " \n ".into());
        let input = StoryInput::parse(&fields, &[q]).unwrap();
        assert_eq!(input.witness_name, None);
        assert_eq!(input.first_name.as_deref(), Some("Anna"));
        assert!(input.answers.is_empty());
    }

    #[test]
    fn a_patch_laid_over_the_stored_values_changes_only_its_fields() {
        let (n, q1, q2) = (NeighbourhoodId::new(), QuestionId::new(), QuestionId::new());
        let mut stored = complete(n, q1);
        stored.insert(FieldKey::Answer(q2), "Twee".into());
        let stored = StoryInput::parse(&stored, &[q1, q2]).unwrap();
        let mut fields = stored.fields([q1, q2]);
        assert_eq!(StoryInput::parse(&fields, &[q1, q2]).unwrap(), stored);
        fields.extend([(FieldKey::Answer(q1), "Nee".to_string())]);
        let after = StoryInput::parse(&fields, &[q1, q2]).unwrap();
        assert_eq!(after.answers.get(&q1).map(String::as_str), Some("Nee"));
        assert_eq!(after.answers.get(&q2).map(String::as_str), Some("Twee"));
        assert_eq!(after.title, stored.title);
        assert_eq!(after.scopes, stored.scopes);
    }
}
