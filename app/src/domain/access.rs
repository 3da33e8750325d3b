//! Who may do what to which record.
//!
//! The API layer loads an [`Actor`] (the signed-in user with their role and
//! group memberships) and a small *scope* of the record at hand (its
//! organisation, group, status…), and asks these functions. The database
//! layer never decides permissions; it only narrows queries by the ids these
//! rules name.
//!
//! Two kinds of "no": [`Denied::NotFound`] when the user may not even know the
//! record exists (other organisation, other group), [`Denied::Forbidden`] when
//! they may see it but not do this to it.

use super::consent::{ConsentScope, ConsentScopes};
use super::ids::{GroupId, MunicipalityId, NeighbourhoodId, OrganisationId, UserId};
use super::lifecycle::{StoryAction, StoryStatus};
use super::role::{GroupRole, Role};
use super::Message;
use serde::{Deserialize, Serialize};

/// A role held in one organisation (for the municipality role: one
/// municipality of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The organisation the role is held in.
    pub organisation: OrganisationId,
    /// The role.
    pub role: Role,
    /// For [`Role::Municipality`]: the municipality whose booklets the user reads.
    pub municipality: Option<MunicipalityId>,
}

/// Membership of a group (students and lecturers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMembership {
    /// The group.
    pub group: GroupId,
    /// The organisation the group's edition belongs to.
    pub organisation: OrganisationId,
    /// Student or lecturer.
    pub role: GroupRole,
}

/// The signed-in user, as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user's id.
    pub user: UserId,
    /// Display name.
    pub name: String,
    /// Roles per organisation.
    pub memberships: Vec<Membership>,
    /// Groups the user belongs to.
    pub groups: Vec<GroupMembership>,
}

/// A refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denied {
    /// The user may not know the record exists.
    NotFound,
    /// The user may see the record but not do this.
    Forbidden,
}

impl Denied {
    /// A message the user understands.
    pub fn message(self) -> Message {
        match self {
            Denied::NotFound => Message::new(
                "Dit onderdeel bestaat niet of u hebt er geen toegang toe.",
                "This item does not exist or you do not have access to it.",
            ),
            Denied::Forbidden => Message::new(
                "U hebt geen toestemming om dit te doen.",
                "You are not allowed to do this.",
            ),
        }
    }
}

impl Actor {
    /// Whether the user holds `role` in `organisation`.
    pub fn has_role(&self, organisation: OrganisationId, role: Role) -> bool {
        self.memberships
            .iter()
            .any(|m| m.organisation == organisation && m.role == role)
    }

    /// Whether the user holds any role at all. A user without a role sees nothing.
    pub fn has_any_role(&self) -> bool {
        !self.memberships.is_empty()
    }

    /// All roles the user holds, in any organisation, deduplicated and ordered.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.memberships.iter().map(|m| m.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// Organisations in which the user holds `role`.
    pub fn organisations_with(&self, role: Role) -> Vec<OrganisationId> {
        let mut orgs: Vec<OrganisationId> = self
            .memberships
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.organisation)
            .collect();
        orgs.sort();
        orgs.dedup();
        orgs
    }

    /// Municipalities whose booklets the user may read as municipality staff.
    pub fn municipalities(&self) -> Vec<(OrganisationId, MunicipalityId)> {
        self.memberships
            .iter()
            .filter(|m| m.role == Role::Municipality)
            .filter_map(|m| m.municipality.map(|mu| (m.organisation, mu)))
            .collect()
    }

    /// Groups in which the user is a member in `role` — and still holds the
    /// matching organisation role (revoking the organisation role revokes the
    /// group's access too).
    pub fn groups_as(&self, role: GroupRole) -> Vec<GroupId> {
        let org_role = match role {
            GroupRole::Student => Role::Student,
            GroupRole::Lecturer => Role::Lecturer,
        };
        self.groups
            .iter()
            .filter(|g| g.role == role && self.has_role(g.organisation, org_role))
            .map(|g| g.group)
            .collect()
    }

    /// Whether the user is an active student member of `group`.
    pub fn is_student_in(&self, group: GroupId) -> bool {
        self.groups_as(GroupRole::Student).contains(&group)
    }

    /// Whether the user is an active lecturer of `group`.
    pub fn is_lecturer_of(&self, group: GroupId) -> bool {
        self.groups_as(GroupRole::Lecturer).contains(&group)
    }
}

