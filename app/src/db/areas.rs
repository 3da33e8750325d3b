//! Municipalities and neighbourhoods as administrators maintain them: the
//! page's overview with story and group counts, and the writes behind it.
//! Every write takes the caller's connection, so the API runs a change and
//! its audit event (or a whole import) in one transaction.

use super::{id, now, Db};
use crate::domain::cbs::Existing;
use crate::domain::ids::{MunicipalityId, NeighbourhoodId, OrganisationId};
use crate::error::AppError;
use crate::model::{MunicipalityAdmin, NeighbourhoodAdmin};
use sqlx::AnyConnection;

/// A municipality as stored.
#[derive(Debug, Clone)]
pub struct MunicipalityRecord {
    /// Its organisation.
    pub organisation: OrganisationId,
    /// Name.
    pub name: String,
    /// CBS code.
    pub cbs_code: Option<String>,
}

/// A neighbourhood as stored.
#[derive(Debug, Clone)]
pub struct NeighbourhoodRecord {
    /// Its municipality.
    pub municipality: MunicipalityId,
    /// The municipality's organisation.
    pub organisation: OrganisationId,
    /// The municipality's CBS code.
    pub municipality_code: Option<String>,
    /// Name.
    pub name: String,
    /// CBS code.
    pub cbs_code: Option<String>,
    /// Whether it is archived.
    pub archived: bool,
}

/// municipality, id, name, code, archived at, stories, groups.
type OverviewRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);
/// municipality, organisation, municipality code, name, code, archived at.
type NeighbourhoodRow = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// The municipalities of `org` with their neighbourhoods (in use first,
/// then archived; by name) and how many stories and groups each has.
pub async fn overview(db: &Db, org: OrganisationId) -> Result<Vec<MunicipalityAdmin>, AppError> {
    let municipalities: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, cbs_code FROM municipality WHERE organisation_id = $1 ORDER BY name",
    )
    .bind(org.to_string())
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<OverviewRow> = sqlx::query_as(
        "SELECT n.municipality_id, n.id, n.name, n.cbs_code, n.archived_at,
                    (SELECT COUNT(*) FROM story s WHERE s.neighbourhood_id = n.id),
                    (SELECT COUNT(*) FROM group_neighbourhood gn WHERE gn.neighbourhood_id = n.id)
               FROM neighbourhood n JOIN municipality m ON m.id = n.municipality_id
              WHERE m.organisation_id = $1
              ORDER BY (n.archived_at IS NOT NULL), n.name",
    )
    .bind(org.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(municipalities.len());
    for (mid, name, cbs_code) in municipalities {
        let neighbourhoods = rows
            .iter()
            .filter(|r| r.0 == mid)
            .map(|(_, nid, name, code, archived, stories, groups)| {
                Ok(NeighbourhoodAdmin {
                    id: id(nid)?,
                    name: name.clone(),
                    cbs_code: code.clone(),
                    archived: archived.is_some(),
                    stories: *stories,
                    groups: *groups,
                })
            })
            .collect::<Result<_, AppError>>()?;
        out.push(MunicipalityAdmin {
            id: id(&mid)?,
            name,
            cbs_code,
            neighbourhoods,
            new_neighbourhood: NeighbourhoodId::new(),
        });
    }
    Ok(out)
}

/// A municipality, if it exists.
pub async fn municipality(
    conn: &mut AnyConnection,
    mid: MunicipalityId,
) -> Result<Option<MunicipalityRecord>, AppError> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT organisation_id, name, cbs_code FROM municipality WHERE id = $1")
            .bind(mid.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(org, name, cbs_code)| {
        Ok(MunicipalityRecord {
            organisation: id(&org)?,
            name,
            cbs_code,
        })
    })
    .transpose()
}

/// A neighbourhood with its municipality's organisation and code.
pub async fn neighbourhood(
    conn: &mut AnyConnection,
    nid: NeighbourhoodId,
) -> Result<Option<NeighbourhoodRecord>, AppError> {
    let row: Option<NeighbourhoodRow> = sqlx::query_as(
        "SELECT m.id, m.organisation_id, m.cbs_code, n.name, n.cbs_code, n.archived_at
               FROM neighbourhood n JOIN municipality m ON m.id = n.municipality_id
              WHERE n.id = $1",
    )
    .bind(nid.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(mid, org, mcode, name, code, archived)| {
        Ok(NeighbourhoodRecord {
            municipality: id(&mid)?,
            organisation: id(&org)?,
            municipality_code: mcode,
            name,
            cbs_code: code,
            archived: archived.is_some(),
        })
    })
    .transpose()
}

/// The municipality of `org` called `name` (any case) or coded `code`,
/// other than `except`: what a new name or code would collide with.
pub async fn municipality_clash(
    conn: &mut AnyConnection,
    org: OrganisationId,
    name: &str,
    code: Option<&str>,
    except: Option<MunicipalityId>,
) -> Result<Option<(MunicipalityId, String, Option<String>)>, AppError> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, cbs_code FROM municipality
          WHERE organisation_id = $1 AND id <> $2
            AND (LOWER(name) = LOWER($3) OR cbs_code = $4)",
    )
    .bind(org.to_string())
    .bind(except.map(|m| m.to_string()).unwrap_or_default())
    .bind(name)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(mid, name, code)| Ok((id(&mid)?, name, code)))
        .transpose()
}

/// Creates a municipality; `false` if the id exists already (a repeated
/// post).
pub async fn insert_municipality(
    conn: &mut AnyConnection,
    org: OrganisationId,
    mid: MunicipalityId,
    name: &str,
    code: Option<&str>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO municipality (id, organisation_id, name, cbs_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(mid.to_string())
    .bind(org.to_string())
    .bind(name)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets a municipality's name and code.
pub async fn update_municipality(
    conn: &mut AnyConnection,
    mid: MunicipalityId,
    name: &str,
    code: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE municipality SET name = $1, cbs_code = $2 WHERE id = $3")
        .bind(name)
        .bind(code)
        .bind(mid.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The neighbourhoods of a municipality (archived ones too), to match a
/// new name, code or CBS list against.
pub async fn neighbourhoods_of(
    conn: &mut AnyConnection,
    mid: MunicipalityId,
) -> Result<Vec<Existing>, AppError> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, name, cbs_code FROM neighbourhood WHERE municipality_id = $1")
            .bind(mid.to_string())
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter()
        .map(|(nid, name, code)| {
            Ok(Existing {
                id: id(&nid)?,
                name,
                code,
            })
        })
        .collect()
}

/// Creates a neighbourhood; `false` if the id exists already.
pub async fn insert_neighbourhood(
    conn: &mut AnyConnection,
    mid: MunicipalityId,
    nid: NeighbourhoodId,
    name: &str,
    code: Option<&str>,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO neighbourhood (id, municipality_id, name, cbs_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(nid.to_string())
    .bind(mid.to_string())
    .bind(name)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets a neighbourhood's name and code.
pub async fn update_neighbourhood(
    conn: &mut AnyConnection,
    nid: NeighbourhoodId,
    name: &str,
    code: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE neighbourhood SET name = $1, cbs_code = $2 WHERE id = $3")
        .bind(name)
        .bind(code)
        .bind(nid.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Archives (`true`) or restores a neighbourhood.
pub async fn set_archived(
    conn: &mut AnyConnection,
    nid: NeighbourhoodId,
    archived: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE neighbourhood SET archived_at = $1 WHERE id = $2")
        .bind(archived.then(now))
        .bind(nid.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
