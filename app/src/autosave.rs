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
//! The values of the form travel as a flat [`FieldMap`] keyed by stable names
//! ([`keys`]), so the browser can read them straight from the form, the server
//! can overlay them on the stored story, and both can compare them. The
//! browser glue (DOM, timers, `localStorage`) lives in
//! `client::autosave`; everything here is pure and unit-tested.

use crate::domain::consent::{ConsentScope, ConsentScopes};
use crate::domain::ids::{GroupId, NeighbourhoodId, QuestionId, StoryId, UserId};
use crate::domain::Message;
use crate::model::StoryDetail;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Prefix of answer keys in forms: `answers[q<uuid>]` (a bare UUID that
/// starts with a digit would be read as a list index by the form decoder).
pub const ANSWER_KEY_PREFIX: char = 'q';

/// The form key of the answer to `question`.
pub fn answer_key(question: QuestionId) -> String {
    format!("{ANSWER_KEY_PREFIX}{question}")
}

/// The story form as the browser sends it (with or without JavaScript).
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
    /// Answers keyed by [`answer_key`].
    #[serde(default)]
    pub answers: HashMap<String, String>,
    /// `submit` to hand the story in after saving.
    #[serde(default)]
    pub intent: Option<String>,
}

/// The values of the interview form, keyed by [`keys`].
pub type FieldMap = BTreeMap<String, String>;

/// The stable names of the form's fields in a [`FieldMap`].
pub mod keys {
    /// Story title.
    pub const TITLE: &str = "title";
    /// Resident pseudonym.
    pub const PSEUDONYM: &str = "pseudonym";
    /// The resident's real first name ("" when not given).
    pub const FIRST_NAME: &str = "first_name";
    /// Resident age band ("" when not asked).
    pub const AGE_BAND: &str = "age_band";
    /// Years in the neighbourhood, as typed.
    pub const YEARS: &str = "years_in_neighbourhood";
    /// Witness of the consent.
    pub const WITNESS: &str = "witness_name";
    /// Neighbourhood id.
    pub const NEIGHBOURHOOD: &str = "neighbourhood";
    /// Granted consent scopes, comma-separated in [`ConsentScope::ALL`](crate::domain::consent::ConsentScope::ALL) order.
    pub const SCOPES: &str = "scopes";
    /// Prefix of answers: `answers.q<question uuid>`.
    pub const ANSWER_PREFIX: &str = "answers.";

    /// The single-valued fields (one form control each).
    pub const SINGLE: [&str; 7] = [
        TITLE,
        PSEUDONYM,
        FIRST_NAME,
        AGE_BAND,
        YEARS,
        WITNESS,
        NEIGHBOURHOOD,
    ];
}

/// The [`FieldMap`] key of the answer to `question`.
pub fn answer_field(question: QuestionId) -> String {
    format!("{}{}", keys::ANSWER_PREFIX, answer_key(question))
}

