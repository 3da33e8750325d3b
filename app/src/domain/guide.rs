//! The interview guide of an edition: the questions students ask residents,
//! in order, each with optional help for the interviewer and a flag saying
//! whether it must be answered before a story is handed in.
//!
//! Researchers and admins edit the guide while the edition is open (see
//! [`super::edition::EditionStatus::guide_editable`] and
//! [`super::access::may_edit_guide`]). Questions are never deleted, because
//! stories point at them: a question that should no longer be asked is
//! *archived*. It leaves the form for new interviews, but the answers already
//! given stay readable.

use super::ids::QuestionId;
use super::text::{normalise, normalise_line};
use super::Message;
use serde::{Deserialize, Serialize};

/// Maximum length of a question, in characters: one or two spoken sentences.
pub const QUESTION_MAX: usize = 300;
/// Maximum length of a question's help text.
pub const HELP_MAX: usize = 1_000;

/// A field of the question editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideField {
    /// The question as asked.
    Question,
    /// The help text for the interviewer.
    Help,
}

/// A problem with the text typed into the question editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideProblem {
    /// The field concerned.
    pub field: GuideField,
    /// What is wrong, in Dutch and English.
    pub message: Message,
}

/// The text of a question: one line (line breaks become spaces), 1–300
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct QuestionText(String);