/// What the rules need to know about a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryScope {
    /// The story's organisation.
    pub organisation: OrganisationId,
    /// The municipality of the story's neighbourhood.
    pub municipality: MunicipalityId,
    /// The group that wrote it.
    pub group: GroupId,
    /// Its current status.
    pub status: StoryStatus,
    /// The consent scopes the resident granted (empty when consent is missing
    /// or withdrawn).
    pub scopes: ConsentScopes,
}

/// The role under which `actor` may read the story, or why not.
///
/// Students read their group's stories, lecturers what their groups handed
/// in, researchers approved stories of their organisation. Admins do not read
/// story content by virtue of being admin. Municipality staff never read a
/// story record (its revisions, the students' unedited text, reviewers'
/// comments, the witness): they read the published document only, through
/// the portal ([`crate::domain::portal`]). Nobody reads a withdrawn story's
/// content.
pub fn read_role(actor: &Actor, story: &StoryScope) -> Result<Role, Denied> {
    if story.status == StoryStatus::Withdrawn {
        return Err(Denied::NotFound);
    }
    if actor.is_student_in(story.group) {
        return Ok(Role::Student);
    }
    if actor.is_lecturer_of(story.group) && story.status.is_visible_to_lecturers() {
        return Ok(Role::Lecturer);
    }
    if actor.has_role(story.organisation, Role::Researcher)
        && story.status.is_visible_to_researchers()
    {
        return Ok(Role::Researcher);
    }
    Err(Denied::NotFound)
}

