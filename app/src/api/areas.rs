//! The organisation's structure: administrators create and edit its
//! municipalities and neighbourhoods with their CBS codes, import
//! neighbourhoods from a CBS list, and archive a neighbourhood that is no
//! longer interviewed in (its stories stay, and stay editable; it is only
//! no longer offered for new interviews or to new groups).
//!
//! Every function checks [`may_manage_areas`] for the record's organisation,
//! parses its input into domain types ([`AreaName`], [`CbsCode`]) and writes
//! the change with an audit event in one transaction. A create takes a fresh
//! id from the page, so the same form sent twice creates one record. An
//! import is all or nothing: with any bad line nothing is written and every
//! bad line comes back with its number and the reason.
//!
//! [`may_manage_areas`]: crate::domain::access::may_manage_areas
//! [`AreaName`]: crate::domain::text::AreaName
//! [`CbsCode`]: crate::domain::cbs::CbsCode

use crate::domain::ids::{MunicipalityId, NeighbourhoodId, OrganisationId};
use crate::error::AppError;
use crate::model::{AreasView, ImportReport};
use leptos::prelude::*;

/// The municipalities and neighbourhoods of `organisation`, or of the first
/// organisation the caller administers.
#[server(endpoint = "areas")]
pub async fn areas_admin(
    #[server(default)] organisation: Option<OrganisationId>,
) -> Result<AreasView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::view(&db()?, &actor, organisation).await
    })
    .await
}

/// Creates a municipality of `organisation` with its CBS code (`GM…`).
#[server(endpoint = "municipality_create")]
pub async fn create_municipality(
    organisation: OrganisationId,
    municipality: MunicipalityId,
    name: String,
    cbs_code: String,
) -> Result<MunicipalityId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::create_municipality(&db()?, &actor, organisation, municipality, &name, &cbs_code).await
    })
    .await
}

/// Renames a municipality or corrects its CBS code.
#[server(endpoint = "municipality_update")]
pub async fn update_municipality(
    municipality: MunicipalityId,
    name: String,
    cbs_code: String,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::update_municipality(&db()?, &actor, municipality, &name, &cbs_code).await
    })
    .await
}

/// Creates a neighbourhood of `municipality`; `cbs_code` (`WK…` or `BU…`)
/// may be empty.
#[server(endpoint = "neighbourhood_create")]
pub async fn create_neighbourhood(
    municipality: MunicipalityId,
    neighbourhood: NeighbourhoodId,
    name: String,
    #[server(default)] cbs_code: String,
) -> Result<NeighbourhoodId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::create_neighbourhood(
            &db()?,
            &actor,
            municipality,
            neighbourhood,
            &name,
            &cbs_code,
        )
        .await
    })
    .await
}

/// Renames a neighbourhood or changes its CBS code (an empty code removes
/// it; no `cbs_code` field keeps it). Its stories keep the neighbourhood.
#[server(endpoint = "neighbourhood_update")]
pub async fn update_neighbourhood(
    neighbourhood: NeighbourhoodId,
    name: String,
    #[server(default)] cbs_code: Option<String>,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::update_neighbourhood(&db()?, &actor, neighbourhood, &name, cbs_code.as_deref()).await
    })
    .await
}

/// Archives (`archived = true`) or restores a neighbourhood.
#[server(endpoint = "neighbourhood_archive")]
pub async fn archive_neighbourhood(
    neighbourhood: NeighbourhoodId,
    #[server(default)] archived: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::archive(&db()?, &actor, neighbourhood, archived).await
    })
    .await
}

