//! URLs of pages and downloads, in one place.

use crate::domain::ids::{BuildId, MediaId, StoryId};

/// Sign-in page.
pub const LOGIN: &str = "/inloggen";
/// The student's list of stories.
pub const STORIES: &str = "/verhalen";
/// A new story.
pub const NEW_STORY: &str = "/verhalen/nieuw";
/// The lecturer's review queue.
pub const REVIEW: &str = "/beoordelen";
/// The researcher's curation page.
pub const CURATE: &str = "/samenstellen";
/// Published booklets (municipality staff).
pub const BOOKLETS: &str = "/boekjes";

/// A story's page.
pub fn story(id: StoryId) -> String {
    format!("/verhalen/{id}")
}

/// A story's edit page.
pub fn edit_story(id: StoryId) -> String {
    format!("/verhalen/{id}/bewerken")
}

/// A story's history (revisions and comparisons).
pub fn story_history(id: StoryId) -> String {
    format!("/verhalen/{id}/geschiedenis")
}

/// A booklet build's PDF (access-checked download).
pub fn booklet_pdf(id: BuildId) -> String {
    format!("/bestanden/boekjes/{id}.pdf")
}

/// A photo, recording or signature (access-checked download).
pub fn media(id: MediaId) -> String {
    format!("/bestanden/media/{id}")
}

/// A photo's thumbnail (access-checked download).
pub fn media_thumb(id: MediaId) -> String {
    format!("/bestanden/media/{id}/klein")
}

/// Where a story's photos are uploaded (multipart `POST`).
pub fn photo_upload(story: StoryId) -> String {
    format!("/bestanden/verhalen/{story}/fotos")
}

/// Where the resident's signature is sent (JSON `POST`).
pub fn consent_signature(story: StoryId) -> String {
    format!("/bestanden/verhalen/{story}/handtekening")
}

/// Whether `next` is a safe place to send a user after signing in: a local
/// path, not `//host` or a full URL.
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_safe() {
        assert!(is_local_path("/verhalen"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path(""));
    }
}

/// Where a role's work starts, with its name and a one-line description
/// (Dutch, English): the navigation and the start page show these.
#[derive(Debug, Clone, Copy)]
pub struct RoleHome {
    /// The page.
    pub href: &'static str,
    /// Its name.
    pub name: (&'static str, &'static str),
    /// What the role does there.
    pub text: (&'static str, &'static str),
}

/// The start of `role`'s work, if the role has pages of its own (admins
/// have none yet).
pub fn role_home(role: crate::domain::role::Role) -> Option<RoleHome> {
    use crate::domain::role::Role;
    let (href, name, text) = match role {
        Role::Student => (
            STORIES,
            ("Mijn verhalen", "My stories"),
            (
                "Interviews vastleggen, bewerken en indienen.",
                "Record, edit and submit interviews.",
            ),
        ),
        Role::Lecturer => (
            REVIEW,
            ("Beoordelen", "Review"),
            (
                "Ingediende verhalen van uw groepen lezen, becommentariëren en goedkeuren.",
                "Read, comment on and approve your groups' submitted stories.",
            ),
        ),
        Role::Researcher => (
            CURATE,
            ("Boekje samenstellen", "Compose booklet"),
            (
                "Goedgekeurde verhalen kiezen en het boekje bouwen en publiceren.",
                "Select approved stories, build and publish the booklet.",
            ),
        ),
        Role::Municipality => (
            BOOKLETS,
            ("Boekjes", "Booklets"),
            (
                "De gepubliceerde boekjes van uw gemeente downloaden.",
                "Download your municipality's published booklets.",
            ),
        ),
        Role::Admin => return None,
    };
    Some(RoleHome { href, name, text })
}
