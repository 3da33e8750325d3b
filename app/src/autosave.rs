//! Autosave and offline drafts of the interview form: the part both sides share.
//!
//! Students type interviews on tablets with Wi-Fi that comes and goes, so the
//! form never depends on the connection:
//!
//! 1. Every keystroke is written to the browser's `localStorage` as a
//!    [`LocalDraft`] (per user, per story). A reload, a crash or a closed tab
//!    loses nothing.
//! 2. A few seconds after typing stops, and when a field loses focus, the
//!    fields that differ from the last version the server confirmed travel to
//!    the server as a [`StoryPatch`] (only the changed answers).
//! 3. Every patch carries its own `save_id` (a UUID bound to exactly that
//!    payload) and the version it was based on. The server applies a `save_id`
//!    once; a repeat gets the current state back (no duplicates). A patch based
//!    on an old version is refused as a conflict — unless every newer revision
//!    came from this device's own earlier saves whose answer was lost
//!    ([`StoryPatch::earlier_saves`]); a patch always carries the full value of
//!    every field changed since the confirmed version, so it may then be applied
//!    on top.
//! 4. A real conflict (someone else saved in between) is shown to the student
//!    with both versions side by side ([`differences`]); they choose.
//!
//! The values of the form travel as a flat [`FieldMap`] keyed by
//! [`FieldKey`] (see [`crate::domain::story_form`]), so the browser can read
//! them straight from the form, the server can lay them over the stored
//! story, and both can compare them. The
//! browser glue (DOM, timers, `localStorage`) lives in
//! `client::autosave`; everything here is pure and unit-tested.

use crate::domain::ids::{GroupId, NeighbourhoodId, StoryId, UserId};
use crate::domain::story_form::{normalised, FormRefusal, StoryInput};
use crate::model::StoryDetail;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use crate::domain::story_form::{canonical_scopes, FieldKey, FieldMap};

/// The story form as the browser posts it without JavaScript (a plain
/// `<form>`; with JavaScript the same values travel as a [`StoryPatch`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryForm {
    /// Story id, generated when the empty form was first shown.
    pub id: StoryId,
    /// Id of this save: a repeated request with the same id is applied once.
    pub save_id: String,
    /// The version this edit started from (0 for a new story).
    #[serde(default)]
    pub version: i64,
    /// The student's group.
    pub group: GroupId,
    /// The neighbourhood the resident lives in.
    pub neighbourhood: NeighbourhoodId,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Resident pseudonym.
    #[serde(default)]
    pub pseudonym: String,
    /// The resident's real first name (printed only with the
    /// `real_first_name` consent).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Resident age band.
    #[serde(default)]
    pub age_band: Option<String>,
    /// Years in the neighbourhood, as typed.
    #[serde(default)]
    pub years_in_neighbourhood: Option<String>,
    /// Ticked consent scopes (`scopes[]=research&scopes[]=booklet`).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Name of the student who witnessed the consent.
    #[serde(default)]
    pub witness_name: Option<String>,
    /// Answers keyed by [`FieldKey::answer_name`] (`q<uuid>`).
    #[serde(default)]
    pub answers: HashMap<String, String>,
    /// `submit` to hand the story in after saving.
    #[serde(default)]
    pub intent: Option<String>,
}

impl StoryForm {
    /// The posted values in the form's one vocabulary: the whole form, so
    /// a field left out is empty. An answer key that is not `q<uuid>`
    /// means the page belongs to another guide.
    pub fn fields(&self) -> Result<FieldMap, FormRefusal> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut fields: FieldMap = [
            (FieldKey::Neighbourhood, self.neighbourhood.to_string()),
            (FieldKey::Title, self.title.clone()),
            (FieldKey::Pseudonym, self.pseudonym.clone()),
            (FieldKey::FirstName, opt(&self.first_name)),
            (FieldKey::AgeBand, opt(&self.age_band)),
            (FieldKey::Years, opt(&self.years_in_neighbourhood)),
            (FieldKey::Witness, opt(&self.witness_name)),
            (FieldKey::Scopes, self.scopes.join(",")),
        ]
        .into_iter()
        .collect();
        for (name, text) in &self.answers {
            let key = FieldKey::of_answer_name(name).ok_or_else(|| FormRefusal {
                message: crate::domain::Message::new(
                    "Het formulier hoort bij een andere vragenlijst. Laad de pagina opnieuw; kopieer eerst uw tekst.",
                    "The form belongs to another interview guide. Reload the page; copy your text first.",
                ),
                problems: Vec::new(),
            })?;
            fields.insert(key, text.clone());
        }
        Ok(fields)
    }
}

