//! Study groups: who may manage them, and the member lists an administrator
//! pastes in.
//!
//! A group belongs to one edition and has students, lecturers and the
//! neighbourhoods its students interview in. Administrators and researchers
//! of the organisation manage groups ([`may_manage_groups`]); they usually
//! add a whole cohort at once by pasting lines from a spreadsheet or an
//! e-mail, which [`parse_member_lines`] turns into [`MemberLine`]s — one
//! result per non-empty line, so one typo never loses the other 59 names.

use super::access::{Actor, Denied};
use super::ids::{OrganisationId, UserId};
use super::text::{Field, FieldProblem, PersonName};
use super::Message;
use serde::{Deserialize, Serialize};

/// The longest e-mail address accepted (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// The most lines one paste may hold: a cohort is 20–80 students.
pub const MEMBER_LINES_MAX: usize = 300;

/// Whether `actor` may create groups, change their members and assign
/// neighbourhoods in `organisation`: its administrators and researchers.
/// Other members of the organisation are refused ([`Denied::Forbidden`]);
/// to anyone else its groups do not exist ([`Denied::NotFound`]).
pub fn may_manage_groups(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    super::access::werkplaats_staff(actor, organisation)
}

/// Whether `actor` may put `user` into a group. Never themselves: an
/// administrator or researcher who made themselves a student or lecturer
/// would read drafts, residents' real first names and media without the
/// resident's consent for that. A colleague adds them if they really teach.
pub fn may_enrol(actor: &Actor, user: UserId) -> Result<(), Message> {
    if actor.user == user {
        Err(Message::new(
            "U kunt uzelf niet aan een groep toevoegen. Vraag een collega-beheerder dat te doen als u echt les geeft in deze groep.",
            "You cannot add yourself to a group. Ask a fellow administrator to do so if you really teach this group.",
        ))
    } else {
        Ok(())
    }
}

/// The organisations whose groups `actor` manages, each once.
pub fn managed_organisations(actor: &Actor) -> Vec<OrganisationId> {
    let mut orgs: Vec<OrganisationId> = actor
        .memberships
        .iter()
        .map(|m| m.organisation)
        .filter(|o| may_manage_groups(actor, *o).is_ok())
        .collect();
    orgs.sort();
    orgs.dedup();
    orgs
}

/// An e-mail address, trimmed and lower-cased: one `@`, a local part, a
/// domain with a dot, no spaces or angle brackets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses user input.
    pub fn parse(text: &str) -> Result<Self, FieldProblem> {
        let t = text.trim().to_lowercase();
        if t.is_empty() {
            return Err(FieldProblem::empty(Field::Email));
        }
        if t.chars().count() > EMAIL_MAX {
            return Err(FieldProblem::too_long(
                Field::Email,
                t.chars().count(),
                EMAIL_MAX,
            ));
        }
        let valid = match t.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !t
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
            }
            None => false,
        };
        if valid {
            Ok(Email(t))
        } else {
            Err(FieldProblem {
                field: Field::Email,
                message: Message::new(
                    format!("‘{}’ is geen geldig e-mailadres.", text.trim()),
                    format!("‘{}’ is not a valid e-mail address.", text.trim()),
                ),
            })
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One person from a pasted member list: an e-mail address and, for people
/// who have no account yet, their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    /// 1-based number of the (first) line naming this person.
    pub line: usize,
    /// The e-mail address (also the sign-in name).
    pub email: Email,
    /// The name, if the line had one.
    pub name: Option<PersonName>,
}

/// A line of a pasted member list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    /// 1-based line number in the pasted text.
    pub line: usize,
    /// The line as typed.
    pub text: String,
    /// What is wrong with it.
    pub message: Message,
}

/// Reads a pasted member list, one person per line, in any of the forms
/// people copy from spreadsheets and mail programs:
///
/// * `anna@student.zuyd.nl`
/// * `Anna de Vries <anna@student.zuyd.nl>`
/// * `Anna de Vries, anna@student.zuyd.nl` (also `;` or a tab, either order)
///
/// Empty lines are skipped. The same address twice counts once (the first
/// line with a name wins). Returns the people read and the lines that could
/// not be read, so the caller can add the first and show the second.
pub fn parse_member_lines(text: &str) -> (Vec<MemberLine>, Vec<LineProblem>) {
    let mut people: Vec<MemberLine> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if people.len() + problems.len() >= MEMBER_LINES_MAX {
            problems.push(LineProblem {
                line: i + 1,
                text: line.to_string(),
                message: Message::new(
                    format!(
                        "Te veel regels: voeg maximaal {MEMBER_LINES_MAX} mensen tegelijk toe."
                    ),
                    format!("Too many lines: add at most {MEMBER_LINES_MAX} people at once."),
                ),
            });
            break;
        }
        match parse_line(i + 1, line) {
            Ok(person) => match people.iter_mut().find(|p| p.email == person.email) {
                Some(existing) => {
                    if existing.name.is_none() {
                        existing.name = person.name;
                    }
                }
                None => people.push(person),
            },
            Err(message) => problems.push(LineProblem {
                line: i + 1,
                text: line.to_string(),
                message,
            }),
        }
    }
    (people, problems)
}

