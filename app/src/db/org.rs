//! Organisations, municipalities, neighbourhoods, editions with their
//! interview guide and consent texts, and groups.

use super::{flag, id, now, Db};
use crate::domain::edition::EditionStatus;
use crate::domain::ids::*;
use crate::error::AppError;
use crate::model::{ConsentText, GroupInfo, GuideQuestion, MunicipalityInfo, NeighbourhoodRef};

/// Creates an organisation.
pub async fn create_organisation<'e, E>(
    exec: E,
    slug: &str,
    name: &str,
) -> Result<OrganisationId, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let oid = OrganisationId::new();
    sqlx::query("INSERT INTO organisation (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(oid.to_string())
        .bind(slug)
        .bind(name)
        .bind(now())
        .execute(exec)
        .await?;
    Ok(oid)
}

/// Finds an organisation by slug.
pub async fn organisation_by_slug(db: &Db, slug: &str) -> Result<Option<OrganisationId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM organisation WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|(s,)| id(&s)).transpose()
}

/// The organisation's display name.
pub async fn organisation_name(db: &Db, org: OrganisationId) -> Result<String, AppError> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM organisation WHERE id = $1")
        .bind(org.to_string())
        .fetch_one(&db.pool)
        .await?;
    Ok(name)
}

/// Creates a municipality of `org`.
pub async fn create_municipality(
    db: &Db,
    org: OrganisationId,
    name: &str,
    cbs_code: Option<&str>,
) -> Result<MunicipalityId, AppError> {
    let mid = MunicipalityId::new();
    sqlx::query(
        "INSERT INTO municipality (id, organisation_id, name, cbs_code) VALUES ($1, $2, $3, $4)",
    )
    .bind(mid.to_string())
    .bind(org.to_string())
    .bind(name)
    .bind(cbs_code)
    .execute(&db.pool)
    .await?;
    Ok(mid)
}

/// Municipalities of `org`, by name.
pub async fn municipalities(
    db: &Db,
    org: OrganisationId,
) -> Result<Vec<MunicipalityInfo>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, name FROM municipality WHERE organisation_id = $1 ORDER BY name",
    )
    .bind(org.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(mid, name)| {
            Ok(MunicipalityInfo {
                id: id(&mid)?,
                name,
            })
        })
        .collect()
}

/// A municipality's organisation and name, if it exists.
pub async fn municipality(
    db: &Db,
    mid: MunicipalityId,
) -> Result<Option<(OrganisationId, MunicipalityInfo)>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT organisation_id, name FROM municipality WHERE id = $1")
            .bind(mid.to_string())
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(org, name)| Ok((id(&org)?, MunicipalityInfo { id: mid, name })))
        .transpose()
}

/// Creates a neighbourhood of a municipality.
pub async fn create_neighbourhood(
    db: &Db,
    municipality: MunicipalityId,
    name: &str,
    cbs_code: Option<&str>,
) -> Result<NeighbourhoodId, AppError> {
    let nid = NeighbourhoodId::new();
    sqlx::query(
        "INSERT INTO neighbourhood (id, municipality_id, name, cbs_code) VALUES ($1, $2, $3, $4)",
    )
    .bind(nid.to_string())
    .bind(municipality.to_string())
    .bind(name)
    .bind(cbs_code)
    .execute(&db.pool)
    .await?;
    Ok(nid)
}

/// Creates an edition (one year of an organisation).
pub async fn create_edition(
    db: &Db,
    org: OrganisationId,
    year: i64,
    title: &str,
) -> Result<EditionId, AppError> {
    let eid = EditionId::new();
    sqlx::query(
        "INSERT INTO edition (id, organisation_id, year, title, status, created_at)
         VALUES ($1, $2, $3, $4, 'open', $5)",
    )
    .bind(eid.to_string())
    .bind(org.to_string())
    .bind(year)
    .bind(title)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(eid)
}

/// The edition of `org` for `year`: id and status.
pub async fn edition_for_year(
    db: &Db,
    org: OrganisationId,
    year: i64,
) -> Result<Option<EditionId>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM edition WHERE organisation_id = $1 AND year = $2")
            .bind(org.to_string())
            .bind(year)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(e,)| id(&e)).transpose()
}

/// The newest edition of `org`: id and year.
pub async fn latest_edition(
    db: &Db,
    org: OrganisationId,
) -> Result<Option<(EditionId, i64)>, AppError> {
    let mut conn = db.pool.acquire().await?;
    super::editions::latest(&mut conn, org).await
}

