//! Saving the interview form: load → decide → write.
//!
//! A story's text arrives two ways: the whole form, posted without
//! JavaScript ([`StoryForm`]), and an autosave patch holding only the fields
//! changed since the version the device last saw ([`StoryPatch`]). Both
//! become one [`SaveRequest`], which goes through three steps:
//!
//! 1. [`load`] reads, in the save's transaction, everything the decision
//!    needs: the story's record and stored values (once), the guide, the
//!    group, the consent text and the chosen neighbourhood's municipality.
//! 2. [`decide`] is pure: who may save, whether the version still holds, the
//!    form's rules ([`StoryInput::parse`], after a patch is laid over the
//!    stored values), the consent to store and what still blocks handing in.
//! 3. [`write`] stores the decision, audits it and, when asked and nothing
//!    blocks it, hands the story in.
//!
//! A `save_id` is applied once: a repeat (double click, a retry after a lost
//! answer) is answered with the current state ([`replay`]).

use crate::api::server::apply_action;
use crate::autosave::{StoryForm, StoryPatch};
use crate::db::org::GroupContext;
use crate::db::stories::{
    self as store, ConsentInput, NewDraft, ResidentInput, Snapshot, StoryRecord, Written,
};
use crate::db::{audit, org, Db};
use crate::domain::access::{self, Actor};
use crate::domain::consent::{check_for_submission, ConsentScopes, ConsentState};
use crate::domain::ids::*;
use crate::domain::lifecycle::{StoryAction, StoryStatus};
use crate::domain::story_form::{FieldKey, FieldMap, FormRefusal, StoryInput};
use crate::domain::text::{check_story_text, AnswerCheck, Field, FieldProblem};
use crate::domain::time::Timestamp;
use crate::domain::Message;
use crate::error::AppError;
use crate::model::{ConsentText, GuideQuestion, SaveOutcome};
use sqlx::AnyConnection;

/// A save's outcome plus where a browser should go next, if anywhere.
pub struct Saved {
    /// What the page is told.
    pub outcome: SaveOutcome,
    /// Where a form post (or a new story's first save) continues.
    pub redirect: Option<String>,
}

/// The values a save brings.
#[derive(Debug, Clone)]
pub enum Values {
    /// The whole form: a field left out is empty.
    Whole(FieldMap),
    /// The fields changed since the request's base version, laid over the
    /// stored values. `earlier_saves` are this device's saves whose answer
    /// never arrived: newer revisions made by them are not a conflict.
    Patch {
        /// The changed fields, in full.
        fields: FieldMap,
        /// Earlier unanswered saves of the same device.
        earlier_saves: Vec<String>,
    },
}

/// One save of a story, however it arrived.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// The story (generated in the browser for a new one).
    pub story: StoryId,
    /// This save's id (a UUID).
    pub save_id: String,
    /// The version the values were made on (0 for a new story).
    pub base_version: i64,
    /// The group a new story is created in.
    pub group: GroupId,
    /// The values.
    pub values: Values,
    /// Hand the story in after saving.
    pub submit: bool,
}

impl SaveRequest {
    /// A whole form posted without JavaScript.
    pub fn of_form(form: StoryForm) -> Result<SaveRequest, AppError> {
        Ok(SaveRequest {
            story: form.id,
            base_version: form.version,
            group: form.group,
            values: Values::Whole(form.fields().map_err(refusal)?),
            submit: form.intent.as_deref() == Some("submit"),
            save_id: form.save_id,
        })
    }

    /// An autosave patch.
    pub fn of_patch(patch: StoryPatch) -> SaveRequest {
        SaveRequest {
            story: patch.id,
            base_version: patch.base_version,
            group: patch.group,
            submit: patch.intent.as_deref() == Some("submit"),
            save_id: patch.save_id,
            values: Values::Patch {
                fields: patch.fields,
                earlier_saves: patch.earlier_saves,
            },
        }
    }
}

fn refusal(r: FormRefusal) -> AppError {
    AppError::Invalid {
        message: r.message,
        problems: r.problems,
    }
}

