//! Curation rules that need no database: the order of chapters and stories
//! in a booklet selection, and moving one item to a new place.
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

#[cfg(test)]
mod tests {
    use super::*;

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
