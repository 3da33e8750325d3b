//! Study groups of an edition: their members, their neighbourhoods and the
//! changes administrators make to them.
//!
//! Membership changes are idempotent (adding someone twice or removing
//! someone who already left changes nothing), so a repeated form post or a
//! retried request never errs and never duplicates. A group name is unique
//! within its edition; the database enforces it and [`create`]/[`rename`]
//! report a clash as a conflict the user understands.

use super::{id, Db};
use crate::domain::ids::{EditionId, GroupId, NeighbourhoodId, OrganisationId, UserId};
use crate::domain::role::GroupRole;
use crate::domain::Message;
use crate::error::AppError;
use crate::model::{GroupAdmin, GroupMemberView, NeighbourhoodRef};
use sqlx::AnyConnection;

/// A group as the rules need it: its edition and organisation.
#[derive(Debug, Clone)]
pub struct GroupRecord {
    /// Group id.
    pub id: GroupId,
    /// Its edition.
    pub edition: EditionId,
    /// The edition's organisation.
    pub organisation: OrganisationId,
    /// The group's name.
    pub name: String,
}

/// One group, if it exists.
pub async fn record(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<Option<GroupRecord>, AppError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT g.edition_id, e.organisation_id, g.name
           FROM study_group g JOIN edition e ON e.id = g.edition_id WHERE g.id = $1",
    )
    .bind(group.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(edition, org, name)| {
        Ok(GroupRecord {
            id: group,
            edition: id(&edition)?,
            organisation: id(&org)?,
            name,
        })
    })
    .transpose()
}

fn name_taken(name: &str) -> AppError {
    AppError::Conflict {
        message: Message::new(
            format!(
                "Er is in deze editie al een groep met de naam ‘{name}’. Kies een andere naam."
            ),
            format!("This edition already has a group called ‘{name}’. Choose another name."),
        ),
        current_version: None,
    }
}

