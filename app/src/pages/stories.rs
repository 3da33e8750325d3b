//! The student's stories: list, new, edit; and the story page shared by all
//! readers (with the lecturer's review panel).

use super::audio::{
    recordings_of, RecorderPanel, RecordingBadge, RecordingItems, RemoveRecordingForm,
};
use super::comments::{CommentActions, CommentThreads};
use super::media::PhotoSection;
use super::signature::SignaturePad;
use super::story_curation::{curation_resource, CurationData, StoryCuration};
use crate::api::stories::{get_story, load_new_story, my_stories, ReviewStory, SaveStory};
use crate::client::audio::Recorder;
use crate::client::autosave::{EditorClient, EditorSetup, SaveState};
use crate::components::{error_view, ErrorNote, Loading, StatusBadge, StoryList, TextArea};
use crate::domain::consent::{ConsentScope, ConsentScopes};
use crate::domain::ids::{GroupId, NeighbourhoodId, QuestionId, StoryId};
use crate::domain::lifecycle::StoryStatus;
use crate::domain::media::MediaKind;
use crate::domain::story_form::{FieldKey, AGE_BANDS};
use crate::domain::text::{Field, FieldProblem};
use crate::i18n::{tr, use_lang};
use crate::model::{CommentView, ConsentText, GroupInfo, GuideQuestion, StoryDetail};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;

