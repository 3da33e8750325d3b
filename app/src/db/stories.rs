//! Stories: drafts, answers, revisions, status changes and comments.
//!
//! Every change bumps the story's `version` with a compare-and-set
//! (`UPDATE … WHERE version = $expected`), so a stale edit is detected, never
//! applied; and every change stores a full [`Snapshot`] as a revision, so
//! nothing a student typed is ever overwritten.

use super::{flag, id, now, opt_id, opt_ts, ts, Db};
use crate::domain::access::StoryScope;
use crate::domain::consent::{ConsentScopes, ConsentState};
use crate::domain::edition::EditionStatus;
use crate::domain::ids::*;
use crate::domain::lifecycle::StoryStatus;
use crate::domain::story_form::StoryInput;
use crate::error::AppError;
use crate::model::{
    CommentView, ConsentInfo, NeighbourhoodRef, ResidentInfo, StoryDetail, StoryListItem,
    StoryPermissions,
};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The text of a story at one moment: what a revision stores.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// Title.
    pub title: String,
    /// Resident pseudonym.
    pub pseudonym: String,
    /// Answers by question.
    pub answers: BTreeMap<QuestionId, String>,
    /// Lead (short intro) of an editorial version; empty in the students'
    /// revisions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lead: String,
}

/// What the rules and the save path need to know about a stored story.
#[derive(Debug, Clone)]
pub struct StoryRecord {
    /// Organisation, municipality, group, status, consent scopes.
    pub scope: StoryScope,
    /// Current version.
    pub version: i64,
    /// The edition.
    pub edition: EditionId,
    /// The resident.
    pub resident: ResidentId,
    /// The consent record, if any.
    pub consent: Option<ConsentId>,
    /// Consent as the rules see it.
    pub consent_state: Option<ConsentState>,
    /// Whether the consent carries the resident's drawn signature.
    pub signed: bool,
    /// The status of the story's edition (published: read-only).
    pub edition_status: EditionStatus,
}

impl StoryRecord {
    /// Refuses a change to a story whose edition is published (read-only),
    /// with the reason; see [`EditionStatus::allows_story_changes`].
    pub fn changeable(&self) -> Result<(), AppError> {
        self.edition_status
            .allows_story_changes()
            .map_err(AppError::invalid)
    }
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    organisation_id: String,
    municipality_id: String,
    group_id: String,
    status: String,
    version: i64,
    edition_id: String,
    resident_id: String,
    consent_id: Option<String>,
    scopes: Option<String>,
    withdrawn_at: Option<String>,
    witness_name: Option<String>,
    signature_media_id: Option<String>,
    edition_status: String,
}

/// Loads a story's record, or `None` if there is no such story.
pub async fn record(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Option<StoryRecord>, AppError> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT s.organisation_id, s.municipality_id, s.group_id, s.status, s.version, s.edition_id,
                s.resident_id, s.consent_id, c.scopes, c.withdrawn_at, c.witness_name, c.signature_media_id,
                e.status AS edition_status
           FROM story s JOIN edition e ON e.id = s.edition_id
           LEFT JOIN consent c ON c.id = s.consent_id
          WHERE s.id = $1",
    )
    .bind(story.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(RecordRow {
        organisation_id: org,
        municipality_id: muni,
        group_id: group,
        status,
        version,
        edition_id: edition,
        resident_id: resident,
        consent_id: consent,
        scopes,
        withdrawn_at: withdrawn,
        witness_name: witness,
        signature_media_id: signature,
        edition_status,
    }) = row
    else {
        return Ok(None);
    };
    let status = StoryStatus::parse(&status)
        .ok_or_else(|| AppError::internal(format!("unknown story status {status:?}")))?;
    let consent_state = consent.as_ref().map(|_| ConsentState {
        scopes: ConsentScopes::from_db(scopes.as_deref().unwrap_or("")),
        withdrawn: withdrawn.is_some(),
        confirmed: witness.is_some() || signature.is_some(),
    });
    let effective_scopes = match &consent_state {
        Some(c) if !c.withdrawn => c.scopes,
        _ => ConsentScopes::none(),
    };
    Ok(Some(StoryRecord {
        scope: StoryScope {
            organisation: id(&org)?,
            municipality: id(&muni)?,
            group: id(&group)?,
            status,
            scopes: effective_scopes,
        },
        version,
        edition: id(&edition)?,
        resident: id(&resident)?,
        consent: opt_id(consent.as_deref())?,
        consent_state,
        signed: signature.is_some(),
        edition_status: EditionStatus::parse(&edition_status).ok_or_else(|| {
            AppError::internal(format!("unknown edition status {edition_status:?}"))
        })?,
    }))
}