impl QuestionText {
    /// Parses user input: normalised to one line, non-empty, not too long.
    pub fn parse(text: &str) -> Result<Self, GuideProblem> {
        let t = normalise_line(text);
        let len = t.chars().count();
        if len == 0 {
            Err(GuideProblem {
                field: GuideField::Question,
                message: Message::new(
                    "De vraag is nog leeg. Schrijf de vraag zoals de student hem aan de bewoner stelt.",
                    "The question is still empty. Write it the way the student asks the resident.",
                ),
            })
        } else if len > QUESTION_MAX {
            Err(GuideProblem {
                field: GuideField::Question,
                message: Message::new(
                    format!("De vraag is te lang: {len} tekens, maximaal {QUESTION_MAX}. Maak de vraag korter, of zet uitleg in de toelichting."),
                    format!("The question is too long: {len} characters, at most {QUESTION_MAX}. Shorten it, or move explanations to the help text."),
                ),
            })
        } else {
            Ok(QuestionText(t))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Help for the interviewer: optional, up to 1000 characters, paragraphs
/// allowed; surrounding white space is trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct HelpText(String);

impl HelpText {
    /// Parses user input: normalised, trimmed, not too long (may be empty).
    pub fn parse(text: &str) -> Result<Self, GuideProblem> {
        let t = normalise(text).trim().to_string();
        let len = t.chars().count();
        if len > HELP_MAX {
            Err(GuideProblem {
                field: GuideField::Help,
                message: Message::new(
                    format!("De toelichting is te lang: {len} tekens, maximaal {HELP_MAX}. Maak de tekst korter."),
                    format!("The help text is too long: {len} characters, at most {HELP_MAX}. Please shorten it."),
                ),
            })
        } else {
            Ok(HelpText(t))
        }
    }

    /// The text (possibly empty).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A question as typed into the editor, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionInput {
    /// The question.
    pub text: QuestionText,
    /// Help for the interviewer.
    pub help: HelpText,
    /// Whether an answer is needed before handing in.
    pub required: bool,
}

impl QuestionInput {
    /// Parses the editor's fields; every problem is reported, not just the first.
    pub fn parse(text: &str, help: &str, required: bool) -> Result<Self, Vec<GuideProblem>> {
        match (QuestionText::parse(text), HelpText::parse(help)) {
            (Ok(text), Ok(help)) => Ok(QuestionInput {
                text,
                help,
                required,
            }),
            (t, h) => Err([t.err(), h.err()].into_iter().flatten().collect()),
        }
    }

    /// Whether this is exactly what is stored already (a repeated save).
    pub fn same_as(&self, text: &str, help: &str, required: bool) -> bool {
        self.text.as_str() == text && self.help.as_str() == help && self.required == required
    }
}

/// Which way a question moves in the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// A question's place in the stored order (active and archived questions
/// share one order, so an archived question comes back where it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The question.
    pub id: QuestionId,
    /// Whether it is archived.
    pub archived: bool,
}

/// Why a question cannot move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveRefused {
    /// The question is not in this guide.
    NotInGuide,
    /// Archived questions have no place in the form.
    Archived,
    /// It is already first or last of the active questions.
    AtEnd(Direction),
}

impl MoveRefused {
    /// A message for the user.
    pub fn message(&self) -> Message {
        match self {
            MoveRefused::NotInGuide => Message::new(
                "Deze vraag hoort niet bij deze vragenlijst.",
                "This question is not part of this interview guide.",
            ),
            MoveRefused::Archived => Message::new(
                "Deze vraag is gearchiveerd en staat niet in het formulier; zet haar eerst terug.",
                "This question is archived and not in the form; restore it first.",
            ),
            MoveRefused::AtEnd(Direction::Up) => Message::new(
                "Deze vraag staat al bovenaan.",
                "This question is already first.",
            ),
            MoveRefused::AtEnd(Direction::Down) => Message::new(
                "Deze vraag staat al onderaan.",
                "This question is already last.",
            ),
        }
    }
}

/// The order after moving `question` one place `direction` among the
/// *active* questions: it swaps places with the nearest active question
/// that way; archived questions in between keep their places.
pub fn reorder(
    order: &[Slot],
    question: QuestionId,
    direction: Direction,
) -> Result<Vec<QuestionId>, MoveRefused> {
    let from = order
        .iter()
        .position(|s| s.id == question)
        .ok_or(MoveRefused::NotInGuide)?;
    if order[from].archived {
        return Err(MoveRefused::Archived);
    }
    let neighbour = match direction {
        Direction::Up => order[..from].iter().rposition(|s| !s.archived),
        Direction::Down => order[from + 1..]
            .iter()
            .position(|s| !s.archived)
            .map(|i| from + 1 + i),
    }
    .ok_or(MoveRefused::AtEnd(direction))?;
    let mut ids: Vec<QuestionId> = order.iter().map(|s| s.id).collect();
    ids.swap(from, neighbour);
    Ok(ids)
}

/// 1-based positions for an order, as stored.
pub fn positions(order: &[QuestionId]) -> Vec<(QuestionId, i64)> {
    order
        .iter()
        .zip(1_i64..)
        .map(|(id, position)| (*id, position))
        .collect()
}

/// Whether a question may be archived when `active` questions are active
/// (including this one): the form must keep at least one question.
pub fn may_archive(active: usize) -> Result<(), Message> {
    if active > 1 {
        Ok(())
    } else {
        Err(Message::new(
            "Dit is de laatste vraag van de vragenlijst. Voeg eerst een andere vraag toe; een interview zonder vragen kan niet.",
            "This is the last question of the guide. Add another question first; an interview needs questions.",
        ))
    }
}

/// The note next to a question that stories have answered already, so an
/// editor fixes typos but does not change what was asked.
pub fn answered_note(stories: i64) -> Option<Message> {
    match stories {
        n if n <= 0 => None,
        1 => Some(Message::new(
            "1 verhaal heeft deze vraag al beantwoord.",
            "1 story has answered this question already.",
        )),
        n => Some(Message::new(
            format!("{n} verhalen hebben deze vraag al beantwoord."),
            format!("{n} stories have answered this question already."),
        )),
    }
}

/// The 409 message for an edit of a question someone else changed first:
/// it shows what is stored now, so the editor can compare and choose.
pub fn stale_question(stored_text: &str, stored_required: bool, by: Option<&str>) -> Message {
    let (by_nl, by_en) = match by {
        Some(name) => (format!(" ({name})"), format!(" ({name})")),
        None => (String::new(), String::new()),
    };
    let (req_nl, req_en) = if stored_required {
        (" (verplicht)", " (required)")
    } else {
        ("", "")
    };
    Message::new(
        format!(
            "Iemand anders{by_nl} heeft deze vraag intussen gewijzigd. Nu opgeslagen: “{stored_text}”{req_nl}. Uw tekst staat nog in het formulier: vergelijk beide en klik nogmaals op ‘Opslaan’ om uw versie te bewaren."
        ),
        format!(
            "Someone else{by_en} changed this question in the meantime. Now stored: “{stored_text}”{req_en}. Your text is still in the form: compare both and click ‘Save’ again to keep your version."
        ),
    )
}

/// The 409 message for a move or archive based on an outdated guide.
pub fn stale_guide() -> Message {
    Message::new(
        "De vragenlijst is intussen door iemand anders gewijzigd. Bekijk de vragen zoals ze nu zijn en probeer het zo nodig opnieuw.",
        "Someone else changed the interview guide in the meantime. Look at the questions as they are now and try again if needed.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_is_one_trimmed_line() {
        let q = QuestionText::parse("  Waar komt u\r\nmensen tegen?\t").unwrap();
        assert_eq!(q.as_str(), "Waar komt u mensen tegen?");
    }

    #[test]
    fn empty_and_long_questions_are_refused_in_dutch() {
        let e = QuestionText::parse(" \n ").unwrap_err();
        assert_eq!(e.field, GuideField::Question);
        assert!(e.message.nl.starts_with("De vraag is nog leeg."));
        assert!(QuestionText::parse(&"é".repeat(QUESTION_MAX)).is_ok());
        let e = QuestionText::parse(&"a".repeat(QUESTION_MAX + 1)).unwrap_err();
        assert!(
            e.message.nl.contains("te lang: 301 tekens, maximaal 300"),
            "{}",
            e.message
        );
    }

    #[test]
    fn help_keeps_paragraphs_and_may_be_empty() {
        assert_eq!(HelpText::parse("  ").unwrap().as_str(), "");
        assert_eq!(
            HelpText::parse(" Vraag door.\r\n\r\nWees voorzichtig. ")
                .unwrap()
                .as_str(),
            "Vraag door.\n\nWees voorzichtig."
        );
        let e = HelpText::parse(&"x".repeat(HELP_MAX + 1)).unwrap_err();
        assert_eq!(e.field, GuideField::Help);
        assert!(e.message.nl.contains("toelichting is te lang"));
    }

    #[test]
    fn input_reports_every_problem_and_recognises_repeats() {
        let problems = QuestionInput::parse("", &"x".repeat(HELP_MAX + 1), true).unwrap_err();
        let fields: Vec<GuideField> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec![GuideField::Question, GuideField::Help]);
        let input = QuestionInput::parse(" Hoe gaat het? ", "", true).unwrap();
        assert!(input.same_as("Hoe gaat het?", "", true));
        assert!(!input.same_as("Hoe gaat het?", "", false));
        assert!(!input.same_as("Hoe gaat het", "", true));
    }

