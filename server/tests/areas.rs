//! The organisation's structure over HTTP, on SQLite and on PostgreSQL: an
//! administrator adds a municipality and neighbourhoods with CBS codes,
//! imports a CBS list (all or nothing, bad lines with their number), and
//! archives a neighbourhood — students no longer start interviews there,
//! its stories stay editable. Bad codes and duplicates are refused with a
//! reason; researchers, students and other organisations' admins are
//! refused; every change leaves an audit event.

mod common;

use app::domain::ids::{MunicipalityId, NeighbourhoodId};
use app::model::{AreasView, ImportReport, MunicipalityAdmin, NewStoryForm};
use common::{audit_count, dutch, patch, Backend, TestApp, User};
use reqwest::StatusCode;

async fn view(u: &User) -> AreasView {
    u.ok("areas", &[]).await
}

fn municipality<'a>(v: &'a AreasView, name: &str) -> &'a MunicipalityAdmin {
    v.municipalities
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} listed"))
}

async fn neighbourhood_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM neighbourhood")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

async fn import(u: &User, m: MunicipalityId, level: &str, csv: &str) -> ImportReport {
    u.ok(
        "neighbourhoods_import",
        &[
            ("municipality", &m.to_string()),
            ("level", level),
            ("csv", csv),
        ],
    )
    .await
}

