//! Curation rules that need no database: the order of chapters and stories
//! in a booklet selection, moving one item to a new place, the codebook
//! tree, and checking that a quote really is where it claims to be.
//!
//! A selection stores a position per selected story and per chapter
//! (neighbourhood). The booklet shows the chapters that have at least one
//! selected story, in chapter order; a chapter without a stored position
//! comes after the positioned ones, in the order of its first story. Within a
//! chapter the stories follow their own positions.

/// Arranges selected stories into chapters.
///
/// `stories` are `(story, chapter, position)`; `chapters` are the stored
/// `(chapter, position)` pairs (chapters without stories are ignored).
/// Returns the chapters in booklet order, each with its stories in order.
pub fn arrange<S: Clone, C: Clone + PartialEq>(
    stories: &[(S, C, i64)],
    chapters: &[(C, i64)],
) -> Vec<(C, Vec<S>)> {
    let mut sorted: Vec<&(S, C, i64)> = stories.iter().collect();
    sorted.sort_by_key(|(_, _, p)| *p);
    // (chapter, stored position or none, first story position, stories)
    let mut out: Vec<(C, Option<i64>, i64, Vec<S>)> = Vec::new();
    for (s, c, p) in sorted {
        match out.iter_mut().find(|(x, ..)| x == c) {
            Some((.., list)) => list.push(s.clone()),
            None => {
                let stored = chapters.iter().find(|(x, _)| x == c).map(|(_, p)| *p);
                out.push((c.clone(), stored, *p, vec![s.clone()]));
            }
        }
    }
    out.sort_by_key(|(_, stored, first, _)| (stored.is_none(), *stored, *first));
    out.into_iter().map(|(c, _, _, s)| (c, s)).collect()
}

/// Moves `item` to index `to` (clamped to the list) and returns the new
/// order, or `None` when `item` is not in the list.
pub fn move_to<T: Clone + PartialEq>(order: &[T], item: &T, to: i64) -> Option<Vec<T>> {
    let from = order.iter().position(|x| x == item)?;
    let mut out = order.to_vec();
    let moved = out.remove(from);
    let to = usize::try_from(to.max(0)).unwrap_or(0).min(out.len());
    out.insert(to, moved);
    Some(out)
}

/// The themes of a codebook in reading order (each parent followed by its
/// children, siblings by position) with their depth (0 = top level).
/// `themes` are `(id, parent, position)`; themes whose parent is missing
/// count as top level, so nothing is lost from view (a cycle, which the
/// server never creates, is left out).
pub fn tree_order<T: Copy + PartialEq>(themes: &[(T, Option<T>, i64)]) -> Vec<(T, usize)> {
    fn walk<T: Copy + PartialEq>(
        themes: &[(T, Option<T>, i64)],
        parent: Option<T>,
        depth: usize,
        out: &mut Vec<(T, usize)>,
    ) {
        let mut children: Vec<&(T, Option<T>, i64)> = themes
            .iter()
            .filter(|(id, p, _)| {
                let top = p.is_none() || !themes.iter().any(|(x, ..)| Some(*x) == *p);
                let is_child = match parent {
                    None => top,
                    Some(_) => *p == parent,
                };
                // A theme that is its own ancestor would loop forever.
                is_child && !out.iter().any(|(x, _)| x == id)
            })
            .collect();
        children.sort_by_key(|(_, _, pos)| *pos);
        for (id, ..) in children {
            out.push((*id, depth));
            walk(themes, Some(*id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(themes, None, 0, &mut out);
    out
}

/// A theme and everything below it (for filtering by theme).
pub fn with_descendants<T: Copy + PartialEq>(themes: &[(T, Option<T>, i64)], root: T) -> Vec<T> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        for (id, p, _) in themes {
            if *p == Some(current) && !out.contains(id) {
                out.push(*id);
            }
        }
        i += 1;
    }
    out
}

/// How to copy a codebook tree into another edition: `(old, new, new
/// parent)` with parents always before their children, so the rows can be
/// inserted in this order. `fresh` makes the new ids.
pub fn copy_plan<T: Copy + PartialEq>(
    themes: &[(T, Option<T>, i64)],
    mut fresh: impl FnMut() -> T,
) -> Vec<(T, T, Option<T>)> {
    let mut plan: Vec<(T, T, Option<T>)> = Vec::new();
    for (old, _) in tree_order(themes) {
        let parent = themes
            .iter()
            .find(|(x, ..)| *x == old)
            .and_then(|(_, p, _)| *p)
            .and_then(|p| plan.iter().find(|(o, ..)| *o == p).map(|(_, n, _)| *n));
        plan.push((old, fresh(), parent));
    }
    plan
}

/// Why a quote does not match the answer it claims to come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteProblem {
    /// Nothing selected (only white space).
    Empty,
    /// Longer than [`QUOTE_MAX_CHARS`].
    TooLong,
    /// The offsets fall outside the answer, split a character, or the text
    /// there is different.
    NotThere,
}

/// Longest quote, in characters.
pub const QUOTE_MAX_CHARS: usize = 600;

/// The byte index of UTF-16 offset `at` in `s`, if it falls on a character
/// boundary (not inside a surrogate pair) within `s`.
pub fn byte_index_of_utf16(s: &str, at: usize) -> Option<usize> {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units == at {
            return Some(i);
        }
        if units > at {
            return None;
        }
        units += c.len_utf16();
    }
    (units == at).then_some(s.len())
}

