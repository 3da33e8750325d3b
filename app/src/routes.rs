//! URLs of pages and downloads, in one place.

use crate::domain::ids::{BuildId, EditionId, MediaId, MunicipalityId, QuestionId, StoryId};

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
/// The signed-in user's notifications.
pub const NOTIFICATIONS: &str = "/meldingen";
/// Published booklets (municipality staff).
pub const BOOKLETS: &str = "/boekjes";
/// The interview guide editor (researchers, admins).
pub const GUIDE: &str = "/vragenlijst";
/// Published booklets and stories (the public portal).
pub const PORTAL: &str = "/portaal";
/// Study groups of an edition (admins, researchers).
pub const GROUPS: &str = "/groepen";

/// A story's page.
pub fn story(id: StoryId) -> String {
    format!("/verhalen/{id}")
}

/// A story's edit page.
pub fn edit_story(id: StoryId) -> String {
    format!("/verhalen/{id}/bewerken")
}

/// The query parameter that marks an edit page reached by a refused
/// hand-in (without JavaScript): the page then lists what is missing.
pub const TRIED_SUBMIT: &str = "indienen";

/// A story's edit page after a refused hand-in: the problems are shown.
pub fn edit_story_after_submit(id: StoryId) -> String {
    format!("{}?{TRIED_SUBMIT}=1", edit_story(id))
}

/// A story's history (revisions and comparisons).
pub fn story_history(id: StoryId) -> String {
    format!("/verhalen/{id}/geschiedenis")
}

/// A booklet build's PDF (access-checked download).
pub fn booklet_pdf(id: BuildId) -> String {
    format!("/bestanden/boekjes/{id}.pdf")
}

