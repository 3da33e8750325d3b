//! Editions through the year over HTTP, on SQLite and on PostgreSQL: the
//! next year's edition made from the previous one (guide, consent text,
//! codebook, groups with lecturers — no students, no stories), the status
//! open → closed → published with what each allows (closed: no new
//! interviews, reviews go on; published: read-only, withdrawal still
//! possible), and versioned consent texts (residents see the newest, each
//! consent keeps the version it was given on). Refusals for the wrong role
//! and organisation, and an audit event for every change.

mod common;

use app::domain::edition::EditionStatus;
use app::domain::ids::EditionId;
use app::domain::lifecycle::StoryStatus;
use app::model::{
    CopiedFromPrevious, EditionAdmin, EditionsView, GroupsView, NewStoryForm, StoryDetail,
};
use common::{audit_count, complete_fields, dutch, patch, Backend, User};
use reqwest::StatusCode;

async fn view(u: &User) -> EditionsView {
    u.ok("editions", &[]).await
}

fn year(v: &EditionsView, y: i64) -> EditionAdmin {
    v.editions
        .iter()
        .find(|e| e.year == y)
        .cloned()
        .unwrap_or_else(|| panic!("edition {y} listed"))
}

async fn set_status(
    u: &User,
    e: EditionId,
    from: EditionStatus,
    to: EditionStatus,
) -> reqwest::Response {
    u.call(
        "edition_status",
        &[
            ("edition", &e.to_string()),
            ("from", from.as_str()),
            ("to", to.as_str()),
        ],
    )
    .await
}

async fn detail(u: &User, f: &NewStoryForm) -> StoryDetail {
    u.ok("story_get", &[("id", &f.story_id.to_string())]).await
}

/// A complete story by `student`, handed in (`submit`) or kept as a draft.
async fn story(student: &User, title: &str, submit: bool) -> (NewStoryForm, i64) {
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let fields = complete_fields(&f, 0, title, "research,booklet", |i| {
        format!("Antwoord {}.", i + 1)
    });
    let done = student
        .autosave(&patch(&f, 0, fields).intent(submit.then_some("submit")))
        .await
        .unwrap();
    (f, done.version)
}

