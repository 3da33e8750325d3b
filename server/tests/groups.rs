//! Group administration over HTTP, on SQLite and on PostgreSQL: an
//! administrator creates a group, assigns a neighbourhood and pastes a list
//! of people; new accounts sign in with their start password and find the
//! group's neighbourhood in the new-interview form; the lecturer's review
//! queue follows; bad lines come back with reasons; students with stories
//! stay; other roles and other organisations are refused; nobody adds
//! themselves (admins and researchers would read drafts that way).

mod common;

use app::domain::story_form::FieldKey;

use app::domain::ids::{GroupId, OrganisationId};
use app::domain::role::Role;
use app::model::{GroupAdmin, GroupsView, MembersAdded, NewStoryForm, SaveOutcome};
use common::{audit_count, dutch, Backend, User, PASSWORD};
use reqwest::StatusCode;

async fn view(u: &User) -> GroupsView {
    u.ok("groups", &[]).await
}

fn group(v: &GroupsView, id: GroupId) -> &GroupAdmin {
    v.groups.iter().find(|g| g.id == id).expect("group listed")
}

async fn add(u: &User, group: GroupId, role: &str, lines: &str) -> MembersAdded {
    u.ok(
        "group_add_members",
        &[
            ("group", &group.to_string()),
            ("role", role),
            ("lines", lines),
        ],
    )
    .await
}

/// The count of the start page's "groups without a lecturer or a
/// neighbourhood" item, if it is there.
async fn incomplete_groups(u: &User) -> Option<i64> {
    let todo: Vec<app::model::Todo> = u.ok("dashboard", &[]).await;
    todo.iter()
        .find(|t| t.href == app::routes::GROUPS)
        .map(|t| t.count)
}