/// Whether `actor` may change the story's text (students of the group, while
/// the story is a draft or changes were requested).
pub fn may_edit(actor: &Actor, story: &StoryScope) -> Result<(), Denied> {
    read_role(actor, story)?;
    if actor.is_student_in(story.group) && story.status.is_editable_by_students() {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Whether `actor` may comment on the story (its lecturers while it is under
/// review or later; the group's students to answer).
pub fn may_comment(actor: &Actor, story: &StoryScope) -> Result<(), Denied> {
    match read_role(actor, story)? {
        Role::Student | Role::Lecturer | Role::Researcher => Ok(()),
        _ => Err(Denied::Forbidden),
    }
}

/// The role under which `actor` performs `action` on the story, to be passed
/// to [`crate::domain::lifecycle::transition`]. The user must be able to read
/// the story and hold a role that relates to it for this action: a student of
/// its group, a lecturer of its group, a researcher or admin of its
/// organisation.
pub fn action_role(actor: &Actor, story: &StoryScope, action: StoryAction) -> Result<Role, Denied> {
    let can_read = read_role(actor, story);
    let related = |role: Role| match role {
        Role::Student => actor.is_student_in(story.group),
        Role::Lecturer => actor.is_lecturer_of(story.group),
        Role::Researcher | Role::Admin => actor.has_role(story.organisation, role),
        Role::Municipality => false,
    };
    if let Some(role) = action.allowed_roles().iter().copied().find(|r| related(*r)) {
        // Admins record withdrawals without reading content.
        if can_read.is_ok() || role == Role::Admin {
            return Ok(role);
        }
    }
    // Tell the user as little as their access allows.
    can_read?;
    Err(Denied::Forbidden)
}

/// Whether a student may start a story in `neighbourhood` for `group`: they
/// must be a student of the group and the neighbourhood must be assigned to it.
pub fn may_create_story(
    actor: &Actor,
    group: GroupId,
    group_neighbourhoods: &[NeighbourhoodId],
    neighbourhood: NeighbourhoodId,
) -> Result<(), Denied> {
    if !actor.is_student_in(group) {
        return Err(Denied::Forbidden);
    }
    if !group_neighbourhoods.contains(&neighbourhood) {
        return Err(Denied::Forbidden);
    }
    Ok(())
}

/// Where a booklet build stands in its selection's publication history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Publication {
    /// Built, never published (a draft for the researchers).
    Unpublished,
    /// The publication in force.
    Current,
    /// Published once, since replaced by a newer publication.
    Superseded,
}

/// What the rules need to know about a booklet build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildScope {
    /// The organisation that made it.
    pub organisation: OrganisationId,
    /// The municipality it is for.
    pub municipality: MunicipalityId,
    /// Whether it is the publication in force, an earlier one or a draft.
    pub publication: Publication,
    /// How many of its stories were withdrawn since it was built: their
    /// residents took their words back, so the file is kept from everyone
    /// but the organisation's researchers (who must see what to reprint).
    pub withdrawn_stories: usize,
}

impl BuildScope {
    /// Whether the build is the publication in force and holds no withdrawn
    /// story: the only kind of build anyone outside the research team gets.
    pub fn in_force(&self) -> bool {
        self.publication == Publication::Current && self.withdrawn_stories == 0
    }
}

/// Whether `actor` may download the build's files and see its status:
/// researchers of the organisation always (drafts, earlier publications and
/// builds holding a withdrawn story included); the organisation's admins
/// and the staff of that municipality only the publication in force, and
/// only while it holds no withdrawn story.
pub fn may_download_build(actor: &Actor, build: &BuildScope) -> Result<(), Denied> {
    if actor.has_role(build.organisation, Role::Researcher) {
        return Ok(());
    }
    let reader = actor.has_role(build.organisation, Role::Admin)
        || actor
            .municipalities()
            .contains(&(build.organisation, build.municipality));
    if reader && build.in_force() {
        return Ok(());
    }
    Err(Denied::NotFound)
}

/// Whether a visitor may download a file (print, screen, chapter PDF, page
/// preview) of a build: as [`may_download_build`], and anyone, signed in or
/// not, for the publication in force of an edition that is public.
pub fn may_download_build_file(
    actor: Option<&Actor>,
    build: &BuildScope,
    edition_public: bool,
) -> Result<(), Denied> {
    if build.in_force() && edition_public {
        return Ok(());
    }
    let Some(actor) = actor else {
        return Err(Denied::NotFound);
    };
    may_download_build(actor, build)
}

/// Whether `actor` curates (selects, builds, publishes) in `organisation`.
pub fn may_curate(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    if actor.has_role(organisation, Role::Researcher) {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Organisations whose interview guides `actor` edits: those where they are
/// researcher or admin.
pub fn guide_organisations(actor: &Actor) -> Vec<OrganisationId> {
    let mut orgs = actor.organisations_with(Role::Researcher);
    orgs.extend(actor.organisations_with(Role::Admin));
    orgs.sort();
    orgs.dedup();
    orgs
}

/// Whether `actor` may read and change the interview guides of
/// `organisation`'s editions: see [`werkplaats_staff`].
pub fn may_edit_guide(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    werkplaats_staff(actor, organisation)
}

/// Whether `actor` runs `organisation`'s werkplaats (its editions — the
/// next year's, their status and consent texts — and their guides and
/// groups): its researchers and admins. Other members of the
/// organisation are refused ([`Denied::Forbidden`]); to anyone else its
/// editions do not exist ([`Denied::NotFound`]).
pub fn werkplaats_staff(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    holds_any(actor, organisation, &[Role::Researcher, Role::Admin])
}

/// Whether `actor` maintains `organisation`'s structure (municipalities,
/// neighbourhoods, CBS codes): its administrators only. Other members are
/// refused ([`Denied::Forbidden`]); to anyone else the organisation's
/// records do not exist ([`Denied::NotFound`]).
pub fn may_manage_areas(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    holds_any(actor, organisation, &[Role::Admin])
}

/// Ok if `actor` has one of `roles` in `organisation`; else
/// [`Denied::Forbidden`] for its other members and [`Denied::NotFound`]
/// for everyone else (they may not learn what the organisation holds).
fn holds_any(actor: &Actor, organisation: OrganisationId, roles: &[Role]) -> Result<(), Denied> {
    if roles.iter().any(|r| actor.has_role(organisation, *r)) {
        Ok(())
    } else if actor
        .memberships
        .iter()
        .any(|m| m.organisation == organisation)
    {
        Err(Denied::Forbidden)
    } else {
        Err(Denied::NotFound)
    }
}

/// Selecting a story for a booklet needs the resident's `booklet` consent.
pub fn may_select_for_booklet(story: &StoryScope) -> Result<(), Message> {
    if story.scopes.contains(ConsentScope::Booklet) {
        Ok(())
    } else {
        Err(Message::new(
            "De bewoner heeft geen toestemming gegeven voor het boekje.",
            "The resident did not consent to the booklet.",
        ))
    }
}

/// Builders for tests of rules that build on these (media, guide, …).
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use crate::domain::ids::*;

    /// A story of a fresh organisation, municipality and group, all scopes granted.
    pub fn scope(status: StoryStatus) -> StoryScope {
        StoryScope {
            organisation: OrganisationId::new(),
            municipality: MunicipalityId::new(),
            group: GroupId::new(),
            status,
            scopes: ConsentScopes::all(),
        }
    }

    /// A user related to `story`: in its group with `group_role`, and/or
    /// holding `role` in its organisation (municipality staff: of its
    /// municipality).
    pub fn actor_with(
        story: &StoryScope,
        group_role: Option<GroupRole>,
        role: Option<Role>,
    ) -> Actor {
        let mut memberships = Vec::new();
        let mut groups = Vec::new();
        if let Some(r) = group_role {
            memberships.push(Membership {
                organisation: story.organisation,
                role: match r {
                    GroupRole::Student => Role::Student,
                    GroupRole::Lecturer => Role::Lecturer,
                },
                municipality: None,
            });
            groups.push(GroupMembership {
                group: story.group,
                organisation: story.organisation,
                role: r,
            });
        }
        if let Some(role) = role {
            memberships.push(Membership {
                organisation: story.organisation,
                role,
                municipality: (role == Role::Municipality).then_some(story.municipality),
            });
        }
        Actor {
            user: UserId::new(),
            name: "Test".into(),
            memberships,
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::*;

    struct World {
        org: OrganisationId,
        other_org: OrganisationId,
        muni: MunicipalityId,
        other_muni: MunicipalityId,
        group: GroupId,
        other_group: GroupId,
    }

    fn world() -> World {
        World {
            org: OrganisationId::new(),
            other_org: OrganisationId::new(),
            muni: MunicipalityId::new(),
            other_muni: MunicipalityId::new(),
            group: GroupId::new(),
            other_group: GroupId::new(),
        }
    }

    fn actor(
        memberships: Vec<(OrganisationId, Role, Option<MunicipalityId>)>,
        groups: Vec<(GroupId, OrganisationId, GroupRole)>,
    ) -> Actor {
        Actor {
            user: UserId::new(),
            name: "Test".into(),
            memberships: memberships
                .into_iter()
                .map(|(organisation, role, municipality)| Membership {
                    organisation,
                    role,
                    municipality,
                })
                .collect(),
            groups: groups
                .into_iter()
                .map(|(group, organisation, role)| GroupMembership {
                    group,
                    organisation,
                    role,
                })
                .collect(),
        }
    }

    fn story(w: &World, status: StoryStatus) -> StoryScope {
        StoryScope {
            organisation: w.org,
            municipality: w.muni,
            group: w.group,
            status,
            scopes: ConsentScopes::all(),
        }
    }

    #[test]
    fn student_reads_own_group_only() {
        let w = world();
        let s = actor(
            vec![(w.org, Role::Student, None)],
            vec![(w.group, w.org, GroupRole::Student)],
        );
        assert_eq!(
            read_role(&s, &story(&w, StoryStatus::Draft)),
            Ok(Role::Student)
        );
        let mut other = story(&w, StoryStatus::Draft);
        other.group = w.other_group;
        assert_eq!(read_role(&s, &other), Err(Denied::NotFound));
    }

    #[test]
    fn group_membership_without_org_role_counts_for_nothing() {
        let w = world();
        let s = actor(vec![], vec![(w.group, w.org, GroupRole::Student)]);
        assert_eq!(
            read_role(&s, &story(&w, StoryStatus::Draft)),
            Err(Denied::NotFound)
        );
        assert!(!s.has_any_role());
    }

    #[test]
    fn lecturer_sees_submitted_not_drafts() {
        let w = world();
        let l = actor(
            vec![(w.org, Role::Lecturer, None)],
            vec![(w.group, w.org, GroupRole::Lecturer)],
        );
        assert_eq!(
            read_role(&l, &story(&w, StoryStatus::Draft)),
            Err(Denied::NotFound)
        );
        assert_eq!(
            read_role(&l, &story(&w, StoryStatus::Submitted)),
            Ok(Role::Lecturer)
        );
        assert_eq!(
            action_role(&l, &story(&w, StoryStatus::Submitted), StoryAction::Approve),
            Ok(Role::Lecturer)
        );
        let mut other = story(&w, StoryStatus::Submitted);
        other.group = w.other_group;
        assert_eq!(
            action_role(&l, &other, StoryAction::Approve),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn researcher_sees_approved_of_own_org() {
        let w = world();
        let r = actor(vec![(w.org, Role::Researcher, None)], vec![]);
        assert_eq!(
            read_role(&r, &story(&w, StoryStatus::Submitted)),
            Err(Denied::NotFound)
        );
        assert_eq!(
            read_role(&r, &story(&w, StoryStatus::Approved)),
            Ok(Role::Researcher)
        );
        let mut foreign = story(&w, StoryStatus::Approved);
        foreign.organisation = w.other_org;
        assert_eq!(read_role(&r, &foreign), Err(Denied::NotFound));
        // A researcher cannot approve: forbidden, not hidden (they can read it).
        assert_eq!(
            action_role(&r, &story(&w, StoryStatus::Approved), StoryAction::Approve),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn municipality_staff_never_read_a_story_record() {
        // Not even a published story with web consent of their own
        // municipality: its record holds the revisions, the students'
        // unedited text, the reviewers' comments and the witness. They read
        // the published document through the portal.
        let w = world();
        let m = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        for status in [
            StoryStatus::Draft,
            StoryStatus::Submitted,
            StoryStatus::Approved,
            StoryStatus::Selected,
            StoryStatus::Published,
        ] {
            assert_eq!(read_role(&m, &story(&w, status)), Err(Denied::NotFound));
            assert!(may_comment(&m, &story(&w, status)).is_err());
        }
    }

    #[test]
    fn admins_read_no_story_content() {
        let w = world();
        let a = actor(vec![(w.org, Role::Admin, None)], vec![]);
        for status in [
            StoryStatus::Draft,
            StoryStatus::Submitted,
            StoryStatus::Approved,
            StoryStatus::Published,
        ] {
            assert_eq!(read_role(&a, &story(&w, status)), Err(Denied::NotFound));
        }
        // Admin and researcher: reads as researcher.
        let both = actor(
            vec![(w.org, Role::Admin, None), (w.org, Role::Researcher, None)],
            vec![],
        );
        assert_eq!(
            read_role(&both, &story(&w, StoryStatus::Approved)),
            Ok(Role::Researcher)
        );
    }

    #[test]
    fn withdrawn_is_unreadable_but_admin_can_record_withdrawal() {
        let w = world();
        let r = actor(vec![(w.org, Role::Researcher, None)], vec![]);
        assert_eq!(
            read_role(&r, &story(&w, StoryStatus::Withdrawn)),
            Err(Denied::NotFound)
        );
        let a = actor(vec![(w.org, Role::Admin, None)], vec![]);
        assert_eq!(
            read_role(&a, &story(&w, StoryStatus::Approved)),
            Err(Denied::NotFound)
        );
        assert_eq!(
            action_role(&a, &story(&w, StoryStatus::Approved), StoryAction::Withdraw),
            Ok(Role::Admin)
        );
        let foreign_admin = actor(vec![(w.other_org, Role::Admin, None)], vec![]);
        assert_eq!(
            action_role(
                &foreign_admin,
                &story(&w, StoryStatus::Approved),
                StoryAction::Withdraw
            ),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn editing_needs_student_and_editable_status() {
        let w = world();
        let s = actor(
            vec![(w.org, Role::Student, None)],
            vec![(w.group, w.org, GroupRole::Student)],
        );
        assert_eq!(may_edit(&s, &story(&w, StoryStatus::Draft)), Ok(()));
        assert_eq!(
            may_edit(&s, &story(&w, StoryStatus::ChangesRequested)),
            Ok(())
        );
        assert_eq!(
            may_edit(&s, &story(&w, StoryStatus::Submitted)),
            Err(Denied::Forbidden)
        );
        let l = actor(
            vec![(w.org, Role::Lecturer, None)],
            vec![(w.group, w.org, GroupRole::Lecturer)],
        );
        assert_eq!(
            may_edit(&l, &story(&w, StoryStatus::Submitted)),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn creating_needs_group_and_assigned_neighbourhood() {
        let w = world();
        let s = actor(
            vec![(w.org, Role::Student, None)],
            vec![(w.group, w.org, GroupRole::Student)],
        );
        let n = NeighbourhoodId::new();
        assert_eq!(may_create_story(&s, w.group, &[n], n), Ok(()));
        assert_eq!(
            may_create_story(&s, w.group, &[n], NeighbourhoodId::new()),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            may_create_story(&s, w.other_group, &[n], n),
            Err(Denied::Forbidden)
        );
    }

    fn build(w: &World, publication: Publication, withdrawn_stories: usize) -> BuildScope {
        BuildScope {
            organisation: w.org,
            municipality: w.muni,
            publication,
            withdrawn_stories,
        }
    }

    #[test]
    fn build_downloads() {
        let w = world();
        let draft = build(&w, Publication::Unpublished, 0);
        let current = build(&w, Publication::Current, 0);
        let m = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        assert_eq!(may_download_build(&m, &draft), Err(Denied::NotFound));
        assert_eq!(may_download_build(&m, &current), Ok(()));
        let other = actor(
            vec![(w.org, Role::Municipality, Some(w.other_muni))],
            vec![],
        );
        assert_eq!(may_download_build(&other, &current), Err(Denied::NotFound));
        let foreign = actor(
            vec![(w.other_org, Role::Municipality, Some(w.muni))],
            vec![],
        );
        assert_eq!(
            may_download_build(&foreign, &current),
            Err(Denied::NotFound)
        );
        let r = actor(vec![(w.org, Role::Researcher, None)], vec![]);
        assert_eq!(may_download_build(&r, &draft), Ok(()));
        let s = actor(
            vec![(w.org, Role::Student, None)],
            vec![(w.group, w.org, GroupRole::Student)],
        );
        assert_eq!(may_download_build(&s, &current), Err(Denied::NotFound));
    }

    #[test]
    fn only_the_publication_in_force_leaves_the_research_team() {
        let w = world();
        let superseded = build(&w, Publication::Superseded, 0);
        let current_withdrawn = build(&w, Publication::Current, 1);
        let superseded_withdrawn = build(&w, Publication::Superseded, 2);
        let researcher = actor(vec![(w.org, Role::Researcher, None)], vec![]);
        let admin = actor(vec![(w.org, Role::Admin, None)], vec![]);
        let staff = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        for b in [&superseded, &current_withdrawn, &superseded_withdrawn] {
            assert!(!b.in_force());
            // Researchers keep every build: they must see what to reprint.
            assert_eq!(may_download_build(&researcher, b), Ok(()));
            assert_eq!(may_download_build_file(Some(&researcher), b, true), Ok(()));
            for a in [&admin, &staff] {
                assert_eq!(may_download_build(a, b), Err(Denied::NotFound));
                assert_eq!(
                    may_download_build_file(Some(a), b, true),
                    Err(Denied::NotFound)
                );
            }
            // Not even when the edition is public.
            assert_eq!(
                may_download_build_file(None, b, true),
                Err(Denied::NotFound)
            );
        }
        assert!(build(&w, Publication::Current, 0).in_force());
    }

    #[test]
    fn build_files_for_admins_and_the_public() {
        let w = world();
        let draft = build(&w, Publication::Unpublished, 0);
        let published = build(&w, Publication::Current, 0);
        // Admins download what is published, never a draft.
        let admin = actor(vec![(w.org, Role::Admin, None)], vec![]);
        assert_eq!(
            may_download_build_file(Some(&admin), &draft, false),
            Err(Denied::NotFound)
        );
        assert_eq!(
            may_download_build_file(Some(&admin), &published, false),
            Ok(())
        );
        let other_admin = actor(vec![(w.other_org, Role::Admin, None)], vec![]);
        assert_eq!(
            may_download_build_file(Some(&other_admin), &draft, true),
            Err(Denied::NotFound)
        );
        let m = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        assert_eq!(
            may_download_build_file(Some(&m), &draft, true),
            Err(Denied::NotFound)
        );
        assert_eq!(may_download_build_file(Some(&m), &published, false), Ok(()));
        // Anonymous: only the publication in force of a public edition.
        assert_eq!(may_download_build_file(None, &published, true), Ok(()));
        assert_eq!(
            may_download_build_file(None, &published, false),
            Err(Denied::NotFound)
        );
        assert_eq!(
            may_download_build_file(None, &draft, true),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn guide_is_edited_by_researchers_and_admins_of_the_organisation() {
        let w = world();
        let researcher = actor(vec![(w.org, Role::Researcher, None)], vec![]);
        let admin = actor(vec![(w.org, Role::Admin, None)], vec![]);
        assert_eq!(may_edit_guide(&researcher, w.org), Ok(()));
        assert_eq!(may_edit_guide(&admin, w.org), Ok(()));
        assert_eq!(guide_organisations(&researcher), vec![w.org]);

        // Other roles of the same organisation may know the edition: 403.
        let student = actor(
            vec![(w.org, Role::Student, None)],
            vec![(w.group, w.org, GroupRole::Student)],
        );
        let lecturer = actor(
            vec![(w.org, Role::Lecturer, None)],
            vec![(w.group, w.org, GroupRole::Lecturer)],
        );
        let municipality = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        for a in [&student, &lecturer, &municipality] {
            assert_eq!(may_edit_guide(a, w.org), Err(Denied::Forbidden));
            assert!(guide_organisations(a).is_empty());
        }

        // A researcher of another organisation does not see it at all.
        let foreign = actor(vec![(w.other_org, Role::Researcher, None)], vec![]);
        assert_eq!(may_edit_guide(&foreign, w.org), Err(Denied::NotFound));
        assert_eq!(may_edit_guide(&foreign, w.other_org), Ok(()));

        // Researcher here, student there: only here.
        let both = actor(
            vec![
                (w.org, Role::Researcher, None),
                (w.other_org, Role::Student, None),
                (w.org, Role::Admin, None),
            ],
            vec![],
        );
        assert_eq!(may_edit_guide(&both, w.org), Ok(()));
        assert_eq!(may_edit_guide(&both, w.other_org), Err(Denied::Forbidden));
        assert_eq!(guide_organisations(&both), vec![w.org]);
    }

    #[test]
    fn booklet_selection_needs_booklet_scope() {
        let w = world();
        let mut s = story(&w, StoryStatus::Approved);
        assert!(may_select_for_booklet(&s).is_ok());
        s.scopes = ConsentScopes::from_iter([ConsentScope::Research]);
        assert!(may_select_for_booklet(&s)
            .unwrap_err()
            .nl
            .contains("boekje"));
    }

    #[test]
    fn only_administrators_maintain_the_organisation_structure() {
        let w = world();
        let admin = actor(vec![(w.org, Role::Admin, None)], vec![]);
        assert_eq!(may_manage_areas(&admin, w.org), Ok(()));
        assert_eq!(may_manage_areas(&admin, w.other_org), Err(Denied::NotFound));
        for role in [Role::Researcher, Role::Lecturer, Role::Student] {
            let member = actor(vec![(w.org, role, None)], vec![]);
            assert_eq!(
                may_manage_areas(&member, w.org),
                Err(Denied::Forbidden),
                "{role:?}"
            );
        }
        let staff = actor(vec![(w.org, Role::Municipality, Some(w.muni))], vec![]);
        assert_eq!(may_manage_areas(&staff, w.org), Err(Denied::Forbidden));
    }
}
