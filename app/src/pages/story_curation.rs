//! The researcher's panels on a story page: quotes (select text in an
//! answer and save it), the pull quote, and the editorial version. Shown
//! only to those who may curate the story; others see nothing of it.

use crate::api::curation::{story_curation_panel, SaveEditorial, SaveQuote, SetPullQuote};
use crate::components::{ErrorNote, TextArea};
use crate::domain::ids::{QuestionId, StoryId};
use crate::i18n::{tr, use_lang};
use crate::model::StoryCurationView;
use leptos::prelude::*;

/// The data of the curation panels: `None` for whoever may not curate the
/// story. Made by the story page beside its own resource, never inside its
/// view: a resource created while a `Suspend` renders is created again
/// whenever the server re-walks that view, so the server and the browser
/// would number their resources differently and hydration would break. Nor
/// does it wait for the story's resource: the server asks itself whether
/// this reader may curate ([`story_curation_panel`]), so both load at once.
pub type CurationData = Resource<Result<Option<StoryCurationView>, crate::error::AppError>>;

/// Creates the curation panels' resource for the story page: loads again
/// when `saved` changes.
pub fn curation_resource(
    story: impl Fn() -> Option<StoryId> + Send + Sync + 'static,
    saved: RwSignal<u32>,
) -> CurationData {
    Resource::new(
        move || (story(), saved.get()),
        |(story, _)| async move {
            match story {
                Some(id) => story_curation_panel(id).await,
                None => Ok(None),
            }
        },
    )
}

/// The curation panels of one story (empty for whoever may not curate it).
/// `saved` is bumped after a save worked, so the panels load again; a
/// refused text stays in its field.
#[component]
pub fn StoryCuration(data: CurationData, saved: RwSignal<u32>) -> impl IntoView {
    let quote = ServerAction::<SaveQuote>::new();
    let pull = ServerAction::<SetPullQuote>::new();
    let editorial = ServerAction::<SaveEditorial>::new();
    let status = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let lang = use_lang();
        if matches!(quote.value().get(), Some(Ok(_))) {
            status.set(lang.pick("Citaat bewaard.", "Quote saved.").to_string());
            saved.update(|s| *s += 1);
        }
    });
    Effect::new(move |_| {
        if matches!(pull.value().get(), Some(Ok(_))) {
            status.set(
                use_lang()
                    .pick("Streamer gekozen.", "Pull quote chosen.")
                    .to_string(),
            );
            saved.update(|s| *s += 1);
        }
    });
    Effect::new(move |_| {
        if matches!(editorial.value().get(), Some(Ok(_))) {
            status.set(
                use_lang()
                    .pick("Redactieversie opgeslagen.", "Editorial version saved.")
                    .to_string(),
            );
            saved.update(|s| *s += 1);
        }
    });
    let errors = move || {
        [
            quote.value().get().and_then(Result::err),
            pull.value().get().and_then(Result::err),
            editorial.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().flatten().map(|v| view! {
                    <p class="visually-hidden" role="status">{move || status.get()}</p>
                    {move || errors().map(|e| view! { <ErrorNote error=e/> })}
                    {move || problem.get().map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}
                    <QuotesPanel v=v.clone() quote=quote pull=pull problem=problem/>
                    <EditorialPanel v=v editorial=editorial/>
                })
            })}
        </Transition>
    }
}

