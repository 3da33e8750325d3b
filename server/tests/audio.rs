//! Audio recordings over HTTP, on SQLite and on PostgreSQL: starting needs
//! the resident's consent; chunks may arrive out of order and twice; a
//! recording with a gap cannot be finished; caps; only the person recording
//! adds to it; who may listen; byte ranges for seeking.

mod common;

use app::domain::ids::MediaId;
use app::domain::lifecycle::StoryStatus;
use app::model::{ChunkReceipt, MediaView, NewStoryForm, RecordingStarted, StoryDetail};
use app::routes;
use common::{answer_key, dutch, patch, story_with_scopes, Backend, TestApp, User};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::media::audio::{sample_webm_head, webm_duration_ms};

/// A story of `student`'s first group, with the given consent scopes.
async fn story(student: &User, scopes: &str) -> NewStoryForm {
    story_with_scopes(student, "Mevrouw Hendriks", scopes).await
}

async fn start(
    user: &User,
    f: &NewStoryForm,
    id: Option<MediaId>,
    mime: &str,
) -> reqwest::Response {
    user.http
        .post(format!(
            "{}{}",
            user.base,
            routes::recording_start(f.story_id)
        ))
        .header("accept", "application/json")
        .json(&json!({ "id": id, "mime": mime }))
        .send()
        .await
        .expect("start")
}

async fn put_chunk(user: &User, id: MediaId, seq: u32, bytes: Vec<u8>) -> reqwest::Response {
    user.http
        .put(format!("{}{}", user.base, routes::recording_chunk(id, seq)))
        .header("accept", "application/json")
        .header("content-type", "audio/webm")
        .body(bytes)
        .send()
        .await
        .expect("chunk")
}

async fn finish(user: &User, id: MediaId, chunks: u32, duration_ms: u64) -> reqwest::Response {
    user.http
        .post(format!("{}{}", user.base, routes::recording_finish(id)))
        .header("accept", "application/json")
        .json(&json!({ "chunks": chunks, "duration_ms": duration_ms }))
        .send()
        .await
        .expect("finish")
}

async fn refused(r: reqwest::Response, status: StatusCode, needle: &str) {
    let got = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    let msg = dutch(&body);
    assert!(msg.contains(needle), "expected ‘{needle}’ in: {msg}");
}

async fn receipt(r: reqwest::Response) -> (StatusCode, ChunkReceipt) {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "chunk {status}: {text}");
    (status, serde_json::from_str(&text).unwrap())
}

async fn detail(user: &User, f: &NewStoryForm) -> StoryDetail {
    user.ok("story_get", &[("id", &f.story_id.to_string())])
        .await
}

/// Three chunks of a "recording": the WebM head, then two pieces of cluster data.
fn three_chunks() -> [Vec<u8>; 3] {
    [
        sample_webm_head(b"\xA3\x85\x81\x00\x00\x80\x42"),
        b"\xA3\x85\x81\x13\x88\x80\x43-tweede-stuk".to_vec(),
        b"\xA3\x85\x81\x27\x10\x80\x44-derde-stuk".to_vec(),
    ]
}

/// Files under the data directory's `objects/<dir>`.
fn files_under(app: &TestApp, dir: &str) -> usize {
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
    count(&app.data_dir.join("objects").join(dir))
}

