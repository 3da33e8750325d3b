//! Group administration: administrators and researchers of an organisation
//! create the study groups of an edition, add students and lecturers, and
//! assign the neighbourhoods each group interviews in.
//!
//! Every function checks the caller with [`may_manage_groups`] for the
//! group's (or edition's, or neighbourhood's) organisation, parses the input
//! into domain types, and writes an audit event for each change. Changes are
//! idempotent, so a repeated post or a retry on a bad connection does no
//! harm.
//!
//! People are added by pasting a list (one per line, see
//! [`parse_member_lines`]). Someone without an account gets one, with a
//! start password shown once to the administrator, who hands it over; the
//! person is also given the student or lecturer role in the organisation,
//! which is what makes the student's "Mijn verhalen" and the lecturer's
//! review queue appear.
//!
//! [`may_manage_groups`]: crate::domain::groups::may_manage_groups
//! [`parse_member_lines`]: crate::domain::groups::parse_member_lines

use crate::domain::ids::{EditionId, GroupId, NeighbourhoodId, UserId};
use crate::error::AppError;
use crate::model::{GroupsView, MembersAdded};
use leptos::prelude::*;

/// The groups of `edition`, or of the newest open edition the caller
/// manages.
#[server(endpoint = "groups")]
pub async fn groups_admin(
    #[server(default)] edition: Option<EditionId>,
) -> Result<GroupsView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::view(&db()?, &actor, edition).await
    })
    .await
}

/// Creates a group called `name` in `edition`. `group` is a fresh id from
/// the page, so the same form sent twice creates one group.
#[server(endpoint = "group_create")]
pub async fn create_group(
    edition: EditionId,
    group: GroupId,
    name: String,
) -> Result<GroupId, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::create(&db()?, &actor, edition, group, &name).await
    })
    .await
}

/// Renames a group.
#[server(endpoint = "group_rename")]
pub async fn rename_group(group: GroupId, name: String) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::rename(&db()?, &actor, group, &name).await
    })
    .await
}

/// Adds the people in `lines` (one per line: an e-mail address, optionally
/// with a name) to `group` as `role` (`student` or `lecturer`).
#[server(endpoint = "group_add_members")]
pub async fn add_members(
    group: GroupId,
    role: String,
    lines: String,
) -> Result<MembersAdded, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::add_members(&db()?, &actor, group, &role, &lines).await
    })
    .await
}

/// Removes `user`'s `role` (`student` or `lecturer`) in `group`. A student
/// who already wrote stories in the group stays: their stories would lose
/// their author.
#[server(endpoint = "group_remove_member")]
pub async fn remove_member(group: GroupId, user: UserId, role: String) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::remove_member(&db()?, &actor, group, user, &role).await
    })
    .await
}