/// An edition's organisation, year and title.
pub async fn edition(
    db: &Db,
    eid: EditionId,
) -> Result<Option<(OrganisationId, i64, String)>, AppError> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT organisation_id, year, title FROM edition WHERE id = $1")
            .bind(eid.to_string())
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(o, y, t)| Ok((id(&o)?, y, t))).transpose()
}

/// Appends a question to an edition's guide.
pub async fn add_question(
    db: &Db,
    edition: EditionId,
    position: i64,
    text: &str,
    help_text: &str,
    required: bool,
) -> Result<QuestionId, AppError> {
    let qid = QuestionId::new();
    sqlx::query(
        "INSERT INTO guide_question (id, edition_id, position, text, help_text, required)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(qid.to_string())
    .bind(edition.to_string())
    .bind(position)
    .bind(text)
    .bind(help_text)
    .bind(flag(required))
    .execute(&db.pool)
    .await?;
    Ok(qid)
}

/// The edition's interview guide as a new interview follows it: the active
/// (not archived) questions, in order.
pub async fn guide<'e, E>(exec: E, edition: EditionId) -> Result<Vec<GuideQuestion>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<GuideRow> = sqlx::query_as(&format!(
        "{GUIDE_SELECT} WHERE q.edition_id = $1 AND q.archived_at IS NULL ORDER BY q.position, q.id"
    ))
    .bind(edition.to_string())
    .fetch_all(exec)
    .await?;
    rows.into_iter().map(GuideRow::into_question).collect()
}

/// Every question of the edition, archived ones included (marked, and never
/// required): what a saved story may hold answers to. A form that was open
/// while a question was archived still saves, and no typed text is lost.
pub async fn guide_with_archived<'e, E>(
    exec: E,
    edition: EditionId,
) -> Result<Vec<GuideQuestion>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<GuideRow> = sqlx::query_as(&format!(
        "{GUIDE_SELECT} WHERE q.edition_id = $1 ORDER BY q.position, q.id"
    ))
    .bind(edition.to_string())
    .fetch_all(exec)
    .await?;
    rows.into_iter().map(GuideRow::into_question).collect()
}

/// The questions a story shows: the active ones, plus archived questions
/// this story has answered (their answers stay readable and editable, but
/// are not required), in guide order.
pub async fn story_guide<'e, E>(
    exec: E,
    edition: EditionId,
    story: StoryId,
) -> Result<Vec<GuideQuestion>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<GuideRow> = sqlx::query_as(&format!(
        "{GUIDE_SELECT} WHERE q.edition_id = $1
            AND (q.archived_at IS NULL OR EXISTS (
                 SELECT 1 FROM story_answer a
                  WHERE a.question_id = q.id AND a.story_id = $2 AND a.body <> ''))
          ORDER BY q.position, q.id"
    ))
    .bind(edition.to_string())
    .bind(story.to_string())
    .fetch_all(exec)
    .await?;
    rows.into_iter().map(GuideRow::into_question).collect()
}

const GUIDE_SELECT: &str = "SELECT q.id, q.position, q.text, q.help_text, q.required, q.archived_at
       FROM guide_question q";

#[derive(sqlx::FromRow)]
struct GuideRow {
    id: String,
    position: i64,
    text: String,
    help_text: String,
    required: i64,
    archived_at: Option<String>,
}

impl GuideRow {
    fn into_question(self) -> Result<GuideQuestion, AppError> {
        let archived = self.archived_at.is_some();
        Ok(GuideQuestion {
            id: id(&self.id)?,
            position: self.position,
            text: self.text,
            help_text: self.help_text,
            // An archived question is no longer asked, so never required.
            required: self.required != 0 && !archived,
            archived,
        })
    }
}

/// Stores a new version of the edition's consent text.
pub async fn add_consent_text(
    db: &Db,
    edition: EditionId,
    version: i64,
    body: &str,
) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    super::editions::add_consent_text(&mut conn, edition, version, body).await
}

/// The edition's current (highest version) consent text.
pub async fn current_consent_text(
    db: &Db,
    edition: EditionId,
) -> Result<Option<ConsentText>, AppError> {
    let mut conn = db.pool.acquire().await?;
    super::editions::consent_text(&mut conn, edition).await
}

/// Creates a group in an edition.
pub async fn create_group(db: &Db, edition: EditionId, name: &str) -> Result<GroupId, AppError> {
    let gid = GroupId::new();
    sqlx::query("INSERT INTO study_group (id, edition_id, name) VALUES ($1, $2, $3)")
        .bind(gid.to_string())
        .bind(edition.to_string())
        .bind(name)
        .execute(&db.pool)
        .await?;
    Ok(gid)
}

