//! Autosave over HTTP, on SQLite and on PostgreSQL: patches create and update
//! a story with only the changed fields, a repeated save is applied once, a
//! save whose answer was lost is not mistaken for a conflict, and a real
//! conflict is reported with the current version.

mod common;

use app::model::{NewStoryForm, SaveOutcome, StoryDetail};
use common::{answer_key, dutch, patch, Backend, Patch, TestApp, User};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn save(user: &User, patch: &Patch) -> SaveOutcome {
    user.autosave_ok(patch).await
}

async fn refused(user: &User, patch: &Patch, status: StatusCode) -> Value {
    let (got, body) = user.autosave(patch).await.expect_err("refused");
    assert_eq!(got, status, "{body}");
    body
}

async fn revisions(app: &TestApp, f: &NewStoryForm) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM revision WHERE story_id = $1")
        .bind(f.story_id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn patches_travel_and_apply_once(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let (q1, q2) = (&f.questions[0], &f.questions[1]);
    let n = f.groups[0].neighbourhoods[0].id;

    // Before a neighbourhood is chosen nothing can be stored (and nothing is lost:
    // the browser keeps the text); the message says what to do.
    let e = refused(
        &student,
        &patch(&f, 0, json!({ answer_key(q1.id): "Eerst" })),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(dutch(&e).contains("wijk"), "{e}");

    // The first patch creates the story.
    let first = uuid();
    let body = patch(&f, 0, json!({ "neighbourhood": n, "pseudonym": "Mevrouw Kessels", answer_key(q1.id): "Op de markt." })).save_id(&first);
    let created = save(&student, &body).await;
    assert_eq!(created.version, 1);
    // The same save again (a retry after a lost answer) is applied once.
    let again = save(&student, &body).await;
    assert_eq!(again.version, 1);
    assert_eq!(revisions(&app, &f).await, 1);

    // Only the changed answer travels; everything else stays as it was.
    let second = save(
        &student,
        &patch(&f, 1, json!({ answer_key(q2.id): "In het buurthuis." })),
    )
    .await;
    assert_eq!(second.version, 2);
    let d: StoryDetail = student
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(
        d.answers.get(&q1.id).map(String::as_str),
        Some("Op de markt.")
    );
    assert_eq!(
        d.answers.get(&q2.id).map(String::as_str),
        Some("In het buurthuis.")
    );
    assert_eq!(d.resident.pseudonym, "Mevrouw Kessels");
    assert_eq!(d.neighbourhood.id, n);
    assert_eq!(revisions(&app, &f).await, 2);
    let listed: Vec<app::model::RevisionInfo> = student
        .ok("story_revisions", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(listed.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2]);

    // A field the form does not have is refused, not ignored.
    let e = refused(
        &student,
        &patch(&f, 2, json!({ "status": "approved" })),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(dutch(&e).contains("formulier"), "{e}");
    assert_eq!(revisions(&app, &f).await, 2);
}

async fn lost_answers_and_real_conflicts(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let tablet = app.login("student@zuyd.example").await;
    let laptop = app.login("student@zuyd.example").await;
    let f: NewStoryForm = tablet.ok("story_new_form", &[]).await;
    let q1 = answer_key(f.questions[0].id);
    let n = f.groups[0].neighbourhoods[0].id;
    save(
        &tablet,
        &patch(&f, 0, json!({ "neighbourhood": n, &q1: "a" })),
    )
    .await;

    // The tablet's save reaches the server but the answer is lost…
    let lost = uuid();
    save(&tablet, &patch(&f, 1, json!({ &q1: "ab" })).save_id(&lost)).await;
    // …so its next save is still based on version 1, naming the lost one:
    // not a conflict, it is applied on top.
    let next = save(
        &tablet,
        &patch(&f, 1, json!({ &q1: "abc" })).earlier(&[&lost]),
    )
    .await;
    assert_eq!(next.version, 3);

    // Someone else (the laptop) saves; a save from version 3 is now stale.
    save(&laptop, &patch(&f, 3, json!({ &q1: "van de laptop" }))).await;
    for earlier in [vec![], vec![lost.as_str()]] {
        let e = refused(
            &tablet,
            &patch(&f, 3, json!({ &q1: "van de tablet" })).earlier(&earlier),
            StatusCode::CONFLICT,
        )
        .await;
        assert!(dutch(&e).contains("intussen"), "{e}");
        assert_eq!(e["Conflict"]["current_version"], json!(4), "{e}");
    }
    let d: StoryDetail = tablet
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(
        d.answers.get(&f.questions[0].id).map(String::as_str),
        Some("van de laptop"),
        "the conflicting save must not overwrite"
    );
}

async fn autosave_checks_who_is_calling(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let n = f.groups[0].neighbourhoods[0].id;
    save(
        &student,
        &patch(&f, 0, json!({ "neighbourhood": n, "title": "Mijn buurt" })),
    )
    .await;

    // A student of another group, a lecturer, a stranger: none can write here.
    let other = app.login("student2@zuyd.example").await;
    other
        .err(
            "story_revisions",
            &[("id", &f.story_id.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    refused(
        &other,
        &patch(&f, 1, json!({ "title": "Overgenomen" })),
        StatusCode::NOT_FOUND,
    )
    .await;
    let lecturer = app.login("docent@zuyd.example").await;
    let r = lecturer
        .call_json(
            "story_autosave",
            &patch(&f, 1, json!({ "title": "Docent" })).body(),
        )
        .await;
    assert!(
        [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&r.status()),
        "a lecturer cannot write a student's draft: {}",
        r.status()
    );
    refused(
        &app.client(),
        &patch(&f, 1, json!({ "title": "Anoniem" })),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // Nor can the other group's student create a story in this group.
    let f2 = NewStoryForm {
        story_id: app::domain::ids::StoryId::new(),
        ..f.clone()
    };
    refused(
        &other,
        &patch(&f2, 0, json!({ "neighbourhood": n })),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d: StoryDetail = student
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(d.title, "Mijn buurt");
}

both_backends! {
    patches_travel_and_apply_once => super::patches_travel_and_apply_once;
    lost_answers_and_real_conflicts => super::lost_answers_and_real_conflicts;
    autosave_checks_who_is_calling => super::autosave_checks_who_is_calling;
}
