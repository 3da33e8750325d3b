//! Accounts (`/gebruikers?organisatie=<id>&q=…&rol=…&status=actief`):
//! an organisation's administrators find people by name or e-mail address
//! and role, grant and revoke roles, deactivate or reactivate an account and
//! give it a new start password (shown once, to hand on in person).
//!
//! The search is a plain GET form, so it works without JavaScript and the
//! address can be bookmarked.

use crate::api::accounts::{
    accounts_admin, ResetAccountPassword, SetAccountActive, SetAccountRole,
};
use crate::components::{error_view, ErrorNote, Loading};
use crate::domain::ids::{OrganisationId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::{AccountAdmin, AccountsView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page's actions, shared by every row so their results survive the
/// reload of the list.
#[derive(Clone, Copy)]
struct Actions {
    role: ServerAction<SetAccountRole>,
    active: ServerAction<SetAccountActive>,
    reset: ServerAction<ResetAccountPassword>,
    /// The account last acted on: its row shows errors and results.
    last: RwSignal<Option<UserId>>,
}

impl Actions {
    fn error_for(&self, u: UserId) -> Option<AppError> {
        if self.last.get() != Some(u) {
            return None;
        }
        [
            self.role.value().get().and_then(Result::err),
            self.active.value().get().and_then(Result::err),
            self.reset.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    fn using(&self, u: UserId) {
        self.last.set(Some(u));
        self.role.value().set(None);
        self.active.value().set(None);
        self.reset.value().set(None);
    }
}

/// The page.
#[component]
pub fn Accounts() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("organisatie")
                .and_then(|o| o.parse::<OrganisationId>().ok()),
            q.get("q").unwrap_or_default(),
            q.get("rol").and_then(|r| Role::parse(&r)),
            match q.get("status").as_deref() {
                Some("actief") => "active".to_string(),
                Some("gedeactiveerd") => "inactive".to_string(),
                _ => String::new(),
            },
        )
    };
    let actions = Actions {
        role: ServerAction::new(),
        active: ServerAction::new(),
        reset: ServerAction::new(),
        last: RwSignal::new(None),
    };
    let data = Resource::new(
        move || {
            (
                params(),
                actions.role.version().get(),
                actions.active.version().get(),
                actions.reset.version().get(),
            )
        },
        |((o, q, r, i), ..)| accounts_admin(o, q, r, i),
    );
    view! {
        <Title text=tr("Gebruikers", "Users")/>
        <h1>{tr("Gebruikers", "Users")}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <AccountsBody v=v actions=actions params=params()/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountsBody(
    v: AccountsView,
    actions: Actions,
    params: (Option<OrganisationId>, String, Option<Role>, String),
) -> impl IntoView {
    let lang = use_lang();
    let org = v.organisation.id;
    let (_, q, role, status) = params;
    let count = format!(
        "{} {}",
        v.accounts.len(),
        if v.accounts.len() == 1 {
            lang.pick("account gevonden", "account found")
        } else {
            lang.pick("accounts gevonden", "accounts found")
        }
    );
    let municipalities = v.municipalities.clone();
    let me = v.me;
    view! {
        {(v.organisations.len() > 1).then(|| view! {
            <nav class="tabs" aria-label=tr("Organisaties", "Organisations")>
                {v.organisations.iter().map(|o| view! {
                    <a href=format!("{}?organisatie={}", crate::routes::ACCOUNTS, o.id)
                        aria-current=(o.id == org).then_some("page")>{o.name.clone()}</a>
                }).collect_view()}
            </nav>
        })}
        <p class="lead">{v.organisation.name.clone()}</p>
        <form method="get" action=crate::routes::ACCOUNTS class="form inline-form" role="search">
            <input type="hidden" name="organisatie" value=org.to_string()/>
            <label class="label" for="zoek-account">{tr("Zoek op naam of e-mailadres", "Search by name or e-mail address")}</label>
            <input id="zoek-account" type="search" name="q" value=q/>
            <label class="label" for="zoek-rol">{tr("Rol", "Role")}</label>
            <select id="zoek-rol" name="rol">
                <option value="" selected=role.is_none()>{tr("Alle rollen", "All roles")}</option>
                {Role::ALL.into_iter().map(|r| {
                    let (nl, en) = r.label();
                    view! { <option value=r.as_str() selected=role == Some(r)>{lang.pick(nl, en).to_string()}</option> }
                }).collect_view()}
            </select>
            <label class="label" for="zoek-status">{tr("Status", "Status")}</label>
            <select id="zoek-status" name="status">
                <option value="" selected=status.is_empty()>{tr("Alle accounts", "All accounts")}</option>
                <option value="actief" selected=status == "active">{tr("Actief", "Active")}</option>
                <option value="gedeactiveerd" selected=status == "inactive">{tr("Gedeactiveerd", "Deactivated")}</option>
            </select>
            <button type="submit" class="button">{tr("Zoeken", "Search")}</button>
        </form>
        <p class="hint" role="status">{count}</p>
        <ul class="account-list">
            {v.accounts.into_iter().map(|a| view! {
                <AccountRow a=a org=org me=me municipalities=municipalities.clone() actions=actions/>
            }).collect_view()}
        </ul>
    }
}

/// One account: who, roles, groups, and what can be done.
#[component]
fn AccountRow(
    a: AccountAdmin,
    org: OrganisationId,
    me: UserId,
    municipalities: Vec<(crate::domain::ids::MunicipalityId, String)>,
    actions: Actions,
) -> impl IntoView {
    let lang = use_lang();
    let uid = a.id;
    let using = move |_: leptos::ev::MouseEvent| actions.using(uid);
    let heading = format!("account-{uid}");
    let new_password = move || {
        actions
            .reset
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|_| actions.last.get() == Some(uid))
    };
    let held: Vec<Role> = a.roles.iter().map(|g| g.role).collect();
    view! {
        <li class="panel account" aria-labelledby=heading.clone()>
            <h2 id=heading.clone() class="account-name">{a.name.clone()}</h2>
            <p class="hint">{a.email.clone()}
                {(!a.active).then(|| view! { " · "<span class="badge badge-withdrawn">{tr("gedeactiveerd", "deactivated")}</span> })}
                {a.start_password.then(|| view! { " · "<span class="badge">{tr("startwachtwoord", "start password")}</span> })}
            </p>
            {move || actions.error_for(uid).map(|e| view! { <ErrorNote error=e/> })}
            {move || new_password().map(|p| view! {
                <p class="note" role="status">
                    {tr("Nieuw startwachtwoord (alleen nu te zien; geef het persoonlijk door):", "New start password (shown only now; hand it on in person):")}
                    " "<code class="start-password">{p}</code>
                </p>
            })}
            <ul class="role-list" aria-label=tr("Rollen", "Roles")>
                {a.roles.clone().into_iter().map(|g| {
                    let (nl, en) = g.role.label();
                    let name = match &g.municipality_name {
                        Some(m) => format!("{} ({m})", lang.pick(nl, en)),
                        None => lang.pick(nl, en).to_string(),
                    };
                    let label = format!("{} {name}", lang.pick("Rol intrekken:", "Revoke role:"));
                    view! {
                        <li>
                            <ActionForm action=actions.role attr:class="inline-form">
                                <input type="hidden" name="organisation" value=org.to_string()/>
                                <input type="hidden" name="user" value=uid.to_string()/>
                                <input type="hidden" name="role" value=g.role.as_str()/>
                                {g.municipality.map(|m| view! { <input type="hidden" name="municipality" value=m.to_string()/> })}
                                <input type="hidden" name="grant" value="false"/>
                                <span>{name.clone()}</span>" "
                                <button type="submit" class="button button-quiet" aria-label=label on:click=using>{tr("intrekken", "revoke")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!a.groups.is_empty()).then(|| view! {
                <p class="hint">{format!("{} {}", lang.pick("Groepen:", "Groups:"), a.groups.join(", "))}</p>
            })}
            <details>
                <summary>{tr("Rol geven", "Grant a role")}</summary>
                <ActionForm action=actions.role attr:class="form inline-form">
                    <input type="hidden" name="organisation" value=org.to_string()/>
                    <input type="hidden" name="user" value=uid.to_string()/>
                    <input type="hidden" name="grant" value="true"/>
                    <label class="label" for=format!("rol-{uid}")>{tr("Rol", "Role")}</label>
                    <select id=format!("rol-{uid}") name="role">
                        {Role::ALL.into_iter().filter(|r| *r == Role::Municipality || !held.contains(r)).map(|r| {
                            let (nl, en) = r.label();
                            view! { <option value=r.as_str()>{lang.pick(nl, en).to_string()}</option> }
                        }).collect_view()}
                    </select>
                    <label class="label" for=format!("rol-{uid}-gemeente")>{tr("Gemeente (alleen voor de rol Gemeente)", "Municipality (only for the Municipality role)")}</label>
                    <select id=format!("rol-{uid}-gemeente") name="municipality">
                        <option value="">"—"</option>
                        {municipalities.iter().map(|(m, n)| view! { <option value=m.to_string()>{n.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button" on:click=using>{tr("Geven", "Grant")}</button>
                </ActionForm>
            </details>
            {(uid != me).then(|| view! {
                <div class="form-actions">
                    <ActionForm action=actions.active attr:class="inline-form">
                        <input type="hidden" name="organisation" value=org.to_string()/>
                        <input type="hidden" name="user" value=uid.to_string()/>
                        <input type="hidden" name="active" value=(!a.active).to_string()/>
                        <button type="submit" class="button" on:click=using>
                            {if a.active { tr("Deactiveren", "Deactivate") } else { tr("Weer activeren", "Reactivate") }}
                        </button>
                    </ActionForm>
                    {a.active.then(|| view! {
                        <ActionForm action=actions.reset attr:class="inline-form">
                            <input type="hidden" name="organisation" value=org.to_string()/>
                            <input type="hidden" name="user" value=uid.to_string()/>
                            <button type="submit" class="button" on:click=using>{tr("Nieuw startwachtwoord", "New start password")}</button>
                        </ActionForm>
                    })}
                </div>
            })}
        </li>
    }
}
