//! Notifications over HTTP, on SQLite and on PostgreSQL: handing in tells
//! the group's lecturers, asking for changes and approving tell its
//! students, comments reach the other side; opening the story clears its
//! badge; and the outbox mails everyone who did not turn e-mail off.

mod common;

use app::domain::lifecycle::StoryStatus;
use app::domain::notify::NotificationKind;
use app::model::{NewStoryForm, NotificationsPage};
use common::{complete_fields, mails, patch, Backend, User};
use serde_json::json;
use std::time::Duration;

async fn submit(student: &User) -> (NewStoryForm, i64) {
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let mut fields = complete_fields(&f, 0, "Het bankje bij de kerk", "research", |_| {
        "Daar zitten we elke middag.".into()
    });
    fields["pseudonym"] = json!("Meneer Dassen");
    let done = student
        .autosave_ok(&patch(&f, 0, fields).intent(Some("submit")))
        .await;
    assert_eq!(done.status, StoryStatus::Submitted);
    (f, done.version)
}

async fn unread(user: &User) -> i64 {
    user.ok("notifications_unread", &[]).await
}

async fn page(user: &User) -> NotificationsPage {
    user.ok("notifications", &[]).await
}

async fn notifications_follow_the_review_loop(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let other_lecturer = app.login("docent2@zuyd.example").await;
    let other_student = app.login("student2@zuyd.example").await;
    // The lecturer reads everything in the app only.
    lecturer
        .ok::<()>("notifications_email", &[("on", "false")])
        .await;

    let (f, version) = submit(&student).await;
    let id = f.story_id.to_string();
    assert_eq!(unread(&lecturer).await, 1);
    let p = page(&lecturer).await;
    assert_eq!(p.items[0].kind, NotificationKind::Submitted);
    assert!(
        p.items[0]
            .message
            .nl
            .contains("‘Het bankje bij de kerk’ wacht op uw beoordeling"),
        "{:?}",
        p.items[0]
    );
    assert!(!p.email);
    assert_eq!(unread(&other_lecturer).await, 0, "another group's lecturer");
    // The start page says what to do now.
    let todo: Vec<app::model::Todo> = lecturer.ok("dashboard", &[]).await;
    let texts: Vec<&str> = todo.iter().map(|t| t.message.nl.as_str()).collect();
    assert!(texts.contains(&"1 verhaal wacht op review"), "{texts:?}");
    let nothing: Vec<app::model::Todo> = other_lecturer.ok("dashboard", &[]).await;
    assert!(nothing.is_empty(), "{nothing:?}");
    assert_eq!(
        unread(&student).await,
        0,
        "nobody hears of their own action"
    );

    // Opening the story reads its notifications.
    lecturer
        .ok::<app::model::StoryDetail>("story_get", &[("id", &id)])
        .await;
    assert_eq!(unread(&lecturer).await, 0);

    lecturer
        .ok::<()>(
            "story_review",
            &[
                ("id", &id),
                ("version", &version.to_string()),
                ("decision", "request_changes"),
                ("comment", "Welke kerk?"),
            ],
        )
        .await;
    assert_eq!(unread(&student).await, 1);
    let p = page(&student).await;
    assert_eq!(
        p.items[0].message.nl,
        "Je docent heeft om aanpassingen gevraagd bij ‘Het bankje bij de kerk’."
    );
    assert_eq!(unread(&other_student).await, 0);
    let todo: Vec<app::model::Todo> = student.ok("dashboard", &[]).await;
    assert!(
        todo.iter().any(
            |t| t.message.nl == "1 verhaal waarbij je docent om aanpassingen vraagt"
                && t.href == "/verhalen"
        ),
        "{todo:?}"
    );

    // Comments reach the other side.
    student
        .ok::<()>(
            "story_comment",
            &[("id", &id), ("body", "De Sint-Petruskerk.")],
        )
        .await;
    assert_eq!(unread(&lecturer).await, 1);
    student.ok::<()>("notifications_read", &[]).await;
    assert_eq!(unread(&student).await, 0);

    // The outbox mailed the student (e-mail on), never the lecturer (off).
    let sent = mails(&app, 1).await;
    let to_student: Vec<_> = sent
        .iter()
        .filter(|m| m.contains("To: ") && m.contains("student@zuyd.example"))
        .collect();
    assert!(
        to_student
            .iter()
            .any(|m| m.contains("aanpassingen gevraagd")),
        "{sent:?}"
    );
    assert!(
        !sent.iter().any(|m| m.contains("docent@zuyd.example")),
        "the lecturer turned e-mail off"
    );
    // Once the outbox has handled every notification (it runs every few
    // seconds), no further mail can follow: wait for that state.
    let pending = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notification WHERE emailed_at IS NULL",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        n
    };
    for _ in 0..200 {
        if pending().await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(pending().await, 0, "the outbox handled every notification");
    let (to_mail,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notification n JOIN app_user u ON u.id = n.user_id
          WHERE u.email_notifications <> 0 AND u.disabled_at IS NULL",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        mails(&app, 0).await.len() as i64,
        to_mail,
        "each notification is mailed once"
    );
}

both_backends! {
    notifications_follow_the_review_loop => super::notifications_follow_the_review_loop;
}
