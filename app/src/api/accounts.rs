//! Accounts, for an organisation's administrators: find people (by name or
//! e-mail address, by role, also deactivated ones), grant and revoke roles
//! in the organisation, deactivate an account (its sessions end at once) or
//! activate it again, and give it a new start password (shown once; its
//! owner must replace it at the next sign-in).
//!
//! Least privilege: only administrators of the organisation, only for
//! people who belong to it; the last active administrator can be neither
//! demoted nor deactivated ([`check_change`]); an account that also works
//! for another organisation is not deactivated from here (its roles here
//! can be revoked). Every change leaves an audit event.
//!
//! [`check_change`]: crate::domain::accounts::check_change

use crate::domain::ids::{OrganisationId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::model::AccountsView;
use leptos::prelude::*;

/// The accounts of `organisation` (or of the first one the caller
/// administers) matching `q`, holding `role`; `status` `active` or
/// `inactive` narrows to those (anything else: all, deactivated last).
#[server(endpoint = "accounts")]
pub async fn accounts_admin(
    #[server(default)] organisation: Option<OrganisationId>,
    #[server(default)] q: String,
    #[server(default)] role: Option<Role>,
    #[server(default)] status: String,
) -> Result<AccountsView, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        let active = match status.as_str() {
            "active" => Some(true),
            "inactive" => Some(false),
            _ => None,
        };
        imp::view(&db()?, &actor, organisation, &q, role, active).await
    })
    .await
}

/// Grants (`grant = true`) or revokes `role` of `user` in `organisation`;
/// the municipality role names its `municipality`.
#[server(endpoint = "account_role")]
pub async fn set_account_role(
    organisation: OrganisationId,
    user: UserId,
    role: Role,
    #[server(default)] municipality: Option<String>,
    #[server(default)] grant: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        // The form's "—" sends an empty municipality.
        let municipality = municipality
            .filter(|m| !m.is_empty())
            .map(|m| {
                m.parse::<crate::domain::ids::MunicipalityId>()
                    .map_err(|_| AppError::not_found())
            })
            .transpose()?;
        imp::set_role(
            &db()?,
            &actor,
            organisation,
            user,
            role,
            municipality,
            grant,
        )
        .await
    })
    .await
}

/// Deactivates (`active = false`) or reactivates `user`'s account.
#[server(endpoint = "account_active")]
pub async fn set_account_active(
    organisation: OrganisationId,
    user: UserId,
    #[server(default)] active: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_active(&db()?, &actor, organisation, user, active).await
    })
    .await
}

