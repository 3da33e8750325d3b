//! Every URL of the application, in one table: the router's page paths
//! ([`segment`], [`param`]), the server's own routes for files ([`files`]),
//! and the link builders the pages, the server functions and the redirects
//! use. Nothing else writes a path.

use crate::domain::ids::{BuildId, EditionId, MediaId, MunicipalityId, QuestionId, StoryId};

/// The path segments the pages are made of (Dutch URLs).
macro_rules! seg {
    (login) => {
        "inloggen"
    };
    (stories) => {
        "verhalen"
    };
    (new) => {
        "nieuw"
    };
    (edit) => {
        "bewerken"
    };
    (history) => {
        "geschiedenis"
    };
    (review) => {
        "beoordelen"
    };
    (curate) => {
        "samenstellen"
    };
    (notifications) => {
        "meldingen"
    };
    (booklets) => {
        "boekjes"
    };
    (guide) => {
        "vragenlijst"
    };
    (portal) => {
        "portaal"
    };
    (groups) => {
        "groepen"
    };
    (areas) => {
        "gebieden"
    };
    (editions) => {
        "edities"
    };
    (account) => {
        "account"
    };
    (accounts) => {
        "gebruikers"
    };
    (password_forgotten) => {
        "wachtwoord-vergeten"
    };
    (password_reset) => {
        "wachtwoord-herstellen"
    };
}

/// The static path segments of the pages, as the router matches them.
pub mod segment {
    /// `inloggen`
    pub const LOGIN: &str = seg!(login);
    /// `verhalen`
    pub const STORIES: &str = seg!(stories);
    /// `nieuw` (a new story)
    pub const NEW: &str = seg!(new);
    /// `bewerken` (a story's editor)
    pub const EDIT: &str = seg!(edit);
    /// `geschiedenis` (a story's revisions)
    pub const HISTORY: &str = seg!(history);
    /// `beoordelen`
    pub const REVIEW: &str = seg!(review);
    /// `samenstellen`
    pub const CURATE: &str = seg!(curate);
    /// `meldingen`
    pub const NOTIFICATIONS: &str = seg!(notifications);
    /// `boekjes`
    pub const BOOKLETS: &str = seg!(booklets);
    /// `vragenlijst`
    pub const GUIDE: &str = seg!(guide);
    /// `portaal`
    pub const PORTAL: &str = seg!(portal);
    /// `groepen`
    pub const GROUPS: &str = seg!(groups);
    /// `gebieden` (municipalities and neighbourhoods)
    pub const AREAS: &str = seg!(areas);
    /// `edities` (an organisation's years)
    pub const EDITIONS: &str = seg!(editions);
    /// `account` (one's own password and language)
    pub const ACCOUNT: &str = seg!(account);
    /// `gebruikers` (an organisation's accounts)
    pub const ACCOUNTS: &str = seg!(accounts);
    /// `wachtwoord-vergeten` (ask for a reset link)
    pub const PASSWORD_FORGOTTEN: &str = seg!(password_forgotten);
    /// `wachtwoord-herstellen` (the reset link's page)
    pub const PASSWORD_RESET: &str = seg!(password_reset);
}

/// The names of the pages' path parameters (`use_params_map`).
pub mod param {
    /// A story's id (`/verhalen/:id`).
    pub const STORY: &str = "id";
    /// A municipality's id on the portal and the curation page.
    pub const MUNICIPALITY: &str = "gemeente";
    /// An edition's year on the portal.
    pub const YEAR: &str = "jaar";
    /// A story's id on the portal.
    pub const PORTAL_STORY: &str = "verhaal";
}

/// The server's own routes (axum patterns, `{name}` for a parameter): file
/// uploads and downloads that are not server functions. The link builders
/// below fill them in.
pub mod files {
    /// A booklet build's screen PDF, `{file}` = `<build>.pdf`.
    pub const BOOKLET_PDF: &str = "/bestanden/boekjes/{file}";
    /// One file of a booklet build.
    pub const BOOKLET_FILE: &str = "/bestanden/boekjes/{build}/{file}";
    /// A story's photo uploads.
    pub const PHOTO_UPLOAD: &str = "/bestanden/verhalen/{story}/fotos";
    /// Starting a story's audio recording.
    pub const RECORDING_START: &str = "/bestanden/verhalen/{story}/opnames";
    /// One chunk of a recording.
    pub const RECORDING_CHUNK: &str = "/bestanden/media/{id}/stukken/{seq}";
    /// Finishing a recording.
    pub const RECORDING_FINISH: &str = "/bestanden/media/{id}/klaar";
    /// The resident's signature of a story's consent.
    pub const SIGNATURE: &str = "/bestanden/verhalen/{story}/handtekening";
    /// A photo, recording or signature.
    pub const MEDIA: &str = "/bestanden/media/{id}";
    /// A photo's thumbnail.
    pub const MEDIA_THUMB: &str = "/bestanden/media/{id}/klein";
    /// The health check of load balancers.
    pub const HEALTH: &str = "/gezond";
}