/// The form values of a stored story, as the editor shows them.
pub fn fields_of_detail(detail: &StoryDetail) -> FieldMap {
    let consent = detail.consent.as_ref();
    let input = StoryInput {
        neighbourhood: Some(detail.neighbourhood.id),
        title: detail.title.clone(),
        pseudonym: detail.resident.pseudonym.clone(),
        first_name: detail.resident.first_name.clone(),
        age_band: detail.resident.age_band.clone(),
        years_in_neighbourhood: detail.resident.years_in_neighbourhood,
        scopes: consent.map(|c| c.scopes).unwrap_or_default(),
        witness_name: consent.and_then(|c| c.witness_name.clone()),
        answers: detail.answers.clone(),
    };
    input.fields(detail.questions.iter().map(|q| q.id))
}

/// The fields of `current` whose value differs from `base` (a field missing
/// from `current` counts as empty).
pub fn changed(base: &FieldMap, current: &FieldMap) -> FieldMap {
    let mut out = FieldMap::new();
    for (k, v) in current {
        if base.get(k).map(|b| normalised(b)) != Some(normalised(v)) {
            out.insert(*k, v.clone());
        }
    }
    for (k, b) in base {
        if !current.contains_key(k) && !b.is_empty() {
            out.insert(*k, String::new());
        }
    }
    out
}

/// One autosave: the fields changed since the version the server confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryPatch {
    /// The story (generated in the browser for a new one).
    pub id: StoryId,
    /// This save's id: applied once, however often it is sent.
    pub save_id: String,
    /// The version the changes were made on (0 for a story not yet stored).
    pub base_version: i64,
    /// The student's group (used when the story is created).
    pub group: GroupId,
    /// Full values of every field changed since `base_version`.
    pub fields: FieldMap,
    /// Saves sent earlier from this device whose answer never arrived.
    #[serde(default)]
    pub earlier_saves: Vec<String>,
    /// `submit` to hand the story in after saving.
    #[serde(default)]
    pub intent: Option<String>,
}

/// The state of one story's draft in this browser (`localStorage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalDraft {
    /// The story.
    pub story: StoryId,
    /// Whose draft this is: drafts are never shown to another account.
    pub user: UserId,
    /// The group the story belongs to.
    pub group: GroupId,
    /// The version `base` corresponds to (0: the server has never seen it).
    pub base_version: i64,
    /// The values the server confirmed at `base_version`.
    pub base: FieldMap,
    /// The values as typed.
    pub current: FieldMap,
    /// Saves sent but never answered (possibly applied by the server).
    #[serde(default)]
    pub unanswered: Vec<String>,
    /// When the draft last changed, milliseconds since 1970 (browser clock).
    pub touched_ms: f64,
}

impl LocalDraft {
    /// The `localStorage` key of a user's draft of a story.
    pub fn storage_key(user: UserId, story: StoryId) -> String {
        format!("{}{user}:{story}", Self::prefix(user))
    }

    /// The common prefix of all of a user's drafts.
    pub fn prefix(user: UserId) -> String {
        format!("wijkverhalen:concept:v1:{user}:")
    }

    /// Whether something typed has not been confirmed by the server.
    pub fn has_unsynced(&self) -> bool {
        !changed(&self.base, &self.current).is_empty()
    }

    /// The patch that brings the server up to date, under a new save id.
    pub fn patch(&self, save_id: String, intent: Option<&str>) -> StoryPatch {
        StoryPatch {
            id: self.story,
            save_id,
            base_version: self.base_version,
            group: self.group,
            fields: changed(&self.base, &self.current),
            earlier_saves: self.unanswered.clone(),
            intent: intent.map(str::to_string),
        }
    }

    /// The server confirmed `sent` (the values of a patch) as `version`:
    /// what was typed meanwhile stays unsynced.
    pub fn confirmed(&mut self, sent: &FieldMap, version: i64) {
        for (k, v) in sent {
            self.base.insert(*k, v.clone());
        }
        self.base_version = version;
        self.unanswered.clear();
    }
}

/// One field on which two versions of a story differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// The field.
    pub key: FieldKey,
    /// The value on this device.
    pub mine: String,
    /// The value on the server.
    pub theirs: String,
}

