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