fn invalid_save_id() -> AppError {
    AppError::invalid(Message::new(
        "Ongeldig formulier (save_id).",
        "Invalid form (save_id).",
    ))
}

/// Saves. Two copies of the same save racing each other (a double click
/// reaching two server instances) end as one save and one replay: the
/// loser's conflict is recognised by its save id.
pub async fn save(db: &Db, actor: &Actor, request: SaveRequest) -> Result<Saved, AppError> {
    let (story, save_id) = (request.story, request.save_id.trim().to_string());
    match save_once(db, actor, request).await {
        Err(e @ AppError::Conflict { .. }) => {
            let mut conn = db.pool.acquire().await?;
            if store::story_of_save(&mut conn, &save_id).await? == Some(story) {
                return replay(db, actor, story).await;
            }
            Err(e)
        }
        other => other,
    }
}

async fn save_once(db: &Db, actor: &Actor, request: SaveRequest) -> Result<Saved, AppError> {
    let save_id = uuid::Uuid::parse_str(request.save_id.trim())
        .map_err(|_| invalid_save_id())?
        .to_string();
    let mut tx = db.begin().await?;
    // A save that was already applied is answered with the current state,
    // not applied twice.
    if let Some(story) = store::story_of_save(&mut tx, &save_id).await? {
        tx.rollback().await?;
        if story != request.story {
            return Err(invalid_save_id());
        }
        return replay(db, actor, story).await;
    }
    let loaded = load(&mut tx, db, &request).await?;
    let decision = decide(actor, &request, &loaded)?;
    let saved = write(&mut tx, actor, &request, loaded, decision, &save_id).await?;
    tx.commit().await?;
    Ok(saved)
}

/// A stored story as a save finds it.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Its record.
    pub rec: StoryRecord,
    /// Its editable values.
    pub values: StoryInput,
    /// Whether every revision after the request's base came from this
    /// device's own saves (a patch may then be laid over the current one).
    pub newer_are_own: bool,
}

/// What [`decide`] needs, read by [`load`].
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The story, unless this save creates it.
    pub stored: Option<Stored>,
    /// The story's group (the request's for a new story); `None` if there
    /// is no such group.
    pub group: Option<GroupContext>,
    /// Every question of the edition's guide, archived ones too.
    pub guide: Vec<GuideQuestion>,
    /// The consent text residents see now, if the edition has one.
    pub consent_text: Option<ConsentText>,
    /// The municipality of the neighbourhood the values name, if it exists.
    pub municipality: Option<MunicipalityId>,
}

/// Reads what the decision needs; the story's record once.
pub async fn load(
    tx: &mut AnyConnection,
    db: &Db,
    request: &SaveRequest,
) -> Result<Loaded, AppError> {
    let stored = match store::editable(tx, request.story).await? {
        Some((rec, values)) => {
            let newer_are_own = match &request.values {
                Values::Patch { earlier_saves, .. } if rec.version > request.base_version => {
                    let after =
                        store::save_ids_after(tx, request.story, request.base_version).await?;
                    after.len() as i64 == rec.version - request.base_version
                        && after.iter().all(|s| {
                            s.as_ref()
                                .is_some_and(|s| *s == request.save_id || earlier_saves.contains(s))
                        })
                }
                _ => false,
            };
            Some(Stored {
                rec,
                values,
                newer_are_own,
            })
        }
        None => None,
    };
    let group_id = stored.as_ref().map_or(request.group, |s| s.rec.scope.group);
    let Some(group) = org::group_context(db, group_id).await? else {
        return Ok(Loaded {
            stored,
            group: None,
            guide: Vec::new(),
            consent_text: None,
            municipality: None,
        });
    };
    let edition = stored.as_ref().map_or(group.edition, |s| s.rec.edition);
    let guide = org::guide_with_archived(&db.pool, edition).await?;
    let consent_text = org::current_consent_text(db, edition).await?;
    let neighbourhood = values_of(request, stored.as_ref(), &guide)
        .get(&FieldKey::Neighbourhood)
        .and_then(|n| NeighbourhoodId::parse(n));
    let municipality = match neighbourhood {
        Some(n) => org::neighbourhood(db, n).await?.map(|(m, _)| m),
        None => None,
    };
    Ok(Loaded {
        stored,
        group: Some(group),
        guide,
        consent_text,
        municipality,
    })
}