async fn admin_builds_a_group(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let before = view(&admin).await;
    assert_eq!(before.groups.len(), 2, "the demo's two groups");
    let sittard_n = before
        .neighbourhoods
        .iter()
        .find(|n| n.municipality == "Sittard-Geleen")
        .expect("a Sittard-Geleen neighbourhood")
        .clone();
    let edition = before.edition.id.to_string();

    // Create a group; the same post again creates nothing new.
    let gid = before.new_group_id;
    let form = [
        ("edition", edition.as_str()),
        ("group", &gid.to_string()),
        ("name", "  Groep Munstergeleen "),
    ];
    let created: GroupId = admin.ok("group_create", &form).await;
    assert_eq!(created, gid);
    let again: GroupId = admin.ok("group_create", &form).await;
    assert_eq!(again, gid);
    assert_eq!(audit_count(&app, "group.create").await, 1);
    // The start page says a group cannot work yet.
    assert_eq!(incomplete_groups(&admin).await, Some(1));
    // A name the edition already has (in any case) is refused in Dutch.
    let clash = admin
        .err(
            "group_create",
            &[
                ("edition", edition.as_str()),
                ("group", &GroupId::new().to_string()),
                ("name", "groep stein"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        dutch(&clash).contains("al een groep met de naam"),
        "{clash}"
    );
    let empty = admin
        .err(
            "group_create",
            &[
                ("edition", edition.as_str()),
                ("group", &GroupId::new().to_string()),
                ("name", "   "),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        dutch(&empty).contains("De groepsnaam is nog leeg"),
        "{empty}"
    );

    // Assign a neighbourhood (twice: no error, one audit event).
    for _ in 0..2 {
        let _: () = admin
            .ok(
                "group_neighbourhood",
                &[
                    ("group", &gid.to_string()),
                    ("neighbourhood", &sittard_n.id.to_string()),
                    ("assigned", "true"),
                ],
            )
            .await;
    }
    assert_eq!(audit_count(&app, "group.neighbourhood_assign").await, 1);

    // Paste a list: a new person with a name, an existing account by address,
    // a new address without a name, a typo.
    let result = add(
        &admin,
        gid,
        "student",
        "Nina Nieuw <nina@student.zuyd.example>\n\
         student2@zuyd.example\n\
         zonder-naam@student.zuyd.example\n\
         kapot adres\n",
    )
    .await;
    let emails: Vec<&str> = result.people.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(
        emails,
        ["nina@student.zuyd.example", "student2@zuyd.example"]
    );
    let nina = &result.people[0];
    assert_eq!(nina.name, "Nina Nieuw");
    let start = nina.start_password.clone().expect("a start password");
    assert!(result.people[1].start_password.is_none());
    let lines: Vec<usize> = result.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(result.problems[0].message.nl.contains("nog geen account"));
    assert!(result.problems[1]
        .message
        .nl
        .contains("geen geldig e-mailadres"));
    // The start password is stored only as a hash.
    let (stored,): (String,) =
        sqlx::query_as("SELECT password_hash FROM app_user WHERE email = $1")
            .bind("nina@student.zuyd.example")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(stored.starts_with("$argon2") && !stored.contains(&start));
    // Adding the same people again changes nothing.
    let again = add(&admin, gid, "student", "nina@student.zuyd.example").await;
    assert!(again.people[0].already_member && again.people[0].start_password.is_none());
    assert_eq!(audit_count(&app, "user.create").await, 1);
    assert_eq!(audit_count(&app, "group.member_add").await, 2);

    // A lecturer of another group supervises this one too: now it can work.
    assert_eq!(incomplete_groups(&admin).await, Some(1));
    add(&admin, gid, "lecturer", "docent2@zuyd.example").await;
    assert_eq!(incomplete_groups(&admin).await, None);
    let v = view(&admin).await;
    let g = group(&v, gid);
    assert_eq!(g.name, "Groep Munstergeleen");
    let names: Vec<&str> = g.students.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Bram Pluijmen", "Nina Nieuw"]);
    assert_eq!(g.lecturers.len(), 1);
    assert_eq!(g.neighbourhoods, vec![sittard_n.id]);

    // Nina signs in with the start password and may interview in the
    // group's neighbourhood.
    let nina = app.login_with("nina@student.zuyd.example", &start).await;
    // A start password someone else saw: her own comes first.
    let _: () = nina
        .ok(
            "password_change",
            &[
                ("current", &start),
                ("new", "nina kiest een eigen zin"),
                ("repeat", "nina kiest een eigen zin"),
            ],
        )
        .await;
    let me: Option<app::model::Me> = nina.ok("me", &[]).await;
    let me = me.expect("signed in");
    assert!(me.roles.contains(&Role::Student));
    let form: NewStoryForm = nina.ok("story_new_form", &[]).await;
    let ng = form
        .groups
        .iter()
        .find(|g| g.id == gid)
        .expect("Nina's group in the form");
    assert_eq!(ng.neighbourhoods.len(), 1);
    assert_eq!(ng.neighbourhoods[0].id, sittard_n.id);

    // Nina writes a story in the group: from then on she stays in it.
    let mut fields = vec![
        ("form[id]".to_string(), form.story_id.to_string()),
        ("form[save_id]".into(), form.save_id.clone()),
        ("form[version]".into(), "0".into()),
        ("form[group]".into(), gid.to_string()),
        (
            FieldKey::Neighbourhood.form_name(),
            sittard_n.id.to_string(),
        ),
        (FieldKey::Title.form_name(), "Koffie in de kantine".into()),
        (FieldKey::Pseudonym.form_name(), "Mevrouw Bessems".into()),
        (FieldKey::Scopes.form_name(), "research".into()),
        (FieldKey::Witness.form_name(), "Nina Nieuw".into()),
        ("form[intent]".into(), "submit".into()),
    ];
    for q in &form.questions {
        fields.push((common::answer_form_name(q.id), "Elke dinsdag.".into()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved: SaveOutcome = nina.ok("story_save", &pairs).await;
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);

    // The lecturer added to the group sees the submitted story.
    let docent2 = app.login("docent2@zuyd.example").await;
    let queue: Vec<app::model::StoryListItem> = docent2.ok("stories_review", &[]).await;
    assert!(queue.iter().any(|s| s.title == "Koffie in de kantine"));

    let nina_id = group(&view(&admin).await, gid)
        .students
        .iter()
        .find(|m| m.email == "nina@student.zuyd.example")
        .unwrap()
        .user;
    let stays = admin
        .err(
            "group_remove_member",
            &[
                ("group", &gid.to_string()),
                ("user", &nina_id.to_string()),
                ("role", "student"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        dutch(&stays).contains("blijft daarom in de groep"),
        "{stays}"
    );

    // Bram (no stories here) can be removed, twice without error.
    let bram = group(&view(&admin).await, gid)
        .students
        .iter()
        .find(|m| m.name == "Bram Pluijmen")
        .unwrap()
        .user;
    for _ in 0..2 {
        let _: () = admin
            .ok(
                "group_remove_member",
                &[
                    ("group", &gid.to_string()),
                    ("user", &bram.to_string()),
                    ("role", "student"),
                ],
            )
            .await;
    }
    assert_eq!(audit_count(&app, "group.member_remove").await, 1);
    let v = view(&admin).await;
    assert_eq!(group(&v, gid).students.len(), 1);
    assert_eq!(group(&v, gid).story_count, 1);

    // Rename; unassign the neighbourhood.
    let _: () = admin
        .ok(
            "group_rename",
            &[
                ("group", &gid.to_string()),
                ("name", "Groep 5 — Munstergeleen"),
            ],
        )
        .await;
    let _: () = admin
        .ok(
            "group_neighbourhood",
            &[
                ("group", &gid.to_string()),
                ("neighbourhood", &sittard_n.id.to_string()),
            ],
        )
        .await;
    let v = view(&admin).await;
    assert_eq!(group(&v, gid).name, "Groep 5 — Munstergeleen");
    assert!(group(&v, gid).neighbourhoods.is_empty());

    // A researcher manages groups too.
    let researcher = app.login("onderzoeker@zuyd.example").await;
    assert_eq!(view(&researcher).await.groups.len(), 3);
}

async fn others_are_refused(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let group = app.demo().group_sittard.to_string();
    for email in [
        "student@zuyd.example",
        "docent@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let u = app.login(email).await;
        let e = u.err("groups", &[], StatusCode::FORBIDDEN).await;
        assert!(
            dutch(&e).contains("Alleen beheerders en onderzoekers"),
            "{e}"
        );
        u.err(
            "group_add_members",
            &[
                ("group", &group),
                ("role", "student"),
                ("lines", "x@zuyd.example"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    // Not signed in.
    app.client()
        .err("groups", &[], StatusCode::UNAUTHORIZED)
        .await;

    // A researcher of another organisation does not see Zuyd's groups, and
    // Zuyd's administrator cannot assign the other organisation's
    // neighbourhoods.
    let other: OrganisationId =
        app::db::org::create_organisation(&app.db.pool, "utrecht", "Werkplaats Utrecht")
            .await
            .unwrap();
    let muni = app::db::org::create_municipality(&app.db, other, "Utrecht", None)
        .await
        .unwrap();
    let foreign_n = app::db::org::create_neighbourhood(&app.db, muni, "Lombok", None)
        .await
        .unwrap();
    let hash = app::api::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    let r = app::db::users::create(&app.db.pool, "r@utrecht.example", "R", &hash)
        .await
        .unwrap();
    app::db::users::grant_role(&app.db.pool, r, other, Role::Researcher, None)
        .await
        .unwrap();
    let foreign = app.login("r@utrecht.example").await;
    foreign
        .err(
            "group_add_members",
            &[
                ("group", &group),
                ("role", "student"),
                ("lines", "x@zuyd.example"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "group_rename",
            &[("group", &group), ("name", "Overgenomen")],
            StatusCode::NOT_FOUND,
        )
        .await;
    let admin = app.login("beheer@zuyd.example").await;
    admin
        .err(
            "group_neighbourhood",
            &[
                ("group", &group),
                ("neighbourhood", &foreign_n.to_string()),
                ("assigned", "true"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    // An unknown role is refused with a message, not a crash.
    let e = admin
        .err(
            "group_add_members",
            &[
                ("group", &group),
                ("role", "admin"),
                ("lines", "x@zuyd.example"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("studenten of docenten"), "{e}");
    assert_eq!(audit_count(&app, "group.neighbourhood_assign").await, 0);
}

async fn nobody_enrols_themselves(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let form = common::new_form(&student).await;
    let draft = common::Story::new(&form, 0, "Nog een concept", "Concept");
    let saved = draft.save(&student).await;
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);
    let story = form.story_id.to_string();
    let sittard = app.demo().group_sittard;
    for email in ["beheer@zuyd.example", "onderzoeker@zuyd.example"] {
        let u = app.login(email).await;
        for role in ["student", "lecturer"] {
            let r = add(&u, sittard, role, &format!("Ik Zelf <{email}>")).await;
            assert!(r.people.is_empty(), "{email} as {role}: {:?}", r.people);
            assert_eq!(r.problems.len(), 1);
            assert!(
                r.problems[0].message.nl.contains("uzelf"),
                "{:?}",
                r.problems
            );
            assert_eq!(r.problems[0].text, email);
        }
        // So the draft stays out of their reach.
        u.err("story_get", &[("id", &story)], StatusCode::NOT_FOUND)
            .await;
        let v = view(&u).await;
        let g = group(&v, sittard);
        assert!(!g
            .students
            .iter()
            .chain(&g.lecturers)
            .any(|m| m.email == email));
    }
    assert_eq!(audit_count(&app, "group.member_add").await, 0);
    // A colleague may still add them, in one paste with someone else.
    let admin = app.login("beheer@zuyd.example").await;
    let r = add(
        &admin,
        sittard,
        "lecturer",
        "onderzoeker@zuyd.example\nbeheer@zuyd.example",
    )
    .await;
    assert_eq!(r.people.len(), 1);
    assert_eq!(r.people[0].email, "onderzoeker@zuyd.example");
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].line, 2);
}

both_backends! {
    admin_creates_a_group_adds_people_and_assigns_a_neighbourhood => super::admin_builds_a_group;
    other_roles_and_organisations_are_refused => super::others_are_refused;
    admins_and_researchers_cannot_enrol_themselves => super::nobody_enrols_themselves;
}
