//! User text, parsed into values that are valid by construction.
//!
//! Drafts are forgiving: a student on a tablet must never lose typed text, so
//! a draft is stored even when a field is empty or a little too long, and the
//! problems come back as [`FieldProblem`]s shown next to the fields. Only a
//! hard cap (several times the allowed length) refuses a save outright.
//! Handing in (and everything after) requires the strict types ([`Title`],
//! [`Pseudonym`], [`AnswerText`], [`CommentText`]).

use super::ids::QuestionId;
use super::Message;
use serde::{Deserialize, Serialize};

/// Maximum length of a story title, in characters.
pub const TITLE_MAX: usize = 120;
/// Maximum length of a resident pseudonym.
pub const PSEUDONYM_MAX: usize = 60;
/// Maximum length of one answer.
pub const ANSWER_MAX: usize = 20_000;
/// Maximum length of a comment.
pub const COMMENT_MAX: usize = 5_000;
/// Maximum length of a witness name.
pub const NAME_MAX: usize = 100;
/// Longest group name.
pub const GROUP_NAME_MAX: usize = 80;
/// Longest name of a municipality or neighbourhood.
pub const AREA_NAME_MAX: usize = 100;
/// Maximum length of a photo caption.
pub const CAPTION_MAX: usize = 300;
/// Maximum length of a photo's alt text (a description for screen readers).
pub const ALT_TEXT_MAX: usize = 300;
/// A draft field may be at most this many times its maximum; beyond that the
/// save is refused (it is not a story any more but an accident or an attack).
pub const DRAFT_SLACK: usize = 4;

/// A form field of a story, to attach a problem to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "question")]
pub enum Field {
    /// The story title.
    Title,
    /// The resident's pseudonym.
    Pseudonym,
    /// The answer to one guide question.
    Answer(QuestionId),
    /// The neighbourhood.
    Neighbourhood,
    /// The consent section.
    Consent,
    /// A comment.
    Comment,
    /// The witness name.
    Witness,
    /// A photo caption.
    Caption,
    /// A photo's alt text.
    AltText,
    /// The name of a study group.
    GroupName,
    /// A person's name (an account's display name).
    PersonName,
    /// An e-mail address.
    Email,
    /// The resident's real first name.
    FirstName,
    /// The name of a municipality or neighbourhood.
    AreaName,
    /// A CBS area code.
    CbsCode,
    /// An edition's year.
    Year,
    /// An edition's consent text.
    ConsentText,
}

impl Field {
    fn name(self) -> (&'static str, &'static str) {
        match self {
            Field::Title => ("De titel", "The title"),
            Field::Pseudonym => ("De schuilnaam", "The pseudonym"),
            Field::Answer(_) => ("Het antwoord", "The answer"),
            Field::Neighbourhood => ("De wijk", "The neighbourhood"),
            Field::Consent => ("De toestemming", "The consent"),
            Field::Comment => ("De opmerking", "The comment"),
            Field::Witness => ("De naam", "The name"),
            Field::Caption => ("Het bijschrift", "The caption"),
            Field::AltText => ("De beschrijving", "The description"),
            Field::GroupName => ("De groepsnaam", "The group name"),
            Field::PersonName => ("De naam", "The name"),
            Field::Email => ("Het e-mailadres", "The e-mail address"),
            Field::FirstName => ("De voornaam", "The first name"),
            Field::AreaName => ("De naam", "The name"),
            Field::CbsCode => ("De CBS-code", "The CBS code"),
            Field::Year => ("Het jaar", "The year"),
            Field::ConsentText => ("De toestemmingstekst", "The consent text"),
        }
    }
}

/// A problem with one field, with a message the user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The field concerned.
    pub field: Field,
    /// What is wrong, in Dutch and English.
    pub message: Message,
}

impl FieldProblem {
    /// The field is empty but must be filled in.
    pub fn empty(field: Field) -> Self {
        let (nl, en) = field.name();
        FieldProblem {
            field,
            message: Message::new(
                format!("{nl} is nog leeg."),
                format!("{en} is still empty."),
            ),
        }
    }