/// The fields where `mine` and `theirs` differ, in key order.
pub fn differences(mine: &FieldMap, theirs: &FieldMap) -> Vec<Difference> {
    let keys: std::collections::BTreeSet<&FieldKey> = mine.keys().chain(theirs.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let a = normalised(mine.get(k).map_or("", |s| s));
            let b = normalised(theirs.get(k).map_or("", |s| s));
            (a != b).then_some(Difference {
                key: *k,
                mine: a,
                theirs: b,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::QuestionId;

    fn map(pairs: &[(FieldKey, &str)]) -> FieldMap {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn only_changed_fields_travel() {
        let (qa, qb) = (
            FieldKey::Answer(QuestionId::new()),
            FieldKey::Answer(QuestionId::new()),
        );
        let title = FieldKey::Title;
        let base = map(&[(title, "Koffie"), (qa, "eerst"), (qb, "tweede")]);
        let current = map(&[(title, "Koffie"), (qa, "eerst\nen meer"), (qb, "tweede")]);
        assert_eq!(changed(&base, &current), map(&[(qa, "eerst\nen meer")]));
        // Line endings from a form post are not a change.
        let posted = map(&[(qa, "a\r\nb")]);
        assert!(changed(&posted, &map(&[(qa, "a\nb")])).is_empty());
        // A field that disappeared is sent as empty.
        assert_eq!(
            changed(&map(&[(title, "x")]), &FieldMap::new()),
            map(&[(title, "")])
        );
    }

    #[test]
    fn confirmation_keeps_what_was_typed_meanwhile() {
        let title = FieldKey::Title;
        let mut d = LocalDraft {
            story: StoryId::new(),
            user: UserId::new(),
            group: GroupId::new(),
            base_version: 3,
            base: map(&[(title, "a")]),
            current: map(&[(title, "ab")]),
            unanswered: vec!["s1".into()],
            touched_ms: 0.0,
        };
        let patch = d.patch("s2".into(), None);
        assert_eq!(patch.fields, map(&[(title, "ab")]));
        assert_eq!(patch.base_version, 3);
        assert_eq!(patch.earlier_saves, vec!["s1".to_string()]);
        d.current.insert(title, "abc".into());
        d.confirmed(&patch.fields, 4);
        assert_eq!(d.base_version, 4);
        assert!(d.unanswered.is_empty());
        assert!(d.has_unsynced());
        assert_eq!(d.patch("s3".into(), None).fields, map(&[(title, "abc")]));
        d.confirmed(&map(&[(title, "abc")]), 5);
        assert!(!d.has_unsynced());
    }

    #[test]
    fn drafts_and_patches_keep_their_stored_json() {
        // Drafts already on tablets were written with string keys: the typed
        // keys read and write exactly those.
        let q = QuestionId::new();
        let json = format!(r#"{{"answers.q{q}":"Ja","title":"Koffie"}}"#);
        let fields: FieldMap = serde_json::from_str(&json).unwrap();
        assert_eq!(
            fields,
            map(&[(FieldKey::Answer(q), "Ja"), (FieldKey::Title, "Koffie")])
        );
        let written: serde_json::Value = serde_json::to_value(&fields).unwrap();
        assert_eq!(
            written,
            serde_json::from_str::<serde_json::Value>(&json).unwrap()
        );
        assert!(serde_json::from_str::<FieldMap>(r#"{"id":"x"}"#).is_err());
    }

    #[test]
    fn the_posted_form_becomes_the_same_fields() {
        let (n, q) = (NeighbourhoodId::new(), QuestionId::new());
        let form = StoryForm {
            id: StoryId::new(),
            save_id: "s".into(),
            version: 2,
            group: GroupId::new(),
            neighbourhood: n,
            title: "Koffie".into(),
            pseudonym: String::new(),
            first_name: None,
            age_band: Some("30-44".into()),
            years_in_neighbourhood: None,
            scopes: vec!["research".into(), "booklet".into()],
            witness_name: None,
            answers: [(FieldKey::answer_name(q), "Ja".to_string())]
                .into_iter()
                .collect(),
            intent: None,
        };
        let fields = form.fields().unwrap();
        assert_eq!(
            fields.get(&FieldKey::Answer(q)).map(String::as_str),
            Some("Ja")
        );
        assert_eq!(
            fields.get(&FieldKey::Scopes).map(String::as_str),
            Some("research,booklet")
        );
        assert_eq!(
            fields.get(&FieldKey::FirstName).map(String::as_str),
            Some("")
        );
        let mut stale = form.clone();
        stale.answers.insert("vraag1".into(), "x".into());
        assert!(stale
            .fields()
            .unwrap_err()
            .message
            .nl
            .contains("andere vragenlijst"));
    }

    #[test]
    fn differences_list_both_sides() {
        let d = differences(
            &map(&[(FieldKey::Title, "Mijn"), (FieldKey::Pseudonym, "An")]),
            &map(&[(FieldKey::Title, "Hun"), (FieldKey::Pseudonym, "An")]),
        );
        assert_eq!(
            d,
            vec![Difference {
                key: FieldKey::Title,
                mine: "Mijn".into(),
                theirs: "Hun".into()
            }]
        );
    }

    #[test]
    fn storage_keys_are_per_user() {
        let (u1, u2, s) = (UserId::new(), UserId::new(), StoryId::new());
        assert!(LocalDraft::storage_key(u1, s).starts_with(&LocalDraft::prefix(u1)));
        assert!(!LocalDraft::storage_key(u2, s).starts_with(&LocalDraft::prefix(u1)));
    }
}
