//! Curation by researchers over HTTP, on SQLite and on PostgreSQL: choosing
//! stories (only with booklet consent), ordering chapters and stories with
//! a version check, chapter intros, foreword and colophon texts, students
//! who opt out of the colophon — and what of it reaches the assembled
//! booklet document. Only researchers (and admins) may curate.

mod common;

use app::booklet::BookletDocument;
use app::domain::ids::{QuoteId, SelectionId, StoryId, ThemeId};
use app::domain::lifecycle::StoryStatus;
use app::model::{CurationView, NewStoryForm, StoryCurationView};
use common::{complete_fields, dutch, patch, Backend, TestApp, User};
use reqwest::StatusCode;

/// Writes, hands in and approves a story in the Sittard-Geleen group, in
/// neighbourhood `neighbourhood` of the group; `booklet` says whether the
/// consent includes the booklet.
async fn approved_story(
    student: &User,
    lecturer: &User,
    neighbourhood: usize,
    title: &str,
    booklet: bool,
) -> StoryId {
    let f: NewStoryForm = student.ok("story_new_form", &[]).await;
    let scopes = if booklet {
        "research,booklet"
    } else {
        "research"
    };
    let fields = complete_fields(&f, neighbourhood, title, scopes, |i| {
        format!("{title}: antwoord {}.", i + 1)
    });
    let done = student
        .autosave_ok(&patch(&f, 0, fields).intent(Some("submit")))
        .await;
    assert_eq!(done.status, StoryStatus::Submitted, "{:?}", done.problems);
    let id = f.story_id.to_string();
    lecturer
        .ok::<()>(
            "story_review",
            &[
                ("id", &id),
                ("version", &done.version.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    f.story_id
}

async fn view(researcher: &User) -> CurationView {
    researcher.ok("curation", &[]).await
}

async fn select(researcher: &User, story: StoryId) {
    researcher
        .ok::<()>(
            "curation_select",
            &[("story", &story.to_string()), ("selected", "true")],
        )
        .await;
}

/// The assembled booklet document of the Sittard-Geleen selection.
async fn assembled(app: &TestApp) -> BookletDocument {
    let (sid,): (String,) = sqlx::query_as(
        "SELECT bs.id FROM booklet_selection bs JOIN municipality m ON m.id = bs.municipality_id
          WHERE m.name = 'Sittard-Geleen'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let rows = app::db::booklets::selection_rows(&mut conn, SelectionId::parse(&sid).unwrap())
        .await
        .unwrap();
    app::booklet::compose(rows).unwrap().document
}

fn story_titles(doc: &BookletDocument) -> Vec<Vec<String>> {
    doc.chapters
        .iter()
        .map(|c| c.stories.iter().map(|s| s.title.clone()).collect())
        .collect()
}

async fn order_and_texts(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let a1 = approved_story(&student, &lecturer, 0, "Eerste A", true).await;
    let b1 = approved_story(&student, &lecturer, 1, "Eerste B", true).await;
    let a2 = approved_story(&student, &lecturer, 0, "Tweede A", true).await;
    for s in [a1, b1, a2] {
        select(&researcher, s).await;
    }
    let v = view(&researcher).await;
    assert_eq!(v.chapters.len(), 2);
    let (chap_a, chap_b) = (v.chapters[0].neighbourhood, v.chapters[1].neighbourhood);
    let titles: Vec<&str> = v.chapters[0]
        .stories
        .iter()
        .map(|s| s.story.title.as_str())
        .collect();
    assert_eq!(titles, ["Eerste A", "Tweede A"]);
    assert_eq!(
        story_titles(&assembled(&app).await),
        [vec!["Eerste A", "Tweede A"], vec!["Eerste B"]]
    );
    assert_eq!(v.students, ["Sanne Hermans"]);

    // Chapter B first, then "Tweede A" to the top of chapter A.
    let muni = v.municipality.id.to_string();
    let version = v.order_version.to_string();
    researcher
        .ok::<()>(
            "curation_move_chapter",
            &[
                ("municipality", &muni),
                ("neighbourhood", &chap_b.to_string()),
                ("to", "0"),
                ("version", &version),
            ],
        )
        .await;
    // A second researcher's move based on the same (now stale) order is
    // refused with a Dutch conflict, and changes nothing.
    let e = researcher
        .err(
            "curation_move",
            &[
                ("story", &a2.to_string()),
                ("to", "0"),
                ("version", &version),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(dutch(&e).contains("volgorde intussen gewijzigd"), "{e}");
    let v = view(&researcher).await;
    assert_eq!(v.chapters[0].neighbourhood, chap_b);
    researcher
        .ok::<()>(
            "curation_move",
            &[
                ("story", &a2.to_string()),
                ("to", "0"),
                ("version", &v.order_version.to_string()),
            ],
        )
        .await;

    // Intro of chapter A, foreword, colophon text and funder line.
    let v = view(&researcher).await;
    let a = v
        .chapters
        .iter()
        .find(|c| c.neighbourhood == chap_a)
        .unwrap();
    let intro_version: i64 = researcher
        .ok(
            "curation_intro",
            &[
                ("municipality", &muni),
                ("neighbourhood", &chap_a.to_string()),
                ("intro", "  Over de wijk A en haar buurthuis.  "),
                ("version", &a.version.to_string()),
            ],
        )
        .await;
    assert_eq!(intro_version, a.version + 1);
    let e = researcher
        .err(
            "curation_intro",
            &[
                ("municipality", &muni),
                ("neighbourhood", &chap_a.to_string()),
                ("intro", "Overschreven?"),
                ("version", &a.version.to_string()),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(dutch(&e).contains("intussen gewijzigd"), "{e}");
    let texts = [
        ("municipality", muni.as_str()),
        ("foreword", "Een woord vooraf."),
        ("colophon_extra", "Gedrukt op gerecycled papier."),
        ("funder_line", "Met steun van het Fonds."),
    ];
    let mut with_version = texts.to_vec();
    with_version.push(("version", "1"));
    let texts_version: i64 = researcher.ok("curation_texts", &with_version).await;
    assert_eq!(texts_version, 2);
    researcher
        .err("curation_texts", &with_version, StatusCode::CONFLICT)
        .await;
    let long = "x".repeat(301);
    let e = researcher
        .err(
            "curation_texts",
            &[
                ("municipality", &muni),
                ("funder_line", &long),
                ("version", "2"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("te lang"), "{e}");

    let doc = assembled(&app).await;
    assert_eq!(
        story_titles(&doc),
        [vec!["Eerste B"], vec!["Tweede A", "Eerste A"]]
    );
    assert_eq!(
        doc.chapters[1].intro.as_deref(),
        Some("Over de wijk A en haar buurthuis.")
    );
    assert_eq!(doc.chapters[0].intro, None);
    assert_eq!(doc.foreword.as_deref(), Some("Een woord vooraf."));
    assert_eq!(
        doc.colophon.extra.as_deref(),
        Some("Gedrukt op gerecycled papier.")
    );
    assert_eq!(
        doc.colophon.funder_line.as_deref(),
        Some("Met steun van het Fonds.")
    );
    assert_eq!(doc.colophon.students, ["Sanne Hermans"]);

    // Taking the only story of chapter B out removes the chapter; putting it
    // back adds it again (at the end) with its story.
    researcher
        .ok::<()>(
            "curation_select",
            &[("story", &b1.to_string()), ("selected", "false")],
        )
        .await;
    let v = view(&researcher).await;
    assert_eq!(v.chapters.len(), 1);
    assert_eq!(
        story_titles(&assembled(&app).await),
        [vec!["Tweede A", "Eerste A"]]
    );

    // The student opts out of the colophon: the name disappears.
    student
        .ok::<()>("colophon_opt_out", &[("out", "true")])
        .await;
    let page: app::model::NotificationsPage = student.ok("notifications", &[]).await;
    assert!(page.student && page.colophon_opt_out);
    assert!(view(&researcher).await.students.is_empty());
    assert!(assembled(&app).await.colophon.students.is_empty());
    student.ok::<()>("colophon_opt_out", &[]).await;
    assert_eq!(view(&researcher).await.students, ["Sanne Hermans"]);
}

async fn only_researchers_curate(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let municipality = app.login("gemeente@sittard-geleen.example").await;
    let story = approved_story(&student, &lecturer, 0, "Alleen onderzoekers", true).await;
    let refused = approved_story(&student, &lecturer, 1, "Zonder boekje", false).await;

    // The story page offers the curation panel to researchers only (its
    // request would fail for the others).
    for (user, curate) in [(&student, false), (&lecturer, false), (&researcher, true)] {
        let d: app::model::StoryDetail = user.ok("story_get", &[("id", &story.to_string())]).await;
        assert_eq!(d.can.curate, curate);
    }

    // No booklet consent: cannot be selected, with the reason.
    let v = view(&researcher).await;
    let item = v.stories.iter().find(|s| s.story.id == refused).unwrap();
    assert!(item.blocked.is_some());
    let e = researcher
        .err(
            "curation_select",
            &[("story", &refused.to_string()), ("selected", "true")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("boekje"), "{e}");

    select(&researcher, story).await;
    let v = view(&researcher).await;
    let muni = v.municipality.id.to_string();
    let chapter = v.chapters[0].neighbourhood.to_string();
    let version = v.order_version.to_string();
    let sid = story.to_string();
    for user in [&student, &lecturer, &municipality] {
        for (endpoint, form) in [
            ("curation", vec![]),
            (
                "curation_select",
                vec![("story", sid.as_str()), ("selected", "false")],
            ),
            (
                "curation_move",
                vec![
                    ("story", sid.as_str()),
                    ("to", "0"),
                    ("version", version.as_str()),
                ],
            ),
            (
                "curation_move_chapter",
                vec![
                    ("municipality", muni.as_str()),
                    ("neighbourhood", chapter.as_str()),
                    ("to", "0"),
                    ("version", version.as_str()),
                ],
            ),
            (
                "curation_intro",
                vec![
                    ("municipality", muni.as_str()),
                    ("neighbourhood", chapter.as_str()),
                    ("intro", "Niet van mij"),
                    ("version", "1"),
                ],
            ),
            (
                "curation_texts",
                vec![
                    ("municipality", muni.as_str()),
                    ("foreword", "Niet van mij"),
                    ("version", "1"),
                ],
            ),
        ] {
            let r = user.call(endpoint, &form).await;
            let status = r.status();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{endpoint}: {status}"
            );
        }
    }
    // Nothing changed.
    let after = view(&researcher).await;
    assert_eq!(after.order_version, v.order_version);
    assert_eq!(after.chapters.len(), 1);
    assert_eq!(after.texts.foreword, "");
    let doc = assembled(&app).await;
    assert_eq!(doc.chapters[0].intro, None);
}

async fn add_theme(
    researcher: &User,
    edition: &str,
    parent: Option<ThemeId>,
    name: &str,
) -> ThemeId {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    researcher
        .ok(
            "theme_add",
            &[
                ("edition", edition),
                ("parent", &parent),
                ("name", name),
                ("description", "Omschrijving"),
            ],
        )
        .await
}

async fn codebook(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let story = approved_story(&student, &lecturer, 0, "Het buurthuis", true).await;
    let other = approved_story(&student, &lecturer, 1, "Donkere straat", true).await;
    let v = view(&researcher).await;
    assert!(v.themes.is_empty() && !v.can_copy_themes);
    let edition = v.edition.to_string();
    let ontmoeting = add_theme(&researcher, &edition, None, "Ontmoeting").await;
    let buurthuis = add_theme(&researcher, &edition, Some(ontmoeting), "Buurthuis").await;
    let veiligheid = add_theme(&researcher, &edition, None, "Veiligheid").await;
    // Same name under the same parent: refused; under another parent: fine.
    let e = researcher
        .err(
            "theme_add",
            &[("edition", &edition), ("name", " ontmoeting ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("al een thema"), "{e}");
    researcher
        .err(
            "theme_add",
            &[("edition", &edition), ("name", "  ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    add_theme(&researcher, &edition, Some(veiligheid), "Buurthuis").await;
    let v = view(&researcher).await;
    let names: Vec<(String, usize)> = v.themes.iter().map(|t| (t.name.clone(), t.depth)).collect();
    assert_eq!(
        names,
        [
            ("Ontmoeting".to_string(), 0),
            ("Buurthuis".to_string(), 1),
            ("Veiligheid".to_string(), 0),
            ("Buurthuis".to_string(), 1)
        ]
    );

    // Tagging: researchers only.
    let tag = [
        ("story", story.to_string()),
        ("theme", buurthuis.to_string()),
        ("on", "true".to_string()),
    ];
    let tag: Vec<(&str, &str)> = tag.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for u in [&student, &lecturer] {
        let status = u.call("story_theme", &tag).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND);
        let status = u
            .call(
                "theme_add",
                &[("edition", &edition), ("name", "Niet van mij")],
            )
            .await
            .status();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    researcher.ok::<()>("story_theme", &tag).await;
    researcher.ok::<()>("story_theme", &tag).await; // twice is once
    researcher
        .ok::<()>(
            "story_theme",
            &[
                ("story", &other.to_string()),
                ("theme", &veiligheid.to_string()),
                ("on", "true"),
            ],
        )
        .await;

    // Filtering by a theme includes the themes below it.
    let filtered: CurationView = researcher
        .ok("curation", &[("theme", &ontmoeting.to_string())])
        .await;
    let ids: Vec<StoryId> = filtered.stories.iter().map(|s| s.story.id).collect();
    assert_eq!(ids, [story]);
    assert_eq!(filtered.stories[0].themes, [buurthuis]);
    assert_eq!(filtered.theme_filter, Some(ontmoeting));
    let filtered: CurationView = researcher
        .ok("curation", &[("theme", &veiligheid.to_string())])
        .await;
    let ids: Vec<StoryId> = filtered.stories.iter().map(|s| s.story.id).collect();
    assert_eq!(ids, [other]);
    // Untagging.
    researcher
        .ok::<()>(
            "story_theme",
            &[
                ("story", &other.to_string()),
                ("theme", &veiligheid.to_string()),
            ],
        )
        .await;
    let filtered: CurationView = researcher
        .ok("curation", &[("theme", &veiligheid.to_string())])
        .await;
    assert!(filtered.stories.is_empty());

    // Removing: not while themes are below it; a leaf goes with its tags.
    let e = researcher
        .err(
            "theme_remove",
            &[("theme", &ontmoeting.to_string())],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("onderliggende"), "{e}");
    assert_eq!(
        lecturer
            .call("theme_remove", &[("theme", &buurthuis.to_string())])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let spare = add_theme(&researcher, &edition, Some(ontmoeting), "Tijdelijk").await;
    researcher
        .ok::<()>(
            "story_theme",
            &[
                ("story", &story.to_string()),
                ("theme", &spare.to_string()),
                ("on", "true"),
            ],
        )
        .await;
    researcher
        .ok::<()>("theme_remove", &[("theme", &spare.to_string())])
        .await;
    let v = view(&researcher).await;
    assert!(v.themes.iter().all(|t| t.id != spare));
    let tagged = v.stories.iter().find(|s| s.story.id == story).unwrap();
    assert_eq!(tagged.themes, [buurthuis]);

    // A new edition copies the tree, not the tags, and only into an empty
    // codebook.
    let next =
        app::db::org::create_edition(&app.db, app.demo().organisation, 2027, "Wijkverhalen 2027")
            .await
            .unwrap();
    let v = view(&researcher).await;
    assert_eq!(v.edition, next);
    assert!(v.themes.is_empty() && v.can_copy_themes);
    let wrong = researcher
        .err(
            "story_theme",
            &[
                ("story", &story.to_string()),
                ("theme", &v.edition.to_string()),
                ("on", "true"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&wrong).contains("editie"), "{wrong}");
    let n: usize = researcher
        .ok("themes_copy", &[("edition", &next.to_string())])
        .await;
    assert_eq!(n, 4);
    let copied = view(&researcher).await;
    let copied_names: Vec<(String, usize)> = copied
        .themes
        .iter()
        .map(|t| (t.name.clone(), t.depth))
        .collect();
    assert_eq!(copied_names, names);
    assert!(copied
        .themes
        .iter()
        .all(|t| t.id != ontmoeting && t.id != buurthuis));
    let (tags,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM story_theme st JOIN theme t ON t.id = st.theme_id WHERE t.edition_id = $1",
    )
    .bind(next.to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(tags, 0);
    let e = researcher
        .err(
            "themes_copy",
            &[("edition", &next.to_string())],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(dutch(&e).contains("niet leeg"), "{e}");
}

async fn quotes_and_editorial(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let student = app.login("student@zuyd.example").await;
    let lecturer = app.login("docent@zuyd.example").await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let story = approved_story(&student, &lecturer, 0, "Café 🏠 verhaal", true).await;
    select(&researcher, story).await;
    let sid = story.to_string();
    let c: StoryCurationView = researcher.ok("story_curation", &[("story", &sid)]).await;
    assert!(!c.editorial);
    let first = &c.answers[0];
    // "Café 🏠 verhaal: antwoord 1." — the quote after the emoji, in UTF-16
    // offsets (the emoji counts two).
    assert_eq!(first.answer, "Café 🏠 verhaal: antwoord 1.");
    let (start, end) = (8, 15);
    let q = first.question.to_string();
    let rev = c.revision.to_string();
    let quote_form = |start: i64, end: i64, text: &str| -> Vec<(String, String)> {
        [
            ("story", sid.clone()),
            ("question", q.clone()),
            ("revision", rev.clone()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("text", text.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    };
    let owned = quote_form(start, end, "verhaal");
    let form: Vec<(&str, &str)> = owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Others may not quote.
    for u in [&student, &lecturer] {
        assert_eq!(
            u.call("quote_save", &form).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            u.call("story_curation", &[("story", &sid)]).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let quote_id: QuoteId = researcher.ok("quote_save", &form).await;
    // Offsets counted in bytes or scalar values instead of UTF-16 do not match.
    for (s, e) in [(11, 18), (7, 14)] {
        let bad = quote_form(s, e, "verhaal");
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let err = researcher
            .err("quote_save", &bad, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        assert!(dutch(&err).contains("staat niet"), "{err}");
    }
    // Without offsets (typed, no JavaScript), the text is looked up.
    let typed: QuoteId = researcher
        .ok(
            "quote_save",
            &[
                ("story", &sid),
                ("question", &q),
                ("revision", &rev),
                ("text", "antwoord 1"),
            ],
        )
        .await;
    researcher
        .err(
            "quote_save",
            &[
                ("story", &sid),
                ("question", &q),
                ("revision", &rev),
                ("text", "niet daar"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    researcher
        .ok::<()>(
            "quote_pull",
            &[("story", &sid), ("quote", &quote_id.to_string())],
        )
        .await;
    let c: StoryCurationView = researcher.ok("story_curation", &[("story", &sid)]).await;
    assert_eq!(c.quotes.len(), 2);
    let stored = c.quotes.iter().find(|x| x.id == quote_id).unwrap();
    assert_eq!((stored.start, stored.end, stored.pull), (8, 15, true));
    let other = c.quotes.iter().find(|x| x.id == typed).unwrap();
    assert_eq!((other.start, other.end, other.pull), (17, 27, false));

    // The editorial version: title, lead, one answer; a stale version is
    // refused; the status stays; the students' text stays in the history.
    let status_before: (String,) = sqlx::query_as("SELECT status FROM story WHERE id = $1")
        .bind(&sid)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let key = format!("answers[q{q}]");
    let version = c.version.to_string();
    let edit = [
        ("story", sid.as_str()),
        ("version", version.as_str()),
        ("title", "Het café met het huisje"),
        ("lead", "Over koffie en buren."),
        (
            key.as_str(),
            "Geredigeerd: het café is de huiskamer van de wijk.",
        ),
    ];
    for u in [&student, &lecturer] {
        assert_eq!(
            u.call("story_editorial", &edit).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let new_version: i64 = researcher.ok("story_editorial", &edit).await;
    assert_eq!(new_version, c.version + 1);
    let e = researcher
        .err("story_editorial", &edit, StatusCode::CONFLICT)
        .await;
    assert!(dutch(&e).contains("intussen gewijzigd"), "{e}");
    let empty_title = [("story", sid.as_str()), ("version", "0"), ("title", "  ")];
    researcher
        .err(
            "story_editorial",
            &empty_title,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let status_after: (String,) = sqlx::query_as("SELECT status FROM story WHERE id = $1")
        .bind(&sid)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status_before, status_after);
    let detail: app::model::StoryDetail = researcher.ok("story_get", &[("id", &sid)]).await;
    assert_eq!(
        detail.title, "Café 🏠 verhaal",
        "the story's own text is untouched"
    );
    let c: StoryCurationView = researcher.ok("story_curation", &[("story", &sid)]).await;
    assert!(c.editorial);
    assert_eq!(c.revision, new_version);
    assert_eq!(c.title, "Het café met het huisje");
    assert_eq!(c.lead, "Over koffie en buren.");
    let (kinds,): (String,) = sqlx::query_as(
        "SELECT snapshot FROM revision WHERE story_id = $1 AND kind = 'submitted' ORDER BY number DESC LIMIT 1",
    )
    .bind(&sid)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        kinds.contains("Café 🏠 verhaal: antwoord 1."),
        "original kept"
    );

    // Quotes on the editorial revision are checked against its text.
    let erev = new_version.to_string();
    researcher
        .err(
            "quote_save",
            &[
                ("story", &sid),
                ("question", &q),
                ("revision", &erev),
                ("start", "8"),
                ("end", "15"),
                ("text", "verhaal"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let _: QuoteId = researcher
        .ok(
            "quote_save",
            &[
                ("story", &sid),
                ("question", &q),
                ("revision", &erev),
                ("start", "28"),
                ("end", "49"),
                ("text", "huiskamer van de wijk"),
            ],
        )
        .await;

    // The booklet uses the editorial text, lead and pull quote.
    let doc = assembled(&app).await;
    let s = &doc.chapters[0].stories[0];
    assert_eq!(s.title, "Het café met het huisje");
    assert_eq!(s.lead.as_deref(), Some("Over koffie en buren."));
    assert_eq!(s.pull_quote.as_deref(), Some("verhaal"));
    assert_eq!(
        s.sections[0].answer,
        "Geredigeerd: het café is de huiskamer van de wijk."
    );
    assert_eq!(s.sections[1].answer, "Café 🏠 verhaal: antwoord 2.");
    // No pull quote any more.
    researcher.ok::<()>("quote_pull", &[("story", &sid)]).await;
    assert_eq!(
        assembled(&app).await.chapters[0].stories[0].pull_quote,
        None
    );
}

both_backends! {
    quotes_and_editorial => super::quotes_and_editorial;
    codebook => super::codebook;
    order_and_texts => super::order_and_texts;
    only_researchers_curate => super::only_researchers_curate;
}
