//! Editions (`/edities?organisatie=<id>`): the werkplaats's years. The
//! coordinator makes next year's edition from the newest one (guide,
//! consent text, codebook and groups with their lecturers come along), moves
//! an edition open → closed → published, and writes a new version of an
//! edition's consent text (residents are shown the newest; every consent
//! keeps the version it was given on).

use crate::api::editions::{editions_admin, CreateEdition, SaveConsentText, SetEditionStatus};
use crate::components::{error_view, ErrorNote, Loading, TextArea};
use crate::domain::edition::EditionStatus;
use crate::domain::ids::{EditionId, OrganisationId};
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{CopiedFromPrevious, EditionAdmin, EditionsView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page's actions, shared by every card so their results survive the
/// reload of the overview.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateEdition>,
    status: ServerAction<SetEditionStatus>,
    consent: ServerAction<SaveConsentText>,
    /// The edition last acted on: its card shows errors and results.
    last: RwSignal<Option<EditionId>>,
}

impl Actions {
    fn error_for(&self, e: EditionId) -> Option<AppError> {
        if self.last.get() != Some(e) {
            return None;
        }
        [
            self.status.value().get().and_then(Result::err),
            self.consent.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    fn using(&self, e: EditionId) {
        self.last.set(Some(e));
        self.status.value().set(None);
        self.consent.value().set(None);
    }
}

/// The page.
#[component]
pub fn Editions() -> impl IntoView {
    let query = use_query_map();
    let organisation = move || {
        query
            .read()
            .get("organisatie")
            .and_then(|o| o.parse::<OrganisationId>().ok())
    };
    let actions = Actions {
        create: ServerAction::new(),
        status: ServerAction::new(),
        consent: ServerAction::new(),
        last: RwSignal::new(None),
    };
    let data = Resource::new(
        move || {
            (
                organisation(),
                actions.create.version().get(),
                actions.status.version().get(),
                actions.consent.version().get(),
            )
        },
        |(o, ..)| editions_admin(o),
    );
    view! {
        <Title text=tr("Edities", "Editions")/>
        <h1>{tr("Edities", "Editions")}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <EditionsBody v=v actions=actions/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditionsBody(v: EditionsView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let org = v.organisation.id;
    let from = v.editions.first().map(|e| e.year);
    let create_error = move || actions.create.value().get().and_then(Result::err);
    let copied = move || actions.create.value().get().and_then(Result::ok);
    view! {
        {(v.organisations.len() > 1).then(|| view! {
            <nav class="tabs" aria-label=tr("Organisaties", "Organisations")>
                {v.organisations.iter().map(|o| view! {
                    <a href=format!("{}?organisatie={}", crate::routes::EDITIONS, o.id)
                        aria-current=(o.id == org).then_some("page")>{o.name.clone()}</a>
                }).collect_view()}
            </nav>
        })}
        <p class="lead">{v.organisation.name.clone()}</p>
        <p class="hint">{tr(
            "Open: studenten leggen interviews vast. Gesloten: geen nieuwe interviews meer; bestaande verhalen worden nog afgemaakt, beoordeeld en samengesteld. Gepubliceerd: alles is alleen nog te lezen; een bewoner kan zijn toestemming altijd intrekken.",
            "Open: students record interviews. Closed: no new interviews; existing stories are still finished, reviewed and curated. Published: everything is read-only; a resident can always withdraw consent.",
        )}</p>
        {move || copied().map(|c| view! { <CopiedNote c=c/> })}

        <section class="panel" aria-labelledby="nieuwe-editie-kop">
            <h2 id="nieuwe-editie-kop">{tr("Volgende editie", "Next edition")}</h2>
            <p class="hint">{match from {
                Some(y) => lang.pick(
                    &format!("Wordt gemaakt vanuit editie {y}: de vragenlijst, de toestemmingstekst, het codeboek en de groepen met hun wijken en docenten gaan mee; studenten en verhalen niet."),
                    &format!("Made from edition {y}: the interview guide, the consent text, the codebook and the groups with their neighbourhoods and lecturers come along; students and stories do not."),
                ).to_string(),
                None => lang.pick(
                    "Dit wordt de eerste editie. Stel daarna de vragenlijst, de toestemmingstekst en de groepen op.",
                    "This will be the first edition. Then write its interview guide and consent text and create its groups.",
                ).to_string(),
            }}</p>
            <ActionForm action=actions.create attr:class="form">
                <input type="hidden" name="organisation" value=org.to_string()/>
                <input type="hidden" name="edition" value=v.new_edition.to_string()/>
                <div class="field">
                    <label class="label" for="editie-jaar">{tr("Jaar", "Year")}</label>
                    <input id="editie-jaar" type="number" name="year" required inputmode="numeric"
                        min="2000" max="2100" value=v.next_year.to_string()
                        prop:value=v.next_year.to_string()/>
                </div>
                <div class="field">
                    <label class="label" for="editie-titel">{tr("Titel (mag leeg: ‘Wijkverhalen’ en het jaar)", "Title (optional: ‘Wijkverhalen’ and the year)")}</label>
                    <input id="editie-titel" type="text" name="title" maxlength="240"/>
                </div>
                {move || create_error().map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{tr("Editie aanmaken", "Create edition")}</button>
                </div>
            </ActionForm>
        </section>

        {if v.editions.is_empty() {
            view! { <p class="note">{tr("Er is nog geen editie.", "There is no edition yet.")}</p> }.into_any()
        } else {
            v.editions.into_iter().map(|e| view! { <EditionCard e=e actions=actions/> }).collect_view().into_any()
        }}
    }
}

/// What the new edition got from the previous one.
#[component]
fn CopiedNote(c: CopiedFromPrevious) -> impl IntoView {
    let lang = use_lang();
    let text = format!(
        "{} {} {}, {} {}, {} {} {} {}.",
        lang.pick("Editie aangemaakt, met", "Edition created, with"),
        c.questions,
        lang.pick("vragen", "questions"),
        c.themes,
        lang.pick("thema's", "themes"),
        c.groups,
        lang.pick("groepen met", "groups with"),
        c.lecturers,
        lang.pick("docenten", "lecturers"),
    );
    let consent = if c.consent_text {
        lang.pick(
            "De toestemmingstekst is overgenomen als versie 1.",
            "The consent text was copied as version 1.",
        )
    } else {
        lang.pick(
            "Er was geen toestemmingstekst om over te nemen: schrijf er een voordat de interviews beginnen.",
            "There was no consent text to copy: write one before the interviews start.",
        )
    };
    view! { <p class="note" role="status">{text}" "{consent}</p> }
}

/// What a status change is called on its button.
fn status_button(to: EditionStatus) -> (&'static str, &'static str) {
    match to {
        EditionStatus::Open => ("Heropenen", "Reopen"),
        EditionStatus::Closed => ("Editie sluiten", "Close edition"),
        EditionStatus::Published => (
            "Publiceren (daarna alleen lezen)",
            "Publish (read-only afterwards)",
        ),
    }
}

/// One edition: its status and what it holds, the status changes it
/// allows, and its consent text.
#[component]
fn EditionCard(e: EditionAdmin, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let eid = e.id;
    let heading = format!("editie-{eid}-kop");
    let (status_nl, status_en) = e.status.label();
    let summary = format!(
        "{} {} · {} {} · {} {} · {} {}",
        e.stories,
        lang.pick("verhalen", "stories"),
        e.groups,
        lang.pick("groepen", "groups"),
        e.questions,
        lang.pick("vragen", "questions"),
        e.themes,
        lang.pick("thema's", "themes"),
    );
    let using = move |_: leptos::ev::MouseEvent| actions.using(eid);
    let consent_version = e.consent.as_ref().map_or(0, |c| c.version);
    let consent_body = e
        .consent
        .as_ref()
        .map(|c| c.body.clone())
        .unwrap_or_default();
    let editable = e.status.allows_story_changes().is_ok();
    let saved_version = move || {
        actions
            .consent
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|_| actions.last.get() == Some(eid))
    };
    view! {
        <section class="panel" id=format!("editie-{}", e.year) aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{format!("{} · {}", e.year, e.title)}</h2>
            <p>
                <span class=format!("badge badge-{}", e.status.as_str())>{lang.pick(status_nl, status_en).to_string()}</span>
                " "<span class="hint">{summary}</span>
            </p>
            {move || actions.error_for(eid).map(|err| view! { <ErrorNote error=err/> })}
            <div class="form-actions">
                {e.next_statuses.clone().into_iter().map(|to| {
                    let (nl, en) = status_button(to);
                    view! {
                        <ActionForm action=actions.status attr:class="inline-form">
                            <input type="hidden" name="edition" value=eid.to_string()/>
                            <input type="hidden" name="from" value=e.status.as_str()/>
                            <input type="hidden" name="to" value=to.as_str()/>
                            {(to == EditionStatus::Published).then(|| view! {
                                <label class="check">
                                    <input type="checkbox" required/>
                                    {tr(
                                        "Ik weet dat de verhalen van deze editie daarna niet meer kunnen worden gewijzigd.",
                                        "I know the stories of this edition can no longer be changed afterwards.",
                                    )}
                                </label>
                            })}
                            <button type="submit" class="button" on:click=using>{lang.pick(nl, en).to_string()}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </div>

            <h3 id=format!("editie-{eid}-toestemming")>{tr("Toestemmingstekst", "Consent text")}</h3>
            <p class="hint">{if consent_version == 0 {
                lang.pick(
                    "Nog geen tekst: zonder toestemmingstekst kan een bewoner niet tekenen.",
                    "No text yet: without a consent text a resident cannot sign.",
                ).to_string()
            } else {
                format!(
                    "{} {consent_version}. {}",
                    lang.pick("Bewoners zien nu versie", "Residents now see version"),
                    lang.pick(
                        "Opslaan maakt een nieuwe versie; wie al tekende, houdt de versie die hij las.",
                        "Saving makes a new version; whoever signed already keeps the version they read.",
                    ),
                )
            }}</p>
            {move || saved_version().map(|v| view! {
                <p class="note" role="status">{format!("{} {v}.", lang.pick("Opgeslagen als versie", "Saved as version"))}</p>
            })}
            {if editable {
                view! {
                    <ActionForm action=actions.consent attr:class="form">
                        <input type="hidden" name="edition" value=eid.to_string()/>
                        <input type="hidden" name="version" value=consent_version.to_string()/>
                        <label class="label" for=format!("editie-{eid}-tekst")>{tr("Tekst die de bewoner leest en tekent", "Text the resident reads and signs")}</label>
                        <TextArea value=consent_body attr:id=format!("editie-{eid}-tekst") attr:name="body" attr:rows="8" attr:required=true/>
                        <div class="form-actions">
                            <button type="submit" class="button" on:click=using>{tr("Nieuwe versie opslaan", "Save new version")}</button>
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <blockquote class="consent-text">{consent_body}</blockquote> }.into_any()
            }}
        </section>
    }
}
