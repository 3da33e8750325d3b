//! Word-level differences between two versions of a text, for the lecturer
//! who asked for changes and wants to see exactly what the students changed.
//!
//! Texts are split into words and the whitespace between them; unchanged
//! runs, removed words and inserted words come back as [`Segment`]s in
//! reading order, ready to be shown with `<del>`/`<ins>`. Adjacent segments
//! of the same kind are merged, so a rewritten sentence reads as one
//! deletion followed by one insertion instead of a word-by-word zigzag.

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// What happened to a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In both versions.
    Same,
    /// Only in the old version.
    Removed,
    /// Only in the new version.
    Added,
}

/// A run of text and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// What happened.
    pub change: Change,
    /// The text (words and the whitespace between them).
    pub text: String,
}

/// The word-level difference from `old` to `new`.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Delete => Change::Removed,
            ChangeTag::Insert => Change::Added,
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(text),
            _ => out.push(Segment {
                change: kind,
                text: text.to_string(),
            }),
        }
    }
    regroup(out)
}

/// Turns `removed a, added b, removed c, added d` (word by word) into
/// `removed "a c", added "b d"` when only whitespace separates them.
fn regroup(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut removed = String::new();
    let mut added = String::new();
    let flush = |out: &mut Vec<Segment>, removed: &mut String, added: &mut String| {
        let (r, a) = (std::mem::take(removed), std::mem::take(added));
        let mut push = |change: Change, text: String| {
            if text.is_empty() {
                return;
            }
            match out.last_mut() {
                Some(last) if last.change == change => last.text.push_str(&text),
                _ => out.push(Segment { change, text }),
            }
        };
        // Whitespace that changed (a double space, a moved line break) is
        // not a change anyone needs to review.
        match (r.trim().is_empty(), a.trim().is_empty()) {
            (true, true) => push(Change::Same, a),
            (true, false) => push(Change::Added, a),
            (false, true) => push(Change::Removed, r),
            (false, false) => {
                push(Change::Removed, r);
                push(Change::Added, a);
            }
        }
    };
    for s in segments {
        match s.change {
            Change::Removed => removed.push_str(&s.text),
            Change::Added => added.push_str(&s.text),
            Change::Same
                if s.text.trim().is_empty() && (!removed.is_empty() || !added.is_empty()) =>
            {
                // Space inside a changed stretch belongs to both sides.
                if !removed.is_empty() {
                    removed.push_str(&s.text);
                }
                if !added.is_empty() {
                    added.push_str(&s.text);
                }
            }
            Change::Same => {
                flush(&mut out, &mut removed, &mut added);
                match out.last_mut() {
                    Some(last) if last.change == Change::Same => last.text.push_str(&s.text),
                    _ => out.push(s),
                }
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

/// Whether anything changed at all.
pub fn has_changes(segments: &[Segment]) -> bool {
    segments.iter().any(|s| s.change != Change::Same)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| match s.change {
                Change::Same => s.text.clone(),
                Change::Removed => format!("[-{}-]", s.text),
                Change::Added => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn only_changed_words_are_marked() {
        let d = word_diff(
            "Ik drink elke dinsdag koffie in het buurthuis.",
            "Ik drink elke donderdag koffie in het buurthuis.",
        );
        assert_eq!(
            render(&d),
            "Ik drink elke [-dinsdag-]{+donderdag+} koffie in het buurthuis."
        );
        assert!(has_changes(&d));
    }

    #[test]
    fn additions_and_removals_at_the_ends() {
        assert_eq!(
            render(&word_diff("De buren helpen.", "De buren helpen elkaar.")),
            "De buren [-helpen.-]{+helpen elkaar.+}"
        );
        assert_eq!(
            render(&word_diff("", "Nieuw antwoord")),
            "{+Nieuw antwoord+}"
        );
        assert_eq!(render(&word_diff("Weg", "")), "[-Weg-]");
    }

    #[test]
    fn a_rewritten_stretch_reads_as_one_change() {
        let d = word_diff(
            "Ik ken hier niemand meer sinds kort.",
            "Ik ken hier iedereen van de markt sinds kort.",
        );
        assert_eq!(
            render(&d),
            "Ik ken hier [-niemand meer-]{+iedereen van de markt+} sinds kort."
        );
    }

    #[test]
    fn unchanged_text_and_whitespace_only_changes_are_not_changes() {
        let same = word_diff(
            "Een tekst.\n\nTwee alinea's.",
            "Een tekst.\n\nTwee alinea's.",
        );
        assert!(!has_changes(&same));
        assert_eq!(same.len(), 1);
        let spaced = word_diff("Een  tekst", "Een tekst");
        assert!(!has_changes(&spaced), "{spaced:?}");
    }

    #[test]
    fn the_new_text_can_be_read_back_from_the_segments() {
        let (old, new) = ("a b c d e f", "a x c d y f g");
        let d = word_diff(old, new);
        let rebuilt_new: String = d
            .iter()
            .filter(|s| s.change != Change::Removed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(rebuilt_new, new);
    }
}
