//! The story lifecycle.
//!
//! ```text
//! Draft ──submit──▶ Submitted ──approve──▶ Approved ──select──▶ Selected ──publish──▶ Published
//!   ▲                  │                     ▲   │                 │
//!   └──request changes─┘ (ChangesRequested)  │   └────deselect─────┘
//!        (resubmit from ChangesRequested)    │
//!                       withdraw (consent withdrawn) ─▶ Withdrawn   (from any state)
//! ```
//!
//! [`transition`] is a pure function and the only way any layer changes a
//! story's status: the API layer asks it, and stores what it returns.

use super::{role::Role, Message};
use serde::{Deserialize, Serialize};

/// Where a story is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryStatus {
    /// Being written by the students; not visible to lecturers yet.
    Draft,
    /// Handed in for review.
    Submitted,
    /// The lecturer asked for changes; the students edit and resubmit.
    ChangesRequested,
    /// Approved by a lecturer; researchers may use it.
    Approved,
    /// Selected by a researcher for a booklet.
    Selected,
    /// Published in a booklet.
    Published,
    /// The resident withdrew consent: the story is no longer used anywhere.
    Withdrawn,
}

/// Something a user does to a story's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryAction {
    /// Hand in (or hand in again after changes were requested).
    Submit,
    /// Ask the students for changes (a lecturer, with a comment).
    RequestChanges,
    /// Approve the story (a lecturer).
    Approve,
    /// Select an approved story for a booklet (a researcher).
    Select,
    /// Take a story out of a booklet selection again (a researcher).
    Deselect,
    /// Mark a selected story as published with its booklet (a researcher).
    Publish,
    /// The resident withdrew consent.
    Withdraw,
}

impl StoryStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [StoryStatus; 7] = [
        StoryStatus::Draft,
        StoryStatus::Submitted,
        StoryStatus::ChangesRequested,
        StoryStatus::Approved,
        StoryStatus::Selected,
        StoryStatus::Published,
        StoryStatus::Withdrawn,
    ];

    /// The stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            StoryStatus::Draft => "draft",
            StoryStatus::Submitted => "submitted",
            StoryStatus::ChangesRequested => "changes_requested",
            StoryStatus::Approved => "approved",
            StoryStatus::Selected => "selected",
            StoryStatus::Published => "published",
            StoryStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<StoryStatus> {
        StoryStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Dutch and English labels for the interface.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            StoryStatus::Draft => ("Concept", "Draft"),
            StoryStatus::Submitted => ("Ingediend", "Submitted"),
            StoryStatus::ChangesRequested => ("Aanpassingen gevraagd", "Changes requested"),
            StoryStatus::Approved => ("Goedgekeurd", "Approved"),
            StoryStatus::Selected => ("Geselecteerd voor boekje", "Selected for booklet"),
            StoryStatus::Published => ("Gepubliceerd", "Published"),
            StoryStatus::Withdrawn => ("Ingetrokken", "Withdrawn"),
        }
    }

    /// Whether the students may still change the text.
    pub fn is_editable_by_students(self) -> bool {
        matches!(self, StoryStatus::Draft | StoryStatus::ChangesRequested)
    }

    /// Whether lecturers see the story (everything the students handed in).
    pub fn is_visible_to_lecturers(self) -> bool {
        !matches!(self, StoryStatus::Draft)
    }

    /// Whether researchers see the story (approved and later).
    pub fn is_visible_to_researchers(self) -> bool {
        matches!(
            self,
            StoryStatus::Approved | StoryStatus::Selected | StoryStatus::Published
        )
    }
}

impl StoryAction {
    /// Every action.
    pub const ALL: [StoryAction; 7] = [
        StoryAction::Submit,
        StoryAction::RequestChanges,
        StoryAction::Approve,
        StoryAction::Select,
        StoryAction::Deselect,
        StoryAction::Publish,
        StoryAction::Withdraw,
    ];