/// A finished recording of `f` by `student`: three chunks, 6.25 s.
async fn record(student: &User, f: &NewStoryForm) -> MediaView {
    let r = start(student, f, None, "audio/webm;codecs=opus").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let started: RecordingStarted = r.json().await.unwrap();
    for (seq, bytes) in three_chunks().into_iter().enumerate() {
        receipt(put_chunk(student, started.id, seq as u32, bytes).await).await;
    }
    let r = finish(student, started.id, 3, 6_250).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn chunks_gaps_caps_and_ranges(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let other_student = app.login("student2@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;

    // Without the resident's consent to a recording: refused, nothing stored.
    let f = story(&student, "research,photos").await;
    let id = MediaId::new();
    let r = start(&student, &f, Some(id), "audio/webm;codecs=opus").await;
    refused(
        r,
        StatusCode::FORBIDDEN,
        "toestemming geeft voor een geluidsopname",
    )
    .await;
    refused(
        put_chunk(&student, id, 0, three_chunks()[0].clone()).await,
        StatusCode::NOT_FOUND,
        "",
    )
    .await;

    // With consent: the browser's own id is used; starting again is harmless.
    student
        .autosave_ok(&patch(&f, 1, json!({ "scopes": "research,audio" })))
        .await;
    let r = start(&student, &f, Some(id), "video/mp4").await;
    refused(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "formaat").await;
    let r = start(&student, &f, Some(id), "audio/webm;codecs=opus").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let started: RecordingStarted = r.json().await.unwrap();
    assert_eq!(started.id, id);
    assert_eq!(started.mime, "audio/webm");
    let r = start(&student, &f, Some(id), "audio/webm;codecs=opus").await;
    assert_eq!(r.status(), StatusCode::OK, "the same start again");
    // Someone else cannot claim the id.
    let g = story(&other_student, "research,audio").await;
    let r = start(&other_student, &g, Some(id), "audio/webm").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Chunks out of order, and one twice: fine, stored once.
    let [c0, c1, c2] = three_chunks();
    let (status, rc) = receipt(put_chunk(&student, id, 2, c2.clone()).await).await;
    assert_eq!(
        (status, rc.seq, rc.duplicate),
        (StatusCode::CREATED, 2, false)
    );
    receipt(put_chunk(&student, id, 0, c0.clone()).await).await;
    let (status, rc) = receipt(put_chunk(&student, id, 2, c2.clone()).await).await;
    assert_eq!((status, rc.duplicate), (StatusCode::OK, true));
    assert_eq!(files_under(&app, &format!("audio/{id}/stukken")), 2);

    // A gap: not finished, and the message says what is missing.
    let r = finish(&student, id, 3, 6_250).await;
    refused(r, StatusCode::CONFLICT, "Stuk 2 ontbreekt nog").await;
    assert!(detail(&student, &f).await.media.is_empty(), "not ready");

    // Caps: a chunk over 8 MiB is refused (413), as is a chunk number far
    // beyond any interview.
    // The server answers 413 as soon as the cap is passed and does not read
    // the rest; the client may then still be writing the body and see the
    // connection close instead of the answer. Either way nothing is stored.
    let big = student
        .http
        .put(format!(
            "{}{}",
            student.base,
            routes::recording_chunk(id, 1)
        ))
        .header("accept", "application/json")
        .header("content-type", "audio/webm")
        .body(vec![0x42; 8 * 1024 * 1024 + 1])
        .send()
        .await;
    match big {
        Ok(r) => refused(r, StatusCode::PAYLOAD_TOO_LARGE, "te groot").await,
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    let r = put_chunk(&student, id, 1_000_000, c1.clone()).await;
    refused(r, StatusCode::PAYLOAD_TOO_LARGE, "te lang").await;
    let r = put_chunk(&student, id, 1, Vec::new()).await;
    refused(r, StatusCode::UNPROCESSABLE_ENTITY, "leeg").await;

    // Someone else's recording: not found, for chunks and for finishing.
    for (who, user) in [("other student", &other_student), ("lecturer", &lecturer)] {
        let r = put_chunk(user, id, 1, c1.clone()).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
        let r = finish(user, id, 3, 6_250).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
    }
    let r = put_chunk(&app.client(), id, 1, c1.clone()).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "not signed in");

    // The missing chunk arrives; now it finishes into one file.
    receipt(put_chunk(&student, id, 1, c1.clone()).await).await;
    let r = finish(&student, id, 3, 6_250).await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: MediaView = r.json().await.unwrap();
    assert_eq!(view.id, id);
    assert_eq!(view.kind, app::domain::media::MediaKind::Audio);
    assert_eq!(view.duration_ms, Some(6_250));
    let d = detail(&student, &f).await;
    assert_eq!(d.media.len(), 1);
    assert_eq!(d.media[0].duration_ms, Some(6_250));
    assert_eq!(
        files_under(&app, &format!("audio/{id}/stukken")),
        0,
        "chunk files deleted"
    );
    assert_eq!(
        files_under(&app, &format!("audio/{id}")),
        1,
        "one joined file"
    );
    // Finishing again gives the same recording; chunks are no longer taken.
    let r = finish(&student, id, 3, 6_250).await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: MediaView = r.json().await.unwrap();
    assert_eq!(again.id, id);
    let r = put_chunk(&student, id, 3, c1.clone()).await;
    refused(r, StatusCode::CONFLICT, "al afgerond").await;

    // The file: the chunks in order, with the length written into the head.
    let url = routes::media(id);
    let file = student.get(&url).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "audio/webm");
    assert_eq!(file.headers()["accept-ranges"], "bytes");
    let bytes = file.bytes().await.unwrap().to_vec();
    assert_eq!(bytes.len() as i64, view.bytes);
    assert_eq!(webm_duration_ms(&bytes), Some(6_250.0));
    let tail: Vec<u8> = [&c0[c0.len() - 7..], &c1[..], &c2[..]].concat();
    assert!(bytes.ends_with(&tail), "chunks joined in order");

    // Byte ranges, for seeking.
    let len = bytes.len();
    let ranged = |range: String| {
        let student = &student;
        let url = url.clone();
        async move {
            student
                .http
                .get(format!("{}{url}", student.base))
                .header("range", range)
                .send()
                .await
                .unwrap()
        }
    };
    let r = ranged("bytes=0-3".into()).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 0-3/{len}").as_str()
    );
    assert_eq!(r.headers()["content-length"], "4");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[0..4]);
    let r = ranged(format!("bytes={}-", len - 10)).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[len - 10..]);
    let r = ranged("bytes=-5".into()).await;
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[len - 5..]);
    let r = ranged(format!("bytes={len}-")).await;
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );

    // A first chunk that is not the audio it claims to be is refused.
    let r = start(&student, &f, None, "audio/webm").await;
    let second: RecordingStarted = r.json().await.unwrap();
    let r = put_chunk(&student, second.id, 0, b"<!doctype html><script>".to_vec()).await;
    refused(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "geen geluidsopname").await;
    // Consent withdrawn for the recording halfway: nothing more is taken.
    receipt(put_chunk(&student, second.id, 0, c0.clone()).await).await;
    student
        .autosave_ok(&patch(&f, 2, json!({ "scopes": "research" })))
        .await;
    let r = put_chunk(&student, second.id, 1, c1.clone()).await;
    refused(r, StatusCode::FORBIDDEN, "geluidsopname").await;
    let r = finish(&student, second.id, 1, 5_000).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Removing a recording that was never finished removes its chunks too.
    assert_eq!(files_under(&app, &format!("audio/{}", second.id)), 1);
    let _: MediaId = student
        .ok("media_remove", &[("id", &second.id.to_string())])
        .await;
    assert_eq!(files_under(&app, &format!("audio/{}", second.id)), 0);

    // A recording can be removed like a photo; its file goes too.
    let removed: MediaId = student.ok("media_remove", &[("id", &id.to_string())]).await;
    assert_eq!(removed, id);
    assert_eq!(student.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(files_under(&app, &format!("audio/{id}")), 0);
    assert!(detail(&student, &f).await.media.is_empty());
}

