//! The review loop over HTTP, on SQLite and on PostgreSQL: a lecturer asks
//! for changes on one answer, the students see the comment there, edit and
//! resubmit, and the lecturer sees exactly the changed words before
//! approving; the history keeps the submitted original; comments stay
//! within the story's readers; a lecturer and a student acting at the same
//! time never overwrite each other silently.

mod common;

use app::domain::diff::Change;
use app::domain::lifecycle::StoryStatus;
use app::model::{NewStoryForm, RevisionInfo, RevisionView, StoryDetail, StoryDiff};
use common::{answer_key, complete_fields, dutch, patch, Backend, TestApp, User};
use reqwest::StatusCode;
use serde_json::{json, Value};

const ORIGINAL: &str = "Ik drink elke dinsdag koffie in het buurthuis met de buren.";
const REVISED: &str = "Ik drink elke donderdag koffie in het buurthuis met de buren.";

/// A complete story, handed in; returns the form and the version.
async fn submitted_story(app: &TestApp, student: &User) -> (NewStoryForm, i64) {
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let fields = complete_fields(&f, 0, "Koffie op dinsdag", "research,booklet", |i| {
        if i == 0 {
            ORIGINAL.to_string()
        } else {
            format!("Antwoord {}.", i + 1)
        }
    });
    let done = student
        .autosave(&patch(&f, 0, fields).intent(Some("submit")))
        .await
        .unwrap();
    assert_eq!(done.status, StoryStatus::Submitted, "{:?}", done.problems);
    let _ = app;
    (f, done.version)
}

async fn detail(user: &User, f: &NewStoryForm) -> StoryDetail {
    user.ok("story_get", &[("id", &f.story_id.to_string())])
        .await
}

