//! The portal's SQL: published booklet builds with what the access rules
//! need (organisation, municipality, whether the edition is public).

use super::{id, ts, Db};
use crate::domain::ids::{BuildId, EditionId, MunicipalityId};
use crate::domain::portal::PortalScope;
use crate::domain::time::Timestamp;
use crate::error::AppError;

/// A published booklet build.
#[derive(Debug, Clone)]
pub struct PublishedBuild {
    /// The build.
    pub id: BuildId,
    /// Organisation, municipality, public.
    pub scope: PortalScope,
    /// The organisation's name.
    pub organisation_name: String,
    /// The municipality's name.
    pub municipality_name: String,
    /// The edition's year.
    pub year: i64,
    /// When it was published.
    pub published_at: Timestamp,
    /// Whether a later publication replaced it.
    pub superseded: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    organisation_id: String,
    municipality_id: String,
    is_public: i64,
    organisation_name: String,
    municipality_name: String,
    year: i64,
    published_at: String,
    superseded_by: Option<String>,
}

const SELECT: &str = "SELECT b.id, b.organisation_id, b.municipality_id,
            CAST(e.is_public AS BIGINT) AS is_public, o.name AS organisation_name,
            m.name AS municipality_name, e.year, b.published_at, b.superseded_by
       FROM booklet_build b
       JOIN edition e ON e.id = b.edition_id
       JOIN organisation o ON o.id = b.organisation_id
       JOIN municipality m ON m.id = b.municipality_id
      WHERE b.published_at IS NOT NULL";

impl Row {
    fn into_build(self) -> Result<PublishedBuild, AppError> {
        Ok(PublishedBuild {
            id: id(&self.id)?,
            scope: PortalScope {
                organisation: id(&self.organisation_id)?,
                municipality: id(&self.municipality_id)?,
                public: self.is_public != 0,
            },
            organisation_name: self.organisation_name,
            municipality_name: self.municipality_name,
            year: self.year,
            published_at: ts(&self.published_at)?,
            superseded: self.superseded_by.is_some(),
        })
    }
}

/// Every publication still in force (not superseded), by municipality name
/// and newest year first. The caller filters with the access rules.
pub async fn current(db: &Db) -> Result<Vec<PublishedBuild>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} AND b.superseded_by IS NULL ORDER BY m.name, e.year DESC, b.published_at DESC"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(Row::into_build).collect()
}

/// All publications of a municipality's booklet of `year`, the one in force
/// first, then earlier ones newest first.
pub async fn of(
    db: &Db,
    municipality: MunicipalityId,
    year: i64,
) -> Result<Vec<PublishedBuild>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} AND b.municipality_id = $1 AND e.year = $2
          ORDER BY CASE WHEN b.superseded_by IS NULL THEN 0 ELSE 1 END, b.published_at DESC"
    ))
    .bind(municipality.to_string())
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(Row::into_build).collect()
}

/// The document (JSON) a build was typeset from: the text as published.
pub async fn document(db: &Db, build: BuildId) -> Result<String, AppError> {
    let (doc,): (String,) = sqlx::query_as("SELECT document FROM booklet_build WHERE id = $1")
        .bind(build.to_string())
        .fetch_one(&db.pool)
        .await?;
    Ok(doc)
}

/// The edition a build belongs to.
pub async fn edition_of(db: &Db, build: BuildId) -> Result<EditionId, AppError> {
    let (e,): (String,) = sqlx::query_as("SELECT edition_id FROM booklet_build WHERE id = $1")
        .bind(build.to_string())
        .fetch_one(&db.pool)
        .await?;
    id(&e)
}

/// Opens or closes an edition to the public; returns whether it changed.
pub async fn set_public(
    conn: &mut sqlx::AnyConnection,
    edition: EditionId,
    public: bool,
) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE edition SET is_public = $1 WHERE id = $2 AND is_public <> $1")
        .bind(i64::from(public))
        .bind(edition.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
