//! Published booklets for municipality staff.

use crate::api::booklets::published_booklets;
use crate::components::{error_view, Loading};
use crate::i18n::{tr, use_lang};
use crate::model::{BuildOutputKind, BuildView};
use leptos::prelude::*;
use leptos_meta::Title;

/// The published booklets of the user's municipalities.
#[component]
pub fn Booklets() -> impl IntoView {
    let builds = Resource::new(|| (), |_| published_booklets());
    view! {
        <Title text=tr("Boekjes", "Booklets")/>
        <h1>{tr("Boekjes", "Booklets")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match builds.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">{tr("Er is nog geen boekje gepubliceerd voor uw gemeente.", "No booklet has been published for your municipality yet.")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="booklet-list" role="list">
                            {list.into_iter().map(|b| view! { <BookletCard booklet=b/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// One published booklet with its download link.
#[component]
pub fn BookletCard(booklet: BuildView) -> impl IntoView {
    let lang = use_lang();
    let title = format!("Wijkverhalen {} {}", booklet.municipality, booklet.year);
    let meta = format!(
        "{} {} · {} {} · {}",
        booklet.story_count,
        lang.pick("verhalen", "stories"),
        booklet.page_count.unwrap_or(0),
        lang.pick("pagina's", "pages"),
        booklet
            .published_at
            .map(|t| t.short(lang))
            .unwrap_or_default(),
    );
    let size = booklet
        .pdf_bytes
        .map(|b| format!("PDF, {:.1} MB", b as f64 / 1_048_576.0))
        .unwrap_or_default();
    view! {
        <li class="booklet-card">
            <h2>{title.clone()}</h2>
            {booklet.superseded.then(|| view! { <p class="badge">{tr("Vervangen door een nieuwere versie", "Replaced by a newer version")}</p> })}
            {(booklet.withdrawn_stories > 0).then(|| view! {
                <p class="badge badge-withdrawn">{format!(
                    "{} {}",
                    booklet.withdrawn_stories,
                    lang.pick(
                        "ingetrokken verhaal/verhalen: alleen voor onderzoekers, niet meer verspreiden",
                        "withdrawn story/stories: researchers only, do not distribute",
                    )
                )}</p>
            })}
            <p class="hint">{meta}</p>
            {booklet.download_url.clone().map(|url| view! {
                <a class="button button-primary button-large" href=url download=format!("{title}.pdf") rel="external">
                    {format!("{} ({size})", lang.pick("Download het boekje", "Download the booklet"))}
                </a>
            })}
            {(booklet.outputs.len() > 1).then(|| view! {
                <details class="output-list">
                    <summary>{tr("Andere bestanden: drukversie en hoofdstukken", "Other files: print edition and chapters")}</summary>
                    <ul role="list">
                        {booklet.outputs.iter().filter(|o| o.kind != BuildOutputKind::Screen).map(|o| {
                            let label = lang.pick(&o.label_nl, &o.label_en).to_string();
                            let meta = format!(
                                "PDF, {:.1} MB, {} {}",
                                o.bytes as f64 / 1_048_576.0,
                                o.pages,
                                lang.pick("pagina's", "pages")
                            );
                            view! {
                                <li><a href=o.url.clone() rel="external">{label}</a> <span class="hint">{meta}</span></li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </li>
    }
}