    /// The stable text form (audit log, forms).
    pub fn as_str(self) -> &'static str {
        match self {
            StoryAction::Submit => "submit",
            StoryAction::RequestChanges => "request_changes",
            StoryAction::Approve => "approve",
            StoryAction::Select => "select",
            StoryAction::Deselect => "deselect",
            StoryAction::Publish => "publish",
            StoryAction::Withdraw => "withdraw",
        }
    }

    /// Parses the text form.
    pub fn parse(s: &str) -> Option<StoryAction> {
        StoryAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The roles that may perform this action (on stories they have access to).
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            StoryAction::Submit => &[Role::Student],
            StoryAction::RequestChanges | StoryAction::Approve => &[Role::Lecturer],
            StoryAction::Select | StoryAction::Deselect | StoryAction::Publish => {
                &[Role::Researcher]
            }
            StoryAction::Withdraw => {
                &[Role::Student, Role::Lecturer, Role::Researcher, Role::Admin]
            }
        }
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransitionError {
    /// This role may never perform this action.
    RoleNotAllowed {
        /// The refused action.
        action: StoryAction,
        /// The role the user acted in.
        role: Role,
    },
    /// The action makes no sense in the story's current status.
    WrongState {
        /// The refused action.
        action: StoryAction,
        /// The story's current status.
        from: StoryStatus,
    },
}

impl TransitionError {
    /// A message the user understands, in Dutch and English.
    pub fn message(&self) -> Message {
        match *self {
            TransitionError::RoleNotAllowed { action, .. } => match action {
                StoryAction::Submit => Message::new(
                    "Alleen de studenten van de groep kunnen een verhaal indienen.",
                    "Only the group's students can submit a story.",
                ),
                StoryAction::RequestChanges => Message::new(
                    "Alleen een docent van de groep kan om aanpassingen vragen.",
                    "Only a lecturer of the group can request changes.",
                ),
                StoryAction::Approve => Message::new(
                    "Alleen een docent van de groep kan een verhaal goedkeuren.",
                    "Only a lecturer of the group can approve a story.",
                ),
                StoryAction::Select | StoryAction::Deselect | StoryAction::Publish => Message::new(
                    "Alleen een onderzoeker kan verhalen voor het boekje kiezen of publiceren.",
                    "Only a researcher can select or publish stories for the booklet.",
                ),
                StoryAction::Withdraw => Message::new(
                    "U kunt de toestemming van deze bewoner niet intrekken.",
                    "You cannot withdraw this resident's consent.",
                ),
            },
            TransitionError::WrongState { action, from } => wrong_state_message(action, from),
        }
    }
}

fn wrong_state_message(action: StoryAction, from: StoryStatus) -> Message {
    use StoryAction as A;
    use StoryStatus as S;
    if from == S::Withdrawn {
        return Message::new(
            "De bewoner heeft de toestemming ingetrokken; dit verhaal kan niet meer worden gebruikt.",
            "The resident withdrew consent; this story can no longer be used.",
        );
    }
    let (nl_state, en_state) = from.label();
    match action {
        A::Submit => Message::new(
            format!("Dit verhaal kan nu niet worden ingediend: het heeft de status ‘{nl_state}’."),
            format!("This story cannot be submitted now: its status is ‘{en_state}’."),
        ),
        A::RequestChanges | A::Approve if from == S::Draft || from == S::ChangesRequested => {
            Message::new(
                "Dit verhaal is (nog) niet ingediend; wacht tot de studenten het indienen.",
                "This story has not been submitted (yet); wait until the students submit it.",
            )
        }
        A::RequestChanges | A::Approve => Message::new(
            format!("Dit verhaal is al beoordeeld: het heeft de status ‘{nl_state}’."),
            format!("This story has already been reviewed: its status is ‘{en_state}’."),
        ),
        A::Select => Message::new(
            "Alleen goedgekeurde verhalen kunnen voor het boekje worden gekozen.",
            "Only approved stories can be selected for the booklet.",
        ),
        A::Deselect => Message::new(
            "Dit verhaal staat niet in een boekjesselectie.",
            "This story is not in a booklet selection.",
        ),
        A::Publish => Message::new(
            "Alleen verhalen die voor het boekje zijn gekozen, kunnen worden gepubliceerd.",
            "Only stories selected for the booklet can be published.",
        ),
        A::Withdraw => Message::new(
            "De toestemming is al ingetrokken.",
            "Consent has already been withdrawn.",
        ),
    }
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().nl)
    }
}

impl std::error::Error for TransitionError {}

