//! Accounts over HTTP, on SQLite and on PostgreSQL: a start password must
//! be replaced before anything else opens, a password change ends the
//! account's other sessions; administrators find accounts, grant and revoke
//! roles (never the last administrator), deactivate an account (its
//! sessions end at once) and give it a new start password. Refusals for
//! other roles and other organisations, an audit event for every change.

mod common;

use app::domain::ids::UserId;
use app::domain::role::Role;
use app::model::{AccountsView, Me, MembersAdded};
use common::{audit_count, dutch, Backend, TestApp, User, PASSWORD};
use reqwest::StatusCode;

async fn accounts(u: &User, form: &[(&str, &str)]) -> AccountsView {
    u.ok("accounts", form).await
}

async fn me(u: &User) -> Option<Me> {
    u.ok("me", &[]).await
}

async fn user_id(app: &TestApp, email: &str) -> UserId {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM app_user WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id.parse().unwrap()
}

/// A new student account made by the coordinator; its start password.
async fn new_student(app: &TestApp, admin: &User) -> String {
    let added: MembersAdded = admin
        .ok(
            "group_add_members",
            &[
                ("group", &app.demo().group_sittard.to_string()),
                ("role", "student"),
                ("lines", "Noor Nieuw <noor@zuyd.example>"),
            ],
        )
        .await;
    added.people[0]
        .start_password
        .clone()
        .expect("a start password")
}

async fn change(u: &User, current: &str, new: &str) -> reqwest::Response {
    u.call(
        "password_change",
        &[("current", current), ("new", new), ("repeat", new)],
    )
    .await
}

