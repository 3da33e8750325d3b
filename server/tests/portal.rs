//! The portal over HTTP, on SQLite and on PostgreSQL: after a booklet is
//! published, the municipality's staff read it and its web-consented
//! stories; visitors see nothing until a researcher opens the edition to the
//! public; a story without web consent is only in print; a consent
//! withdrawal (recorded by the student) takes the story off the web at once
//! and every build holding it out of everyone's hands but the researchers'; a
//! new publication replaces the old one, which from then on only the
//! researchers download. Municipality staff never read a story record.

mod common;

use app::domain::story_form::FieldKey;

use app::domain::ids::{BuildId, MunicipalityId, StoryId};
use app::model::{BuildStatus, CurationView, PortalBooklet, PortalEntry, PortalStory};
use common::{dutch, new_form, wait_for_build, Backend, Story, TestApp, User};
use reqwest::StatusCode;

/// A story written, handed in and approved; returns its id.
async fn approved(app: &TestApp, title: &str, web: bool, prefix: &str) -> StoryId {
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let form = new_form(&student).await;
    let mut story = Story::new(&form, 0, title, prefix);
    if !web {
        story
            .fields
            .retain(|(k, v)| !(*k == FieldKey::Scopes.form_name() && v == "web"));
    }
    story.set("form[intent]", "submit");
    let saved = story.save(&student).await;
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);
    let _: () = lecturer
        .ok(
            "story_review",
            &[
                ("id", &form.story_id.to_string()),
                ("version", &saved.version.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    form.story_id
}

async fn build_and_publish(researcher: &User, municipality: MunicipalityId) -> BuildId {
    let build: BuildId = researcher
        .ok(
            "booklet_build",
            &[("municipality", &municipality.to_string())],
        )
        .await;
    let b = wait_for_build(researcher, build).await;
    assert_eq!(b.status, BuildStatus::Done, "{:?}", b.error);
    let _: () = researcher
        .ok("booklet_publish", &[("build", &build.to_string())])
        .await;
    build
}

fn booklet_form(m: MunicipalityId) -> [(&'static str, String); 2] {
    [
        ("municipality", m.to_string()),
        ("year", "2026".to_string()),
    ]
}

async fn booklet(u: &User, m: MunicipalityId) -> PortalBooklet {
    let f = booklet_form(m);
    u.ok("portal_booklet", &[(f[0].0, &f[0].1), (f[1].0, &f[1].1)])
        .await
}

async fn story_status(u: &User, m: MunicipalityId, s: StoryId) -> StatusCode {
    u.call(
        "portal_story",
        &[
            ("municipality", &m.to_string()),
            ("year", "2026"),
            ("story", &s.to_string()),
        ],
    )
    .await
    .status()
}

/// Every file of a build, as `who` gets it: the status of each download.
async fn downloads(u: &User, build: BuildId) -> Vec<StatusCode> {
    use app::model::BuildOutputKind::*;
    let mut out = Vec::new();
    for path in [
        app::routes::booklet_pdf(build),
        app::routes::booklet_file(build, Screen, 0),
        app::routes::booklet_file(build, Print, 0),
        app::routes::booklet_file(build, Chapter, 1),
        app::routes::booklet_file(build, Page, 1),
    ] {
        out.push(u.get(&path).await.status());
    }
    out
}

/// Whether every file of the build is refused to `u` (404, or 401 for a
/// visitor who is not signed in) without a byte of it.
async fn kept_from(u: &User, build: BuildId) -> bool {
    let got = downloads(u, build).await;
    let kept = got
        .iter()
        .all(|s| *s == StatusCode::NOT_FOUND || *s == StatusCode::UNAUTHORIZED);
    if !kept {
        eprintln!("{build}: {got:?}");
    }
    kept
}

/// Whether every file of the build is served to `u`.
async fn served(u: &User, build: BuildId) -> bool {
    downloads(u, build)
        .await
        .iter()
        .all(|s| *s == StatusCode::OK)
}

async fn portal(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let web = approved(&app, "De bank bij de kerk", true, "Online").await;
    let print_only = approved(&app, "Alleen op papier", false, "Papier").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let view: CurationView = researcher.ok("curation", &[]).await;
    let m = view.municipality.id;
    for s in [web, print_only] {
        let _: () = researcher
            .ok(
                "curation_select",
                &[("story", &s.to_string()), ("selected", "true")],
            )
            .await;
    }
    let first = build_and_publish(&researcher, m).await;

    // Visitors see nothing while the edition is not public.
    let visitor = app.client();
    let none: Vec<PortalEntry> = visitor.ok("portal", &[]).await;
    assert!(none.is_empty());
    let f = booklet_form(m);
    let e = visitor
        .err(
            "portal_booklet",
            &[(f[0].0, &f[0].1), (f[1].0, &f[1].1)],
            StatusCode::NOT_FOUND,
        )
        .await;
    assert!(dutch(&e).contains("niet voor u gepubliceerd"), "{e}");
    assert_eq!(story_status(&visitor, m, web).await, StatusCode::NOT_FOUND);

    // The municipality's staff read it; the print-only story is not online.
    let staff = app.login("gemeente@sittard-geleen.example").await;
    let list: Vec<PortalEntry> = staff.ok("portal", &[]).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].href, app::routes::portal_booklet(m, 2026));
    assert!(!list[0].public);
    let b = booklet(&staff, m).await;
    let current = b.current.as_ref().expect("the booklet in force");
    assert_eq!(current.id, first);
    assert!(current.download_url.is_some());
    assert!(served(&staff, first).await);
    let titles: Vec<&str> = b
        .chapters
        .iter()
        .flat_map(|c| c.stories.iter().map(|s| s.title.as_str()))
        .collect();
    assert_eq!(titles, ["De bank bij de kerk"]);
    assert_eq!(b.offline_stories, 1);
    assert!(!b.may_change_public);
    let page: PortalStory = staff
        .ok(
            "portal_story",
            &[
                ("municipality", &m.to_string()),
                ("year", "2026"),
                ("story", &web.to_string()),
            ],
        )
        .await;
    assert_eq!(page.story.title, "De bank bij de kerk");
    assert_eq!(page.story.resident, "Mevrouw Kessels");
    assert!(page.story.sections[0]
        .answer
        .starts_with("Online antwoord 1"));
    assert_eq!(
        story_status(&staff, m, print_only).await,
        StatusCode::NOT_FOUND
    );
    // The web page is server-rendered HTML, readable without JavaScript.
    let html = staff
        .get(&app::routes::portal_story(m, 2026, web))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<h1>De bank bij de kerk</h1>"), "{html}");
    assert!(html.contains("Online antwoord 1 over de buurt."));

    // Staff read the published document only: never the story record with
    // its revisions, the students' unedited text, comments and witness.
    let id = web.to_string();
    for (endpoint, form) in [
        ("story_get", vec![("id", id.as_str())]),
        ("story_revisions", vec![("id", id.as_str())]),
        ("story_revision", vec![("id", id.as_str()), ("number", "1")]),
        ("story_diff", vec![("id", id.as_str())]),
    ] {
        let status = staff.call(endpoint, &form).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}");
    }

    // Another municipality's staff and the municipality itself cannot open
    // the edition to the public.
    let stein = app.login("gemeente@stein.example").await;
    assert_eq!(story_status(&stein, m, web).await, StatusCode::NOT_FOUND);
    let edition = b.edition.to_string();
    staff
        .err(
            "edition_public",
            &[("edition", &edition), ("public", "true")],
            StatusCode::NOT_FOUND,
        )
        .await;

    // The researcher opens the edition: now visitors read it too.
    assert!(booklet(&researcher, m).await.may_change_public);
    let _: () = researcher
        .ok(
            "edition_public",
            &[("edition", &edition), ("public", "true")],
        )
        .await;
    let open: Vec<PortalEntry> = visitor.ok("portal", &[]).await;
    assert_eq!(open.len(), 1);
    assert!(open[0].public);
    assert_eq!(story_status(&visitor, m, web).await, StatusCode::OK);
    let html = visitor
        .get(&app::routes::portal_booklet(m, 2026))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("De bank bij de kerk"));
    assert!(!html.contains("Alleen op papier"));

    // The resident withdraws consent; the student records it. Municipality
    // staff cannot, and the form needs the confirmation.
    let student = app.login("student@zuyd.example").await;
    let d: app::model::StoryDetail = student.ok("story_get", &[("id", &web.to_string())]).await;
    assert!(d.can.withdraw);
    let v = d.version.to_string();
    let form = [("id", web.to_string()), ("version", v.clone())];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let e = student
        .err("consent_withdraw", &pairs, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert!(dutch(&e).contains("Vink aan"), "{e}");
    let mut confirmed = pairs.clone();
    confirmed.push(("confirm", "true"));
    let refused = staff.call("consent_withdraw", &confirmed).await.status();
    assert!(
        refused == StatusCode::NOT_FOUND || refused == StatusCode::FORBIDDEN,
        "{refused}"
    );
    let _: () = student.ok("consent_withdraw", &confirmed).await;
    // Nobody reads a withdrawn story's content any more.
    student
        .err(
            "story_get",
            &[("id", &web.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    let (status,): (String,) = sqlx::query_as("SELECT status FROM story WHERE id = $1")
        .bind(web.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "withdrawn");
    let again = student.call("consent_withdraw", &confirmed).await.status();
    assert!(
        again.is_client_error(),
        "a second withdrawal is refused: {again}"
    );
    let (in_selection,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM booklet_story WHERE story_id = $1")
            .bind(web.to_string())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(in_selection, 0, "out of the booklet selection");
    assert_eq!(story_status(&visitor, m, web).await, StatusCode::NOT_FOUND);
    assert_eq!(story_status(&staff, m, web).await, StatusCode::NOT_FOUND);
    let b = booklet(&visitor, m).await;
    assert!(b.chapters.is_empty());
    assert_eq!(b.offline_stories, 2);
    // The booklet in force still holds the withdrawn story: nobody but the
    // researchers gets its files any more, not even while it is public.
    let admin = app.login("beheer@zuyd.example").await;
    assert!(b.current.is_none(), "no download offered to visitors");
    assert!(booklet(&staff, m).await.current.is_none());
    assert!(booklet(&admin, m).await.current.is_none());
    for u in [&visitor, &staff, &admin] {
        assert!(kept_from(u, first).await);
    }
    let listed: Vec<app::model::BuildView> = staff.ok("booklets_published", &[]).await;
    assert!(listed.is_empty(), "{listed:?}");
    staff
        .err(
            "booklet_status",
            &[("build", &first.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    let held = booklet(&researcher, m)
        .await
        .current
        .expect("researchers keep it");
    assert_eq!((held.id, held.withdrawn_stories), (first, 1));
    assert!(served(&researcher, first).await);

    // A new publication replaces the first, which stays as an earlier version.
    let third = approved(&app, "Een nieuw verhaal", true, "Nieuw").await;
    let _: () = researcher
        .ok(
            "curation_select",
            &[("story", &third.to_string()), ("selected", "true")],
        )
        .await;
    // (The withdrawn story is left out of the new build by itself.)
    let second = build_and_publish(&researcher, m).await;
    let b = booklet(&visitor, m).await;
    assert_eq!(b.current.as_ref().map(|c| c.id), Some(second));
    assert!(served(&visitor, second).await);
    // The earlier version is the researchers' alone, marked as holding a
    // withdrawn story.
    assert!(b.earlier.is_empty(), "{:?}", b.earlier);
    assert!(booklet(&staff, m).await.earlier.is_empty());
    for u in [&visitor, &staff, &admin] {
        assert!(kept_from(u, first).await);
    }
    let r = booklet(&researcher, m).await;
    assert_eq!(
        r.earlier.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![first]
    );
    assert!(r.earlier[0].superseded);
    assert_eq!(r.earlier[0].withdrawn_stories, 1);
    assert!(served(&researcher, first).await);
    assert_eq!(story_status(&visitor, m, third).await, StatusCode::OK);

    // A draft build is the researchers' until it is published: admins do not
    // download it either. Once published it supersedes the second, which
    // holds no withdrawn story and still goes to the researchers only.
    // (A new foreword, so that the build is not the second one reused.)
    let texts: CurationView = researcher.ok("curation", &[]).await;
    let _: i64 = researcher
        .ok(
            "curation_texts",
            &[
                ("municipality", &m.to_string()),
                ("foreword", "Een woord vooraf bij de herdruk."),
                ("version", &texts.texts.version.to_string()),
            ],
        )
        .await;
    let draft: BuildId = researcher
        .ok("booklet_build", &[("municipality", &m.to_string())])
        .await;
    assert_eq!(
        wait_for_build(&researcher, draft).await.status,
        BuildStatus::Done
    );
    for u in [&visitor, &staff, &admin] {
        assert!(kept_from(u, draft).await);
    }
    assert!(served(&researcher, draft).await);
    let _: () = researcher
        .ok("booklet_publish", &[("build", &draft.to_string())])
        .await;
    for u in [&visitor, &staff, &admin] {
        assert!(served(u, draft).await);
        assert!(kept_from(u, second).await);
    }
    assert!(served(&researcher, second).await);
    let r = booklet(&researcher, m).await;
    assert_eq!(
        r.earlier
            .iter()
            .map(|v| (v.id, v.withdrawn_stories))
            .collect::<Vec<_>>(),
        vec![(second, 0), (first, 1)]
    );

    // Closed again: visitors are out, staff still read.
    let _: () = researcher
        .ok("edition_public", &[("edition", &edition)])
        .await;
    assert_eq!(
        story_status(&visitor, m, third).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(story_status(&staff, m, third).await, StatusCode::OK);
}

both_backends! {
    municipality_and_public_read_published_stories => super::portal;
}