async fn revision_loop(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let (f, version) = submitted_story(&app, &student).await;
    let q1 = f.questions[0].id;
    let id = f.story_id.to_string();

    // Asking for changes needs a comment; this one is about the first answer.
    let e = lecturer
        .err(
            "story_review",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("decision", "request_changes"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("Schrijf erbij"), "{e}");
    lecturer
        .ok::<()>(
            "story_review",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("decision", "request_changes"),
                (
                    "comment",
                    "Welke dag precies? Op de markt zei ze donderdag.",
                ),
                ("question", &q1.to_string()),
            ],
        )
        .await;

    // The students see the comment at that answer.
    let d = detail(&student, &f).await;
    assert_eq!(d.status, StoryStatus::ChangesRequested);
    let c = d
        .comments
        .iter()
        .find(|c| c.body.contains("Welke dag"))
        .expect("comment");
    assert_eq!(c.question, Some(q1));
    assert!(!c.resolved);

    // One word changes; the story is handed in again.
    let done = student
        .autosave(&patch(&f, d.version, json!({ answer_key(q1): REVISED })).intent(Some("submit")))
        .await
        .unwrap();
    assert_eq!(done.status, StoryStatus::Submitted);

    // The lecturer sees exactly that word, and nothing else, as changed.
    let d = detail(&lecturer, &f).await;
    let diff = d
        .since_review
        .expect("a diff since the previous submission");
    let changed: Vec<_> = diff.parts.iter().filter(|p| p.changed).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].question, Some(q1));
    let marked: Vec<(Change, &str)> = changed[0]
        .segments
        .iter()
        .filter(|s| s.change != Change::Same)
        .map(|s| (s.change, s.text.as_str()))
        .collect();
    assert_eq!(
        marked,
        vec![(Change::Removed, "dinsdag"), (Change::Added, "donderdag")]
    );
    lecturer
        .ok::<()>(
            "story_review",
            &[
                ("id", &id),
                ("version", &d.version.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(detail(&student, &f).await.status, StoryStatus::Approved);

    // The history keeps the first submission as it was.
    let revisions: Vec<RevisionInfo> = student.ok("story_revisions", &[("id", &id)]).await;
    let submissions: Vec<i64> = revisions
        .iter()
        .filter(|r| r.kind == "submitted")
        .map(|r| r.number)
        .collect();
    assert_eq!(submissions.len(), 2);
    let original: RevisionView = lecturer
        .ok(
            "story_revision",
            &[("id", &id), ("number", &submissions[0].to_string())],
        )
        .await;
    assert_eq!(
        original.answers.get(&q1).map(String::as_str),
        Some(ORIGINAL)
    );
    let compared: StoryDiff = lecturer
        .ok(
            "story_diff",
            &[
                ("id", &id),
                ("from", &submissions[0].to_string()),
                ("to", &submissions[1].to_string()),
            ],
        )
        .await;
    assert_eq!(compared.parts.iter().filter(|p| p.changed).count(), 1);

    // Every transition is in the audit log, with who did it.
    let actions: Vec<(String,)> = sqlx::query_as(
        "SELECT action FROM audit_event WHERE subject_id = $1 AND action IN ('story.submit', 'story.request_changes', 'story.approve') ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "story.submit",
            "story.request_changes",
            "story.submit",
            "story.approve"
        ]
    );
}

async fn comment_threads_and_permissions(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let (f, _) = submitted_story(&app, &student).await;
    let id = f.story_id.to_string();
    let q2 = f.questions[1].id.to_string();
    lecturer
        .ok::<()>(
            "story_comment",
            &[
                ("id", &id),
                ("body", "Mooi antwoord, kan het iets langer?"),
                ("question", &q2),
            ],
        )
        .await;
    let root = detail(&lecturer, &f).await.comments[0].id.to_string();
    // The group's student replies; the reply joins the thread at the same answer.
    student
        .ok::<()>(
            "story_comment",
            &[
                ("id", &id),
                ("body", "Ja, ik vul het aan."),
                ("parent", &root),
            ],
        )
        .await;
    let d = detail(&student, &f).await;
    let reply = d
        .comments
        .iter()
        .find(|c| c.body.starts_with("Ja,"))
        .unwrap();
    assert_eq!(reply.parent.map(|p| p.to_string()), Some(root.clone()));
    assert_eq!(reply.question.map(|q| q.to_string()), Some(q2.clone()));
    // Resolving closes the whole thread; a new reply opens it again.
    student
        .ok::<()>("comment_resolve", &[("id", &root), ("resolved", "true")])
        .await;
    assert!(detail(&lecturer, &f)
        .await
        .comments
        .iter()
        .all(|c| c.resolved));
    lecturer
        .ok::<()>(
            "story_comment",
            &[("id", &id), ("body", "Dank je!"), ("parent", &root)],
        )
        .await;
    assert!(detail(&lecturer, &f)
        .await
        .comments
        .iter()
        .all(|c| !c.resolved));

    // Outsiders neither read nor write comments.
    for email in [
        "student2@zuyd.example",
        "docent2@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let other = app.login(email).await;
        other
            .err("story_get", &[("id", &id)], StatusCode::NOT_FOUND)
            .await;
        other
            .err(
                "story_comment",
                &[("id", &id), ("body", "Hallo")],
                StatusCode::NOT_FOUND,
            )
            .await;
        other
            .err(
                "comment_resolve",
                &[("id", &root), ("resolved", "true")],
                StatusCode::NOT_FOUND,
            )
            .await;
    }
    // A reply to a comment of another story is refused.
    let (g, _) = submitted_story(&app, &student).await;
    lecturer
        .err(
            "story_comment",
            &[
                ("id", &g.story_id.to_string()),
                ("body", "Verkeerd"),
                ("parent", &root),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
}

async fn concurrent_decisions_never_overwrite(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let (f, version) = submitted_story(&app, &student).await;
    let id = f.story_id.to_string();
    let stale = version.to_string();
    lecturer
        .ok::<()>(
            "story_review",
            &[
                ("id", &id),
                ("version", &stale),
                ("decision", "request_changes"),
                ("comment", "Graag de dag controleren."),
            ],
        )
        .await;
    let v = detail(&student, &f).await.version;

    // The student revises and hands in again while the lecturer, on a page
    // still showing the first submission, clicks "approve": the approval is
    // refused as outdated — nobody approves text they have not seen.
    let q1 = answer_key(f.questions[0].id);
    let stale_approval = [
        ("id", id.as_str()),
        ("version", stale.as_str()),
        ("decision", "approve"),
    ];
    let resubmit = patch(&f, v, json!({ q1: REVISED })).intent(Some("submit"));
    let (resubmitted, approve) = tokio::join!(
        student.autosave(&resubmit),
        lecturer.call("story_review", &stale_approval),
    );
    assert_eq!(resubmitted.unwrap().status, StoryStatus::Submitted);
    assert_eq!(approve.status(), StatusCode::CONFLICT);
    let body: Value = approve.json().await.unwrap();
    assert!(dutch(&body).contains("intussen gewijzigd"), "{body}");

    // Two decisions on the same version at the same time (two lecturers, or
    // two tabs): exactly one is applied, the other gets 409.
    let d = detail(&lecturer, &f).await;
    assert_eq!(d.status, StoryStatus::Submitted);
    let current = d.version.to_string();
    let approve = [
        ("id", id.as_str()),
        ("version", current.as_str()),
        ("decision", "approve"),
    ];
    let send_back = [
        ("id", id.as_str()),
        ("version", current.as_str()),
        ("decision", "request_changes"),
        ("comment", "Nog één ding."),
    ];
    let docent2 = app.login("docent@zuyd.example").await;
    let (a, b) = tokio::join!(
        lecturer.call("story_review", &approve),
        docent2.call("story_review", &send_back)
    );
    let statuses = [a.status(), b.status()];
    assert_eq!(
        statuses.iter().filter(|s| s.is_success()).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::CONFLICT), "{statuses:?}");
    let end = detail(&student, &f).await.status;
    assert!(matches!(
        end,
        StoryStatus::Approved | StoryStatus::ChangesRequested
    ));
    // The losing comment was not stored either.
    let comments = detail(&lecturer, &f).await.comments;
    assert_eq!(
        end == StoryStatus::ChangesRequested,
        comments.iter().any(|c| c.body == "Nog één ding.")
    );
}

both_backends! {
    revision_loop => super::revision_loop;
    comment_threads_and_permissions => super::comment_threads_and_permissions;
    concurrent_decisions_never_overwrite => super::concurrent_decisions_never_overwrite;
}