async fn start_password_first(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let start = new_student(&app, &admin).await;
    let tablet = app.login_with("noor@zuyd.example", &start).await;
    let laptop = app.login_with("noor@zuyd.example", &start).await;
    assert!(me(&tablet).await.unwrap().must_change_password);
    let e = tablet.err("stories_mine", &[], StatusCode::FORBIDDEN).await;
    assert!(dutch(&e).contains("Kies eerst een eigen wachtwoord"), "{e}");
    // The pages send them to their account page.
    let r = tablet
        .http
        .get(format!("{}/verhalen", tablet.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers()["location"], "/account");

    for (current, new, says) in [
        (
            "fout-wachtwoord",
            "een eigen lange zin hier",
            "huidige wachtwoord klopt niet",
        ),
        (start.as_str(), "te kort", "te kort"),
        (start.as_str(), start.as_str(), "ander wachtwoord"),
    ] {
        let r = change(&tablet, current, new).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{new}");
        assert!(r.text().await.unwrap().contains(says), "{says}");
    }
    let r = tablet
        .call(
            "password_change",
            &[
                ("current", &start),
                ("new", "een eigen lange zin"),
                ("repeat", "een andere lange zin"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(me(&laptop).await.is_some(), "nothing changed yet");

    let r = change(&tablet, &start, "koffie bij de buren op dinsdag").await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert!(!me(&tablet).await.unwrap().must_change_password);
    let _: serde_json::Value = tablet.ok("stories_mine", &[]).await;
    // The other session is over; the old password no longer works.
    assert!(me(&laptop).await.is_none());
    laptop
        .err("stories_mine", &[], StatusCode::UNAUTHORIZED)
        .await;
    let r = app
        .client()
        .call(
            "login",
            &[("email", "noor@zuyd.example"), ("password", &start)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = app
        .login_with("noor@zuyd.example", "koffie bij de buren op dinsdag")
        .await;
    assert!(!me(&again).await.unwrap().must_change_password);
    assert_eq!(audit_count(&app, "password.change").await, 1);

    // The language choice is kept with the account.
    let _: () = again.ok("language", &[("lang", "en")]).await;
    let (lang,): (Option<String>,) =
        sqlx::query_as("SELECT language FROM app_user WHERE email = $1")
            .bind("noor@zuyd.example")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(lang.as_deref(), Some("en"));
    let r = app
        .client()
        .call(
            "login",
            &[
                ("email", "noor@zuyd.example"),
                ("password", "koffie bij de buren op dinsdag"),
            ],
        )
        .await;
    let cookies: Vec<_> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("wv_lang=en")),
        "{cookies:?}"
    );
}

async fn admins_manage_accounts(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let org = app.demo().organisation.to_string();
    let all = accounts(&admin, &[]).await;
    assert!(all.accounts.len() >= 6, "{}", all.accounts.len());
    let found = accounts(&admin, &[("q", "HERMANS")]).await;
    assert_eq!(found.accounts.len(), 1);
    assert_eq!(found.accounts[0].email, "student@zuyd.example");
    let by_mail = accounts(&admin, &[("q", "docent@")]).await;
    assert_eq!(by_mail.accounts.len(), 1);
    let lecturers = accounts(&admin, &[("role", "lecturer")]).await;
    assert!(lecturers
        .accounts
        .iter()
        .all(|a| a.roles.iter().any(|g| g.role == Role::Lecturer)));
    assert!(!lecturers.accounts.is_empty());

    // A role granted opens its pages; revoked, it closes them again.
    let docent = app.login("docent@zuyd.example").await;
    let docent_id = user_id(&app, "docent@zuyd.example").await.to_string();
    docent.err("editions", &[], StatusCode::FORBIDDEN).await;
    let grant = |role: &'static str, grant: &'static str| {
        let (org, user) = (org.clone(), docent_id.clone());
        let admin = &admin;
        async move {
            admin
                .call(
                    "account_role",
                    &[
                        ("organisation", &org),
                        ("user", &user),
                        ("role", role),
                        ("grant", grant),
                    ],
                )
                .await
        }
    };
    assert_eq!(grant("researcher", "true").await.status(), StatusCode::OK);
    let _: serde_json::Value = docent.ok("editions", &[]).await;
    assert_eq!(grant("researcher", "false").await.status(), StatusCode::OK);
    docent.err("editions", &[], StatusCode::FORBIDDEN).await;
    assert_eq!(audit_count(&app, "role.grant").await, 1);
    assert_eq!(audit_count(&app, "role.revoke").await, 1);
    // The municipality role needs the municipality.
    let r = grant("municipality", "true").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Kies de gemeente"));

    // The last administrator stays.
    let admin_id = user_id(&app, "beheer@zuyd.example").await.to_string();
    let e = admin
        .err(
            "account_role",
            &[
                ("organisation", &org),
                ("user", &admin_id),
                ("role", "admin"),
                ("grant", "false"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("laatste beheerder"), "{e}");
    let e = admin
        .err(
            "account_active",
            &[("organisation", &org), ("user", &admin_id)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        dutch(&e).contains("laatste beheerder") || dutch(&e).contains("eigen account"),
        "{e}"
    );
    // With a second administrator the first may step down.
    assert_eq!(grant("admin", "true").await.status(), StatusCode::OK);
    let _: () = admin
        .ok(
            "account_role",
            &[
                ("organisation", &org),
                ("user", &admin_id),
                ("role", "admin"),
                ("grant", "false"),
            ],
        )
        .await;
    admin.err("accounts", &[], StatusCode::FORBIDDEN).await;

    // The new administrator deactivates the student: their session ends at once.
    let student = app.login("student@zuyd.example").await;
    let student_id = user_id(&app, "student@zuyd.example").await.to_string();
    let _: serde_json::Value = student.ok("stories_mine", &[]).await;
    let _: () = docent
        .ok(
            "account_active",
            &[
                ("organisation", &org),
                ("user", &student_id),
                ("active", "false"),
            ],
        )
        .await;
    student
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
    assert!(accounts(&docent, &[("q", "hermans"), ("status", "active")])
        .await
        .accounts
        .is_empty());
    let shown = accounts(&docent, &[("q", "hermans")]).await;
    assert!(
        !shown.accounts[0].active,
        "deactivated accounts are listed, marked"
    );
    let only = accounts(&docent, &[("status", "inactive")]).await;
    assert_eq!(only.accounts.len(), 1);
    let _: () = docent
        .ok(
            "account_active",
            &[
                ("organisation", &org),
                ("user", &student_id),
                ("active", "true"),
            ],
        )
        .await;
    let back = app.login("student@zuyd.example").await;
    let _: serde_json::Value = back.ok("stories_mine", &[]).await;

    // A new start password: shown once, old sessions end, changing comes first.
    let start: String = docent
        .ok(
            "account_reset",
            &[("organisation", &org), ("user", &student_id)],
        )
        .await;
    back.err("stories_mine", &[], StatusCode::UNAUTHORIZED)
        .await;
    let fresh = app.login_with("student@zuyd.example", &start).await;
    assert!(me(&fresh).await.unwrap().must_change_password);
    assert!(accounts(&docent, &[("q", "hermans")]).await.accounts[0].start_password);
    for action in ["user.deactivate", "user.reactivate", "user.password_reset"] {
        assert_eq!(audit_count(&app, action).await, 1, "{action}");
    }
}

async fn only_this_organisations_admins(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let org = app.demo().organisation.to_string();
    let student_id = user_id(&app, "student@zuyd.example").await.to_string();
    for email in [
        "onderzoeker@zuyd.example",
        "docent@zuyd.example",
        "student@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let u = app.login(email).await;
        let e = u.err("accounts", &[], StatusCode::FORBIDDEN).await;
        assert!(dutch(&e).contains("Alleen beheerders"), "{email}: {e}");
        u.err(
            "account_role",
            &[
                ("organisation", &org),
                ("user", &student_id),
                ("role", "admin"),
                ("grant", "true"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
        u.err(
            "account_reset",
            &[("organisation", &org), ("user", &student_id)],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    app.client()
        .err("accounts", &[], StatusCode::UNAUTHORIZED)
        .await;

    let (other, foreign) = common::foreign_admin(&app).await;
    let theirs = accounts(&foreign, &[]).await;
    assert_eq!(theirs.accounts.len(), 1, "only Ute");
    foreign
        .err("accounts", &[("organisation", &org)], StatusCode::NOT_FOUND)
        .await;
    // Zuyd's student is nobody in Utrecht: their own organisation, 404.
    let theirs_org = other.to_string();
    foreign
        .err(
            "account_active",
            &[
                ("organisation", &theirs_org),
                ("user", &student_id),
                ("active", "false"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "account_reset",
            &[("organisation", &theirs_org), ("user", &student_id)],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "account_role",
            &[
                ("organisation", &org),
                ("user", &student_id),
                ("role", "admin"),
                ("grant", "true"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    let student = app.login("student@zuyd.example").await;
    let _: serde_json::Value = student.ok("stories_mine", &[]).await;
    for action in ["user.deactivate", "user.password_reset", "role.grant"] {
        assert_eq!(audit_count(&app, action).await, 0, "{action}");
    }
}

both_backends! {
    start_password_first => super::start_password_first;
    admins_manage_accounts => super::admins_manage_accounts;
    only_this_organisations_admins => super::only_this_organisations_admins;
}