/// Gives `user` a new start password; returns it (shown once).
#[server(endpoint = "account_reset")]
pub async fn reset_account_password(
    organisation: OrganisationId,
    user: UserId,
) -> Result<String, AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::reset(&db()?, &actor, organisation, user).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::api::auth::password;
    use crate::db::accounts as store;
    use crate::db::{audit, Db};
    use crate::domain::access::{may_manage_areas, Actor, Denied};
    use crate::domain::accounts::{check_change, AccountChange};
    use crate::domain::ids::{MunicipalityId, OrganisationId, UserId};
    use crate::domain::role::Role;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::AccountsView;
    use sqlx::AnyConnection;

    fn denied(d: Denied) -> AppError {
        match d {
            Denied::Forbidden => AppError::Forbidden(Message::new(
                "Alleen beheerders van de werkplaats kunnen accounts beheren.",
                "Only administrators of the werkplaats can manage accounts.",
            )),
            Denied::NotFound => AppError::not_found(),
        }
    }

    /// Administrators of the organisation manage its accounts (the same
    /// people who keep its structure).
    fn manage(actor: &Actor, org: OrganisationId) -> Result<(), AppError> {
        may_manage_areas(actor, org).map_err(denied)
    }

    /// Checks the caller and that `user` belongs to `org` (else 404), then
    /// `change` against the rules; returns whether the target is an active
    /// admin of `org`.
    async fn checked(
        conn: &mut AnyConnection,
        actor: &Actor,
        org: OrganisationId,
        user: UserId,
        change: AccountChange,
    ) -> Result<(), AppError> {
        manage(actor, org)?;
        if !store::belongs_to(conn, user, org).await? {
            return Err(AppError::not_found());
        }
        let active = store::active(conn, user).await?.unwrap_or(false);
        let is_admin = active
            && store::roles(conn, user, org)
                .await?
                .iter()
                .any(|g| g.role == Role::Admin);
        let admins = store::active_admins(conn, org).await?;
        check_change(actor.user, user, change, is_admin, admins).map_err(AppError::invalid)
    }

    pub async fn view(
        db: &Db,
        actor: &Actor,
        organisation: Option<OrganisationId>,
        q: &str,
        role: Option<Role>,
        active: Option<bool>,
    ) -> Result<AccountsView, AppError> {
        let (orgs, chosen) = crate::api::server::choose_organisation(
            db,
            actor.organisations_with(Role::Admin),
            organisation,
            |o| manage(actor, o),
            denied(Denied::Forbidden),
        )
        .await?;
        let mut conn = db.pool.acquire().await?;
        let accounts = store::list(&mut conn, chosen.id, q, role, active).await?;
        let municipalities = crate::db::areas::overview(db, chosen.id)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        Ok(AccountsView {
            organisations: orgs,
            organisation: chosen,
            accounts,
            municipalities,
            me: actor.user,
        })
    }

    pub async fn set_role(
        db: &Db,
        actor: &Actor,
        org: OrganisationId,
        user: UserId,
        role: Role,
        municipality: Option<MunicipalityId>,
        grant: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let change = if grant {
            AccountChange::Grant(role)
        } else {
            AccountChange::Revoke(role)
        };
        checked(&mut tx, actor, org, user, change).await?;
        let municipality = match (role, municipality) {
            (Role::Municipality, Some(m)) => {
                crate::db::areas::municipality(&mut tx, m)
                    .await?
                    .filter(|r| r.organisation == org)
                    .ok_or_else(AppError::not_found)?;
                Some(m)
            }
            (Role::Municipality, None) => {
                return Err(AppError::invalid(Message::new(
                    "Kies de gemeente waarvan deze medewerker de boekjes leest.",
                    "Choose the municipality whose booklets this person reads.",
                )))
            }
            (_, _) => None,
        };
        let changed = if grant {
            let before = store::roles(&mut tx, user, org).await?.len();
            crate::db::users::grant_role(&mut *tx, user, org, role, municipality).await?;
            store::roles(&mut tx, user, org).await?.len() != before
        } else {
            store::revoke(&mut tx, user, org, role, municipality).await?
        };
        if changed {
            audit(
                &mut *tx,
                Some(org),
                Some(actor.user),
                if grant { "role.grant" } else { "role.revoke" },
                "user",
                &user.to_string(),
                serde_json::json!({
                    "role": role.as_str(),
                    "municipality": municipality.map(|m| m.to_string()),
                }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_active(
        db: &Db,
        actor: &Actor,
        org: OrganisationId,
        user: UserId,
        active: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let change = if active {
            AccountChange::Reactivate
        } else {
            AccountChange::Deactivate
        };
        checked(&mut tx, actor, org, user, change).await?;
        if store::other_organisations(&mut tx, user, org).await? > 0 {
            return Err(AppError::invalid(Message::new(
                "Dit account werkt ook voor een andere organisatie en kan hier niet worden gedeactiveerd. Neem het de rollen in uw werkplaats af.",
                "This account also works for another organisation and cannot be deactivated here. Revoke its roles in your werkplaats instead.",
            )));
        }
        if store::active(&mut tx, user).await? == Some(active) {
            return Ok(());
        }
        store::set_active(&mut tx, user, active).await?;
        audit(
            &mut *tx,
            Some(org),
            Some(actor.user),
            if active {
                "user.reactivate"
            } else {
                "user.deactivate"
            },
            "user",
            &user.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn reset(
        db: &Db,
        actor: &Actor,
        org: OrganisationId,
        user: UserId,
    ) -> Result<String, AppError> {
        {
            let mut conn = db.pool.acquire().await?;
            checked(&mut conn, actor, org, user, AccountChange::ResetPassword).await?;
        }
        // Hashing takes a while: outside the transaction.
        let start = password::start_password();
        let hash = password::hash(start.clone()).await?;
        let mut tx = db.begin().await?;
        checked(&mut tx, actor, org, user, AccountChange::ResetPassword).await?;
        if store::active(&mut tx, user).await? != Some(true) {
            return Err(AppError::invalid(Message::new(
                "Dit account is gedeactiveerd. Activeer het eerst.",
                "This account is deactivated. Activate it first.",
            )));
        }
        store::set_start_password(&mut tx, user, &hash).await?;
        audit(
            &mut *tx,
            Some(org),
            Some(actor.user),
            "user.password_reset",
            "user",
            &user.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(start)
    }
}