/// The one function that decides status changes: given the current status,
/// the action and the role the user acts in (already established by
/// [`crate::domain::access`] to apply to this story), returns the new status
/// or why not.
pub fn transition(
    from: StoryStatus,
    action: StoryAction,
    role: Role,
) -> Result<StoryStatus, TransitionError> {
    use StoryAction as A;
    use StoryStatus as S;
    if !action.allowed_roles().contains(&role) {
        return Err(TransitionError::RoleNotAllowed { action, role });
    }
    let to = match (action, from) {
        (A::Submit, S::Draft | S::ChangesRequested) => S::Submitted,
        (A::RequestChanges, S::Submitted) => S::ChangesRequested,
        (A::Approve, S::Submitted) => S::Approved,
        (A::Select, S::Approved) => S::Selected,
        (A::Deselect, S::Selected) => S::Approved,
        (A::Publish, S::Selected) => S::Published,
        (A::Withdraw, s) if s != S::Withdrawn => S::Withdrawn,
        _ => return Err(TransitionError::WrongState { action, from }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use StoryAction as A;
    use StoryStatus as S;

    /// The complete table of allowed (from, action, role) → to. Every
    /// combination not listed here must be refused.
    fn expected(from: S, action: A, role: Role) -> Option<S> {
        let table: &[(S, A, Role, S)] = &[
            (S::Draft, A::Submit, Role::Student, S::Submitted),
            (S::ChangesRequested, A::Submit, Role::Student, S::Submitted),
            (
                S::Submitted,
                A::RequestChanges,
                Role::Lecturer,
                S::ChangesRequested,
            ),
            (S::Submitted, A::Approve, Role::Lecturer, S::Approved),
            (S::Approved, A::Select, Role::Researcher, S::Selected),
            (S::Selected, A::Deselect, Role::Researcher, S::Approved),
            (S::Selected, A::Publish, Role::Researcher, S::Published),
        ];
        if let Some(&(_, _, _, to)) = table
            .iter()
            .find(|(f, a, r, _)| *f == from && *a == action && *r == role)
        {
            return Some(to);
        }
        let may_withdraw = matches!(
            role,
            Role::Student | Role::Lecturer | Role::Researcher | Role::Admin
        );
        (action == A::Withdraw && may_withdraw && from != S::Withdrawn).then_some(S::Withdrawn)
    }

    #[test]
    fn every_state_action_role_combination() {
        let mut allowed = 0;
        for from in S::ALL {
            for action in A::ALL {
                for role in Role::ALL {
                    let got = transition(from, action, role);
                    match expected(from, action, role) {
                        Some(to) => {
                            assert_eq!(got, Ok(to), "{from:?} {action:?} {role:?}");
                            allowed += 1;
                        }
                        None => {
                            let err = got.expect_err(&format!("{from:?} {action:?} {role:?}"));
                            // Every refusal explains itself in Dutch and English.
                            let msg = err.message();
                            assert!(!msg.nl.is_empty() && !msg.en.is_empty());
                            if !action.allowed_roles().contains(&role) {
                                assert_eq!(err, TransitionError::RoleNotAllowed { action, role });
                            } else {
                                assert_eq!(err, TransitionError::WrongState { action, from });
                            }
                        }
                    }
                }
            }
        }
        // 7 listed transitions + withdraw from 6 states by 4 roles.
        assert_eq!(allowed, 7 + 6 * 4);
    }

    #[test]
    fn municipality_never_changes_a_story() {
        for from in S::ALL {
            for action in A::ALL {
                assert!(transition(from, action, Role::Municipality).is_err());
            }
        }
    }

    #[test]
    fn withdrawn_is_final() {
        for action in A::ALL {
            for role in Role::ALL {
                assert!(transition(S::Withdrawn, action, role).is_err());
            }
        }
    }

    #[test]
    fn messages_are_specific() {
        let e = transition(S::Submitted, A::Submit, Role::Student).unwrap_err();
        assert!(e.message().nl.contains("Ingediend"), "{}", e.message().nl);
        let e = transition(S::Draft, A::Approve, Role::Lecturer).unwrap_err();
        assert!(e.message().nl.contains("niet ingediend"));
        let e = transition(S::Submitted, A::Approve, Role::Student).unwrap_err();
        assert!(e.message().nl.contains("docent"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(a));
        }
        assert_eq!(S::parse("lost"), None);
    }

    #[test]
    fn visibility_rules() {
        assert!(S::Draft.is_editable_by_students());
        assert!(S::ChangesRequested.is_editable_by_students());
        assert!(!S::Submitted.is_editable_by_students());
        assert!(!S::Draft.is_visible_to_lecturers());
        assert!(S::Submitted.is_visible_to_lecturers());
        assert!(!S::Submitted.is_visible_to_researchers());
        assert!(S::Approved.is_visible_to_researchers());
        assert!(!S::Withdrawn.is_visible_to_researchers());
    }
}
