//! Who hears about what: the notifications a story's events cause.
//!
//! A lecturer hears that a story of their group waits for review; the
//! group's students hear that changes were requested or that the story was
//! approved; a comment reaches the other side (students' comments their
//! lecturers, lecturers' and researchers' comments the students). Nobody is
//! notified of their own action. The texts are written here, once, for the
//! in-app list and the e-mail alike.

use super::lifecycle::StoryAction;
use super::role::Role;
use super::Message;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A story was handed in (or in again).
    Submitted,
    /// The lecturer asked for changes.
    ChangesRequested,
    /// The lecturer approved the story.
    Approved,
    /// Someone commented.
    Comment,
}

/// Who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The lecturers of the story's group.
    GroupLecturers,
    /// The students of the story's group.
    GroupStudents,
}

impl NotificationKind {
    /// The stable text form (database).
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Submitted => "submitted",
            NotificationKind::ChangesRequested => "changes_requested",
            NotificationKind::Approved => "approved",
            NotificationKind::Comment => "comment",
        }
    }

    /// Parses the text form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            NotificationKind::Submitted,
            NotificationKind::ChangesRequested,
            NotificationKind::Approved,
            NotificationKind::Comment,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// What the notification says, about the story titled `title`, caused
    /// by `actor`.
    pub fn message(self, title: &str, actor: &str) -> Message {
        let title = if title.trim().is_empty() {
            "(nog zonder titel)"
        } else {
            title.trim()
        };
        match self {
            NotificationKind::Submitted => Message::new(
                format!("‘{title}’ wacht op uw beoordeling (ingediend door {actor})."),
                format!("‘{title}’ is waiting for your review (submitted by {actor})."),
            ),
            NotificationKind::ChangesRequested => Message::new(
                format!("Je docent heeft om aanpassingen gevraagd bij ‘{title}’."),
                format!("Your lecturer asked for changes to ‘{title}’."),
            ),
            NotificationKind::Approved => Message::new(
                format!("‘{title}’ is goedgekeurd door {actor}."),
                format!("‘{title}’ was approved by {actor}."),
            ),
            NotificationKind::Comment => Message::new(
                format!("{actor} heeft een opmerking geplaatst bij ‘{title}’."),
                format!("{actor} commented on ‘{title}’."),
            ),
        }
    }
}

/// The notification a lifecycle action causes, and for whom.
pub fn for_action(action: StoryAction) -> Option<(NotificationKind, Audience)> {
    match action {
        StoryAction::Submit => Some((NotificationKind::Submitted, Audience::GroupLecturers)),
        StoryAction::RequestChanges => {
            Some((NotificationKind::ChangesRequested, Audience::GroupStudents))
        }
        StoryAction::Approve => Some((NotificationKind::Approved, Audience::GroupStudents)),
        _ => None,
    }
}

/// Who hears about a comment written in `role`.
pub fn for_comment(role: Role) -> Audience {
    match role {
        Role::Student => Audience::GroupLecturers,
        _ => Audience::GroupStudents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_speak_dutch_first() {
        for k in [
            NotificationKind::Submitted,
            NotificationKind::ChangesRequested,
            NotificationKind::Approved,
            NotificationKind::Comment,
        ] {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            let m = k.message("Koffie in De Baandert", "Dr. Schols");
            assert!(
                m.nl.contains("Koffie in De Baandert") && m.en.contains("Koffie in De Baandert")
            );
        }
        assert_eq!(
            NotificationKind::ChangesRequested.message("X", "Y").nl,
            "Je docent heeft om aanpassingen gevraagd bij ‘X’."
        );
        assert!(NotificationKind::Submitted
            .message("  ", "Sanne")
            .nl
            .contains("nog zonder titel"));
    }

    #[test]
    fn actions_reach_the_other_side() {
        assert_eq!(
            for_action(StoryAction::Submit).map(|x| x.1),
            Some(Audience::GroupLecturers)
        );
        assert_eq!(
            for_action(StoryAction::RequestChanges).map(|x| x.1),
            Some(Audience::GroupStudents)
        );
        assert_eq!(
            for_action(StoryAction::Approve).map(|x| x.1),
            Some(Audience::GroupStudents)
        );
        assert_eq!(for_comment(Role::Student), Audience::GroupLecturers);
        assert_eq!(for_comment(Role::Lecturer), Audience::GroupStudents);
        assert_eq!(for_comment(Role::Researcher), Audience::GroupStudents);
    }
}
