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
    let problems: Vec<FieldProblem> = error.problems().to_vec();
    let message = error.message().get(lang).to_string();
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