/// The student's stories.
#[component]
pub fn MyStories() -> impl IntoView {
    let stories = Resource::new(|| (), |_| my_stories());
    view! {
        <Title text=tr("Mijn verhalen", "My stories")/>
        <div class="page-head">
            <h1>{tr("Mijn verhalen", "My stories")}</h1>
            <a class="button button-primary button-large" href=crate::routes::NEW_STORY>
                {tr("Nieuw interview", "New interview")}
            </a>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match stories.await {
                    Ok(list) => view! {
                        <StoryList
                            stories=list
                            empty=tr("Uw groep heeft nog geen verhalen. Begin met een nieuw interview.", "Your group has no stories yet. Start a new interview.")
                        />
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// A new interview.
#[component]
pub fn NewStory() -> impl IntoView {
    let form = Resource::new(|| (), |_| load_new_story());
    view! {
        <Title text=tr("Nieuw interview", "New interview")/>
        <h1>{tr("Nieuw interview", "New interview")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) if f.groups.is_empty() => view! {
                        <p class="note">{tr(
                            "U zit (nog) niet in een groep met een open editie. Vraag uw docent om u toe te voegen.",
                            "You are not (yet) in a group with an open edition. Ask your lecturer to add you.",
                        )}</p>
                    }
                    .into_any(),
                    Ok(f) => {
                        let group = f.groups[0].id;
                        let data = EditorData {
                            user: f.user,
                            id: f.story_id,
                            version: 0,
                            save_id: f.save_id,
                            groups: f.groups,
                            group,
                            neighbourhood: None,
                            title: String::new(),
                            pseudonym: String::new(),
                            first_name: None,
                            age_band: None,
                            years: None,
                            scopes: ConsentScopes::none(),
                            witness: None,
                            consent: None,
                            questions: f.questions,
                            answers: BTreeMap::new(),
                            consent_text: f.consent_text,
                            problems: Vec::new(),
                            comments: Vec::new(),
                            status: StoryStatus::Draft,
                            recordings: Vec::new(),
                        };
                        view! { <StoryEditor data=data/> }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

fn story_id_param() -> impl Fn() -> Option<StoryId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(crate::routes::param::STORY)
            .and_then(|s| StoryId::parse(&s))
    }
}

/// Editing an existing story.
#[component]
pub fn EditStory() -> impl IntoView {
    let id = story_id_param();
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_story(id).await,
            None => Err(crate::error::AppError::not_found()),
        }
    });
    let query = use_query_map();
    let tried_submit = move || query.read().get(crate::routes::TRIED_SUBMIT).is_some();
    view! {
        <Title text=tr("Interview bewerken", "Edit interview")/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) if d.edit.is_some() => {
                        let edit = d.edit.clone().unwrap_or_else(|| unreachable!());
                        let title = d.title.clone();
                        let media = d.media.clone();
                        let data = EditorData {
                            user: edit.user,
                            id: d.id,
                            version: d.version,
                            save_id: edit.save_id,
                            groups: vec![GroupInfo {
                                id: d.group,
                                name: d.group_name.clone(),
                                edition: crate::domain::ids::EditionId(uuid::Uuid::nil()),
                                year: d.year,
                                edition_open: true,
                                neighbourhoods: edit.neighbourhoods,
                            }],
                            group: d.group,
                            neighbourhood: Some(d.neighbourhood.id),
                            title: d.title,
                            pseudonym: d.resident.pseudonym,
                            first_name: d.resident.first_name,
                            age_band: d.resident.age_band,
                            years: d.resident.years_in_neighbourhood,
                            scopes: d.consent.as_ref().map(|c| c.scopes).unwrap_or_default(),
                            witness: d.consent.as_ref().and_then(|c| c.witness_name.clone()),
                            consent: d.consent.clone(),
                            questions: d.questions,
                            answers: d.answers,
                            consent_text: edit.consent_text,
                            problems: d.problems,
                            comments: d.comments,
                            status: d.status,
                            recordings: recordings_of(&media),
                        };
                        let heading = if title.trim().is_empty() {
                            tr("Interview bewerken", "Edit interview").to_string()
                        } else {
                            title
                        };
                        view! {
                            <h1>{heading}</h1>
                            {tried_submit().then(|| view! {
                                <p class="note note-error" role="alert">{tr(
                                    "Nog niet ingediend: los eerst de punten hieronder op. Uw tekst is bewaard.",
                                    "Not submitted yet: first resolve the points below. Your text has been saved.",
                                )}</p>
                            })}
                            <StoryEditor data=data/>
                            <PhotoSection story=d.id media=media editable=true/>
                        }
                        .into_any()
                    }
                    Ok(d) => view! {
                        <p class="note">{tr(
                            "Dit verhaal kan niet (meer) worden bewerkt.",
                            "This story cannot be edited (any more).",
                        )}</p>
                        <p><a href=crate::routes::story(d.id)>{tr("Bekijk het verhaal", "View the story")}</a></p>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// Everything the editor shows.
#[derive(Debug, Clone)]
pub struct EditorData {
    user: crate::domain::ids::UserId,
    id: StoryId,
    version: i64,
    save_id: String,
    groups: Vec<GroupInfo>,
    group: GroupId,
    neighbourhood: Option<NeighbourhoodId>,
    title: String,
    pseudonym: String,
    first_name: Option<String>,
    age_band: Option<String>,
    years: Option<i64>,
    scopes: ConsentScopes,
    witness: Option<String>,
    consent: Option<crate::model::ConsentInfo>,
    questions: Vec<GuideQuestion>,
    answers: BTreeMap<QuestionId, String>,
    consent_text: Option<ConsentText>,
    problems: Vec<FieldProblem>,
    comments: Vec<CommentView>,
    status: StoryStatus,
    recordings: Vec<crate::model::MediaView>,
}

/// The interview form: neighbourhood, resident, consent, one card per
/// guide question, title; save as draft or hand in.
#[component]
fn StoryEditor(data: EditorData) -> impl IntoView {
    let lang = use_lang();
    let neighbourhoods: Vec<_> = data
        .groups
        .iter()
        .flat_map(|g| g.neighbourhoods.iter().cloned())
        .collect();
    let client = EditorClient::new(
        EditorSetup {
            user: data.user,
            story: data.id,
            version: data.version,
            questions: data.questions.clone(),
            neighbourhoods,
        },
        data.problems.clone(),
    );
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| client.start());
    let recorder = Recorder::new(data.id, data.user, data.recordings.clone());
    Effect::new(move |_| recorder.mount());
    let recorder_panel = view! {
        <RecorderPanel recorder=recorder before_start=move |_| client.on_leave_field()/>
    }
    .into_any();
    let version = client.version;
    let save_id = RwSignal::new(data.save_id.clone());
    let problems = client.problems;
    let total = data.questions.len();
    let has_problem = move |field: Field| problems.with(|ps| ps.iter().any(|p| p.field == field));
    let problem_for = move |field: Field| {
        move || {
            problems
                .get()
                .into_iter()
                .find(|p| p.field == field)
                .map(|p| view! { <p class="field-problem" id=problem_id(field)>{p.message.get(lang).to_string()}</p> })
        }
    };
    let invalid = move |field: Field| move || has_problem(field).then_some("true");
    let described = move |field: Field| move || has_problem(field).then(|| problem_id(field));
    let neighbourhood_options: Vec<_> = data
        .groups
        .iter()
        .flat_map(|g| g.neighbourhoods.iter().map(move |n| (g.id, n.clone())))
        .collect();
    let several_groups = data.groups.len() > 1;
    let general_comments: Vec<CommentView> = data
        .comments
        .iter()
        .filter(|c| c.question.is_none() && !c.resolved)
        .cloned()
        .collect();
    // The fields, type-erased: the whole form as one type is too deep for rustc.
    let body = view! {
            <section class="panel" aria-labelledby="wijk-kop">
                <h2 id="wijk-kop">{tr("Wijk", "Neighbourhood")}</h2>
                {if several_groups {
                    view! {
                        <div class="field">
                            <label class="label" for="veld-groep">{tr("Groep", "Group")}</label>
                            <select id="veld-groep" name="form[group]">
                                {data.groups.iter().map(|g| view! {
                                    <option value=g.id.to_string() selected=g.id == data.group>{format!("{} ({})", g.name, g.year)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="form[group]" value=data.group.to_string()/> }.into_any()
                }}
                <div class="field">
                    <label class="label" for="veld-wijk">{tr("Wijk waar de bewoner woont", "Neighbourhood the resident lives in")}</label>
                    <select id="veld-wijk" name=FieldKey::Neighbourhood.form_name() required aria-invalid=invalid(Field::Neighbourhood) aria-describedby=described(Field::Neighbourhood)>
                        <option value="" disabled selected=data.neighbourhood.is_none()>{tr("Kies een wijk…", "Choose a neighbourhood…")}</option>
                        {neighbourhood_options.into_iter().map(|(_, n)| {
                            let label = match &n.cbs_code {
                                Some(code) => format!("{} — {} ({code})", n.name, n.municipality),
                                None => format!("{} — {}", n.name, n.municipality),
                            };
                            view! { <option value=n.id.to_string() selected=Some(n.id) == data.neighbourhood>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {problem_for(Field::Neighbourhood)}
            </section>

            <section class="panel" aria-labelledby="bewoner-kop">
                <h2 id="bewoner-kop">{tr("Bewoner", "Resident")}</h2>
                <p class="hint">{tr(
                    "Gebruik een schuilnaam die u samen met de bewoner kiest. Geen adres, telefoonnummer of e-mail.",
                    "Use a pseudonym chosen together with the resident. No address, phone number or e-mail.",
                )}</p>
                <div class="field">
                    <label class="label" for="veld-schuilnaam">{tr("Schuilnaam", "Pseudonym")}</label>
                    <input id="veld-schuilnaam" type="text" name=FieldKey::Pseudonym.form_name() value=data.pseudonym.clone() autocomplete="off" maxlength="240"
                        aria-invalid=invalid(Field::Pseudonym) aria-describedby=described(Field::Pseudonym)/>
                </div>
                {problem_for(Field::Pseudonym)}
                <div class="field">
                    <label class="label" for="veld-voornaam">{tr("Echte voornaam (mag leeg blijven)", "Real first name (may stay empty)")}</label>
                    <p class="hint" id="uitleg-voornaam">{tr(
                        "Alleen de voornaam. Die komt alleen in het boekje als de bewoner daar hieronder toestemming voor geeft (‘echte voornaam’); anders staat de schuilnaam erin.",
                        "First name only. It is printed in the booklet only if the resident allows it below (‘real first name’); otherwise the pseudonym is used.",
                    )}</p>
                    <input id="veld-voornaam" type="text" name=FieldKey::FirstName.form_name() value=data.first_name.clone().unwrap_or_default() autocomplete="off" maxlength="100"
                        aria-invalid=invalid(Field::FirstName) aria-describedby=move || if has_problem(Field::FirstName) {
                            format!("uitleg-voornaam {}", problem_id(Field::FirstName))
                        } else {
                            "uitleg-voornaam".to_string()
                        }/>
                </div>
                {problem_for(Field::FirstName)}
                <div class="field-row">
                    <div class="field">
                        <label class="label" for="veld-leeftijd">{tr("Leeftijdsgroep", "Age band")}</label>
                        <select id="veld-leeftijd" name=FieldKey::AgeBand.form_name()>
                            <option value="" selected=data.age_band.is_none()>{tr("— niet gevraagd —", "— not asked —")}</option>
                            {AGE_BANDS.iter().map(|a| view! {
                                <option value=*a selected=data.age_band.as_deref() == Some(*a)>{*a}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label class="label" for="veld-jaren">{tr("Jaren in de wijk", "Years in the neighbourhood")}</label>
                        <input id="veld-jaren" type="text" inputmode="numeric" pattern="[0-9]*" name=FieldKey::Years.form_name()
                            value=data.years.map(|y| y.to_string()).unwrap_or_default()/>
                    </div>
                </div>
            </section>

            <section class="panel" aria-labelledby="toestemming-kop">
                <h2 id="toestemming-kop">{tr("Toestemming", "Consent")}</h2>
                {match data.consent_text.clone() {
                    Some(t) => view! {
                        <div class="consent-text" role="region" tabindex="0" aria-label=tr("Toestemmingstekst", "Consent text")>
                            <p class="consent-version">{format!("{} {}", lang.pick("Versie", "Version"), t.version)}</p>
                            {t.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
                        </div>
                    }.into_any(),
                    None => view! { <p class="note">{tr("Er is nog geen toestemmingstekst voor deze editie.", "There is no consent text for this edition yet.")}</p> }.into_any(),
                }}
                <fieldset class="checks" aria-invalid=invalid(Field::Consent) aria-describedby=described(Field::Consent)>
                    <legend>{tr("De bewoner geeft toestemming voor:", "The resident consents to:")}</legend>
                    {ConsentScope::ALL.into_iter().map(|scope| {
                        let (nl, en) = scope.label();
                        view! {
                            <label class="check">
                                <input type="checkbox" name=FieldKey::Scopes.form_name() value=scope.as_str() checked=data.scopes.contains(scope)/>
                                <span>{lang.pick(nl, en)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <SignaturePad story=data.id consent=data.consent.clone() client=client/>
                <p class="hint">{tr(
                    "Kan de bewoner niet tekenen (of werkt het scherm niet)? Vul dan de naam in van de student die de toestemming heeft gezien.",
                    "Can the resident not sign (or does the screen not work)? Then fill in the name of the student who witnessed the consent.",
                )}</p>
                <div class="field">
                    <label class="label" for="veld-getuige">{tr("Naam van de student die de toestemming heeft gezien", "Name of the student who witnessed the consent")}</label>
                    <input id="veld-getuige" type="text" name=FieldKey::Witness.form_name() value=data.witness.clone().unwrap_or_default() autocomplete="name"/>
                </div>
                {problem_for(Field::Consent)}
            </section>

            {recorder_panel}

            <section class="panel" aria-labelledby="gesprek-kop">
                <h2 id="gesprek-kop">{tr("Het gesprek", "The conversation")}</h2>
                <ol class="question-cards" role="list">
                    {data.questions.iter().enumerate().map(|(i, q)| {
                        let key = FieldKey::Answer(q.id).form_name();
                        let field_id = format!("antwoord-{}", q.id);
                        let answer = data.answers.get(&q.id).cloned().unwrap_or_default();
                        let comments: Vec<CommentView> = data.comments.iter().filter(|c| c.question == Some(q.id) && !c.resolved).cloned().collect();
                        let progress = format!("{} {} {} {}", lang.pick("Vraag", "Question"), i + 1, lang.pick("van", "of"), total);
                        view! {
                            <li class="question-card">
                                <p class="progress">{progress}</p>
                                <label for=field_id.clone() class="question">
                                    {q.text.clone()}
                                    {q.required.then(|| view! { <span class="required">{tr(" (verplicht)", " (required)")}</span> })}
                                    {q.archived.then(|| view! { <span class="hint">{tr(" (niet meer in de vragenlijst)", " (no longer in the guide)")}</span> })}
                                </label>
                                {(!q.help_text.is_empty()).then(|| view! { <p class="hint">{q.help_text.clone()}</p> })}
                                <TextArea value=answer attr:id=field_id attr:name=key attr:rows="6"
                                    attr:aria-invalid=invalid(Field::Answer(q.id)) attr:aria-describedby=described(Field::Answer(q.id))/>
                                {problem_for(Field::Answer(q.id))}
                                {(!comments.is_empty()).then(|| view! { <CommentList comments=comments/> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>

            <section class="panel" aria-labelledby="titel-kop">
                <h2 id="titel-kop">{tr("Titel", "Title")}</h2>
                <div class="field">
                    <label class="label" for="veld-titel">{tr("Titel van het verhaal", "Title of the story")}</label>
                    <input id="veld-titel" type="text" name=FieldKey::Title.form_name() value=data.title.clone() maxlength="480"
                        aria-invalid=invalid(Field::Title) aria-describedby=described(Field::Title)/>
                </div>
                {problem_for(Field::Title)}
            </section>
    }
    .into_any();
    view! {
        <form
            node_ref=client.form
            method="post"
            action=SaveStory::url()
            class="form story-form"
            novalidate
            on:input=move |_| client.on_input()
            on:change=move |_| client.on_input()
            on:focusout=move |_| client.on_leave_field()
            on:submit=move |ev| {
                if !recorder.holds_submit(&ev) {
                    client.on_submit_event(ev)
                }
            }
        >
            <input type="hidden" name="form[id]" value=data.id.to_string()/>
            <input type="hidden" name="form[save_id]" value=move || save_id.get()/>
            <input type="hidden" name="form[version]" value=move || version.get().to_string()/>

            <ConflictPanel client=client/>
            {move || client.notice.get().map(|m| view! {
                <p class="note" role="status">{m.get(lang).to_string()}</p>
            })}
            {(!general_comments.is_empty()).then(|| view! {
                <section class="panel comments-panel" aria-labelledby="opmerkingen-kop">
                    <h2 id="opmerkingen-kop">{tr("Opmerkingen van uw docent", "Comments from your lecturer")}</h2>
                    <CommentList comments=general_comments/>
                </section>
            })}

            {body}

            <div class="form-actions sticky-actions">
                <RecordingBadge recorder=recorder/>
                <p class="save-state" aria-live="polite" data-state=move || client.state.with(SaveState::code)>
                    {move || client.state.with(|s| s.label(lang))}
                </p>
                {move || match client.state.get() {
                    SaveState::Failed(e) => Some(view! { <ErrorNote error=e/> }),
                    _ => None,
                }}
                <button type="submit" name="form[intent]" value="save" class="button button-large">
                    {tr("Concept opslaan", "Save draft")}
                </button>
                <button type="submit" name="form[intent]" value="submit" class="button button-primary button-large">
                    {if data.status == StoryStatus::ChangesRequested { tr("Opnieuw indienen", "Resubmit") } else { tr("Indienen", "Submit") }}
                </button>
            </div>
        </form>
        <RemoveRecordingForm/>
    }
}

/// Both versions of a story side by side when someone else saved in between;
/// the student chooses which one to keep.
#[component]
fn ConflictPanel(client: EditorClient) -> impl IntoView {
    move || {
        client.conflict.get().map(|c| {
            view! {
                <section class="panel conflict-panel" role="alertdialog" aria-modal="false"
                    aria-labelledby="conflict-kop" aria-describedby="conflict-uitleg">
                    <h2 id="conflict-kop">{tr(
                        "Iemand anders heeft dit verhaal intussen gewijzigd",
                        "Someone else changed this story in the meantime",
                    )}</h2>
                    <p id="conflict-uitleg">{tr(
                        "Uw tekst is niet verloren: hij staat nog op dit apparaat. Vergelijk de twee versies en kies welke u houdt.",
                        "Your text is not lost: it is still on this device. Compare the two versions and choose which one to keep.",
                    )}</p>
                    <table class="conflict-table">
                        <thead>
                            <tr>
                                <th scope="col">{tr("Onderdeel", "Part")}</th>
                                <th scope="col">{tr("Uw versie (dit apparaat)", "Your version (this device)")}</th>
                                <th scope="col">{format!("{} {}", tr("Op de server, versie", "On the server, version"), c.server_version)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {c.rows.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.label}</th>
                                    <td class="mine">{r.mine}</td>
                                    <td class="theirs">{r.theirs}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <div class="form-actions">
                        <button type="button" class="button button-large" on:click=move |_| client.take_theirs()>
                            {tr("Versie van de server nemen", "Take the server's version")}
                        </button>
                        <button type="button" class="button button-primary button-large" on:click=move |_| client.keep_mine()>
                            {tr("Mijn versie bewaren", "Keep my version")}
                        </button>
                    </div>
                </section>
            }
        })
    }
}

/// The id of the element that describes a field's problem.
fn problem_id(field: Field) -> String {
    match field {
        Field::Title => "fout-titel".into(),
        Field::Pseudonym => "fout-schuilnaam".into(),
        Field::Answer(q) => format!("fout-antwoord-{q}"),
        Field::Neighbourhood => "fout-wijk".into(),
        Field::Consent => "fout-toestemming".into(),
        Field::Comment => "fout-opmerking".into(),
        Field::Witness => "fout-getuige".into(),
        Field::FirstName => "fout-voornaam".into(),
        Field::Caption => "fout-bijschrift".into(),
        Field::AltText => "fout-beschrijving".into(),
        Field::GroupName => "fout-groepsnaam".into(),
        Field::PersonName => "fout-naam".into(),
        Field::Email => "fout-email".into(),
        Field::AreaName => "fout-gebiedsnaam".into(),
        Field::CbsCode => "fout-cbs-code".into(),
        Field::Year => "fout-jaar".into(),
        Field::ConsentText => "fout-toestemmingstekst".into(),
    }
}

/// Comments, oldest first.
#[component]
fn CommentList(comments: Vec<CommentView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="comments">
            {comments.into_iter().map(|c| view! {
                <li class="comment">
                    <p class="comment-meta">{format!("{} · {}", c.author, c.created_at.short(lang))}</p>
                    {c.body.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The story page: the text, consent, comments; for lecturers the review
/// panel, for students a link to edit.
#[component]
pub fn StoryPage() -> impl IntoView {
    let id = story_id_param();
    let review = ServerAction::<ReviewStory>::new();
    let comments = CommentActions::new();
    let detail = Resource::new(
        move || (id(), review.version().get(), comments.version()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_story(id).await,
                None => Err(crate::error::AppError::not_found()),
            }
        },
    );
    let curation_saved = RwSignal::new(0u32);
    let curation = curation_resource(id, curation_saved);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <StoryView detail=d review=review comments=comments curation=curation curation_saved=curation_saved/>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StoryView(
    detail: StoryDetail,
    review: ServerAction<ReviewStory>,
    comments: CommentActions,
    curation: CurationData,
    curation_saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let d = detail;
    let title = if d.title.trim().is_empty() {
        tr("(nog zonder titel)", "(untitled)").to_string()
    } else {
        d.title.clone()
    };
    let review_error = move || review.value().get().and_then(Result::err);
    let recordings = recordings_of(&d.media);
    let can_comment = d.can.comment;
    let anchors: Vec<(String, String)> = d
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            (
                q.id.to_string(),
                format!("{} {}: {}", lang.pick("Vraag", "Question"), i + 1, q.text),
            )
        })
        .collect();
    view! {
        <Title text=title.clone()/>
        <article class="story">
            <header class="story-head">
                <h1>{title}</h1>
                <StatusBadge status=d.status/>
                <p class="story-meta">
                    {format!("{} ({}) · {} · {} {}", d.neighbourhood.name, d.neighbourhood.municipality, d.group_name, lang.pick("editie", "edition"), d.year)}
                </p>
                <p class="story-meta">
                    {format!("{}: {}", lang.pick("Bewoner", "Resident"), d.resident.pseudonym)}
                    {d.resident.age_band.clone().map(|a| format!(" · {a}"))}
                    {d.resident.years_in_neighbourhood.map(|y| format!(" · {y} {}", lang.pick("jaar in de wijk", "years in the neighbourhood")))}
                </p>
                {d.can.edit.then(|| view! {
                    <a class="button button-primary button-large" href=crate::routes::edit_story(d.id)>{tr("Bewerken", "Edit")}</a>
                })}
            </header>

            {d.since_review.clone().map(|diff| view! {
                <section class="panel diff-panel" aria-labelledby="sinds-kop">
                    <h2 id="sinds-kop">{tr("Wat is er veranderd sinds de vorige indiening", "What changed since the previous submission")}</h2>
                    <super::history::StoryDiffView diff=diff only_changed=true/>
                </section>
            })}
            <p><a href=crate::routes::story_history(d.id)>{tr("Geschiedenis: alle versies", "History: all versions")}</a></p>

            {d.can.review.then(|| view! {
                <section class="panel review-panel" aria-labelledby="beoordeling-kop">
                    <h2 id="beoordeling-kop">{tr("Beoordeling", "Review")}</h2>
                    {move || review_error().map(|e| view! { <ErrorNote error=e/> })}
                    <ActionForm action=review attr:class="form">
                        <input type="hidden" name="id" value=d.id.to_string()/>
                        <input type="hidden" name="version" value=d.version.to_string()/>
                        <div class="field">
                            <label class="label" for="veld-over">{tr("De opmerking gaat over", "The comment is about")}</label>
                            <select id="veld-over" name="question">
                                <option value="">{tr("het hele verhaal", "the whole story")}</option>
                                {anchors.into_iter().map(|(value, label)| view! {
                                    <option value=value>{label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label class="label" for="veld-opmerking">{tr("Opmerking voor de studenten (verplicht bij aanpassingen vragen)", "Comment for the students (required when requesting changes)")}</label>
                            <TextArea attr:id="veld-opmerking" attr:name="comment" attr:rows="4"/>
                        </div>
                        <div class="form-actions">
                            <button type="submit" name="decision" value="request_changes" class="button button-large">{tr("Om aanpassingen vragen", "Request changes")}</button>
                            <button type="submit" name="decision" value="approve" class="button button-primary button-large">{tr("Goedkeuren", "Approve")}</button>
                        </div>
                    </ActionForm>
                </section>
            })}

            {(can_comment || d.comments.iter().any(|c| c.question.is_none())).then(|| view! {
                <section class="panel comments-panel" aria-labelledby="opm-kop">
                    <h2 id="opm-kop">{tr("Opmerkingen over het verhaal", "Comments on the story")}</h2>
                    <CommentThreads story=d.id question=None comments=d.comments.clone() can_comment=can_comment actions=comments/>
                </section>
            })}

            <section class="panel" aria-labelledby="toest-kop">
                <h2 id="toest-kop">{tr("Toestemming", "Consent")}</h2>
                {match d.consent.clone() {
                    Some(c) => view! {
                        <ul class="scope-list">
                            {ConsentScope::ALL.into_iter().map(|s| {
                                let (nl, en) = s.label();
                                let yes = c.scopes.contains(s);
                                view! {
                                    <li class:granted=yes>
                                        <span class="scope-mark" aria-hidden="true">{if yes { "✓" } else { "✗" }}</span>
                                        <span class="visually-hidden">{if yes { tr("Ja: ", "Yes: ") } else { tr("Nee: ", "No: ") }}</span>
                                        {lang.pick(nl, en)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p class="hint">
                            {format!("{} {} · {}", lang.pick("Toestemmingstekst versie", "Consent text version"), c.text_version, c.signed_at.short(lang))}
                            {c.witness_name.clone().map(|w| format!(" · {} {w}", lang.pick("gezien door", "witnessed by")))}
                            {c.signed.then(|| format!(" · {}", lang.pick("getekend door de bewoner", "signed by the resident")))}
                        </p>
                        {c.signature.map(|id| view! {
                            <img class="signature-view" src=crate::routes::media(id) alt=tr("Handtekening van de bewoner", "The resident's signature") width="240" height="80"/>
                        })}
                    }.into_any(),
                    None => view! { <p class="note">{tr("Nog geen toestemming vastgelegd.", "No consent recorded yet.")}</p> }.into_any(),
                }}
                {d.can.withdraw.then(|| view! {
                    <super::withdrawal::WithdrawForm story=d.id version=d.version published=d.status == StoryStatus::Published/>
                })}
            </section>

            <section class="panel" aria-labelledby="gesprek-kop2">
                <h2 id="gesprek-kop2">{tr("Het gesprek", "The conversation")}</h2>
                <dl class="answers">
                    {d.questions.iter().map(|q| {
                        let answer = d.answers.get(&q.id).cloned().unwrap_or_default();
                        view! {
                            <dt id=format!("vraag-{}", q.id)>
                                {q.text.clone()}
                                {q.archived.then(|| view! { <span class="hint">{tr(" (niet meer in de vragenlijst)", " (no longer in the guide)")}</span> })}
                            </dt>
                            <dd>
                                {if answer.trim().is_empty() {
                                    view! { <p class="empty">{tr("(geen antwoord)", "(no answer)")}</p> }.into_any()
                                } else {
                                    answer.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view().into_any()
                                }}
                                <CommentThreads story=d.id question=Some(q.id) comments=d.comments.clone() can_comment=can_comment actions=comments/>
                            </dd>
                        }
                    }).collect_view()}
                </dl>
            </section>
            {d.media.iter().any(|m| m.kind == MediaKind::Photo).then(|| view! { <PhotoSection story=d.id media=d.media.clone() editable=false/> })}
            {(!recordings.is_empty()).then(|| view! {
                <section class="panel" aria-labelledby="opname-kop2">
                    <h2 id="opname-kop2">{tr("Geluidsopname", "Audio recording")}</h2>
                    <RecordingItems recordings=recordings.clone() remove=None/>
                </section>
            })}
            // Empty for whoever may not curate the story.
            <StoryCuration data=curation saved=curation_saved/>
        </article>
    }
}
