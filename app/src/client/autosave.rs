//! The browser side of autosave and offline drafts (see [`crate::autosave`]).
//!
//! The interview form stays a plain server-rendered `<form>` (it works without
//! JavaScript). Once hydrated, [`EditorClient`] takes over its saving: it
//! mirrors every keystroke into `localStorage`, sends the changed fields a
//! moment after typing stops (and when a field loses focus), retries when the
//! connection returns, and shows the conflict screen when someone else saved
//! in between. On the server (SSR) every method is a no-op: the handlers are
//! only ever called in the browser.

use crate::autosave::{Difference, FieldKey};
use crate::domain::ids::{StoryId, UserId};
use crate::domain::time::Timestamp;
use crate::domain::Message;
use crate::error::AppError;
use crate::model::{GuideQuestion, NeighbourhoodRef};
use leptos::prelude::*;

/// What the save indicator shows.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing typed since the page was opened.
    Clean,
    /// Typed, kept on this device, about to be sent.
    Unsynced,
    /// A save is on its way.
    Saving,
    /// The server confirmed everything typed up to then.
    Saved(Timestamp),
    /// The server cannot be reached; the text is kept on this device.
    Offline,
    /// The server refused the save (the message says why); the text is kept.
    Failed(AppError),
}

impl SaveState {
    /// A stable code (`data-state` in the page, for tests and styles).
    pub fn code(&self) -> &'static str {
        match self {
            SaveState::Clean => "clean",
            SaveState::Unsynced => "unsynced",
            SaveState::Saving => "saving",
            SaveState::Saved(_) => "saved",
            SaveState::Offline => "offline",
            SaveState::Failed(_) => "failed",
        }
    }

    /// What the indicator says.
    pub fn label(&self, lang: crate::domain::lang::Lang) -> String {
        match self {
            SaveState::Clean => String::new(),
            SaveState::Unsynced => lang
                .pick(
                    "Bewaard op dit apparaat — wordt zo opgeslagen",
                    "Kept on this device — saving shortly",
                )
                .to_string(),
            SaveState::Saving => lang.pick("Bezig met opslaan…", "Saving…").to_string(),
            SaveState::Saved(t) => format!("{} {}", lang.pick("Opgeslagen", "Saved"), t.time_hm()),
            SaveState::Offline => lang
                .pick(
                    "Niet verbonden — lokaal bewaard",
                    "Not connected — kept on this device",
                )
                .to_string(),
            SaveState::Failed(_) => lang
                .pick(
                    "Niet opgeslagen — bewaard op dit apparaat",
                    "Not saved — kept on this device",
                )
                .to_string(),
        }
    }
}

/// One field on which this device and the server disagree, for people.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// What the field is ("Titel", the question…).
    pub label: String,
    /// The value on this device.
    pub mine: String,
    /// The value on the server.
    pub theirs: String,
}

/// The conflict screen's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    /// The version on the server.
    pub server_version: i64,
    /// The differing fields.
    pub rows: Vec<ConflictRow>,
}

/// What the editor knows about the story when the page is shown.
#[derive(Debug, Clone)]
pub struct EditorSetup {
    /// The signed-in user.
    pub user: UserId,
    /// The story (a fresh id on the "new" page).
    pub story: StoryId,
    /// The version the page shows (0: new).
    pub version: i64,
    /// The guide questions (labels of the conflict screen).
    pub questions: Vec<GuideQuestion>,
    /// The neighbourhoods offered (names on the conflict screen).
    pub neighbourhoods: Vec<NeighbourhoodRef>,
}

/// The reactive face of the editor's saving, shared by the form's handlers.
#[derive(Clone, Copy)]
pub struct EditorClient {
    /// The save indicator.
    pub state: RwSignal<SaveState>,
    /// Problems the server reported with the last save.
    pub problems: RwSignal<Vec<crate::domain::text::FieldProblem>>,
    /// The version the server confirmed last.
    pub version: RwSignal<i64>,
    /// The conflict screen, when shown.
    pub conflict: RwSignal<Option<ConflictView>>,
    /// A one-off notice ("your text from this device was put back").
    pub notice: RwSignal<Option<Message>>,
    /// The form element.
    pub form: NodeRef<leptos::html::Form>,
    /// The consent scopes ticked in the form right now (canonical text form).
    pub current_scopes: RwSignal<String>,
    #[cfg(feature = "hydrate")]
    inner: StoredValue<std::rc::Rc<browser::Inner>, LocalStorage>,
}