async fn name_in_use(
    conn: &mut AnyConnection,
    edition: EditionId,
    name: &str,
    except: GroupId,
) -> Result<bool, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM study_group WHERE edition_id = $1 AND LOWER(name) = LOWER($2) AND id <> $3",
    )
    .bind(edition.to_string())
    .bind(name)
    .bind(except.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Creates group `group` named `name` in `edition`. Creating the same id
/// again with the same name is answered as done (a repeated post); a name
/// another group of the edition already has is refused (409).
pub async fn create(
    conn: &mut AnyConnection,
    edition: EditionId,
    group: GroupId,
    name: &str,
) -> Result<bool, AppError> {
    if let Some(existing) = record(conn, group).await? {
        return if existing.edition == edition && existing.name == name {
            Ok(false)
        } else {
            Err(AppError::Conflict {
                message: Message::new(
                    "Deze groep bestaat al. Laad de pagina opnieuw.",
                    "This group already exists. Please reload the page.",
                ),
                current_version: None,
            })
        };
    }
    if name_in_use(conn, edition, name, group).await? {
        return Err(name_taken(name));
    }
    sqlx::query("INSERT INTO study_group (id, edition_id, name) VALUES ($1, $2, $3)")
        .bind(group.to_string())
        .bind(edition.to_string())
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Renames a group; a name another group of the edition has is refused.
pub async fn rename(
    conn: &mut AnyConnection,
    group: &GroupRecord,
    name: &str,
) -> Result<(), AppError> {
    if name_in_use(conn, group.edition, name, group.id).await? {
        return Err(name_taken(name));
    }
    sqlx::query("UPDATE study_group SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(group.id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An account found by e-mail address.
#[derive(Debug, Clone)]
pub struct Account {
    /// The user.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Whether the account is switched off.
    pub disabled: bool,
}

/// The account with this (normalised) e-mail address, if any.
pub async fn account_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<Account>, AppError> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, display_name, disabled_at FROM app_user WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(uid, name, disabled)| {
        Ok(Account {
            id: id(&uid)?,
            name,
            disabled: disabled.is_some(),
        })
    })
    .transpose()
}

/// Whether `user` is in `group` with `role`.
pub async fn is_member(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
    role: GroupRole,
) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM group_member WHERE group_id = $1 AND user_id = $2 AND role = $3",
    )
    .bind(group.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// How many stories of `group` `user` wrote.
pub async fn stories_by(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM story s JOIN story_author a ON a.story_id = s.id
          WHERE s.group_id = $1 AND a.user_id = $2",
    )
    .bind(group.to_string())
    .bind(user.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Removes `user`'s `role` in `group`; returns whether they were there.
pub async fn remove_member(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
    role: GroupRole,
) -> Result<bool, AppError> {
    let done =
        sqlx::query("DELETE FROM group_member WHERE group_id = $1 AND user_id = $2 AND role = $3")
            .bind(group.to_string())
            .bind(user.to_string())
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The organisation a neighbourhood belongs to, if it exists.
pub async fn neighbourhood_organisation(
    conn: &mut AnyConnection,
    neighbourhood: NeighbourhoodId,
) -> Result<Option<OrganisationId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT m.organisation_id FROM neighbourhood n JOIN municipality m ON m.id = n.municipality_id
          WHERE n.id = $1",
    )
    .bind(neighbourhood.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(o,)| id(&o)).transpose()
}

/// Assigns (`assigned`) or unassigns a neighbourhood; returns whether
/// anything changed.
pub async fn set_neighbourhood(
    conn: &mut AnyConnection,
    group: GroupId,
    neighbourhood: NeighbourhoodId,
    assigned: bool,
) -> Result<bool, AppError> {
    let done = if assigned {
        sqlx::query(
            "INSERT INTO group_neighbourhood (group_id, neighbourhood_id) VALUES ($1, $2)
             ON CONFLICT (group_id, neighbourhood_id) DO NOTHING",
        )
    } else {
        sqlx::query("DELETE FROM group_neighbourhood WHERE group_id = $1 AND neighbourhood_id = $2")
    }
    .bind(group.to_string())
    .bind(neighbourhood.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Every neighbourhood of an organisation in use (not archived), by
/// municipality and name.
pub async fn organisation_neighbourhoods(
    db: &Db,
    organisation: OrganisationId,
) -> Result<Vec<NeighbourhoodRef>, AppError> {
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT n.id, n.name, n.cbs_code, m.name FROM neighbourhood n
           JOIN municipality m ON m.id = n.municipality_id
          WHERE m.organisation_id = $1 AND n.archived_at IS NULL ORDER BY m.name, n.name",
    )
    .bind(organisation.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(nid, name, cbs_code, municipality)| {
            Ok(NeighbourhoodRef {
                id: id(&nid)?,
                name,
                cbs_code,
                municipality,
            })
        })
        .collect()
}

/// The groups of an edition by name, with members (by name), their story
/// counts and the ids of the assigned neighbourhoods.
pub async fn list(db: &Db, edition: EditionId) -> Result<Vec<GroupAdmin>, AppError> {
    let groups: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM study_group WHERE edition_id = $1 ORDER BY name")
            .bind(edition.to_string())
            .fetch_all(&db.pool)
            .await?;
    let members: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT gm.group_id, gm.role, u.id, u.display_name, u.email,
                (SELECT COUNT(*) FROM story s JOIN story_author a ON a.story_id = s.id
                  WHERE s.group_id = gm.group_id AND a.user_id = u.id)
           FROM group_member gm
           JOIN study_group g ON g.id = gm.group_id
           JOIN app_user u ON u.id = gm.user_id
          WHERE g.edition_id = $1
          ORDER BY u.display_name, u.email",
    )
    .bind(edition.to_string())
    .fetch_all(&db.pool)
    .await?;
    let assigned: Vec<(String, String)> = sqlx::query_as(
        "SELECT gn.group_id, gn.neighbourhood_id FROM group_neighbourhood gn
           JOIN study_group g ON g.id = gn.group_id WHERE g.edition_id = $1",
    )
    .bind(edition.to_string())
    .fetch_all(&db.pool)
    .await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.group_id, COUNT(*) FROM story s JOIN study_group g ON g.id = s.group_id
          WHERE g.edition_id = $1 GROUP BY s.group_id",
    )
    .bind(edition.to_string())
    .fetch_all(&db.pool)
    .await?;
    groups
        .into_iter()
        .map(|(gid, name)| {
            let mut group = GroupAdmin {
                id: id(&gid)?,
                name,
                lecturers: Vec::new(),
                students: Vec::new(),
                neighbourhoods: Vec::new(),
                story_count: counts
                    .iter()
                    .find(|(g, _)| *g == gid)
                    .map_or(0, |(_, n)| *n),
            };
            for (g, role, uid, name, email, stories) in &members {
                if *g != gid {
                    continue;
                }
                let member = GroupMemberView {
                    user: id(uid)?,
                    name: name.clone(),
                    email: email.clone(),
                    stories: *stories,
                };
                match GroupRole::parse(role) {
                    Some(GroupRole::Lecturer) => group.lecturers.push(member),
                    Some(GroupRole::Student) => group.students.push(member),
                    None => return Err(AppError::internal(format!("unknown group role {role}"))),
                }
            }
            for (g, n) in &assigned {
                if *g == gid {
                    group.neighbourhoods.push(id(n)?);
                }
            }
            Ok(group)
        })
        .collect()
}