/// The values to parse: the whole form, or the patch over the stored values.
fn values_of(request: &SaveRequest, stored: Option<&Stored>, guide: &[GuideQuestion]) -> FieldMap {
    match &request.values {
        Values::Whole(fields) => fields.clone(),
        Values::Patch { fields, .. } => {
            let mut all = stored
                .map(|s| s.values.fields(guide.iter().map(|q| q.id)))
                .unwrap_or_default();
            all.extend(fields.iter().map(|(k, v)| (*k, v.clone())));
            all
        }
    }
}

/// How the story is written.
#[derive(Debug, Clone)]
pub enum Change {
    /// A new draft.
    Create(NewDraft),
    /// New values of a stored story at `expected`, in `neighbourhood`.
    Update {
        /// The version the save replaces.
        expected: i64,
        /// The (possibly new) neighbourhood and its municipality.
        neighbourhood: Option<(NeighbourhoodId, MunicipalityId)>,
    },
}

/// What a save does, decided from what [`load`] read.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Create or update.
    pub change: Change,
    /// The story's text.
    pub content: Snapshot,
    /// The resident's details.
    pub resident: ResidentInput,
    /// The consent to store, if any.
    pub consent: Option<ConsentInput>,
    /// The consent as the rules will see it once written.
    pub consent_after: Option<ConsentState>,
    /// What still blocks handing in.
    pub problems: Vec<FieldProblem>,
}

/// Decides a save (pure). Refused: a story the actor may not read (404),
/// values no version of the form sends, a story that may no longer be
/// edited, a stale version (409), a neighbourhood outside the group, a new
/// story in a closed edition.
pub fn decide(actor: &Actor, request: &SaveRequest, loaded: &Loaded) -> Result<Decision, AppError> {
    if let Some(s) = &loaded.stored {
        access::read_role(actor, &s.rec.scope)?;
    }
    let group = loaded.group.as_ref().ok_or_else(AppError::not_found)?;
    let fields = values_of(request, loaded.stored.as_ref(), &loaded.guide);
    let guide: Vec<QuestionId> = loaded.guide.iter().map(|q| q.id).collect();
    let input = StoryInput::parse(&fields, &guide).map_err(refusal)?;
    let neighbourhood = input
        .neighbourhood
        .ok_or_else(|| AppError::internal("a parsed story names its neighbourhood"))?;
    let not_in_group = || {
        AppError::Forbidden(Message::new(
            "Deze wijk hoort niet bij uw groep. Kies een van de wijken van uw groep.",
            "This neighbourhood is not assigned to your group. Choose one of your group's neighbourhoods.",
        ))
    };
    let (change, stored_consent) = match &loaded.stored {
        Some(s) => {
            let rec = &s.rec;
            access::may_edit(actor, &rec.scope).map_err(|d| match d {
                access::Denied::Forbidden if actor.is_student_in(rec.scope.group) => {
                    let (nl, en) = rec.scope.status.label();
                    AppError::invalid(Message::new(
                        format!(
                            "Dit verhaal kan niet meer worden bewerkt: het heeft de status ‘{nl}’."
                        ),
                        format!("This story can no longer be edited: its status is ‘{en}’."),
                    ))
                }
                d => d.into(),
            })?;
            rec.changeable()?;
            let expected = match &request.values {
                Values::Patch { .. } if s.newer_are_own => rec.version,
                _ => request.base_version,
            };
            if expected != rec.version {
                return Err(AppError::stale(rec.version));
            }
            if !group.neighbourhoods.contains(&neighbourhood) {
                return Err(not_in_group());
            }
            let change = Change::Update {
                expected,
                neighbourhood: loaded.municipality.map(|m| (neighbourhood, m)),
            };
            (change, Some(rec))
        }
        None => {
            if request.base_version != 0 {
                return Err(AppError::not_found());
            }
            access::may_create_story(
                actor,
                request.group,
                &group.open_neighbourhoods,
                neighbourhood,
            )
            .map_err(|_| {
                if actor.is_student_in(request.group) {
                    not_in_group()
                } else {
                    AppError::forbidden()
                }
            })?;
            group
                .edition_status
                .accepts_new_interviews()
                .map_err(AppError::invalid)?;
            let municipality = loaded.municipality.ok_or_else(AppError::not_found)?;
            let draft = NewDraft {
                id: request.story,
                organisation: group.organisation,
                edition: group.edition,
                municipality,
                neighbourhood,
                group: request.group,
                created_by: actor.user,
            };
            (Change::Create(draft), None)
        }
    };
    let has_consent = stored_consent.is_some_and(|rec| rec.consent.is_some());
    let consent = loaded.consent_text.as_ref().and_then(|text| {
        (has_consent || !input.scopes.is_empty() || input.witness_name.is_some()).then(|| {
            ConsentInput {
                scopes: input.scopes,
                witness_name: input.witness_name.clone(),
                consent_text_id: text.id.clone(),
            }
        })
    });
    let consent_after = consent_after(stored_consent, consent.as_ref());
    let content = Snapshot {
        title: input.title,
        pseudonym: input.pseudonym.clone(),
        answers: input.answers,
        lead: String::new(),
    };
    let problems = problems(&content, &loaded.guide, consent_after.as_ref());
    Ok(Decision {
        change,
        content,
        resident: ResidentInput {
            pseudonym: input.pseudonym,
            first_name: input.first_name,
            age_band: input.age_band,
            years_in_neighbourhood: input.years_in_neighbourhood,
        },
        consent,
        consent_after,
        problems,
    })
}

