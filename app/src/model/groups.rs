//! Group administration: groups, members, pasted member lists.

use super::guide::EditionChoice;
use super::stories::NeighbourhoodRef;
use crate::domain::ids::{GroupId, NeighbourhoodId, UserId};
use serde::{Deserialize, Serialize};

/// The group administration page of one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupsView {
    /// Editions the user manages groups of, newest first.
    pub editions: Vec<EditionChoice>,
    /// The edition shown.
    pub edition: EditionChoice,
    /// Its groups, by name.
    pub groups: Vec<GroupAdmin>,
    /// Every neighbourhood of the edition's organisation, by municipality
    /// and name, to assign to groups.
    pub neighbourhoods: Vec<NeighbourhoodRef>,
    /// A fresh id for the "new group" form (a repeated post creates one
    /// group).
    pub new_group_id: GroupId,
}

/// A group as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupAdmin {
    /// Group id.
    pub id: GroupId,
    /// Name.
    pub name: String,
    /// Supervising lecturers, by name.
    pub lecturers: Vec<GroupMemberView>,
    /// Students, by name.
    pub students: Vec<GroupMemberView>,
    /// Assigned neighbourhoods.
    pub neighbourhoods: Vec<NeighbourhoodId>,
    /// Stories written in this group.
    pub story_count: i64,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMemberView {
    /// The user.
    pub user: UserId,
    /// Display name.
    pub name: String,
    /// E-mail address (their sign-in name).
    pub email: String,
    /// Stories they wrote in this group.
    pub stories: i64,
}

/// What adding a pasted list of people to a group did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MembersAdded {
    /// One entry per person read from the list.
    pub people: Vec<AddedMember>,
    /// Lines that could not be read or people who could not be added; the
    /// page puts these lines back in the box to correct them.
    pub problems: Vec<crate::domain::groups::LineProblem>,
}

/// One person of a pasted list and what happened to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedMember {
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `true` if they were already in the group in this role.
    pub already_member: bool,
    /// For a new account: the one-time start password to hand over. It is
    /// shown once and stored only as a hash.
    pub start_password: Option<String>,
}
