//! Signed consent over HTTP, on SQLite and on PostgreSQL: the resident's
//! drawn signature is stored with the scopes and the consent text version, a
//! story can then be handed in without a witness, changing the scopes
//! afterwards needs a new signature, and only the story's own students sign.

mod common;

use app::domain::lifecycle::StoryStatus;
use app::model::{ConsentInfo, NewStoryForm, StoryDetail};
use base64::Engine;
use common::{answer_key, dutch, patch, Backend, User};
use image::{Rgba, RgbaImage};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn canvas_png(draw: bool) -> String {
    let mut img = RgbaImage::from_pixel(900, 300, Rgba([0, 0, 0, 0]));
    if draw {
        for x in 100..700u32 {
            let y = 150 + ((x as f32 / 30.0).sin() * 60.0) as i32;
            for dy in 0..4 {
                img.put_pixel(x, (y + dy) as u32, Rgba([20, 33, 61, 255]));
            }
        }
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

async fn sign(
    user: &User,
    story: app::domain::ids::StoryId,
    scopes: &[&str],
    png: String,
) -> reqwest::Response {
    user.http
        .post(format!(
            "{}{}",
            user.base,
            app::routes::consent_signature(story)
        ))
        .header("accept", "application/json")
        .json(&json!({ "scopes": scopes, "png": png }))
        .send()
        .await
        .unwrap()
}

fn complete(f: &NewStoryForm) -> Value {
    let mut fields = serde_json::Map::new();
    fields.insert("title".into(), json!("Samen koken in het buurthuis"));
    fields.insert("pseudonym".into(), json!("Mevrouw Peters"));
    for q in &f.questions {
        fields.insert(answer_key(q.id), json!("We koken elke vrijdag samen."));
    }
    Value::Object(fields)
}

async fn signed_consent(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;

    // Before the interview is stored there is nothing to sign under.
    let r = sign(&student, f.story_id, &["research"], canvas_png(true)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(dutch(&r.json().await.unwrap()).contains("nog niet opgeslagen"));

    student
        .autosave_ok(&patch(
            &f,
            0,
            json!({ "neighbourhood": f.groups[0].neighbourhoods[0].id }),
        ))
        .await;
    // An empty box, or something that is not a PNG, is not a signature.
    let r = sign(&student, f.story_id, &["research"], canvas_png(false)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dutch(&r.json().await.unwrap()).contains("leeg"));
    let r = sign(&student, f.story_id, &["research"], "R0lGODlh".into()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Signing without research consent makes no sense.
    let r = sign(&student, f.story_id, &["booklet"], canvas_png(true)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Only the story's own students can have the resident sign.
    for email in ["student2@zuyd.example", "docent@zuyd.example"] {
        let other = app.login(email).await;
        let r = sign(&other, f.story_id, &["research"], canvas_png(true)).await;
        assert!(
            matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{email}: {}",
            r.status()
        );
    }
    let r = sign(&app.client(), f.story_id, &["research"], canvas_png(true)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = sign(
        &student,
        f.story_id,
        &["research", "booklet", "photos"],
        canvas_png(true),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let info: ConsentInfo = r.json().await.unwrap();
    assert!(info.signed);
    assert_eq!(info.text_version, 1);
    assert_eq!(
        app::autosave::canonical_scopes(info.scopes),
        "research,booklet,photos"
    );
    let signature = info.signature.expect("signature id");
    let png = student.get(&app::routes::media(signature)).await;
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()["content-type"], "image/png");
    let other = app.login("student2@zuyd.example").await;
    assert_eq!(
        other.get(&app::routes::media(signature)).await.status(),
        StatusCode::NOT_FOUND
    );

    // Signed consent is enough to hand in (no witness needed).
    let done = student
        .autosave_ok(&patch(&f, 1, complete(&f)).intent(Some("submit")))
        .await;
    assert_eq!(done.status, StoryStatus::Submitted, "{:?}", done.problems);
    let d: StoryDetail = student
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(d.consent.as_ref().map(|c| c.signed), Some(true));
}

async fn changed_scopes_need_a_new_signature(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    student
        .autosave_ok(&patch(
            &f,
            0,
            json!({ "neighbourhood": f.groups[0].neighbourhoods[0].id, "scopes": "research" }),
        ))
        .await;
    let r = sign(&student, f.story_id, &["research"], canvas_png(true)).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The scopes change after signing: the signature no longer covers them.
    let saved = student
        .autosave_ok(&patch(&f, 1, json!({ "scopes": "research,web" })))
        .await;
    assert_eq!(saved.version, 2);
    let d: StoryDetail = student
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert_eq!(d.consent.as_ref().map(|c| c.signed), Some(false));
    let refused = student
        .autosave_ok(&patch(&f, 2, complete(&f)).intent(Some("submit")))
        .await;
    assert_eq!(refused.status, StoryStatus::Draft);
    assert!(
        refused
            .problems
            .iter()
            .any(|p| p.message.nl.contains("bevestigd")),
        "{:?}",
        refused.problems
    );
    // Signed again for the new scopes: now it can be handed in.
    let r = sign(&student, f.story_id, &["research", "web"], canvas_png(true)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done = student
        .autosave_ok(&patch(&f, 3, json!({})).intent(Some("submit")))
        .await;
    assert_eq!(done.status, StoryStatus::Submitted, "{:?}", done.problems);
}

both_backends! {
    signed_consent => super::signed_consent;
    changed_scopes_need_a_new_signature => super::changed_scopes_need_a_new_signature;
}
