//! Editions as the werkplaats runs them through the year: the overview with
//! what each edition holds, the next edition made from the previous one,
//! status changes with a compare-and-set, and new consent-text versions.
//! Every write takes the caller's connection, so the API runs a change and
//! its audit event in one transaction.

use super::{id, now};
use crate::domain::edition::EditionStatus;
use crate::domain::ids::{EditionId, GroupId, OrganisationId, QuestionId};
use crate::error::AppError;
use crate::model::{ConsentText, CopiedFromPrevious, EditionAdmin};
use sqlx::AnyConnection;

/// An edition as the rules need it.
#[derive(Debug, Clone)]
pub struct EditionRow {
    /// Its organisation.
    pub organisation: OrganisationId,
    /// Year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: EditionStatus,
}

fn status(text: &str) -> Result<EditionStatus, AppError> {
    EditionStatus::parse(text)
        .ok_or_else(|| AppError::internal(format!("unknown edition status {text:?}")))
}

/// One edition, if it exists.
pub async fn edition(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Option<EditionRow>, AppError> {
    let row: Option<(String, i64, String, String)> =
        sqlx::query_as("SELECT organisation_id, year, title, status FROM edition WHERE id = $1")
            .bind(edition.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(org, year, title, st)| {
        Ok(EditionRow {
            organisation: id(&org)?,
            year,
            title,
            status: status(&st)?,
        })
    })
    .transpose()
}

/// The newest edition of `org` (id and year).
pub async fn latest(
    conn: &mut AnyConnection,
    org: OrganisationId,
) -> Result<Option<(EditionId, i64)>, AppError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, year FROM edition WHERE organisation_id = $1 ORDER BY year DESC LIMIT 1",
    )
    .bind(org.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(e, y)| Ok((id(&e)?, y))).transpose()
}

type OverviewRow = (String, i64, String, String, i64, i64, i64, i64);

/// The editions of `org`, newest first, with what each holds.
pub async fn overview(
    conn: &mut AnyConnection,
    org: OrganisationId,
) -> Result<Vec<EditionAdmin>, AppError> {
    let rows: Vec<OverviewRow> = sqlx::query_as(
        "SELECT e.id, e.year, e.title, e.status,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM story s WHERE s.edition_id = e.id),
                (SELECT CAST(COUNT(*) AS BIGINT) FROM study_group g WHERE g.edition_id = e.id),
                (SELECT CAST(COUNT(*) AS BIGINT) FROM guide_question q WHERE q.edition_id = e.id AND q.archived_at IS NULL),
                (SELECT CAST(COUNT(*) AS BIGINT) FROM theme t WHERE t.edition_id = e.id)
           FROM edition e WHERE e.organisation_id = $1 ORDER BY e.year DESC",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (eid, year, title, st, stories, groups, questions, themes) in rows {
        let eid: EditionId = id(&eid)?;
        let st = status(&st)?;
        out.push(EditionAdmin {
            id: eid,
            year,
            title,
            status: st,
            next_statuses: EditionStatus::ALL
                .into_iter()
                .filter(|to| st.transition(*to).is_ok())
                .collect(),
            stories,
            groups,
            questions,
            themes,
            consent: consent_text(&mut *conn, eid).await?,
        });
    }
    Ok(out)
}

/// The edition's current (highest version) consent text.
pub async fn consent_text(
    conn: &mut AnyConnection,
    edition: EditionId,
) -> Result<Option<ConsentText>, AppError> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT id, version, body FROM consent_text WHERE edition_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(edition.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, version, body)| ConsentText { id, version, body }))
}

/// Stores `body` as consent-text version `version` of the edition. The
/// unique (edition, version) pair makes a second writer of the same version
/// fail instead of both being stored.
pub async fn add_consent_text(
    conn: &mut AnyConnection,
    edition: EditionId,
    version: i64,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO consent_text (id, edition_id, version, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(edition.to_string())
    .bind(version)
    .bind(body)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the status if it is still `from`; whether it was.
pub async fn set_status(
    conn: &mut AnyConnection,
    edition: EditionId,
    from: EditionStatus,
    to: EditionStatus,
) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE edition SET status = $1 WHERE id = $2 AND status = $3")
        .bind(to.as_str())
        .bind(edition.to_string())
        .bind(from.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates an open edition of `org`.
pub async fn insert(
    conn: &mut AnyConnection,
    org: OrganisationId,
    edition: EditionId,
    year: i64,
    title: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO edition (id, organisation_id, year, title, status, created_at)
         VALUES ($1, $2, $3, $4, 'open', $5)",
    )
    .bind(edition.to_string())
    .bind(org.to_string())
    .bind(year)
    .bind(title)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Copies into the new edition `to` what a year starts from: the active
/// guide questions (in order, as version 1), the current consent text (as
/// version 1), the codebook tree (no tags) and the groups with their
/// neighbourhoods still in use and their lecturers — no students, no
/// stories.
pub async fn copy_from(
    conn: &mut AnyConnection,
    from: EditionId,
    to: EditionId,
) -> Result<CopiedFromPrevious, AppError> {
    let questions: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT position, text, help_text, required FROM guide_question
          WHERE edition_id = $1 AND archived_at IS NULL ORDER BY position",
    )
    .bind(from.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for (i, (_, text, help, required)) in questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO guide_question (id, edition_id, position, text, help_text, required)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(QuestionId::new().to_string())
        .bind(to.to_string())
        .bind(i as i64 + 1)
        .bind(text)
        .bind(help)
        .bind(*required)
        .execute(&mut *conn)
        .await?;
    }
    let consent = consent_text(&mut *conn, from).await?;
    if let Some(c) = &consent {
        add_consent_text(&mut *conn, to, 1, &c.body).await?;
    }
    let themes = super::curation::copy_themes(&mut *conn, from, to).await?;
    let groups: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM study_group WHERE edition_id = $1 ORDER BY name")
            .bind(from.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut lecturers = 0;
    for (old, name) in &groups {
        let new = GroupId::new();
        sqlx::query("INSERT INTO study_group (id, edition_id, name) VALUES ($1, $2, $3)")
            .bind(new.to_string())
            .bind(to.to_string())
            .bind(name)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO group_neighbourhood (group_id, neighbourhood_id)
             SELECT $1, gn.neighbourhood_id FROM group_neighbourhood gn
               JOIN neighbourhood n ON n.id = gn.neighbourhood_id
              WHERE gn.group_id = $2 AND n.archived_at IS NULL",
        )
        .bind(new.to_string())
        .bind(old)
        .execute(&mut *conn)
        .await?;
        let added = sqlx::query(
            "INSERT INTO group_member (group_id, user_id, role)
             SELECT $1, m.user_id, m.role FROM group_member m
               JOIN app_user u ON u.id = m.user_id
              WHERE m.group_id = $2 AND m.role = 'lecturer' AND u.disabled_at IS NULL",
        )
        .bind(new.to_string())
        .bind(old)
        .execute(&mut *conn)
        .await?;
        lecturers += added.rows_affected() as i64;
    }
    Ok(CopiedFromPrevious {
        questions: questions.len() as i64,
        consent_text: consent.is_some(),
        themes: themes as i64,
        groups: groups.len() as i64,
        lecturers,
    })
}