/// A story's record and its editable values as stored (what a save lays a
/// patch over), or `None` if there is no such story.
pub async fn editable(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Option<(StoryRecord, StoryInput)>, AppError> {
    let Some(rec) = record(conn, story).await? else {
        return Ok(None);
    };
    #[allow(clippy::type_complexity)]
    let (title, neighbourhood, pseudonym, first_name, age_band, years, witness): (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT s.title, s.neighbourhood_id, r.pseudonym, r.first_name, r.age_band, r.years_in_neighbourhood,
                c.witness_name
           FROM story s JOIN resident r ON r.id = s.resident_id LEFT JOIN consent c ON c.id = s.consent_id
          WHERE s.id = $1",
    )
    .bind(story.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let input = StoryInput {
        neighbourhood: Some(id(&neighbourhood)?),
        title,
        pseudonym,
        first_name,
        age_band,
        years_in_neighbourhood: years,
        scopes: rec
            .consent_state
            .as_ref()
            .map(|c| c.scopes)
            .unwrap_or_default(),
        witness_name: witness,
        answers: answers(conn, story).await?,
    };
    Ok(Some((rec, input)))
}

/// The story a save id was applied to, if it was (idempotent replays).
pub async fn story_of_save(
    conn: &mut AnyConnection,
    save_id: &str,
) -> Result<Option<StoryId>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT story_id FROM revision WHERE save_id = $1")
        .bind(save_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(s,)| id(&s)).transpose()
}

/// The save ids of the revisions after `version`, oldest first (`None` for
/// revisions not made by a save, e.g. handing in). Autosave uses it to tell
/// its own unanswered saves from someone else's.
pub async fn save_ids_after(
    conn: &mut AnyConnection,
    story: StoryId,
    version: i64,
) -> Result<Vec<Option<String>>, AppError> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "SELECT save_id FROM revision WHERE story_id = $1 AND number > $2 ORDER BY number",
    )
    .bind(story.to_string())
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// The resident fields of a story form.
#[derive(Debug, Clone, Default)]
pub struct ResidentInput {
    /// Pseudonym (as typed; drafts may hold an empty one).
    pub pseudonym: String,
    /// Real first name, if entered.
    pub first_name: Option<String>,
    /// Age band.
    pub age_band: Option<String>,
    /// Years lived in the neighbourhood.
    pub years_in_neighbourhood: Option<i64>,
}

/// The consent fields of a story form.
#[derive(Debug, Clone, Default)]
pub struct ConsentInput {
    /// Ticked scopes.
    pub scopes: ConsentScopes,
    /// Name of the witnessing student.
    pub witness_name: Option<String>,
    /// The consent text version shown (its record id).
    pub consent_text_id: String,
}

/// What a save wrote: the new version, and the resident and consent
/// records the story now points to.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// The story's new version.
    pub version: i64,
    /// The resident.
    pub resident: ResidentId,
    /// The consent record, if there is one now.
    pub consent: Option<ConsentId>,
}

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewDraft {
    /// Client-generated story id.
    pub id: StoryId,
    /// Organisation of the group's edition.
    pub organisation: OrganisationId,
    /// The edition.
    pub edition: EditionId,
    /// The neighbourhood's municipality.
    pub municipality: MunicipalityId,
    /// The neighbourhood.
    pub neighbourhood: NeighbourhoodId,
    /// The group.
    pub group: GroupId,
    /// The student creating it.
    pub created_by: UserId,
}