/// The consent once `consent` is written over the stored one: a withdrawn
/// consent stays as it is; a signature covers only the scopes it was drawn
/// for; a named witness confirms.
fn consent_after(
    stored: Option<&StoryRecord>,
    consent: Option<&ConsentInput>,
) -> Option<ConsentState> {
    let before = stored.and_then(|rec| rec.consent_state.clone());
    let Some(c) = consent else {
        return before;
    };
    match before {
        Some(b) if b.withdrawn => Some(b),
        Some(b) => {
            let signed = stored.is_some_and(|rec| rec.signed) && b.scopes == c.scopes;
            Some(ConsentState {
                scopes: c.scopes,
                withdrawn: false,
                confirmed: signed || c.witness_name.is_some(),
            })
        }
        None => Some(ConsentState {
            scopes: c.scopes,
            withdrawn: false,
            confirmed: c.witness_name.is_some(),
        }),
    }
}

/// What still blocks handing in: the story's text against the guide, and
/// the consent.
pub fn problems(
    content: &Snapshot,
    guide: &[GuideQuestion],
    consent: Option<&ConsentState>,
) -> Vec<FieldProblem> {
    let checks: Vec<AnswerCheck<'_>> = guide
        .iter()
        .map(|q| AnswerCheck {
            question: q.id,
            required: q.required,
            text: content.answers.get(&q.id).map(String::as_str).unwrap_or(""),
        })
        .collect();
    let mut problems = check_story_text(&content.title, &content.pseudonym, &checks);
    if let Err(message) = check_for_submission(consent) {
        problems.push(FieldProblem {
            field: Field::Consent,
            message,
        });
    }
    problems
}