fn parse_line(number: usize, line: &str) -> Result<MemberLine, Message> {
    let (email, name) = if let (Some(open), true) = (line.rfind('<'), line.ends_with('>')) {
        (&line[open + 1..line.len() - 1], line[..open].trim())
    } else if let Some((a, b)) = line.split_once(['\t', ';', ',']) {
        let (a, b) = (a.trim(), b.trim());
        if a.contains('@') {
            (a, b)
        } else {
            (b, a)
        }
    } else {
        (line, "")
    };
    let email = Email::parse(email).map_err(|p| p.message)?;
    let name = if name.trim_matches('"').trim().is_empty() {
        None
    } else {
        Some(PersonName::parse(name.trim_matches('"')).map_err(|p| p.message)?)
    };
    Ok(MemberLine {
        line: number,
        email,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::tests_support::{actor_with, scope};
    use crate::domain::ids::OrganisationId;
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::role::{GroupRole, Role};

    #[test]
    fn admins_and_researchers_manage_groups_others_do_not() {
        let story = scope(StoryStatus::Draft);
        let org = story.organisation;
        let other = OrganisationId::new();
        for role in [Role::Admin, Role::Researcher] {
            let actor = actor_with(&story, None, Some(role));
            assert_eq!(may_manage_groups(&actor, org), Ok(()));
            assert_eq!(may_manage_groups(&actor, other), Err(Denied::NotFound));
        }
        for group_role in [GroupRole::Student, GroupRole::Lecturer] {
            let actor = actor_with(&story, Some(group_role), None);
            assert_eq!(may_manage_groups(&actor, org), Err(Denied::Forbidden));
        }
        let staff = actor_with(&story, None, Some(Role::Municipality));
        assert_eq!(may_manage_groups(&staff, org), Err(Denied::Forbidden));
        let nobody = actor_with(&story, None, None);
        assert_eq!(may_manage_groups(&nobody, org), Err(Denied::NotFound));
    }

    #[test]
    fn nobody_enrols_themselves() {
        let story = scope(StoryStatus::Draft);
        for role in [Role::Admin, Role::Researcher] {
            let actor = actor_with(&story, None, Some(role));
            assert!(may_enrol(&actor, actor.user)
                .unwrap_err()
                .nl
                .contains("uzelf"));
            assert_eq!(may_enrol(&actor, UserId::new()), Ok(()));
        }
    }

    #[test]
    fn addresses_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            Email::parse("  Anna.de.Vries@Student.Zuyd.NL ")
                .unwrap()
                .as_str(),
            "anna.de.vries@student.zuyd.nl"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@zuyd.nl",
            "anna@zuyd",
            "anna@@zuyd.nl",
            "an na@zuyd.nl",
            "anna@zuyd..nl",
            "anna@.zuyd.nl",
            "<anna@zuyd.nl>",
        ] {
            let problem = Email::parse(bad).unwrap_err();
            assert_eq!(problem.field, Field::Email, "{bad}");
        }
        let long = format!("{}@zuyd.nl", "a".repeat(250));
        assert!(Email::parse(&long)
            .unwrap_err()
            .message
            .nl
            .contains("te lang"));
        assert!(Email::parse("anna")
            .unwrap_err()
            .message
            .nl
            .contains("geen geldig e-mailadres"));
    }

    #[test]
    fn pasted_lists_in_common_shapes_are_read() {
        let text = "anna@zuyd.nl\n\
                    Bram Jansen <bram@zuyd.nl>\n\
                    \n\
                    Chris Peters, chris@zuyd.nl\n\
                    dana@zuyd.nl; Dana Smeets\n\
                    Eva Hendriks\teva@zuyd.nl\n\
                    \"Fien Klaassen\" <FIEN@zuyd.nl>\n";
        let (people, problems) = parse_member_lines(text);
        assert!(problems.is_empty(), "{problems:?}");
        let got: Vec<(&str, Option<&str>)> = people
            .iter()
            .map(|p| (p.email.as_str(), p.name.as_ref().map(|n| n.as_str())))
            .collect();
        assert_eq!(
            got,
            vec![
                ("anna@zuyd.nl", None),
                ("bram@zuyd.nl", Some("Bram Jansen")),
                ("chris@zuyd.nl", Some("Chris Peters")),
                ("dana@zuyd.nl", Some("Dana Smeets")),
                ("eva@zuyd.nl", Some("Eva Hendriks")),
                ("fien@zuyd.nl", Some("Fien Klaassen")),
            ]
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_number_and_the_rest_is_kept() {
        let (people, problems) =
            parse_member_lines("anna@zuyd.nl\nbram at zuyd\n\nchris@zuyd.nl, Chris");
        assert_eq!(people.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].text, "bram at zuyd");
        assert!(problems[0].message.nl.contains("geen geldig e-mailadres"));
    }

    #[test]
    fn the_same_address_twice_counts_once_and_keeps_a_name() {
        let (people, problems) =
            parse_member_lines("anna@zuyd.nl\nAnna Smit <ANNA@zuyd.nl>\nanna@zuyd.nl, Other");
        assert!(problems.is_empty());
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].name.as_ref().unwrap().as_str(), "Anna Smit");
    }

    #[test]
    fn a_huge_paste_is_cut_off_with_a_message() {
        let text: String = (0..MEMBER_LINES_MAX + 5)
            .map(|i| format!("s{i}@zuyd.nl\n"))
            .collect();
        let (people, problems) = parse_member_lines(&text);
        assert_eq!(people.len(), MEMBER_LINES_MAX);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.nl.contains("Te veel regels"));
    }
}
