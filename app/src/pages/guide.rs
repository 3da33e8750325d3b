//! The interview guide editor (`/vragenlijst?editie=<id>`): researchers and
//! admins edit the ordered questions of an edition; the student's form for a
//! new interview follows it.
//!
//! Every question is its own form (text, help, required), with buttons to
//! move it and to archive it; all are plain forms that also work without
//! JavaScript. With JavaScript, text typed into one question survives a
//! change made with another question's buttons (the page keeps drafts while
//! it reloads the list), and focus returns to the button that was used.

use crate::api::guide::{
    guide_editor, AddQuestion, ArchiveQuestion, EditQuestion, MoveQuestion, NEW_QUESTION_KEY,
    RETURN_HELP, RETURN_QUESTION, RETURN_REQUIRED, RETURN_TEXT,
};
use crate::components::{error_view, EditionTabs, ErrorNote, Loading, TextArea};
use crate::domain::guide::{answered_note, HELP_MAX, QUESTION_MAX};
use crate::domain::ids::EditionId;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{GuideEditorQuestion, GuideEditorView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

/// Text typed into a question's form and not saved yet.
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    text: String,
    help: String,
    required: bool,
    /// The version the typing started from (`None`: the stored one).
    version: Option<i64>,
}

/// Everything the question forms share.
#[derive(Clone, Copy)]
struct Shared {
    /// Unsaved text per form (question id, or `nieuw`).
    drafts: StoredValue<HashMap<String, Draft>>,
    /// The form last used (question id or `nieuw`): its errors show there.
    last: RwSignal<Option<String>>,
    /// The element to focus once the list has been drawn again.
    focus: StoredValue<Vec<String>>,
    /// A short announcement for screen readers after a change.
    status: RwSignal<String>,
    move_action: ServerAction<MoveQuestion>,
    archive: ServerAction<ArchiveQuestion>,
    add: ServerAction<AddQuestion>,
}

impl Shared {
    fn remember(&self, key: &str, draft: Draft) {
        let key = key.to_string();
        self.drafts.update_value(|d| {
            d.insert(key, draft);
        });
    }

    fn forget(&self, key: &str) {
        self.drafts.update_value(|d| {
            d.remove(key);
        });
    }

    fn draft(&self, key: &str) -> Option<Draft> {
        self.drafts.with_value(|d| d.get(key).cloned())
    }

    /// Marks `key` as the form in use and what to focus after the reload;
    /// earlier errors of the list's buttons are done with.
    fn using(&self, key: &str, focus: Vec<String>) {
        self.last.set(Some(key.to_string()));
        self.focus.set_value(focus);
        self.move_action.value().set(None);
        self.archive.value().set(None);
        self.add.value().set(None);
    }

    fn error_for(&self, key: &str, error: Option<AppError>) -> Option<AppError> {
        error.filter(|_| self.last.get().as_deref() == Some(key))
    }
}

