//! Roles. A user holds roles per organisation; the municipality role is also
//! tied to one municipality.

use serde::{Deserialize, Serialize};

/// A role a user holds within one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Second-year Social Work student: interviews residents.
    Student,
    /// Lecturer (docent): reviews the stories of the groups they supervise.
    Lecturer,
    /// Researcher (lectoraat): curates stories and builds booklets.
    Researcher,
    /// Municipality staff: reads published booklets of their municipality.
    Municipality,
    /// Werkplaats coordinator: organisation set-up and accounts.
    Admin,
}

impl Role {
    /// Every role, in the order the interface lists them.
    pub const ALL: [Role; 5] = [
        Role::Student,
        Role::Lecturer,
        Role::Researcher,
        Role::Municipality,
        Role::Admin,
    ];

    /// The stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Lecturer => "lecturer",
            Role::Researcher => "researcher",
            Role::Municipality => "municipality",
            Role::Admin => "admin",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The Dutch and English names, for the interface.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Role::Student => ("Student", "Student"),
            Role::Lecturer => ("Docent", "Lecturer"),
            Role::Researcher => ("Onderzoeker", "Researcher"),
            Role::Municipality => ("Gemeente", "Municipality"),
            Role::Admin => ("Beheerder", "Administrator"),
        }
    }
}

/// The role a user holds within a group of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupRole {
    /// A student member of the group.
    Student,
    /// A lecturer supervising the group.
    Lecturer,
}

impl GroupRole {
    /// The stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupRole::Student => "student",
            GroupRole::Lecturer => "lecturer",
        }
    }

    /// Parses the database text form.
    pub fn parse(s: &str) -> Option<GroupRole> {
        match s {
            "student" => Some(GroupRole::Student),
            "lecturer" => Some(GroupRole::Lecturer),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        for g in [GroupRole::Student, GroupRole::Lecturer] {
            assert_eq!(GroupRole::parse(g.as_str()), Some(g));
        }
    }
}