async fn listening_by_role(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let f = story(&student, "research,booklet,web,photos,audio").await;
    let view = record(&student, &f).await;
    let url = routes::media(view.id);

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
    }

    // Handed in: the group's lecturer listens, another group's lecturer does
    // not, and the student records no more.
    let mut fields = serde_json::Map::new();
    fields.insert("title".into(), json!("De markt op zaterdag"));
    fields.insert("witness_name".into(), json!("Sanne Hermans"));
    for q in &f.questions {
        fields.insert(answer_key(q.id), json!("Daar kom je iedereen tegen."));
    }
    let submitted = student
        .autosave_ok(&patch(&f, 1, Value::Object(fields)).intent(Some("submit")))
        .await;
    assert_eq!(
        submitted.status,
        StoryStatus::Submitted,
        "{:?}",
        submitted.problems
    );
    let r = lecturer
        .http
        .get(format!("{}{url}", lecturer.base))
        .header("range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &[0x1A, 0x45, 0xDF, 0xA3]);
    let seen: StoryDetail = lecturer
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert!(
        seen.media.iter().any(|m| m.id == view.id),
        "listed for the lecturer"
    );
    assert_eq!(
        other_lecturer.get(&url).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(researcher.get(&url).await.status(), StatusCode::NOT_FOUND);
    let r = start(&student, &f, None, "audio/webm").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Approved: the researchers listen too; municipality staff never do.
    let v = submitted.version.to_string();
    let _: () = lecturer
        .ok(
            "story_review",
            &[
                ("id", &f.story_id.to_string()),
                ("version", &v),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(researcher.get(&url).await.status(), StatusCode::OK);
    let seen: StoryDetail = researcher
        .ok("story_get", &[("id", &f.story_id.to_string())])
        .await;
    assert!(seen.media.iter().any(|m| m.id == view.id));
    assert_eq!(municipality.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        other_student.get(&url).await.status(),
        StatusCode::NOT_FOUND
    );
}

both_backends! {
    chunks_gaps_caps_and_ranges => super::chunks_gaps_caps_and_ranges;
    listening_by_role => super::listening_by_role;
}