/// Stores the decision, audits it and hands the story in when asked and
/// nothing blocks it.
async fn write(
    tx: &mut AnyConnection,
    actor: &Actor,
    request: &SaveRequest,
    loaded: Loaded,
    d: Decision,
    save_id: &str,
) -> Result<Saved, AppError> {
    let story = request.story;
    let created = matches!(d.change, Change::Create(_));
    let (written, before) = match (&d.change, loaded.stored) {
        (Change::Create(draft), _) => {
            let w = store::create_draft(
                tx,
                draft,
                &d.content,
                &d.resident,
                d.consent.as_ref(),
                save_id,
            )
            .await?;
            let rec = StoryRecord {
                scope: access::StoryScope {
                    organisation: draft.organisation,
                    municipality: draft.municipality,
                    group: draft.group,
                    status: StoryStatus::Draft,
                    scopes: ConsentScopes::none(),
                },
                version: 0,
                edition: draft.edition,
                resident: w.resident,
                consent: None,
                consent_state: None,
                signed: false,
                // Created only in an open edition (checked by `decide`).
                edition_status: crate::domain::edition::EditionStatus::Open,
            };
            (w, rec)
        }
        (
            Change::Update {
                expected,
                neighbourhood,
            },
            Some(s),
        ) => {
            let w = store::update_draft(
                tx,
                &s.rec,
                story,
                *expected,
                &d.content,
                &d.resident,
                d.consent.as_ref(),
                *neighbourhood,
                actor.user,
                save_id,
            )
            .await?;
            (w, s.rec)
        }
        (Change::Update { .. }, None) => return Err(AppError::not_found()),
    };
    let rec = after_write(before, &d, written);
    audit(
        &mut *tx,
        Some(rec.scope.organisation),
        Some(actor.user),
        if created {
            "story.create"
        } else {
            "story.save"
        },
        "story",
        &story.to_string(),
        serde_json::json!({ "version": written.version }),
    )
    .await?;
    let mut problems = d.problems;
    let mut status = rec.scope.status;
    let mut version = written.version;
    let mut redirect = created.then(|| crate::routes::edit_story(story));
    if request.submit {
        if problems.is_empty() {
            let (to, v) =
                apply_action(&mut *tx, actor, story, &rec, StoryAction::Submit, version).await?;
            version = v;
            status = to;
            redirect = Some(crate::routes::story(story));
        } else {
            redirect = Some(crate::routes::edit_story_after_submit(story));
        }
    } else if !status.is_editable_by_students() {
        problems.clear();
    }
    Ok(Saved {
        outcome: SaveOutcome {
            id: story,
            version,
            status,
            saved_at: Timestamp::now(),
            problems,
            next_save_id: uuid::Uuid::new_v4().to_string(),
        },
        redirect,
    })
}

/// The record as the write left it (what handing in checks).
fn after_write(before: StoryRecord, d: &Decision, written: Written) -> StoryRecord {
    let scopes = match &d.consent_after {
        Some(c) if !c.withdrawn => c.scopes,
        _ => ConsentScopes::none(),
    };
    let signed = before.signed
        && before.consent_state.as_ref().map(|c| c.scopes)
            == d.consent_after.as_ref().map(|c| c.scopes);
    StoryRecord {
        scope: access::StoryScope {
            scopes,
            municipality: match &d.change {
                Change::Update {
                    neighbourhood: Some((_, m)),
                    ..
                } => *m,
                _ => before.scope.municipality,
            },
            ..before.scope
        },
        version: written.version,
        resident: written.resident,
        consent: written.consent,
        consent_state: d.consent_after.clone(),
        signed,
        ..before
    }
}

