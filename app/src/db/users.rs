//! Users, their roles per organisation and their group memberships.

use super::{id, now, opt_id, Db};
use crate::domain::access::{Actor, GroupMembership, Membership};
use crate::domain::ids::{GroupId, MunicipalityId, OrganisationId, UserId};
use crate::domain::role::{GroupRole, Role};
use crate::error::AppError;

/// What login needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: UserId,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// Looks up an account by e-mail address (case-insensitive).
pub async fn credentials(db: &Db, email: &str) -> Result<Option<Credentials>, AppError> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash, disabled_at FROM app_user WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(uid, password_hash, disabled)| {
        Ok(Credentials {
            user: id(&uid)?,
            password_hash,
            disabled: disabled.is_some(),
        })
    })
    .transpose()
}

/// Loads the actor (name, roles, groups) for a signed-in user; `None` when
/// the account is gone or disabled.
pub async fn actor(db: &Db, user: UserId) -> Result<Option<Actor>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT display_name FROM app_user WHERE id = $1 AND disabled_at IS NULL")
            .bind(user.to_string())
            .fetch_optional(&db.pool)
            .await?;
    let Some((name,)) = row else {
        return Ok(None);
    };
    let roles: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT organisation_id, role, municipality_id FROM role_membership WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_all(&db.pool)
    .await?;
    let memberships = roles
        .into_iter()
        .filter_map(|(org, role, muni)| {
            let role = Role::parse(&role)?;
            Some((org, role, muni))
        })
        .map(|(org, role, muni)| {
            Ok(Membership {
                organisation: id(&org)?,
                role,
                municipality: opt_id(muni.as_deref())?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let groups: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT gm.group_id, e.organisation_id, gm.role
           FROM group_member gm
           JOIN study_group g ON g.id = gm.group_id
           JOIN edition e ON e.id = g.edition_id
          WHERE gm.user_id = $1",
    )
    .bind(user.to_string())
    .fetch_all(&db.pool)
    .await?;
    let groups = groups
        .into_iter()
        .filter_map(|(g, org, role)| Some((g, org, GroupRole::parse(&role)?)))
        .map(|(g, org, role)| {
            Ok(GroupMembership {
                group: id(&g)?,
                organisation: id(&org)?,
                role,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Some(Actor {
        user,
        name,
        memberships,
        groups,
    }))
}

/// Creates an account; returns its id. Fails if the e-mail address is taken.
pub async fn create<'e, E>(
    exec: E,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<UserId, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let uid = UserId::new();
    sqlx::query(
        "INSERT INTO app_user (id, email, display_name, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uid.to_string())
    .bind(email.trim().to_lowercase())
    .bind(display_name)
    .bind(password_hash)
    .bind(now())
    .execute(exec)
    .await?;
    Ok(uid)
}

/// Replaces an account's password hash.
pub async fn set_password_hash(db: &Db, user: UserId, password_hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Grants `role` in `organisation` (for municipality staff: in
/// `municipality`). Granting a role the user already has changes nothing.
pub async fn grant_role<'e, E>(
    exec: E,
    user: UserId,
    organisation: OrganisationId,
    role: Role,
    municipality: Option<MunicipalityId>,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO role_membership (id, user_id, organisation_id, role, municipality_id)
         SELECT $1, $2, $3, $4, $5
          WHERE NOT EXISTS (SELECT 1 FROM role_membership
                             WHERE user_id = $2 AND organisation_id = $3 AND role = $4
                               AND COALESCE(municipality_id, '') = COALESCE($5, ''))",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(user.to_string())
    .bind(organisation.to_string())
    .bind(role.as_str())
    .bind(municipality.map(|m| m.to_string()))
    .execute(exec)
    .await?;
    Ok(())
}

/// Adds `user` to `group` as student or lecturer; adding someone who is
/// already there changes nothing.
pub async fn add_to_group<'e, E>(
    exec: E,
    group: GroupId,
    user: UserId,
    role: GroupRole,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO group_member (group_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, user_id, role) DO NOTHING",
    )
    .bind(group.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .execute(exec)
    .await?;
    Ok(())
}

/// Marks an account as still having a start password: its owner must choose
/// their own before anything else (see [`session_state`]).
pub async fn require_password_change<'e, E>(exec: E, user: UserId) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE app_user SET must_change_password = 1 WHERE id = $1")
        .bind(user.to_string())
        .execute(exec)
        .await?;
    Ok(())
}

/// What every request checks about a signed-in account: whether it is still
/// active, the session epoch a session must carry to be valid, whether a
/// start password must be replaced, and the chosen language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// Sessions carrying another epoch are over.
    pub epoch: i64,
    /// The account still has a start password.
    pub must_change_password: bool,
    /// The chosen interface language tag, if any.
    pub language: Option<String>,
}

/// The account's [`SessionState`]; `None` when it is gone or deactivated.
pub async fn session_state(db: &Db, user: UserId) -> Result<Option<SessionState>, AppError> {
    let row: Option<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT session_epoch, must_change_password, language FROM app_user
          WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(user.to_string())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(epoch, must, language)| SessionState {
        epoch,
        must_change_password: must != 0,
        language,
    }))
}

/// Stores a new password the user chose: clears the start-password mark and
/// raises the session epoch (every session ends); returns the new epoch, for
/// the session that made the change to carry on with.
pub async fn change_password<'e, E>(
    exec: E,
    user: UserId,
    password_hash: &str,
) -> Result<i64, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let (epoch,): (i64,) = sqlx::query_as(
        "UPDATE app_user SET password_hash = $1, must_change_password = 0,
                session_epoch = session_epoch + 1
          WHERE id = $2 RETURNING session_epoch",
    )
    .bind(password_hash)
    .bind(user.to_string())
    .fetch_one(exec)
    .await?;
    Ok(epoch)
}

/// Ends every session of the account (raises its epoch).
pub async fn end_sessions<'e, E>(exec: E, user: UserId) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE app_user SET session_epoch = session_epoch + 1 WHERE id = $1")
        .bind(user.to_string())
        .execute(exec)
        .await?;
    Ok(())
}

/// Stores the user's interface language (`None`: follow the browser).
pub async fn set_language(db: &Db, user: UserId, language: Option<&str>) -> Result<(), AppError> {
    sqlx::query("UPDATE app_user SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(user.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The account's password hash (for checking the current password).
pub async fn password_hash(db: &Db, user: UserId) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT password_hash FROM app_user WHERE id = $1 AND disabled_at IS NULL")
            .bind(user.to_string())
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(h,)| h))
}