/// Scopes in their one canonical text form: known scopes only, in form order.
pub fn canonical_scopes(scopes: ConsentScopes) -> String {
    scopes
        .iter()
        .map(ConsentScope::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_scopes(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Maps a field name of the HTML form (`form[answers][q…]`, `form[scopes][]`)
/// to its [`FieldMap`] key; `None` for fields that are not content (ids,
/// version, group, intent).
pub fn key_of_form_name(name: &str) -> Option<String> {
    let inner = name.strip_prefix("form[")?;
    if let Some(rest) = inner.strip_prefix("answers][") {
        let key = rest.strip_suffix(']')?;
        return Some(format!("{}{key}", keys::ANSWER_PREFIX));
    }
    let field = inner
        .strip_suffix("][]")
        .or_else(|| inner.strip_suffix(']'))?;
    keys::SINGLE
        .into_iter()
        .chain([keys::SCOPES])
        .find(|k| *k == field)
        .map(str::to_string)
}

/// The HTML form name of a [`FieldMap`] key (the inverse of [`key_of_form_name`]).
pub fn form_name_of_key(key: &str) -> String {
    match key.strip_prefix(keys::ANSWER_PREFIX) {
        Some(answer) => format!("form[answers][{answer}]"),
        None if key == keys::SCOPES => "form[scopes][]".to_string(),
        None => format!("form[{key}]"),
    }
}

/// Line endings as browsers report them from a text area (`\n`), so that a
/// value stored from a form post (`\r\n`) compares equal to what is shown.
fn normalised(value: &str) -> String {
    value.replace("\r\n", "\n").replace('\r', "\n")
}

/// The form values of a stored story, as the editor shows them.
pub fn fields_of_detail(detail: &StoryDetail) -> FieldMap {
    let mut fields = FieldMap::new();
    fields.insert(keys::TITLE.into(), normalised(&detail.title));
    fields.insert(
        keys::PSEUDONYM.into(),
        normalised(&detail.resident.pseudonym),
    );
    fields.insert(
        keys::FIRST_NAME.into(),
        normalised(detail.resident.first_name.as_deref().unwrap_or_default()),
    );
    fields.insert(
        keys::AGE_BAND.into(),
        detail.resident.age_band.clone().unwrap_or_default(),
    );
    fields.insert(
        keys::YEARS.into(),
        detail
            .resident
            .years_in_neighbourhood
            .map(|y| y.to_string())
            .unwrap_or_default(),
    );
    let consent = detail.consent.as_ref();
    fields.insert(
        keys::WITNESS.into(),
        consent
            .and_then(|c| c.witness_name.clone())
            .unwrap_or_default(),
    );
    fields.insert(
        keys::SCOPES.into(),
        canonical_scopes(consent.map(|c| c.scopes).unwrap_or_default()),
    );
    fields.insert(
        keys::NEIGHBOURHOOD.into(),
        detail.neighbourhood.id.to_string(),
    );
    for q in &detail.questions {
        let answer = detail.answers.get(&q.id).map(String::as_str).unwrap_or("");
        fields.insert(answer_field(q.id), normalised(answer));
    }
    fields
}

/// The fields of `current` whose value differs from `base` (a field missing
/// from `current` counts as empty).
pub fn changed(base: &FieldMap, current: &FieldMap) -> FieldMap {
    let mut out = FieldMap::new();
    for (k, v) in current {
        if base.get(k).map(|b| normalised(b)) != Some(normalised(v)) {
            out.insert(k.clone(), v.clone());
        }
    }
    for (k, b) in base {
        if !current.contains_key(k) && !b.is_empty() {
            out.insert(k.clone(), String::new());
        }
    }
    out
}

/// Builds the story form from field values (stored values with a patch laid
/// over them). Unknown keys are refused: they mean the page belongs to
/// another version of the form.
pub fn form_from_fields(
    id: StoryId,
    save_id: &str,
    version: i64,
    group: GroupId,
    fields: &FieldMap,
    intent: Option<&str>,
) -> Result<StoryForm, Message> {
    let stale_form = || {
        Message::new(
            "Het formulier hoort bij een andere versie van de vragenlijst. Laad de pagina opnieuw; uw tekst blijft op dit apparaat bewaard.",
            "The form belongs to another version of the interview guide. Reload the page; your text stays on this device.",
        )
    };
    let text = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let optional = |k: &str| fields.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let neighbourhood = NeighbourhoodId::parse(fields.get(keys::NEIGHBOURHOOD).map_or("", |s| s))
        .ok_or_else(|| {
        Message::new(
            "Kies eerst de wijk waar de bewoner woont.",
            "First choose the neighbourhood the resident lives in.",
        )
    })?;
    let mut answers = std::collections::HashMap::new();
    for (k, v) in fields {
        if let Some(answer) = k.strip_prefix(keys::ANSWER_PREFIX) {
            answers.insert(answer.to_string(), v.clone());
        } else if key_of_form_name(&form_name_of_key(k)).as_deref() != Some(k.as_str()) {
            return Err(stale_form());
        }
    }
    Ok(StoryForm {
        id,
        save_id: save_id.to_string(),
        version,
        group,
        neighbourhood,
        title: text(keys::TITLE),
        pseudonym: text(keys::PSEUDONYM),
        first_name: optional(keys::FIRST_NAME),
        age_band: optional(keys::AGE_BAND),
        years_in_neighbourhood: optional(keys::YEARS),
        scopes: parse_scopes(&text(keys::SCOPES)),
        witness_name: optional(keys::WITNESS),
        answers,
        intent: intent.map(str::to_string),
    })
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
            self.base.insert(k.clone(), v.clone());
        }
        self.base_version = version;
        self.unanswered.clear();
    }
}

/// One field on which two versions of a story differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// The [`FieldMap`] key.
    pub key: String,
    /// The value on this device.
    pub mine: String,
    /// The value on the server.
    pub theirs: String,
}

