//! Municipalities and neighbourhoods (`/gebieden?organisatie=<id>`):
//! administrators keep the organisation's structure — each municipality
//! and neighbourhood with its CBS code — import the wijken or buurten of a
//! municipality from the CBS list, and archive a neighbourhood that is no
//! longer interviewed in.
//!
//! A failed import puts nothing in the database; the page lists every bad
//! line with its number and reason and keeps the pasted list in the box.

use crate::api::areas::{
    areas_admin, ArchiveNeighbourhood, CreateMunicipality, CreateNeighbourhood,
    ImportNeighbourhoods, UpdateMunicipality, UpdateNeighbourhood,
};
use crate::components::{error_view, ErrorNote, Loading, TextArea};
use crate::domain::ids::{MunicipalityId, OrganisationId};
use crate::domain::text::AREA_NAME_MAX;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{AreasView, ImportReport, MunicipalityAdmin, NeighbourhoodAdmin};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

/// The page's actions, shared by every card so their results survive the
/// reload of the overview.
#[derive(Clone, Copy)]
struct Actions {
    create_municipality: ServerAction<CreateMunicipality>,
    update_municipality: ServerAction<UpdateMunicipality>,
    create: ServerAction<CreateNeighbourhood>,
    update: ServerAction<UpdateNeighbourhood>,
    archive: ServerAction<ArchiveNeighbourhood>,
    import: ServerAction<ImportNeighbourhoods>,
    /// The municipality last acted on: its card shows errors and results.
    last: RwSignal<Option<MunicipalityId>>,
    /// The pasted CBS list per municipality, kept across reloads.
    lists: StoredValue<HashMap<MunicipalityId, String>>,
}

