//! Test harness: a real server on a random port against a fresh database.
//!
//! Every test gets its own database — a new SQLite file in a temporary
//! directory, or a new PostgreSQL database on the server named by
//! `WV_TEST_POSTGRES_URL` (`scripts/test-all` starts a throwaway cluster and
//! sets it). PostgreSQL tests fail, loudly, when that variable is missing:
//! they are never skipped in silence.

#![allow(dead_code)]

use app::db::Db;
use app::domain::ids::{GroupId, QuestionId, StoryId};
use app::domain::story_form::FieldKey;
use app::model::{NewStoryForm, SaveOutcome};
use reqwest::{Client, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use server::config::Config;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Password of every demo account in tests.
pub const PASSWORD: &str = "test-wachtwoord-2026";

/// The database backends the suite runs against.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    pub data_dir: PathBuf,
    _tmp: tempfile::TempDir,
    /// The demo's ids (`None` for an installation without demo data).
    pub demo: Option<server::seed::Demo>,
}

async fn postgres_url() -> String {
    let base = std::env::var("WV_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "WV_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite needs a server. \
             Run scripts/test-all (it starts a throwaway cluster), or set it to postgres://user@host:port/db"
        )
    });
    let name = format!("wv_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
        .await
        .expect("connect to WV_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
    format!("{prefix}/{name}")
}

/// An empty installation: a temporary data directory and a fresh database
/// (a SQLite file in it, or a new PostgreSQL database).
pub struct Fresh {
    pub tmp: tempfile::TempDir,
    pub data_dir: PathBuf,
    pub database_url: String,
}

/// A fresh, empty installation for `backend`.
pub async fn fresh(backend: Backend) -> Fresh {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data_dir = tmp.path().join("data");
    let database_url = match backend {
        Backend::Sqlite => server::config::sqlite_url(&data_dir),
        Backend::Postgres => postgres_url().await,
    };
    Fresh {
        tmp,
        data_dir,
        database_url,
    }
}

/// Starts the whole application (demo data included) on a random port.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let app = spawn_on(fresh(backend).await, true).await;
    app.demo.as_ref().expect("demo data");
    app
}

/// Starts the whole application on `fresh`, with the demo data or without
/// (as a werkplaats installs it).
pub async fn spawn_on(fresh: Fresh, demo: bool) -> TestApp {
    let Fresh {
        tmp,
        data_dir,
        database_url,
    } = fresh;
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.clone(),
        database_url,
        site_root: tmp.path().join("site"),
        public_url: "http://127.0.0.1".into(),
        demo,
        demo_password: Some(PASSWORD.into()),
        booklet_memory_mb: 4096,
        worker_exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_wijkverhalen"))),
        db_connections: 5,
        mail: server::mail::MailConfig {
            dir: Some(data_dir.join("mail")),
            ..Default::default()
        },
    };
    let built = server::startup::build(&config).await.expect("build app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, built.router).await.unwrap();
    });
    let db = built.state.server.db.clone();
    let demo = if demo {
        Some(server::seed::demo(&db, PASSWORD).await.expect("demo ids"))
    } else {
        None
    };
    TestApp {
        addr,
        db,
        data_dir,
        _tmp: tmp,
        demo,
    }
}

impl TestApp {
    /// The directory the static handler serves (`pkg/`, assets): empty at
    /// the start; a test may put files there.
    pub fn site_root(&self) -> PathBuf {
        self._tmp.path().join("site")
    }

    /// A full URL for `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new browser-like client (own cookie jar), not signed in.
    pub fn client(&self) -> User {
        User {
            base: format!("http://{}", self.addr),
            http: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// The demo's ids (panics for an installation without demo data).
    pub fn demo(&self) -> &server::seed::Demo {
        self.demo.as_ref().expect("an app with demo data")
    }

    /// A client signed in as `email` (a demo account).
    pub async fn login(&self, email: &str) -> User {
        self.login_with(email, PASSWORD).await
    }

    /// A client signed in as `email` with `password`.
    pub async fn login_with(&self, email: &str, password: &str) -> User {
        let u = self.client();
        let r = u
            .call("login", &[("email", email), ("password", password)])
            .await;
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "login {email}: {}",
            r.status()
        );
        u
    }
}

/// A client with its own session.
pub struct User {
    pub base: String,
    pub http: Client,
}

impl User {
    /// Calls a server function the way the hydrated client does (form body,
    /// JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function and decodes a successful JSON answer.
    pub async fn ok<T: DeserializeOwned>(&self, endpoint: &str, form: &[(&str, &str)]) -> T {
        let r = self.call(endpoint, form).await;
        let status = r.status();
        let body = r.text().await.unwrap();
        assert!(status.is_success(), "{endpoint} → {status}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{endpoint}: {e}: {body}"))
    }

    /// Calls a server function that must fail with `status`; returns the error JSON.
    pub async fn err(&self, endpoint: &str, form: &[(&str, &str)], status: StatusCode) -> Value {
        let r = self.call(endpoint, form).await;
        let got = r.status();
        let body = r.text().await.unwrap();
        assert_eq!(got, status, "{endpoint}: {body}");
        serde_json::from_str(&body).unwrap_or(Value::String(body))
    }

