//! A story's history: every revision, any revision as it was, and what
//! changed between two of them, word by word. Also the "what changed since
//! the previous submission" panel the lecturer sees on a resubmitted story.
//! Everything works from the address (`?versie=`, `?van=&tot=`), so it needs
//! no JavaScript.

use crate::api::history::{compare_revisions, story_revision};
use crate::api::stories::story_revisions;
use crate::components::{error_view, Loading};
use crate::domain::diff::{Change, Segment};
use crate::domain::ids::StoryId;
use crate::i18n::{tr, use_lang};
use crate::model::{RevisionInfo, StoryDiff};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Text with removed words struck through and added words marked. Screen
/// readers hear "verwijderd:" / "toegevoegd:" before each change.
#[component]
pub fn DiffText(segments: Vec<Segment>) -> impl IntoView {
    view! {
        <p class="diff-text">
            {segments.into_iter().map(|s| match s.change {
                Change::Same => view! { <span>{s.text}</span> }.into_any(),
                Change::Removed => view! {
                    <del><span class="visually-hidden">{tr("verwijderd: ", "removed: ")}</span>{s.text}</del>
                }.into_any(),
                Change::Added => view! {
                    <ins><span class="visually-hidden">{tr("toegevoegd: ", "added: ")}</span>{s.text}</ins>
                }.into_any(),
            }).collect_view()}
        </p>
    }
}

fn revision_label(r: &RevisionInfo, lang: crate::domain::Lang) -> String {
    let kind = match r.kind.as_str() {
        "submitted" => lang.pick("ingediend", "submitted"),
        "editorial" => lang.pick("redactie", "editorial"),
        _ => lang.pick("concept", "draft"),
    };
    format!(
        "{} {} · {} · {} · {}",
        lang.pick("Versie", "Version"),
        r.number,
        kind,
        r.author,
        r.created_at.short(lang)
    )
}

/// The parts that differ between two revisions (or all parts).
#[component]
pub fn StoryDiffView(diff: StoryDiff, only_changed: bool) -> impl IntoView {
    let lang = use_lang();
    let parts: Vec<_> = diff
        .parts
        .into_iter()
        .filter(|p| p.changed || !only_changed)
        .collect();
    let heading = format!(
        "{} → {}",
        revision_label(&diff.from, lang),
        revision_label(&diff.to, lang)
    );
    view! {
        <p class="hint diff-range">{heading}</p>
        {if parts.is_empty() {
            view! { <p class="note">{tr("Er is niets veranderd.", "Nothing changed.")}</p> }.into_any()
        } else {
            view! {
                <dl class="diff-parts">
                    {parts.into_iter().map(|p| view! {
                        <dt>
                            {p.label.get(lang).to_string()}
                            {(!p.changed).then(|| view! { <span class="hint">{tr(" (ongewijzigd)", " (unchanged)")}</span> })}
                        </dt>
                        <dd><DiffText segments=p.segments/></dd>
                    }).collect_view()}
                </dl>
            }.into_any()
        }}
    }
}

/// `/verhalen/:id/geschiedenis`: the revisions, one revision, or a comparison.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get(crate::routes::param::STORY)
            .and_then(|s| StoryId::parse(&s))
    };
    let number =
        |key: &'static str| move || query.read().get(key).and_then(|v| v.parse::<i64>().ok());
    let (versie, van, tot) = (number("versie"), number("van"), number("tot"));
    let list = Resource::new(id, |id| async move {
        match id {
            Some(id) => story_revisions(id).await,
            None => Err(crate::error::AppError::not_found()),
        }
    });
    let shown = Resource::new(
        move || (id(), versie(), van(), tot()),
        |(id, versie, van, tot)| async move {
            let Some(id) = id else {
                return Ok(None);
            };
            match (versie, van, tot) {
                (Some(n), _, _) => story_revision(id, n).await.map(|r| Some(Err(r))),
                (None, Some(_), _) | (None, _, Some(_)) => {
                    compare_revisions(id, van, tot).await.map(|d| Some(Ok(d)))
                }
                _ => Ok(None),
            }
        },
    );
    view! {
        <Title text=tr("Geschiedenis", "History")/>
        <h1>{tr("Geschiedenis van het verhaal", "History of the story")}</h1>
        {move || id().map(|id| view! {
            <p><a href=crate::routes::story(id)>{tr("← Terug naar het verhaal", "← Back to the story")}</a></p>
        })}
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let revisions = match list.await {
                    Ok(r) => r,
                    Err(e) => return error_view(e),
                };
                let current = shown.await;
                let last = revisions.last().map(|r| r.number).unwrap_or(0);
                let first = revisions.first().map(|r| r.number).unwrap_or(0);
                let opts = |selected: i64| {
                    revisions
                        .iter()
                        .map(|r| view! { <option value=r.number.to_string() selected=r.number == selected>{revision_label(r, lang)}</option> })
                        .collect_view()
                };
                view! {
                    <section class="panel" aria-labelledby="versies-kop">
                        <h2 id="versies-kop">{tr("Versies", "Versions")}</h2>
                        <ol class="revision-list">
                            {revisions.iter().rev().map(|r| view! {
                                <li>
                                    <a href=format!("?versie={}", r.number)>{revision_label(r, lang)}</a>
                                </li>
                            }).collect_view()}
                        </ol>
                        <form method="get" class="form compare-form">
                            <div class="field-row">
                                <div class="field">
                                    <label class="label" for="vergelijk-van">{tr("Vergelijk versie", "Compare version")}</label>
                                    <select id="vergelijk-van" name="van">{opts(van().unwrap_or(first))}</select>
                                </div>
                                <div class="field">
                                    <label class="label" for="vergelijk-tot">{tr("met versie", "with version")}</label>
                                    <select id="vergelijk-tot" name="tot">{opts(tot().unwrap_or(last))}</select>
                                </div>
                            </div>
                            <button type="submit" class="button button-large">{tr("Vergelijken", "Compare")}</button>
                        </form>
                    </section>
                    {match current {
                        Ok(Some(Ok(diff))) => view! {
                            <section class="panel" aria-labelledby="verschil-kop">
                                <h2 id="verschil-kop">{tr("Wat is er veranderd", "What changed")}</h2>
                                <StoryDiffView diff=diff only_changed=false/>
                            </section>
                        }.into_any(),
                        Ok(Some(Err(rev))) => view! {
                            <section class="panel" aria-labelledby="versie-kop">
                                <h2 id="versie-kop">{revision_label(&rev.info, lang)}</h2>
                                <p class="story-meta">{format!("{}: {}", lang.pick("Titel", "Title"), rev.title)}</p>
                                <p class="story-meta">{format!("{}: {}", lang.pick("Bewoner", "Resident"), rev.pseudonym)}</p>
                                <dl class="answers">
                                    {rev.questions.iter().filter_map(|q| rev.answers.get(&q.id).map(|a| (q.text.clone(), a.clone()))).map(|(q, a)| view! {
                                        <dt>{q}</dt>
                                        <dd>{a.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}</dd>
                                    }).collect_view()}
                                </dl>
                            </section>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => error_view(e),
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