/// The fields where `mine` and `theirs` differ, in key order.
pub fn differences(mine: &FieldMap, theirs: &FieldMap) -> Vec<Difference> {
    let keys: std::collections::BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let a = normalised(mine.get(k).map_or("", |s| s));
            let b = normalised(theirs.get(k).map_or("", |s| s));
            (a != b).then(|| Difference {
                key: k.clone(),
                mine: a,
                theirs: b,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> FieldMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_names_round_trip() {
        let q = QuestionId::new();
        for key in [
            keys::TITLE.to_string(),
            keys::SCOPES.to_string(),
            keys::NEIGHBOURHOOD.to_string(),
            answer_field(q),
        ] {
            assert_eq!(key_of_form_name(&form_name_of_key(&key)), Some(key));
        }
        assert_eq!(
            key_of_form_name(&format!("form[answers][{}]", answer_key(q))),
            Some(answer_field(q))
        );
        assert_eq!(
            key_of_form_name("form[scopes][]").as_deref(),
            Some("scopes")
        );
        for not_content in [
            "form[id]",
            "form[version]",
            "form[save_id]",
            "form[group]",
            "form[intent]",
            "title",
            "form[evil",
        ] {
            assert_eq!(key_of_form_name(not_content), None, "{not_content}");
        }
    }

    #[test]
    fn only_changed_fields_travel() {
        let base = map(&[
            ("title", "Koffie"),
            ("answers.qa", "eerst"),
            ("answers.qb", "tweede"),
        ]);
        let current = map(&[
            ("title", "Koffie"),
            ("answers.qa", "eerst\nen meer"),
            ("answers.qb", "tweede"),
        ]);
        assert_eq!(
            changed(&base, &current),
            map(&[("answers.qa", "eerst\nen meer")])
        );
        // Line endings from a form post are not a change.
        let posted = map(&[("answers.qa", "a\r\nb")]);
        assert!(changed(&posted, &map(&[("answers.qa", "a\nb")])).is_empty());
        // A field that disappeared is sent as empty.
        assert_eq!(
            changed(&map(&[("title", "x")]), &FieldMap::new()),
            map(&[("title", "")])
        );
    }

    #[test]
    fn confirmation_keeps_what_was_typed_meanwhile() {
        let mut d = LocalDraft {
            story: StoryId::new(),
            user: UserId::new(),
            group: GroupId::new(),
            base_version: 3,
            base: map(&[("title", "a")]),
            current: map(&[("title", "ab")]),
            unanswered: vec!["s1".into()],
            touched_ms: 0.0,
        };
        let patch = d.patch("s2".into(), None);
        assert_eq!(patch.fields, map(&[("title", "ab")]));
        assert_eq!(patch.base_version, 3);
        assert_eq!(patch.earlier_saves, vec!["s1".to_string()]);
        d.current.insert("title".into(), "abc".into());
        d.confirmed(&patch.fields, 4);
        assert_eq!(d.base_version, 4);
        assert!(d.unanswered.is_empty());
        assert!(d.has_unsynced());
        assert_eq!(d.patch("s3".into(), None).fields, map(&[("title", "abc")]));
        d.confirmed(&map(&[("title", "abc")]), 5);
        assert!(!d.has_unsynced());
    }

    #[test]
    fn form_from_fields_refuses_unknown_keys_and_needs_a_neighbourhood() {
        let n = NeighbourhoodId::new();
        let q = QuestionId::new();
        let fields = map(&[
            ("neighbourhood", &n.to_string()),
            ("title", "Koffie"),
            ("scopes", "research,booklet"),
            ("age_band", ""),
            (&answer_field(q), "Ja"),
        ]);
        let form = form_from_fields(
            StoryId::new(),
            "s",
            2,
            GroupId::new(),
            &fields,
            Some("submit"),
        )
        .unwrap();
        assert_eq!(form.neighbourhood, n);
        assert_eq!(form.scopes, vec!["research", "booklet"]);
        assert_eq!(form.age_band, None);
        assert_eq!(
            form.answers.get(&answer_key(q)).map(String::as_str),
            Some("Ja")
        );
        assert_eq!(form.intent.as_deref(), Some("submit"));
        let mut bad = fields.clone();
        bad.insert("id".into(), "x".into());
        assert!(form_from_fields(StoryId::new(), "s", 2, GroupId::new(), &bad, None).is_err());
        let mut none = fields.clone();
        none.remove("neighbourhood");
        let e = form_from_fields(StoryId::new(), "s", 2, GroupId::new(), &none, None).unwrap_err();
        assert!(e.nl.contains("wijk"));
    }

    #[test]
    fn differences_list_both_sides() {
        let d = differences(
            &map(&[("title", "Mijn"), ("pseudonym", "An")]),
            &map(&[("title", "Hun"), ("pseudonym", "An")]),
        );
        assert_eq!(
            d,
            vec![Difference {
                key: "title".into(),
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