/// Creates a draft story with its resident and (if given) consent, at
/// version 1, with its first revision.
pub async fn create_draft(
    conn: &mut AnyConnection,
    d: &NewDraft,
    content: &Snapshot,
    resident: &ResidentInput,
    consent: Option<&ConsentInput>,
    save_id: &str,
) -> Result<Written, AppError> {
    let at = now();
    let resident_id = ResidentId::new();
    sqlx::query(
        "INSERT INTO resident (id, organisation_id, pseudonym, age_band, years_in_neighbourhood, created_by, created_at, first_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(resident_id.to_string())
    .bind(d.organisation.to_string())
    .bind(&resident.pseudonym)
    .bind(resident.age_band.as_deref())
    .bind(resident.years_in_neighbourhood)
    .bind(d.created_by.to_string())
    .bind(&at)
    .bind(resident.first_name.as_deref())
    .execute(&mut *conn)
    .await?;
    let consent_id = match consent {
        Some(c) => Some(insert_consent(conn, resident_id, c, d.created_by).await?),
        None => None,
    };
    let inserted = sqlx::query(
        "INSERT INTO story (id, organisation_id, edition_id, municipality_id, neighbourhood_id, group_id,
                            resident_id, consent_id, title, status, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', 1, $10, $11, $11)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(d.id.to_string())
    .bind(d.organisation.to_string())
    .bind(d.edition.to_string())
    .bind(d.municipality.to_string())
    .bind(d.neighbourhood.to_string())
    .bind(d.group.to_string())
    .bind(resident_id.to_string())
    .bind(consent_id.map(|c| c.to_string()))
    .bind(&content.title)
    .bind(d.created_by.to_string())
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        // Created by a concurrent request (the same form sent twice).
        return Err(AppError::Conflict {
            message: crate::domain::Message::new(
                "Dit verhaal is zojuist al opgeslagen. Laad de pagina opnieuw; uw tekst staat nog in het formulier.",
                "This story was just saved already. Reload the page; your text is still in the form.",
            ),
            current_version: Some(1),
        });
    }
    sqlx::query("INSERT INTO story_author (story_id, user_id) VALUES ($1, $2)")
        .bind(d.id.to_string())
        .bind(d.created_by.to_string())
        .execute(&mut *conn)
        .await?;
    write_answers(conn, d.id, &content.answers).await?;
    insert_revision(conn, d.id, 1, "draft", Some(save_id), d.created_by, content).await?;
    Ok(Written {
        version: 1,
        resident: resident_id,
        consent: consent_id,
    })
}

async fn insert_consent(
    conn: &mut AnyConnection,
    resident: ResidentId,
    c: &ConsentInput,
    by: UserId,
) -> Result<ConsentId, AppError> {
    let cid = ConsentId::new();
    sqlx::query(
        "INSERT INTO consent (id, resident_id, consent_text_id, scopes, witness_name, signed_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(cid.to_string())
    .bind(resident.to_string())
    .bind(&c.consent_text_id)
    .bind(c.scopes.to_db())
    .bind(c.witness_name.as_deref())
    .bind(now())
    .bind(by.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(cid)
}

async fn write_answers(
    conn: &mut AnyConnection,
    story: StoryId,
    answers: &BTreeMap<QuestionId, String>,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM story_answer WHERE story_id = $1")
        .bind(story.to_string())
        .execute(&mut *conn)
        .await?;
    for (q, body) in answers {
        sqlx::query("INSERT INTO story_answer (story_id, question_id, body) VALUES ($1, $2, $3)")
            .bind(story.to_string())
            .bind(q.to_string())
            .bind(body)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn insert_revision(
    conn: &mut AnyConnection,
    story: StoryId,
    number: i64,
    kind: &str,
    save_id: Option<&str>,
    author: UserId,
    content: &Snapshot,
) -> Result<(), AppError> {
    let snapshot = serde_json::to_string(content).map_err(AppError::internal)?;
    sqlx::query(
        "INSERT INTO revision (id, story_id, number, kind, save_id, author_id, created_at, snapshot)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(RevisionId::new().to_string())
    .bind(story.to_string())
    .bind(number)
    .bind(kind)
    .bind(save_id)
    .bind(author.to_string())
    .bind(now())
    .bind(snapshot)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Bumps the version from `expected` to `expected + 1`, or reports the
/// version actually stored (a stale edit).
async fn bump_version(
    conn: &mut AnyConnection,
    story: StoryId,
    expected: i64,
) -> Result<i64, AppError> {
    let done = sqlx::query(
        "UPDATE story SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2",
    )
    .bind(story.to_string())
    .bind(expected)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(expected + 1);
    }
    let (current,): (i64,) = sqlx::query_as("SELECT version FROM story WHERE id = $1")
        .bind(story.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Err(AppError::stale(current))
}

/// Saves new content of an existing draft if the stored version is still
/// `expected`.
#[allow(clippy::too_many_arguments)]
pub async fn update_draft(
    conn: &mut AnyConnection,
    rec: &StoryRecord,
    story: StoryId,
    expected: i64,
    content: &Snapshot,
    resident: &ResidentInput,
    consent: Option<&ConsentInput>,
    neighbourhood: Option<(NeighbourhoodId, MunicipalityId)>,
    author: UserId,
    save_id: &str,
) -> Result<Written, AppError> {
    let version = bump_version(conn, story, expected).await?;
    let mut consent_id = rec.consent;
    sqlx::query("UPDATE story SET title = $2 WHERE id = $1")
        .bind(story.to_string())
        .bind(&content.title)
        .execute(&mut *conn)
        .await?;
    if let Some((n, m)) = neighbourhood {
        sqlx::query("UPDATE story SET neighbourhood_id = $2, municipality_id = $3 WHERE id = $1")
            .bind(story.to_string())
            .bind(n.to_string())
            .bind(m.to_string())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE resident SET pseudonym = $2, age_band = $3, years_in_neighbourhood = $4, first_name = $5 WHERE id = $1",
    )
    .bind(rec.resident.to_string())
    .bind(&resident.pseudonym)
    .bind(resident.age_band.as_deref())
    .bind(resident.years_in_neighbourhood)
    .bind(resident.first_name.as_deref())
    .execute(&mut *conn)
    .await?;
    match (rec.consent, consent) {
        (Some(cid), Some(c)) => {
            // Consent can be corrected while the story is still being written;
            // once handed in it is fixed (withdrawal is its own action). A
            // signature covers the scopes that were ticked when the resident
            // signed: other scopes need a new signature.
            let stored = rec.consent_state.as_ref().map(|s| s.scopes);
            if stored != Some(c.scopes) {
                sqlx::query("UPDATE consent SET signature_media_id = NULL WHERE id = $1 AND withdrawn_at IS NULL")
                    .bind(cid.to_string())
                    .execute(&mut *conn)
                    .await?;
            }
            sqlx::query(
                "UPDATE consent SET scopes = $2, witness_name = $3, consent_text_id = $4 WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(cid.to_string())
            .bind(c.scopes.to_db())
            .bind(c.witness_name.as_deref())
            .bind(&c.consent_text_id)
            .execute(&mut *conn)
            .await?;
        }
        (None, Some(c)) => {
            let cid = insert_consent(conn, rec.resident, c, author).await?;
            sqlx::query("UPDATE story SET consent_id = $2 WHERE id = $1")
                .bind(story.to_string())
                .bind(cid.to_string())
                .execute(&mut *conn)
                .await?;
            consent_id = Some(cid);
        }
        (_, None) => {}
    }
    write_answers(conn, story, &content.answers).await?;
    sqlx::query(
        "INSERT INTO story_author (story_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(story.to_string())
    .bind(author.to_string())
    .execute(&mut *conn)
    .await?;
    insert_revision(
        conn,
        story,
        version,
        "draft",
        Some(save_id),
        author,
        content,
    )
    .await?;
    Ok(Written {
        version,
        resident: rec.resident,
        consent: consent_id,
    })
}

/// Stores a status change decided by [`crate::domain::lifecycle::transition`],
/// if the version is still `expected`; returns the new version. A submission
/// also stores the handed-in text as a `submitted` revision.
pub async fn set_status(
    conn: &mut AnyConnection,
    story: StoryId,
    expected: i64,
    to: StoryStatus,
    actor: UserId,
) -> Result<i64, AppError> {
    let version = bump_version(conn, story, expected).await?;
    let at = now();
    let stamp_column = match to {
        StoryStatus::Submitted => Some("submitted_at"),
        StoryStatus::Approved | StoryStatus::ChangesRequested => Some("reviewed_at"),
        _ => None,
    };
    let sql = match stamp_column {
        Some(col) => format!("UPDATE story SET status = $2, {col} = $3 WHERE id = $1"),
        None => "UPDATE story SET status = $2, updated_at = $3 WHERE id = $1".to_string(),
    };
    sqlx::query(&sql)
        .bind(story.to_string())
        .bind(to.as_str())
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    if to == StoryStatus::Submitted {
        let content = snapshot(conn, story).await?;
        insert_revision(conn, story, version, "submitted", None, actor, &content).await?;
    }
    Ok(version)
}

/// The story's current text.
pub async fn snapshot(conn: &mut AnyConnection, story: StoryId) -> Result<Snapshot, AppError> {
    let (title, pseudonym): (String, String) = sqlx::query_as(
        "SELECT s.title, r.pseudonym FROM story s JOIN resident r ON r.id = s.resident_id WHERE s.id = $1",
    )
    .bind(story.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Snapshot {
        title,
        pseudonym,
        answers: answers(conn, story).await?,
        lead: String::new(),
    })
}

async fn answers(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<BTreeMap<QuestionId, String>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, body FROM story_answer WHERE story_id = $1")
            .bind(story.to_string())
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter().map(|(q, b)| Ok((id(&q)?, b))).collect()
}

/// Loads everything the story page shows (permissions and problems are left
/// for the caller to fill in).
pub async fn detail(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Option<StoryDetail>, AppError> {
    let row: Option<StoryRow> = sqlx::query_as(
        "SELECT s.group_id, g.name AS group_name, e.year, s.edition_id, s.neighbourhood_id, n.name AS neighbourhood_name,
                n.cbs_code, m.name AS municipality_name, s.title, s.status, s.version, s.created_at, s.updated_at,
                r.pseudonym, r.age_band, r.years_in_neighbourhood, r.first_name
           FROM story s
           JOIN study_group g ON g.id = s.group_id
           JOIN edition e ON e.id = s.edition_id
           JOIN neighbourhood n ON n.id = s.neighbourhood_id
           JOIN municipality m ON m.id = s.municipality_id
           JOIN resident r ON r.id = s.resident_id
          WHERE s.id = $1",
    )
    .bind(story.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let consent: Option<ConsentRow> = sqlx::query_as(
        "SELECT c.scopes, t.version AS text_version, c.witness_name, c.signature_media_id, c.signed_at, c.withdrawn_at
           FROM story s JOIN consent c ON c.id = s.consent_id JOIN consent_text t ON t.id = c.consent_text_id
          WHERE s.id = $1",
    )
    .bind(story.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let consent = consent
        .map(|c| {
            Ok::<_, AppError>(ConsentInfo {
                scopes: ConsentScopes::from_db(&c.scopes),
                text_version: c.text_version,
                witness_name: c.witness_name,
                signed: c.signature_media_id.is_some(),
                signature: opt_id(c.signature_media_id.as_deref())?,
                signed_at: ts(&c.signed_at)?,
                withdrawn_at: opt_ts(c.withdrawn_at.as_deref())?,
            })
        })
        .transpose()?;
    let edition: EditionId = id(&r.edition_id)?;
    let questions = super::org::story_guide(&mut *conn, edition, story).await?;
    let comments: Vec<CommentRow> = sqlx::query_as(
        "SELECT c.id, u.display_name AS author, c.body, c.question_id, c.parent_id, c.story_version, c.resolved, c.created_at
           FROM comment c JOIN app_user u ON u.id = c.author_id
          WHERE c.story_id = $1 ORDER BY c.created_at, c.id",
    )
    .bind(story.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let comments = comments
        .into_iter()
        .map(|c| {
            Ok(CommentView {
                id: id(&c.id)?,
                author: c.author,
                body: c.body,
                question: opt_id(c.question_id.as_deref())?,
                parent: opt_id(c.parent_id.as_deref())?,
                story_version: c.story_version,
                resolved: c.resolved != 0,
                created_at: ts(&c.created_at)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Some(StoryDetail {
        id: story,
        group: id(&r.group_id)?,
        group_name: r.group_name,
        year: r.year,
        neighbourhood: NeighbourhoodRef {
            id: id(&r.neighbourhood_id)?,
            name: r.neighbourhood_name,
            cbs_code: r.cbs_code,
            municipality: r.municipality_name,
        },
        title: r.title,
        status: StoryStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal(format!("unknown status {}", r.status)))?,
        version: r.version,
        resident: ResidentInfo {
            pseudonym: r.pseudonym,
            first_name: r.first_name,
            age_band: r.age_band,
            years_in_neighbourhood: r.years_in_neighbourhood,
        },
        consent,
        questions,
        answers: answers(conn, story).await?,
        comments,
        media: Vec::new(),
        since_review: None,
        created_at: ts(&r.created_at)?,
        updated_at: ts(&r.updated_at)?,
        can: StoryPermissions::default(),
        problems: Vec::new(),
        edit: None,
    }))
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    scopes: String,
    text_version: i64,
    witness_name: Option<String>,
    signature_media_id: Option<String>,
    signed_at: String,
    withdrawn_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: String,
    author: String,
    body: String,
    question_id: Option<String>,
    parent_id: Option<String>,
    story_version: i64,
    resolved: i64,
    created_at: String,
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: String,
    title: String,
    status: String,
    neighbourhood: String,
    municipality: String,
    group_name: String,
    resident: String,
    updated_at: String,
    scopes: Option<String>,
    withdrawn_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    group_id: String,
    group_name: String,
    year: i64,
    edition_id: String,
    neighbourhood_id: String,
    neighbourhood_name: String,
    cbs_code: Option<String>,
    municipality_name: String,
    title: String,
    status: String,
    version: i64,
    created_at: String,
    updated_at: String,
    pseudonym: String,
    age_band: Option<String>,
    years_in_neighbourhood: Option<i64>,
    first_name: Option<String>,
}

/// One revision of a story: who saved it when, and the text as it was.
pub async fn revision(
    conn: &mut AnyConnection,
    story: StoryId,
    number: i64,
) -> Result<Option<(crate::model::RevisionInfo, Snapshot)>, AppError> {
    let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT r.number, r.kind, u.display_name, r.created_at, r.snapshot
           FROM revision r JOIN app_user u ON u.id = r.author_id
          WHERE r.story_id = $1 AND r.number = $2",
    )
    .bind(story.to_string())
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(number, kind, author, created_at, snapshot)| {
        let content: Snapshot = serde_json::from_str(&snapshot).map_err(AppError::internal)?;
        Ok((
            crate::model::RevisionInfo {
                number,
                kind,
                author,
                created_at: ts(&created_at)?,
            },
            content,
        ))
    })
    .transpose()
}

/// The newest revision of a story of kind `kind` (any kind when `None`):
/// its number and text.
pub async fn latest_revision(
    conn: &mut AnyConnection,
    story: StoryId,
    kind: Option<&str>,
) -> Result<Option<(i64, Snapshot)>, AppError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT number, snapshot FROM revision
          WHERE story_id = $1 AND ($2 = '' OR kind = $2)
          ORDER BY number DESC LIMIT 1",
    )
    .bind(story.to_string())
    .bind(kind.unwrap_or(""))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(n, snapshot)| {
        Ok((
            n,
            serde_json::from_str(&snapshot).map_err(AppError::internal)?,
        ))
    })
    .transpose()
}

/// Saves an editorial version of a story (title, lead, answers) as a new
/// revision of kind `editorial`, if the story is still at `expected`;
/// returns the new version. The story's own text — the students' — and its
/// status stay as they are.
pub async fn save_editorial(
    conn: &mut AnyConnection,
    story: StoryId,
    expected: i64,
    content: &Snapshot,
    author: UserId,
) -> Result<i64, AppError> {
    let version = bump_version(conn, story, expected).await?;
    insert_revision(conn, story, version, "editorial", None, author, content).await?;
    Ok(version)
}

/// The revisions of a story, oldest first.
pub async fn revisions(
    conn: &mut AnyConnection,
    story: StoryId,
) -> Result<Vec<crate::model::RevisionInfo>, AppError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT r.number, r.kind, u.display_name, r.created_at
           FROM revision r JOIN app_user u ON u.id = r.author_id
          WHERE r.story_id = $1 ORDER BY r.number",
    )
    .bind(story.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(number, kind, author, created_at)| {
            Ok(crate::model::RevisionInfo {
                number,
                kind,
                author,
                created_at: ts(&created_at)?,
            })
        })
        .collect()
}

/// Records the resident's signature under the consent of a story: the
/// scopes as ticked when they signed, the current consent text, the time.
/// Creates the consent record if the story has none yet.
pub async fn sign_consent(
    conn: &mut AnyConnection,
    rec: &StoryRecord,
    story: StoryId,
    scopes: ConsentScopes,
    consent_text_id: &str,
    signature: MediaId,
    by: UserId,
) -> Result<(), AppError> {
    match rec.consent {
        Some(cid) => {
            sqlx::query(
                "UPDATE consent SET scopes = $2, consent_text_id = $3, signature_media_id = $4, signed_at = $5
                  WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(cid.to_string())
            .bind(scopes.to_db())
            .bind(consent_text_id)
            .bind(signature.to_string())
            .bind(now())
            .execute(&mut *conn)
            .await?;
        }
        None => {
            let input = ConsentInput {
                scopes,
                witness_name: None,
                consent_text_id: consent_text_id.to_string(),
            };
            let cid = insert_consent(conn, rec.resident, &input, by).await?;
            sqlx::query("UPDATE consent SET signature_media_id = $2 WHERE id = $1")
                .bind(cid.to_string())
                .bind(signature.to_string())
                .execute(&mut *conn)
                .await?;
            sqlx::query("UPDATE story SET consent_id = $2 WHERE id = $1")
                .bind(story.to_string())
                .bind(cid.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Where a comment sits: its story, the answer it concerns, the comment it
/// answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentPlace {
    /// The story.
    pub story: StoryId,
    /// The answer (guide question) it concerns, if any.
    pub question: Option<QuestionId>,
    /// The comment it replies to, if any.
    pub parent: Option<CommentId>,
}

/// Where a comment sits, if it exists.
pub async fn comment_place(
    conn: &mut AnyConnection,
    comment: CommentId,
) -> Result<Option<CommentPlace>, AppError> {
    let row: Option<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT story_id, question_id, parent_id FROM comment WHERE id = $1")
            .bind(comment.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(story, question, parent)| {
        Ok(CommentPlace {
            story: id(&story)?,
            question: opt_id(question.as_deref())?,
            parent: opt_id(parent.as_deref())?,
        })
    })
    .transpose()
}

/// Marks a comment (and its replies) resolved or open again.
pub async fn set_comment_resolved(
    conn: &mut AnyConnection,
    comment: CommentId,
    resolved: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE comment SET resolved = $2 WHERE id = $1 OR parent_id = $1")
        .bind(comment.to_string())
        .bind(flag(resolved))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds a comment (a reply when `place.parent` is set); returns its id.
pub async fn add_comment(
    conn: &mut AnyConnection,
    place: CommentPlace,
    author: UserId,
    body: &str,
    story_version: i64,
) -> Result<CommentId, AppError> {
    let cid = CommentId::new();
    sqlx::query(
        "INSERT INTO comment (id, story_id, author_id, body, question_id, parent_id, story_version, resolved, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(cid.to_string())
    .bind(place.story.to_string())
    .bind(author.to_string())
    .bind(body)
    .bind(place.question.map(|q| q.to_string()))
    .bind(place.parent.map(|p| p.to_string()))
    .bind(story_version)
    .bind(flag(false))
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(cid)
}

/// Which stories a list shows.
#[derive(Debug, Clone)]
pub enum ListScope {
    /// Stories of these groups (students, lecturers).
    Groups(Vec<GroupId>),
    /// Stories of these organisations (researchers), optionally of one municipality.
    Organisations(Vec<OrganisationId>, Option<MunicipalityId>),
}

/// Lists stories in `scope` with one of `statuses`, newest change first
/// (`oldest_first` for review queues).
pub async fn list(
    db: &Db,
    scope: &ListScope,
    statuses: &[StoryStatus],
    oldest_first: bool,
) -> Result<Vec<StoryListItem>, AppError> {
    let (column, ids, municipality): (&str, Vec<String>, Option<MunicipalityId>) = match scope {
        ListScope::Groups(g) => (
            "s.group_id",
            g.iter().map(|x| x.to_string()).collect(),
            None,
        ),
        ListScope::Organisations(o, m) => (
            "s.organisation_id",
            o.iter().map(|x| x.to_string()).collect(),
            *m,
        ),
    };
    if ids.is_empty() || statuses.is_empty() {
        return Ok(Vec::new());
    }
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let id_params: Vec<String> = ids.iter().map(|_| next()).collect();
    let status_params: Vec<String> = statuses.iter().map(|_| next()).collect();
    let muni_clause = municipality.map(|_| format!(" AND s.municipality_id = {}", next()));
    let sql = format!(
        "SELECT s.id, s.title, s.status, n.name AS neighbourhood, m.name AS municipality, g.name AS group_name,
                r.pseudonym AS resident, s.updated_at, c.scopes, c.withdrawn_at
           FROM story s
           JOIN neighbourhood n ON n.id = s.neighbourhood_id
           JOIN municipality m ON m.id = s.municipality_id
           JOIN study_group g ON g.id = s.group_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN consent c ON c.id = s.consent_id
          WHERE {column} IN ({}) AND s.status IN ({}){}
          ORDER BY s.updated_at {}",
        id_params.join(", "),
        status_params.join(", "),
        muni_clause.unwrap_or_default(),
        if oldest_first { "ASC" } else { "DESC" },
    );
    let mut q = sqlx::query_as::<_, ListRow>(&sql);
    for i in &ids {
        q = q.bind(i.clone());
    }
    for s in statuses {
        q = q.bind(s.as_str());
    }
    if let Some(m) = municipality {
        q = q.bind(m.to_string());
    }
    let rows = q.fetch_all(&db.pool).await?;
    rows.into_iter()
        .map(|r| {
            Ok(StoryListItem {
                id: id(&r.id)?,
                title: r.title,
                status: StoryStatus::parse(&r.status)
                    .ok_or_else(|| AppError::internal(format!("unknown status {}", r.status)))?,
                neighbourhood: r.neighbourhood,
                municipality: r.municipality,
                group: r.group_name,
                resident: r.resident,
                updated_at: ts(&r.updated_at)?,
                scopes: match (r.scopes, r.withdrawn_at) {
                    (Some(s), None) => ConsentScopes::from_db(&s),
                    _ => ConsentScopes::none(),
                },
            })
        })
        .collect()
}