    #[test]
    fn typst_and_html_syntax_is_just_text() {
        let evil = r#"<script>x</script> #panic("x") $x$"#;
        assert_eq!(QuestionText::parse(evil).unwrap().as_str(), evil);
    }

    fn slots(archived: &[bool]) -> Vec<Slot> {
        archived
            .iter()
            .map(|a| Slot {
                id: QuestionId::new(),
                archived: *a,
            })
            .collect()
    }

    fn ids(s: &[Slot]) -> Vec<QuestionId> {
        s.iter().map(|s| s.id).collect()
    }

    #[test]
    fn moving_swaps_with_the_neighbour() {
        let s = slots(&[false, false, false]);
        let up = reorder(&s, s[2].id, Direction::Up).unwrap();
        assert_eq!(up, vec![s[0].id, s[2].id, s[1].id]);
        let down = reorder(&s, s[0].id, Direction::Down).unwrap();
        assert_eq!(down, vec![s[1].id, s[0].id, s[2].id]);
    }

    #[test]
    fn moving_skips_archived_questions_which_keep_their_place() {
        let s = slots(&[false, true, false, true]);
        let up = reorder(&s, s[2].id, Direction::Up).unwrap();
        assert_eq!(up, vec![s[2].id, s[1].id, s[0].id, s[3].id]);
        let down = reorder(&s, s[0].id, Direction::Down).unwrap();
        assert_eq!(down, vec![s[2].id, s[1].id, s[0].id, s[3].id]);
    }

    #[test]
    fn moving_past_the_ends_or_archived_questions_is_refused() {
        let s = slots(&[true, false, false, true]);
        assert_eq!(
            reorder(&s, s[1].id, Direction::Up),
            Err(MoveRefused::AtEnd(Direction::Up))
        );
        assert_eq!(
            reorder(&s, s[2].id, Direction::Down),
            Err(MoveRefused::AtEnd(Direction::Down))
        );
        assert_eq!(
            reorder(&s, s[0].id, Direction::Down),
            Err(MoveRefused::Archived)
        );
        assert_eq!(
            reorder(&s, QuestionId::new(), Direction::Up),
            Err(MoveRefused::NotInGuide)
        );
        assert!(MoveRefused::AtEnd(Direction::Up)
            .message()
            .nl
            .contains("bovenaan"));
        assert_eq!(ids(&s).len(), 4);
    }

    #[test]
    fn positions_are_one_based() {
        let s = slots(&[false, true]);
        assert_eq!(positions(&ids(&s)), vec![(s[0].id, 1), (s[1].id, 2)]);
    }

    #[test]
    fn the_last_active_question_stays() {
        assert!(may_archive(2).is_ok());
        assert!(may_archive(1).unwrap_err().nl.contains("laatste vraag"));
        assert!(may_archive(0).is_err());
    }

    #[test]
    fn answered_note_counts_in_dutch() {
        assert_eq!(answered_note(0), None);
        assert_eq!(
            answered_note(1).unwrap().nl,
            "1 verhaal heeft deze vraag al beantwoord."
        );
        assert_eq!(
            answered_note(3).unwrap().nl,
            "3 verhalen hebben deze vraag al beantwoord."
        );
        assert_eq!(
            answered_note(3).unwrap().en,
            "3 stories have answered this question already."
        );
    }

    #[test]
    fn stale_message_shows_what_is_stored() {
        let m = stale_question("Waar ontmoet u buren?", true, Some("Dr. Ingrid Schols"));
        assert!(m.nl.contains("intussen gewijzigd"));
        assert!(m.nl.contains("(Dr. Ingrid Schols)"));
        assert!(m.nl.contains("“Waar ontmoet u buren?” (verplicht)"));
        assert!(m.nl.contains("Uw tekst staat nog in het formulier"));
        let anon = stale_question("Vraag", false, None);
        assert!(anon.nl.starts_with("Iemand anders heeft"));
        assert!(stale_guide().nl.contains("intussen"));
    }
}
