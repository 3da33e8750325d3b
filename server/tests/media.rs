//! Photos over HTTP, on SQLite and on PostgreSQL: the upload handler's
//! limits and refusals, the stored file (upright, no metadata), and who may
//! see or remove a photo.

mod common;

use app::model::{MediaView, NewStoryForm, StoryDetail};
use common::{answer_key, dutch, patch, story_with_scopes, Backend, TestApp, User};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A story of `student`'s first group, with the given consent scopes.
async fn story(student: &User, scopes: &str) -> NewStoryForm {
    story_with_scopes(student, "Meneer Janssen", scopes).await
}

async fn upload(
    user: &User,
    f: &NewStoryForm,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
    alt: &str,
) -> reqwest::Response {
    let form = Form::new()
        // The camera input, unused: an empty part without a file name.
        .part(
            "foto",
            Part::bytes(Vec::new())
                .file_name("")
                .mime_str("application/octet-stream")
                .unwrap(),
        )
        .part(
            "foto",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str(mime)
                .unwrap(),
        )
        .text("bijschrift", "De bank bij de kerk")
        .text("beschrijving", alt.to_string());
    user.http
        .post(format!(
            "{}/bestanden/verhalen/{}/fotos",
            user.base, f.story_id
        ))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn refused(r: reqwest::Response, status: StatusCode, needle: &str) {
    let got = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    let msg = dutch(&body);
    assert!(msg.contains(needle), "expected ‘{needle}’ in: {msg}");
}

async fn detail(user: &User, f: &NewStoryForm) -> StoryDetail {
    user.ok("story_get", &[("id", &f.story_id.to_string())])
        .await
}

async fn upload_limits_and_refusals(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;

    // Without the resident's consent to photos: refused before the body is read.
    let f = story(&student, "research").await;
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_orientation_6_with_gps(),
        "Een bank",
    )
    .await;
    refused(r, StatusCode::FORBIDDEN, "toestemming").await;

    let question = f.questions[0].id;
    student
        .autosave_ok(&patch(
            &f,
            1,
            json!({ "scopes": "research,photos", answer_key(question): "Op het plein." }),
        ))
        .await;
    // A photo whose transfer broke off: the decoder alone would grey out the missing part.
    let whole = testdata::jpeg_of_size(256, 256);
    let truncated = whole[..whole.len() * 2 / 3].to_vec();
    // The refusals, each with a message the student understands.
    let cases: Vec<(&str, &str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "leeg.jpg",
            "image/jpeg",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "leeg",
        ),
        (
            "schermafdruk.jpg",
            "image/jpeg",
            testdata::png_of_size(40, 30),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "heet .jpg maar is eigenlijk een PNG",
        ),
        (
            "groot.png",
            "image/png",
            testdata::png_declaring(20_000, 20_000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "20000 × 20000",
        ),
        (
            "notities.txt",
            "text/plain",
            b"Gesprek met mevrouw, dinsdag".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "geen foto",
        ),
        (
            "afgebroken.jpg",
            "image/jpeg",
            truncated,
            StatusCode::UNPROCESSABLE_ENTITY,
            "beschadigd of onvolledig",
        ),
        (
            "enorm.jpg",
            "image/jpeg",
            vec![0xFF; 25 * 1024 * 1024 + 1],
            StatusCode::PAYLOAD_TOO_LARGE,
            "te groot",
        ),
    ];
    for (name, mime, bytes, status, needle) in cases {
        let r = upload(&student, &f, name, mime, bytes, "Een bank").await;
        refused(r, status, needle).await;
    }
    // A description of what the photo shows is required.
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_orientation_6_with_gps(),
        " ",
    )
    .await;
    refused(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Vul ook in wat er op de foto te zien is",
    )
    .await;
    let after = detail(&student, &f).await;
    assert!(after.media.is_empty(), "nothing was stored");
    assert_eq!(
        after.answers.get(&question).map(String::as_str),
        Some("Op het plein."),
        "the typed text is kept"
    );

    // A real photo: stored upright (300×200 turned by EXIF 6), without metadata.
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_orientation_6_with_gps(),
        "Een houten bank voor de kerk",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let view: MediaView = r.json().await.unwrap();
    assert_eq!((view.width, view.height), (Some(200), Some(300)));
    assert_eq!(view.caption, "De bank bij de kerk");
    let file = student.get(&app::routes::media(view.id)).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert!(file.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("private"));
    let bytes = file.bytes().await.unwrap();
    assert!(
        !bytes.windows(2).any(|w| w == [0xFF, 0xE1]),
        "no APP1 (EXIF/XMP) segment"
    );
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (200, 300));
    // The top-left mark of the sideways original is now top-right.
    let near = |p: &image::Rgb<u8>, c: [u8; 3]| p.0.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 40);
    assert!(
        near(img.get_pixel(195, 5), testdata::MARK_TOP_LEFT),
        "{:?}",
        img.get_pixel(195, 5)
    );
    let thumb = student.get(&app::routes::media_thumb(view.id)).await;
    assert_eq!(thumb.status(), StatusCode::OK);
    // The same photo again is stored once (content address) but listed twice.
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_orientation_6_with_gps(),
        "Nog eens",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(detail(&student, &f).await.media.len(), 2);
    assert_eq!(photo_files(&app), 2, "one photo and one thumbnail on disk");
}

