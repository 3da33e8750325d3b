//! The portal (`/portaal`): published booklets per municipality and year,
//! with their downloads, and each story whose resident agreed to the web as
//! an accessible page — one `<article>` with the title as its heading, the
//! interview questions as subheadings and the answers as paragraphs. No
//! sign-in is needed for public editions.

use super::booklets::BookletCard;
use crate::api::portal::{portal_index, published_booklet, published_story, SetEditionPublic};
use crate::components::{error_view, Loading};
use crate::domain::ids::{MunicipalityId, StoryId};
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{PortalBooklet, PortalEntry, PortalStory, PortalStoryLink};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Plain text → paragraphs (blank lines separate them), escaped by Leptos.
fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}

/// The portal's front page: every booklet the visitor may read.
#[component]
pub fn PortalIndex() -> impl IntoView {
    let entries = Resource::new(|| (), |_| portal_index());
    view! {
        <Title text=tr("Wijkverhalen lezen", "Read the neighbourhood stories")/>
        <h1>{tr("Wijkverhalen lezen", "Read the neighbourhood stories")}</h1>
        <p class="lead">{tr(
            "Verhalen van bewoners over ontmoeting, burenhulp en thuis voelen in hun wijk, opgetekend door studenten Social Work.",
            "Residents' stories about meeting, helping each other and feeling at home in their neighbourhood, recorded by Social Work students.",
        )}</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">{tr("Er zijn nog geen boekjes gepubliceerd.", "No booklets have been published yet.")}</p>
                    }.into_any(),
                    Ok(list) => view! { <EntryList list=list/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EntryList(list: Vec<PortalEntry>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="cards portal-list" role="list">
            {list.into_iter().map(|e| {
                let meta = format!(
                    "{} · {} {}{}",
                    e.organisation_name,
                    lang.pick("gepubliceerd", "published"),
                    e.published_at.short(lang),
                    if e.public { String::new() } else {
                        format!(" · {}", lang.pick("alleen voor de gemeente", "for the municipality only"))
                    }
                );
                view! {
                    <li class="card">
                        <a href=e.href>
                            <span class="card-title">{format!("{} {}", e.municipality_name, e.year)}</span>
                            <span class="card-text">{e.title}</span>
                            <span class="hint">{meta}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn municipality_year() -> (
    impl Fn() -> Option<MunicipalityId> + Copy,
    impl Fn() -> Option<i64> + Copy,
) {
    let params = use_params_map();
    (
        move || {
            params
                .read()
                .get(crate::routes::param::MUNICIPALITY)
                .and_then(|m| MunicipalityId::parse(&m))
        },
        move || {
            params
                .read()
                .get(crate::routes::param::YEAR)
                .and_then(|y| y.parse().ok())
        },
    )
}

/// A municipality's booklet of one year: downloads, foreword, chapters with
/// links to the stories.
#[component]
pub fn PortalBookletPage() -> impl IntoView {
    let (municipality, year) = municipality_year();
    let set_public = ServerAction::<SetEditionPublic>::new();
    let data = Resource::new(
        move || (municipality(), year(), set_public.version().get()),
        |(m, y, _)| async move {
            match (m, y) {
                (Some(m), Some(y)) => published_booklet(m, y).await,
                _ => Err(AppError::not_found()),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <BookletBody b=b set_public=set_public/> }.into_any(),
                    Err(e) => view! {
                        <Title text=tr("Boekje", "Booklet")/>
                        <h1>{tr("Boekje", "Booklet")}</h1>
                        {error_view(e)}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BookletBody(b: PortalBooklet, set_public: ServerAction<SetEditionPublic>) -> impl IntoView {
    let lang = use_lang();
    let offline = b.offline_stories;
    let public_error = move || set_public.value().get().and_then(Result::err);
    view! {
        <Title text=b.title.clone()/>
        <p class="crumbs"><a href=crate::routes::PORTAL>{tr("Alle boekjes", "All booklets")}</a></p>
        <h1>{b.title.clone()}</h1>
        {b.subtitle.clone().map(|s| view! { <p class="lead">{s}</p> })}
        {b.may_change_public.then(|| view! {
            <section class="panel" aria-labelledby="openbaar-kop">
                <h2 id="openbaar-kop">{tr("Openbaarheid", "Visibility")}</h2>
                <p>{if b.public {
                    tr("Iedereen kan dit boekje en de online verhalen lezen, ook zonder in te loggen.", "Anyone can read this booklet and the online stories, without signing in.")
                } else {
                    tr("Alleen de werkplaats en de medewerkers van de gemeente kunnen dit boekje lezen.", "Only the werkplaats and the municipality's staff can read this booklet.")
                }}</p>
                <ActionForm action=set_public>
                    <input type="hidden" name="edition" value=b.edition.to_string()/>
                    {(!b.public).then(|| view! { <input type="hidden" name="public" value="true"/> })}
                    {move || public_error().map(|e| view! { <crate::components::ErrorNote error=e/> })}
                    <button type="submit" class="button">{if b.public {
                        tr("Niet meer openbaar maken", "Make it private again")
                    } else {
                        tr("Openbaar maken voor iedereen", "Make it public for everyone")
                    }}</button>
                </ActionForm>
            </section>
        })}
        <section class="panel" aria-labelledby="download-kop">
            <h2 id="download-kop">{tr("Het boekje downloaden", "Download the booklet")}</h2>
            {match b.current.clone() {
                Some(current) => view! { <ul class="booklet-list" role="list"><BookletCard booklet=current/></ul> }.into_any(),
                None => view! {
                    <p class="hint" role="status">{tr(
                        "Dit boekje wordt bijgewerkt. De pdf is tijdelijk niet te downloaden; de verhalen hieronder kunt u wel lezen.",
                        "This booklet is being updated. The PDF cannot be downloaded for now; you can still read the stories below.",
                    )}</p>
                }.into_any(),
            }}
            {(!b.earlier.is_empty()).then(|| view! {
                <details class="earlier-versions">
                    <summary>{format!("{} ({})", lang.pick("Eerdere versies", "Earlier versions"), b.earlier.len())}</summary>
                    <ul class="booklet-list" role="list">
                        {b.earlier.iter().cloned().map(|v| view! { <BookletCard booklet=v/> }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
        {b.foreword.clone().map(|f| view! {
            <section class="panel prose" aria-labelledby="voorwoord-kop">
                <h2 id="voorwoord-kop">{tr("Voorwoord", "Foreword")}</h2>
                {paragraphs(&f)}
            </section>
        })}
        {b.chapters.into_iter().enumerate().map(|(i, c)| {
            let id = format!("hoofdstuk-{}", i + 1);
            view! {
                <section class="panel portal-chapter" aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{c.neighbourhood.clone()}</h2>
                    {c.intro.clone().map(|t| view! { <div class="prose">{paragraphs(&t)}</div> })}
                    <ul class="story-links" role="list">
                        {c.stories.into_iter().map(|s| view! { <StoryLink s=s/> }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
        {(offline > 0).then(|| view! {
            <p class="hint">{match offline {
                1 => lang.pick(
                    "Eén verhaal staat alleen in het gedrukte boekje: de bewoner gaf geen toestemming voor internet.",
                    "One story is only in the printed booklet: the resident did not consent to the web.",
                ).to_string(),
                n => format!("{n} {}", lang.pick(
                    "verhalen staan alleen in het gedrukte boekje: de bewoners gaven geen toestemming voor internet.",
                    "stories are only in the printed booklet: the residents did not consent to the web.",
                )),
            }}</p>
        })}
    }
}

#[component]
fn StoryLink(s: PortalStoryLink) -> impl IntoView {
    view! {
        <li class="story-link">
            <a href=s.href>
                <span class="card-title">{s.title}</span>
                <span class="hint">{s.resident}</span>
            </a>
            {s.pull_quote.map(|q| view! { <blockquote class="pull-quote"><p>{q}</p></blockquote> })}
        </li>
    }
}

/// One story as a web page.
#[component]
pub fn PortalStoryPage() -> impl IntoView {
    let (municipality, year) = municipality_year();
    let params = use_params_map();
    let story = move || {
        params
            .read()
            .get(crate::routes::param::PORTAL_STORY)
            .and_then(|s| StoryId::parse(&s))
    };
    let data = Resource::new(
        move || (municipality(), year(), story()),
        |(m, y, s)| async move {
            match (m, y, s) {
                (Some(m), Some(y), Some(s)) => published_story(m, y, s).await,
                _ => Err(AppError::not_found()),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <StoryBody p=p/> }.into_any(),
                    Err(e) => view! {
                        <Title text=tr("Verhaal", "Story")/>
                        <h1>{tr("Verhaal", "Story")}</h1>
                        {error_view(e)}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StoryBody(p: PortalStory) -> impl IntoView {
    let lang = use_lang();
    let s = p.story;
    let byline = format!(
        "{} {} · {}",
        lang.pick("Verteld door", "Told by"),
        s.resident,
        s.neighbourhood
    );
    view! {
        <Title text=s.title.clone()/>
        <p class="crumbs"><a href=p.booklet_href.clone()>{p.booklet_title.clone()}</a></p>
        <article class="portal-story prose" lang="nl">
            <h1>{s.title.clone()}</h1>
            <p class="story-byline">{byline}</p>
            {s.lead.clone().map(|l| view! { <div class="lead">{paragraphs(&l)}</div> })}
            {s.pull_quote.clone().map(|q| view! { <blockquote class="pull-quote"><p>{q}</p></blockquote> })}
            {s.sections.into_iter().map(|sec| view! {
                <section>
                    <h2>{sec.question}</h2>
                    {paragraphs(&sec.answer)}
                </section>
            }).collect_view()}
        </article>
        <nav class="story-pager" aria-label=tr("Andere verhalen", "Other stories")>
            {p.previous.map(|l| view! {
                <a class="button" rel="prev" href=l.href>{format!("← {}", l.title)}</a>
            })}
            {p.next.map(|l| view! {
                <a class="button" rel="next" href=l.href>{format!("{} →", l.title)}</a>
            })}
        </nav>
    }
}
