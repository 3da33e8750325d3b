//! The researcher's curation page: choose approved stories for the booklet
//! of a municipality, order them, build the PDF, publish it.

use super::booklets::BookletCard;
use crate::api::booklets::{
    curation, BuildBooklet, MoveChapter, MoveSelected, PublishBuild, SaveIntro, SaveTexts,
    SetSelected,
};
use crate::api::codebook::{AddTheme, CopyThemes, RemoveTheme, TagStory};
use crate::components::{error_view, ErrorNote, Loading, StatusBadge, TextArea};
use crate::domain::ids::{MunicipalityId, NeighbourhoodId, StoryId, ThemeId};
use crate::i18n::{tr, use_lang};
use crate::model::{
    BuildStatus, BuildView, CurationChapter, CurationStory, CurationView, ThemeView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What the page shares between its parts: the actions, where focus goes
/// after the list is drawn again, and what the live region announces.
#[derive(Clone, Copy)]
struct Shared {
    select: ServerAction<SetSelected>,
    move_story: ServerAction<MoveSelected>,
    move_chapter: ServerAction<MoveChapter>,
    texts: ServerAction<SaveTexts>,
    intro: ServerAction<SaveIntro>,
    add_theme: ServerAction<AddTheme>,
    copy_themes: ServerAction<CopyThemes>,
    remove_theme: ServerAction<RemoveTheme>,
    tag: ServerAction<TagStory>,
    /// Element ids to focus (the first that exists) after the next redraw.
    focus: StoredValue<Vec<String>>,
    /// The item just moved, to announce its new place after the redraw.
    moved: StoredValue<Option<Moved>>,
    /// What the live region says.
    status: RwSignal<String>,
    /// What is being dragged.
    dragging: RwSignal<Option<Moved>>,
}

/// A story or a chapter that moved (or is being dragged).
#[derive(Clone, Copy, PartialEq)]
enum Moved {
    Story(StoryId),
    Chapter(NeighbourhoodId),
}

impl Shared {
    /// Remembers what moves and which control should get focus back.
    fn moving(&self, what: Moved, focus: Vec<String>) {
        self.moved.set_value(Some(what));
        self.focus.set_value(focus);
    }
}

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
    let theme = move || query.read().get("thema").and_then(|t| ThemeId::parse(&t));
    let shared = Shared {
        select: ServerAction::<SetSelected>::new(),
        move_story: ServerAction::<MoveSelected>::new(),
        move_chapter: ServerAction::<MoveChapter>::new(),
        texts: ServerAction::<SaveTexts>::new(),
        intro: ServerAction::<SaveIntro>::new(),
        add_theme: ServerAction::<AddTheme>::new(),
        copy_themes: ServerAction::<CopyThemes>::new(),
        remove_theme: ServerAction::<RemoveTheme>::new(),
        tag: ServerAction::<TagStory>::new(),
        focus: StoredValue::new(Vec::new()),
        moved: StoredValue::new(None),
        status: RwSignal::new(String::new()),
        dragging: RwSignal::new(None),
    };
    let build = ServerAction::<BuildBooklet>::new();
    let publish = ServerAction::<PublishBuild>::new();
    let tick = RwSignal::new(0u32);
    // Saved texts reload the page data only when saving worked, so a
    // refused text (too long, stale) stays in its field.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = matches!(shared.texts.value().get(), Some(Ok(_)))
            || matches!(shared.intro.value().get(), Some(Ok(_)));
        if ok {
            saved.update(|s| *s += 1);
            shared
                .status
                .set(use_lang().pick("Opgeslagen.", "Saved.").to_string());
        }
    });
    let view_data = Resource::new(
        move || {
            (
                municipality(),
                theme(),
                (
                    shared.add_theme.version().get(),
                    shared.copy_themes.version().get(),
                    shared.remove_theme.version().get(),
                    shared.tag.version().get(),
                ),
                shared.select.version().get(),
                shared.move_story.version().get(),
                shared.move_chapter.version().get(),
                build.version().get(),
                publish.version().get(),
                tick.get(),
                saved.get(),
            )
        },
        |(m, t, ..)| curation(m, t),
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
            shared.select.value().get().and_then(Result::err),
            shared.move_story.value().get().and_then(Result::err),
            shared.move_chapter.value().get().and_then(Result::err),
            shared.texts.value().get().and_then(Result::err),
            shared.intro.value().get().and_then(Result::err),
            shared.add_theme.value().get().and_then(Result::err),
            shared.copy_themes.value().get().and_then(Result::err),
            shared.remove_theme.value().get().and_then(Result::err),
            shared.tag.value().get().and_then(Result::err),
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
        <p class="visually-hidden" role="status" aria-live="polite" id="volgorde-status">{move || shared.status.get()}</p>
        {move || errors().map(|e| view! { <ErrorNote error=e/> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(v) => view! { <CurationBody v=v shared=shared build_action=build publish=publish/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// "Verhaal X staat nu op plaats 3 van 7" for the item that just moved.
fn announcement(v: &CurationView, moved: Moved, lang: crate::domain::Lang) -> Option<String> {
    match moved {
        Moved::Story(id) => v.chapters.iter().find_map(|c| {
            let i = c.stories.iter().position(|s| s.story.id == id)?;
            Some(
                format!(
                    "{} {} {} {} {} {} {}",
                    lang.pick("Verhaal", "Story"),
                    title_of(&c.stories[i]),
                    lang.pick("staat nu op plaats", "is now at place"),
                    i + 1,
                    lang.pick("van", "of"),
                    c.stories.len(),
                    lang.pick("in het hoofdstuk", "in the chapter"),
                ) + &format!(" {}.", c.name),
            )
        }),
        Moved::Chapter(n) => {
            let i = v.chapters.iter().position(|c| c.neighbourhood == n)?;
            Some(format!(
                "{} {} {} {} {} {}.",
                lang.pick("Hoofdstuk", "Chapter"),
                v.chapters[i].name,
                lang.pick("staat nu op plaats", "is now at place"),
                i + 1,
                lang.pick("van", "of"),
                v.chapters.len(),
            ))
        }
    }
}

fn title_of(s: &CurationStory) -> String {
    if s.story.title.trim().is_empty() {
        tr("(nog zonder titel)", "(untitled)").to_string()
    } else {
        s.story.title.clone()
    }
}

#[component]
fn CurationBody(
    v: CurationView,
    shared: Shared,
    build_action: ServerAction<BuildBooklet>,
    publish: ServerAction<PublishBuild>,
) -> impl IntoView {
    let build = build_action;
    let lang = use_lang();
    // After the list is drawn again: announce the moved item's new place and
    // put focus back on the control the user used.
    {
        let v = v.clone();
        Effect::new(move |_| {
            if let Some(moved) = shared.moved.try_update_value(Option::take).flatten() {
                if let Some(text) = announcement(&v, moved, lang) {
                    shared.status.set(text);
                }
            }
            let wanted = shared
                .focus
                .try_update_value(std::mem::take)
                .unwrap_or_default();
            // The list is redrawn in place after this runs: focus once the
            // new ids are on the elements.
            #[cfg(feature = "hydrate")]
            if !wanted.is_empty() {
                set_timeout(
                    move || crate::components::focus_first(&wanted),
                    std::time::Duration::ZERO,
                );
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = wanted;
        });
    }
    let busy = v
        .builds
        .iter()
        .any(|b| matches!(b.status, BuildStatus::Queued | BuildStatus::Running));
    let available: Vec<CurationStory> = v
        .stories
        .iter()
        .filter(|s| s.position.is_none())
        .cloned()
        .collect();
    let selected_count = v.stories.len() - available.len();
    let chapter_count = v.chapters.len();
    let ctx = Ctx {
        municipality: v.municipality.id,
        order_version: v.order_version,
        shared,
        themes: StoredValue::new(v.themes.clone()),
    };
    let filtered = v.theme_filter.is_some();
    view! {
        {busy.then(|| view! { <noscript><meta http-equiv="refresh" content="2"/></noscript> })}
        <nav class="tabs" aria-label=tr("Gemeente", "Municipality")>
            <ul>
                {v.municipalities.iter().map(|m| {
                    let current = m.id == v.municipality.id;
                    view! {
                        <li>
                            <a href=crate::routes::curate(m.id) aria-current=current.then_some("page")>
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
            {if v.chapters.is_empty() {
                view! { <p class="empty">{tr("Nog geen verhalen gekozen.", "No stories selected yet.")}</p> }.into_any()
            } else {
                view! {
                    <p class="hint" id="volgorde-uitleg">{tr(
                        "Sleep hoofdstukken en verhalen aan hun greep ⠿ naar hun plaats, of gebruik de knoppen. Met het toetsenbord: focus op de greep ⠿ en druk Alt+pijl omhoog of Alt+pijl omlaag.",
                        "Drag chapters and stories by their handle ⠿ into place, or use the buttons. With the keyboard: focus the handle ⠿ and press Alt+Arrow up or Alt+Arrow down.",
                    )}</p>
                    <ol class="chapter-list" role="list">
                        {v.chapters.iter().cloned().enumerate().map(|(i, c)| view! {
                            <ChapterCard c=c index=i total=chapter_count ctx=ctx/>
                        }).collect_view()}
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

        <TextsForm v=v.clone() ctx=ctx/>

        <section class="panel" aria-labelledby="builds-kop">
            <h2 id="builds-kop">{tr("Versies", "Versions")}</h2>
            {if v.builds.is_empty() {
                view! { <p class="empty">{tr("Nog niet gebouwd.", "Not built yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="build-list" role="list" aria-live="polite">
                        {v.builds.iter().cloned().map(|b| view! { <BuildRow b=b publish=publish/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <Codebook v=v.clone() ctx=ctx/>

        <section class="panel" aria-labelledby="beschikbaar-kop">
            <h2 id="beschikbaar-kop">{tr("Goedgekeurde verhalen", "Approved stories")}</h2>
            <ThemeFilter v=v.clone()/>
            {if available.is_empty() && filtered {
                view! { <p class="empty">{tr("Geen (andere) verhalen met dit thema.", "No (other) stories with this theme.")}</p> }.into_any()
            } else if available.is_empty() {
                view! { <p class="empty">{tr("Geen (andere) goedgekeurde verhalen.", "No (other) approved stories.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="curation-list" role="list">
                        {available.into_iter().map(|s| view! { <CurationRow s=s place=None ctx=ctx/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// What every row and chapter needs to move things.
#[derive(Clone, Copy)]
struct Ctx {
    municipality: MunicipalityId,
    order_version: i64,
    shared: Shared,
    /// The codebook, for tagging.
    themes: StoredValue<Vec<ThemeView>>,
}

/// A theme's name indented by its depth (for option lists).
fn indented(t: &ThemeView) -> String {
    format!("{}{}", "— ".repeat(t.depth), t.name)
}

#[component]
fn Codebook(v: CurationView, ctx: Ctx) -> impl IntoView {
    let shared = ctx.shared;
    let edition = v.edition.to_string();
    let edition_copy = edition.clone();
    let parents: Vec<ThemeId> = v.themes.iter().filter_map(|t| t.parent).collect();
    let tree = v.themes.clone();
    view! {
        <section class="panel" aria-labelledby="codeboek-kop">
            <h2 id="codeboek-kop">{format!("{} {}", tr("Codeboek", "Codebook"), v.year)}</h2>
            {if v.themes.is_empty() {
                view! { <p class="empty">{tr("Nog geen thema's.", "No themes yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="theme-tree" role="list">
                        {tree.into_iter().map(|t| view! {
                            <li style=format!("--depth: {}", t.depth) data-depth=t.depth.to_string()>
                                <strong>{t.name.clone()}</strong>
                                {(!t.description.is_empty()).then(|| view! { <span class="hint">{format!(" — {}", t.description)}</span> })}
                                {(!parents.contains(&t.id)).then(|| {
                                    let label = format!("{}: {}", use_lang().pick("Thema verwijderen", "Remove theme"), t.name);
                                    view! {
                                        <ActionForm action=shared.remove_theme attr:class="inline-form">
                                            <input type="hidden" name="theme" value=t.id.to_string()/>
                                            <button type="submit" class="button button-quiet" aria-label=label>{tr("Verwijderen", "Remove")}</button>
                                        </ActionForm>
                                    }
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {v.can_copy_themes.then(|| view! {
                <ActionForm action=shared.copy_themes attr:class="inline-form">
                    <input type="hidden" name="edition" value=edition_copy/>
                    <button type="submit" class="button">{tr("Codeboek van de vorige editie overnemen", "Copy the codebook of the previous edition")}</button>
                </ActionForm>
            })}
            <ActionForm action=shared.add_theme attr:class="texts-form">
                <input type="hidden" name="edition" value=edition/>
                <label for="thema-naam">{tr("Nieuw thema", "New theme")}</label>
                <input id="thema-naam" name="name" type="text" maxlength="80"/>
                <label for="thema-omschrijving">{tr("Omschrijving (niet verplicht)", "Description (optional)")}</label>
                <input id="thema-omschrijving" name="description" type="text"/>
                <label for="thema-ouder">{tr("Valt onder", "Falls under")}</label>
                <select id="thema-ouder" name="parent">
                    <option value="">{tr("(bovenaan)", "(top level)")}</option>
                    {v.themes.iter().map(|t| view! { <option value=t.id.to_string()>{indented(t)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">{tr("Thema toevoegen", "Add theme")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ThemeFilter(v: CurationView) -> impl IntoView {
    (!v.themes.is_empty()).then(|| {
        let current = v.theme_filter;
        view! {
            <form method="get" action=crate::routes::CURATE class="inline-form theme-filter">
                <input type="hidden" name="gemeente" value=v.municipality.id.to_string()/>
                <label for="thema-filter">{tr("Thema", "Theme")}</label>
                <select id="thema-filter" name="thema">
                    <option value="">{tr("Alle verhalen", "All stories")}</option>
                    {v.themes.iter().map(|t| view! {
                        <option value=t.id.to_string() selected=current == Some(t.id)>{indented(t)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button">{tr("Tonen", "Show")}</button>
            </form>
        }
    })
}

/// The themes of one story, with buttons to remove and a form to add.
#[component]
fn StoryThemes(story: StoryId, tagged: Vec<ThemeId>, title: String, ctx: Ctx) -> impl IntoView {
    let lang = use_lang();
    let themes = ctx.themes.get_value();
    if themes.is_empty() {
        return None;
    }
    let sid = story.to_string();
    let select_id = format!("thema-{sid}");
    let chips = themes
        .iter()
        .filter(|t| tagged.contains(&t.id))
        .cloned()
        .map(|t| {
            let sid = sid.clone();
            let label = format!("{} {} {} {title}", lang.pick("Thema", "Theme"), t.name, lang.pick("weghalen bij", "remove from"));
            view! {
                <li>
                    <ActionForm action=ctx.shared.tag attr:class="inline-form">
                        <input type="hidden" name="story" value=sid/>
                        <input type="hidden" name="theme" value=t.id.to_string()/>
                        <button type="submit" class="chip" aria-label=label>{t.name}<span aria-hidden="true">" ×"</span></button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let open: Vec<ThemeView> = themes
        .into_iter()
        .filter(|t| !tagged.contains(&t.id))
        .collect();
    let sid_add = sid.clone();
    Some(view! {
        <div class="story-themes">
            <ul class="chips" role="list" aria-label=format!("{} {title}", lang.pick("Thema's van", "Themes of"))>{chips}</ul>
            {(!open.is_empty()).then(|| view! {
                <ActionForm action=ctx.shared.tag attr:class="inline-form">
                    <input type="hidden" name="story" value=sid_add/>
                    <input type="hidden" name="on" value="true"/>
                    <label class="visually-hidden" for=select_id.clone()>{format!("{} {title}", lang.pick("Thema voor", "Theme for"))}</label>
                    <select id=select_id name="theme">
                        {open.iter().map(|t| view! { <option value=t.id.to_string()>{indented(t)}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button">{tr("Thema toekennen", "Add theme")}</button>
                </ActionForm>
            })}
        </div>
    })
}

/// Alt+ArrowUp / Alt+ArrowDown on a handle: the new index, if any.
fn key_move(ev: &leptos::ev::KeyboardEvent, index: usize) -> Option<i64> {
    if !ev.alt_key() {
        return None;
    }
    match ev.key().as_str() {
        "ArrowUp" => Some(index as i64 - 1),
        "ArrowDown" => Some(index as i64 + 1),
        _ => None,
    }
}

#[component]
fn ChapterCard(c: CurationChapter, index: usize, total: usize, ctx: Ctx) -> impl IntoView {
    let lang = use_lang();
    let shared = ctx.shared;
    let n = c.neighbourhood;
    let nid = n.to_string();
    let handle_id = format!("hoofdstuk-greep-{nid}");
    let up_id = format!("hoofdstuk-omhoog-{nid}");
    let down_id = format!("hoofdstuk-omlaag-{nid}");
    let heading_id = format!("hoofdstuk-{nid}");
    let count = c.stories.len();
    let go = move |to: i64, focus: Vec<String>| {
        shared.moving(Moved::Chapter(n), focus);
        shared.move_chapter.dispatch(MoveChapter {
            municipality: ctx.municipality,
            neighbourhood: n,
            to,
            version: ctx.order_version,
        });
    };
    let on_key = {
        let handle_id = handle_id.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if let Some(to) = key_move(&ev, index) {
                ev.prevent_default();
                go(to, vec![handle_id.clone()]);
            }
        }
    };
    let on_pointer_up = {
        let handle_id = handle_id.clone();
        move |ev: leptos::ev::PointerEvent| {
            if shared.dragging.get_untracked() != Some(Moved::Chapter(n)) {
                return;
            }
            shared.dragging.set(None);
            if let Some((_, to)) = drop_target(&ev, ".chapter-card") {
                if to != index as i64 {
                    go(to, vec![handle_id.clone()]);
                }
            }
        }
    };
    let move_button = |up: bool| {
        let nid = nid.clone();
        let (me, other) = if up {
            (up_id.clone(), down_id.clone())
        } else {
            (down_id.clone(), up_id.clone())
        };
        let to = if up {
            index as i64 - 1
        } else {
            index as i64 + 1
        };
        let at_end = if up { index == 0 } else { index + 1 == total };
        let name = if up {
            lang.pick("Omhoog", "Move up")
        } else {
            lang.pick("Omlaag", "Move down")
        };
        let label = format!(
            "{} {}: {}",
            lang.pick("Hoofdstuk", "Chapter"),
            name.to_lowercase(),
            c.name
        );
        let click = {
            let (me, other) = (me.clone(), other.clone());
            move |_: leptos::ev::MouseEvent| {
                shared.moving(Moved::Chapter(n), vec![me.clone(), other.clone()])
            }
        };
        view! {
            <ActionForm action=shared.move_chapter attr:class="inline-form">
                <input type="hidden" name="municipality" value=ctx.municipality.to_string()/>
                <input type="hidden" name="neighbourhood" value=nid.clone()/>
                <input type="hidden" name="to" value=to.to_string()/>
                <input type="hidden" name="version" value=ctx.order_version.to_string()/>
                <button type="submit" class="button" id=me aria-label=label disabled=at_end on:click=click>
                    <span aria-hidden="true">{if up { "↑ " } else { "↓ " }}</span>{name.to_string()}
                </button>
            </ActionForm>
        }
    };
    let (up, down) = (move_button(true), move_button(false));
    let handle_label = format!(
        "{} {}, {} {} {} {}. {}",
        lang.pick("Hoofdstuk", "Chapter"),
        c.name,
        lang.pick("plaats", "place"),
        index + 1,
        lang.pick("van", "of"),
        total,
        lang.pick("Verplaatsen met Alt+pijltjes.", "Move with Alt+arrows."),
    );
    let intro_id = format!("inleiding-{nid}");
    let nid_intro = nid.clone();
    view! {
        <li class="chapter-card" data-chapter=nid.clone() data-index=index.to_string()
            class:dragging=move || shared.dragging.get() == Some(Moved::Chapter(n))>
            <div class="chapter-head">
                <button type="button" class="drag-handle" id=handle_id aria-label=handle_label
                    aria-describedby="volgorde-uitleg" on:keydown=on_key
                    on:pointerdown=move |ev| drag_start(&ev, shared, Moved::Chapter(n))
                    on:pointerup=on_pointer_up
                    on:pointercancel=move |_| shared.dragging.set(None)>"⠿"</button>
                <h3 id=heading_id>{format!("{} ({count})", c.name)}</h3>
                <div class="curation-actions">{up}{down}</div>
            </div>
            <ol class="curation-list" role="list">
                {c.stories.iter().cloned().enumerate().map(|(i, s)| view! {
                    <CurationRow s=s place=Some((i, count)) chapter=n ctx=ctx/>
                }).collect_view()}
            </ol>
            <ActionForm action=shared.intro attr:class="chapter-intro">
                <input type="hidden" name="municipality" value=ctx.municipality.to_string()/>
                <input type="hidden" name="neighbourhood" value=nid_intro/>
                <input type="hidden" name="version" value=c.version.to_string()/>
                <label for=intro_id.clone()>{format!("{} {}", lang.pick("Inleiding van het hoofdstuk", "Intro of the chapter"), c.name)}</label>
                <TextArea value=c.intro.clone() attr:id=intro_id attr:name="intro" attr:rows="3" prop:value=c.intro.clone()/>
                <button type="submit" class="button">{tr("Inleiding opslaan", "Save intro")}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn TextsForm(v: CurationView, ctx: Ctx) -> impl IntoView {
    let t = v.texts;
    let (foreword_value, colophon_value) = (t.foreword.clone(), t.colophon_extra.clone());
    view! {
        <section class="panel" aria-labelledby="teksten-kop">
            <h2 id="teksten-kop">{tr("Voorwoord en colofon", "Foreword and colophon")}</h2>
            <ActionForm action=ctx.shared.texts attr:class="texts-form">
                <input type="hidden" name="municipality" value=ctx.municipality.to_string()/>
                <input type="hidden" name="version" value=t.version.to_string()/>
                <label for="voorwoord">{tr("Voorwoord", "Foreword")}</label>
                <TextArea value=t.foreword attr:id="voorwoord" attr:name="foreword" attr:rows="6" prop:value=foreword_value/>
                <label for="colofon-extra">{tr("Extra tekst in het colofon", "Extra colophon text")}</label>
                <TextArea value=t.colophon_extra attr:id="colofon-extra" attr:name="colophon_extra" attr:rows="3" prop:value=colophon_value/>
                <label for="financier">{tr("Financiering (één regel)", "Funder (one line)")}</label>
                <input id="financier" name="funder_line" type="text" value=t.funder_line/>
                <button type="submit" class="button">{tr("Teksten opslaan", "Save texts")}</button>
            </ActionForm>
            <h3>{tr("Studenten in het colofon", "Students in the colophon")}</h3>
            {if v.students.is_empty() {
                view! { <p class="empty">{tr("Nog geen namen (kies eerst verhalen).", "No names yet (select stories first).")}</p> }.into_any()
            } else {
                view! {
                    <ul class="colophon-students" role="list">
                        {v.students.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="hint">{tr(
                "Studenten die dat in hun instellingen (Meldingen) hebben aangegeven, worden niet genoemd.",
                "Students who asked so in their settings (Notifications) are not listed.",
            )}</p>
        </section>
    }
}

#[component]
fn CurationRow(
    s: CurationStory,
    place: Option<(usize, usize)>,
    #[prop(optional)] chapter: Option<NeighbourhoodId>,
    ctx: Ctx,
) -> impl IntoView {
    let lang = use_lang();
    let shared = ctx.shared;
    let story = s.story;
    let sid = story.id;
    let in_booklet = s.position.is_some();
    let id = story.id.to_string();
    let title = if story.title.trim().is_empty() {
        tr("(nog zonder titel)", "(untitled)").to_string()
    } else {
        story.title.clone()
    };
    let toggle_label = format!(
        "{}: {title}",
        if in_booklet {
            lang.pick("Uit het boekje halen", "Remove from booklet")
        } else {
            lang.pick("In het boekje", "Add to booklet")
        }
    );
    let mover = place.map(|(index, total)| {
        let id = id.clone();
        let handle_id = format!("greep-{id}");
        let up_id = format!("omhoog-{id}");
        let down_id = format!("omlaag-{id}");
        let go = move |to: i64, focus: Vec<String>| {
            shared.moving(Moved::Story(sid), focus);
            shared.move_story.dispatch(MoveSelected {
                story: sid,
                to,
                version: ctx.order_version,
            });
        };
        let on_key = {
            let handle_id = handle_id.clone();
            move |ev: leptos::ev::KeyboardEvent| {
                if let Some(to) = key_move(&ev, index) {
                    ev.prevent_default();
                    go(to, vec![handle_id.clone()]);
                }
            }
        };
        let group = chapter.map(|c| c.to_string()).unwrap_or_default();
        let on_pointer_up = {
            let handle_id = handle_id.clone();
            move |ev: leptos::ev::PointerEvent| {
                if shared.dragging.get_untracked() != Some(Moved::Story(sid)) {
                    return;
                }
                shared.dragging.set(None);
                if let Some((g, to)) = drop_target(&ev, ".curation-row[data-index]") {
                    if g == group && to != index as i64 {
                        go(to, vec![handle_id.clone()]);
                    }
                }
            }
        };
        let handle_label = format!(
            "{} {title}, {} {} {} {total}. {}",
            lang.pick("Verhaal", "Story"),
            lang.pick("plaats", "place"),
            index + 1,
            lang.pick("van", "of"),
            lang.pick("Verplaatsen met Alt+pijltjes.", "Move with Alt+arrows."),
        );
        let move_button = |up: bool| {
            let id = id.clone();
            let (me, other) = if up {
                (up_id.clone(), down_id.clone())
            } else {
                (down_id.clone(), up_id.clone())
            };
            let to = if up { index as i64 - 1 } else { index as i64 + 1 };
            let at_end = if up { index == 0 } else { index + 1 == total };
            let name = if up { lang.pick("Omhoog", "Move up") } else { lang.pick("Omlaag", "Move down") };
            let label = format!("{name}: {title}");
            let click = {
                let (me, other) = (me.clone(), other.clone());
                move |_: leptos::ev::MouseEvent| shared.moving(Moved::Story(sid), vec![me.clone(), other.clone()])
            };
            view! {
                <ActionForm action=shared.move_story attr:class="inline-form">
                    <input type="hidden" name="story" value=id.clone()/>
                    <input type="hidden" name="to" value=to.to_string()/>
                    <input type="hidden" name="version" value=ctx.order_version.to_string()/>
                    <button type="submit" class="button button-icon" id=me aria-label=label disabled=at_end on:click=click>
                        {if up { "↑" } else { "↓" }}
                    </button>
                </ActionForm>
            }
        };
        let (up, down) = (move_button(true), move_button(false));
        (
            view! {
                <button type="button" class="drag-handle" id=handle_id aria-label=handle_label
                    aria-describedby="volgorde-uitleg" on:keydown=on_key
                    on:pointerdown=move |ev| drag_start(&ev, shared, Moved::Story(sid))
                    on:pointerup=on_pointer_up
                    on:pointercancel=move |_| shared.dragging.set(None)>"⠿"</button>
            },
            view! { {up}{down} },
            index,
        )
    });
    let (handle, buttons, index) = match mover {
        Some((h, b, i)) => (Some(h), Some(b), Some(i)),
        None => (None, None, None),
    };
    let chapter_of = chapter.map(|c| c.to_string()).unwrap_or_default();
    let id_select = id.clone();
    view! {
        <li class="curation-row" data-story=id.clone()
            data-index=index.map(|i| i.to_string()) data-group=place.map(|_| chapter_of.clone())
            class:dragging=move || shared.dragging.get() == Some(Moved::Story(sid))>
            {handle}
            <div class="curation-info">
                <a href=crate::routes::story(story.id) class="curation-title">{title.clone()}</a>
                <StatusBadge status=story.status/>
                <span class="hint">{format!("{} · {}", story.neighbourhood, story.resident)}</span>
                {s.blocked.clone().map(|m| view! { <span class="field-problem">{m.get(lang).to_string()}</span> })}
                <StoryThemes story=sid tagged=s.themes.clone() title=title.clone() ctx=ctx/>
            </div>
            <div class="curation-actions">
                {buttons}
                {(s.blocked.is_none() || in_booklet).then(|| view! {
                    <ActionForm action=shared.select attr:class="inline-form">
                        <input type="hidden" name="story" value=id_select.clone()/>
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

/// Starts dragging with a handle (mouse, pen or touch): the handle keeps
/// the pointer until it is let go.
fn drag_start(ev: &leptos::ev::PointerEvent, shared: Shared, what: Moved) {
    if ev.button() != 0 {
        return;
    }
    shared.dragging.set(Some(what));
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
        {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    }
}

/// Where a drag was let go: the group (chapter) and index of the item
/// matching `selector` under the pointer.
fn drop_target(ev: &leptos::ev::PointerEvent, selector: &str) -> Option<(String, i64)> {
    #[cfg(feature = "hydrate")]
    {
        let el = document().element_from_point(ev.client_x() as f32, ev.client_y() as f32)?;
        let item = el.closest(selector).ok()??;
        let index = item.get_attribute("data-index")?.parse().ok()?;
        Some((item.get_attribute("data-group").unwrap_or_default(), index))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, selector);
        None
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
            {(!b.missing_glyphs.is_empty()).then(|| view! { <MissingGlyphs glyphs=b.missing_glyphs.clone()/> })}
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

/// The characters a build had to replace because no font has them: the
/// booklet shows a replacement mark (U+FFFD) there, so the researcher can
/// correct the story (or accept the mark) before publishing.
#[component]
fn MissingGlyphs(glyphs: Vec<crate::booklet::MissingGlyph>) -> impl IntoView {
    view! {
        <div class="note build-warnings" role="note">
            <p>{tr(
                "Niet elk teken kon worden gedrukt. Op deze plaatsen staat in het boekje een vervangend teken (\u{FFFD}):",
                "Not every character could be printed. The booklet shows a replacement mark (\u{FFFD}) here:",
            )}</p>
            <ul>
                {glyphs.into_iter().map(|g| {
                    let what = format!("{} ({}) — {}×", g.character, g.code_point(), g.count);
                    let place = match g.story_id {
                        Some(story) => view! {
                            <a href=crate::routes::story(story)>{g.place.clone()}</a>
                        }.into_any(),
                        None => view! { <span>{g.place.clone()}</span> }.into_any(),
                    };
                    view! { <li>{place}": "<span class="glyph">{what}</span></li> }
                }).collect_view()}
            </ul>
            <p class="hint">{tr(
                "Pas de tekst aan en maak het boekje opnieuw, of publiceer het zo.",
                "Edit the text and build the booklet again, or publish it as it is.",
            )}</p>
        </div>
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
