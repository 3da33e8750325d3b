//! Group administration (`/groepen?editie=<id>`): administrators and
//! researchers create the study groups of an edition, add students and
//! lecturers by pasting a list of e-mail addresses, and tick the
//! neighbourhoods each group interviews in.
//!
//! After adding people the page shows, once, the start passwords of the
//! accounts it created, and puts the lines it could not use back into the
//! box with the reason per line, so nothing typed is lost.

use crate::api::groups::{
    groups_admin, AddMembers, CreateGroup, RemoveMember, RenameGroup, SetNeighbourhood,
};
use crate::components::{error_view, EditionTabs, ErrorNote, Loading, TextArea};
use crate::domain::ids::{EditionId, GroupId};
use crate::domain::role::GroupRole;
use crate::domain::text::GROUP_NAME_MAX;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{GroupAdmin, GroupMemberView, GroupsView, MembersAdded, NeighbourhoodRef};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

/// The actions of the page, shared by all group cards so their results
/// survive the reload of the list.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateGroup>,
    rename: ServerAction<RenameGroup>,
    add: ServerAction<AddMembers>,
    remove: ServerAction<RemoveMember>,
    assign: ServerAction<SetNeighbourhood>,
    /// The group last acted on: its card shows errors and results.
    last: RwSignal<Option<GroupId>>,
    /// Text typed in each group's "add people" box, kept across reloads.
    drafts: StoredValue<HashMap<GroupId, String>>,
    /// A short announcement for screen readers.
    status: RwSignal<String>,
}