/// The page.
#[component]
pub fn Guide() -> impl IntoView {
    let query = use_query_map();
    let edition = move || {
        query
            .read()
            .get("editie")
            .and_then(|e| EditionId::parse(&e))
    };
    // A refused form post without JavaScript comes back with the form it was
    // (and its typed text) in the address.
    let (returned_key, returned) = query.with_untracked(|q| {
        let key = q.get(RETURN_QUESTION);
        let typed = q.get(RETURN_TEXT).map(|text| Draft {
            text,
            help: q.get(RETURN_HELP).unwrap_or_default(),
            required: q.get(RETURN_REQUIRED).is_some(),
            version: None,
        });
        (key, typed)
    });
    let mut drafts = HashMap::new();
    if let (Some(k), Some(d)) = (&returned_key, returned) {
        drafts.insert(k.clone(), d);
    }
    let shared = Shared {
        drafts: StoredValue::new(drafts),
        last: RwSignal::new(returned_key),
        focus: StoredValue::new(Vec::new()),
        status: RwSignal::new(String::new()),
        move_action: ServerAction::<MoveQuestion>::new(),
        archive: ServerAction::<ArchiveQuestion>::new(),
        add: ServerAction::<AddQuestion>::new(),
    };
    let data = Resource::new(
        move || {
            (
                edition(),
                shared.add.version().get(),
                shared.move_action.version().get(),
                shared.archive.version().get(),
            )
        },
        |(e, ..)| guide_editor(e),
    );
    let lang = use_lang();
    Effect::new(move |_| {
        let announce = |m: &str| shared.status.set(m.to_string());
        if let Some(Ok(id)) = shared.add.value().get() {
            shared.forget(NEW_QUESTION_KEY);
            shared.focus.set_value(vec![format!("kop-{id}")]);
            announce(lang.pick("Vraag toegevoegd.", "Question added."));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = shared.move_action.value().get() {
            shared.status.set(
                lang.pick("Vraag verplaatst.", "Question moved.")
                    .to_string(),
            );
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = shared.archive.value().get() {
            shared.status.set(
                lang.pick("Vragenlijst bijgewerkt.", "Interview guide updated.")
                    .to_string(),
            );
        }
    });
    view! {
        <Title text=tr("Vragenlijst", "Interview guide")/>
        <h1>{tr("Vragenlijst", "Interview guide")}</h1>
        <p class="visually-hidden" role="status">{move || shared.status.get()}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        // A fresh page body for every load (each has its own
                        // new-question id): redrawing in place would keep the
                        // old typed values in inputs that now show another
                        // question. Unsaved text comes back from the drafts.
                        let key = v.new_question_id;
                        view! {
                            <For each=move || [key] key=|k| *k let:_k>
                                <GuideBody v=v.clone() shared=shared/>
                            </For>
                        }
                        .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn GuideBody(v: GuideEditorView, shared: Shared) -> impl IntoView {
    let lang = use_lang();
    // After the list is drawn again, put focus back where the user was.
    Effect::new(move |_| {
        let wanted = shared
            .focus
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        #[cfg(feature = "hydrate")]
        crate::components::focus_first(&wanted);
        #[cfg(not(feature = "hydrate"))]
        let _ = wanted;
    });
    let editable = v.locked.is_none();
    let total = v.questions.len();
    let (status_nl, status_en) = v.edition.status.label();
    let lead = format!(
        "{} · {} {}",
        v.edition.title,
        lang.pick("editie", "edition"),
        lang.pick(status_nl, status_en)
    );
    let guide_version = v.guide_version;
    let edition = v.edition.id;
    let archived = v.archived.clone();
    view! {
        <EditionTabs editions=v.editions.clone() current=v.edition.id href=crate::routes::guide/>
        <p class="lead">{lead}</p>
        {match v.locked.clone() {
            Some(m) => view! { <p class="note">{m.get(lang).to_string()}</p> }.into_any(),
            None => view! {
                <p class="hint guide-intro">{tr(
                    "Studenten zien deze vragen in deze volgorde in het formulier voor een nieuw interview. Wijzigingen gelden meteen.",
                    "Students see these questions in this order in the form for a new interview. Changes apply at once.",
                )}</p>
            }.into_any(),
        }}

        <section class="panel" aria-labelledby="vragen-kop">
            <h2 id="vragen-kop">{format!("{} ({total})", lang.pick("Vragen", "Questions"))}</h2>
            <ol class="guide-list" role="list">
                {v.questions.into_iter().enumerate().map(|(i, q)| {
                    if editable {
                        view! { <QuestionCard q=q index=i total=total guide_version=guide_version shared=shared/> }.into_any()
                    } else {
                        view! { <ReadOnlyCard q=q index=i total=total/> }.into_any()
                    }
                }).collect_view()}
            </ol>
        </section>

        {editable.then(|| view! { <AddForm edition=edition new_id=v.new_question_id.to_string() shared=shared/> })}

        {(!archived.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="archief-kop">
                <h2 id="archief-kop">{format!("{} ({})", lang.pick("Gearchiveerde vragen", "Archived questions"), archived.len())}</h2>
                <p class="hint">{tr(
                    "Deze vragen staan niet meer in het formulier voor nieuwe interviews. Antwoorden die al gegeven zijn blijven bewaard en staan bij de verhalen.",
                    "These questions are no longer in the form for new interviews. Answers already given are kept and shown with the stories.",
                )}</p>
                <ul class="guide-archive" role="list">
                    {archived.into_iter().map(|q| view! { <ArchivedRow q=q editable=editable shared=shared/> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn progress(lang: crate::domain::Lang, index: usize, total: usize) -> String {
    format!(
        "{} {} {} {}",
        lang.pick("Vraag", "Question"),
        index + 1,
        lang.pick("van", "of"),
        total
    )
}

/// "Last changed by …, 28 nov 2026 14:02".
fn changed_line(q: &GuideEditorQuestion, lang: crate::domain::Lang) -> Option<String> {
    let at = q.updated_at?;
    Some(match &q.updated_by {
        Some(by) => format!(
            "{} {by}, {}",
            lang.pick("Laatst gewijzigd door", "Last changed by"),
            at.short(lang)
        ),
        None => format!(
            "{} {}",
            lang.pick("Laatst gewijzigd", "Last changed"),
            at.short(lang)
        ),
    })
}

/// One active question: its form, and buttons to move and archive it.
#[component]
fn QuestionCard(
    q: GuideEditorQuestion,
    index: usize,
    total: usize,
    guide_version: i64,
    shared: Shared,
) -> impl IntoView {
    let lang = use_lang();
    let id = q.id.to_string();
    let label_n = format!("{} {}", lang.pick("vraag", "question"), index + 1);
    let heading_id = format!("kop-{id}");
    let draft = shared.draft(&id);
    let version = RwSignal::new(draft.as_ref().and_then(|d| d.version).unwrap_or(q.version));
    let start = draft.unwrap_or(Draft {
        text: q.text.clone(),
        help: q.help_text.clone(),
        required: q.required,
        version: None,
    });
    let edit_form = edit_form(&q, &id, &label_n, &heading_id, start, version, shared);
    let pending = move || shared.move_action.pending().get() || shared.archive.pending().get();
    let on = move |key: &str, focus: [String; 2]| {
        let (key, focus) = (key.to_string(), focus.to_vec());
        move |_: leptos::ev::MouseEvent| shared.using(&key, focus.clone())
    };
    let (up_id, down_id, restore_id) = (
        format!("omhoog-{id}"),
        format!("omlaag-{id}"),
        format!("terug-{id}"),
    );
    let move_form = |direction: &'static str| {
        let (me, other) = match direction {
            "up" => (up_id.clone(), down_id.clone()),
            _ => (down_id.clone(), up_id.clone()),
        };
        let at_end = if direction == "up" {
            index == 0
        } else {
            index + 1 == total
        };
        let (arrow, name) = if direction == "up" {
            ("↑ ", tr("Omhoog", "Move up"))
        } else {
            ("↓ ", tr("Omlaag", "Move down"))
        };
        let click = on(&id, [me.clone(), other]);
        let (id, label) = (id.clone(), format!("{name}: {label_n}"));
        view! {
            <ActionForm action=shared.move_action attr:class="inline-form">
                <input type="hidden" name="question" value=id/>
                <input type="hidden" name="guide_version" value=guide_version.to_string()/>
                <input type="hidden" name="direction" value=direction/>
                <button type="submit" class="button" id=me aria-label=label
                    disabled=move || at_end || pending() on:click=click>
                    <span aria-hidden="true">{arrow}</span>
                    {name}
                </button>
            </ActionForm>
        }
    };
    let (up, down) = (move_form("up"), move_form("down"));
    let archive_form = {
        let click = on(&id, [restore_id, heading_id.clone()]);
        let name = tr("Archiveren", "Archive");
        let (id, label) = (id.clone(), format!("{name}: {label_n}"));
        view! {
            <ActionForm action=shared.archive attr:class="inline-form">
                <input type="hidden" name="question" value=id/>
                <input type="hidden" name="version" value=move || version.get().to_string()/>
                <input type="hidden" name="archived" value="true"/>
                <button type="submit" class="button button-quiet" aria-label=label
                    disabled=move || total <= 1 || pending() on:click=click>
                    {name}
                </button>
            </ActionForm>
        }
    };
    let key = id.clone();
    let card_error = move || {
        shared.error_for(
            &key,
            shared
                .move_action
                .value()
                .get()
                .and_then(Result::err)
                .or_else(|| shared.archive.value().get().and_then(Result::err)),
        )
    };
    view! {
        <li class="guide-card" id=crate::routes::question_anchor(&id)>
            <h3 class="progress" id=heading_id tabindex="-1">{progress(lang, index, total)}</h3>
            {edit_form}
            {changed_line(&q, lang).map(|c| view! { <p class="hint">{c}</p> })}
            <div class="guide-card-actions">{up}{down}{archive_form}</div>
            {move || card_error().map(|e| view! { <ErrorNote error=e/> })}
        </li>
    }
}

/// The form with a question's text, help text and required box.
fn edit_form(
    q: &GuideEditorQuestion,
    id: &str,
    label_n: &str,
    heading_id: &str,
    start: Draft,
    version: RwSignal<i64>,
    shared: Shared,
) -> impl IntoView {
    let lang = use_lang();
    let edit = ServerAction::<EditQuestion>::new();
    let current = StoredValue::new(start.clone());
    let saved = RwSignal::new(false);
    let id = id.to_string();
    {
        let id = id.clone();
        Effect::new(move |_| {
            if edit.version().get() == 0 {
                return;
            }
            match edit.value().get() {
                Some(Ok(v)) => {
                    version.set(v);
                    shared.forget(&id);
                    saved.set(true);
                }
                Some(Err(AppError::Conflict {
                    current_version: Some(v),
                    ..
                })) => {
                    // The user has now seen the stored text: saving again
                    // keeps their version, on purpose.
                    version.set(v);
                    let mut d = current.get_value();
                    d.version = Some(v);
                    shared.remember(&id, d);
                    saved.set(false);
                }
                _ => saved.set(false),
            }
        });
    }
    // Every keystroke is kept as a draft, so redrawing the list (after
    // another question moved) does not lose it.
    let typed = {
        let id = id.clone();
        move |change: &dyn Fn(&mut Draft)| {
            current.update_value(|d| change(d));
            let mut d = current.get_value();
            d.version = Some(version.get_untracked());
            shared.remember(&id, d);
            saved.set(false);
        }
    };
    let (t1, t2, t3) = (typed.clone(), typed.clone(), typed);
    let key = id.clone();
    // This form's own error: after using it, or coming back from a refused
    // post without JavaScript.
    let error = move || {
        let e = edit.value().get().and_then(Result::err)?;
        (edit.version().get() > 0 || shared.last.get().as_deref() == Some(key.as_str()))
            .then_some(e)
    };
    let note = answered_note(q.answered).map(|m| m.get(lang).to_string());
    let note_id = format!("beantwoord-{id}");
    let described = note.is_some().then(|| note_id.clone());
    let click = {
        let (key, focus) = (id.clone(), vec![heading_id.to_string()]);
        move |_: leptos::ev::MouseEvent| shared.using(&key, focus.clone())
    };
    let (text_id, help_id) = (format!("tekst-{id}"), format!("hulp-{id}"));
    let (n_text, n_help, n_required) = (
        format!(
            " {}",
            label_n.trim_start_matches(|c: char| !c.is_ascii_digit())
        ),
        format!(" {} {label_n}", lang.pick("bij", "for")),
        format!(" ({label_n})"),
    );
    let save = tr("Opslaan", "Save");
    let save_label = format!("{save}: {label_n}");
    view! {
        <ActionForm action=edit attr:class="form guide-form">
            <input type="hidden" name="question" value=id/>
            <input type="hidden" name="version" value=move || version.get().to_string()/>
            <div class="field">
                <label class="label" for=text_id.clone()>
                    {tr("Vraag", "Question")}
                    <span class="visually-hidden">{n_text}</span>
                </label>
                <TextArea value=start.text.clone() attr:id=text_id attr:class="guide-question" attr:name="text" attr:rows="2"
                    attr:maxlength=(2 * QUESTION_MAX).to_string() attr:aria-describedby=described
                    on:input=move |ev| { let v = event_target_value(&ev); t1(&move |d: &mut Draft| d.text = v.clone()) }/>
            </div>
            {note.map(|text| view! {
                <p class="note guide-answered" id=note_id>
                    {text}
                    " "
                    {tr(
                        "Verbeter gerust een tikfout, maar verander niet wat er gevraagd wordt.",
                        "Do fix typos, but do not change what is asked.",
                    )}
                </p>
            })}
            <div class="field">
                <label class="label" for=help_id.clone()>
                    {tr("Toelichting voor de interviewer (optioneel)", "Help for the interviewer (optional)")}
                    <span class="visually-hidden">{n_help}</span>
                </label>
                <TextArea value=start.help.clone() attr:id=help_id attr:name="help_text" attr:rows="3" attr:maxlength=(2 * HELP_MAX).to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); t2(&move |d: &mut Draft| d.help = v.clone()) }/>
            </div>
            <label class="check">
                <input type="checkbox" name="required" value="true" checked=start.required
                    on:change=move |ev| { let v = event_target_checked(&ev); t3(&move |d: &mut Draft| d.required = v) }/>
                <span>
                    {tr("Verplicht: beantwoorden vóór het indienen", "Required: to be answered before handing in")}
                    <span class="visually-hidden">{n_required}</span>
                </span>
            </label>
            <div class="form-actions">
                <p class="save-state" aria-live="polite">
                    {move || if edit.pending().get() {
                        tr("Bezig met opslaan…", "Saving…").to_string()
                    } else if saved.get() {
                        tr("Opgeslagen", "Saved").to_string()
                    } else {
                        String::new()
                    }}
                </p>
                {move || error().map(|e| view! { <ErrorNote error=e/> })}
                <button type="submit" class="button button-primary" aria-label=save_label on:click=click>
                    {save}
                </button>
            </div>
        </ActionForm>
    }
}

/// An active question of a closed edition: read only.
#[component]
fn ReadOnlyCard(q: GuideEditorQuestion, index: usize, total: usize) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="guide-card" id=crate::routes::question_anchor(&q.id.to_string())>
            <p class="progress">{progress(lang, index, total)}</p>
            <p class="question">
                {q.text.clone()}
                {q.required.then(|| view! { <span class="required">{tr(" (verplicht)", " (required)")}</span> })}
            </p>
            {(!q.help_text.is_empty()).then(|| view! { <p class="hint">{q.help_text.clone()}</p> })}
            {answered_note(q.answered).map(|m| view! { <p class="hint">{m.get(lang).to_string()}</p> })}
        </li>
    }
}

/// An archived question, with a button to put it back.
#[component]
fn ArchivedRow(q: GuideEditorQuestion, editable: bool, shared: Shared) -> impl IntoView {
    let lang = use_lang();
    let id = q.id.to_string();
    let restore_id = format!("terug-{id}");
    let heading_id = format!("kop-{id}");
    let key = id.clone();
    let error = move || {
        shared.error_for(
            &key,
            shared
                .archive
                .value()
                .get()
                .and_then(Result::err)
                .or_else(|| shared.move_action.value().get().and_then(Result::err)),
        )
    };
    let archived_on = q.archived_at.map(|t| {
        format!(
            "{} {}",
            lang.pick("Gearchiveerd", "Archived"),
            t.short(lang)
        )
    });
    let note = answered_note(q.answered)
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| {
            lang.pick(
                "Nog door geen enkel verhaal beantwoord.",
                "Not answered by any story.",
            )
            .to_string()
        });
    let short: String = q.text.chars().take(60).collect();
    let (key, focus) = (id.clone(), vec![heading_id, restore_id.clone()]);
    let anchor = crate::routes::question_anchor(&id);
    view! {
        <li class="guide-archived" id=anchor>
            <p class="question">{q.text.clone()}</p>
            <p class="hint">{archived_on.map(|a| format!("{a} · {note}")).unwrap_or(note)}</p>
            {editable.then(|| view! {
                <ActionForm action=shared.archive attr:class="inline-form">
                    <input type="hidden" name="question" value=id/>
                    <input type="hidden" name="version" value=q.version.to_string()/>
                    <button type="submit" class="button" id=restore_id.clone()
                        disabled=move || shared.archive.pending().get()
                        aria-label=format!("{}: {short}", tr("Terugzetten", "Restore"))
                        on:click=move |_: leptos::ev::MouseEvent| shared.using(&key, focus.clone())>
                        {tr("Terugzetten", "Restore")}
                    </button>
                </ActionForm>
            })}
            {move || error().map(|e| view! { <ErrorNote error=e/> })}
        </li>
    }
}

/// The form to add a question at the end.
#[component]
fn AddForm(edition: EditionId, new_id: String, shared: Shared) -> impl IntoView {
    let start = shared.draft(NEW_QUESTION_KEY).unwrap_or_default();
    let current = StoredValue::new(start.clone());
    let typed = move |change: &dyn Fn(&mut Draft)| {
        current.update_value(|d| change(d));
        shared.remember(NEW_QUESTION_KEY, current.get_value());
    };
    let error = move || {
        shared.error_for(
            NEW_QUESTION_KEY,
            shared.add.value().get().and_then(Result::err),
        )
    };
    view! {
        <section class="panel" aria-labelledby="nieuw-kop" id=crate::routes::question_anchor(NEW_QUESTION_KEY)>
            <h2 id="nieuw-kop">{tr("Vraag toevoegen", "Add a question")}</h2>
            <ActionForm action=shared.add attr:class="form guide-form">
                <input type="hidden" name="edition" value=edition.to_string()/>
                <input type="hidden" name="question" value=new_id/>
                <div class="field">
                    <label class="label" for="nieuwe-vraag">{tr("Nieuwe vraag", "New question")}</label>
                    <TextArea value=start.text.clone() attr:id="nieuwe-vraag" attr:class="guide-question" attr:name="text" attr:rows="2"
                        attr:maxlength=(2 * QUESTION_MAX).to_string()
                        on:input=move |ev| { let v = event_target_value(&ev); typed(&move |d: &mut Draft| d.text = v.clone()) }/>
                </div>
                <div class="field">
                    <label class="label" for="nieuwe-hulp">{tr("Toelichting voor de interviewer (optioneel)", "Help for the interviewer (optional)")}</label>
                    <TextArea value=start.help.clone() attr:id="nieuwe-hulp" attr:name="help_text" attr:rows="3" attr:maxlength=(2 * HELP_MAX).to_string()
                        on:input=move |ev| { let v = event_target_value(&ev); typed(&move |d: &mut Draft| d.help = v.clone()) }/>
                </div>
                <label class="check">
                    <input type="checkbox" name="required" value="true" checked=start.required
                        on:change=move |ev| { let v = event_target_checked(&ev); typed(&move |d: &mut Draft| d.required = v) }/>
                    <span>{tr("Verplicht: beantwoorden vóór het indienen", "Required: to be answered before handing in")}</span>
                </label>
                {move || error().map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary"
                        on:click=move |_: leptos::ev::MouseEvent| shared.using(NEW_QUESTION_KEY, vec!["nieuwe-vraag".to_string()])>
                        {tr("Vraag toevoegen", "Add question")}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