    /// Calls a JSON-encoded server function (e.g. autosave) with `body`.
    pub async fn call_json(&self, endpoint: &str, body: &Value) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// GET a path (pages, downloads).
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// Sends an autosave; the outcome, or the status and error JSON.
    pub async fn autosave(&self, patch: &Patch) -> Result<SaveOutcome, (StatusCode, Value)> {
        let r = self.call_json("story_autosave", &patch.body()).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        if status.is_success() {
            Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
        } else {
            Err((
                status,
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
            ))
        }
    }

    /// Sends an autosave that must succeed.
    pub async fn autosave_ok(&self, patch: &Patch) -> SaveOutcome {
        self.autosave(patch)
            .await
            .unwrap_or_else(|(status, body)| panic!("autosave → {status}: {body}"))
    }
}

/// The key of the answer to `question` in an autosave patch, in the form's
/// one vocabulary ([`FieldKey`]).
pub fn answer_key(question: QuestionId) -> String {
    FieldKey::Answer(question).name()
}

/// The form control name of the answer to `question` (a posted form).
pub fn answer_form_name(question: QuestionId) -> String {
    FieldKey::Answer(question).form_name()
}

/// An autosave (`story_autosave`) of the story of `form`, as the browser
/// sends it: the changed fields (keyed by [`FieldKey::name`]) on a base
/// version, under a fresh save id unless [`Patch::save_id`] says otherwise.
#[derive(Debug, Clone)]
pub struct Patch {
    story: StoryId,
    group: GroupId,
    base: i64,
    fields: Value,
    save_id: String,
    earlier: Vec<String>,
    intent: Option<String>,
}

/// A [`Patch`] of `fields` (a JSON object) on version `base` of the story of `f`.
pub fn patch(f: &NewStoryForm, base: i64, fields: Value) -> Patch {
    Patch {
        story: f.story_id,
        group: f.groups[0].id,
        base,
        fields,
        save_id: uuid::Uuid::new_v4().to_string(),
        earlier: Vec::new(),
        intent: None,
    }
}

impl Patch {
    /// Sends it under this save id (a repeat of an earlier save).
    pub fn save_id(mut self, id: &str) -> Self {
        self.save_id = id.to_string();
        self
    }

    /// This device's earlier saves whose answer never arrived.
    pub fn earlier<S: AsRef<str>>(mut self, saves: &[S]) -> Self {
        self.earlier = saves.iter().map(|s| s.as_ref().to_string()).collect();
        self
    }

    /// `submit` to hand the story in.
    pub fn intent(mut self, intent: Option<&str>) -> Self {
        self.intent = intent.map(str::to_string);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        serde_json::json!({ "patch": {
            "id": self.story,
            "save_id": self.save_id,
            "base_version": self.base,
            "group": self.group,
            "fields": self.fields,
            "earlier_saves": self.earlier,
            "intent": self.intent,
        }})
    }
}

/// A complete story (title, pseudonym, `scopes`, a witness, every question
/// answered with `answer(i)`) as autosave fields for the story of `f`, in
/// neighbourhood `neighbourhood` of its first group.
pub fn complete_fields(
    f: &NewStoryForm,
    neighbourhood: usize,
    title: &str,
    scopes: &str,
    answer: impl Fn(usize) -> String,
) -> Value {
    let mut fields = serde_json::Map::new();
    fields.insert(
        FieldKey::Neighbourhood.name(),
        serde_json::json!(f.groups[0].neighbourhoods[neighbourhood].id),
    );
    fields.insert(FieldKey::Title.name(), serde_json::json!(title));
    fields.insert(
        FieldKey::Pseudonym.name(),
        serde_json::json!("Mevrouw Kessels"),
    );
    fields.insert(FieldKey::Scopes.name(), serde_json::json!(scopes));
    fields.insert(FieldKey::Witness.name(), serde_json::json!("Sanne Hermans"));
    for (i, q) in f.questions.iter().enumerate() {
        fields.insert(answer_key(q.id), serde_json::json!(answer(i)));
    }
    Value::Object(fields)
}

/// A new story of `student`'s first group with only a pseudonym and the
/// given consent `scopes` saved.
pub async fn story_with_scopes(student: &User, pseudonym: &str, scopes: &str) -> NewStoryForm {
    let f = new_form(student).await;
    student
        .autosave_ok(&patch(
            &f,
            0,
            serde_json::json!({
                "neighbourhood": f.groups[0].neighbourhoods[0].id,
                "pseudonym": pseudonym,
                "scopes": scopes,
            }),
        ))
        .await;
    f
}

/// A complete story form for the student's first group (research,
/// booklet and web consent; every question answered), to change with
/// [`Story::set`] and send with [`Story::save`].
pub struct Story {
    pub fields: Vec<(String, String)>,
}

