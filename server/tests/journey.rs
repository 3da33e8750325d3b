//! The whole journey over HTTP, on SQLite and on PostgreSQL: a student
//! writes and hands in a story, a lecturer sends it back and approves it, a
//! researcher builds and publishes the booklet, municipality staff download
//! it. Plus the bad-input cases of the same steps.

mod common;

use app::domain::story_form::FieldKey;

use app::model::{BuildStatus, BuildView, CurationView, StoryDetail, StoryListItem};
use common::{dutch, new_form, wait_for_build, Backend, Story, TestApp};
use reqwest::StatusCode;

const INJECTION: &str = r#"#panic("x") ] $x$ <l> @r #read("/etc/passwd")"#;

async fn journey(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let municipality = app.login("gemeente@sittard-geleen.example").await;

    // The student writes a draft: a first save creates the story.
    let form = new_form(&student).await;
    assert_eq!(form.questions.len(), 6, "the 2026 guide");
    let mut story = Story::new(&form, 0, "Koffie bij de buurvrouw", "Goedgekeurd");
    story.set("form[intent]", "save");
    let saved = story.save(&student).await;
    assert_eq!(saved.version, 1);
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);

    // A double-clicked save (same save id) is applied once.
    let again = story.save(&student).await;
    assert_eq!(again.version, 1);
    let revisions: (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM revision WHERE story_id = $1")
            .bind(form.story_id.to_string())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(revisions.0, 1);

    // Handing in.
    story
        .set("form[save_id]", &saved.next_save_id)
        .set("form[version]", "1")
        .set("form[intent]", "submit");
    let submitted = story.save(&student).await;
    assert_eq!(
        submitted.status,
        app::domain::lifecycle::StoryStatus::Submitted
    );
    assert_eq!(submitted.version, 3, "save + submit");

    // A second story that is never approved (its text must not reach the booklet).
    let form2 = new_form(&student).await;
    let mut draft = Story::new(&form2, 1, "Nog niet goedgekeurd", "Geheim-concept");
    draft.set("form[intent]", "submit");
    let s2 = draft.save(&student).await;
    assert_eq!(s2.status, app::domain::lifecycle::StoryStatus::Submitted);

    // The lecturer sees both; request changes needs a comment.
    let queue: Vec<StoryListItem> = lecturer.ok("stories_review", &[]).await;
    assert_eq!(queue.len(), 2);
    let id = form.story_id.to_string();
    let e = lecturer
        .err(
            "story_review",
            &[
                ("id", &id),
                ("version", "3"),
                ("decision", "request_changes"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("Schrijf erbij"), "{e}");
    let _: () = lecturer
        .ok(
            "story_review",
            &[
                ("id", &id),
                ("version", "3"),
                ("decision", "request_changes"),
                ("comment", "Vertel meer over het buurthuis."),
            ],
        )
        .await;

    // The student sees the comment, edits, resubmits.
    let d: StoryDetail = student.ok("story_get", &[("id", &id)]).await;
    assert_eq!(
        d.status,
        app::domain::lifecycle::StoryStatus::ChangesRequested
    );
    assert!(d.comments.iter().any(|c| c.body.contains("buurthuis")));
    let edit = d.edit.expect("editable");
    let first_q = common::answer_form_name(d.questions[0].id);
    story
        .set("form[save_id]", &edit.save_id)
        .set("form[version]", &d.version.to_string())
        .set(
            &first_q,
            "Goedgekeurd antwoord 1, nu met het buurthuis De Baandert erbij.",
        )
        .set(&FieldKey::Title.form_name(), INJECTION);
    let resubmitted = story.save(&student).await;
    assert_eq!(
        resubmitted.status,
        app::domain::lifecycle::StoryStatus::Submitted
    );

    // An approval against an old version is refused, then the fresh one works.
    let e = lecturer
        .err(
            "story_review",
            &[("id", &id), ("version", "3"), ("decision", "approve")],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(dutch(&e).contains("intussen gewijzigd"));
    let v = resubmitted.version.to_string();
    let _: () = lecturer
        .ok(
            "story_review",
            &[("id", &id), ("version", &v), ("decision", "approve")],
        )
        .await;

    // The researcher selects the approved story and builds the booklet.
    let view: CurationView = researcher.ok("curation", &[]).await;
    assert_eq!(view.municipality.name, "Sittard-Geleen");
    assert_eq!(view.stories.len(), 1, "only approved stories");
    let _: () = researcher
        .ok("curation_select", &[("story", &id), ("selected", "true")])
        .await;
    let muni = view.municipality.id.to_string();
    let build: app::domain::ids::BuildId = researcher
        .ok("booklet_build", &[("municipality", &muni)])
        .await;
    let b = wait_for_build(&researcher, build).await;
    assert_eq!(b.status, BuildStatus::Done, "{:?}", b.error);
    assert!(b.page_count.unwrap_or(0) >= 4);

    // Identical input reuses the build.
    let again: app::domain::ids::BuildId = researcher
        .ok("booklet_build", &[("municipality", &muni)])
        .await;
    assert_eq!(again, build);

    // Not published yet: the municipality cannot download it.
    let url = b.download_url.clone().expect("download url");
    assert_eq!(municipality.get(&url).await.status(), StatusCode::NOT_FOUND);
    let pdf = researcher.get(&url).await;
    assert_eq!(pdf.status(), StatusCode::OK);

    let _: () = researcher
        .ok("booklet_publish", &[("build", &build.to_string())])
        .await;
    let published: Vec<BuildView> = municipality.ok("booklets_published", &[]).await;
    assert_eq!(published.len(), 1);
    let r = municipality.get(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    let info = pdf_info(&app, &bytes);
    assert!(
        info.contains("Page size:       419.528 x 595.276 pts"),
        "A5: {info}"
    );
    assert!(info.contains("Tagged:          yes"), "tagged: {info}");
    assert!(
        info.contains("Title:           Wijkverhalen Sittard-Geleen 2026"),
        "title: {info}"
    );
    let text = pdf_text(&app, &bytes);
    assert!(text.contains("De Baandert"), "approved story in the PDF");
    assert!(
        !text.contains("Geheim-concept"),
        "unapproved story not in the PDF"
    );
    assert!(
        text.replace('\n', " ").contains("#panic(\"x\")"),
        "injection printed literally: {text}"
    );
    assert!(text.contains("@r #read(\"/etc/passwd\")"));

    // The story is now published.
    let d: StoryDetail = researcher.ok("story_get", &[("id", &id)]).await;
    assert_eq!(d.status, app::domain::lifecycle::StoryStatus::Published);

    // Another municipality's staff get nothing.
    let stein = app.login("gemeente@stein.example").await;
    assert_eq!(stein.get(&url).await.status(), StatusCode::NOT_FOUND);
    let none: Vec<BuildView> = stein.ok("booklets_published", &[]).await;
    assert!(none.is_empty());
    // Not signed in: 401.
    assert_eq!(
        app.client().get(&url).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

fn pdf_info(app: &TestApp, pdf: &[u8]) -> String {
    let path = app.data_dir.join("info.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) must be installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_text(app: &TestApp, pdf: &[u8]) -> String {
    let path = app.data_dir.join("download.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn bad_input(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let form = new_form(&student).await;

    // A neighbourhood of another group (Stein) is refused, in Dutch.
    let stein = app.login("student2@zuyd.example").await;
    let stein_form = new_form(&stein).await;
    let mut story = Story::new(&form, 0, "Titel", "Tekst");
    story.set(
        &FieldKey::Neighbourhood.form_name(),
        &stein_form.groups[0].neighbourhoods[0].id.to_string(),
    );
    let e = student
        .err("story_save", &story.pairs(), StatusCode::FORBIDDEN)
        .await;
    assert!(dutch(&e).contains("hoort niet bij uw groep"), "{e}");

    // Writing into another group's group is refused.
    let mut story = Story::new(&form, 0, "Titel", "Tekst");
    story.set("form[group]", &stein_form.groups[0].id.to_string());
    student
        .err("story_save", &story.pairs(), StatusCode::FORBIDDEN)
        .await;

    // Empty fields: the draft is kept, the problems are named, handing in is refused.
    let mut story = Story::new(&form, 0, "", "");
    for q in &form.questions {
        story.set(&common::answer_form_name(q.id), "");
    }
    story
        .set(&FieldKey::Pseudonym.form_name(), "")
        .set("form[intent]", "submit");
    let out = story.save(&student).await;
    assert_eq!(out.status, app::domain::lifecycle::StoryStatus::Draft);
    let messages: Vec<String> = out.problems.iter().map(|p| p.message.nl.clone()).collect();
    assert!(
        messages.iter().any(|m| m == "De titel is nog leeg."),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m == "De schuilnaam is nog leeg."),
        "{messages:?}"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.as_str() == "Het antwoord is nog leeg.")
            .count(),
        3,
        "three required questions"
    );

    // A title a little too long is stored (nothing lost) but blocks handing in.
    let long = "Lang ".repeat(30);
    story
        .set("form[save_id]", &out.next_save_id)
        .set("form[version]", &out.version.to_string())
        .set(&FieldKey::Title.form_name(), &long)
        .set("form[intent]", "save");
    let out2 = story.save(&student).await;
    assert!(
        out2.problems
            .iter()
            .any(|p| p.message.nl.contains("te lang: 149 tekens, maximaal 120")),
        "{:?}",
        out2.problems
    );
    let d: StoryDetail = student
        .ok("story_get", &[("id", &form.story_id.to_string())])
        .await;
    assert_eq!(d.title, long.trim());

    // An absurdly long answer is refused outright with a clear message.
    let huge = "x".repeat(100_000);
    story
        .set("form[save_id]", &out2.next_save_id)
        .set("form[version]", &out2.version.to_string())
        .set(&common::answer_form_name(form.questions[0].id), &huge);
    let e = student
        .err(
            "story_save",
            &story.pairs(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("veel te lang"), "{e}");

    // A stale version (another tab saved in between) is a conflict, not an overwrite.
    story
        .set("form[save_id]", &uuid::Uuid::new_v4().to_string())
        .set(&common::answer_form_name(form.questions[0].id), "Oude tab")
        .set("form[version]", "1");
    let e = student
        .err("story_save", &story.pairs(), StatusCode::CONFLICT)
        .await;
    assert!(dutch(&e).contains("intussen gewijzigd"));
    let d: StoryDetail = student
        .ok("story_get", &[("id", &form.story_id.to_string())])
        .await;
    assert_ne!(
        d.answers.values().next().map(String::as_str),
        Some("Oude tab")
    );

    // The same submit sent twice at the same moment (a double click): both
    // answers are fine, and there is one story with one draft and one
    // submitted revision.
    let form4 = new_form(&student).await;
    let mut twice = Story::new(&form4, 0, "Dubbelklik", "Tekst");
    twice.set("form[intent]", "submit");
    let pairs = twice.pairs();
    let (a, b) = tokio::join!(
        student.call("story_save", &pairs),
        student.call("story_save", &pairs)
    );
    let (sa, sb) = (a.status(), b.status());
    assert!(
        sa.is_success() && sb.is_success(),
        "{sa} {:?} / {sb} {:?}",
        a.text().await,
        b.text().await
    );
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT CAST((SELECT COUNT(*) FROM story WHERE id = $1) AS BIGINT),
                CAST((SELECT COUNT(*) FROM revision WHERE story_id = $1) AS BIGINT)",
    )
    .bind(form4.story_id.to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 2));

    // Without consent a story cannot be handed in.
    let form3 = new_form(&student).await;
    let mut nc = Story::new(&form3, 0, "Zonder toestemming", "Tekst");
    nc.remove(&FieldKey::Scopes.form_name())
        .remove(&FieldKey::Witness.form_name())
        .set("form[intent]", "submit");
    let out = nc.save(&student).await;
    assert!(
        out.problems
            .iter()
            .any(|p| p.message.nl.contains("toestemming")),
        "{:?}",
        out.problems
    );
    assert_eq!(out.status, app::domain::lifecycle::StoryStatus::Draft);
}

async fn access(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let other_student = app.login("student2@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let other_lecturer = app.login("docent2@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let admin = app.login("beheer@zuyd.example").await;

    let form = new_form(&student).await;
    let mut story = Story::new(&form, 0, "Van groep Sittard", "Tekst");
    story.set("form[intent]", "submit");
    let out = story.save(&student).await;
    let id = form.story_id.to_string();

    // Students of another group, the other group's lecturer, the researcher
    // (not approved yet) and the admin cannot read it.
    for u in [&other_student, &other_lecturer, &researcher, &admin] {
        u.err("story_get", &[("id", &id)], StatusCode::NOT_FOUND)
            .await;
    }
    // Another group's student cannot edit it via the save endpoint either.
    let mut hijack = Story::new(&form, 0, "Gekaapt", "Gekaapt");
    hijack
        .set("form[version]", &out.version.to_string())
        .set("form[save_id]", &uuid::Uuid::new_v4().to_string());
    other_student
        .err("story_save", &hijack.pairs(), StatusCode::NOT_FOUND)
        .await;
    // The other group's lecturer cannot approve it.
    let v = out.version.to_string();
    other_lecturer
        .err(
            "story_review",
            &[("id", &id), ("version", &v), ("decision", "approve")],
            StatusCode::NOT_FOUND,
        )
        .await;
    // A student cannot approve (they may read it: 403, with a Dutch reason).
    let e = student
        .err(
            "story_review",
            &[("id", &id), ("version", &v), ("decision", "approve")],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(!dutch(&e).is_empty());
    // Its own lecturer can.
    let _: () = lecturer
        .ok(
            "story_review",
            &[("id", &id), ("version", &v), ("decision", "approve")],
        )
        .await;
    // Approving twice is refused with a message about the status.
    let d: StoryDetail = lecturer.ok("story_get", &[("id", &id)]).await;
    let e = lecturer
        .err(
            "story_review",
            &[
                ("id", &id),
                ("version", &d.version.to_string()),
                ("decision", "approve"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("al beoordeeld"), "{e}");
    // The student cannot curate.
    student.err("curation", &[], StatusCode::NOT_FOUND).await;
    student
        .err(
            "curation_select",
            &[("story", &id), ("selected", "true")],
            StatusCode::FORBIDDEN,
        )
        .await;

    // Not signed in: 401 everywhere.
    let anon = app.client();
    anon.err("story_get", &[("id", &id)], StatusCode::UNAUTHORIZED)
        .await;
    anon.err("stories_mine", &[], StatusCode::UNAUTHORIZED)
        .await;

    // A user without any role sees nothing.
    let hash = app::api::auth::password::hash(common::PASSWORD.into())
        .await
        .unwrap();
    app::db::users::create(&app.db.pool, "zonderrol@zuyd.example", "Zonder Rol", &hash)
        .await
        .unwrap();
    let nobody = app.login("zonderrol@zuyd.example").await;
    let e = nobody.err("stories_mine", &[], StatusCode::FORBIDDEN).await;
    assert!(dutch(&e).contains("geen rol"));

    // Nothing crosses organisations: a researcher and municipality user of
    // another organisation see nothing of Zuyd.
    let other_org =
        app::db::org::create_organisation(&app.db.pool, "utrecht", "Werkplaats Utrecht")
            .await
            .unwrap();
    let other_muni =
        app::db::org::create_municipality(&app.db, other_org, "Utrecht", Some("GM0344"))
            .await
            .unwrap();
    let r_id = app::db::users::create(
        &app.db.pool,
        "onderzoeker@utrecht.example",
        "Onderzoeker Utrecht",
        &hash,
    )
    .await
    .unwrap();
    app::db::users::grant_role(
        &app.db.pool,
        r_id,
        other_org,
        app::domain::role::Role::Researcher,
        None,
    )
    .await
    .unwrap();
    let m_id = app::db::users::create(
        &app.db.pool,
        "gemeente@utrecht.example",
        "Gemeente Utrecht",
        &hash,
    )
    .await
    .unwrap();
    app::db::users::grant_role(
        &app.db.pool,
        m_id,
        other_org,
        app::domain::role::Role::Municipality,
        Some(other_muni),
    )
    .await
    .unwrap();
    let foreign = app.login("onderzoeker@utrecht.example").await;
    foreign
        .err("story_get", &[("id", &id)], StatusCode::NOT_FOUND)
        .await;
    foreign
        .err(
            "curation_select",
            &[("story", &id), ("selected", "true")],
            StatusCode::NOT_FOUND,
        )
        .await;
    let zuyd_muni: CurationView = researcher.ok("curation", &[]).await;
    foreign
        .err(
            "curation",
            &[("municipality", &zuyd_muni.municipality.id.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "booklet_build",
            &[("municipality", &zuyd_muni.municipality.id.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;

    // Build and publish Zuyd's booklet; the foreign users cannot download it.
    let _: () = researcher
        .ok("curation_select", &[("story", &id), ("selected", "true")])
        .await;
    let build: app::domain::ids::BuildId = researcher
        .ok(
            "booklet_build",
            &[("municipality", &zuyd_muni.municipality.id.to_string())],
        )
        .await;
    let b = wait_for_build(&researcher, build).await;
    let _: () = researcher
        .ok("booklet_publish", &[("build", &build.to_string())])
        .await;
    let url = b.download_url.unwrap();
    let foreign_muni = app.login("gemeente@utrecht.example").await;
    assert_eq!(foreign_muni.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(foreign.get(&url).await.status(), StatusCode::NOT_FOUND);
    foreign
        .err(
            "booklet_status",
            &[("build", &build.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "booklet_publish",
            &[("build", &build.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    // Students and lecturers cannot download booklets.
    assert_eq!(student.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(lecturer.get(&url).await.status(), StatusCode::NOT_FOUND);
}

async fn login_and_csrf(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let u = app.client();
    let e = u
        .err(
            "login",
            &[("email", "student@zuyd.example"), ("password", "fout")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("horen niet bij elkaar"));
    let e = u
        .err(
            "login",
            &[("email", "niemand@zuyd.example"), ("password", "fout")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        dutch(&e).contains("horen niet bij elkaar"),
        "same message for unknown accounts"
    );
    // A cross-site form post is refused before it reaches the server function.
    let r = u
        .http
        .post(app.url("/api/login"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "student@zuyd.example"),
            ("password", common::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Signing in works, the session cookie is HttpOnly and SameSite=Lax, and signing out ends it.
    let r = u
        .call(
            "login",
            &[
                ("email", "student@zuyd.example"),
                ("password", common::PASSWORD),
            ],
        )
        .await;
    let cookie = r
        .headers()
        .get("set-cookie")
        .expect("session cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: Option<app::model::Me> = u.ok("me", &[]).await;
    assert_eq!(me.unwrap().name, "Sanne Hermans");
    let _ = u.call("logout", &[]).await;
    let me: Option<app::model::Me> = u.ok("me", &[]).await;
    assert!(me.is_none());
    // Pages render on the server (in Dutch by default); unknown pages are 404.
    let page = u.get("/inloggen").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\"") && html.contains("Inloggen"));
    assert_eq!(u.get("/bestaat-niet").await.status(), StatusCode::NOT_FOUND);
}

both_backends! {
    whole_journey => super::journey;
    bad_input_keeps_text_and_explains => super::bad_input;
    access_is_checked_everywhere => super::access;
    login_sessions_and_csrf => super::login_and_csrf;
}