/// Checks that `text` is exactly what `answer` holds between the UTF-16
/// offsets `start..end` (as the browser's Selection API counts), and that
/// it is a sensible quote.
pub fn verify_quote(
    answer: &str,
    start: usize,
    end: usize,
    text: &str,
) -> Result<(), QuoteProblem> {
    if text.trim().is_empty() {
        return Err(QuoteProblem::Empty);
    }
    if text.chars().count() > QUOTE_MAX_CHARS {
        return Err(QuoteProblem::TooLong);
    }
    let (Some(a), Some(b)) = (
        byte_index_of_utf16(answer, start),
        byte_index_of_utf16(answer, end),
    ) else {
        return Err(QuoteProblem::NotThere);
    };
    if a >= b || answer[a..b] != *text {
        return Err(QuoteProblem::NotThere);
    }
    Ok(())
}

/// Where `text` first occurs in `answer`, as UTF-16 offsets (for quotes
/// typed or pasted instead of selected).
pub fn find_quote(answer: &str, text: &str) -> Option<(usize, usize)> {
    if text.is_empty() {
        return None;
    }
    let at = answer.find(text)?;
    let start = answer[..at].encode_utf16().count();
    Some((start, start + text.encode_utf16().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_checked_in_utf16_offsets() {
        // "é" is one UTF-16 unit, "🏠" two; offsets count units.
        let answer = "Café 🏠 De Baandert: elke dinsdag koffie.";
        let start = "Café 🏠 ".encode_utf16().count();
        assert_eq!(start, 8);
        let text = "De Baandert";
        assert_eq!(verify_quote(answer, start, start + 11, text), Ok(()));
        assert_eq!(find_quote(answer, text), Some((start, start + 11)));
        // One unit off: not there.
        assert_eq!(
            verify_quote(answer, start - 1, start + 10, text),
            Err(QuoteProblem::NotThere)
        );
        // Inside the surrogate pair of the emoji.
        assert_eq!(byte_index_of_utf16(answer, 6), None);
        assert_eq!(
            verify_quote(answer, 6, 9, "\u{1F3E0} "),
            Err(QuoteProblem::NotThere)
        );
        assert_eq!(verify_quote(answer, 5, 7, "🏠"), Ok(()));
        // Past the end, reversed, empty, too long.
        assert_eq!(
            verify_quote(answer, 30, 99, "x"),
            Err(QuoteProblem::NotThere)
        );
        assert_eq!(verify_quote(answer, 8, 8, ""), Err(QuoteProblem::Empty));
        assert_eq!(verify_quote(answer, 0, 4, "   "), Err(QuoteProblem::Empty));
        let long = "a".repeat(QUOTE_MAX_CHARS + 1);
        assert_eq!(
            verify_quote(&long, 0, long.len(), &long),
            Err(QuoteProblem::TooLong)
        );
        assert_eq!(
            byte_index_of_utf16(answer, answer.encode_utf16().count()),
            Some(answer.len())
        );
        assert_eq!(find_quote(answer, "thee"), None);
    }

    #[test]
    fn tree_order_puts_children_under_parents() {
        // 1 ontmoeting (2), 2 buurthuis under 1, 3 veiligheid (1), 4 under 2,
        // 5 whose parent is gone.
        let themes = [
            (1, None, 2),
            (2, Some(1), 1),
            (3, None, 1),
            (4, Some(2), 1),
            (5, Some(99), 3),
        ];
        assert_eq!(
            tree_order(&themes),
            vec![(3, 0), (1, 0), (2, 1), (4, 2), (5, 0)]
        );
        let mut found = with_descendants(&themes, 1);
        found.sort();
        assert_eq!(found, vec![1, 2, 4]);
        assert_eq!(with_descendants(&themes, 3), vec![3]);
    }

    #[test]
    fn tree_order_survives_a_cycle() {
        let themes = [(1, Some(2), 1), (2, Some(1), 1), (3, None, 1)];
        assert_eq!(tree_order(&themes), vec![(3, 0)]);
    }

    #[test]
    fn copy_plan_maps_parents_to_new_ids() {
        let themes = [(1, None, 1), (2, Some(1), 1), (3, Some(2), 1), (4, None, 2)];
        let mut next = 100;
        let plan = copy_plan(&themes, || {
            next += 1;
            next
        });
        assert_eq!(
            plan,
            vec![
                (1, 101, None),
                (2, 102, Some(101)),
                (3, 103, Some(102)),
                (4, 104, None)
            ]
        );
    }

    #[test]
    fn chapters_follow_stored_positions_then_first_story() {
        let stories = [
            ("a", "noord", 1),
            ("b", "zuid", 2),
            ("c", "noord", 3),
            ("d", "oost", 4),
            ("e", "west", 0),
        ];
        // zuid before noord by stored position; oost and west have none.
        let chapters = [("noord", 2), ("zuid", 1), ("leeg", 0)];
        let got = arrange(&stories, &chapters);
        assert_eq!(
            got,
            vec![
                ("zuid", vec!["b"]),
                ("noord", vec!["a", "c"]),
                ("west", vec!["e"]),
                ("oost", vec!["d"]),
            ]
        );
    }

    #[test]
    fn stories_within_a_chapter_follow_their_positions() {
        let stories = [("x", 1, 9), ("y", 1, 3), ("z", 1, 5)];
        assert_eq!(arrange(&stories, &[]), vec![(1, vec!["y", "z", "x"])]);
        assert!(arrange::<&str, i32>(&[], &[(1, 1)]).is_empty());
    }

    #[test]
    fn move_to_places_the_item_and_clamps() {
        let v = ["a", "b", "c", "d"];
        assert_eq!(move_to(&v, &"a", 2).unwrap(), ["b", "c", "a", "d"]);
        assert_eq!(move_to(&v, &"d", 0).unwrap(), ["d", "a", "b", "c"]);
        assert_eq!(move_to(&v, &"b", 1).unwrap(), v);
        assert_eq!(move_to(&v, &"b", 99).unwrap(), ["a", "c", "d", "b"]);
        assert_eq!(move_to(&v, &"c", -3).unwrap(), ["c", "a", "b", "d"]);
        assert!(move_to(&v, &"q", 0).is_none());
    }
}
