//! The portal: who may read a published booklet and its stories on the web.
//!
//! A municipality's published booklet of a year is read by the
//! organisation's researchers and administrators, by the staff of that
//! municipality, and — once the edition is made public — by anyone, signed
//! in or not. A story appears as a web page only while it is published and
//! the resident's consent (not withdrawn) includes the `web` scope: the
//! booklet scope covers print, not the web.

use super::access::{Actor, Denied, StoryScope};
use super::consent::ConsentScope;
use super::ids::{MunicipalityId, OrganisationId};
use super::lifecycle::StoryStatus;
use super::role::Role;

/// What the rules need to know about one published booklet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalScope {
    /// The organisation that made it.
    pub organisation: OrganisationId,
    /// The municipality it is about.
    pub municipality: MunicipalityId,
    /// Whether the edition is open to the public.
    pub public: bool,
}

/// Whether `reader` (`None`: not signed in) may read the published booklet.
/// Everyone else is told it does not exist ([`Denied::NotFound`]).
pub fn may_read(reader: Option<&Actor>, booklet: &PortalScope) -> Result<(), Denied> {
    if booklet.public {
        return Ok(());
    }
    let Some(actor) = reader else {
        return Err(Denied::NotFound);
    };
    if actor.has_role(booklet.organisation, Role::Researcher)
        || actor.has_role(booklet.organisation, Role::Admin)
        || actor
            .municipalities()
            .contains(&(booklet.organisation, booklet.municipality))
    {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Whether `actor` may open an edition of `organisation` to the public (or
/// close it again): its researchers and administrators.
pub fn may_set_public(actor: &Actor, organisation: OrganisationId) -> Result<(), Denied> {
    if actor.has_role(organisation, Role::Researcher) || actor.has_role(organisation, Role::Admin) {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Whether a story of a readable booklet is shown as a web page: it is
/// published and the resident's standing consent includes the web.
pub fn on_web(story: &StoryScope) -> bool {
    story.status == StoryStatus::Published && story.scopes.contains(ConsentScope::Web)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::tests_support::{actor_with, scope};
    use crate::domain::consent::ConsentScopes;
    use crate::domain::role::GroupRole;

    fn booklet(story: &StoryScope, public: bool) -> PortalScope {
        PortalScope {
            organisation: story.organisation,
            municipality: story.municipality,
            public,
        }
    }

    #[test]
    fn a_closed_booklet_is_read_by_its_organisation_and_municipality_only() {
        let s = scope(StoryStatus::Published);
        let b = booklet(&s, false);
        for role in [Role::Researcher, Role::Admin, Role::Municipality] {
            assert_eq!(
                may_read(Some(&actor_with(&s, None, Some(role))), &b),
                Ok(())
            );
        }
        for group_role in [GroupRole::Student, GroupRole::Lecturer] {
            assert_eq!(
                may_read(Some(&actor_with(&s, Some(group_role), None)), &b),
                Err(Denied::NotFound)
            );
        }
        assert_eq!(may_read(None, &b), Err(Denied::NotFound));
        // Staff of another municipality, researchers of another organisation.
        let other = scope(StoryStatus::Published);
        for role in [Role::Municipality, Role::Researcher] {
            assert_eq!(
                may_read(Some(&actor_with(&other, None, Some(role))), &b),
                Err(Denied::NotFound)
            );
        }
    }

    #[test]
    fn researchers_and_admins_open_an_edition_to_the_public() {
        let s = scope(StoryStatus::Published);
        for role in [Role::Researcher, Role::Admin] {
            let a = actor_with(&s, None, Some(role));
            assert_eq!(may_set_public(&a, s.organisation), Ok(()));
            assert_eq!(
                may_set_public(&a, scope(StoryStatus::Draft).organisation),
                Err(Denied::NotFound)
            );
        }
        let staff = actor_with(&s, None, Some(Role::Municipality));
        assert_eq!(
            may_set_public(&staff, s.organisation),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn a_public_booklet_is_read_by_anyone() {
        let s = scope(StoryStatus::Published);
        let b = booklet(&s, true);
        assert_eq!(may_read(None, &b), Ok(()));
        let stranger = actor_with(&scope(StoryStatus::Draft), Some(GroupRole::Student), None);
        assert_eq!(may_read(Some(&stranger), &b), Ok(()));
    }

    #[test]
    fn only_published_stories_with_web_consent_are_pages() {
        let mut s = scope(StoryStatus::Published);
        assert!(on_web(&s));
        s.scopes = ConsentScopes::none();
        assert!(!on_web(&s), "withdrawn consent has no scopes");
        let mut booklet_only = ConsentScopes::none();
        booklet_only.insert(ConsentScope::Research);
        booklet_only.insert(ConsentScope::Booklet);
        s.scopes = booklet_only;
        assert!(!on_web(&s), "the booklet scope does not cover the web");
        for status in StoryStatus::ALL {
            let story = scope(status);
            assert_eq!(
                on_web(&story),
                status == StoryStatus::Published,
                "{status:?}"
            );
        }
    }
}