/// Imports the wijken (`level = wijk`) or buurten (`buurt`) of
/// `municipality` from a CBS list (`csv`: semicolon-separated, header row).
#[server(endpoint = "neighbourhoods_import")]
pub async fn import_neighbourhoods(
    municipality: MunicipalityId,
    level: String,
    csv: String,
) -> Result<ImportReport, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::import(&db()?, &actor, municipality, &level, &csv).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::db::areas::{self as store, MunicipalityRecord, NeighbourhoodRecord};
    use crate::db::{audit, Db};
    use crate::domain::access::{may_manage_areas, Actor, Denied};
    use crate::domain::cbs::{
        code_problem, neighbourhood_code, plan_import, read_cbs_csv, CbsCode, CbsLevel, ImportStep,
    };
    use crate::domain::ids::{MunicipalityId, NeighbourhoodId, OrganisationId};
    use crate::domain::role::Role;
    use crate::domain::text::AreaName;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{AreasView, ImportReport};
    use sqlx::AnyConnection;

    /// Refusals speak of the organisation's structure.
    fn denied(d: Denied) -> AppError {
        match d {
            Denied::Forbidden => AppError::Forbidden(Message::new(
                "Alleen beheerders van de werkplaats kunnen gemeenten en wijken beheren.",
                "Only administrators of the werkplaats can manage municipalities and neighbourhoods.",
            )),
            Denied::NotFound => AppError::not_found(),
        }
    }

    fn manage(actor: &Actor, org: OrganisationId) -> Result<(), AppError> {
        may_manage_areas(actor, org).map_err(denied)
    }

    fn name(text: &str) -> Result<AreaName, AppError> {
        AreaName::parse(text).map_err(AppError::invalid_field)
    }

    fn field_error(message: Message) -> AppError {
        AppError::invalid_field(code_problem(message))
    }

    async fn managed_municipality(
        conn: &mut AnyConnection,
        actor: &Actor,
        mid: MunicipalityId,
    ) -> Result<MunicipalityRecord, AppError> {
        let rec = store::municipality(conn, mid)
            .await?
            .ok_or_else(AppError::not_found)?;
        manage(actor, rec.organisation)?;
        Ok(rec)
    }

    async fn managed_neighbourhood(
        conn: &mut AnyConnection,
        actor: &Actor,
        nid: NeighbourhoodId,
    ) -> Result<NeighbourhoodRecord, AppError> {
        let rec = store::neighbourhood(conn, nid)
            .await?
            .ok_or_else(AppError::not_found)?;
        manage(actor, rec.organisation)?;
        Ok(rec)
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        organisation: Option<OrganisationId>,
    ) -> Result<AreasView, AppError> {
        let (orgs, chosen) = crate::api::server::choose_organisation(
            db,
            actor.organisations_with(Role::Admin),
            organisation,
            |o| manage(actor, o),
            denied(Denied::Forbidden),
        )
        .await?;
        Ok(AreasView {
            municipalities: store::overview(db, chosen.id).await?,
            organisations: orgs,
            organisation: chosen,
            new_municipality: MunicipalityId::new(),
        })
    }

    /// Refuses a municipality name or code another one of `org` has.
    async fn municipality_unique(
        conn: &mut AnyConnection,
        org: OrganisationId,
        name: &AreaName,
        code: &CbsCode,
        except: Option<MunicipalityId>,
    ) -> Result<(), AppError> {
        let Some((_, other, other_code)) =
            store::municipality_clash(conn, org, name.as_str(), Some(code.as_str()), except)
                .await?
        else {
            return Ok(());
        };
        Err(if other_code.as_deref() == Some(code.as_str()) {
            field_error(Message::new(
                format!("Gemeente ‘{other}’ heeft al CBS-code {code}."),
                format!("Municipality ‘{other}’ already has CBS code {code}."),
            ))
        } else {
            AppError::invalid(Message::new(
                format!("Er is al een gemeente ‘{other}’."),
                format!("There already is a municipality ‘{other}’."),
            ))
        })
    }

    pub async fn create_municipality(
        db: &Db,
        actor: &Actor,
        org: OrganisationId,
        mid: MunicipalityId,
        name_text: &str,
        code_text: &str,
    ) -> Result<MunicipalityId, AppError> {
        manage(actor, org)?;
        let name = name(name_text)?;
        let code = CbsCode::parse_at(code_text, CbsLevel::Municipality).map_err(field_error)?;
        let mut tx = db.begin().await?;
        if let Some(existing) = store::municipality(&mut tx, mid).await? {
            // The same form again: done already (or someone else's id).
            manage(actor, existing.organisation)?;
            return Ok(mid);
        }
        municipality_unique(&mut tx, org, &name, &code, None).await?;
        store::insert_municipality(&mut tx, org, mid, name.as_str(), Some(code.as_str())).await?;
        audit(
            &mut *tx,
            Some(org),
            Some(actor.user),
            "municipality.create",
            "municipality",
            &mid.to_string(),
            serde_json::json!({ "name": name.as_str(), "cbs_code": code.as_str() }),
        )
        .await?;
        tx.commit().await?;
        Ok(mid)
    }

    pub async fn update_municipality(
        db: &Db,
        actor: &Actor,
        mid: MunicipalityId,
        name_text: &str,
        code_text: &str,
    ) -> Result<(), AppError> {
        let name = name(name_text)?;
        let code = CbsCode::parse_at(code_text, CbsLevel::Municipality).map_err(field_error)?;
        let mut tx = db.begin().await?;
        let rec = managed_municipality(&mut tx, actor, mid).await?;
        if rec.name == name.as_str() && rec.cbs_code.as_deref() == Some(code.as_str()) {
            return Ok(());
        }
        municipality_unique(&mut tx, rec.organisation, &name, &code, Some(mid)).await?;
        if rec.cbs_code.as_deref() != Some(code.as_str()) {
            // Coded neighbourhoods must stay inside their municipality.
            let wrong: Vec<String> = store::neighbourhoods_of(&mut tx, mid)
                .await?
                .into_iter()
                .filter(|n| {
                    n.code
                        .as_deref()
                        .and_then(|c| CbsCode::parse(c).ok())
                        .is_some_and(|c| !c.lies_in(&code))
                })
                .map(|n| n.name)
                .collect();
            if !wrong.is_empty() {
                return Err(field_error(Message::new(
                    format!(
                        "De wijken {} hebben CBS-codes van een andere gemeente dan {code}. Pas eerst die codes aan.",
                        wrong.join(", ")
                    ),
                    format!(
                        "The neighbourhoods {} have CBS codes of another municipality than {code}. Change those codes first.",
                        wrong.join(", ")
                    ),
                )));
            }
        }
        store::update_municipality(&mut tx, mid, name.as_str(), Some(code.as_str())).await?;
        audit(
            &mut *tx,
            Some(rec.organisation),
            Some(actor.user),
            "municipality.update",
            "municipality",
            &mid.to_string(),
            serde_json::json!({
                "from": { "name": rec.name, "cbs_code": rec.cbs_code },
                "to": { "name": name.as_str(), "cbs_code": code.as_str() },
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses a neighbourhood name or code another one of the municipality
    /// has.
    async fn neighbourhood_unique(
        conn: &mut AnyConnection,
        mid: MunicipalityId,
        name: &AreaName,
        code: Option<&CbsCode>,
        except: Option<NeighbourhoodId>,
    ) -> Result<(), AppError> {
        for other in store::neighbourhoods_of(conn, mid).await? {
            if Some(other.id) == except {
                continue;
            }
            if let (Some(c), Some(oc)) = (code, other.code.as_deref()) {
                if c.as_str() == oc {
                    return Err(field_error(Message::new(
                        format!("Wijk ‘{}’ heeft al CBS-code {c}.", other.name),
                        format!("Neighbourhood ‘{}’ already has CBS code {c}.", other.name),
                    )));
                }
            }
            if other.name.to_lowercase() == name.as_str().to_lowercase() {
                return Err(AppError::invalid(Message::new(
                    format!("Deze gemeente heeft al een wijk ‘{}’.", other.name),
                    format!(
                        "This municipality already has a neighbourhood ‘{}’.",
                        other.name
                    ),
                )));
            }
        }
        Ok(())
    }

    fn parsed_code(rec_code: Option<&str>) -> Option<CbsCode> {
        rec_code.and_then(|c| CbsCode::parse(c).ok())
    }

    pub async fn create_neighbourhood(
        db: &Db,
        actor: &Actor,
        mid: MunicipalityId,
        nid: NeighbourhoodId,
        name_text: &str,
        code_text: &str,
    ) -> Result<NeighbourhoodId, AppError> {
        let name = name(name_text)?;
        let mut tx = db.begin().await?;
        let m = managed_municipality(&mut tx, actor, mid).await?;
        let code = neighbourhood_code(code_text, parsed_code(m.cbs_code.as_deref()).as_ref())
            .map_err(field_error)?;
        if let Some(existing) = store::neighbourhood(&mut tx, nid).await? {
            manage(actor, existing.organisation)?;
            return Ok(nid);
        }
        neighbourhood_unique(&mut tx, mid, &name, code.as_ref(), None).await?;
        let code = code.as_ref().map(CbsCode::as_str);
        store::insert_neighbourhood(&mut tx, mid, nid, name.as_str(), code).await?;
        audit(
            &mut *tx,
            Some(m.organisation),
            Some(actor.user),
            "neighbourhood.create",
            "neighbourhood",
            &nid.to_string(),
            serde_json::json!({ "municipality": mid, "name": name.as_str(), "cbs_code": code }),
        )
        .await?;
        tx.commit().await?;
        Ok(nid)
    }

    pub async fn update_neighbourhood(
        db: &Db,
        actor: &Actor,
        nid: NeighbourhoodId,
        name_text: &str,
        code_text: Option<&str>,
    ) -> Result<(), AppError> {
        let name = name(name_text)?;
        let mut tx = db.begin().await?;
        let rec = managed_neighbourhood(&mut tx, actor, nid).await?;
        let code = neighbourhood_code(
            code_text.unwrap_or(rec.cbs_code.as_deref().unwrap_or("")),
            parsed_code(rec.municipality_code.as_deref()).as_ref(),
        )
        .map_err(field_error)?;
        let code_str = code.as_ref().map(CbsCode::as_str);
        if rec.name == name.as_str() && rec.cbs_code.as_deref() == code_str {
            return Ok(());
        }
        neighbourhood_unique(&mut tx, rec.municipality, &name, code.as_ref(), Some(nid)).await?;
        store::update_neighbourhood(&mut tx, nid, name.as_str(), code_str).await?;
        audit(
            &mut *tx,
            Some(rec.organisation),
            Some(actor.user),
            "neighbourhood.update",
            "neighbourhood",
            &nid.to_string(),
            serde_json::json!({
                "from": { "name": rec.name, "cbs_code": rec.cbs_code },
                "to": { "name": name.as_str(), "cbs_code": code_str },
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn archive(
        db: &Db,
        actor: &Actor,
        nid: NeighbourhoodId,
        archived: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = managed_neighbourhood(&mut tx, actor, nid).await?;
        if rec.archived == archived {
            return Ok(());
        }
        store::set_archived(&mut tx, nid, archived).await?;
        audit(
            &mut *tx,
            Some(rec.organisation),
            Some(actor.user),
            if archived {
                "neighbourhood.archive"
            } else {
                "neighbourhood.restore"
            },
            "neighbourhood",
            &nid.to_string(),
            serde_json::json!({ "name": rec.name }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn import(
        db: &Db,
        actor: &Actor,
        mid: MunicipalityId,
        level: &str,
        csv: &str,
    ) -> Result<ImportReport, AppError> {
        let level = CbsLevel::parse_area_level(level).ok_or_else(|| {
            AppError::invalid(Message::new(
                "Kies of het bestand wijken of buurten bevat.",
                "Choose whether the file holds districts or neighbourhoods.",
            ))
        })?;
        let mut tx = db.begin().await?;
        let m = managed_municipality(&mut tx, actor, mid).await?;
        let Some(gm) = parsed_code(m.cbs_code.as_deref()) else {
            return Err(AppError::invalid(Message::new(
                format!("Gemeente ‘{}’ heeft nog geen CBS-code. Vul eerst de gemeentecode in (GM en vier cijfers).", m.name),
                format!("Municipality ‘{}’ has no CBS code yet. First fill in the municipality code (GM and four digits).", m.name),
            )));
        };
        let list = match read_cbs_csv(csv, &gm, level) {
            Ok(list) => list,
            Err(problems) => {
                return Ok(ImportReport {
                    problems,
                    ..ImportReport::default()
                })
            }
        };
        let existing = store::neighbourhoods_of(&mut tx, mid).await?;
        let steps = match plan_import(&list, &existing) {
            Ok(steps) => steps,
            Err(problems) => {
                return Ok(ImportReport {
                    problems,
                    other_municipalities: list.other_municipalities,
                    other_levels: list.other_levels,
                    ..ImportReport::default()
                })
            }
        };
        let mut report = ImportReport {
            other_municipalities: list.other_municipalities,
            other_levels: list.other_levels,
            ..ImportReport::default()
        };
        // Renames go through a name nobody uses, so that two neighbourhoods
        // can swap names in one list without meeting the unique name.
        for step in &steps {
            if let ImportStep::Rename { id, .. } = step {
                let code = existing
                    .iter()
                    .find(|e| e.id == *id)
                    .and_then(|e| e.code.clone());
                store::update_neighbourhood(
                    &mut tx,
                    *id,
                    &format!("\u{2060}{id}"),
                    code.as_deref(),
                )
                .await?;
            }
        }
        for step in steps {
            match step {
                ImportStep::Create { code, name } => {
                    let nid = NeighbourhoodId::new();
                    store::insert_neighbourhood(
                        &mut tx,
                        mid,
                        nid,
                        name.as_str(),
                        Some(code.as_str()),
                    )
                    .await?;
                    report.created.push(name.into_inner());
                }
                ImportStep::Rename { id, from, to } => {
                    let code = existing
                        .iter()
                        .find(|e| e.id == id)
                        .and_then(|e| e.code.clone());
                    store::update_neighbourhood(&mut tx, id, to.as_str(), code.as_deref()).await?;
                    report.renamed.push((from, to.into_inner()));
                }
                ImportStep::SetCode { id, name, code } => {
                    store::update_neighbourhood(&mut tx, id, &name, Some(code.as_str())).await?;
                    report.coded.push(name);
                }
                ImportStep::Unchanged => report.unchanged += 1,
            }
        }
        audit(
            &mut *tx,
            Some(m.organisation),
            Some(actor.user),
            "neighbourhood.import",
            "municipality",
            &mid.to_string(),
            serde_json::json!({
                "level": level.form_value(),
                "created": report.created,
                "renamed": report.renamed,
                "coded": report.coded,
                "unchanged": report.unchanged,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}