#[component]
fn QuotesPanel(
    v: StoryCurationView,
    quote: ServerAction<SaveQuote>,
    pull: ServerAction<SetPullQuote>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let story = v.story;
    let revision = v.revision;
    let save_selection = move |_: leptos::ev::MouseEvent| match selected_quote() {
        Some((question, start, end, text)) => {
            problem.set(None);
            quote.dispatch(SaveQuote {
                story,
                question,
                revision,
                start: Some(start),
                end: Some(end),
                text,
            });
        }
        None => problem.set(Some(
            lang.pick(
                "Selecteer eerst een stuk tekst binnen één antwoord hieronder.",
                "First select some text within one answer below.",
            )
            .to_string(),
        )),
    };
    let source_label = if v.editorial {
        tr(
            "Tekst uit de redactieversie",
            "Text from the editorial version",
        )
    } else {
        tr("Tekst zoals goedgekeurd", "Text as approved")
    };
    view! {
        <section class="panel" aria-labelledby="citaten-kop">
            <h2 id="citaten-kop">{tr("Citaten", "Quotes")}</h2>
            <p class="hint">{format!("{} ({} {}).", source_label, lang.pick("versie", "version"), revision)}</p>
            <p class="hint">{tr(
                "Selecteer een stuk tekst in een antwoord en kies ‘Selectie als citaat bewaren’.",
                "Select some text in an answer and choose ‘Save selection as quote’.",
            )}</p>
            <dl class="quote-sources">
                {v.answers.iter().map(|a| view! {
                    <dt>{a.question_text.clone()}</dt>
                    <dd><p class="quote-source" data-question=a.question.to_string()>{a.answer.clone()}</p></dd>
                }).collect_view()}
            </dl>
            <button type="button" class="button button-primary" on:mousedown=|ev| ev.prevent_default() on:click=save_selection>
                {tr("Selectie als citaat bewaren", "Save selection as quote")}
            </button>
            <details class="quote-typed">
                <summary>{tr("Citaat typen of plakken (zonder selecteren)", "Type or paste a quote (without selecting)")}</summary>
                <ActionForm action=quote attr:class="texts-form">
                    <input type="hidden" name="story" value=story.to_string()/>
                    <input type="hidden" name="revision" value=revision.to_string()/>
                    <label for="citaat-vraag">{tr("Uit het antwoord op", "From the answer to")}</label>
                    <select id="citaat-vraag" name="question">
                        {v.answers.iter().map(|a| view! { <option value=a.question.to_string()>{a.question_text.clone()}</option> }).collect_view()}
                    </select>
                    <label for="citaat-tekst">{tr("Citaat (precies zoals in het antwoord)", "Quote (exactly as in the answer)")}</label>
                    <TextArea attr:id="citaat-tekst" attr:name="text" attr:rows="2"/>
                    <button type="submit" class="button">{tr("Citaat bewaren", "Save quote")}</button>
                </ActionForm>
            </details>
            <h3>{tr("Bewaarde citaten", "Saved quotes")}</h3>
            {if v.quotes.is_empty() {
                view! { <p class="empty">{tr("Nog geen citaten.", "No quotes yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="quote-list" role="list">
                        {v.quotes.into_iter().map(|q| {
                            let quote_id = q.id.to_string();
                            let choose = format!("{}: {}", lang.pick("Kiezen als streamer", "Choose as pull quote"), q.text);
                            view! {
                                <li class="quote-item" class:pull=q.pull>
                                    <blockquote>{q.text.clone()}</blockquote>
                                    <p class="hint">{format!("{} · {} {} · {} {}–{}", q.question_text, lang.pick("versie", "version"), q.revision, lang.pick("tekens", "characters"), q.start, q.end)}</p>
                                    {if q.pull {
                                        view! { <p><strong class="badge">{tr("Streamer in het boekje", "Pull quote in the booklet")}</strong></p> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=pull attr:class="inline-form">
                                                <input type="hidden" name="story" value=story.to_string()/>
                                                <input type="hidden" name="quote" value=quote_id/>
                                                <button type="submit" class="button" aria-label=choose>{tr("Kiezen als streamer", "Choose as pull quote")}</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn EditorialPanel(v: StoryCurationView, editorial: ServerAction<SaveEditorial>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="redactie-kop">
            <h2 id="redactie-kop">{tr("Redactieversie voor het boekje", "Editorial version for the booklet")}</h2>
            <p class="hint">{if v.editorial {
                tr(
                    "Het boekje gebruikt deze redactieversie. De tekst van de studenten blijft ongewijzigd in de geschiedenis.",
                    "The booklet uses this editorial version. The students' text stays unchanged in the history.",
                )
            } else {
                tr(
                    "Nog geen redactieversie: het boekje gebruikt de goedgekeurde tekst. Opslaan maakt een nieuwe versie; de tekst van de studenten blijft bewaard.",
                    "No editorial version yet: the booklet uses the approved text. Saving makes a new version; the students' text is kept.",
                )
            }}</p>
            <ActionForm action=editorial attr:class="texts-form">
                <input type="hidden" name="story" value=v.story.to_string()/>
                <input type="hidden" name="version" value=v.version.to_string()/>
                <label for="redactie-titel">{tr("Titel", "Title")}</label>
                <input id="redactie-titel" name="title" type="text" value=v.title.clone()/>
                <label for="redactie-lead">{tr("Inleiding (lead)", "Lead")}</label>
                <TextArea value=v.lead.clone() attr:id="redactie-lead" attr:name="lead" attr:rows="3"/>
                {v.answers.iter().map(|a| {
                    let id = format!("redactie-{}", a.question);
                    view! {
                        <label for=id.clone()>{a.question_text.clone()}</label>
                        <TextArea value=a.answer.clone() attr:id=id attr:name=format!("answers[q{}]", a.question) attr:rows="6"/>
                    }
                }).collect_view()}
                <button type="submit" class="button button-primary">{tr("Redactieversie opslaan", "Save editorial version")}</button>
            </ActionForm>
        </section>
    }
}

/// The current text selection, if it lies within one answer: the question,
/// the start and end in UTF-16 code units (as the browser counts) and the
/// selected text.
fn selected_quote() -> Option<(QuestionId, i64, i64, String)> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::web_sys::{Element, Node};
        use wasm_bindgen::JsCast;
        let selection = window().get_selection().ok()??;
        if selection.range_count() == 0 {
            return None;
        }
        let range = selection.get_range_at(0).ok()?;
        let common = range.common_ancestor_container().ok()?;
        let mut el: Option<Element> = if common.node_type() == Node::ELEMENT_NODE {
            common.dyn_into::<Element>().ok()
        } else {
            common.parent_element()
        };
        let source = loop {
            let e = el?;
            if e.has_attribute("data-question") {
                break e;
            }
            el = e.parent_element();
        };
        let question = QuestionId::parse(&source.get_attribute("data-question")?)?;
        let before = document().create_range().ok()?;
        before.select_node_contents(&source).ok()?;
        before
            .set_end(&range.start_container().ok()?, range.start_offset().ok()?)
            .ok()?;
        let start = i64::from(before.to_string().length());
        let text: String = range.to_string().into();
        let end = start + text.encode_utf16().count() as i64;
        (!text.trim().is_empty()).then_some((question, start, end, text))
    }
    #[cfg(not(feature = "hydrate"))]
    None
}
