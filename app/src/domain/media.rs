//! Media of a story: photos, the audio recording of the interview, the
//! resident's consent signature — and who may add or see each.
//!
//! Media are personal data like the text, with one extra rule each: a photo
//! needs the resident's `photos` consent, a recording the `audio` consent.
//! The checks here are pure; the upload and download handlers ask them before
//! touching any bytes.

use super::access::{read_role, Actor, Denied, StoryScope};
use super::consent::ConsentScope;
use super::role::Role;
use super::Message;
use serde::{Deserialize, Serialize};

/// What kind of medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A photo taken or picked during the interview.
    Photo,
    /// The audio recording of the interview.
    Audio,
    /// The resident's signature under the consent text.
    Signature,
}

impl MediaKind {
    /// The stable text form (database).
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Audio => "audio",
            MediaKind::Signature => "signature",
        }
    }

    /// Parses the text form.
    pub fn parse(s: &str) -> Option<MediaKind> {
        [MediaKind::Photo, MediaKind::Audio, MediaKind::Signature]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The consent scope this kind of medium needs, if any.
    pub fn required_scope(self) -> Option<ConsentScope> {
        match self {
            MediaKind::Photo => Some(ConsentScope::Photos),
            MediaKind::Audio => Some(ConsentScope::Audio),
            MediaKind::Signature => None,
        }
    }
}

/// Why a medium cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaRefusal {
    /// Not this user's business (not found / not allowed).
    Denied(Denied),
    /// The resident did not consent to this kind of medium.
    NoConsent(Message),
}

/// Whether `actor` may add a medium of `kind` to the story: the story must be
/// editable by them (a student of its group, while it is a draft or changes
/// were requested) and the resident must have consented.
pub fn may_add_media(
    actor: &Actor,
    story: &StoryScope,
    kind: MediaKind,
) -> Result<(), MediaRefusal> {
    super::access::may_edit(actor, story).map_err(MediaRefusal::Denied)?;
    match kind.required_scope() {
        Some(scope) if !story.scopes.contains(scope) => Err(MediaRefusal::NoConsent(match scope {
            ConsentScope::Audio => Message::new(
                "Opnemen kan alleen als de bewoner toestemming geeft voor een geluidsopname. Vink dat aan bij ‘Toestemming’ (en laat het interview opslaan).",
                "Recording is only possible when the resident consents to an audio recording. Tick it under ‘Consent’ (and let the interview save).",
            ),
            _ => Message::new(
                "Foto's toevoegen kan alleen als de bewoner toestemming geeft voor foto's. Vink dat aan bij ‘Toestemming’ (en laat het interview opslaan).",
                "Photos can only be added when the resident consents to photos. Tick it under ‘Consent’ (and let the interview save).",
            ),
        })),
        _ => Ok(()),
    }
}

/// Whether `actor` may see or hear a medium of `kind` of the story.
///
/// The group's students, its lecturers and the organisation's researchers
/// (whoever may read the story) see photos, hear the recording and see the
/// signature — lecturers and researchers only while the resident's consent
/// for that kind of medium stands. Municipality staff and admins see none:
/// they read no story record, only what was published (the booklet).
pub fn may_view_media(actor: &Actor, story: &StoryScope, kind: MediaKind) -> Result<(), Denied> {
    // A photo or recording whose consent the resident withdrew (or never
    // gave) is kept from everyone but the story's own students, who must
    // still see it to remove it.
    let consented = kind
        .required_scope()
        .is_none_or(|scope| story.scopes.contains(scope));
    match (read_role(actor, story)?, kind) {
        (Role::Student, _) => Ok(()),
        (Role::Lecturer | Role::Researcher, _) if consented => Ok(()),
        _ => Err(Denied::NotFound),
    }
}