/// Assigns (`assigned = true`) or unassigns a neighbourhood of the same
/// organisation to `group`. Stories already written there keep their
/// neighbourhood; unassigning only stops new ones.
#[server(endpoint = "group_neighbourhood")]
pub async fn set_neighbourhood(
    group: GroupId,
    neighbourhood: NeighbourhoodId,
    #[server(default)] assigned: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_neighbourhood(&db()?, &actor, group, neighbourhood, assigned).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::auth::password;
    use crate::db::groups::{self as store, GroupRecord};
    use crate::db::guide as editions;
    use crate::db::{audit, users, Db};
    use crate::domain::access::{Actor, Denied};
    use crate::domain::groups::{
        may_enrol, may_manage_groups, parse_member_lines, LineProblem, MemberLine,
    };
    use crate::domain::ids::{EditionId, GroupId, NeighbourhoodId, OrganisationId, UserId};
    use crate::domain::role::{GroupRole, Role};
    use crate::domain::text::GroupName;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{AddedMember, EditionChoice, GroupsView, MembersAdded};
    use sqlx::AnyConnection;

    /// Refusals speak of groups, not of "this item".
    fn denied(d: Denied) -> AppError {
        match d {
            Denied::Forbidden => AppError::Forbidden(Message::new(
                "Alleen beheerders en onderzoekers van de werkplaats kunnen groepen beheren.",
                "Only administrators and researchers of the werkplaats can manage groups.",
            )),
            Denied::NotFound => AppError::not_found(),
        }
    }

    fn manage(actor: &Actor, org: OrganisationId) -> Result<(), AppError> {
        may_manage_groups(actor, org).map_err(denied)
    }

    fn group_role(role: &str) -> Result<GroupRole, AppError> {
        GroupRole::parse(role).ok_or_else(|| {
            AppError::invalid(Message::new(
                "Kies of u studenten of docenten toevoegt.",
                "Choose whether you are adding students or lecturers.",
            ))
        })
    }

    /// The group, if it exists and the actor manages its organisation.
    async fn managed_group(
        conn: &mut AnyConnection,
        actor: &Actor,
        group: GroupId,
    ) -> Result<GroupRecord, AppError> {
        let rec = store::record(conn, group)
            .await?
            .ok_or_else(AppError::not_found)?;
        manage(actor, rec.organisation)?;
        Ok(rec)
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        edition: Option<EditionId>,
    ) -> Result<GroupsView, AppError> {
        let orgs = crate::domain::groups::managed_organisations(actor);
        let chosen = match edition {
            Some(e) => {
                let mut conn = db.pool.acquire().await?;
                let rec = editions::edition(&mut conn, e)
                    .await?
                    .ok_or_else(AppError::not_found)?;
                manage(actor, rec.organisation)?;
                rec
            }
            None => {
                if orgs.is_empty() {
                    return Err(denied(Denied::Forbidden));
                }
                editions::default_edition(db, &orgs).await?.ok_or_else(|| {
                    AppError::NotFound(Message::new(
                        "Uw werkplaats heeft nog geen editie, dus ook nog geen groepen.",
                        "Your werkplaats has no edition yet, so no groups either.",
                    ))
                })?
            }
        };
        let all = editions::editions(db, &orgs).await?;
        Ok(GroupsView {
            editions: all.iter().map(EditionChoice::from).collect(),
            edition: EditionChoice::from(&chosen),
            groups: store::list(db, chosen.id).await?,
            neighbourhoods: store::organisation_neighbourhoods(db, chosen.organisation).await?,
            new_group_id: GroupId::new(),
        })
    }

    pub async fn create(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        group: GroupId,
        name: &str,
    ) -> Result<GroupId, AppError> {
        let name = GroupName::parse(name).map_err(AppError::invalid_field)?;
        let mut tx = db.begin().await?;
        let rec = editions::edition(&mut tx, edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        manage(actor, rec.organisation)?;
        if store::create(&mut tx, edition, group, name.as_str()).await? {
            audit(
                &mut *tx,
                Some(rec.organisation),
                Some(actor.user),
                "group.create",
                "group",
                &group.to_string(),
                serde_json::json!({ "edition": edition, "name": name.as_str() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(group)
    }

    pub async fn rename(
        db: &Db,
        actor: &Actor,
        group: GroupId,
        name: &str,
    ) -> Result<(), AppError> {
        let name = GroupName::parse(name).map_err(AppError::invalid_field)?;
        let mut tx = db.begin().await?;
        let rec = managed_group(&mut tx, actor, group).await?;
        if rec.name != name.as_str() {
            store::rename(&mut tx, &rec, name.as_str()).await?;
            audit(
                &mut *tx,
                Some(rec.organisation),
                Some(actor.user),
                "group.rename",
                "group",
                &group.to_string(),
                serde_json::json!({ "from": rec.name, "to": name.as_str() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_members(
        db: &Db,
        actor: &Actor,
        group: GroupId,
        role: &str,
        lines: &str,
    ) -> Result<MembersAdded, AppError> {
        let role = group_role(role)?;
        let (people, mut problems) = parse_member_lines(lines);
        if people.is_empty() && problems.is_empty() {
            return Err(AppError::invalid(Message::new(
                "Plak of typ minstens één e-mailadres, één persoon per regel.",
                "Paste or type at least one e-mail address, one person per line.",
            )));
        }
        // Hash the start passwords of new accounts before the transaction:
        // argon2 takes a while and must not hold the database.
        let mut conn = db.pool.acquire().await?;
        managed_group(&mut conn, actor, group).await?;
        let mut fresh = Vec::new();
        for person in &people {
            if store::account_by_email(&mut conn, person.email.as_str())
                .await?
                .is_none()
                && person.name.is_some()
            {
                let pw = crate::api::auth::password::start_password();
                fresh.push((person.email.clone(), pw.clone(), password::hash(pw).await?));
            }
        }
        drop(conn);

        let mut tx = db.begin().await?;
        let rec = managed_group(&mut tx, actor, group).await?;
        let org_role = match role {
            GroupRole::Student => Role::Student,
            GroupRole::Lecturer => Role::Lecturer,
        };
        let mut added = Vec::new();
        for person in people {
            let (user, name, start) = match store::account_by_email(&mut tx, person.email.as_str())
                .await?
            {
                Some(account) if account.disabled => {
                    problems.push(problem(
                            &person,
                            Message::new(
                                format!(
                                    "Het account {} is uitgeschakeld; vraag de beheerder het weer aan te zetten.",
                                    person.email.as_str()
                                ),
                                format!(
                                    "The account {} is switched off; ask the administrator to switch it on.",
                                    person.email.as_str()
                                ),
                            ),
                        ));
                    continue;
                }
                Some(account) => (account.id, account.name, None),
                None => {
                    let (Some(name), Some((_, pw, hash))) = (
                        person.name.as_ref(),
                        fresh.iter().find(|(e, _, _)| *e == person.email),
                    ) else {
                        problems.push(problem(
                                &person,
                                Message::new(
                                    format!(
                                        "{} heeft nog geen account. Zet de naam erbij, bijvoorbeeld: Anna de Vries <{}>",
                                        person.email.as_str(),
                                        person.email.as_str()
                                    ),
                                    format!(
                                        "{} has no account yet. Add the name, for example: Anna de Vries <{}>",
                                        person.email.as_str(),
                                        person.email.as_str()
                                    ),
                                ),
                            ));
                        continue;
                    };
                    let uid =
                        users::create(&mut *tx, person.email.as_str(), name.as_str(), hash).await?;
                    // The coordinator hands the start password on: its
                    // owner chooses their own at the first sign-in.
                    users::require_password_change(&mut *tx, uid).await?;
                    audit(
                        &mut *tx,
                        Some(rec.organisation),
                        Some(actor.user),
                        "user.create",
                        "user",
                        &uid.to_string(),
                        serde_json::json!({ "email": person.email.as_str(), "via": "group" }),
                    )
                    .await?;
                    (uid, name.as_str().to_string(), Some(pw.clone()))
                }
            };
            if let Err(message) = may_enrol(actor, user) {
                problems.push(problem(&person, message));
                continue;
            }
            let already = store::is_member(&mut tx, group, user, role).await?;
            if !already {
                users::grant_role(&mut *tx, user, rec.organisation, org_role, None).await?;
                users::add_to_group(&mut *tx, group, user, role).await?;
                audit(
                    &mut *tx,
                    Some(rec.organisation),
                    Some(actor.user),
                    "group.member_add",
                    "group",
                    &group.to_string(),
                    serde_json::json!({ "user": user, "role": role.as_str() }),
                )
                .await?;
            }
            added.push(AddedMember {
                email: person.email.as_str().to_string(),
                name,
                already_member: already,
                start_password: start,
            });
        }
        tx.commit().await?;
        problems.sort_by_key(|p| p.line);
        Ok(MembersAdded {
            people: added,
            problems,
        })
    }

    /// A person who was read fine but could not be added, as a problem
    /// with their line.
    fn problem(person: &MemberLine, message: Message) -> LineProblem {
        LineProblem {
            line: person.line,
            text: person.email.as_str().to_string(),
            message,
        }
    }

    pub async fn remove_member(
        db: &Db,
        actor: &Actor,
        group: GroupId,
        user: UserId,
        role: &str,
    ) -> Result<(), AppError> {
        let role = group_role(role)?;
        let mut tx = db.begin().await?;
        let rec = managed_group(&mut tx, actor, group).await?;
        if role == GroupRole::Student {
            let written = store::stories_by(&mut tx, group, user).await?;
            if written > 0 {
                return Err(AppError::Conflict {
                    message: Message::new(
                        format!(
                            "Deze student heeft al {written} verhaal/verhalen in ‘{}’ en blijft daarom in de groep.",
                            rec.name
                        ),
                        format!(
                            "This student already wrote {written} story/stories in ‘{}’ and therefore stays in the group.",
                            rec.name
                        ),
                    ),
                    current_version: None,
                });
            }
        }
        if store::remove_member(&mut tx, group, user, role).await? {
            audit(
                &mut *tx,
                Some(rec.organisation),
                Some(actor.user),
                "group.member_remove",
                "group",
                &group.to_string(),
                serde_json::json!({ "user": user, "role": role.as_str() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_neighbourhood(
        db: &Db,
        actor: &Actor,
        group: GroupId,
        neighbourhood: NeighbourhoodId,
        assigned: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = managed_group(&mut tx, actor, group).await?;
        // A neighbourhood of another organisation "does not exist" here.
        if store::neighbourhood_organisation(&mut tx, neighbourhood).await?
            != Some(rec.organisation)
        {
            return Err(AppError::not_found());
        }
        if assigned
            && crate::db::areas::neighbourhood(&mut tx, neighbourhood)
                .await?
                .is_some_and(|n| n.archived)
        {
            return Err(AppError::invalid(Message::new(
                "Deze wijk is gearchiveerd: er komen geen nieuwe interviews meer. De beheerder kan hem weer in gebruik nemen onder ‘Gemeenten en wijken’.",
                "This neighbourhood is archived: no new interviews. The administrator can take it into use again under ‘Municipalities and neighbourhoods’.",
            )));
        }
        if store::set_neighbourhood(&mut tx, group, neighbourhood, assigned).await? {
            audit(
                &mut *tx,
                Some(rec.organisation),
                Some(actor.user),
                if assigned {
                    "group.neighbourhood_assign"
                } else {
                    "group.neighbourhood_unassign"
                },
                "group",
                &group.to_string(),
                serde_json::json!({ "neighbourhood": neighbourhood }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn start_passwords_are_readable_and_differ() {
            let a = crate::api::auth::password::start_password();
            let b = crate::api::auth::password::start_password();
            assert_eq!(a.len(), 14);
            assert_eq!(a.matches('-').count(), 2);
            assert!(a
                .chars()
                .all(|c| c == '-' || "abcdefghjkmnpqrstuvwxyz23456789".contains(c)));
            assert_ne!(a, b);
        }
    }
}
