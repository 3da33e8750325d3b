//! The booklet's files checked with poppler (`pdfinfo`, `pdftotext`,
//! `pdfimages`), on SQLite and on PostgreSQL: print edition with bleed,
//! screen edition as PDF/A + PDF/UA, one PDF per chapter, page previews;
//! consent decides which stories, names and photos are printed; user text is
//! printed literally; identical input reuses the build; who may download.

mod common;

use app::domain::ids::{BuildId, StoryId};
use app::model::{BuildOutputKind, BuildStatus, BuildView, CurationView, NewStoryForm};
use common::{Backend, TestApp, User};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::json;
use std::process::Command;

/// Strings that mean something in typst markup or HTML.
const INJECTION: &str = r#"#panic("x") $x$ <b> @ref ]"#;

/// Residents' languages and students' emoji (joiners, skin tone, flags), and
/// one character no bundled font has (Egyptian hieroglyph A001, U+13000).
const WORLD: &str = "Elke ochtend vers brood. مرحبا بالجيران · שלום · नमस्ते · สวัสดี · ⴰⵣⵓⵍ · \
                     你好 · こんにちは · 안녕하세요 · 👩‍👧 🏳️‍🌈 👍🏽 🇳🇱 \u{13000} einde.";

struct NewStory<'a> {
    title: &'a str,
    pseudonym: &'a str,
    /// The real first name, as the student types it in the editor.
    first_name: &'a str,
    neighbourhood: usize,
    scopes: &'a str,
    answer: &'a str,
    /// A photo (width, height, alt text) uploaded while `photos` is allowed.
    photo: Option<(u32, u32, &'a str)>,
}