/// Assigns a neighbourhood to a group.
pub async fn assign_neighbourhood(
    db: &Db,
    group: GroupId,
    neighbourhood: NeighbourhoodId,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO group_neighbourhood (group_id, neighbourhood_id) VALUES ($1, $2)")
        .bind(group.to_string())
        .bind(neighbourhood.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What the rules need about a group: its organisation, edition and whether
/// the edition is open.
#[derive(Debug, Clone)]
pub struct GroupContext {
    /// The edition's organisation.
    pub organisation: OrganisationId,
    /// The edition.
    pub edition: EditionId,
    /// The edition's status (what it allows: [`EditionStatus`]).
    pub edition_status: EditionStatus,
    /// Neighbourhoods assigned to the group.
    pub neighbourhoods: Vec<NeighbourhoodId>,
    /// Those of them not archived: where new interviews may start.
    pub open_neighbourhoods: Vec<NeighbourhoodId>,
}

/// Loads a group's context, if the group exists.
pub async fn group_context(db: &Db, group: GroupId) -> Result<Option<GroupContext>, AppError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT e.organisation_id, e.id, e.status FROM study_group g JOIN edition e ON e.id = g.edition_id WHERE g.id = $1",
    )
    .bind(group.to_string())
    .fetch_optional(&db.pool)
    .await?;
    let Some((org, edition, status)) = row else {
        return Ok(None);
    };
    let ns: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT gn.neighbourhood_id, n.archived_at FROM group_neighbourhood gn
           JOIN neighbourhood n ON n.id = gn.neighbourhood_id WHERE gn.group_id = $1",
    )
    .bind(group.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(GroupContext {
        organisation: id(&org)?,
        edition: id(&edition)?,
        edition_status: EditionStatus::parse(&status)
            .ok_or_else(|| AppError::internal(format!("unknown edition status {status:?}")))?,
        neighbourhoods: ns.iter().map(|(n, _)| id(n)).collect::<Result<_, _>>()?,
        open_neighbourhoods: ns
            .iter()
            .filter(|(_, archived)| archived.is_none())
            .map(|(n, _)| id(n))
            .collect::<Result<_, _>>()?,
    }))
}

/// A neighbourhood with its municipality (id and display data).
pub async fn neighbourhood(
    db: &Db,
    nid: NeighbourhoodId,
) -> Result<Option<(MunicipalityId, NeighbourhoodRef)>, AppError> {
    let row: Option<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT m.id, n.name, n.cbs_code, m.name FROM neighbourhood n
           JOIN municipality m ON m.id = n.municipality_id WHERE n.id = $1",
    )
    .bind(nid.to_string())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(mid, name, cbs_code, municipality)| {
        Ok((
            id(&mid)?,
            NeighbourhoodRef {
                id: nid,
                name,
                cbs_code,
                municipality,
            },
        ))
    })
    .transpose()
}

/// The groups `user` belongs to as a student, with their neighbourhoods.
pub async fn student_groups(db: &Db, user: UserId) -> Result<Vec<GroupInfo>, AppError> {
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT g.id, g.name, e.id, e.year, e.status
           FROM group_member gm
           JOIN study_group g ON g.id = gm.group_id
           JOIN edition e ON e.id = g.edition_id
          WHERE gm.user_id = $1 AND gm.role = 'student'
          ORDER BY e.year DESC, g.name",
    )
    .bind(user.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut groups = Vec::with_capacity(rows.len());
    for (gid, name, eid, year, status) in rows {
        let ns: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT n.id, n.name, n.cbs_code, m.name
               FROM group_neighbourhood gn
               JOIN neighbourhood n ON n.id = gn.neighbourhood_id
               JOIN municipality m ON m.id = n.municipality_id
              WHERE gn.group_id = $1 AND n.archived_at IS NULL ORDER BY m.name, n.name",
        )
        .bind(&gid)
        .fetch_all(&db.pool)
        .await?;
        groups.push(GroupInfo {
            id: id(&gid)?,
            name,
            edition: id(&eid)?,
            year,
            edition_open: status == "open",
            neighbourhoods: ns
                .into_iter()
                .map(|(nid, name, cbs_code, municipality)| {
                    Ok(NeighbourhoodRef {
                        id: id(&nid)?,
                        name,
                        cbs_code,
                        municipality,
                    })
                })
                .collect::<Result<_, AppError>>()?,
        });
    }
    Ok(groups)
}