impl EditorClient {
    /// The client for one editor.
    pub fn new(setup: EditorSetup, problems: Vec<crate::domain::text::FieldProblem>) -> Self {
        let version = setup.version;
        #[cfg(not(feature = "hydrate"))]
        let _ = setup;
        EditorClient {
            state: RwSignal::new(SaveState::Clean),
            problems: RwSignal::new(problems),
            version: RwSignal::new(version),
            conflict: RwSignal::new(None),
            notice: RwSignal::new(None),
            form: NodeRef::new(),
            current_scopes: RwSignal::new(String::new()),
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(std::rc::Rc::new(browser::Inner::new(setup))),
        }
    }

    /// Something was typed or chosen.
    pub fn on_input(self) {
        #[cfg(feature = "hydrate")]
        browser::on_input(self);
    }

    /// A field lost focus: save now rather than later.
    pub fn on_leave_field(self) {
        #[cfg(feature = "hydrate")]
        browser::flush(self, None);
    }

    /// The form was submitted (a button): save, and hand in with `submit`.
    /// Returns whether the browser should go on with a normal form post
    /// (only when this client cannot run).
    pub fn on_submit(self, intent: Option<String>) -> bool {
        #[cfg(feature = "hydrate")]
        {
            browser::flush(self, Some(intent.unwrap_or_else(|| "save".into())));
            false
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = intent;
            true
        }
    }

    /// The form's submit event: in the browser the save goes through this
    /// client (the button's value is the intent) instead of a page load.
    pub fn on_submit_event(self, ev: leptos::ev::SubmitEvent) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let intent = ev
                .submitter()
                .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                .map(|b| b.value());
            if !self.on_submit(intent) {
                ev.prevent_default();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    /// Starts the client once the page is interactive: restores a draft
    /// kept on this device, listens for the connection coming back.
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        browser::start(self);
    }

