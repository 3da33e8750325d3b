//! URLs of pages and downloads, in one place.

use crate::domain::ids::{BuildId, StoryId};

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

/// A booklet build's PDF (access-checked download).
pub fn booklet_pdf(id: BuildId) -> String {
    format!("/bestanden/boekjes/{id}.pdf")
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