/// One file of a booklet build (access-checked download): `druk.pdf`,
/// `scherm.pdf`, `hoofdstuk-{n}.pdf` or `pagina-{n}.png`.
pub fn booklet_file(
    id: BuildId,
    kind: crate::domain::build::BuildOutputKind,
    ordinal: i64,
) -> String {
    format!("/bestanden/boekjes/{id}/{}", kind.file_name(ordinal))
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

/// A municipality's published booklet of `year` on the portal.
pub fn portal_booklet(municipality: MunicipalityId, year: i64) -> String {
    format!("{PORTAL}/{municipality}/{year}")
}

/// A published story's page on the portal.
pub fn portal_story(municipality: MunicipalityId, year: i64, story: StoryId) -> String {
    format!("{PORTAL}/{municipality}/{year}/{story}")
}

/// The groups of an edition.
pub fn groups(edition: EditionId) -> String {
    format!("{GROUPS}?editie={edition}")
}

/// The interview guide of an edition.
pub fn guide(edition: EditionId) -> String {
    format!("{GUIDE}?editie={edition}")
}

/// The interview guide of an edition, scrolled to one question.
pub fn guide_at(edition: EditionId, question: QuestionId) -> String {
    format!(
        "{}#{}",
        guide(edition),
        question_anchor(&question.to_string())
    )
}

/// The element id of a question in the guide editor (`key` is a question id,
/// or `nieuw` for the add form).
pub fn question_anchor(key: &str) -> String {
    format!("vraag-{key}")
}

/// Where a refused form post of the guide editor returns to: the page it
/// came from (only its path and query, and only if it is the guide editor),
/// without the previous attempt's parameters, plus `params`.
pub fn guide_return(referer: Option<&str>, params: &[(&str, String)]) -> String {
    const OURS: [&str; 6] = ["vraag", "tekst", "hulp", "verplicht", "__err", "__path"];
    let local = referer
        .map(|r| match r.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => r,
        })
        .unwrap_or(GUIDE);
    let local = local.split('#').next().unwrap_or_default();
    let (path, query) = local.split_once('?').unwrap_or((local, ""));
    let mut pairs: Vec<String> = if path == GUIDE {
        query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .filter(|kv| !OURS.contains(&kv.split('=').next().unwrap_or_default()))
            .map(String::from)
            .collect()
    } else {
        Vec::new()
    };
    pairs.extend(
        params
            .iter()
            .map(|(k, v)| format!("{}={}", query_encode(k), query_encode(v))),
    );
    if pairs.is_empty() {
        GUIDE.to_string()
    } else {
        format!("{GUIDE}?{}", pairs.join("&"))
    }
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved
/// characters, byte by byte in UTF-8).
pub fn query_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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

    #[test]
    fn refused_guide_posts_return_to_the_guide_with_the_typed_text() {
        let e = EditionId::new();
        let typed = [
            ("vraag", "nieuw".to_string()),
            ("tekst", "Wat is “thuis”? 100% & meer".to_string()),
        ];
        assert_eq!(
            guide_return(
                Some(&format!(
                    "http://127.0.0.1:3000/vragenlijst?editie={e}&vraag=x&tekst=oud&__err=abc&__path=%2Fapi#vraag-x"
                )),
                &typed
            ),
            format!("/vragenlijst?editie={e}&vraag=nieuw&tekst=Wat%20is%20%E2%80%9Cthuis%E2%80%9D%3F%20100%25%20%26%20meer")
        );
        // Only ever back to the guide, never to another page or host.
        assert_eq!(
            guide_return(Some("https://evil.example/elders?x=1"), &[]),
            "/vragenlijst"
        );
        assert_eq!(guide_return(None, &typed[..1]), "/vragenlijst?vraag=nieuw");
        let q = QuestionId::new();
        assert_eq!(guide_at(e, q), format!("/vragenlijst?editie={e}#vraag-{q}"));
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

/// The pages of `role`'s work (the first is where it starts), with their
/// names and descriptions.
pub fn role_pages(role: crate::domain::role::Role) -> &'static [RoleHome] {
    use crate::domain::role::Role;
    const GUIDE_PAGE: RoleHome = RoleHome {
        href: GUIDE,
        name: ("Vragenlijst", "Interview guide"),
        text: (
            "De interviewvragen van een editie opstellen, ordenen en archiveren.",
            "Write, order and archive the interview questions of an edition.",
        ),
    };
    const GROUPS_PAGE: RoleHome = RoleHome {
        href: GROUPS,
        name: ("Groepen", "Groups"),
        text: (
            "Groepen per editie aanmaken, studenten en docenten toevoegen, wijken toewijzen.",
            "Create groups per edition, add students and lecturers, assign neighbourhoods.",
        ),
    };
    match role {
        Role::Student => &[RoleHome {
            href: STORIES,
            name: ("Mijn verhalen", "My stories"),
            text: (
                "Interviews vastleggen, bewerken en indienen.",
                "Record, edit and submit interviews.",
            ),
        }],
        Role::Lecturer => &[RoleHome {
            href: REVIEW,
            name: ("Beoordelen", "Review"),
            text: (
                "Ingediende verhalen van uw groepen lezen, becommentariëren en goedkeuren.",
                "Read, comment on and approve your groups' submitted stories.",
            ),
        }],
        Role::Researcher => &[
            RoleHome {
                href: CURATE,
                name: ("Boekje samenstellen", "Compose booklet"),
                text: (
                    "Goedgekeurde verhalen kiezen en het boekje bouwen en publiceren.",
                    "Select approved stories, build and publish the booklet.",
                ),
            },
            GUIDE_PAGE,
            GROUPS_PAGE,
        ],
        Role::Municipality => &[
            RoleHome {
                href: BOOKLETS,
                name: ("Boekjes", "Booklets"),
                text: (
                    "De gepubliceerde boekjes van uw gemeente downloaden.",
                    "Download your municipality's published booklets.",
                ),
            },
            RoleHome {
                href: PORTAL,
                name: ("Verhalen lezen", "Read the stories"),
                text: (
                    "De gepubliceerde verhalen per wijk online lezen.",
                    "Read the published stories per neighbourhood online.",
                ),
            },
        ],
        Role::Admin => &[GROUPS_PAGE, GUIDE_PAGE],
    }
}

/// The pages of all of a user's roles, in role order, each once.
pub fn pages_for(roles: &[crate::domain::role::Role]) -> Vec<RoleHome> {
    let mut pages: Vec<RoleHome> = Vec::new();
    for page in roles.iter().flat_map(|r| role_pages(*r)) {
        if !pages.iter().any(|p| p.href == page.href) {
            pages.push(*page);
        }
    }
    pages
}

#[cfg(test)]
mod role_tests {
    use super::*;
    use crate::domain::role::Role;

    #[test]
    fn researchers_and_admins_reach_the_guide_and_groups_once() {
        let hrefs =
            |roles: &[Role]| -> Vec<&str> { pages_for(roles).iter().map(|p| p.href).collect() };
        assert_eq!(hrefs(&[Role::Researcher]), vec![CURATE, GUIDE, GROUPS]);
        assert_eq!(hrefs(&[Role::Admin]), vec![GROUPS, GUIDE]);
        assert_eq!(
            hrefs(&[Role::Researcher, Role::Admin]),
            vec![CURATE, GUIDE, GROUPS]
        );
        assert_eq!(hrefs(&[Role::Student]), vec![STORIES]);
        let others = hrefs(&[Role::Student, Role::Lecturer, Role::Municipality]);
        assert!(!others.contains(&GUIDE) && !others.contains(&GROUPS));
    }
}

/// Where an audio recording of a story is started (`POST`, JSON).
pub fn recording_start(story: StoryId) -> String {
    format!("/bestanden/verhalen/{story}/opnames")
}

/// Where chunk `seq` (from 0) of a recording is uploaded (`PUT`, raw bytes).
pub fn recording_chunk(media: MediaId, seq: u32) -> String {
    format!("/bestanden/media/{media}/stukken/{seq}")
}

/// Where a recording is finished (`POST`, JSON).
pub fn recording_finish(media: MediaId) -> String {
    format!("/bestanden/media/{media}/klaar")
}
