//! The researcher's curation page: choose approved stories for the booklet
//! of a municipality, order them, build the PDF, publish it.

use super::booklets::BookletCard;
use crate::api::booklets::{curation, BuildBooklet, MoveSelected, PublishBuild, SetSelected};
use crate::components::{error_view, ErrorNote, Loading, StatusBadge};
use crate::domain::ids::MunicipalityId;
use crate::i18n::{tr, use_lang};
use crate::model::{BuildStatus, BuildView, CurationStory, CurationView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The curation page (`/samenstellen?gemeente=<id>`).
#[component]
pub fn Curate() -> impl IntoView {
    let query = use_query_map();
    let municipality = move || {
        query
            .read()
            .get("gemeente")
            .and_then(|m| MunicipalityId::parse(&m))
    };
    let select = ServerAction::<SetSelected>::new();
    let move_story = ServerAction::<MoveSelected>::new();
    let build = ServerAction::<BuildBooklet>::new();
    let publish = ServerAction::<PublishBuild>::new();
    let tick = RwSignal::new(0u32);
    let view_data = Resource::new(
        move || {
            (
                municipality(),
                select.version().get(),
                move_story.version().get(),
                build.version().get(),
                publish.version().get(),
                tick.get(),
            )
        },
        |(m, ..)| curation(m),
    );
    // While a build is queued or running, look again every second.
    Effect::new(move |_| {
        let busy = view_data.get().and_then(Result::ok).is_some_and(|v| {
            v.builds
                .iter()
                .any(|b| matches!(b.status, BuildStatus::Queued | BuildStatus::Running))
        });
        if busy {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_millis(1000),
            );
        }
    });
    let errors = move || {
        [
            select.value().get().and_then(Result::err),
            move_story.value().get().and_then(Result::err),
            build.value().get().and_then(Result::err),
            publish.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <Title text=tr("Boekje samenstellen", "Compose booklet")/>
        <h1>{tr("Boekje samenstellen", "Compose booklet")}</h1>
        {move || errors().map(|e| view! { <ErrorNote error=e/> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(v) => view! { <CurationBody v=v select=select move_story=move_story build_action=build publish=publish/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn CurationBody(
    v: CurationView,
    select: ServerAction<SetSelected>,
    move_story: ServerAction<MoveSelected>,
    build_action: ServerAction<BuildBooklet>,
    publish: ServerAction<PublishBuild>,
) -> impl IntoView {
    let build = build_action;
    let lang = use_lang();
    let busy = v
        .builds
        .iter()
        .any(|b| matches!(b.status, BuildStatus::Queued | BuildStatus::Running));
    let (selected, available): (Vec<CurationStory>, Vec<CurationStory>) =
        v.stories.into_iter().partition(|s| s.position.is_some());
    let selected_count = selected.len();
    view! {
        {busy.then(|| view! { <noscript><meta http-equiv="refresh" content="2"/></noscript> })}
        <nav class="tabs" aria-label=tr("Gemeente", "Municipality")>
            <ul>
                {v.municipalities.iter().map(|m| {
                    let current = m.id == v.municipality.id;
                    view! {
                        <li>
                            <a href=format!("{}?gemeente={}", crate::routes::CURATE, m.id) aria-current=current.then_some("page")>
                                {m.name.clone()}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <p class="lead">{format!("{} {} {}", lang.pick("Boekje", "Booklet"), v.municipality.name, v.year)}</p>

        <section class="panel" aria-labelledby="sel-kop">
            <h2 id="sel-kop">{format!("{} ({selected_count})", lang.pick("In het boekje", "In the booklet"))}</h2>
            {if selected.is_empty() {
                view! { <p class="empty">{tr("Nog geen verhalen gekozen.", "No stories selected yet.")}</p> }.into_any()
            } else {
                view! {
                    <ol class="curation-list" role="list">
                        {selected.into_iter().map(|s| view! { <CurationRow s=s select=select move_story=move_story/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <ActionForm action=build attr:class="form-actions">
                <input type="hidden" name="municipality" value=v.municipality.id.to_string()/>
                <button type="submit" class="button button-primary button-large" disabled=selected_count == 0 || busy>
                    {tr("Boekje bouwen (PDF)", "Build booklet (PDF)")}
                </button>
            </ActionForm>
        </section>

        <section class="panel" aria-labelledby="builds-kop">
            <h2 id="builds-kop">{tr("Versies", "Versions")}</h2>
            {if v.builds.is_empty() {
                view! { <p class="empty">{tr("Nog niet gebouwd.", "Not built yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="build-list" role="list" aria-live="polite">
                        {v.builds.into_iter().map(|b| view! { <BuildRow b=b publish=publish/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section class="panel" aria-labelledby="beschikbaar-kop">
            <h2 id="beschikbaar-kop">{tr("Goedgekeurde verhalen", "Approved stories")}</h2>
            {if available.is_empty() {
                view! { <p class="empty">{tr("Geen (andere) goedgekeurde verhalen.", "No (other) approved stories.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="curation-list" role="list">
                        {available.into_iter().map(|s| view! { <CurationRow s=s select=select move_story=move_story/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CurationRow(
    s: CurationStory,
    select: ServerAction<SetSelected>,
    move_story: ServerAction<MoveSelected>,
) -> impl IntoView {
    let lang = use_lang();
    let story = s.story;
    let in_booklet = s.position.is_some();
    let id = story.id.to_string();
    let title = if story.title.trim().is_empty() {
        tr("(nog zonder titel)", "(untitled)").to_string()
    } else {
        story.title.clone()
    };
    let up_label = format!("{}: {title}", lang.pick("Omhoog", "Move up"));
    let down_label = format!("{}: {title}", lang.pick("Omlaag", "Move down"));
    let toggle_label = format!(
        "{}: {title}",
        if in_booklet {
            lang.pick("Uit het boekje halen", "Remove from booklet")
        } else {
            lang.pick("In het boekje", "Add to booklet")
        }
    );
    view! {
        <li class="curation-row">
            <div class="curation-info">
                <a href=crate::routes::story(story.id) class="curation-title">{title.clone()}</a>
                <StatusBadge status=story.status/>
                <span class="hint">{format!("{} · {}", story.neighbourhood, story.resident)}</span>
                {s.blocked.clone().map(|m| view! { <span class="field-problem">{m.get(lang).to_string()}</span> })}
            </div>
            <div class="curation-actions">
                {in_booklet.then(|| {
                    let (up_id, down_id) = (id.clone(), id.clone());
                    view! {
                        <ActionForm action=move_story attr:class="inline-form">
                            <input type="hidden" name="story" value=up_id/>
                            <input type="hidden" name="up" value="true"/>
                            <button type="submit" class="button button-icon" aria-label=up_label>"↑"</button>
                        </ActionForm>
                        <ActionForm action=move_story attr:class="inline-form">
                            <input type="hidden" name="story" value=down_id/>
                            <button type="submit" class="button button-icon" aria-label=down_label>"↓"</button>
                        </ActionForm>
                    }
                })}
                {(s.blocked.is_none() || in_booklet).then(|| view! {
                    <ActionForm action=select attr:class="inline-form">
                        <input type="hidden" name="story" value=id.clone()/>
                        {(!in_booklet).then(|| view! { <input type="hidden" name="selected" value="true"/> })}
                        <button type="submit" class="button" aria-label=toggle_label>
                            {if in_booklet { tr("Uit het boekje halen", "Remove from booklet") } else { tr("In het boekje", "Add to booklet") }}
                        </button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

#[component]
fn BuildRow(b: BuildView, publish: ServerAction<PublishBuild>) -> impl IntoView {
    let lang = use_lang();
    let progress = (b.status == BuildStatus::Running).then(|| {
        let label = phase_label(&b.phase, lang);
        match b.phase_progress() {
            Some((done, total)) => view! {
                <progress class="build-progress" max=total value=done aria-label=label></progress>
            }
            .into_any(),
            None => {
                view! { <progress class="build-progress" aria-label=label></progress> }.into_any()
            }
        }
    });
    let status = match b.status {
        BuildStatus::Queued => lang.pick("In de wachtrij…", "Queued…").to_string(),
        BuildStatus::Running => format!(
            "{} {}",
            lang.pick("Bezig:", "Running:"),
            phase_label(&b.phase, lang)
        ),
        BuildStatus::Done => lang.pick("Klaar", "Ready").to_string(),
        BuildStatus::Failed => lang.pick("Mislukt", "Failed").to_string(),
    };
    let published = b.published_at.is_some();
    let can_publish = b.status == BuildStatus::Done && !published;
    let id = b.id.to_string();
    view! {
        <li class="build-row" data-status=b.status.as_str()>
            <p>
                <strong>{b.created_at.short(lang)}</strong>
                " · "
                <span class="build-status">{status}</span>
                {published.then(|| view! { " · " <span class="badge badge-published">{tr("Gepubliceerd", "Published")}</span> })}
                {b.superseded.then(|| view! { " · " <span class="badge">{tr("Vervangen", "Superseded")}</span> })}
            </p>
            {progress}
            {b.error.clone().map(|e| view! { <pre class="build-error">{e}</pre> })}
            {(b.status == BuildStatus::Done).then(|| view! { <ul class="booklet-list" role="list"><BookletCard booklet=b.clone()/></ul> })}
            {(b.status == BuildStatus::Done && b.preview_pages > 0).then(|| view! { <PagePreviews b=b.clone()/> })}
            {can_publish.then(|| view! {
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="build" value=id/>
                    <button type="submit" class="button button-primary">{tr("Publiceren voor de gemeente", "Publish for the municipality")}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// How many pages the curation page previews without asking.
const FIRST_PAGES: i64 = 4;

/// Small previews of the first pages, and any page by its number.
#[component]
fn PagePreviews(b: BuildView) -> impl IntoView {
    let lang = use_lang();
    let pages = b.preview_pages;
    let page = RwSignal::new(1i64.min(pages));
    let input_id = format!("pagina-{}", b.id);
    let chosen = {
        let b = b.clone();
        move || b.preview_url(page.get())
    };
    view! {
        <section class="page-previews" aria-label=tr("Voorbeeld van de pagina's", "Page previews")>
            <ul class="preview-strip" role="list">
                {(1..=pages.min(FIRST_PAGES)).filter_map(|n| {
                    let url = b.preview_url(n)?;
                    let href = url.clone();
                    let alt = format!("{} {n}", lang.pick("Pagina", "Page"));
                    Some(view! {
                        <li><a href=href rel="external"><img src=url alt=alt width="105" height="149" loading="lazy"/></a></li>
                    })
                }).collect_view()}
            </ul>
            <div class="preview-pick">
                <label for=input_id.clone()>{format!("{} (1–{pages})", lang.pick("Bekijk pagina", "Show page"))}</label>
                <input id=input_id type="number" inputmode="numeric" min="1" max=pages.to_string()
                    prop:value=move || page.get().to_string()
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<i64>() {
                            page.set(n.clamp(1, pages));
                        }
                    }/>
                {move || chosen().map(|url| {
                    let alt = format!("{} {}", lang.pick("Pagina", "Page"), page.get());
                    view! { <img class="preview-page" src=url alt=alt width="210" height="298"/> }
                })}
            </div>
        </section>
    }
}

/// A build's phase in words, with its count: "foto's 3/10".
fn phase_label(phase: &str, lang: crate::domain::Lang) -> String {
    let (name, count) = crate::model::phase_parts(phase);
    let (nl, en) = match name {
        "starting" => ("voorbereiden", "preparing"),
        "photos" => ("foto's ophalen", "fetching photos"),
        "typesetting" => ("zetten", "typesetting"),
        "previews" => ("voorbeelden maken", "rendering previews"),
        "pdf" => ("PDF maken", "writing PDF"),
        "storing" => ("opslaan", "storing"),
        _ => return phase.to_string(),
    };
    match count {
        Some((done, total)) => format!("{} {done}/{total}", lang.pick(nl, en)),
        None => lang.pick(nl, en).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::phase_label;
    use crate::domain::Lang;

    #[test]
    fn phases_in_words() {
        assert_eq!(phase_label("photos 3/10", Lang::Nl), "foto's ophalen 3/10");
        assert_eq!(phase_label("typesetting", Lang::En), "typesetting");
        assert_eq!(phase_label("pdf 2/5", Lang::Nl), "PDF maken 2/5");
        assert_eq!(phase_label("iets anders", Lang::Nl), "iets anders");
    }
}
