//! A forgotten password over HTTP, on SQLite and on PostgreSQL: the link
//! arrives by mail (only its hash is stored), works once and only within
//! the hour, ends the account's sessions; the answer is the same for an
//! address without an account, and a deactivated account gets no link.

mod common;

use common::{mails, Backend, TestApp, User, PASSWORD};
use reqwest::StatusCode;

/// The reset secret in a mail (quoted-printable soft breaks undone).
fn secret_in(mail: &str) -> String {
    let text = mail.replace("=\r\n", "").replace("=\n", "");
    let at = text.find("sleutel=").expect("a reset link") + "sleutel=".len();
    let rest = text[at..].strip_prefix("3D").unwrap_or(&text[at..]);
    rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect()
}

/// The reset mails sent so far, once there are `n` (mail leaves in the
/// background; notification mails are passed over).
async fn reset_mails(app: &TestApp, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let found: Vec<String> = mails(app, 0)
            .await
            .into_iter()
            .filter(|m| m.contains("sleutel"))
            .collect();
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("fewer than {n} reset mails");
}

async fn reset(u: &User, token: &str, new: &str, repeat: &str) -> reqwest::Response {
    u.call(
        "password_reset",
        &[("token", token), ("new", new), ("repeat", repeat)],
    )
    .await
}

async fn links(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM password_reset")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

async fn a_link_by_mail_works_once(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let visitor = app.client();
    let earlier = app.login("student@zuyd.example").await;

    let known = visitor
        .call("password_forgotten", &[("email", " Student@Zuyd.example ")])
        .await;
    let unknown = visitor
        .call("password_forgotten", &[("email", "niemand@zuyd.example")])
        .await;
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(unknown.status(), StatusCode::OK);
    assert_eq!(
        known.text().await.unwrap(),
        unknown.text().await.unwrap(),
        "no user enumeration"
    );
    let mail = reset_mails(&app, 1).await;
    assert_eq!(mail.len(), 1, "one mail, to the known address");
    assert!(mail[0].contains("student@zuyd.example"));
    let secret = secret_in(&mail[0]);
    assert_eq!(secret.len(), 64, "{}", mail[0]);
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM password_reset")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, secret, "only a hash is stored");
    assert_eq!(links(&app).await, 1, "no link for the unknown address");

    let usable: bool = visitor
        .ok("password_reset_check", &[("token", &secret)])
        .await;
    assert!(usable);
    let r = reset(
        &visitor,
        &secret,
        "een nieuw wachtwoord hier",
        "een ander wachtwoord hier",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let _: serde_json::Value = earlier.ok("stories_mine", &[]).await;
    let r = reset(
        &visitor,
        &secret,
        "een nieuw wachtwoord hier",
        "een nieuw wachtwoord hier",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // Every session ended; the old password is gone, the new one works.
    earlier
        .err("stories_mine", &[], StatusCode::UNAUTHORIZED)
        .await;
    let r = app
        .client()
        .call(
            "login",
            &[("email", "student@zuyd.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let now = app
        .login_with("student@zuyd.example", "een nieuw wachtwoord hier")
        .await;
    let _: serde_json::Value = now.ok("stories_mine", &[]).await;

    // Once only.
    let r = reset(
        &visitor,
        &secret,
        "nog een ander wachtwoord",
        "nog een ander wachtwoord",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("verlopen of al gebruikt"));
    let usable: bool = visitor
        .ok("password_reset_check", &[("token", &secret)])
        .await;
    assert!(!usable);
    let r = reset(
        &visitor,
        &"0".repeat(64),
        "nog een ander wachtwoord",
        "nog een ander wachtwoord",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::audit_count(&app, "password.reset").await, 1);
}

async fn expired_and_other_links(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let visitor = app.client();
    // A link of an hour ago no longer works.
    let (uid,): (String,) =
        sqlx::query_as("SELECT id FROM app_user WHERE email = 'docent@zuyd.example'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (secret, hash) = app::api::auth::password::reset_secret();
    let past =
        app::domain::time::Timestamp(chrono::Utc::now() - chrono::Duration::minutes(1)).to_db();
    let mut conn = app.db.pool.acquire().await.unwrap();
    app::db::password_reset::insert(&mut conn, &hash, uid.parse().unwrap(), &past)
        .await
        .unwrap();
    drop(conn);
    let r = reset(
        &visitor,
        &secret,
        "een nieuw wachtwoord hier",
        "een nieuw wachtwoord hier",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let _ = app.login("docent@zuyd.example").await;

    // Two links asked for: using one retires the other.
    for _ in 0..2 {
        let r = visitor
            .call("password_forgotten", &[("email", "docent@zuyd.example")])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let sent = reset_mails(&app, 2).await;
    let (a, b) = (secret_in(&sent[0]), secret_in(&sent[1]));
    assert_ne!(a, b);
    let r = reset(
        &visitor,
        &a,
        "een nieuw wachtwoord hier",
        "een nieuw wachtwoord hier",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = reset(
        &visitor,
        &b,
        "nog een ander wachtwoord",
        "nog een ander wachtwoord",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A deactivated account gets no link (and the answer is the same).
    let before = links(&app).await;
    sqlx::query("UPDATE app_user SET disabled_at = '2026-01-01T00:00:00.000000Z' WHERE email = 'student2@zuyd.example'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = visitor
        .call("password_forgotten", &[("email", "student2@zuyd.example")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(links(&app).await, before);
    let r = visitor
        .call("password_forgotten", &[("email", "geen adres")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

both_backends! {
    a_link_by_mail_works_once => super::a_link_by_mail_works_once;
    expired_and_other_links => super::expired_and_other_links;
}