    /// The story this form saves to (it can change when a draft of this
    /// device is picked up again); `None` on the server.
    pub fn story_id(self) -> Option<StoryId> {
        #[cfg(feature = "hydrate")]
        return browser::story_id(self);
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// The server now holds `scopes` (the resident signed them): they are no
    /// longer a change to send.
    pub fn confirm_scopes(self, scopes: String) {
        #[cfg(feature = "hydrate")]
        browser::confirm_field(self, FieldKey::Scopes, scopes);
        #[cfg(not(feature = "hydrate"))]
        let _ = scopes;
    }

    /// Conflict: keep this device's version (it is saved over the server's).
    pub fn keep_mine(self) {
        #[cfg(feature = "hydrate")]
        browser::keep_mine(self);
    }

    /// Conflict: take the server's version (this device's changes are dropped).
    pub fn take_theirs(self) {
        #[cfg(feature = "hydrate")]
        browser::take_theirs(self);
    }
}

/// Turns field differences into rows people can read.
pub fn conflict_rows(
    differences: &[Difference],
    questions: &[GuideQuestion],
    neighbourhoods: &[NeighbourhoodRef],
    lang: crate::domain::lang::Lang,
) -> Vec<ConflictRow> {
    let neighbourhood_name = |id: &str| {
        neighbourhoods
            .iter()
            .find(|n| n.id.to_string() == id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let scope_names = |v: &str| {
        v.split(',')
            .filter_map(crate::domain::consent::ConsentScope::parse)
            .map(|s| {
                let (nl, en) = s.label();
                lang.pick(nl, en).to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    differences
        .iter()
        .map(|d| {
            let label = match d.key {
                FieldKey::Title => lang.pick("Titel", "Title").to_string(),
                FieldKey::Pseudonym => lang.pick("Schuilnaam", "Pseudonym").to_string(),
                FieldKey::FirstName => lang.pick("Voornaam", "First name").to_string(),
                FieldKey::AgeBand => lang.pick("Leeftijdsgroep", "Age band").to_string(),
                FieldKey::Years => lang
                    .pick("Jaren in de wijk", "Years in the neighbourhood")
                    .to_string(),
                FieldKey::Witness => lang.pick("Getuige", "Witness").to_string(),
                FieldKey::Neighbourhood => lang.pick("Wijk", "Neighbourhood").to_string(),
                FieldKey::Scopes => lang.pick("Toestemming", "Consent").to_string(),
                FieldKey::Answer(q) => questions
                    .iter()
                    .find(|x| x.id == q)
                    .map(|q| q.text.clone())
                    .unwrap_or_else(|| d.key.name()),
            };
            let show = |v: &str| match d.key {
                FieldKey::Neighbourhood => neighbourhood_name(v),
                FieldKey::Scopes => scope_names(v),
                _ => v.to_string(),
            };
            ConflictRow {
                label,
                mine: show(&d.mine),
                theirs: show(&d.theirs),
            }
        })
        .collect()
}

/// Deletes this device's copies of a user's synced drafts and cached pages
/// (on logout: a shared tablet must not show the next user anything).
/// Drafts that were never confirmed by the server are kept: they are the
/// only copy of someone's interview.
pub fn forget_device_copies(user: UserId) {
    #[cfg(feature = "hydrate")]
    browser::forget(user);
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::api::stories::{autosave_story, get_story};
    use crate::autosave::{canonical_scopes, differences, fields_of_detail, FieldMap, LocalDraft};
    use crate::domain::consent::{ConsentScope, ConsentScopes};
    use crate::domain::ids::GroupId;
    use leptos::leptos_dom::helpers::TimeoutHandle;
    use std::cell::{Cell, RefCell};
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use web_sys::{
        HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Storage,
    };

    /// How long after the last keystroke a save goes out.
    const DEBOUNCE: Duration = Duration::from_millis(2000);
    /// How often to try again while the server cannot be reached.
    const RETRY: Duration = Duration::from_secs(10);
    /// Name of the service worker's cache of editor pages (see `assets/sw.js`).
    const PAGE_CACHE: &str = "wijkverhalen-paginas-v1";

    pub struct Inner {
        setup: EditorSetup,
        draft: RefCell<Option<LocalDraft>>,
        in_flight: Cell<bool>,
        again: RefCell<Option<Option<String>>>,
        timer: RefCell<Option<TimeoutHandle>>,
        retry: RefCell<Option<TimeoutHandle>>,
        theirs: RefCell<Option<FieldMap>>,
        started: Cell<bool>,
    }

    impl Inner {
        pub fn new(setup: EditorSetup) -> Self {
            Inner {
                setup,
                draft: RefCell::new(None),
                in_flight: Cell::new(false),
                again: RefCell::new(None),
                timer: RefCell::new(None),
                retry: RefCell::new(None),
                theirs: RefCell::new(None),
                started: Cell::new(false),
            }
        }
    }

    fn inner(c: EditorClient) -> std::rc::Rc<Inner> {
        c.inner.get_value()
    }

    fn storage() -> Option<Storage> {
        window().local_storage().ok().flatten()
    }

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    fn persist(c: EditorClient, d: &LocalDraft) {
        let Some(s) = storage() else { return };
        let json = serde_json::to_string(d).unwrap_or_default();
        if s.set_item(&LocalDraft::storage_key(d.user, d.story), &json)
            .is_err()
        {
            c.notice.set(Some(Message::new(
                "Dit apparaat heeft geen ruimte meer om een kopie te bewaren. Zorg voor verbinding, zodat de tekst op de server komt.",
                "This device has no room left to keep a copy. Get a connection so the text reaches the server.",
            )));
        }
    }

    fn load(user: UserId, story: StoryId) -> Option<LocalDraft> {
        let s = storage()?;
        let json = s.get_item(&LocalDraft::storage_key(user, story)).ok()??;
        serde_json::from_str::<LocalDraft>(&json)
            .ok()
            .filter(|d| d.user == user && d.story == story)
    }

    fn remove(user: UserId, story: StoryId) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&LocalDraft::storage_key(user, story));
        }
    }

    /// All of `user`'s drafts on this device.
    fn all_drafts(user: UserId) -> Vec<LocalDraft> {
        let Some(s) = storage() else {
            return Vec::new();
        };
        let prefix = LocalDraft::prefix(user);
        let n = s.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(&prefix))
            .filter_map(|k| s.get_item(&k).ok().flatten())
            .filter_map(|json| serde_json::from_str::<LocalDraft>(&json).ok())
            .filter(|d| d.user == user)
            .collect()
    }

    pub fn forget(user: UserId) {
        for d in all_drafts(user) {
            if !d.has_unsynced() {
                remove(user, d.story);
            }
        }
        if let Ok(caches) = window().caches() {
            let _ = caches.delete(PAGE_CACHE);
        }
    }

    fn form_el(c: EditorClient) -> Option<HtmlFormElement> {
        c.form.get_untracked()
    }

    /// The form's values: content fields, the group and the story id.
    fn read_form(form: &HtmlFormElement) -> (FieldMap, Option<GroupId>) {
        let mut fields = FieldMap::new();
        for k in FieldKey::SINGLE {
            fields.insert(k, String::new());
        }
        let mut scopes = ConsentScopes::none();
        let mut group = None;
        if let Ok(data) = web_sys::FormData::new_with_form(form) {
            if let Ok(Some(iter)) = js_sys::try_iter(&data) {
                for entry in iter.flatten() {
                    let pair: js_sys::Array = entry.unchecked_into();
                    let (Some(name), Some(value)) =
                        (pair.get(0).as_string(), pair.get(1).as_string())
                    else {
                        continue;
                    };
                    if name == "form[group]" {
                        group = GroupId::parse(&value);
                    } else if let Some(key) = FieldKey::of_form_name(&name) {
                        if key == FieldKey::Scopes {
                            if let Some(s) = ConsentScope::parse(&value) {
                                scopes.insert(s);
                            }
                        } else {
                            fields.insert(key, value);
                        }
                    }
                }
            }
        }
        fields.insert(FieldKey::Scopes, canonical_scopes(scopes));
        (fields, group)
    }

    /// Puts values into the form (a restored draft, the server's version).
    fn write_form(form: &HtmlFormElement, fields: &FieldMap) {
        for (key, value) in fields {
            if *key == FieldKey::Scopes {
                let granted: Vec<&str> = value.split(',').collect();
                let selector = format!("input[name=\"{}\"]", FieldKey::Scopes.form_name());
                if let Ok(list) = form.query_selector_all(&selector) {
                    for i in 0..list.length() {
                        if let Some(input) = list
                            .item(i)
                            .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
                        {
                            input.set_checked(granted.contains(&input.value().as_str()));
                        }
                    }
                }
                continue;
            }
            let selector = format!("[name=\"{}\"]", key.form_name());
            let Ok(Some(el)) = form.query_selector(&selector) else {
                continue;
            };
            if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                if t.value() != *value {
                    t.set_value(value);
                }
            } else if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                if i.value() != *value {
                    i.set_value(value);
                }
            } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
                s.set_value(value);
            }
        }
    }

    fn set_story_id(form: &HtmlFormElement, story: StoryId) {
        if let Ok(Some(el)) = form.query_selector("input[name=\"form[id]\"]") {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                i.set_value(&story.to_string());
            }
        }
    }

    pub fn start(c: EditorClient) {
        let me = inner(c);
        if me.started.replace(true) {
            return;
        }
        let Some(form) = form_el(c) else { return };
        let setup = &me.setup;
        let (page, group) = read_form(&form);
        let group = group.unwrap_or(GroupId(uuid::Uuid::nil()));
        let mut draft = load(setup.user, setup.story);
        if draft.is_none() && setup.version == 0 {
            // A new interview typed on this device but never stored (the
            // connection was down): pick it up again instead of starting over.
            draft = all_drafts(setup.user)
                .into_iter()
                .filter(|d| d.base_version == 0 && d.has_unsynced())
                .max_by(|a, b| a.touched_ms.total_cmp(&b.touched_ms));
            if let Some(d) = &draft {
                set_story_id(&form, d.story);
            }
        }
        let draft = match draft {
            Some(d) if d.has_unsynced() || d.base_version > setup.version => {
                // This device has something newer than the page: show it.
                write_form(&form, &d.current);
                if d.has_unsynced() {
                    c.notice.set(Some(Message::new(
                        "Uw tekst van dit apparaat is teruggezet; hij wordt opgeslagen zodra er verbinding is.",
                        "Your text from this device has been restored; it is saved as soon as there is a connection.",
                    )));
                    c.state.set(SaveState::Unsynced);
                }
                c.version.set(d.base_version.max(setup.version));
                d
            }
            _ => LocalDraft {
                story: setup.story,
                user: setup.user,
                group,
                base_version: setup.version,
                base: page.clone(),
                current: page,
                unanswered: Vec::new(),
                touched_ms: now_ms(),
            },
        };
        let unsynced = draft.has_unsynced();
        let story = draft.story;
        c.current_scopes.set(
            draft
                .current
                .get(&FieldKey::Scopes)
                .cloned()
                .unwrap_or_default(),
        );
        *me.draft.borrow_mut() = Some(draft);
        if unsynced {
            flush(c, None);
        }
        // Save as soon as the connection returns.
        let handle = window_event_listener(leptos::ev::online, move |_| flush(c, None));
        on_cleanup(move || handle.remove());
        // Keep a copy of this page for reloading it offline (the service
        // worker caches what passes through it).
        if setup.version > 0 || unsynced {
            warm_cache(&crate::routes::edit_story(story));
        } else {
            warm_cache(&window().location().pathname().unwrap_or_default());
        }
    }

    /// Fetches `path` through the service worker so it lands in its cache,
    /// then marks the page as usable offline (`data-offline-ready`).
    fn warm_cache(path: &str) {
        let path = path.to_string();
        leptos::task::spawn_local(async move {
            let sw = window().navigator().service_worker();
            if wasm_bindgen_futures::JsFuture::from(
                sw.ready()
                    .unwrap_or_else(|_| js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)),
            )
            .await
            .is_err()
            {
                return;
            }
            // A freshly installed worker takes over the page a moment later.
            for _ in 0..40 {
                if sw.controller().is_some() {
                    break;
                }
                sleep_ms(250).await;
            }
            if sw.controller().is_none() {
                return;
            }
            let promise = window().fetch_with_str(&path);
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-offline-ready", "true");
                }
            }
        });
    }

    async fn sleep_ms(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    pub fn on_input(c: EditorClient) {
        let me = inner(c);
        let Some(form) = form_el(c) else { return };
        let (fields, group) = read_form(&form);
        let scopes = fields.get(&FieldKey::Scopes).cloned().unwrap_or_default();
        if c.current_scopes.get_untracked() != scopes {
            c.current_scopes.set(scopes);
        }
        {
            let mut slot = me.draft.borrow_mut();
            let Some(d) = slot.as_mut() else { return };
            d.current = fields;
            if d.base_version == 0 {
                if let Some(g) = group {
                    d.group = g;
                }
            }
            d.touched_ms = now_ms();
            if d.has_unsynced() {
                persist(c, d);
            }
        }
        if !matches!(
            c.state.get_untracked(),
            SaveState::Offline | SaveState::Saving
        ) {
            c.state.set(SaveState::Unsynced);
        }
        if let Some(t) = me.timer.borrow_mut().take() {
            t.clear();
        }
        let handle = set_timeout_with_handle(move || flush(c, None), DEBOUNCE).ok();
        *me.timer.borrow_mut() = handle;
    }

    /// Sends what is unsynced now (with `intent`, also when nothing changed).
    pub fn flush(c: EditorClient, intent: Option<String>) {
        let me = inner(c);
        if let Some(t) = me.timer.borrow_mut().take() {
            t.clear();
        }
        if let Some(t) = me.retry.borrow_mut().take() {
            t.clear();
        }
        if c.conflict.get_untracked().is_some() {
            return;
        }
        if intent.is_some() {
            // Read the form once more: the button may come right after typing.
            if let Some(form) = form_el(c) {
                let (fields, _) = read_form(&form);
                if let Some(d) = me.draft.borrow_mut().as_mut() {
                    d.current = fields;
                }
            }
        }
        if me.in_flight.get() {
            let mut again = me.again.borrow_mut();
            if intent.is_some() || again.is_none() {
                *again = Some(intent);
            }
            return;
        }
        let save_id = uuid::Uuid::new_v4().to_string();
        let patch = {
            let mut slot = me.draft.borrow_mut();
            let Some(d) = slot.as_mut() else { return };
            let patch = d.patch(save_id.clone(), intent.as_deref());
            if patch.fields.is_empty() && intent.is_none() {
                return;
            }
            if d.base_version == 0
                && d.current
                    .get(&FieldKey::Neighbourhood)
                    .filter(|n| !n.is_empty())
                    .is_none()
            {
                c.notice.set(Some(Message::new(
                    "Kies eerst de wijk waar de bewoner woont; tot dan blijft de tekst alleen op dit apparaat.",
                    "First choose the neighbourhood the resident lives in; until then the text stays on this device only.",
                )));
                c.state.set(SaveState::Unsynced);
                return;
            }
            d.unanswered.push(save_id.clone());
            persist(c, d);
            patch
        };
        me.in_flight.set(true);
        c.state.set(SaveState::Saving);
        leptos::task::spawn_local(async move {
            let result = autosave_story(patch.clone()).await;
            let me = inner(c);
            me.in_flight.set(false);
            match result {
                Ok(outcome) => {
                    let unsynced = {
                        let mut slot = me.draft.borrow_mut();
                        let Some(d) = slot.as_mut() else { return };
                        d.confirmed(&patch.fields, outcome.version);
                        persist(c, d);
                        d.has_unsynced()
                    };
                    c.version.set(outcome.version);
                    c.problems.set(outcome.problems.clone());
                    c.state.set(if unsynced {
                        SaveState::Unsynced
                    } else {
                        SaveState::Saved(outcome.saved_at)
                    });
                    let story = patch.id;
                    if patch.base_version == 0 {
                        // The story exists now: its address is the edit page.
                        let url = crate::routes::edit_story(story);
                        if let Ok(h) = window().history() {
                            let _ = h.replace_state_with_url(
                                &wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&url),
                            );
                        }
                        warm_cache(&url);
                    }
                    if patch.intent.as_deref() == Some("submit") {
                        if outcome.status.is_editable_by_students() {
                            c.notice.set(Some(Message::new(
                                "Nog niet ingediend: los eerst de punten hieronder op. Uw tekst is bewaard.",
                                "Not submitted yet: first resolve the points below. Your text has been saved.",
                            )));
                        } else {
                            remove(me.setup.user, story);
                            let _ = window().location().assign(&crate::routes::story(story));
                            return;
                        }
                    }
                    if let Some(next) = me.again.borrow_mut().take() {
                        flush(c, next);
                    } else if unsynced {
                        let handle = set_timeout_with_handle(move || flush(c, None), DEBOUNCE).ok();
                        *me.timer.borrow_mut() = handle;
                    }
                }
                Err(AppError::Offline(_)) => {
                    c.state.set(SaveState::Offline);
                    let intent = patch.intent.clone();
                    let handle = set_timeout_with_handle(move || flush(c, intent), RETRY).ok();
                    *me.retry.borrow_mut() = handle;
                }
                Err(AppError::Conflict { .. }) => {
                    me.again.borrow_mut().take();
                    show_conflict(c, patch.id).await;
                }
                Err(e) => {
                    // Refused: it was not applied, so it is not "unanswered".
                    if let Some(d) = me.draft.borrow_mut().as_mut() {
                        d.unanswered.retain(|s| *s != patch.save_id);
                        persist(c, d);
                    }
                    me.again.borrow_mut().take();
                    c.state.set(SaveState::Failed(e));
                }
            }
        });
    }

    async fn show_conflict(c: EditorClient, story: StoryId) {
        let me = inner(c);
        match get_story(story).await {
            Ok(detail) => {
                let theirs = fields_of_detail(&detail);
                let mine = me
                    .draft
                    .borrow()
                    .as_ref()
                    .map(|d| d.current.clone())
                    .unwrap_or_default();
                let lang = crate::i18n::detect_lang();
                let rows = conflict_rows(
                    &differences(&mine, &theirs),
                    &me.setup.questions,
                    &me.setup.neighbourhoods,
                    lang,
                );
                *me.theirs.borrow_mut() = Some(theirs);
                c.state.set(SaveState::Unsynced);
                c.conflict.set(Some(ConflictView {
                    server_version: detail.version,
                    rows,
                }));
            }
            Err(e) => c.state.set(SaveState::Failed(e)),
        }
    }

    pub fn story_id(c: EditorClient) -> Option<StoryId> {
        inner(c).draft.borrow().as_ref().map(|d| d.story)
    }

    pub fn confirm_field(c: EditorClient, key: FieldKey, value: String) {
        let me = inner(c);
        let mut slot = me.draft.borrow_mut();
        if let Some(d) = slot.as_mut() {
            d.base.insert(key, value);
            persist(c, d);
        }
    }

    pub fn keep_mine(c: EditorClient) {
        let me = inner(c);
        let Some(view) = c.conflict.get_untracked() else {
            return;
        };
        let Some(theirs) = me.theirs.borrow_mut().take() else {
            return;
        };
        if let Some(d) = me.draft.borrow_mut().as_mut() {
            d.base = theirs;
            d.base_version = view.server_version;
            d.unanswered.clear();
            persist(c, d);
        }
        c.conflict.set(None);
        flush(c, None);
    }

    pub fn take_theirs(c: EditorClient) {
        let me = inner(c);
        let Some(view) = c.conflict.get_untracked() else {
            return;
        };
        let Some(theirs) = me.theirs.borrow_mut().take() else {
            return;
        };
        if let Some(form) = form_el(c) {
            write_form(&form, &theirs);
        }
        if let Some(d) = me.draft.borrow_mut().as_mut() {
            d.base = theirs.clone();
            d.current = theirs;
            d.base_version = view.server_version;
            d.unanswered.clear();
            persist(c, d);
        }
        c.version.set(view.server_version);
        c.conflict.set(None);
        c.state.set(SaveState::Clean);
    }
}