    /// The field is longer than allowed.
    pub fn too_long(field: Field, len: usize, max: usize) -> Self {
        let (nl, en) = field.name();
        FieldProblem {
            field,
            message: Message::new(
                format!("{nl} is te lang: {len} tekens, maximaal {max}. Maak de tekst korter."),
                format!("{en} is too long: {len} characters, at most {max}. Please shorten it."),
            ),
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message.nl)
    }
}

impl std::error::Error for FieldProblem {}

/// `Sittard-Geleen` → `sittard-geleen`: ASCII letters and digits, dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Normalises text from a form: `\r\n` and `\r` become `\n`, control
/// characters other than newline and tab are dropped.
pub fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// Normalises a one-line field: like [`normalise`], with line breaks turned
/// into spaces and surrounding white space trimmed.
pub fn normalise_line(text: &str) -> String {
    normalise(text)
        .replace(['\n', '\t'], " ")
        .trim()
        .to_string()
}

fn strict(field: Field, text: &str, max: usize, line: bool) -> Result<String, FieldProblem> {
    let t = if line {
        normalise_line(text)
    } else {
        normalise(text).trim().to_string()
    };
    let len = t.chars().count();
    if len == 0 {
        Err(FieldProblem::empty(field))
    } else if len > max {
        Err(FieldProblem::too_long(field, len, max))
    } else {
        Ok(t)
    }
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:expr, $max:expr, $line:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses user input: normalised, non-empty, not too long.
            pub fn parse(text: &str) -> Result<Self, FieldProblem> {
                strict($field, text, $max, $line).map($name)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A story title: one line, 1–120 characters.
    Title, Field::Title, TITLE_MAX, true
);
text_type!(
    /// A resident's pseudonym: one line, 1–60 characters.
    Pseudonym, Field::Pseudonym, PSEUDONYM_MAX, true
);
text_type!(
    /// A comment: 1–5000 characters, paragraphs allowed.
    CommentText, Field::Comment, COMMENT_MAX, false
);
text_type!(
    /// A photo caption, as printed under it: one line, 1–300 characters.
    Caption, Field::Caption, CAPTION_MAX, true
);
text_type!(
    /// What a photo shows, for people who cannot see it (alt text): one line,
    /// 1–300 characters.
    AltText, Field::AltText, ALT_TEXT_MAX, true
);
text_type!(
    /// The name of a witnessing student: one line, 1–100 characters.
    WitnessName, Field::Witness, NAME_MAX, true
);
text_type!(
    /// The name of a study group, e.g. "Groep 3 — Geleen-Zuid": one line,
    /// 1–80 characters.
    GroupName, Field::GroupName, GROUP_NAME_MAX, true
);
text_type!(
    /// The name of a municipality or neighbourhood as residents know it
    /// ("Limbricht", "Wijk 03 Geleen-Zuid"): one line, 1–100 characters.
    AreaName, Field::AreaName, AREA_NAME_MAX, true
);
text_type!(
    /// A person's display name, as colleagues and the colophon show it: one
    /// line, 1–100 characters.
    PersonName, Field::PersonName, NAME_MAX, true
);

/// An answer to one guide question: up to 20 000 characters, paragraphs
/// allowed; may be empty unless the question is required.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AnswerText(String);

impl AnswerText {
    /// Parses an answer to `question`; `required` answers must not be empty.
    pub fn parse(question: QuestionId, text: &str, required: bool) -> Result<Self, FieldProblem> {
        let field = Field::Answer(question);
        let t = normalise(text).trim().to_string();
        let len = t.chars().count();
        if len == 0 && required {
            Err(FieldProblem::empty(field))
        } else if len > ANSWER_MAX {
            Err(FieldProblem::too_long(field, len, ANSWER_MAX))
        } else {
            Ok(AnswerText(t))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text of a draft field: normalised and stored as typed, refused only beyond
/// [`DRAFT_SLACK`] times the field's maximum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DraftText(String);

impl DraftText {
    /// Parses draft input for `field` whose strict maximum is `max`.
    pub fn parse(field: Field, text: &str, max: usize, line: bool) -> Result<Self, FieldProblem> {
        let t = if line {
            normalise_line(text)
        } else {
            normalise(text)
        };
        let len = t.chars().count();
        if len > max * DRAFT_SLACK {
            Err(FieldProblem::too_long(field, len, max))
        } else {
            Ok(DraftText(t))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// One answer of a story together with what the guide says about it.
#[derive(Debug, Clone)]
pub struct AnswerCheck<'a> {
    /// The question.
    pub question: QuestionId,
    /// Whether the guide requires an answer.
    pub required: bool,
    /// The answer as stored.
    pub text: &'a str,
}

/// Everything that stands between a draft and handing it in, field by field.
/// An empty list means the text is ready (consent is checked separately, by
/// [`crate::domain::consent::check_for_submission`]).
pub fn check_story_text(
    title: &str,
    pseudonym: &str,
    answers: &[AnswerCheck<'_>],
) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if let Err(p) = Title::parse(title) {
        problems.push(p);
    }
    if let Err(p) = Pseudonym::parse(pseudonym) {
        problems.push(p);
    }
    for a in answers {
        if let Err(p) = AnswerText::parse(a.question, a.text, a.required) {
            problems.push(p);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs() {
        assert_eq!(super::slug("Sittard-Geleen"), "sittard-geleen");
        assert_eq!(super::slug("Berg aan de Maas!"), "berg-aan-de-maas");
        assert_eq!(super::slug("\"; rm -rf"), "rm-rf");
    }

    use super::*;

    #[test]
    fn title_is_trimmed_and_single_line() {
        let t = Title::parse("  Koffie \r\n bij   Mia ").unwrap();
        assert_eq!(t.as_str(), "Koffie   bij   Mia");
    }

    #[test]
    fn empty_and_long_titles_are_refused_in_dutch() {
        let e = Title::parse("   ").unwrap_err();
        assert_eq!(e.field, Field::Title);
        assert_eq!(e.message.nl, "De titel is nog leeg.");
        let long = "a".repeat(TITLE_MAX + 1);
        let e = Title::parse(&long).unwrap_err();
        assert!(e.message.nl.contains("te lang: 121 tekens, maximaal 120"));
        assert!(
            Title::parse(&"é".repeat(TITLE_MAX)).is_ok(),
            "counts characters, not bytes"
        );
    }

    #[test]
    fn control_characters_are_dropped_but_newlines_kept() {
        assert_eq!(normalise("a\u{0}b\u{7}c\r\nd\te"), "abc\nd\te");
    }

    #[test]
    fn answers_may_be_empty_unless_required() {
        let q = QuestionId::new();
        assert!(AnswerText::parse(q, "", false).is_ok());
        assert_eq!(
            AnswerText::parse(q, " \n ", true).unwrap_err().field,
            Field::Answer(q)
        );
        assert!(AnswerText::parse(q, &"x".repeat(ANSWER_MAX + 1), false).is_err());
    }

    #[test]
    fn drafts_keep_slightly_too_long_text() {
        let long = "b".repeat(TITLE_MAX + 30);
        assert_eq!(
            DraftText::parse(Field::Title, &long, TITLE_MAX, true)
                .unwrap()
                .as_str(),
            long
        );
        let absurd = "b".repeat(TITLE_MAX * DRAFT_SLACK + 1);
        assert!(DraftText::parse(Field::Title, &absurd, TITLE_MAX, true).is_err());
    }

    #[test]
    fn story_check_lists_every_problem() {
        let q1 = QuestionId::new();
        let q2 = QuestionId::new();
        let problems = check_story_text(
            "",
            "Mia",
            &[
                AnswerCheck {
                    question: q1,
                    required: true,
                    text: "",
                },
                AnswerCheck {
                    question: q2,
                    required: false,
                    text: "",
                },
            ],
        );
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec![Field::Title, Field::Answer(q1)]);
        assert!(check_story_text("Titel", "Mia", &[]).is_empty());
    }

    #[test]
    fn typst_and_html_syntax_is_just_text() {
        let evil = r#"#panic("x") ] $x$ <l> @r #read("/etc/passwd")"#;
        assert_eq!(Title::parse(evil).unwrap().as_str(), evil);
    }
}
