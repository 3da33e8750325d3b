//! The Content-Security-Policy and the inline scripts agree on every page.
//!
//! Pages hydrate only if every inline script Leptos writes carries the nonce
//! the response's policy names. The nonce is drawn once per request by the
//! outermost middleware (`server::security`, `app::csp`); these tests load
//! pages of every kind — with resources, a story page with the curation
//! panels, the not-found fallback — many times at once, and check each
//! answer: one nonce, in the header and on every script; a new one per
//! response; none in the policy of anything that is not HTML.

mod common;

use common::{Backend, User};
use reqwest::StatusCode;
use std::collections::HashSet;

/// The nonce of the response's policy, and the nonces of the page's scripts
/// (`None` for a script without one).
async fn fetch(user: &User, path: &str) -> (StatusCode, Option<String>, Vec<Option<String>>) {
    let r = user.get(path).await;
    let status = r.status();
    let header = r
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"));
    let policy_nonce = header
        .split(['\'', ' '])
        .find_map(|w| w.strip_prefix("nonce-"))
        .map(str::to_string);
    let html = r.text().await.unwrap();
    let scripts = html
        .match_indices("<script")
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            tag.split_once("nonce=\"")
                .map(|(_, rest)| rest.split('"').next().unwrap().to_string())
        })
        .collect();
    (status, policy_nonce, scripts)
}

async fn every_page_carries_the_nonce_of_its_policy(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let researcher = app.login("onderzoeker@zuyd.example").await;
    let student = app.login("student@zuyd.example").await;
    // A story the researcher may curate: its page holds the curation panels.
    let list = researcher.get("/verhalen").await.text().await.unwrap();
    let story = list
        .split("href=\"/verhalen/")
        .nth(1)
        .map(|rest| rest[..36].to_string())
        .expect("a story in the researcher's list");
    let story_page = format!("/verhalen/{story}");
    let pages: Vec<(&User, String, StatusCode)> = vec![
        (&researcher, "/".into(), StatusCode::OK),
        (&researcher, story_page.clone(), StatusCode::OK),
        (&researcher, "/samenstellen".into(), StatusCode::OK),
        (&researcher, "/boekjes".into(), StatusCode::OK),
        (&student, "/verhalen/nieuw".into(), StatusCode::OK),
        (&student, "/inloggen".into(), StatusCode::OK),
        (&student, "/bestaat-niet".into(), StatusCode::NOT_FOUND),
    ];
    let mut seen = HashSet::new();
    // Eight at a time, five rounds: the nonce must not depend on timing.
    for _round in 0..5 {
        let answers = futures::future::join_all(pages.iter().flat_map(|(user, path, want)| {
            (0..2).map(move |_| async move { (path, *want, fetch(user, path).await) })
        }))
        .await;
        for (path, want, (status, policy, scripts)) in answers {
            assert_eq!(status, want, "{path}");
            let nonce = policy.unwrap_or_else(|| panic!("{path}: the policy has no nonce"));
            assert!(!scripts.is_empty(), "{path}: no hydration script");
            for s in &scripts {
                assert_eq!(
                    s.as_deref(),
                    Some(nonce.as_str()),
                    "{path}: a script without the policy's nonce"
                );
            }
            assert!(seen.insert(nonce), "{path}: a nonce used twice");
        }
    }
    // Not HTML: the policy without a nonce.
    for path in [
        "/gezond",
        "/bestanden/media/00000000-0000-0000-0000-000000000000",
    ] {
        let r = researcher.get(path).await;
        let p = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(
            p.contains("object-src 'none'") && !p.contains("nonce-"),
            "{path}: {p}"
        );
    }
}

both_backends! {
    every_page_carries_the_nonce_of_its_policy => super::every_page_carries_the_nonce_of_its_policy;
}
