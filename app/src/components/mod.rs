//! Reusable pieces of the interface.

use crate::domain::lifecycle::StoryStatus;
use crate::domain::text::FieldProblem;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::StoryListItem;
use leptos::prelude::*;

/// An error message for the user, announced to screen readers.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let message = error.message().get(lang).to_string();
    // A single field's problem is usually the message itself: say it once.
    let problems: Vec<FieldProblem> = error
        .problems()
        .iter()
        .filter(|p| p.message.get(lang) != message)
        .cloned()
        .collect();
    let login = matches!(error, AppError::NotAuthenticated);
    view! {
        <div class="note note-error" role="alert">
            <p>{message}</p>
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <ul>
                            {problems
                                .into_iter()
                                .map(|p| view! { <li>{p.message.get(lang).to_string()}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            {login.then(|| view! { <p><a href=crate::routes::LOGIN>{tr("Naar inloggen", "Go to sign in")}</a></p> })}
        </div>
    }
}

/// Shows the error of a failed load, or nothing.
pub fn error_view(e: AppError) -> AnyView {
    view! { <ErrorNote error=e/> }.into_any()
}

/// A story's status as a coloured label.
#[component]
pub fn StatusBadge(status: StoryStatus) -> impl IntoView {
    let lang = use_lang();
    let (nl, en) = status.label();
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{lang.pick(nl, en)}</span> }
}

/// "Bezig met laden…" placeholder.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">{tr("Bezig met laden…", "Loading…")}</p> }
}

/// A list of stories as cards that link to the story.
#[component]
pub fn StoryList(stories: Vec<StoryListItem>, #[prop(into)] empty: String) -> impl IntoView {
    let lang = use_lang();
    if stories.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="story-list" role="list">
            {stories
                .into_iter()
                .map(|s| {
                    let title = if s.title.trim().is_empty() {
                        tr("(nog zonder titel)", "(untitled)").to_string()
                    } else {
                        s.title.clone()
                    };
                    view! {
                        <li class="story-card">
                            <a href=crate::routes::story(s.id) class="story-card-link">
                                <span class="story-card-title">{title}</span>
                                <StatusBadge status=s.status/>
                                <span class="story-card-meta">
                                    {format!("{} · {} · {}", s.neighbourhood, s.resident, s.group)}
                                </span>
                                <span class="story-card-time">
                                    {format!("{} {}", lang.pick("Gewijzigd", "Changed"), s.updated_at.short(lang))}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Focuses the first of these elements (by id) that exists and is not
/// disabled: after a list is drawn again, focus goes back to the control
/// the user was on, or the nearest one that still makes sense.
#[cfg(feature = "hydrate")]
pub fn focus_first(ids: &[String]) {
    use wasm_bindgen::JsCast;
    for id in ids {
        let Some(el) = document().get_element_by_id(id) else {
            continue;
        };
        if el.has_attribute("disabled") {
            continue;
        }
        if let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
            let _ = el.focus();
            return;
        }
    }
}

/// Tabs to switch between editions (shown only when there are several);
/// `href` makes each edition's address on the current page.
#[component]
pub fn EditionTabs(
    editions: Vec<crate::model::EditionChoice>,
    current: crate::domain::ids::EditionId,
    href: fn(crate::domain::ids::EditionId) -> String,
) -> impl IntoView {
    let lang = use_lang();
    let several_orgs = editions
        .iter()
        .any(|e| e.organisation != editions[0].organisation);
    (editions.len() > 1).then(|| {
        view! {
            <nav class="tabs" aria-label=tr("Editie", "Edition")>
                <ul>
                    {editions.iter().map(|e| {
                        let (nl, en) = e.status.label();
                        let label = if several_orgs {
                            format!("{} {} ({})", e.organisation, e.year, lang.pick(nl, en))
                        } else {
                            format!("{} ({})", e.year, lang.pick(nl, en))
                        };
                        view! {
                            <li>
                                <a href=href(e.id) aria-current=(e.id == current).then_some("page")>{label}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

/// A `<textarea>` that holds user text safely: the only place in the app that
/// renders one.
///
/// The server renderer writes a `<textarea>`'s children *unescaped* (tachys
/// treats it as a raw-text element), so text given as a child could close
/// the element with `</textarea>` and run as markup. Here the text goes in
/// escaped, as the element's inner HTML ([`textarea_html`]), which the
/// browser decodes back into exactly the typed text — in the server's HTML
/// and when the client builds the element alike. Hydration leaves the
/// element's value alone, so nothing typed before the client starts is lost.
///
/// Attributes, properties and handlers are passed on with `attr:`, `prop:`
/// and `on:`: `<TextArea value=text attr:id="x" attr:name="y" on:input=…/>`.
#[component]
pub fn TextArea(
    /// The text the field starts with.
    #[prop(into, optional)]
    value: String,
) -> impl IntoView {
    view! { <textarea inner_html=textarea_html(&value)></textarea> }
}

/// The inner HTML of a `<textarea>` that shows `text` literally.
///
/// `&`, `<` and `>` are escaped, so no tag can be closed or opened. The HTML
/// parser drops one newline straight after `<textarea>` in a page, so the
/// server's copy of a text that starts with a newline gets one extra in front.
pub fn textarea_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if cfg!(feature = "ssr") && text.starts_with('\n') {
        out.push('\n');
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::textarea_html;

    #[test]
    fn breakout_strings_stay_text() {
        for evil in [
            "</textarea><script>alert(1)</script>",
            "</TEXTAREA ><img src=x onerror=alert(1)>",
            r#"<meta http-equiv="refresh" content="0;url=https://example.org">"#,
            "<!-- </title></script> <base href=//x>",
        ] {
            let html = textarea_html(evil);
            assert!(!html.contains('<') && !html.contains('>'), "{html}");
        }
        assert_eq!(textarea_html("a & b &amp;"), "a &amp; b &amp;amp;");
    }

    #[test]
    fn every_textarea_goes_through_the_component() {
        // tachys writes a <textarea>'s children raw: a `<textarea>` written
        // anywhere else in a view would bring the injection hole back.
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut offenders = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("components/mod.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains("<textarea") {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "use components::TextArea instead of <textarea> in {offenders:?}"
        );
    }
}