impl Actions {
    /// The error of the last action, if it concerned `group`.
    fn error_for(&self, group: GroupId) -> Option<AppError> {
        if self.last.get() != Some(group) {
            return None;
        }
        [
            self.rename.value().get().and_then(Result::err),
            self.add.value().get().and_then(Result::err),
            self.remove.value().get().and_then(Result::err),
            self.assign.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    /// Marks `group` as the one being changed; earlier results are done with.
    fn using(&self, group: GroupId) {
        self.last.set(Some(group));
        self.rename.value().set(None);
        self.remove.value().set(None);
        self.assign.value().set(None);
    }
}

/// The page.
#[component]
pub fn Groups() -> impl IntoView {
    let query = use_query_map();
    let edition = move || {
        query
            .read()
            .get("editie")
            .and_then(|e| EditionId::parse(&e))
    };
    let actions = Actions {
        create: ServerAction::new(),
        rename: ServerAction::new(),
        add: ServerAction::new(),
        remove: ServerAction::new(),
        assign: ServerAction::new(),
        last: RwSignal::new(None),
        drafts: StoredValue::new(HashMap::new()),
        status: RwSignal::new(String::new()),
    };
    let data = Resource::new(
        move || {
            (
                edition(),
                actions.create.version().get(),
                actions.rename.version().get(),
                actions.add.version().get(),
                actions.remove.version().get(),
                actions.assign.version().get(),
            )
        },
        |(e, ..)| groups_admin(e),
    );
    let lang = use_lang();
    Effect::new(move |_| {
        if let Some(Ok(result)) = actions.add.value().get() {
            // Lines that could not be used go back into the box.
            if let Some(group) = actions.last.get_untracked() {
                let rest: Vec<String> = result.problems.iter().map(|p| p.text.clone()).collect();
                actions.drafts.update_value(|d| {
                    d.insert(group, rest.join("\n"));
                });
            }
            let added = result.people.iter().filter(|p| !p.already_member).count();
            actions.status.set(format!(
                "{added} {}",
                lang.pick("mensen toegevoegd.", "people added.")
            ));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = actions.create.value().get() {
            actions
                .status
                .set(lang.pick("Groep aangemaakt.", "Group created.").to_string());
        }
    });
    view! {
        <Title text=tr("Groepen", "Groups")/>
        <h1>{tr("Groepen", "Groups")}</h1>
        <p class="visually-hidden" role="status">{move || actions.status.get()}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <GroupsBody v=v actions=actions/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn GroupsBody(v: GroupsView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let (status_nl, status_en) = v.edition.status.label();
    let lead = format!(
        "{} · {} {} · {} {}",
        v.edition.title,
        lang.pick("editie", "edition"),
        lang.pick(status_nl, status_en),
        v.groups.len(),
        if v.groups.len() == 1 {
            lang.pick("groep", "group")
        } else {
            lang.pick("groepen", "groups")
        }
    );
    let edition = v.edition.id;
    let neighbourhoods = StoredValue::new(v.neighbourhoods.clone());
    let create_error = move || actions.create.value().get().and_then(Result::err);
    view! {
        <EditionTabs editions=v.editions.clone() current=v.edition.id href=crate::routes::groups/>
        <p class="lead">{lead}</p>
        <p class="hint">{tr(
            "Studenten zien alleen de wijken van hun groep bij een nieuw interview; docenten beoordelen de verhalen van hun groepen.",
            "Students only see their group's neighbourhoods for a new interview; lecturers review the stories of their groups.",
        )}</p>

        {v.groups.into_iter().map(|g| view! {
            <GroupCard g=g neighbourhoods=neighbourhoods actions=actions/>
        }).collect_view()}

        <section class="panel" aria-labelledby="nieuwe-groep-kop">
            <h2 id="nieuwe-groep-kop">{tr("Nieuwe groep", "New group")}</h2>
            <ActionForm action=actions.create attr:class="form">
                <input type="hidden" name="edition" value=edition.to_string()/>
                <input type="hidden" name="group" value=v.new_group_id.to_string()/>
                <div class="field">
                    <label class="label" for="groepsnaam">{tr("Naam van de groep", "Group name")}</label>
                    <input id="groepsnaam" type="text" name="name" required
                        maxlength=(2 * GROUP_NAME_MAX).to_string()
                        placeholder=lang.pick("bijv. Groep 3 — Geleen-Zuid", "e.g. Group 3 — Geleen-Zuid")/>
                </div>
                {move || create_error().map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{tr("Groep aanmaken", "Create group")}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// One group: its name, neighbourhoods, lecturers, students and the box to
/// add people.
#[component]
fn GroupCard(
    g: GroupAdmin,
    neighbourhoods: StoredValue<Vec<NeighbourhoodRef>>,
    actions: Actions,
) -> impl IntoView {
    let lang = use_lang();
    let group = g.id;
    let heading = format!("groep-{group}-kop");
    let summary = format!(
        "{} {} · {} {} · {} {}",
        g.students.len(),
        lang.pick("studenten", "students"),
        g.lecturers.len(),
        lang.pick("docenten", "lecturers"),
        g.story_count,
        lang.pick("verhalen", "stories"),
    );
    let assigned = g.neighbourhoods.clone();
    let municipalities: Vec<String> = {
        let mut m: Vec<String> =
            neighbourhoods.with_value(|ns| ns.iter().map(|n| n.municipality.clone()).collect());
        m.dedup();
        m
    };
    let box_id = format!("groep-{group}-toevoegen");
    let draft = actions
        .drafts
        .with_value(|d| d.get(&group).cloned())
        .unwrap_or_default();
    let result = move || {
        actions
            .add
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|_| actions.last.get() == Some(group))
    };
    let warnings = {
        let mut w = Vec::new();
        if g.lecturers.is_empty() {
            w.push(lang.pick(
                "Deze groep heeft nog geen docent: niemand beoordeelt haar verhalen.",
                "This group has no lecturer yet: nobody reviews its stories.",
            ));
        }
        if g.neighbourhoods.is_empty() {
            w.push(lang.pick(
                "Deze groep heeft nog geen wijk: haar studenten kunnen nog geen interview beginnen.",
                "This group has no neighbourhood yet: its students cannot start an interview.",
            ));
        }
        w
    };
    view! {
        <section class="panel group-card" id=format!("groep-{group}") aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{g.name.clone()}</h2>
            <p class="hint">{summary}</p>
            {warnings.into_iter().map(|w| view! { <p class="note">{w}</p> }).collect_view()}
            {move || actions.error_for(group).map(|e| view! { <ErrorNote error=e/> })}

            <details class="group-rename">
                <summary>{tr("Naam wijzigen", "Rename")}</summary>
                <ActionForm action=actions.rename attr:class="form inline-form">
                    <input type="hidden" name="group" value=group.to_string()/>
                    <label class="label" for=format!("groep-{group}-naam")>{tr("Nieuwe naam", "New name")}</label>
                    <input id=format!("groep-{group}-naam") type="text" name="name" required
                        value=g.name.clone() maxlength=(2 * GROUP_NAME_MAX).to_string()/>
                    <button type="submit" class="button"
                        on:click=move |_: leptos::ev::MouseEvent| actions.using(group)>
                        {tr("Opslaan", "Save")}
                    </button>
                </ActionForm>
            </details>

            <fieldset class="group-neighbourhoods">
                <legend>{tr("Wijken", "Neighbourhoods")}</legend>
                {municipalities.into_iter().map(|m| {
                    let items: Vec<NeighbourhoodRef> = neighbourhoods.with_value(|ns| {
                        ns.iter().filter(|n| n.municipality == m).cloned().collect()
                    });
                    let assigned = assigned.clone();
                    view! {
                        <p class="label">{m.clone()}</p>
                        <ul class="check-list" role="list">
                            {items.into_iter().map(|n| {
                                let checked = assigned.contains(&n.id);
                                let nid = n.id;
                                view! {
                                    <li>
                                        <label class="check">
                                            <input type="checkbox" checked=checked
                                                on:change=move |ev| {
                                                    actions.using(group);
                                                    actions.assign.dispatch(SetNeighbourhood {
                                                        group,
                                                        neighbourhood: nid,
                                                        assigned: event_target_checked(&ev),
                                                    });
                                                }/>
                                            <span>{n.name.clone()}</span>
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                }).collect_view()}
            </fieldset>

            <h3>{tr("Docenten", "Lecturers")}</h3>
            <MemberList members=g.lecturers.clone() group=group role=GroupRole::Lecturer actions=actions/>
            <h3>{tr("Studenten", "Students")}</h3>
            <MemberList members=g.students.clone() group=group role=GroupRole::Student actions=actions/>

            <ActionForm action=actions.add attr:class="form group-add">
                <input type="hidden" name="group" value=group.to_string()/>
                <fieldset class="choice-row">
                    <legend>{tr("Toevoegen als", "Add as")}</legend>
                    <label class="check">
                        <input type="radio" name="role" value="student" checked=true/>
                        <span>{tr("Student", "Student")}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="role" value="lecturer"/>
                        <span>{tr("Docent", "Lecturer")}</span>
                    </label>
                </fieldset>
                <div class="field">
                    <label class="label" for=box_id.clone()>{tr("Mensen toevoegen", "Add people")}</label>
                    <p class="hint" id=format!("{box_id}-hulp")>{tr(
                        "Eén persoon per regel, bijvoorbeeld uit een spreadsheet geplakt: ‘Anna de Vries <anna@student.zuyd.nl>’ of ‘Anna de Vries, anna@student.zuyd.nl’. Voor wie al een account heeft is het e-mailadres genoeg.",
                        "One person per line, e.g. pasted from a spreadsheet: ‘Anna de Vries <anna@student.zuyd.nl>’ or ‘Anna de Vries, anna@student.zuyd.nl’. For people who already have an account, the e-mail address is enough.",
                    )}</p>
                    <TextArea value=draft attr:id=box_id.clone() attr:name="lines" attr:rows="4"
                        attr:aria-describedby=format!("{box_id}-hulp")
                        prop:value=move || {
                            // Refilled with the unused lines after adding.
                            actions.add.version().get();
                            actions.drafts.with_value(|d| d.get(&group).cloned()).unwrap_or_default()
                        }
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            actions.drafts.update_value(|d| { d.insert(group, v); });
                        }/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary"
                        on:click=move |_: leptos::ev::MouseEvent| actions.using(group)>
                        {tr("Toevoegen", "Add")}
                    </button>
                </div>
            </ActionForm>
            {move || result().map(|r| view! { <AddResult r=r/> })}
        </section>
    }
}

/// The people of one role in a group, each with a remove button.
#[component]
fn MemberList(
    members: Vec<GroupMemberView>,
    group: GroupId,
    role: GroupRole,
    actions: Actions,
) -> impl IntoView {
    let lang = use_lang();
    if members.is_empty() {
        return view! { <p class="empty">{tr("Nog niemand.", "Nobody yet.")}</p> }.into_any();
    }
    view! {
        <ul class="member-list" role="list">
            {members.into_iter().map(|m| {
                let stories = (m.stories > 0).then(|| format!(
                    " · {} {}",
                    m.stories,
                    if m.stories == 1 { lang.pick("verhaal", "story") } else { lang.pick("verhalen", "stories") }
                ));
                // A student with stories stays: the stories need their author.
                let removable = role == GroupRole::Lecturer || m.stories == 0;
                let label = format!("{}: {}", lang.pick("Verwijderen", "Remove"), m.name);
                view! {
                    <li class="member">
                        <span class="member-name">{m.name.clone()}</span>
                        <span class="hint">{format!(" {}", m.email)}{stories}</span>
                        {removable.then(|| view! {
                            <ActionForm action=actions.remove attr:class="inline-form">
                                <input type="hidden" name="group" value=group.to_string()/>
                                <input type="hidden" name="user" value=m.user.to_string()/>
                                <input type="hidden" name="role" value=role.as_str()/>
                                <button type="submit" class="button button-quiet" aria-label=label.clone()
                                    on:click=move |_: leptos::ev::MouseEvent| actions.using(group)>
                                    {tr("Verwijderen", "Remove")}
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// What adding a list did: new accounts with their start passwords (shown
/// once), people already there, and lines that need correcting.
#[component]
fn AddResult(r: MembersAdded) -> impl IntoView {
    let lang = use_lang();
    let new_accounts: Vec<_> = r
        .people
        .iter()
        .filter(|p| p.start_password.is_some())
        .cloned()
        .collect();
    let added = r.people.iter().filter(|p| !p.already_member).count();
    let already = r.people.len() - added;
    view! {
        <div class="add-result" role="region" aria-label=tr("Resultaat", "Result")>
            <p class="success">{format!(
                "{added} {}{}",
                lang.pick("toegevoegd", "added"),
                if already > 0 {
                    format!(", {already} {}", lang.pick("waren er al", "were already there"))
                } else {
                    String::new()
                }
            )}</p>
            {(!new_accounts.is_empty()).then(|| view! {
                <p class="note">{tr(
                    "Nieuwe accounts: geef elke persoon zijn startwachtwoord. Het wordt alleen nu getoond.",
                    "New accounts: give each person their start password. It is shown only now.",
                )}</p>
                <table class="start-passwords">
                    <thead><tr>
                        <th scope="col">{tr("Naam", "Name")}</th>
                        <th scope="col">{tr("E-mailadres", "E-mail address")}</th>
                        <th scope="col">{tr("Startwachtwoord", "Start password")}</th>
                    </tr></thead>
                    <tbody>
                        {new_accounts.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.name}</td>
                                <td>{p.email}</td>
                                <td><code>{p.start_password.unwrap_or_default()}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!r.problems.is_empty()).then(|| view! {
                <p class="note">{tr(
                    "Deze regels zijn niet gebruikt; ze staan weer in het vak om te verbeteren:",
                    "These lines were not used; they are back in the box to correct:",
                )}</p>
                <ul class="line-problems">
                    {r.problems.into_iter().map(|p| view! {
                        <li>{format!("{} {}: {} — {}", lang.pick("Regel", "Line"), p.line, p.text, p.message.get(lang))}</li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}