impl Actions {
    fn error_for(&self, m: MunicipalityId) -> Option<AppError> {
        if self.last.get() != Some(m) {
            return None;
        }
        [
            self.update_municipality.value().get().and_then(Result::err),
            self.create.value().get().and_then(Result::err),
            self.update.value().get().and_then(Result::err),
            self.archive.value().get().and_then(Result::err),
            self.import.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    fn using(&self, m: MunicipalityId) {
        self.last.set(Some(m));
        self.update_municipality.value().set(None);
        self.create.value().set(None);
        self.update.value().set(None);
        self.archive.value().set(None);
        self.import.value().set(None);
    }
}

/// The page.
#[component]
pub fn Areas() -> impl IntoView {
    let query = use_query_map();
    let organisation = move || {
        query
            .read()
            .get("organisatie")
            .and_then(|o| o.parse::<OrganisationId>().ok())
    };
    let actions = Actions {
        create_municipality: ServerAction::new(),
        update_municipality: ServerAction::new(),
        create: ServerAction::new(),
        update: ServerAction::new(),
        archive: ServerAction::new(),
        import: ServerAction::new(),
        last: RwSignal::new(None),
        lists: StoredValue::new(HashMap::new()),
    };
    let data = Resource::new(
        move || {
            (
                organisation(),
                actions.create_municipality.version().get(),
                actions.update_municipality.version().get(),
                actions.create.version().get(),
                actions.update.version().get(),
                actions.archive.version().get(),
                actions.import.version().get(),
            )
        },
        |(o, ..)| areas_admin(o),
    );
    view! {
        <Title text=tr("Gemeenten en wijken", "Municipalities and neighbourhoods")/>
        <h1>{tr("Gemeenten en wijken", "Municipalities and neighbourhoods")}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <AreasBody v=v actions=actions/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn AreasBody(v: AreasView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let org = v.organisation.id;
    let create_error = move || {
        actions
            .create_municipality
            .value()
            .get()
            .and_then(Result::err)
    };
    view! {
        {(v.organisations.len() > 1).then(|| view! {
            <nav class="tabs" aria-label=tr("Organisaties", "Organisations")>
                {v.organisations.iter().map(|o| view! {
                    <a href=format!("{}?organisatie={}", crate::routes::AREAS, o.id)
                        aria-current=(o.id == org).then_some("page")>{o.name.clone()}</a>
                }).collect_view()}
            </nav>
        })}
        <p class="lead">{v.organisation.name.clone()}</p>
        <p class="hint">{tr(
            "Studenten kiezen bij een nieuw interview uit de wijken van hun groep. Een gearchiveerde wijk wordt niet meer aangeboden; de verhalen die er al zijn blijven bestaan.",
            "For a new interview, students choose from their group's neighbourhoods. An archived neighbourhood is no longer offered; the stories already written there stay.",
        )}</p>
        {v.municipalities.into_iter().map(|m| view! { <MunicipalityCard m=m actions=actions/> }).collect_view()}

        <section class="panel" aria-labelledby="nieuwe-gemeente-kop">
            <h2 id="nieuwe-gemeente-kop">{tr("Nieuwe gemeente", "New municipality")}</h2>
            <ActionForm action=actions.create_municipality attr:class="form">
                <input type="hidden" name="organisation" value=org.to_string()/>
                <input type="hidden" name="municipality" value=v.new_municipality.to_string()/>
                <div class="field">
                    <label class="label" for="gemeente-naam">{tr("Naam", "Name")}</label>
                    <input id="gemeente-naam" type="text" name="name" required
                        maxlength=(2 * AREA_NAME_MAX).to_string()
                        placeholder=lang.pick("bijv. Sittard-Geleen", "e.g. Sittard-Geleen")/>
                </div>
                <div class="field">
                    <label class="label" for="gemeente-code">{tr("CBS-gemeentecode", "CBS municipality code")}</label>
                    <input id="gemeente-code" type="text" name="cbs_code" required
                        autocapitalize="characters" spellcheck="false" maxlength="20"
                        placeholder="GM1883"/>
                </div>
                {move || create_error().map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{tr("Gemeente toevoegen", "Add municipality")}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// One municipality: its name and code, its neighbourhoods, and the forms
/// to add one or import a CBS list.
#[component]
fn MunicipalityCard(m: MunicipalityAdmin, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let mid = m.id;
    let heading = format!("gemeente-{mid}-kop");
    let code = m.cbs_code.clone().unwrap_or_default();
    let title = match &m.cbs_code {
        Some(c) => format!("{} ({c})", m.name),
        None => m.name.clone(),
    };
    let in_use = m.neighbourhoods.iter().filter(|n| !n.archived).count();
    let summary = format!(
        "{in_use} {} · {} {}",
        lang.pick("wijken in gebruik", "neighbourhoods in use"),
        m.neighbourhoods.len() - in_use,
        lang.pick("gearchiveerd", "archived"),
    );
    let list_id = format!("gemeente-{mid}-lijst");
    let code_placeholder = format!("{}01", code.replacen("GM", "WK", 1));
    let caption = format!(
        "{} {}",
        lang.pick("Wijken van", "Neighbourhoods of"),
        m.name
    );
    let name = m.name.clone();
    let report = move || {
        actions
            .import
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|_| actions.last.get() == Some(mid))
    };
    let using = move |_: leptos::ev::MouseEvent| actions.using(mid);
    view! {
        <section class="panel area-card" id=format!("gemeente-{mid}") aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{title}</h2>
            <p class="hint">{summary}</p>
            {move || actions.error_for(mid).map(|e| view! { <ErrorNote error=e/> })}

            <details>
                <summary>{tr("Gemeente wijzigen", "Edit municipality")}</summary>
                <ActionForm action=actions.update_municipality attr:class="form inline-form">
                    <input type="hidden" name="municipality" value=mid.to_string()/>
                    <label class="label" for=format!("gemeente-{mid}-naam")>{tr("Naam", "Name")}</label>
                    <input id=format!("gemeente-{mid}-naam") type="text" name="name" required
                        value=name maxlength=(2 * AREA_NAME_MAX).to_string()/>
                    <label class="label" for=format!("gemeente-{mid}-code")>{tr("CBS-code", "CBS code")}</label>
                    <input id=format!("gemeente-{mid}-code") type="text" name="cbs_code" required
                        value=code spellcheck="false" maxlength="20"/>
                    <button type="submit" class="button" on:click=using>{tr("Opslaan", "Save")}</button>
                </ActionForm>
            </details>

            {if m.neighbourhoods.is_empty() {
                view! { <p class="note">{tr(
                    "Deze gemeente heeft nog geen wijken. Voeg ze hieronder toe of lees ze in uit de lijst van het CBS.",
                    "This municipality has no neighbourhoods yet. Add them below or import them from the CBS list.",
                )}</p> }.into_any()
            } else {
                view! {
                    <table class="area-table">
                        <caption class="visually-hidden">{caption}</caption>
                        <thead><tr>
                            <th scope="col">{tr("Wijk", "Neighbourhood")}</th>
                            <th scope="col">{tr("CBS-code", "CBS code")}</th>
                            <th scope="col">{tr("Verhalen", "Stories")}</th>
                            <th scope="col">{tr("Groepen", "Groups")}</th>
                            <th scope="col">{tr("Wijzigen", "Change")}</th>
                        </tr></thead>
                        <tbody>
                            {m.neighbourhoods.into_iter().map(|n| view! {
                                <NeighbourhoodRow n=n municipality=mid actions=actions/>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}

            <h3>{tr("Wijk toevoegen", "Add a neighbourhood")}</h3>
            <ActionForm action=actions.create attr:class="form inline-form">
                <input type="hidden" name="municipality" value=mid.to_string()/>
                <input type="hidden" name="neighbourhood" value=m.new_neighbourhood.to_string()/>
                <label class="label" for=format!("gemeente-{mid}-nieuw-naam")>{tr("Naam", "Name")}</label>
                <input id=format!("gemeente-{mid}-nieuw-naam") type="text" name="name" required
                    maxlength=(2 * AREA_NAME_MAX).to_string()/>
                <label class="label" for=format!("gemeente-{mid}-nieuw-code")>{tr("CBS-code (WK of BU, mag leeg)", "CBS code (WK or BU, optional)")}</label>
                <input id=format!("gemeente-{mid}-nieuw-code") type="text" name="cbs_code"
                    spellcheck="false" maxlength="20" placeholder=code_placeholder/>
                <button type="submit" class="button" on:click=using>{tr("Toevoegen", "Add")}</button>
            </ActionForm>

            <h3>{tr("Inlezen uit de lijst van het CBS", "Import from the CBS list")}</h3>
            <ActionForm action=actions.import attr:class="form">
                <input type="hidden" name="municipality" value=mid.to_string()/>
                <fieldset class="choice-row">
                    <legend>{tr("De lijst bevat", "The list holds")}</legend>
                    <label class="check">
                        <input type="radio" name="level" value="wijk" checked=true/>
                        <span>{tr("wijken (WK)", "districts (WK)")}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="level" value="buurt"/>
                        <span>{tr("buurten (BU)", "neighbourhoods (BU)")}</span>
                    </label>
                </fieldset>
                <div class="field">
                    <label class="label" for=format!("{list_id}-bestand")>{tr("CSV-bestand", "CSV file")}</label>
                    <input id=format!("{list_id}-bestand") type="file" accept=".csv,text/csv,text/plain"
                        on:change=move |ev| read_file_into(ev, list_id_static(mid))/>
                </div>
                <div class="field">
                    <label class="label" for=list_id.clone()>{tr("Of plak de lijst", "Or paste the list")}</label>
                    <p class="hint" id=format!("{list_id}-hulp")>{tr(
                        "Zoals het CBS hem publiceert: een kopregel en dan één wijk per regel, kolommen gescheiden door puntkomma’s, bijvoorbeeld ‘WK_CODE;WK_NAAM’. Regels van andere gemeenten worden overgeslagen. Is één regel fout, dan wordt niets ingelezen.",
                        "As CBS publishes it: a header row, then one area per line, columns separated by semicolons, e.g. ‘WK_CODE;WK_NAAM’. Lines of other municipalities are skipped. If one line is wrong, nothing is imported.",
                    )}</p>
                    <TextArea attr:id=list_id.clone() attr:name="csv" attr:rows="6" attr:required=true
                        attr:aria-describedby=format!("{list_id}-hulp")
                        prop:value=move || {
                            actions.import.version().get();
                            actions.lists.with_value(|l| l.get(&mid).cloned()).unwrap_or_default()
                        }
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            actions.lists.update_value(|l| { l.insert(mid, v); });
                        }/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" on:click=using>{tr("Inlezen", "Import")}</button>
                </div>
            </ActionForm>
            {move || report().map(|r| view! { <ImportResult r=r/> })}
        </section>
    }
}

fn list_id_static(mid: MunicipalityId) -> String {
    format!("gemeente-{mid}-lijst")
}

/// Reads the chosen file into the list box (with JavaScript; without it,
/// the list is pasted).
fn read_file_into(ev: leptos::ev::Event, target: String) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await else {
                return;
            };
            let Some(text) = text.as_string() else { return };
            if let Some(area) = document()
                .get_element_by_id(&target)
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                area.set_value(&text);
                let _ = area.dispatch_event(&web_sys::Event::new("input").unwrap());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, target);
}

#[component]
fn NeighbourhoodRow(
    n: NeighbourhoodAdmin,
    municipality: MunicipalityId,
    actions: Actions,
) -> impl IntoView {
    let nid = n.id;
    let using = move |_: leptos::ev::MouseEvent| actions.using(municipality);
    let edit_label = format!(": {}", n.name);
    let archive_label = edit_label.clone();
    let name = n.name.clone();
    view! {
        <tr class:archived=n.archived>
            <th scope="row">
                {n.name.clone()}
                {n.archived.then(|| view! { <span class="badge">{tr("gearchiveerd", "archived")}</span> })}
            </th>
            <td>{n.cbs_code.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{n.stories.to_string()}</td>
            <td>{n.groups.to_string()}</td>
            <td>
                <details>
                    <summary>{tr("Wijzigen", "Edit")}<span class="visually-hidden">{edit_label}</span></summary>
                    <ActionForm action=actions.update attr:class="form">
                        <input type="hidden" name="neighbourhood" value=nid.to_string()/>
                        <label class="label" for=format!("wijk-{nid}-naam")>{tr("Naam", "Name")}</label>
                        <input id=format!("wijk-{nid}-naam") type="text" name="name" required
                            value=name maxlength=(2 * AREA_NAME_MAX).to_string()/>
                        <label class="label" for=format!("wijk-{nid}-code")>{tr("CBS-code", "CBS code")}</label>
                        <input id=format!("wijk-{nid}-code") type="text" name="cbs_code"
                            value=n.cbs_code.clone().unwrap_or_default() spellcheck="false" maxlength="20"/>
                        <button type="submit" class="button" on:click=using>{tr("Opslaan", "Save")}</button>
                    </ActionForm>
                    <ActionForm action=actions.archive attr:class="form">
                        <input type="hidden" name="neighbourhood" value=nid.to_string()/>
                        {(!n.archived).then(|| view! { <input type="hidden" name="archived" value="true"/> })}
                        <button type="submit" class="button button-quiet" on:click=using>
                            {if n.archived { tr("Weer in gebruik nemen", "Use again") } else { tr("Archiveren", "Archive") }}
                            <span class="visually-hidden">{archive_label}</span>
                        </button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

/// What an import did, or why it did nothing.
#[component]
fn ImportResult(r: ImportReport) -> impl IntoView {
    let lang = use_lang();
    if !r.problems.is_empty() {
        return view! {
            <div class="error-note" role="alert">
                <p>{tr(
                    "Er is niets ingelezen: verbeter deze regels en lees de lijst opnieuw in.",
                    "Nothing was imported: correct these lines and import the list again.",
                )}</p>
                <ul class="line-problems">
                    {r.problems.into_iter().map(|p| view! {
                        <li>
                            <strong>{format!("{} {}", lang.pick("Regel", "Line"), p.line)}</strong>
                            {format!(": {} ", p.message.get(lang))}
                            <code>{p.text}</code>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    let line = |n: usize, nl: &str, en: &str| format!("{n} {}", lang.pick(nl, en));
    view! {
        <div class="note" role="status">
            <p>{tr("De lijst is ingelezen.", "The list was imported.")}</p>
            <ul>
                <li>{line(r.created.len(), "nieuwe wijken", "new neighbourhoods")}</li>
                <li>{line(r.renamed.len(), "wijken kregen de naam van het CBS", "neighbourhoods got the CBS name")}</li>
                <li>{line(r.coded.len(), "bestaande wijken kregen hun CBS-code", "existing neighbourhoods got their CBS code")}</li>
                <li>{line(r.unchanged, "stonden er al", "were there already")}</li>
                <li>{line(r.other_municipalities + r.other_levels, "regels van andere gemeenten of niveaus overgeslagen", "lines of other municipalities or levels skipped")}</li>
            </ul>
        </div>
    }
    .into_any()
}