/// A story written by `student`, approved, and selected by `researcher`.
async fn selected_story(
    app: &TestApp,
    student: &User,
    researcher: &User,
    s: NewStory<'_>,
) -> StoryId {
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let mut fields = json!({
        "neighbourhood": f.groups[0].neighbourhoods[s.neighbourhood].id,
        "title": s.title,
        "pseudonym": s.pseudonym,
        "first_name": s.first_name,
        "scopes": s.scopes,
        "witness_name": "Sanne Hermans",
    });
    fields[common::answer_key(f.questions[0].id)] = json!(s.answer);
    student.autosave_ok(&common::patch(&f, 0, fields)).await;
    if let Some((w, h, alt)) = s.photo {
        let form = Form::new()
            .part(
                "foto",
                Part::bytes(testdata::jpeg_of_size(w, h))
                    .file_name("foto.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
            .text("bijschrift", format!("Bijschrift {}", s.title))
            .text("beschrijving", alt.to_string());
        let r = student
            .http
            .post(format!(
                "{}/bestanden/verhalen/{}/fotos",
                student.base, f.story_id
            ))
            .header("accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
    // The student, who is still writing, sees the first name again.
    let d: app::model::StoryDetail = student
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(
        d.resident.first_name.as_deref(),
        Some(s.first_name).filter(|n| !n.is_empty())
    );
    // The review itself is tested elsewhere (journey.rs).
    sqlx::query("UPDATE story SET status = 'approved' WHERE id = $1")
        .bind(f.story_id.to_string())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = f.story_id.to_string();
    let _: () = researcher
        .ok("curation_select", &[("story", &id), ("selected", "true")])
        .await;
    f.story_id
}

/// Changes a story's consent scopes, as a resident withdrawing part of it.
async fn set_scopes(app: &TestApp, story: StoryId, scopes: &str) {
    sqlx::query(
        "UPDATE consent SET scopes = $2 WHERE id = (SELECT consent_id FROM story WHERE id = $1)",
    )
    .bind(story.to_string())
    .bind(scopes)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn build(researcher: &User, municipality: &str) -> BuildView {
    let id: BuildId = researcher
        .ok("booklet_build", &[("municipality", municipality)])
        .await;
    for _ in 0..900 {
        let b: BuildView = researcher
            .ok("booklet_status", &[("build", &id.to_string())])
            .await;
        if matches!(b.status, BuildStatus::Done | BuildStatus::Failed) {
            assert_eq!(b.status, BuildStatus::Done, "{:?}", b.error);
            return b;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("build did not finish in 180 s");
}

/// Runs a poppler tool on `pdf` and returns its standard output.
fn poppler(app: &TestApp, tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = app.data_dir.join(format!("{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn download(u: &User, url: &str) -> Vec<u8> {
    let r = u.get(url).await;
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.bytes().await.unwrap().to_vec()
}

fn url(b: &BuildView, kind: BuildOutputKind, n: i64) -> String {
    app::routes::booklet_file(b.id, kind, n)
}

/// The images `pdfimages -list` finds, as (page, width, height).
fn images(app: &TestApp, pdf: &[u8]) -> Vec<(u32, u32, u32)> {
    poppler(app, "pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Some((
                f.first()?.parse().ok()?,
                f.get(3)?.parse().ok()?,
                f.get(4)?.parse().ok()?,
            ))
        })
        .collect()
}

async fn booklet_files(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let municipality = app.login("gemeente@sittard-geleen.example").await;
    let anonymous = app.client();

    let all = "research,booklet,web,photos,real_first_name";
    let a = selected_story(
        &app,
        &student,
        &researcher,
        NewStory {
            title: "Aardbeien op de markt",
            pseudonym: "Mevrouw Appel",
            first_name: "Annelies",
            neighbourhood: 0,
            scopes: all,
            answer: &format!("Letterlijk: {INJECTION} einde."),
            photo: Some((640, 480, "Een marktkraam vol aardbeien")),
        },
    )
    .await;
    let b = selected_story(
        &app,
        &student,
        &researcher,
        NewStory {
            title: "Bakker op de hoek",
            pseudonym: "Meneer Brood",
            first_name: "",
            neighbourhood: 1,
            scopes: all,
            answer: WORLD,
            photo: Some((300, 200, "De etalage van de bakker")),
        },
    )
    .await;
    let c = selected_story(
        &app,
        &student,
        &researcher,
        NewStory {
            title: "Carnaval in de straat",
            pseudonym: "Vrouw Confetti",
            first_name: "Cor",
            neighbourhood: 0,
            scopes: "research,booklet,web",
            answer: "Alaaf door de hele straat.",
            photo: None,
        },
    )
    .await;
    let d = selected_story(
        &app,
        &student,
        &researcher,
        NewStory {
            title: "Duiven op het dak",
            pseudonym: "Meneer Duif",
            first_name: "",
            neighbourhood: 1,
            scopes: all,
            answer: "Geheim-duivenverhaal.",
            photo: None,
        },
    )
    .await;
    // Chapters in the order their first story was selected (neighbourhood
    // 0: a, c; neighbourhood 1: b, d); story c moves to the top of its
    // chapter: print order c, a, b, d.
    let before: CurationView = researcher.ok("curation", &[]).await;
    let _: () = researcher
        .ok(
            "curation_move",
            &[
                ("story", &c.to_string()),
                ("to", "0"),
                ("version", &before.order_version.to_string()),
            ],
        )
        .await;
    // Consent changed after selection: b no longer allows photos, d no
    // longer allows the booklet. c's resident gave a first name but did
    // not allow it to be printed.
    set_scopes(&app, b, "research,booklet,web").await;
    set_scopes(&app, d, "research,web").await;

    let view: CurationView = researcher.ok("curation", &[]).await;
    let muni = view.municipality.id.to_string();
    let built = build(&researcher, &muni).await;

    // The listed files: screen, print, one per chapter; a preview per page.
    let kinds: Vec<(BuildOutputKind, i64)> =
        built.outputs.iter().map(|o| (o.kind, o.ordinal)).collect();
    assert_eq!(
        kinds,
        vec![
            (BuildOutputKind::Screen, 0),
            (BuildOutputKind::Print, 0),
            (BuildOutputKind::Chapter, 1),
            (BuildOutputKind::Chapter, 2),
        ]
    );
    let screen_pages = built.page_count.expect("pages");
    // The build never fails on text: what no font has is listed, with its story.
    let missing: Vec<(Option<StoryId>, &str, String, usize)> = built
        .missing_glyphs
        .iter()
        .map(|m| (m.story_id, m.place.as_str(), m.code_point(), m.count))
        .collect();
    assert_eq!(
        missing,
        vec![(Some(b), "Bakker op de hoek", "U+13000".to_string(), 1)]
    );
    assert_eq!(built.preview_pages, screen_pages);
    assert!(built.outputs.iter().all(|o| o.bytes > 0 && o.pages > 0));
    assert!(built.outputs[2].label_nl.starts_with("Hoofdstuk 1: "));

    // Screen edition: A5, tagged, Dutch, PDF/A-2 and PDF/UA-1.
    let screen = download(&researcher, &url(&built, BuildOutputKind::Screen, 0)).await;
    let info = poppler(&app, "pdfinfo", &[], &screen);
    assert!(
        info.contains("Page size:       419.528 x 595.276 pts"),
        "A5: {info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        String::from_utf8_lossy(&screen).contains("/Lang(nl)"),
        "language nl"
    );
    let meta = poppler(&app, "pdfinfo", &["-meta"], &screen);
    assert!(
        meta.contains("pdfaid:part>2<") || meta.contains("pdfaid:part=\"2\""),
        "{meta}"
    );
    assert!(
        meta.contains("pdfuaid:part>1<") || meta.contains("pdfuaid:part=\"1\""),
        "{meta}"
    );
    // The old URL still serves the screen edition.
    let legacy = download(&researcher, built.download_url.as_deref().unwrap()).await;
    assert_eq!(legacy, screen);

    // Print edition: 3 mm bleed on every side (154 × 216 mm), trim box A5.
    let print = download(&researcher, &url(&built, BuildOutputKind::Print, 0)).await;
    let info = poppler(&app, "pdfinfo", &["-box"], &print);
    assert!(
        info.contains("Page size:       436.535 x 612.283 pts"),
        "bleed: {info}"
    );
    let squashed = info.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squashed.contains("TrimBox: 8.50 8.50 428.03 603.78"),
        "trimmed A5, 3 mm in from every edge: {info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");

    // Readers of the story never see the real first name.
    let detail: app::model::StoryDetail =
        researcher.ok("story_get", &[("id", &a.to_string())]).await;
    assert_eq!(detail.resident.first_name, None);
    let own: app::model::StoryDetail = student.ok("story_get", &[("id", &c.to_string())]).await;
    assert_eq!(own.resident.first_name, None, "not editable once approved");

    // Text: chosen order, literal injection strings, names by consent.
    let text = poppler(&app, "pdftotext", &[], &screen).replace('\n', " ");
    let pos = |needle: &str| {
        text.rfind(needle)
            .unwrap_or_else(|| panic!("{needle} not in the PDF: {text}"))
    };
    assert!(pos("Carnaval in de straat") < pos("Aardbeien op de markt"));
    assert!(pos("Aardbeien op de markt") < pos("Bakker op de hoek"));
    assert!(!text.contains("Duiven op het dak"), "no booklet consent");
    assert!(!text.contains("Geheim-duivenverhaal"), "no booklet consent");
    assert!(
        text.contains(&format!("Letterlijk: {INJECTION} einde.")),
        "{text}"
    );
    assert!(text.contains("Annelies"), "first name with consent");
    for script in [
        "مرحبا",
        "שלום",
        "नमस्ते",
        "สวัสดี",
        "ⴰⵣⵓⵍ",
        "你好",
        "안녕하세요",
    ] {
        assert!(text.contains(script), "{script} printed: {text}");
    }
    assert!(
        text.contains("\u{FFFD} einde."),
        "a visible replacement: {text}"
    );
    assert!(
        !text.contains("Mevrouw Appel"),
        "pseudonym replaced by the first name"
    );
    assert!(
        text.contains("Vrouw Confetti"),
        "pseudonym without first-name consent"
    );
    assert!(!text.contains("Cor "), "{text}");

    // Photos: a's photo on the cover and in its story; b's photo (consent
    // for photos withdrawn) nowhere.
    for pdf in [&screen, &print] {
        let found = images(&app, pdf);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|(_, w, h)| (*w, *h) == (640, 480)),
            "{found:?}"
        );
        assert_eq!(found[0].0, 1, "cover photo on page 1");
    }
    assert!(
        !text.contains("Bijschrift Bakker"),
        "no caption of a withdrawn photo"
    );
    assert!(text.contains("Bijschrift Aardbeien"));

    // One PDF per chapter, each tagged, with only its own stories.
    for (n, has, lacks) in [
        (1, "Carnaval in de straat", "Bakker op de hoek"),
        (2, "Bakker op de hoek", "Aardbeien op de markt"),
    ] {
        let pdf = download(&researcher, &url(&built, BuildOutputKind::Chapter, n)).await;
        let info = poppler(&app, "pdfinfo", &[], &pdf);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(
            info.contains("Page size:       419.528 x 595.276 pts"),
            "{info}"
        );
        let t = poppler(&app, "pdftotext", &[], &pdf).replace('\n', " ");
        assert!(t.contains(has) && !t.contains(lacks), "chapter {n}: {t}");
    }
    let r = researcher
        .get(&url(&built, BuildOutputKind::Chapter, 3))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Page previews: PNG, any page, none past the end.
    let r = researcher
        .get(&url(&built, BuildOutputKind::Page, screen_pages))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let r = researcher
        .get(&url(&built, BuildOutputKind::Page, screen_pages + 1))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Identical input reuses the build; a changed photo does not.
    let again: BuildId = researcher
        .ok("booklet_build", &[("municipality", &muni)])
        .await;
    assert_eq!(again, built.id);
    sqlx::query("UPDATE media SET content_hash = 'changed' WHERE story_id = $1")
        .bind(a.to_string())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let changed: BuildId = researcher
        .ok("booklet_build", &[("municipality", &muni)])
        .await;
    assert_ne!(changed, built.id, "photo content is part of the input");

    // Who may download: not the municipality before publication, not the
    // public unless the edition is public.
    let print_url = url(&built, BuildOutputKind::Print, 0);
    assert_eq!(
        municipality.get(&print_url).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.get(&print_url).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let _: () = researcher
        .ok("booklet_publish", &[("build", &built.id.to_string())])
        .await;
    assert_eq!(municipality.get(&print_url).await.status(), StatusCode::OK);
    let stein = app.login("gemeente@stein.example").await;
    assert_eq!(stein.get(&print_url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        anonymous.get(&print_url).await.status(),
        StatusCode::UNAUTHORIZED
    );
    sqlx::query("UPDATE edition SET is_public = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(anonymous.get(&print_url).await.status(), StatusCode::OK);
    let page = url(&built, BuildOutputKind::Page, 1);
    assert_eq!(anonymous.get(&page).await.status(), StatusCode::OK);
    // A build that is not published stays closed, public edition or not.
    let unpublished = url(
        &BuildView {
            id: changed,
            ..built.clone()
        },
        BuildOutputKind::Screen,
        0,
    );
    assert_eq!(
        anonymous.get(&unpublished).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

both_backends! {
    booklet_files_follow_consent_and_standards => super::booklet_files;
}