async fn next_year_from_the_previous(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let v = view(&researcher).await;
    assert_eq!(v.organisation.id, app.demo().organisation);
    let y2026 = year(&v, 2026);
    assert_eq!(y2026.status, EditionStatus::Open);
    assert_eq!(y2026.next_statuses, vec![EditionStatus::Closed]);
    assert_eq!(v.next_year, 2027);
    // Something to copy: a theme in the codebook.
    let _: app::domain::ids::ThemeId = researcher
        .ok(
            "theme_add",
            &[("edition", &y2026.id.to_string()), ("name", "Ontmoeten")],
        )
        .await;
    let v = view(&researcher).await;
    let y2026 = year(&v, 2026);

    let form = [
        ("organisation", v.organisation.id.to_string()),
        ("edition", v.new_edition.to_string()),
        ("year", "2027".to_string()),
        ("title", String::new()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let copied: CopiedFromPrevious = researcher.ok("edition_create", &form).await;
    assert_eq!(copied.questions, y2026.questions);
    assert!(copied.consent_text);
    assert_eq!(copied.themes, 1);
    assert_eq!(copied.groups, y2026.groups);
    assert!(copied.lecturers >= 1, "{copied:?}");
    // The same form again creates nothing more.
    let _: CopiedFromPrevious = researcher.ok("edition_create", &form).await;
    assert_eq!(audit_count(&app, "edition.create").await, 1);

    let v = view(&researcher).await;
    let y2027 = year(&v, 2027);
    assert_eq!(v.editions[0].year, 2027, "newest first");
    assert_eq!(y2027.title, "Wijkverhalen 2027");
    assert_eq!(y2027.status, EditionStatus::Open);
    assert_eq!(
        (y2027.stories, y2027.questions, y2027.themes),
        (0, y2026.questions, 1)
    );
    let consent = y2027.consent.clone().expect("consent text copied");
    assert_eq!(consent.version, 1);
    assert_eq!(consent.body, y2026.consent.clone().unwrap().body);
    // Groups with lecturers and neighbourhoods, without students.
    let groups: GroupsView = researcher
        .ok("groups", &[("edition", &y2027.id.to_string())])
        .await;
    assert_eq!(groups.edition.id, y2027.id);
    assert!(!groups.groups.is_empty());
    for g in &groups.groups {
        assert!(g.students.is_empty(), "{}: students copied", g.name);
        assert!(
            !g.neighbourhoods.is_empty(),
            "{}: no neighbourhoods",
            g.name
        );
        assert_eq!(g.story_count, 0);
    }
    assert!(groups.groups.iter().any(|g| !g.lecturers.is_empty()));

    // Another 2027, or an earlier year: refused with the reason.
    for (y, says) in [
        ("2027", "al een editie 2027"),
        ("2025", "al een editie 2027"),
        ("twee", "jaartal"),
    ] {
        let e = researcher
            .err(
                "edition_create",
                &[
                    ("organisation", &v.organisation.id.to_string()),
                    ("edition", &EditionId::new().to_string()),
                    ("year", y),
                ],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(dutch(&e).contains(says), "{y}: {e}");
    }
    assert_eq!(view(&researcher).await.editions.len(), 2);

    // A new consent-text version: shown to residents from now on; a
    // stale version number or the same text is refused.
    let e27 = y2027.id.to_string();
    let v2: i64 = researcher
        .ok(
            "consent_text_save",
            &[
                ("edition", &e27),
                ("version", "1"),
                ("body", "Ik geef toestemming voor 2027."),
            ],
        )
        .await;
    assert_eq!(v2, 2);
    researcher
        .err(
            "consent_text_save",
            &[("edition", &e27), ("version", "1"), ("body", "Nog een.")],
            StatusCode::CONFLICT,
        )
        .await;
    let same = researcher
        .err(
            "consent_text_save",
            &[
                ("edition", &e27),
                ("version", "2"),
                ("body", " Ik geef toestemming voor 2027. "),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&same).contains("gelijk aan de huidige"), "{same}");
    researcher
        .err(
            "consent_text_save",
            &[("edition", &e27), ("version", "2"), ("body", "  ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let y2027 = year(&view(&researcher).await, 2027);
    assert_eq!(y2027.consent.unwrap().version, 2);
    assert_eq!(audit_count(&app, "edition.consent_text").await, 1);
}

async fn consent_keeps_its_version(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let student = app.login("student@zuyd.example").await;
    let y2026 = year(&view(&researcher).await, 2026);
    let before = y2026.consent.clone().unwrap();
    let (first, _) = story(&student, "Voor de nieuwe tekst", false).await;
    let _: i64 = researcher
        .ok(
            "consent_text_save",
            &[
                ("edition", &y2026.id.to_string()),
                ("version", &before.version.to_string()),
                ("body", "Nieuwe toestemmingstekst: u kunt altijd intrekken."),
            ],
        )
        .await;
    let form: NewStoryForm = student.ok("story_new_form", &[]).await;
    let shown = form.consent_text.expect("a consent text");
    assert_eq!(shown.version, before.version + 1);
    assert!(shown.body.starts_with("Nieuwe toestemmingstekst"));
    let (second, _) = story(&student, "Na de nieuwe tekst", false).await;
    assert_eq!(
        detail(&student, &first).await.consent.unwrap().text_version,
        before.version
    );
    assert_eq!(
        detail(&student, &second)
            .await
            .consent
            .unwrap()
            .text_version,
        before.version + 1
    );
}

async fn closed_then_published(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let admin = app.login("beheer@zuyd.example").await;
    let e = year(&view(&researcher).await, 2026).id;
    let (draft, draft_version) = story(&student, "Nog niet af", false).await;
    let (handed_in, handed_in_version) = story(&student, "Ingediend", true).await;
    let (to_withdraw, withdraw_version) = story(&student, "Wordt ingetrokken", false).await;

    // Publishing an open edition is refused; closing works once.
    let r = set_status(
        &researcher,
        e,
        EditionStatus::Open,
        EditionStatus::Published,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Sluit de editie eerst"));
    let r = set_status(&researcher, e, EditionStatus::Open, EditionStatus::Closed).await;
    assert_eq!(r.status(), StatusCode::OK);
    // A page that still shows "open" is told what happened.
    let r = set_status(&researcher, e, EditionStatus::Open, EditionStatus::Closed).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("nu gesloten"));

    // Closed: no new interviews; drafts are finished and reviews go on.
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    assert!(f.groups.is_empty(), "no group to start an interview in");
    let fresh = NewStoryForm {
        story_id: app::domain::ids::StoryId::new(),
        ..draft.clone()
    };
    let (status, err) = student
        .autosave(&patch(&fresh, 0, serde_json::json!({ "neighbourhood": draft.groups[0].neighbourhoods[0].id, "title": "Te laat" })))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dutch(&err).contains("geen nieuwe interviews"), "{err}");
    let finished = student
        .autosave(&patch(
            &draft,
            draft_version,
            serde_json::json!({ "title": "Nu wel af" }),
        ))
        .await
        .unwrap();
    assert_eq!(finished.version, draft_version + 1);
    let _: () = lecturer
        .ok(
            "story_review",
            &[
                ("id", &handed_in.story_id.to_string()),
                ("version", &handed_in_version.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(
        detail(&lecturer, &handed_in).await.status,
        StoryStatus::Approved
    );

    // Published: read-only for everybody; a withdrawal still goes through.
    let r = set_status(
        &researcher,
        e,
        EditionStatus::Closed,
        EditionStatus::Published,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (status, err) = student
        .autosave(&patch(
            &draft,
            finished.version,
            serde_json::json!({ "title": "Toch nog" }),
        ))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dutch(&err).contains("alleen nog te lezen"), "{err}");
    assert_eq!(
        detail(&student, &draft).await.version,
        finished.version,
        "nothing stored"
    );
    let err = lecturer
        .err(
            "story_comment",
            &[
                ("id", &handed_in.story_id.to_string()),
                ("body", "Nog een opmerking"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&err).contains("alleen nog te lezen"), "{err}");
    let _: () = admin
        .ok(
            "consent_withdraw",
            &[
                ("id", &to_withdraw.story_id.to_string()),
                ("version", &withdraw_version.to_string()),
                ("confirm", "true"),
            ],
        )
        .await;
    for to in EditionStatus::ALL {
        let r = set_status(&researcher, e, EditionStatus::Published, to).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{to:?}");
    }
    let y = year(&view(&researcher).await, 2026);
    assert_eq!(y.status, EditionStatus::Published);
    assert!(y.next_statuses.is_empty());
    researcher
        .err(
            "consent_text_save",
            &[
                ("edition", &e.to_string()),
                ("version", &y.consent.unwrap().version.to_string()),
                ("body", "Te laat"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(audit_count(&app, "edition.status").await, 2);
}

async fn only_the_werkplaats_staff(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let v = view(&admin).await;
    let e = year(&v, 2026);
    let org = v.organisation.id.to_string();
    for email in [
        "docent@zuyd.example",
        "student@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let u = app.login(email).await;
        let err = u.err("editions", &[], StatusCode::FORBIDDEN).await;
        assert!(
            dutch(&err).contains("Alleen onderzoekers en beheerders"),
            "{email}: {err}"
        );
        u.err(
            "edition_create",
            &[
                ("organisation", &org),
                ("edition", &EditionId::new().to_string()),
                ("year", "2027"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
        let r = set_status(&u, e.id, EditionStatus::Open, EditionStatus::Closed).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email}");
        u.err(
            "consent_text_save",
            &[
                ("edition", &e.id.to_string()),
                ("version", "1"),
                ("body", "Overgenomen"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    app.client()
        .err("editions", &[], StatusCode::UNAUTHORIZED)
        .await;

    // The administrator of another organisation: Zuyd's editions do not
    // exist for them.
    let (other, foreign) = common::foreign_admin(&app).await;
    let theirs = view(&foreign).await;
    assert!(theirs.editions.is_empty());
    foreign
        .err("editions", &[("organisation", &org)], StatusCode::NOT_FOUND)
        .await;
    foreign
        .err(
            "edition_create",
            &[
                ("organisation", &org),
                ("edition", &EditionId::new().to_string()),
                ("year", "2027"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    let r = set_status(&foreign, e.id, EditionStatus::Open, EditionStatus::Closed).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    foreign
        .err(
            "consent_text_save",
            &[
                ("edition", &e.id.to_string()),
                ("version", "1"),
                ("body", "Overgenomen"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    let again = year(&view(&admin).await, 2026);
    assert_eq!(again.status, EditionStatus::Open);
    assert_eq!(again.consent, e.consent);
    assert_eq!(audit_count(&app, "edition.status").await, 0);
    assert_eq!(audit_count(&app, "edition.create").await, 0);
    // Their own first edition has nothing to copy from.
    let made: CopiedFromPrevious = foreign
        .ok(
            "edition_create",
            &[
                ("organisation", &other.to_string()),
                ("edition", &theirs.new_edition.to_string()),
                ("year", "2027"),
            ],
        )
        .await;
    assert_eq!(made, CopiedFromPrevious::default());
}

both_backends! {
    next_year_from_the_previous => super::next_year_from_the_previous;
    consent_keeps_its_version => super::consent_keeps_its_version;
    closed_then_published => super::closed_then_published;
    only_the_werkplaats_staff => super::only_the_werkplaats_staff;
}
