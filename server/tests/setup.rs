//! First run, on SQLite and on PostgreSQL: the real binary's
//! `admin create` makes the first administrator of an empty installation
//! (start password from stdin or printed), refuses bad input without
//! leaving anything behind, refuses once an administrator exists; the
//! administrator then signs in to the server started without demo data.
//! And every subcommand answers `--help`.

mod common;

use app::domain::role::Role;
use app::model::Me;
use common::{Backend, Fresh};
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wijkverhalen");
const EMAIL: &str = "coordinator@werkplaats.example";
const PASSWORD: &str = "start-wachtwoord-2027";

/// Runs `wijkverhalen args…` against the installation, with `stdin`.
fn run(fresh: &Fresh, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", &fresh.database_url)
        .env("WV_DATA_DIR", &fresh.data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wijkverhalen");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn count(db: &app::db::Db, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

async fn first_run(backend: Backend) {
    let fresh = common::fresh(backend).await;
    let create = |stdin: bool| {
        let mut args = vec![
            "admin",
            "create",
            "--email",
            EMAIL,
            "--org",
            "Werkplaats Sociaal Domein Zuyd",
        ];
        if stdin {
            args.push("--password-stdin");
        }
        args
    };

    // Bad input is refused, in Dutch, and leaves nothing behind.
    let out = run(&fresh, &create(true), Some("kort\n"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("te kort"), "{}", text(&out));
    let out = run(
        &fresh,
        &[
            "admin",
            "create",
            "--email",
            "geen-adres",
            "--org",
            "Zuyd",
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("geen geldig e-mailadres"),
        "{}",
        text(&out)
    );

    // The first administrator, with the start password from stdin.
    let out = run(&fresh, &create(true), Some(&format!("{PASSWORD}\n")));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Beheerder coordinator@werkplaats.example aangemaakt"),
        "{}",
        text(&out)
    );
    assert!(
        !text(&out).contains(PASSWORD),
        "a password from stdin is not echoed"
    );

    // Once there is an administrator, the command is gone.
    let out = run(&fresh, &create(false), None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("al een beheerder"), "{}", text(&out));

    // The server, started without demo data, lets the administrator in.
    let app = common::spawn_on(fresh, false).await;
    assert_eq!(
        count(&app.db, "organisation").await,
        1,
        "one organisation, nothing half-made"
    );
    assert_eq!(count(&app.db, "app_user").await, 1);
    let (audited,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_event WHERE action = 'admin.first'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1, "the first administrator is in the audit log");
    let admin = app.login_with(EMAIL, PASSWORD).await;
    let me: Option<Me> = admin.ok("me", &[]).await;
    let me = me.expect("signed in");
    assert_eq!(me.roles, vec![Role::Admin]);
    // A wrong password is still refused.
    let stranger = app.client();
    let r = stranger
        .call(
            "login",
            &[("email", EMAIL), ("password", "niet-het-wachtwoord")],
        )
        .await;
    assert!(!r.status().is_success(), "wrong password: {}", r.status());
}

async fn printed_start_password(backend: Backend) {
    let fresh = common::fresh(backend).await;
    let out = run(
        &fresh,
        &[
            "admin",
            "create",
            "--email",
            EMAIL,
            "--org",
            "Werkplaats Utrecht",
            "--name",
            "Coördinator",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    let password = printed
        .lines()
        .find_map(|l| l.strip_prefix("Startwachtwoord: "))
        .unwrap_or_else(|| panic!("no start password in {printed}"))
        .trim()
        .to_string();
    let app = common::spawn_on(fresh, false).await;
    let admin = app.login_with(EMAIL, &password).await;
    let me: Option<Me> = admin.ok("me", &[]).await;
    assert_eq!(me.expect("signed in").name, "Coördinator");
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["admin", "--help"],
        vec!["admin", "create", "--help"],
        vec!["booklet-worker", "--help"],
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for sub in ["serve", "admin", "booklet-worker"] {
        assert!(help.contains(sub), "{sub} missing from --help: {help}");
    }
    let out = Command::new(BIN).arg("onzin").output().unwrap();
    assert!(!out.status.success(), "an unknown subcommand is an error");
}

both_backends! {
    first_run => super::first_run;
    printed_start_password => super::printed_start_password;
}