/// Whether `actor` may remove a medium of the story (the same people who may
/// add one, consent aside: a photo must be removable after consent changed).
pub fn may_remove_media(actor: &Actor, story: &StoryScope) -> Result<(), Denied> {
    super::access::may_edit(actor, story)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::tests_support::{actor_with, scope};
    use crate::domain::consent::ConsentScopes;
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::role::GroupRole;

    #[test]
    fn kinds_round_trip() {
        for k in [MediaKind::Photo, MediaKind::Audio, MediaKind::Signature] {
            assert_eq!(MediaKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MediaKind::parse("video"), None);
    }

    #[test]
    fn adding_needs_an_editable_story_and_the_matching_consent() {
        let mut s = scope(StoryStatus::Draft);
        let student = actor_with(&s, Some(GroupRole::Student), None);
        s.scopes = ConsentScopes::from_iter([ConsentScope::Research]);
        assert!(
            matches!(may_add_media(&student, &s, MediaKind::Photo), Err(MediaRefusal::NoConsent(m)) if m.nl.contains("foto"))
        );
        assert!(
            matches!(may_add_media(&student, &s, MediaKind::Audio), Err(MediaRefusal::NoConsent(m)) if m.nl.contains("geluidsopname"))
        );
        assert_eq!(may_add_media(&student, &s, MediaKind::Signature), Ok(()));
        s.scopes = ConsentScopes::from_iter([
            ConsentScope::Research,
            ConsentScope::Photos,
            ConsentScope::Audio,
        ]);
        assert_eq!(may_add_media(&student, &s, MediaKind::Photo), Ok(()));
        assert_eq!(may_add_media(&student, &s, MediaKind::Audio), Ok(()));
        // Not once handed in, and never by a lecturer.
        let submitted = StoryScope {
            status: StoryStatus::Submitted,
            ..s
        };
        assert!(may_add_media(&student, &submitted, MediaKind::Photo).is_err());
        let lecturer = actor_with(&s, Some(GroupRole::Lecturer), None);
        assert!(may_add_media(&lecturer, &submitted, MediaKind::Photo).is_err());
    }

    #[test]
    fn viewing_follows_reading_and_the_consent_for_that_medium() {
        let mut s = scope(StoryStatus::Published);
        s.scopes = ConsentScopes::from_iter([ConsentScope::Research, ConsentScope::Web]);
        let lecturer = actor_with(&s, Some(GroupRole::Lecturer), None);
        let student = actor_with(&s, Some(GroupRole::Student), None);
        let muni = actor_with(&s, None, Some(Role::Municipality));
        let researcher = actor_with(&s, None, Some(Role::Researcher));
        // Without (or after withdrawing) photo and audio consent, only the
        // story's own students still see them, to remove them.
        for kind in [MediaKind::Photo, MediaKind::Audio] {
            assert_eq!(may_view_media(&student, &s, kind), Ok(()));
            assert_eq!(may_view_media(&lecturer, &s, kind), Err(Denied::NotFound));
            assert_eq!(may_view_media(&researcher, &s, kind), Err(Denied::NotFound));
            assert_eq!(may_view_media(&muni, &s, kind), Err(Denied::NotFound));
        }
        assert_eq!(may_view_media(&lecturer, &s, MediaKind::Signature), Ok(()));
        assert_eq!(
            may_view_media(&muni, &s, MediaKind::Signature),
            Err(Denied::NotFound)
        );
        s.scopes.insert(ConsentScope::Audio);
        assert_eq!(may_view_media(&lecturer, &s, MediaKind::Audio), Ok(()));
        assert_eq!(may_view_media(&researcher, &s, MediaKind::Audio), Ok(()));
        assert_eq!(
            may_view_media(&muni, &s, MediaKind::Audio),
            Err(Denied::NotFound)
        );
        s.scopes.insert(ConsentScope::Photos);
        assert_eq!(may_view_media(&lecturer, &s, MediaKind::Photo), Ok(()));
        // Municipality staff read the published booklet, not the story's media.
        assert_eq!(
            may_view_media(&muni, &s, MediaKind::Photo),
            Err(Denied::NotFound)
        );
        assert_eq!(
            may_view_media(&muni, &s, MediaKind::Audio),
            Err(Denied::NotFound)
        );
        // A stranger sees nothing; a withdrawn story shows nothing to anyone.
        let stranger = actor_with(&scope(StoryStatus::Draft), Some(GroupRole::Student), None);
        assert_eq!(
            may_view_media(&stranger, &s, MediaKind::Photo),
            Err(Denied::NotFound)
        );
        let withdrawn = StoryScope {
            status: StoryStatus::Withdrawn,
            ..s
        };
        assert_eq!(
            may_view_media(&lecturer, &withdrawn, MediaKind::Photo),
            Err(Denied::NotFound)
        );
    }
}
