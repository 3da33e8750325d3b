//! Comment threads on a story: on the story as a whole or on one answer,
//! with replies and a resolved/open state. Used on the story page, where the
//! lecturer writes them and the students answer. Plain forms, so they work
//! without JavaScript; with it, the page refreshes the threads in place.

use crate::api::stories::{AddComment, ResolveComment};
use crate::components::{ErrorNote, TextArea};
use crate::domain::ids::{QuestionId, StoryId};
use crate::i18n::{tr, use_lang};
use crate::model::CommentView;
use leptos::prelude::*;

/// The actions the threads use (created once per page, so the page can
/// reload the story after each).
#[derive(Clone, Copy)]
pub struct CommentActions {
    /// New comment or reply.
    pub add: ServerAction<AddComment>,
    /// Resolve or reopen.
    pub resolve: ServerAction<ResolveComment>,
}

impl CommentActions {
    /// New actions.
    pub fn new() -> Self {
        CommentActions {
            add: ServerAction::new(),
            resolve: ServerAction::new(),
        }
    }

    /// Changes whenever a comment action completed (to reload the story).
    pub fn version(&self) -> usize {
        self.add.version().get() + self.resolve.version().get()
    }
}

impl Default for CommentActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The threads anchored at `question` (or the general ones, for `None`) and,
/// when `can_comment`, a form to start a new one.
#[component]
pub fn CommentThreads(
    story: StoryId,
    question: Option<QuestionId>,
    comments: Vec<CommentView>,
    can_comment: bool,
    actions: CommentActions,
) -> impl IntoView {
    let here: Vec<CommentView> = comments
        .iter()
        .filter(|c| c.question == question)
        .cloned()
        .collect();
    let threads: Vec<(CommentView, Vec<CommentView>)> = here
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|root| {
            let replies = here
                .iter()
                .filter(|c| c.parent == Some(root.id))
                .cloned()
                .collect();
            (root.clone(), replies)
        })
        .collect();
    let anchor = question.map(|q| q.to_string()).unwrap_or_default();
    let new_label = match question {
        Some(_) => tr("Opmerking bij dit antwoord", "Comment on this answer"),
        None => tr(
            "Opmerking over het hele verhaal",
            "Comment on the whole story",
        ),
    };
    let add_error = move || actions.add.value().get().and_then(Result::err);
    view! {
        <div class="comment-threads">
            {threads.into_iter().map(|(root, replies)| {
                let resolved = root.resolved;
                let root_id = root.id;
                view! {
                    <article class="comment-thread" class:resolved=resolved>
                        <CommentBody comment=root.clone()/>
                        {(!replies.is_empty()).then(|| view! {
                            <ul class="comment-replies">
                                {replies.into_iter().map(|r| view! { <li><CommentBody comment=r/></li> }).collect_view()}
                            </ul>
                        })}
                        <p class="comment-state">
                            {if resolved { tr("Opgelost", "Resolved") } else { tr("Open", "Open") }}
                        </p>
                        {can_comment.then(|| view! {
                            <div class="comment-tools">
                                <ActionForm action=actions.resolve attr:class="inline-form">
                                    <input type="hidden" name="id" value=root_id.to_string()/>
                                    <input type="hidden" name="resolved" value=(!resolved).to_string()/>
                                    <button type="submit" class="button button-quiet">
                                        {if resolved { tr("Weer openen", "Reopen") } else { tr("Markeer als opgelost", "Mark as resolved") }}
                                    </button>
                                </ActionForm>
                                <details class="comment-reply">
                                    <summary class="button button-quiet">{tr("Reageren", "Reply")}</summary>
                                    <ActionForm action=actions.add attr:class="form">
                                        <input type="hidden" name="id" value=story.to_string()/>
                                        <input type="hidden" name="parent" value=root_id.to_string()/>
                                        <div class="field">
                                            <label class="label" for=format!("reactie-{root_id}")>{tr("Uw reactie", "Your reply")}</label>
                                            <TextArea attr:id=format!("reactie-{root_id}") attr:name="body" attr:rows="3" attr:required=true/>
                                        </div>
                                        <button type="submit" class="button">{tr("Reactie plaatsen", "Post reply")}</button>
                                    </ActionForm>
                                </details>
                            </div>
                        })}
                    </article>
                }
            }).collect_view()}
            {can_comment.then(|| {
                let field = format!("opmerking-{}", if anchor.is_empty() { "verhaal".to_string() } else { anchor.clone() });
                view! {
                    <details class="comment-new">
                        <summary class="button button-quiet">{new_label}</summary>
                        <ActionForm action=actions.add attr:class="form">
                            <input type="hidden" name="id" value=story.to_string()/>
                            <input type="hidden" name="question" value=anchor.clone()/>
                            <div class="field">
                                <label class="label" for=field.clone()>{new_label}</label>
                                <TextArea attr:id=field attr:name="body" attr:rows="3" attr:required=true/>
                            </div>
                            <button type="submit" class="button">{tr("Opmerking plaatsen", "Post comment")}</button>
                        </ActionForm>
                        {move || add_error().map(|e| view! { <ErrorNote error=e/> })}
                    </details>
                }
            })}
        </div>
    }
}

#[component]
fn CommentBody(comment: CommentView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="comment">
            <p class="comment-meta">{format!("{} · {}", comment.author, comment.created_at.short(lang))}</p>
            {comment.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
        </div>
    }
}
