//! Accounts as an organisation's administrators manage them: who belongs to
//! the organisation (a role in it, or a place in a group of one of its
//! editions), searched and filtered; roles granted and revoked; accounts
//! deactivated and reactivated; start passwords set.

use super::{id, now, opt_id};
use crate::domain::ids::{MunicipalityId, OrganisationId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::model::{AccountAdmin, RoleGrant};
use sqlx::AnyConnection;

type AccountRow = (String, String, String, Option<String>, i64);

/// The accounts of `org` whose name or e-mail address contains `query`
/// (case-insensitive; empty: all), holding `role` if given, only active or
/// only deactivated ones if `active` says so; active ones first, by name.
pub async fn list(
    conn: &mut AnyConnection,
    org: OrganisationId,
    query: &str,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<Vec<AccountAdmin>, AppError> {
    let pattern = format!("%{}%", query.trim().to_lowercase());
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.disabled_at, u.must_change_password FROM app_user u
          WHERE (EXISTS (SELECT 1 FROM role_membership r WHERE r.user_id = u.id AND r.organisation_id = $1)
              OR EXISTS (SELECT 1 FROM group_member m JOIN study_group g ON g.id = m.group_id
                           JOIN edition e ON e.id = g.edition_id
                          WHERE m.user_id = u.id AND e.organisation_id = $1))
            AND (LOWER(u.display_name) LIKE $2 OR u.email LIKE $2)
          ORDER BY (u.disabled_at IS NOT NULL), LOWER(u.display_name), u.email",
    )
    .bind(org.to_string())
    .bind(&pattern)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (uid, name, email, disabled, must) in rows {
        let user: UserId = id(&uid)?;
        let roles = roles(&mut *conn, user, org).await?;
        if role.is_some_and(|r| !roles.iter().any(|g| g.role == r)) {
            continue;
        }
        if active.is_some_and(|a| a != disabled.is_none()) {
            continue;
        }
        let groups: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT g.name, e.year, m.role FROM group_member m JOIN study_group g ON g.id = m.group_id
               JOIN edition e ON e.id = g.edition_id
              WHERE m.user_id = $1 AND e.organisation_id = $2 ORDER BY e.year DESC, g.name",
        )
        .bind(&uid)
        .bind(org.to_string())
        .fetch_all(&mut *conn)
        .await?;
        out.push(AccountAdmin {
            id: user,
            name,
            email,
            active: disabled.is_none(),
            start_password: must != 0,
            roles,
            groups: groups
                .into_iter()
                .map(|(g, y, r)| format!("{g} ({y}, {r})"))
                .collect(),
        });
    }
    Ok(out)
}

/// The roles `user` holds in `org`, in role order.
pub async fn roles(
    conn: &mut AnyConnection,
    user: UserId,
    org: OrganisationId,
) -> Result<Vec<RoleGrant>, AppError> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT r.role, r.municipality_id, m.name FROM role_membership r
           LEFT JOIN municipality m ON m.id = r.municipality_id
          WHERE r.user_id = $1 AND r.organisation_id = $2",
    )
    .bind(user.to_string())
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<RoleGrant> = rows
        .into_iter()
        .filter_map(|(r, m, name)| Some((Role::parse(&r)?, m, name)))
        .map(|(role, m, name)| {
            Ok(RoleGrant {
                role,
                municipality: opt_id(m.as_deref())?,
                municipality_name: name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    out.sort_by_key(|g| {
        (
            Role::ALL.iter().position(|r| *r == g.role),
            g.municipality_name.clone(),
        )
    });
    Ok(out)
}

/// Whether the account exists and is active (`None`: no such account).
pub async fn active(conn: &mut AnyConnection, user: UserId) -> Result<Option<bool>, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT disabled_at FROM app_user WHERE id = $1")
            .bind(user.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(d,)| d.is_none()))
}

/// Whether `user` belongs to `org` (a role in it or a group of it).
pub async fn belongs_to(
    conn: &mut AnyConnection,
    user: UserId,
    org: OrganisationId,
) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user u
          WHERE u.id = $1
            AND (EXISTS (SELECT 1 FROM role_membership r WHERE r.user_id = u.id AND r.organisation_id = $2)
              OR EXISTS (SELECT 1 FROM group_member m JOIN study_group g ON g.id = m.group_id
                           JOIN edition e ON e.id = g.edition_id
                          WHERE m.user_id = u.id AND e.organisation_id = $2))",
    )
    .bind(user.to_string())
    .bind(org.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The other organisations `user` has a role in.
pub async fn other_organisations(
    conn: &mut AnyConnection,
    user: UserId,
    org: OrganisationId,
) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(DISTINCT organisation_id) AS BIGINT) FROM role_membership
          WHERE user_id = $1 AND organisation_id <> $2",
    )
    .bind(user.to_string())
    .bind(org.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// How many active administrators `org` has.
pub async fn active_admins(conn: &mut AnyConnection, org: OrganisationId) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(DISTINCT r.user_id) AS BIGINT) FROM role_membership r
           JOIN app_user u ON u.id = r.user_id
          WHERE r.organisation_id = $1 AND r.role = 'admin' AND u.disabled_at IS NULL",
    )
    .bind(org.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Takes `role` (for municipality staff: in `municipality`) from `user` in
/// `org`; whether they had it.
pub async fn revoke(
    conn: &mut AnyConnection,
    user: UserId,
    org: OrganisationId,
    role: Role,
    municipality: Option<MunicipalityId>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "DELETE FROM role_membership WHERE user_id = $1 AND organisation_id = $2 AND role = $3
            AND COALESCE(municipality_id, '') = COALESCE($4, '')",
    )
    .bind(user.to_string())
    .bind(org.to_string())
    .bind(role.as_str())
    .bind(municipality.map(|m| m.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deactivates (`active = false`: every session ends) or reactivates the
/// account.
pub async fn set_active(
    conn: &mut AnyConnection,
    user: UserId,
    active: bool,
) -> Result<(), AppError> {
    if active {
        sqlx::query("UPDATE app_user SET disabled_at = NULL WHERE id = $1")
            .bind(user.to_string())
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query(
            "UPDATE app_user SET disabled_at = $1, session_epoch = session_epoch + 1 WHERE id = $2",
        )
        .bind(now())
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Gives the account a new start password: its sessions end, and its owner
/// must choose their own at the next sign-in.
pub async fn set_start_password(
    conn: &mut AnyConnection,
    user: UserId,
    password_hash: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, must_change_password = 1,
                session_epoch = session_epoch + 1 WHERE id = $2",
    )
    .bind(password_hash)
    .bind(user.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