fn photo_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.data_dir.join("objects").join("photos"))
}

async fn media_access_by_role(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f = story(&student, "research,booklet,web,photos").await;
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_of_size(640, 480),
        "Een bank",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let view: MediaView = r.json().await.unwrap();
    let url = app::routes::media(view.id);

    let other_student = app.login("student2@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let other_lecturer = app.login("docent2@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let municipality = app.login("gemeente@sittard-geleen.example").await;
    let anonymous = app.client();
    assert_eq!(student.get(&url).await.status(), StatusCode::OK);
    assert_eq!(anonymous.get(&url).await.status(), StatusCode::UNAUTHORIZED);
    for (who, user) in [
        ("student of another group", &other_student),
        ("lecturer, story still a draft", &lecturer),
        ("researcher, story not approved", &researcher),
        ("municipality", &municipality),
    ] {
        assert_eq!(
            user.get(&url).await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
        assert_eq!(
            user.get(&app::routes::media_thumb(view.id)).await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    // Nobody else can add photos to this story either.
    let r = upload(
        &other_student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_of_size(64, 48),
        "Een bank",
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Handed in: the group's lecturer sees it, another group's lecturer does not,
    // and the student can no longer add or remove photos.
    let mut fields = serde_json::Map::new();
    fields.insert("title".into(), json!("De bank bij de kerk"));
    fields.insert("witness_name".into(), json!("Sanne Hermans"));
    for q in &f.questions {
        fields.insert(answer_key(q.id), json!("Daar zitten we elke middag."));
    }
    let submitted = student
        .autosave_ok(&patch(&f, 1, Value::Object(fields)).intent(Some("submit")))
        .await;
    assert_eq!(
        submitted.status,
        app::domain::lifecycle::StoryStatus::Submitted,
        "{:?}",
        submitted.problems
    );
    assert_eq!(lecturer.get(&url).await.status(), StatusCode::OK);
    assert_eq!(
        other_lecturer.get(&url).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = upload(
        &student,
        &f,
        "bank.jpg",
        "image/jpeg",
        testdata::jpeg_of_size(64, 48),
        "Een bank",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    student
        .err(
            "media_remove",
            &[("id", &view.id.to_string())],
            StatusCode::FORBIDDEN,
        )
        .await;

    // A draft's photo can be removed by its students only; the file goes too.
    let g: NewStoryForm = story(&student, "research,photos").await;
    let r = upload(
        &student,
        &g,
        "boom.jpg",
        "image/jpeg",
        testdata::jpeg_of_size(300, 200),
        "Een boom",
    )
    .await;
    let tree: MediaView = r.json().await.unwrap();
    other_student
        .err(
            "media_remove",
            &[("id", &tree.id.to_string())],
            StatusCode::NOT_FOUND,
        )
        .await;
    let before = photo_files(&app);
    let removed: app::domain::ids::MediaId = student
        .ok("media_remove", &[("id", &tree.id.to_string())])
        .await;
    assert_eq!(removed, tree.id);
    assert_eq!(
        student.get(&app::routes::media(tree.id)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(photo_files(&app), before - 2, "photo and thumbnail deleted");
    assert!(detail(&student, &g).await.media.is_empty());
}

both_backends! {
    upload_limits_and_refusals => super::upload_limits_and_refusals;
    media_access_by_role => super::media_access_by_role;
}