impl Story {
    pub fn new(
        f: &app::model::NewStoryForm,
        neighbourhood: usize,
        title: &str,
        answer_prefix: &str,
    ) -> Story {
        let g = &f.groups[0];
        let mut fields = vec![
            ("form[id]".to_string(), f.story_id.to_string()),
            ("form[save_id]".into(), f.save_id.clone()),
            ("form[version]".into(), "0".into()),
            ("form[group]".into(), g.id.to_string()),
            (
                FieldKey::Neighbourhood.form_name(),
                g.neighbourhoods[neighbourhood].id.to_string(),
            ),
            (FieldKey::Title.form_name(), title.into()),
            (FieldKey::Pseudonym.form_name(), "Mevrouw Kessels".into()),
            (FieldKey::AgeBand.form_name(), "65-79".into()),
            (FieldKey::Years.form_name(), "41".into()),
            (FieldKey::Scopes.form_name(), "research".into()),
            (FieldKey::Scopes.form_name(), "booklet".into()),
            (FieldKey::Scopes.form_name(), "web".into()),
            (FieldKey::Witness.form_name(), "Sanne Hermans".into()),
        ];
        for (i, q) in f.questions.iter().enumerate() {
            fields.push((
                answer_form_name(q.id),
                format!("{answer_prefix} antwoord {} over de buurt.", i + 1),
            ));
        }
        Story { fields }
    }

    pub fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.fields.retain(|(k, _)| k != key || k.ends_with("[]"));
        self.fields.push((key.to_string(), value.to_string()));
        self
    }

    pub fn remove(&mut self, key: &str) -> &mut Self {
        self.fields.retain(|(k, _)| k != key);
        self
    }

    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    pub async fn save(&self, u: &User) -> app::model::SaveOutcome {
        u.ok("story_save", &self.pairs()).await
    }
}

pub async fn new_form(u: &User) -> NewStoryForm {
    u.ok("story_new_form", &[]).await
}

/// Polls a booklet build until it is done or failed (at most 120 s).
pub async fn wait_for_build(u: &User, build: app::domain::ids::BuildId) -> app::model::BuildView {
    for _ in 0..600 {
        let b: app::model::BuildView = u
            .ok("booklet_status", &[("build", &build.to_string())])
            .await;
        if matches!(
            b.status,
            app::model::BuildStatus::Done | app::model::BuildStatus::Failed
        ) {
            return b;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("build did not finish in 120 s");
}

/// The Dutch message inside an `AppError` JSON value.
pub fn dutch(err: &Value) -> String {
    fn find(v: &Value) -> Option<String> {
        match v {
            Value::Object(m) => m
                .get("nl")
                .and_then(|n| n.as_str().map(String::from))
                .or_else(|| m.values().find_map(find)),
            Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    find(err).unwrap_or_else(|| err.to_string())
}

/// Longest a test body may take before it fails as hung (the slowest, a
/// booklet build on a busy machine, needs well under a minute).
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs a test body, failing it (instead of hanging the whole suite, which
/// has no time limit of its own) when it takes longer than
/// [`TEST_TIME_LIMIT`].
pub async fn within_limit(name: &str, body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, body).await.is_err() {
        panic!("{name} did not finish within {TEST_TIME_LIMIT:?}: something waits forever");
    }
}

/// Generates a SQLite and a PostgreSQL test from one async body taking a
/// [`Backend`], each failing rather than hanging (see [`within_limit`]).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident => $body:path;)*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::within_limit(
                        concat!("sqlite::", stringify!($name)),
                        $body($crate::common::Backend::Sqlite),
                    )
                    .await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::within_limit(
                        concat!("postgres::", stringify!($name)),
                        $body($crate::common::Backend::Postgres),
                    )
                    .await;
                }
            )*
        }
    };
}

/// How many audit events with `action` the database holds.
pub async fn audit_count(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_event WHERE action = $1")
            .bind(action)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    n
}

/// The mails written to the test server's mail directory (`.eml` files),
/// once there are at least `at_least` of them (mail leaves in the
/// background).
pub async fn mails(app: &TestApp, at_least: usize) -> Vec<String> {
    let dir = app.data_dir.join("mail");
    for _ in 0..100 {
        let found: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= at_least {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("fewer than {at_least} mails in {}", dir.display());
}

/// A second organisation ("Werkplaats Utrecht") with its own administrator
/// (Ute, `beheer@utrecht.example`), signed in: to show that one
/// organisation's records do not exist for another's staff.
pub async fn foreign_admin(app: &TestApp) -> (app::domain::ids::OrganisationId, User) {
    let other = app::db::org::create_organisation(&app.db.pool, "utrecht", "Werkplaats Utrecht")
        .await
        .unwrap();
    let hash = app::api::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    let uid = app::db::users::create(&app.db.pool, "beheer@utrecht.example", "Ute", &hash)
        .await
        .unwrap();
    app::db::users::grant_role(
        &app.db.pool,
        uid,
        other,
        app::domain::role::Role::Admin,
        None,
    )
    .await
    .unwrap();
    (other, app.login("beheer@utrecht.example").await)
}