async fn admin_maintains_the_structure(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let v = view(&admin).await;
    assert_eq!(v.organisation.id, app.demo().organisation);
    let sg = municipality(&v, "Sittard-Geleen").clone();
    assert_eq!(sg.cbs_code.as_deref(), Some("GM1883"));
    assert_eq!(sg.neighbourhoods.len(), 10);

    // A new municipality, posted twice: one municipality, one audit event.
    let beek = v.new_municipality;
    let form = [
        ("organisation", v.organisation.id.to_string()),
        ("municipality", beek.to_string()),
        ("name", " Beek ".to_string()),
        ("cbs_code", "gm0888".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made: MunicipalityId = admin.ok("municipality_create", &form).await;
    assert_eq!(made, beek);
    let again: MunicipalityId = admin.ok("municipality_create", &form).await;
    assert_eq!(again, beek);
    let v = view(&admin).await;
    assert_eq!(municipality(&v, "Beek").cbs_code.as_deref(), Some("GM0888"));
    assert_eq!(audit_count(&app, "municipality.create").await, 1);

    // Bad and duplicate codes come back with the reason.
    let org = v.organisation.id.to_string();
    for (name, code, says) in [
        ("Stein-Oost", "GM0971", "heeft al CBS-code GM0971"),
        ("Meerssen", "GM938", "geen geldige CBS-code"),
        ("Meerssen", "WK093801", "code van een wijk"),
        ("Stein", "GM0938", "al een gemeente ‘Stein’"),
    ] {
        let e = admin
            .err(
                "municipality_create",
                &[
                    ("organisation", &org),
                    ("municipality", &MunicipalityId::new().to_string()),
                    ("name", name),
                    ("cbs_code", code),
                ],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(dutch(&e).contains(says), "{code}: {e}");
    }

    // Neighbourhoods: the code must be a wijk or buurt of this municipality.
    let wk = NeighbourhoodId::new();
    let created: NeighbourhoodId = admin
        .ok(
            "neighbourhood_create",
            &[
                ("municipality", &beek.to_string()),
                ("neighbourhood", &wk.to_string()),
                ("name", "Neerbeek"),
                ("cbs_code", "WK088801"),
            ],
        )
        .await;
    assert_eq!(created, wk);
    for (name, code, says) in [
        ("Spaubeek", "WK188301", "ligt niet in deze gemeente"),
        ("Spaubeek", "WK088801", "heeft al CBS-code WK088801"),
        ("neerbeek", "", "al een wijk ‘Neerbeek’"),
        ("", "", "De naam is nog leeg"),
    ] {
        let e = admin
            .err(
                "neighbourhood_create",
                &[
                    ("municipality", &beek.to_string()),
                    ("neighbourhood", &NeighbourhoodId::new().to_string()),
                    ("name", name),
                    ("cbs_code", code),
                ],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(dutch(&e).contains(says), "{name} {code}: {e}");
    }
    let _: () = admin
        .ok(
            "neighbourhood_update",
            &[
                ("neighbourhood", &wk.to_string()),
                ("name", "Neerbeek-Centrum"),
                ("cbs_code", "BU08880100"),
            ],
        )
        .await;
    let v = view(&admin).await;
    let n = &municipality(&v, "Beek").neighbourhoods[0];
    assert_eq!(
        (n.name.as_str(), n.cbs_code.as_deref()),
        ("Neerbeek-Centrum", Some("BU08880100"))
    );
    // A rename that sends no code field keeps the code.
    let _: () = admin
        .ok(
            "neighbourhood_update",
            &[("neighbourhood", &wk.to_string()), ("name", "Neerbeek")],
        )
        .await;
    let v = view(&admin).await;
    let n = &municipality(&v, "Beek").neighbourhoods[0];
    assert_eq!(
        (n.name.as_str(), n.cbs_code.as_deref()),
        ("Neerbeek", Some("BU08880100"))
    );
    let _: () = admin
        .ok(
            "neighbourhood_update",
            &[
                ("neighbourhood", &wk.to_string()),
                ("name", "Neerbeek-Centrum"),
            ],
        )
        .await;
    // The municipality's code cannot move away from its coded neighbourhoods.
    let e = admin
        .err(
            "municipality_update",
            &[
                ("municipality", &beek.to_string()),
                ("name", "Beek"),
                ("cbs_code", "GM0938"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("Neerbeek-Centrum"), "{e}");

    // A CBS list with one bad line: nothing is imported, every bad line is
    // named.
    let before = neighbourhood_count(&app).await;
    let bad = "WK_CODE;WK_NAAM;GM_CODE\n\
        WK188350;Nieuwstadt-Zuid;GM1883\n\
        WK18835;Kapot;GM1883\n\
        WK188351;;GM1883\n";
    let r = import(&admin, sg.id, "wijk", bad).await;
    assert_eq!(
        r.problems.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![3, 4]
    );
    assert!(r.created.is_empty());
    assert_eq!(
        neighbourhood_count(&app).await,
        before,
        "nothing half-imported"
    );
    assert_eq!(audit_count(&app, "neighbourhood.import").await, 0);

    // A good list: an existing wijk without a code gets its code, a new one
    // is created, another municipality's rows are passed over.
    let good = "\u{feff}WK_CODE;WK_NAAM;GM_CODE\r\n\
        WK188302;Limbricht;GM1883\r\n\
        WK188350;Nieuwstadt-Zuid;GM1883\r\n\
        WK097101;Elsloo;GM0971\r\n";
    let r = import(&admin, sg.id, "wijk", good).await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.coded, vec!["Limbricht".to_string()]);
    assert_eq!(r.created, vec!["Nieuwstadt-Zuid".to_string()]);
    assert_eq!(r.other_municipalities, 1);
    let again = import(&admin, sg.id, "wijk", good).await;
    assert_eq!((again.unchanged, again.created.len()), (2, 0));
    let v = view(&admin).await;
    let sg_now = municipality(&v, "Sittard-Geleen");
    assert_eq!(sg_now.neighbourhoods.len(), 11);
    assert!(sg_now
        .neighbourhoods
        .iter()
        .any(|n| n.name == "Limbricht" && n.cbs_code.as_deref() == Some("WK188302")));
    // A list whose new name another coded wijk carries is refused as a whole.
    let clash = "code;naam\nWK188352;Nieuwstadt-Zuid\n";
    let r = import(&admin, sg.id, "wijk", clash).await;
    assert_eq!(r.problems.len(), 1, "{r:?}");
    assert!(r.problems[0].message.nl.contains("WK188350"), "{r:?}");
    assert_eq!(audit_count(&app, "neighbourhood.import").await, 2);
}

async fn archiving_keeps_the_stories(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let student = app.login("student@zuyd.example").await;
    let story = common::story_with_scopes(&student, "Mevrouw Keulen", "research").await;
    let place = story.groups[0].neighbourhoods[0].clone();
    let archive = |archived: bool| {
        let mut form = vec![("neighbourhood", place.id.to_string())];
        if archived {
            form.push(("archived", "true".into()));
        }
        form
    };
    let form = archive(true);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let _: () = admin.ok("neighbourhood_archive", &form).await;
    let _: () = admin.ok("neighbourhood_archive", &form).await;
    assert_eq!(audit_count(&app, "neighbourhood.archive").await, 1);
    let v = view(&admin).await;
    let listed = v
        .municipalities
        .iter()
        .flat_map(|m| &m.neighbourhoods)
        .find(|n| n.id == place.id)
        .unwrap();
    assert!(listed.archived);
    assert_eq!(listed.stories, 1);

    // Not offered for a new interview, and refused if sent anyway.
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    assert!(f
        .groups
        .iter()
        .all(|g| g.neighbourhoods.iter().all(|n| n.id != place.id)));
    let err = student
        .autosave(&patch(
            &f,
            0,
            serde_json::json!({ "neighbourhood": place.id, "pseudonym": "Meneer Vos" }),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.0, StatusCode::FORBIDDEN, "{}", err.1);
    // Not offered to groups either.
    let groups: app::model::GroupsView = admin.ok("groups", &[]).await;
    assert!(groups.neighbourhoods.iter().all(|n| n.id != place.id));
    let e = admin
        .err(
            "group_neighbourhood",
            &[
                ("group", &app.demo().group_stein.to_string()),
                ("neighbourhood", &place.id.to_string()),
                ("assigned", "true"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("gearchiveerd"), "{e}");

    // The story written there stays, with its neighbourhood, and can still
    // be edited.
    let detail: app::model::StoryDetail = student
        .ok("story_get", &[("id", &story.story_id.to_string())])
        .await;
    assert_eq!(detail.neighbourhood.id, place.id);
    let edit = detail.edit.expect("the student may edit");
    assert!(edit.neighbourhoods.iter().any(|n| n.id == place.id));
    student
        .autosave_ok(&patch(
            &story,
            detail.version,
            serde_json::json!({ "title": "Koffie bij de buren" }),
        ))
        .await;

    // Taken into use again: offered again.
    let form = archive(false);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let _: () = admin.ok("neighbourhood_archive", &form).await;
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    assert!(f
        .groups
        .iter()
        .any(|g| g.neighbourhoods.iter().any(|n| n.id == place.id)));
    assert_eq!(audit_count(&app, "neighbourhood.restore").await, 1);
}

async fn only_admins_of_the_organisation(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let admin = app.login("beheer@zuyd.example").await;
    let v = view(&admin).await;
    let sg = municipality(&v, "Sittard-Geleen").clone();
    let n = sg.neighbourhoods[0].id.to_string();
    let org = v.organisation.id.to_string();
    for email in [
        "onderzoeker@zuyd.example",
        "docent@zuyd.example",
        "student@zuyd.example",
        "gemeente@sittard-geleen.example",
    ] {
        let u = app.login(email).await;
        let e = u.err("areas", &[], StatusCode::FORBIDDEN).await;
        assert!(dutch(&e).contains("Alleen beheerders"), "{email}: {e}");
        u.err(
            "neighbourhood_archive",
            &[("neighbourhood", &n), ("archived", "true")],
            StatusCode::FORBIDDEN,
        )
        .await;
        u.err(
            "municipality_create",
            &[
                ("organisation", &org),
                ("municipality", &MunicipalityId::new().to_string()),
                ("name", "Beek"),
                ("cbs_code", "GM0888"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    app.client()
        .err("areas", &[], StatusCode::UNAUTHORIZED)
        .await;

    // The administrator of another organisation: Zuyd's records do not
    // exist for them.
    let (other, foreign) = common::foreign_admin(&app).await;
    let theirs = view(&foreign).await;
    assert_eq!(theirs.organisation.id, other);
    assert!(theirs.municipalities.is_empty());
    foreign
        .err("areas", &[("organisation", &org)], StatusCode::NOT_FOUND)
        .await;
    foreign
        .err(
            "neighbourhoods_import",
            &[
                ("municipality", &sg.id.to_string()),
                ("level", "wijk"),
                ("csv", "code;naam\nWK188399;X\n"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    foreign
        .err(
            "neighbourhood_update",
            &[("neighbourhood", &n), ("name", "Overgenomen")],
            StatusCode::NOT_FOUND,
        )
        .await;
    let v = view(&admin).await;
    assert_ne!(
        municipality(&v, "Sittard-Geleen").neighbourhoods[0].name,
        "Overgenomen"
    );
    assert_eq!(audit_count(&app, "neighbourhood.update").await, 0);
}

both_backends! {
    admin_adds_municipalities_neighbourhoods_and_imports_a_cbs_list => super::admin_maintains_the_structure;
    archiving_a_neighbourhood_stops_new_interviews_and_keeps_its_stories => super::archiving_keeps_the_stories;
    only_administrators_of_the_organisation_maintain_it => super::only_admins_of_the_organisation;
}
