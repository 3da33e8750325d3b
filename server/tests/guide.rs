//! The interview guide editor over HTTP, on SQLite and on PostgreSQL: a
//! researcher adds, edits, reorders, archives and restores questions and the
//! student's form follows; stories that answered an archived question keep
//! the answer; other roles and other organisations are refused; two
//! researchers editing at once do not overwrite each other; a closed
//! edition's guide is read-only; plain form posts (no JavaScript) redirect
//! and keep the typed text.

mod common;

use app::domain::story_form::FieldKey;

use app::domain::ids::{EditionId, QuestionId};
use app::model::{GuideEditorQuestion, GuideEditorView, NewStoryForm, SaveOutcome, StoryDetail};
use common::{audit_count, dutch, Backend, TestApp, User, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

async fn editor(u: &User) -> GuideEditorView {
    u.ok("guide_editor", &[]).await
}

async fn new_form(u: &User) -> NewStoryForm {
    u.ok("story_new_form", &[]).await
}

fn texts(form: &NewStoryForm) -> Vec<&str> {
    form.questions.iter().map(|q| q.text.as_str()).collect()
}

async fn edit(u: &User, q: &GuideEditorQuestion, version: i64, text: &str, required: bool) -> i64 {
    let (id, v) = (q.id.to_string(), version.to_string());
    let mut form = vec![
        ("question", id.as_str()),
        ("version", v.as_str()),
        ("text", text),
        ("help_text", q.help_text.as_str()),
    ];
    if required {
        form.push(("required", "true"));
    }
    u.ok("guide_edit", &form).await
}

async fn move_q(u: &User, q: QuestionId, guide_version: i64, direction: &str) {
    let _: () = u
        .ok(
            "guide_move",
            &[
                ("question", &q.to_string()),
                ("guide_version", &guide_version.to_string()),
                ("direction", direction),
            ],
        )
        .await;
}

async fn archive(u: &User, q: &GuideEditorQuestion, archived: bool) {
    let (id, v) = (q.id.to_string(), q.version.to_string());
    let mut form = vec![("question", id.as_str()), ("version", v.as_str())];
    if archived {
        form.push(("archived", "true"));
    }
    let _: () = u.ok("guide_archive", &form).await;
}

/// A story form with an answer to every question of `f`.
fn story_fields(f: &NewStoryForm, intent: &str) -> Vec<(String, String)> {
    let g = &f.groups[0];
    let mut fields = vec![
        ("form[id]".to_string(), f.story_id.to_string()),
        ("form[save_id]".into(), f.save_id.clone()),
        ("form[version]".into(), "0".into()),
        ("form[group]".into(), g.id.to_string()),
        (
            FieldKey::Neighbourhood.form_name(),
            g.neighbourhoods[0].id.to_string(),
        ),
        (FieldKey::Title.form_name(), "De bank bij de kerk".into()),
        (FieldKey::Pseudonym.form_name(), "Meneer Dassen".into()),
        (FieldKey::Scopes.form_name(), "research".into()),
        (FieldKey::Scopes.form_name(), "booklet".into()),
        (FieldKey::Witness.form_name(), "Sanne Hermans".into()),
        ("form[intent]".into(), intent.into()),
    ];
    for (i, q) in f.questions.iter().enumerate() {
        fields.push((
            common::answer_form_name(q.id),
            format!("Antwoord {} van meneer Dassen.", i + 1),
        ));
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Creates an account with `role` in `org`.
async fn account(
    app: &TestApp,
    email: &str,
    org: app::domain::ids::OrganisationId,
    role: app::domain::role::Role,
) {
    let hash = app::api::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    let user = app::db::users::create(&app.db.pool, email, email, &hash)
        .await
        .unwrap();
    app::db::users::grant_role(&app.db.pool, user, org, role, None)
        .await
        .unwrap();
}

/// Waits for a booklet build and returns the text of its PDF (one line).
async fn booklet_text(app: &TestApp, u: &User, build: app::domain::ids::BuildId) -> String {
    for _ in 0..600 {
        let b: app::model::BuildView = u
            .ok("booklet_status", &[("build", &build.to_string())])
            .await;
        match b.status {
            app::model::BuildStatus::Done => {
                let bytes = u
                    .get(&b.download_url.expect("download url"))
                    .await
                    .bytes()
                    .await
                    .unwrap();
                let path = app.data_dir.join("guide.pdf");
                std::fs::write(&path, &bytes).unwrap();
                let out = std::process::Command::new("pdftotext")
                    .arg(&path)
                    .arg("-")
                    .output()
                    .expect("pdftotext (poppler-utils) must be installed");
                let text = String::from_utf8_lossy(&out.stdout);
                return text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            app::model::BuildStatus::Failed => panic!("build failed: {:?}", b.error),
            _ => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    panic!("build did not finish in 120 s");
}

async fn researcher_edits_and_the_form_follows(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let student = app.login("student@zuyd.example").await;

    let v = editor(&researcher).await;
    assert_eq!(v.edition.year, 2026);
    assert!(v.locked.is_none());
    assert_eq!(v.questions.len(), 6, "the demo guide");
    assert!(v.archived.is_empty());
    let original = v.questions.clone();
    let edition = v.edition.id.to_string();

    // Before the guide changes, a student answers every question of a draft.
    let before = new_form(&student).await;
    assert_eq!(before.questions.len(), 6);
    let draft = story_fields(&before, "save");
    let saved: SaveOutcome = student.ok("story_save", &pairs(&draft)).await;
    let story = before.story_id.to_string();

    // Add a required question; sending the same form twice adds it once.
    let new_id = v.new_question_id.to_string();
    let add = [
        ("edition", edition.as_str()),
        ("question", new_id.as_str()),
        (
            "text",
            "  Welke plek in de buurt\r\nzou u missen als hij verdween? ",
        ),
        (
            "help_text",
            "Vraag naar een concrete plek: een bank, een winkel, een boom.",
        ),
        ("required", "true"),
    ];
    let added: QuestionId = researcher.ok("guide_add", &add).await;
    let again: QuestionId = researcher.ok("guide_add", &add).await;
    assert_eq!(added, again);
    let v = editor(&researcher).await;
    assert_eq!(v.questions.len(), 7, "added once");
    let new_q = v.questions.last().unwrap();
    assert_eq!(new_q.id, added);
    assert_eq!(
        new_q.text, "Welke plek in de buurt zou u missen als hij verdween?",
        "one trimmed line"
    );
    assert!(new_q.required);
    assert_eq!(new_q.answered, 0);

    // A typo fix in the first question, which the student's draft answered.
    let q1 = &v.questions[0];
    assert_eq!(q1.answered, 1, "the draft answered it");
    let fixed = "Hoe lang woont u al in deze wijk, en hoe bent u hier terecht gekomen?";
    let v1 = edit(&researcher, q1, q1.version, fixed, true).await;
    assert_eq!(v1, q1.version + 1);
    // The second question becomes optional.
    let q2 = &v.questions[1];
    edit(&researcher, q2, q2.version, &q2.text, false).await;

    // Move the new question up twice: from 7th to 5th.
    move_q(&researcher, added, v.guide_version, "up").await;
    move_q(&researcher, added, v.guide_version + 1, "up").await;

    // Archive the last original question (answered by the draft).
    let v = editor(&researcher).await;
    let q6 = v.questions.iter().find(|q| q.id == original[5].id).unwrap();
    archive(&researcher, q6, true).await;

    // The student's form for a new interview follows: new text, new order,
    // the new question, not the archived one.
    let form = new_form(&student).await;
    assert_eq!(
        texts(&form),
        vec![
            fixed,
            original[1].text.as_str(),
            original[2].text.as_str(),
            original[3].text.as_str(),
            "Welke plek in de buurt zou u missen als hij verdween?",
            original[4].text.as_str(),
        ]
    );
    let required: Vec<bool> = form.questions.iter().map(|q| q.required).collect();
    assert_eq!(required, vec![true, false, true, false, true, false]);
    assert!(form.questions.iter().all(|q| !q.archived));
    assert_eq!(
        form.questions[4].help_text,
        "Vraag naar een concrete plek: een bank, een winkel, een boom."
    );

    // The draft still shows its answer to the archived question (not
    // required any more) and now asks the new one.
    let d: StoryDetail = student.ok("story_get", &[("id", &story)]).await;
    let archived_q = d
        .questions
        .iter()
        .find(|q| q.id == original[5].id)
        .expect("archived question with an answer is shown");
    assert!(archived_q.archived && !archived_q.required);
    assert_eq!(d.answers[&original[5].id], "Antwoord 6 van meneer Dassen.");
    assert!(d.questions.iter().any(|q| q.id == added));
    assert_eq!(d.questions.len(), 7);
    // Handing in needs the new required question answered, not the archived one.
    let edit_ctx = d.edit.clone().expect("editable");
    let mut resubmit = story_fields(&before, "submit");
    resubmit.retain(|(k, _)| k != "form[save_id]" && k != "form[version]");
    resubmit.push(("form[save_id]".into(), edit_ctx.save_id.clone()));
    resubmit.push(("form[version]".into(), saved.version.to_string()));
    let out: SaveOutcome = student.ok("story_save", &pairs(&resubmit)).await;
    assert_eq!(out.status, app::domain::lifecycle::StoryStatus::Draft);
    assert_eq!(
        out.problems.len(),
        1,
        "only the new required question: {:?}",
        out.problems
    );
    assert_eq!(
        out.problems[0].field,
        app::domain::text::Field::Answer(added)
    );
    resubmit.retain(|(k, _)| k != "form[save_id]" && k != "form[version]");
    resubmit.push(("form[save_id]".into(), out.next_save_id.clone()));
    resubmit.push(("form[version]".into(), out.version.to_string()));
    resubmit.push((
        common::answer_form_name(added),
        "Het bankje bij de Sint-Petruskerk.".into(),
    ));
    let out: SaveOutcome = student.ok("story_save", &pairs(&resubmit)).await;
    assert_eq!(out.status, app::domain::lifecycle::StoryStatus::Submitted);
    let d: StoryDetail = student.ok("story_get", &[("id", &story)]).await;
    assert_eq!(
        d.answers[&original[5].id], "Antwoord 6 van meneer Dassen.",
        "the archived question's answer survived two saves"
    );

    // The lecturer approves it and the researcher prints it: the booklet
    // still has the answer to the archived question, and the new one.
    let lecturer = app.login("docent@zuyd.example").await;
    let _: () = lecturer
        .ok(
            "story_review",
            &[
                ("id", &story),
                ("version", &out.version.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    let _: () = researcher
        .ok(
            "curation_select",
            &[("story", &story), ("selected", "true")],
        )
        .await;
    let curation: app::model::CurationView = researcher.ok("curation", &[]).await;
    let build: app::domain::ids::BuildId = researcher
        .ok(
            "booklet_build",
            &[("municipality", &curation.municipality.id.to_string())],
        )
        .await;
    let pdf = booklet_text(&app, &researcher, build).await;
    assert!(pdf.contains(&original[5].text), "archived question printed");
    assert!(pdf.contains("Antwoord 6 van meneer Dassen."), "{pdf}");
    assert!(pdf.contains("Het bankje bij de Sint-Petruskerk."));

    // The editor lists the archived question with its answer count.
    let v = editor(&researcher).await;
    assert_eq!(v.questions.len(), 6);
    assert_eq!(v.archived.len(), 1);
    assert_eq!(v.archived[0].id, original[5].id);
    assert_eq!(v.archived[0].answered, 1);
    assert_eq!(
        v.questions[0].updated_by.as_deref(),
        Some("Dr. Ingrid Schols")
    );

    // Restoring puts it back where it was (last).
    archive(&researcher, &v.archived[0], false).await;
    let form = new_form(&student).await;
    assert_eq!(form.questions.len(), 7);
    assert_eq!(form.questions[6].id, original[5].id);
    assert!(!form.questions[6].required, "it was optional before");

    // Every change is in the audit log.
    assert_eq!(audit_count(&app, "guide.question.add").await, 1);
    assert_eq!(audit_count(&app, "guide.question.edit").await, 2);
    assert_eq!(audit_count(&app, "guide.question.move").await, 2);
    assert_eq!(audit_count(&app, "guide.question.archive").await, 1);
    assert_eq!(audit_count(&app, "guide.question.restore").await, 1);
    let (detail,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_event WHERE action = 'guide.question.edit' AND subject_id = $1",
    )
    .bind(q1.id.to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["answered"], 1);
    assert_eq!(detail["to"]["text"], fixed);
    assert_eq!(detail["from"]["text"], original[0].text.as_str());

    // An admin of the organisation edits the guide too.
    let admin = app.login("beheer@zuyd.example").await;
    let v = editor(&admin).await;
    assert_eq!(v.questions.len(), 7);
    let q = &v.questions[3];
    edit(
        &admin,
        q,
        q.version,
        "Voelt u zich thuis in deze wijk?",
        false,
    )
    .await;
}

async fn others_are_refused(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let v = editor(&researcher).await;
    let edition = v.edition.id.to_string();
    let q = &v.questions[0];
    let (qid, qv, gv) = (
        q.id.to_string(),
        q.version.to_string(),
        v.guide_version.to_string(),
    );
    let new_id = QuestionId::new().to_string();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("guide_editor", vec![("edition", &edition)]),
        (
            "guide_add",
            vec![
                ("edition", &edition),
                ("question", &new_id),
                ("text", "Gekaapte vraag?"),
            ],
        ),
        (
            "guide_edit",
            vec![("question", &qid), ("version", &qv), ("text", "Gekaapt?")],
        ),
        (
            "guide_move",
            vec![
                ("question", &qid),
                ("guide_version", &gv),
                ("direction", "down"),
            ],
        ),
        (
            "guide_archive",
            vec![("question", &qid), ("version", &qv), ("archived", "true")],
        ),
    ];

    // Students, lecturers and municipality staff of the same organisation: 403.
    for email in [
        "student@zuyd.example",
        "docent@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let u = app.login(email).await;
        let e = u.err("guide_editor", &[], StatusCode::FORBIDDEN).await;
        assert!(
            dutch(&e).contains("onderzoekers en beheerders"),
            "{email}: {e}"
        );
        for (endpoint, form) in &calls {
            u.err(endpoint, form, StatusCode::FORBIDDEN).await;
        }
    }

    // A researcher of another organisation: Zuyd's guide does not exist for them.
    let utrecht = app::db::org::create_organisation(&app.db.pool, "utrecht", "Werkplaats Utrecht")
        .await
        .unwrap();
    account(
        &app,
        "onderzoeker@utrecht.example",
        utrecht,
        app::domain::role::Role::Researcher,
    )
    .await;
    let foreign = app.login("onderzoeker@utrecht.example").await;
    let e = foreign
        .err("guide_editor", &[], StatusCode::NOT_FOUND)
        .await;
    assert!(dutch(&e).contains("nog geen editie"), "{e}");
    for (endpoint, form) in &calls {
        foreign.err(endpoint, form, StatusCode::NOT_FOUND).await;
    }
    // Their own edition is theirs to edit, and shows nothing of Zuyd.
    let own = app::db::org::create_edition(&app.db, utrecht, 2026, "Utrecht 2026")
        .await
        .unwrap();
    app::db::org::add_question(&app.db, own, 1, "Wie kent u in uw straat?", "", true)
        .await
        .unwrap();
    let theirs = editor(&foreign).await;
    assert_eq!(theirs.edition.id, own);
    assert_eq!(theirs.editions.len(), 1);
    assert_eq!(theirs.questions.len(), 1);

    // Not signed in: 401.
    let anon = app.client();
    for (endpoint, form) in &calls {
        anon.err(endpoint, form, StatusCode::UNAUTHORIZED).await;
    }

    // Nothing changed.
    let after = editor(&researcher).await;
    assert_eq!(after.guide_version, v.guide_version);
    assert_eq!(after.questions, v.questions);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_event WHERE action LIKE 'guide.%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(n, 0);
}

async fn concurrent_editors_do_not_overwrite(backend: Backend) {
    let app = common::spawn_app(backend).await;
    account(
        &app,
        "onderzoeker2@zuyd.example",
        app.demo().organisation,
        app::domain::role::Role::Researcher,
    )
    .await;
    let a = app.login("onderzoeker@zuyd.example").await;
    let b = app.login("onderzoeker2@zuyd.example").await;
    let va = editor(&a).await;
    let vb = editor(&b).await;
    let (qa, qb) = (&va.questions[1], &vb.questions[1]);

    // A saves first; B's edit from the same starting point is refused with
    // what is stored now, in Dutch, and the version to override it with.
    let a_text = "Waar komt u mensen uit uw buurt tegen?";
    let new_version = edit(&a, qa, qa.version, a_text, true).await;
    let b_text = "Waar ontmoet u buren?";
    let (id, v) = (qb.id.to_string(), qb.version.to_string());
    let e = b
        .err(
            "guide_edit",
            &[
                ("question", &id),
                ("version", &v),
                ("text", b_text),
                ("required", "true"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    let msg = dutch(&e);
    assert!(msg.contains("intussen gewijzigd"), "{msg}");
    assert!(msg.contains(a_text), "shows A's text: {msg}");
    assert!(msg.contains("onderzoeker@zuyd.example") || msg.contains("Ingrid Schols"));
    assert_eq!(e["Conflict"]["current_version"], new_version, "{e}");
    let stored = editor(&a).await;
    assert_eq!(stored.questions[1].text, a_text, "B did not overwrite A");

    // B has seen A's text and saves theirs on purpose, with the new version.
    edit(&b, qb, new_version, b_text, true).await;
    assert_eq!(editor(&a).await.questions[1].text, b_text);

    // A double-clicked save (same text again from the old version) is not a conflict.
    let v3 = edit(&a, qa, new_version, b_text, true).await;
    assert_eq!(v3, new_version + 1);

    // Moves from an outdated list are refused too.
    move_q(&a, va.questions[2].id, va.guide_version, "up").await;
    let e = b
        .err(
            "guide_move",
            &[
                ("question", &vb.questions[4].id.to_string()),
                ("guide_version", &vb.guide_version.to_string()),
                ("direction", "down"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(dutch(&e).contains("intussen"), "{e}");

    // Archiving a question someone else changed since is refused.
    let e = b
        .err(
            "guide_archive",
            &[
                ("question", &qb.id.to_string()),
                ("version", &qb.version.to_string()),
                ("archived", "true"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(dutch(&e).contains("intussen"), "{e}");

    // An archived question cannot be edited until it is restored.
    let now = editor(&a).await;
    let q = now.questions[5].clone();
    archive(&a, &q, true).await;
    archive(&b, &q, true).await; // the same archive twice: done, not a conflict
    let e = b
        .err(
            "guide_edit",
            &[
                ("question", &q.id.to_string()),
                ("version", &(q.version + 1).to_string()),
                ("text", "Nieuwe tekst"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("gearchiveerd"), "{e}");
}

async fn rules_and_closed_editions(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let r = app.login("onderzoeker@zuyd.example").await;
    let v = editor(&r).await;
    let edition = v.edition.id.to_string();
    let q = v.questions[0].clone();
    let (id, ver) = (q.id.to_string(), q.version.to_string());

    // Text is parsed: empty, too long, help too long.
    let e = r
        .err(
            "guide_edit",
            &[("question", &id), ("version", &ver), ("text", "  ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).starts_with("De vraag is nog leeg."), "{e}");
    let long = "a".repeat(301);
    let e = r
        .err(
            "guide_add",
            &[
                ("edition", &edition),
                ("question", &QuestionId::new().to_string()),
                ("text", &long),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        dutch(&e).contains("te lang: 301 tekens, maximaal 300"),
        "{e}"
    );
    let e = r
        .err(
            "guide_edit",
            &[
                ("question", &id),
                ("version", &ver),
                ("text", "Goede vraag?"),
                ("help_text", &"b".repeat(1001)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("toelichting is te lang"), "{e}");

    // Moves stay within the list.
    let gv = v.guide_version.to_string();
    let e = r
        .err(
            "guide_move",
            &[
                ("question", &id),
                ("guide_version", &gv),
                ("direction", "up"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("bovenaan"), "{e}");
    r.err(
        "guide_move",
        &[
            ("question", &id),
            ("guide_version", &gv),
            ("direction", "sideways"),
        ],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // The last active question stays.
    for q in &v.questions[1..] {
        archive(&r, q, true).await;
    }
    let e = r
        .err(
            "guide_archive",
            &[("question", &id), ("version", &ver), ("archived", "true")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("laatste vraag"), "{e}");
    let student = app.login("student@zuyd.example").await;
    assert_eq!(new_form(&student).await.questions.len(), 1);

    // A closed edition's guide is read-only, with the reason.
    sqlx::query("UPDATE edition SET status = 'closed' WHERE id = $1")
        .bind(&edition)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let v = editor(&r).await;
    let locked = v.locked.expect("read-only");
    assert!(locked.nl.contains("gesloten"), "{locked}");
    let archived = &v.archived[0];
    let e = r
        .err(
            "guide_edit",
            &[
                ("question", &id),
                ("version", &ver),
                ("text", "Nog een vraag?"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("ligt vast"), "{e}");
    for (endpoint, form) in [
        (
            "guide_add",
            vec![
                ("edition", edition.as_str()),
                ("question", &QuestionId::new().to_string()),
                ("text", "Nieuw?"),
            ],
        ),
        (
            "guide_archive",
            vec![
                ("question", &archived.id.to_string()),
                ("version", &archived.version.to_string()),
            ],
        ),
    ] {
        let e = r
            .err(endpoint, &form, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        assert!(dutch(&e).contains("gesloten"), "{endpoint}: {e}");
    }
    // The page says so too.
    let html = r
        .get(&app::routes::guide(v.edition.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("de vragenlijst ligt vast"), "{html}");
    assert!(!html.contains("Vraag toevoegen"));
}

/// A plain HTML form post, as a browser without JavaScript sends it.
async fn form_post(
    app: &TestApp,
    u: &User,
    endpoint: &str,
    referer: &str,
    form: &[(&str, &str)],
) -> String {
    let r = u
        .http
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html")
        .header("referer", app.url(referer))
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND, "{endpoint}");
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn works_without_javascript(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let r = app.login("onderzoeker@zuyd.example").await;
    let v = editor(&r).await;
    let e: EditionId = v.edition.id;
    let page = app::routes::guide(e);

    // The page renders on the server with every question in a form.
    let html = r.get(&page).await.text().await.unwrap();
    for q in &v.questions {
        assert!(html.contains(&q.text), "{}", q.text);
    }
    assert!(html.contains("Vraag 1 van 6"));
    assert!(html.contains("Vraag toevoegen"));

    // A move redirects back to the question.
    let q = &v.questions[2];
    let location = form_post(
        &app,
        &r,
        "guide_move",
        &page,
        &[
            ("question", &q.id.to_string()),
            ("guide_version", &v.guide_version.to_string()),
            ("direction", "up"),
        ],
    )
    .await;
    assert_eq!(location, app::routes::guide_at(e, q.id));
    assert_eq!(editor(&r).await.questions[1].id, q.id);

    // A stale edit returns to the form with the error and the typed text.
    let typed = "Wat is voor u “thuis” in deze wijk? 100% & meer";
    let location = form_post(
        &app,
        &r,
        "guide_edit",
        &page,
        &[
            ("question", &q.id.to_string()),
            ("version", &(q.version - 1).to_string()),
            ("text", typed),
            ("help_text", "Eigen toelichting"),
            ("required", "true"),
        ],
    )
    .await;
    assert!(
        location.starts_with(&format!("/vragenlijst?editie={e}&vraag={}&tekst=", q.id)),
        "{location}"
    );
    assert!(location.contains("__err="), "{location}");
    assert!(
        location.ends_with(&format!("#vraag-{}", q.id)),
        "{location}"
    );
    let html = r.get(&location).await.text().await.unwrap();
    assert!(html.contains("intussen gewijzigd"), "the error is shown");
    let escaped = typed.replace('&', "&amp;");
    assert!(
        html.contains(&escaped) || html.contains(typed),
        "the typed text is in the form"
    );
    assert!(html.contains("Eigen toelichting"));
    assert_eq!(
        editor(&r).await.questions[1].text,
        q.text,
        "nothing was overwritten"
    );

    // Adding redirects to the new question; a refused add keeps the text.
    let new_id = v.new_question_id;
    let location = form_post(
        &app,
        &r,
        "guide_add",
        &page,
        &[
            ("edition", &e.to_string()),
            ("question", &new_id.to_string()),
            ("text", "Met wie drinkt u koffie?"),
        ],
    )
    .await;
    assert_eq!(location, app::routes::guide_at(e, new_id));
    let location = form_post(
        &app,
        &r,
        "guide_add",
        &page,
        &[
            ("edition", &e.to_string()),
            ("question", &QuestionId::new().to_string()),
            ("text", ""),
            ("help_text", "Alleen een toelichting"),
        ],
    )
    .await;
    assert!(location.contains("vraag=nieuw"), "{location}");
    let html = r.get(&location).await.text().await.unwrap();
    assert!(html.contains("De vraag is nog leeg."));
    assert!(html.contains("Alleen een toelichting"));
}

both_backends! {
    researcher_edits_guide_and_student_form_follows => super::researcher_edits_and_the_form_follows;
    other_roles_and_organisations_are_refused => super::others_are_refused;
    concurrent_editors_do_not_overwrite_each_other => super::concurrent_editors_do_not_overwrite;
    rules_and_closed_editions_are_enforced => super::rules_and_closed_editions;
    forms_work_without_javascript => super::works_without_javascript;
}