/// The answer to a save that was already applied: the story as it is now.
pub async fn replay(db: &Db, actor: &Actor, story: StoryId) -> Result<Saved, AppError> {
    let mut conn = db.pool.acquire().await?;
    let rec = store::record(&mut conn, story)
        .await?
        .ok_or_else(AppError::not_found)?;
    access::read_role(actor, &rec.scope)?;
    let guide = org::guide_with_archived(&db.pool, rec.edition).await?;
    let content = store::snapshot(&mut conn, story).await?;
    let problems = if rec.scope.status.is_editable_by_students() {
        problems(&content, &guide, rec.consent_state.as_ref())
    } else {
        Vec::new()
    };
    let redirect =
        (!rec.scope.status.is_editable_by_students()).then(|| crate::routes::story(story));
    Ok(Saved {
        outcome: SaveOutcome {
            id: story,
            version: rec.version,
            status: rec.scope.status,
            saved_at: Timestamp::now(),
            problems,
            next_save_id: uuid::Uuid::new_v4().to_string(),
        },
        redirect,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::tests_support::{actor_with, scope};
    use crate::domain::edition::EditionStatus;
    use crate::domain::role::{GroupRole, Role};

    struct World {
        rec: StoryRecord,
        stored: StoryInput,
        loaded: Loaded,
        student: Actor,
        question: QuestionId,
    }

    /// A draft of a student's group, stored at version 3 with one answer and
    /// a signed consent for research and photos.
    fn world() -> World {
        let scope = scope(StoryStatus::Draft);
        let student = actor_with(&scope, Some(GroupRole::Student), None);
        let (question, neighbourhood) = (QuestionId::new(), NeighbourhoodId::new());
        let scopes = ConsentScopes::from_db("research,photos");
        let rec = StoryRecord {
            scope: scope.clone(),
            version: 3,
            edition: EditionId::new(),
            resident: ResidentId::new(),
            consent: Some(ConsentId::new()),
            consent_state: Some(ConsentState {
                scopes,
                withdrawn: false,
                confirmed: true,
            }),
            signed: true,
            edition_status: EditionStatus::Open,
        };
        let stored = StoryInput {
            neighbourhood: Some(neighbourhood),
            title: "Koffie".into(),
            pseudonym: "Mevrouw Kessels".into(),
            scopes,
            answers: [(question, "Op de markt.".to_string())]
                .into_iter()
                .collect(),
            ..StoryInput::default()
        };
        let loaded = Loaded {
            stored: Some(Stored {
                rec: rec.clone(),
                values: stored.clone(),
                newer_are_own: false,
            }),
            group: Some(GroupContext {
                organisation: scope.organisation,
                edition: rec.edition,
                edition_status: EditionStatus::Open,
                neighbourhoods: vec![neighbourhood],
                open_neighbourhoods: vec![neighbourhood],
            }),
            guide: vec![GuideQuestion {
                id: question,
                position: 1,
                text: "Waar ontmoet u de buren?".into(),
                help_text: String::new(),
                required: true,
                archived: false,
            }],
            consent_text: Some(ConsentText {
                id: "tekst-1".into(),
                version: 1,
                body: "Toestemming".into(),
            }),
            municipality: Some(scope.municipality),
        };
        World {
            rec,
            stored,
            loaded,
            student,
            question,
        }
    }

    fn patch(w: &World, base: i64, fields: &[(FieldKey, &str)]) -> SaveRequest {
        SaveRequest {
            story: StoryId::new(),
            save_id: uuid::Uuid::new_v4().to_string(),
            base_version: base,
            group: w.rec.scope.group,
            values: Values::Patch {
                fields: fields.iter().map(|(k, v)| (*k, v.to_string())).collect(),
                earlier_saves: Vec::new(),
            },
            submit: false,
        }
    }

    #[test]
    fn a_patch_changes_only_its_fields_of_the_stored_story() {
        let w = world();
        let d = decide(
            &w.student,
            &patch(&w, 3, &[(FieldKey::Title, "Thee")]),
            &w.loaded,
        )
        .unwrap();
        assert_eq!(d.content.title, "Thee");
        assert_eq!(d.content.pseudonym, w.stored.pseudonym);
        assert_eq!(d.content.answers, w.stored.answers);
        assert!(matches!(d.change, Change::Update { expected: 3, .. }));
        // The scopes did not change: the signature still confirms the consent.
        let c = d.consent_after.unwrap();
        assert!(c.confirmed && c.scopes == w.stored.scopes);
    }

    #[test]
    fn changed_scopes_lose_the_signature_and_block_handing_in() {
        let w = world();
        let d = decide(
            &w.student,
            &patch(&w, 3, &[(FieldKey::Scopes, "research,web")]),
            &w.loaded,
        )
        .unwrap();
        let c = d.consent_after.clone().unwrap();
        assert_eq!(c.scopes, ConsentScopes::from_db("research,web"));
        assert!(
            !c.confirmed,
            "a signature covers only the scopes it was drawn for"
        );
        assert!(d.problems.iter().any(|p| p.field == Field::Consent));
        // A named witness confirms again.
        let d = decide(
            &w.student,
            &patch(
                &w,
                3,
                &[
                    (FieldKey::Scopes, "research,web"),
                    (FieldKey::Witness, "Sanne"),
                ],
            ),
            &w.loaded,
        )
        .unwrap();
        assert!(d.consent_after.unwrap().confirmed);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn a_stale_base_is_a_conflict_unless_the_newer_saves_were_this_devices() {
        let mut w = world();
        let stale = patch(&w, 2, &[(FieldKey::Title, "Thee")]);
        let e = decide(&w.student, &stale, &w.loaded).unwrap_err();
        assert!(
            matches!(
                e,
                AppError::Conflict {
                    current_version: Some(3),
                    ..
                }
            ),
            "{e:?}"
        );
        if let Some(s) = w.loaded.stored.as_mut() {
            s.newer_are_own = true;
        }
        let d = decide(&w.student, &stale, &w.loaded).unwrap();
        assert!(matches!(d.change, Change::Update { expected: 3, .. }));
    }

    #[test]
    fn who_may_save_what() {
        let w = world();
        let ok = patch(&w, 3, &[(FieldKey::Title, "Thee")]);
        // Another group's student may not even know the story.
        let other = actor_with(&scope(StoryStatus::Draft), Some(GroupRole::Student), None);
        assert!(matches!(
            decide(&other, &ok, &w.loaded),
            Err(AppError::NotFound(_))
        ));
        // The group's lecturer reads but does not write.
        let lecturer = actor_with(
            &w.rec.scope,
            Some(GroupRole::Lecturer),
            Some(Role::Lecturer),
        );
        assert!(decide(&lecturer, &ok, &w.loaded).is_err());
        // A neighbourhood outside the group is refused, in Dutch.
        let elsewhere = NeighbourhoodId::new().to_string();
        let e = decide(
            &w.student,
            &patch(&w, 3, &[(FieldKey::Neighbourhood, &elsewhere)]),
            &w.loaded,
        )
        .unwrap_err();
        assert!(e.message().nl.contains("hoort niet bij uw groep"), "{e:?}");
        // A handed-in story is no longer the student's to edit.
        let mut handed_in = world();
        if let Some(s) = handed_in.loaded.stored.as_mut() {
            s.rec.scope.status = StoryStatus::Submitted;
        }
        let e = decide(&handed_in.student, &ok, &handed_in.loaded).unwrap_err();
        assert!(
            e.message().nl.contains("kan niet meer worden bewerkt"),
            "{e:?}"
        );
    }

    #[test]
    fn a_new_story_needs_an_open_edition_and_version_zero() {
        let mut w = world();
        w.loaded.stored = None;
        let n = w.stored.neighbourhood.unwrap().to_string();
        let new = patch(
            &w,
            0,
            &[
                (FieldKey::Neighbourhood, &n),
                (FieldKey::Answer(w.question), "Ja"),
            ],
        );
        let d = decide(&w.student, &new, &w.loaded).unwrap();
        assert!(matches!(d.change, Change::Create(_)));
        assert!(
            d.consent.is_none(),
            "nothing ticked, nobody named: no consent record yet"
        );
        assert!(matches!(
            decide(
                &w.student,
                &patch(&w, 4, &[(FieldKey::Neighbourhood, &n)]),
                &w.loaded
            ),
            Err(AppError::NotFound(_))
        ));
        if let Some(g) = w.loaded.group.as_mut() {
            g.edition_status = EditionStatus::Closed;
        }
        let e = decide(&w.student, &new, &w.loaded).unwrap_err();
        assert!(e.message().nl.contains("editie is gesloten"), "{e:?}");
    }

    #[test]
    fn a_published_edition_is_read_only_for_students() {
        let mut w = world();
        if let Some(s) = w.loaded.stored.as_mut() {
            s.rec.edition_status = EditionStatus::Published;
        }
        let e = decide(
            &w.student,
            &patch(&w, 3, &[(FieldKey::Title, "Nieuw")]),
            &w.loaded,
        )
        .unwrap_err();
        assert!(e.message().nl.contains("alleen nog te lezen"), "{e:?}");
        // Closed: an existing story can still be finished.
        if let Some(s) = w.loaded.stored.as_mut() {
            s.rec.edition_status = EditionStatus::Closed;
        }
        assert!(decide(
            &w.student,
            &patch(&w, 3, &[(FieldKey::Title, "Nieuw")]),
            &w.loaded
        )
        .is_ok());
    }
}