/// `pattern` with its `{…}` parameters replaced by `values`, in order.
fn fill(pattern: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(pattern.len() + 40);
    let mut values = values.iter();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        if let Some(v) = values.next() {
            out.push_str(&v.to_string());
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The start page.
pub const HOME: &str = "/";
/// Sign-in page.
pub const LOGIN: &str = concat!("/", seg!(login));
/// The student's list of stories.
pub const STORIES: &str = concat!("/", seg!(stories));
/// A new story.
pub const NEW_STORY: &str = concat!("/", seg!(stories), "/", seg!(new));
/// The lecturer's review queue.
pub const REVIEW: &str = concat!("/", seg!(review));
/// The researcher's curation page.
pub const CURATE: &str = concat!("/", seg!(curate));
/// The signed-in user's notifications.
pub const NOTIFICATIONS: &str = concat!("/", seg!(notifications));
/// Published booklets (municipality staff).
pub const BOOKLETS: &str = concat!("/", seg!(booklets));
/// The interview guide editor (researchers, admins).
pub const GUIDE: &str = concat!("/", seg!(guide));
/// Published booklets and stories (the public portal).
pub const PORTAL: &str = concat!("/", seg!(portal));
/// Study groups of an edition (admins, researchers).
pub const GROUPS: &str = concat!("/", seg!(groups));
/// The organisation's municipalities and neighbourhoods (admins).
pub const AREAS: &str = concat!("/", seg!(areas));
/// The organisation's editions: next year, status, consent text
/// (researchers, admins).
pub const EDITIONS: &str = concat!("/", seg!(editions));
/// One's own account: password and language (everyone signed in).
pub const ACCOUNT: &str = concat!("/", seg!(account));
/// The organisation's accounts: roles, deactivation, start passwords
/// (admins).
pub const ACCOUNTS: &str = concat!("/", seg!(accounts));
/// Asking for a password-reset link (open to visitors).
pub const PASSWORD_FORGOTTEN: &str = concat!("/", seg!(password_forgotten));
/// Choosing a new password with a reset link (open to visitors).
pub const PASSWORD_RESET: &str = concat!("/", seg!(password_reset));

/// A story's page.
pub fn story(id: StoryId) -> String {
    format!("{STORIES}/{id}")
}

/// A story's edit page.
pub fn edit_story(id: StoryId) -> String {
    format!("{STORIES}/{id}/{}", segment::EDIT)
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
    format!("{STORIES}/{id}/{}", segment::HISTORY)
}

/// The curation page of a municipality's booklet.
pub fn curate(municipality: MunicipalityId) -> String {
    format!("{CURATE}?gemeente={municipality}")
}

/// A booklet build's PDF (access-checked download).
pub fn booklet_pdf(id: BuildId) -> String {
    fill(files::BOOKLET_PDF, &[&format!("{id}.pdf")])
}

/// One file of a booklet build (access-checked download): `druk.pdf`,
/// `scherm.pdf`, `hoofdstuk-{n}.pdf` or `pagina-{n}.png`.
pub fn booklet_file(
    id: BuildId,
    kind: crate::domain::build::BuildOutputKind,
    ordinal: i64,
) -> String {
    fill(files::BOOKLET_FILE, &[&id, &kind.file_name(ordinal)])
}

/// A photo, recording or signature (access-checked download).
pub fn media(id: MediaId) -> String {
    fill(files::MEDIA, &[&id])
}

/// A photo's thumbnail (access-checked download).
pub fn media_thumb(id: MediaId) -> String {
    fill(files::MEDIA_THUMB, &[&id])
}

/// Where a story's photos are uploaded (multipart `POST`).
pub fn photo_upload(story: StoryId) -> String {
    fill(files::PHOTO_UPLOAD, &[&story])
}

/// Where the resident's signature is sent (JSON `POST`).
pub fn consent_signature(story: StoryId) -> String {
    fill(files::SIGNATURE, &[&story])
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
    fn links_fill_the_router_and_file_patterns() {
        let (s, m, b) = (StoryId::new(), MediaId::new(), BuildId::new());
        assert_eq!(story(s), format!("/verhalen/{s}"));
        assert_eq!(edit_story(s), format!("/verhalen/{s}/bewerken"));
        assert_eq!(
            edit_story_after_submit(s),
            format!("/verhalen/{s}/bewerken?indienen=1")
        );
        assert_eq!(story_history(s), format!("/verhalen/{s}/geschiedenis"));
        assert_eq!(NEW_STORY, "/verhalen/nieuw");
        assert_eq!(booklet_pdf(b), format!("/bestanden/boekjes/{b}.pdf"));
        assert_eq!(
            booklet_file(b, crate::domain::build::BuildOutputKind::Chapter, 2),
            format!("/bestanden/boekjes/{b}/hoofdstuk-2.pdf")
        );
        assert_eq!(media(m), format!("/bestanden/media/{m}"));
        assert_eq!(media_thumb(m), format!("/bestanden/media/{m}/klein"));
        assert_eq!(photo_upload(s), format!("/bestanden/verhalen/{s}/fotos"));
        assert_eq!(
            consent_signature(s),
            format!("/bestanden/verhalen/{s}/handtekening")
        );
        assert_eq!(
            recording_start(s),
            format!("/bestanden/verhalen/{s}/opnames")
        );
        assert_eq!(
            recording_chunk(m, 7),
            format!("/bestanden/media/{m}/stukken/7")
        );
        assert_eq!(recording_finish(m), format!("/bestanden/media/{m}/klaar"));
        for page in [
            LOGIN,
            STORIES,
            REVIEW,
            CURATE,
            NOTIFICATIONS,
            BOOKLETS,
            GUIDE,
            PORTAL,
            GROUPS,
        ] {
            assert!(page.starts_with('/') && !page[1..].contains('/'), "{page}");
        }
    }

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
    const EDITIONS_PAGE: RoleHome = RoleHome {
        href: EDITIONS,
        name: ("Edities", "Editions"),
        text: (
            "Het nieuwe jaar aanmaken vanuit het vorige, een editie sluiten of publiceren, de toestemmingstekst bijwerken.",
            "Create the new year from the previous one, close or publish an edition, update the consent text.",
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
            EDITIONS_PAGE,
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
        Role::Admin => &[
            RoleHome {
                href: AREAS,
                name: ("Gemeenten en wijken", "Municipalities and neighbourhoods"),
                text: (
                    "Gemeenten en wijken met hun CBS-codes beheren, wijken uit een CBS-lijst inlezen, wijken archiveren.",
                    "Manage municipalities and neighbourhoods with their CBS codes, import neighbourhoods from a CBS list, archive neighbourhoods.",
                ),
            },
            RoleHome {
                href: ACCOUNTS,
                name: ("Gebruikers", "Users"),
                text: (
                    "Accounts zoeken, rollen geven en intrekken, accounts deactiveren, een nieuw startwachtwoord geven.",
                    "Find accounts, grant and revoke roles, deactivate accounts, give a new start password.",
                ),
            },
            EDITIONS_PAGE,
            GROUPS_PAGE,
            GUIDE_PAGE,
        ],
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
        assert_eq!(
            hrefs(&[Role::Researcher]),
            vec![CURATE, GUIDE, GROUPS, EDITIONS]
        );
        assert_eq!(
            hrefs(&[Role::Admin]),
            vec![AREAS, ACCOUNTS, EDITIONS, GROUPS, GUIDE]
        );
        assert_eq!(
            hrefs(&[Role::Researcher, Role::Admin]),
            vec![CURATE, GUIDE, GROUPS, EDITIONS, AREAS, ACCOUNTS]
        );
        assert_eq!(hrefs(&[Role::Student]), vec![STORIES]);
        let others = hrefs(&[Role::Student, Role::Lecturer, Role::Municipality]);
        assert!(!others.contains(&GUIDE) && !others.contains(&GROUPS));
        assert!(!others.contains(&EDITIONS) && !others.contains(&ACCOUNTS));
    }
}

/// Where an audio recording of a story is started (`POST`, JSON).
pub fn recording_start(story: StoryId) -> String {
    fill(files::RECORDING_START, &[&story])
}

/// Where chunk `seq` (from 0) of a recording is uploaded (`PUT`, raw bytes).
pub fn recording_chunk(media: MediaId, seq: u32) -> String {
    fill(files::RECORDING_CHUNK, &[&media, &seq])
}

/// Where a recording is finished (`POST`, JSON).
pub fn recording_finish(media: MediaId) -> String {
    fill(files::RECORDING_FINISH, &[&media])
}
