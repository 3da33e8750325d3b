//! The browser side of recording an interview (see [`crate::recorder`] and
//! [`crate::domain::recording`]).
//!
//! [`Recorder`] asks for the microphone (audio only), records with
//! `MediaRecorder` in chunks of [`CHUNK_MS`](crate::domain::recording::CHUNK_MS),
//! shows a running clock and sends every chunk as soon as it exists. When a
//! chunk cannot be sent (no connection, server busy) it waits — in memory and
//! in IndexedDB, so a reload or a crash of the tab does not lose it — and is
//! tried again in order, on a timer and as soon as the browser says it is
//! back online. Stopping queues the finish behind the last chunk: the
//! recording becomes playable once everything arrived. A recording that was
//! interrupted by a reload is picked up from IndexedDB when the interview is
//! opened again on the same device, and finished with what was kept.
//!
//! On the server (SSR) every method is a no-op.

use crate::domain::ids::{StoryId, UserId};
use crate::domain::Message;
use crate::error::AppError;
use crate::model::MediaView;
use leptos::prelude::*;

/// Where the live recording is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not recording.
    Idle,
    /// Waiting for the microphone (the browser may be asking the user).
    Asking,
    /// Recording.
    Recording,
    /// Paused (the clock stands still; nothing is recorded).
    Paused,
    /// Stop was pressed; the recorder hands over its last chunk.
    Stopping,
}

impl Phase {
    /// A stable code (`data-phase` in the page, for tests and styles).
    pub fn code(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Asking => "asking",
            Phase::Recording => "recording",
            Phase::Paused => "paused",
            Phase::Stopping => "stopping",
        }
    }

    /// Whether a recording is going on (recording or paused).
    pub fn is_live(self) -> bool {
        matches!(self, Phase::Recording | Phase::Paused | Phase::Stopping)
    }
}

/// The reactive face of the recorder, shared by the panel and the sticky
/// indicator.
#[derive(Clone, Copy)]
pub struct Recorder {
    /// The live recording's phase.
    pub phase: RwSignal<Phase>,
    /// Length of the live recording so far (pauses not counted).
    pub elapsed_ms: RwSignal<u64>,
    /// Chunks made on this device that the server has not confirmed yet.
    pub unsent: RwSignal<usize>,
    /// Recordings whose sending is not finished (the live one included once
    /// it stopped; earlier, interrupted ones).
    pub sending: RwSignal<usize>,
    /// The server could not be reached at the last attempt.
    pub offline: RwSignal<bool>,
    /// Whether this browser can record (`None` until the page is interactive).
    pub supported: RwSignal<Option<bool>>,
    /// Why something did not work.
    pub error: RwSignal<Option<AppError>>,
    /// A one-off notice ("Opname opgeslagen.").
    pub notice: RwSignal<Option<Message>>,
    /// The story's finished recordings.
    pub recordings: RwSignal<Vec<MediaView>>,
    #[cfg(feature = "hydrate")]
    inner: StoredValue<std::rc::Rc<browser::Inner>, LocalStorage>,
}

impl Recorder {
    /// The recorder of a story's edit page.
    pub fn new(story: StoryId, user: UserId, recordings: Vec<MediaView>) -> Self {
        #[cfg(not(feature = "hydrate"))]
        let _ = (story, user);
        let ui = Recorder {
            phase: RwSignal::new(Phase::Idle),
            elapsed_ms: RwSignal::new(0),
            unsent: RwSignal::new(0),
            sending: RwSignal::new(0),
            offline: RwSignal::new(false),
            supported: RwSignal::new(None),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            recordings: RwSignal::new(recordings),
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(std::rc::Rc::new(browser::Inner::placeholder())),
        };
        #[cfg(feature = "hydrate")]
        ui.inner
            .set_value(std::rc::Rc::new(browser::Inner::new(ui, story, user)));
        ui
    }

    /// Starts the browser side once the page is interactive: whether the
    /// browser can record, listening for the connection, and picking up a
    /// recording an earlier visit could not finish.
    pub fn mount(self) {
        #[cfg(feature = "hydrate")]
        if let Some(me) = self.inner.try_get_value() {
            browser::mount(me);
        }
    }

    /// "Opname starten".
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        if let Some(me) = self.inner.try_get_value() {
            browser::start(me);
        }
    }

    /// "Pauzeren".
    pub fn pause(self) {
        #[cfg(feature = "hydrate")]
        if let Some(me) = self.inner.try_get_value() {
            browser::pause(&me);
        }
    }

    /// "Hervatten".
    pub fn resume(self) {
        #[cfg(feature = "hydrate")]
        if let Some(me) = self.inner.try_get_value() {
            browser::resume(&me);
        }
    }

    /// "Opname stoppen".
    pub fn stop(self) {
        #[cfg(feature = "hydrate")]
        if let Some(me) = self.inner.try_get_value() {
            browser::stop(&me);
        }
    }

    /// Whether a recording is going on or still being sent (leaving the
    /// page or handing the interview in would lose it).
    pub fn is_busy(self) -> bool {
        self.phase.try_get_untracked().is_some_and(Phase::is_live)
            || self.sending.try_get_untracked().unwrap_or(0) > 0
    }

    /// The interview form is being submitted: while a recording is going on
    /// or still being sent, handing in waits (the server would refuse the
    /// rest of the recording once the interview is handed in). Returns
    /// whether the submit was held back.
    pub fn holds_submit(self, ev: &leptos::ev::SubmitEvent) -> bool {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let intent = ev
                .submitter()
                .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                .map(|b| b.value());
            if intent.as_deref() == Some("submit") && self.is_busy() {
                ev.prevent_default();
                self.error.set(Some(AppError::invalid(Message::new(
                    "Stop eerst de geluidsopname en wacht tot hij helemaal is verstuurd; daarna kunt u indienen.",
                    "First stop the audio recording and wait until it has been sent completely; then you can submit.",
                ))));
                if let Some(el) = document().get_element_by_id("opname-kop") {
                    el.scroll_into_view();
                }
                return true;
            }
            false
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ev;
            false
        }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::domain::ids::MediaId;
    use crate::domain::recording::{audio_mime, CHUNK_MS};
    use crate::recorder::{choose_mime, retry_delay_ms, Job, SafeChunks, UploadQueue};
    use leptos::leptos_dom::helpers::{IntervalHandle, TimeoutHandle};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, BlobEvent, MediaRecorder, MediaRecorderOptions, MediaStream};

    /// How long one request may take before it counts as failed.
    const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
    /// How often a refused start is tried again while the consent may still
    /// be on its way to the server (autosave runs a moment after ticking).
    const START_RETRIES: u32 = 8;

    pub struct Inner {
        ui: Option<Recorder>,
        story: StoryId,
        user: UserId,
        live: RefCell<Option<Live>>,
        uploads: RefCell<Vec<Upload>>,
        pumping: Cell<bool>,
        failures: Cell<u32>,
        start_refusals: Cell<u32>,
        retry: RefCell<Option<TimeoutHandle>>,
        ticker: RefCell<Option<IntervalHandle>>,
        wake_lock: RefCell<Option<JsValue>>,
        mounted: Cell<bool>,
    }

    /// The recording being made.
    struct Live {
        media: MediaId,
        recorder: MediaRecorder,
        stream: MediaStream,
        /// Recorded time before the current stretch.
        before_ms: f64,
        /// When the current stretch began (`None` while paused).
        since: Option<f64>,
        /// The user pressed stop (else the microphone went away).
        stop_pressed: bool,
        _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    }

    impl Live {
        fn elapsed_ms(&self) -> u64 {
            let running = self.since.map(|s| now() - s).unwrap_or(0.0);
            (self.before_ms + running).max(0.0) as u64
        }
    }

    /// A recording whose jobs are not all confirmed.
    struct Upload {
        media: MediaId,
        mime: String,
        queue: UploadQueue<Blob>,
        safe: SafeChunks,
        duration_ms: u64,
    }

    impl Inner {
        pub fn placeholder() -> Self {
            Inner::build(None, StoryId(uuid::Uuid::nil()), UserId(uuid::Uuid::nil()))
        }

        pub fn new(ui: Recorder, story: StoryId, user: UserId) -> Self {
            Inner::build(Some(ui), story, user)
        }

        fn build(ui: Option<Recorder>, story: StoryId, user: UserId) -> Self {
            Inner {
                ui,
                story,
                user,
                live: RefCell::new(None),
                uploads: RefCell::new(Vec::new()),
                pumping: Cell::new(false),
                failures: Cell::new(0),
                start_refusals: Cell::new(0),
                retry: RefCell::new(None),
                ticker: RefCell::new(None),
                wake_lock: RefCell::new(None),
                mounted: Cell::new(false),
            }
        }

        fn ui(&self) -> Recorder {
            self.ui.expect("recorder set up")
        }
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn has_global(name: &str) -> bool {
        js_sys::Reflect::get(&window(), &JsValue::from_str(name))
            .map(|v| !v.is_undefined() && !v.is_null())
            .unwrap_or(false)
    }

    /// Whether this browser can record: `MediaRecorder` and a microphone API
    /// (only in secure contexts: https or localhost).
    fn can_record() -> bool {
        let devices = js_sys::Reflect::get(&window().navigator(), &"mediaDevices".into())
            .map(|v| !v.is_undefined() && !v.is_null())
            .unwrap_or(false);
        devices && has_global("MediaRecorder")
    }

    fn unsupported() -> AppError {
        AppError::invalid(Message::new(
            "Opnemen kan niet in deze browser of op dit apparaat. Het interview zelf werkt gewoon; maak eventueel een opname met een ander apparaat.",
            "Recording is not possible in this browser or on this device. The interview itself works as usual; make a recording with another device if needed.",
        ))
    }

    fn no_consent() -> AppError {
        AppError::Forbidden(Message::new(
            "Opnemen kan alleen als de bewoner toestemming geeft voor een geluidsopname. Vink dat aan bij ‘Toestemming’ (en laat het interview opslaan).",
            "Recording is only possible when the resident consents to an audio recording. Tick it under ‘Consent’ (and let the interview save).",
        ))
    }

    /// The consent box for audio in the interview form, if the form has one.
    fn audio_consent_ticked() -> Option<bool> {
        document()
            .query_selector("input[name=\"form[scopes][]\"][value=\"audio\"]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.checked())
    }

    pub fn mount(me: Rc<Inner>) {
        if me.mounted.replace(true) {
            return;
        }
        let ui = me.ui();
        ui.supported.set(Some(can_record()));
        let online = {
            let me = me.clone();
            window_event_listener(leptos::ev::online, move |_| {
                me.failures.set(0);
                if let Some(t) = me.retry.borrow_mut().take() {
                    t.clear();
                }
                pump(&me);
            })
        };
        let offline = window_event_listener(leptos::ev::offline, move |_| {
            ui.offline.try_set(true);
        });
        let unload = {
            let me = me.clone();
            window_event_listener(leptos::ev::beforeunload, move |ev| {
                if busy(&me) {
                    ev.prevent_default();
                    ev.set_return_value("De opname is nog niet helemaal verstuurd.");
                }
            })
        };
        let visible = {
            let me = me.clone();
            window_event_listener_untyped("visibilitychange", move |_| {
                // The screen lock is let go while the page is hidden.
                if document().visibility_state() == web_sys::VisibilityState::Visible
                    && me.live.borrow().is_some()
                {
                    keep_screen_on(&me);
                }
            })
        };
        // Leaving the page inside the app stops the recording (what was
        // recorded is finished and sent; the rest waits in IndexedDB).
        let cleanup_me = send_wrapper::SendWrapper::new(me.clone());
        on_cleanup(move || {
            online.remove();
            offline.remove();
            unload.remove();
            visible.remove();
            stop(&cleanup_me);
        });
        let me2 = me.clone();
        leptos::task::spawn_local(async move {
            resume_kept(&me2).await;
        });
    }

    fn busy(me: &Inner) -> bool {
        me.live.borrow().is_some() || !me.uploads.borrow().is_empty()
    }

    pub fn start(me: Rc<Inner>) {
        let ui = me.ui();
        if me.live.borrow().is_some() || ui.phase.get_untracked() != Phase::Idle {
            return;
        }
        ui.error.set(None);
        ui.notice.set(None);
        if !can_record() {
            ui.error.set(Some(unsupported()));
            return;
        }
        if audio_consent_ticked() == Some(false) {
            ui.error.set(Some(no_consent()));
            return;
        }
        ui.phase.set(Phase::Asking);
        leptos::task::spawn_local(async move {
            match open_microphone().await {
                Ok(stream) => begin(&me, stream),
                Err(e) => {
                    ui.phase.try_set(Phase::Idle);
                    ui.error.try_set(Some(e));
                }
            }
        });
    }

    /// Asks for the microphone — audio only, nothing else.
    async fn open_microphone() -> Result<MediaStream, AppError> {
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio(&JsValue::TRUE);
        constraints.set_video(&JsValue::FALSE);
        let promise = window()
            .navigator()
            .media_devices()
            .and_then(|d| d.get_user_media_with_constraints(&constraints))
            .map_err(|_| unsupported())?;
        match JsFuture::from(promise).await {
            Ok(stream) => stream.dyn_into::<MediaStream>().map_err(|_| unsupported()),
            Err(e) => {
                let name = e
                    .dyn_ref::<web_sys::DomException>()
                    .map(|d| d.name())
                    .unwrap_or_default();
                Err(AppError::invalid(match name.as_str() {
                    "NotAllowedError" | "SecurityError" => Message::new(
                        "De microfoon mag niet worden gebruikt. Sta de microfoon toe voor deze site (in de adresbalk of de instellingen van de browser) en probeer het opnieuw.",
                        "The microphone may not be used. Allow the microphone for this site (in the address bar or the browser settings) and try again.",
                    ),
                    "NotFoundError" | "OverconstrainedError" => Message::new(
                        "Er is geen microfoon gevonden op dit apparaat.",
                        "No microphone was found on this device.",
                    ),
                    "NotReadableError" | "AbortError" => Message::new(
                        "De microfoon is bezet of werkt niet. Sluit andere apps die de microfoon gebruiken en probeer het opnieuw.",
                        "The microphone is busy or not working. Close other apps that use the microphone and try again.",
                    ),
                    _ => unsupported().message(),
                }))
            }
        }
    }

    fn stop_tracks(stream: &MediaStream) {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
    }

    fn begin(me: &Rc<Inner>, stream: MediaStream) {
        let ui = me.ui();
        // The page was left while the browser asked for the microphone.
        if ui.phase.try_get_untracked() != Some(Phase::Asking) {
            stop_tracks(&stream);
            return;
        }
        let chosen = choose_mime(MediaRecorder::is_type_supported);
        let options = MediaRecorderOptions::new();
        if let Some(m) = chosen {
            options.set_mime_type(m);
        }
        // Speech: 64 kbit/s Opus is clear and about 30 MB an hour.
        options.set_audio_bits_per_second(64_000);
        let Ok(recorder) =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
        else {
            stop_tracks(&stream);
            ui.phase.try_set(Phase::Idle);
            ui.error.try_set(Some(unsupported()));
            return;
        };
        let media = MediaId::new();
        let handler = |f: Box<dyn FnMut(JsValue)>| Closure::wrap(f);
        let on_data = {
            let me = me.clone();
            handler(Box::new(move |ev: JsValue| {
                let Ok(ev) = ev.dyn_into::<BlobEvent>() else {
                    return;
                };
                if let Some(blob) = ev.data().filter(|b| b.size() > 0.0) {
                    on_chunk(&me, media, blob);
                }
            }))
        };
        let on_stop = {
            let me = me.clone();
            handler(Box::new(move |_| on_stopped(&me, media)))
        };
        let on_error = {
            let me = me.clone();
            handler(Box::new(move |_| {
                me.ui().error.try_set(Some(AppError::invalid(Message::new(
                    "De opname is onderbroken door een fout van de microfoon. Wat tot dan is opgenomen, wordt bewaard.",
                    "The recording was interrupted by a microphone error. What was recorded until then is kept.",
                ))));
            }))
        };
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
        recorder.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if recorder.start_with_time_slice(CHUNK_MS as i32).is_err() {
            stop_tracks(&stream);
            ui.phase.try_set(Phase::Idle);
            ui.error.try_set(Some(unsupported()));
            return;
        }
        let mime = Some(recorder.mime_type())
            .filter(|m| audio_mime(m).is_some())
            .or(chosen.map(str::to_string))
            .unwrap_or_default();
        me.uploads.borrow_mut().push(Upload {
            media,
            mime,
            queue: UploadQueue::new(),
            safe: SafeChunks::default(),
            duration_ms: 0,
        });
        *me.live.borrow_mut() = Some(Live {
            media,
            recorder,
            stream,
            before_ms: 0.0,
            since: Some(now()),
            stop_pressed: false,
            _handlers: vec![on_data, on_stop, on_error],
        });
        keep(me, media);
        ui.elapsed_ms.try_set(0);
        ui.phase.try_set(Phase::Recording);
        let ticker = {
            let me = me.clone();
            set_interval_with_handle(
                move || {
                    if let Some(ms) = me.live.borrow().as_ref().map(Live::elapsed_ms) {
                        me.ui().elapsed_ms.try_set(ms);
                    }
                },
                Duration::from_millis(500),
            )
            .ok()
        };
        *me.ticker.borrow_mut() = ticker;
        keep_screen_on(me);
        refresh(me);
        pump(me);
    }

    fn on_chunk(me: &Rc<Inner>, media: MediaId, blob: Blob) {
        let seq = {
            let mut uploads = me.uploads.borrow_mut();
            let Some(u) = uploads.iter_mut().find(|u| u.media == media) else {
                return;
            };
            if u.mime.is_empty() && audio_mime(&blob.type_()).is_some() {
                u.mime = blob.type_();
            }
            if let Some(live) = me.live.borrow().as_ref() {
                u.duration_ms = live.elapsed_ms();
            }
            u.queue.push_chunk(blob.clone())
        };
        let Some(seq) = seq else { return };
        refresh(me);
        let me2 = me.clone();
        leptos::task::spawn_local(async move {
            if kept::put_chunk(media, seq, &blob).await {
                mark_safe(&me2, media, seq);
            }
        });
        pump(me);
    }

    /// Chunk `seq` is kept on the device or on the server: the count of
    /// recoverable chunks may grow.
    fn mark_safe(me: &Rc<Inner>, media: MediaId, seq: u32) {
        let grew = {
            let mut uploads = me.uploads.borrow_mut();
            let Some(u) = uploads.iter_mut().find(|u| u.media == media) else {
                return;
            };
            let before = u.safe.prefix();
            before != u.safe.mark(seq)
        };
        if grew {
            keep(me, media);
        }
    }

    /// Writes what is needed to resume `media` after a reload.
    fn keep(me: &Rc<Inner>, media: MediaId) {
        let record = {
            let uploads = me.uploads.borrow();
            let Some(u) = uploads.iter().find(|u| u.media == media) else {
                return;
            };
            crate::recorder::KeptRecording {
                media,
                story: me.story,
                user: me.user,
                mime: u.mime.clone(),
                chunks: u.safe.prefix(),
                duration_ms: u.duration_ms,
            }
        };
        leptos::task::spawn_local(async move {
            kept::put_recording(&record).await;
        });
    }

    fn on_stopped(me: &Rc<Inner>, media: MediaId) {
        let live = me.live.borrow_mut().take();
        let Some(live) = live else { return };
        stop_tracks(&live.stream);
        let duration = live.elapsed_ms();
        let ui = me.ui();
        if !live.stop_pressed {
            ui.notice.try_set(Some(Message::new(
                "De microfoon is gestopt. Wat tot nu toe is opgenomen, wordt bewaard.",
                "The microphone stopped. What was recorded so far is kept.",
            )));
        }
        // This runs inside one of the recorder's handlers: drop them later.
        leptos::task::spawn_local(async move { drop(live) });
        if let Some(t) = me.ticker.borrow_mut().take() {
            t.clear();
        }
        release_screen(me);
        if let Some(u) = me
            .uploads
            .borrow_mut()
            .iter_mut()
            .find(|u| u.media == media)
        {
            u.duration_ms = duration;
            u.queue.finish(duration);
        }
        keep(me, media);
        ui.elapsed_ms.try_set(duration);
        ui.phase.try_set(Phase::Idle);
        refresh(me);
        pump(me);
    }

    pub fn pause(me: &Rc<Inner>) {
        let mut live = me.live.borrow_mut();
        let Some(l) = live.as_mut() else { return };
        if l.since.is_none() || l.recorder.pause().is_err() {
            return;
        }
        l.before_ms = l.elapsed_ms() as f64;
        l.since = None;
        me.ui().elapsed_ms.try_set(l.before_ms as u64);
        me.ui().phase.try_set(Phase::Paused);
    }

    pub fn resume(me: &Rc<Inner>) {
        let mut live = me.live.borrow_mut();
        let Some(l) = live.as_mut() else { return };
        if l.since.is_some() || l.recorder.resume().is_err() {
            return;
        }
        l.since = Some(now());
        me.ui().phase.try_set(Phase::Recording);
    }

    pub fn stop(me: &Rc<Inner>) {
        let mut live = me.live.borrow_mut();
        let Some(l) = live.as_mut() else { return };
        if l.stop_pressed {
            return;
        }
        l.before_ms = l.elapsed_ms() as f64;
        l.since = None;
        l.stop_pressed = true;
        if l.recorder.stop().is_err() {
            drop(live);
            let media = me.live.borrow().as_ref().map(|l| l.media);
            if let Some(media) = media {
                on_stopped(me, media);
            }
            return;
        }
        me.ui().phase.try_set(Phase::Stopping);
    }

    /// The counts the page shows.
    fn refresh(me: &Inner) {
        let uploads = me.uploads.borrow();
        let unsent = uploads.iter().map(|u| u.queue.unsent_chunks()).sum();
        let live = me.live.borrow().as_ref().map(|l| l.media);
        let sending = uploads
            .iter()
            .filter(|u| Some(u.media) != live && !u.queue.is_done())
            .count();
        let ui = me.ui();
        ui.unsent.try_set(unsent);
        ui.sending.try_set(sending);
    }

    /// What became of one attempt.
    enum Sent {
        /// Done (the finished recording, for a finish).
        Done(Option<MediaView>),
        /// Not now: try again later.
        Later { offline: bool },
        /// The server refused.
        Refused(AppError),
    }

    /// Sends the next job, if none is on its way; the next one follows when
    /// it is confirmed.
    fn pump(me: &Rc<Inner>) {
        if me.pumping.get() {
            return;
        }
        let next = me.uploads.borrow().iter().find_map(|u| {
            u.queue
                .front()
                .map(|job| (u.media, u.mime.clone(), job.clone()))
        });
        refresh(me);
        let Some((media, mime, job)) = next else {
            return;
        };
        me.pumping.set(true);
        let me = me.clone();
        leptos::task::spawn_local(async move {
            let sent = send(&me, media, &mime, &job).await;
            me.pumping.set(false);
            let ui = me.ui();
            match sent {
                Sent::Done(view) => {
                    me.failures.set(0);
                    ui.offline.try_set(false);
                    // Signed in again meanwhile: the note about it is stale.
                    ui.error.try_update(|e| {
                        if matches!(e, Some(AppError::NotAuthenticated)) {
                            *e = None;
                        }
                    });
                    confirmed(&me, media, &job, view);
                    pump(&me);
                }
                Sent::Later { offline } => {
                    me.failures.set(me.failures.get().saturating_add(1));
                    if offline {
                        ui.offline.try_set(true);
                    }
                    retry_later(&me, retry_delay_ms(me.failures.get()));
                }
                Sent::Refused(e) => refused(&me, media, &job, e),
            }
        });
    }

    fn retry_later(me: &Rc<Inner>, ms: u32) {
        if let Some(t) = me.retry.borrow_mut().take() {
            t.clear();
        }
        let again = me.clone();
        let handle =
            set_timeout_with_handle(move || pump(&again), Duration::from_millis(u64::from(ms)))
                .ok();
        *me.retry.borrow_mut() = handle;
    }

    fn confirmed(me: &Rc<Inner>, media: MediaId, job: &Job<Blob>, view: Option<MediaView>) {
        let ui = me.ui();
        {
            let mut uploads = me.uploads.borrow_mut();
            if let Some(u) = uploads.iter_mut().find(|u| u.media == media) {
                u.queue.confirm_front();
            }
        }
        match job {
            Job::Start => me.start_refusals.set(0),
            Job::Chunk { seq, .. } => {
                mark_safe(me, media, *seq);
                let seq = *seq;
                leptos::task::spawn_local(async move { kept::delete_chunk(media, seq).await });
            }
            Job::Finish { .. } => {
                me.uploads.borrow_mut().retain(|u| u.media != media);
                leptos::task::spawn_local(async move { kept::forget(media).await });
                if let Some(view) = view {
                    ui.recordings.try_update(|list| {
                        if !list.iter().any(|m| m.id == view.id) {
                            list.push(view);
                        }
                    });
                }
                ui.notice.try_set(Some(Message::new(
                    "Opname opgeslagen. U kunt hem hieronder beluisteren.",
                    "Recording saved. You can listen to it below.",
                )));
                if ui.phase.try_get_untracked() == Some(Phase::Idle) {
                    ui.elapsed_ms.try_set(0);
                }
            }
        }
        refresh(me);
    }

    fn refused(me: &Rc<Inner>, media: MediaId, job: &Job<Blob>, e: AppError) {
        let ui = me.ui();
        match (job, &e) {
            // Not signed in (any more): keep everything, say so, try again.
            (_, AppError::NotAuthenticated) => {
                ui.error.try_set(Some(e));
                retry_later(me, retry_delay_ms(6));
            }
            // The consent or the story itself may still be on its way to the
            // server (autosave runs a moment after typing).
            (Job::Start, AppError::Forbidden(_) | AppError::NotFound(_))
                if audio_consent_ticked() != Some(false)
                    && me.start_refusals.get() < START_RETRIES =>
            {
                me.start_refusals.set(me.start_refusals.get() + 1);
                retry_later(me, 2_000);
            }
            // The server has this chunk's place filled already: go on.
            (Job::Chunk { .. }, AppError::Conflict { .. }) => {
                confirmed(me, media, job, None);
                pump(me);
            }
            // Refused for good (no consent, not editable, removed, a format
            // the server does not keep): the recording ends, and what it
            // kept on this device is deleted (without consent it may not be
            // kept).
            _ => {
                ui.error.try_set(Some(e));
                me.uploads.borrow_mut().retain(|u| u.media != media);
                if me.live.borrow().as_ref().is_some_and(|l| l.media == media) {
                    stop(me);
                }
                leptos::task::spawn_local(async move { kept::forget(media).await });
                refresh(me);
                pump(me);
            }
        }
    }

    async fn send(me: &Inner, media: MediaId, mime: &str, job: &Job<Blob>) -> Sent {
        let (method, url, body, json) = match job {
            Job::Start => (
                "POST",
                crate::routes::recording_start(me.story),
                JsValue::from_str(&serde_json::json!({ "id": media, "mime": mime }).to_string()),
                true,
            ),
            Job::Chunk { seq, data } => (
                "PUT",
                crate::routes::recording_chunk(media, *seq),
                JsValue::from(data.clone()),
                false,
            ),
            Job::Finish {
                chunks,
                duration_ms,
            } => (
                "POST",
                crate::routes::recording_finish(media),
                JsValue::from_str(
                    &serde_json::json!({ "chunks": chunks, "duration_ms": duration_ms })
                        .to_string(),
                ),
                true,
            ),
        };
        let Some((status, text)) = fetch(method, &url, &body, json).await else {
            return Sent::Later { offline: true };
        };
        match status {
            200..=299 => match job {
                Job::Finish { .. } => match serde_json::from_str::<MediaView>(&text) {
                    Ok(view) => Sent::Done(Some(view)),
                    Err(_) => Sent::Later { offline: false },
                },
                _ => Sent::Done(None),
            },
            408 | 429 | 500..=599 => Sent::Later { offline: false },
            _ => Sent::Refused(serde_json::from_str::<AppError>(&text).unwrap_or_else(|_| {
                AppError::invalid(Message::new(
                    format!("De opname kon niet worden verstuurd (fout {status})."),
                    format!("The recording could not be sent (error {status})."),
                ))
            })),
        }
    }

    /// One request; `None` when the server could not be reached in time.
    async fn fetch(method: &str, url: &str, body: &JsValue, json: bool) -> Option<(u16, String)> {
        let headers = web_sys::Headers::new().ok()?;
        let _ = headers.set("Accept", "application/json");
        if json {
            let _ = headers.set("Content-Type", "application/json");
        }
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_body(body);
        init.set_headers(&headers);
        let abort = web_sys::AbortController::new().ok();
        init.set_signal(abort.as_ref().map(|a| a.signal()).as_ref());
        let timer =
            abort.and_then(|a| set_timeout_with_handle(move || a.abort(), REQUEST_TIMEOUT).ok());
        let result = async {
            let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
                .await
                .ok()?;
            let response: web_sys::Response = response.dyn_into().ok()?;
            let text = JsFuture::from(response.text().ok()?)
                .await
                .ok()?
                .as_string()
                .unwrap_or_default();
            Some((response.status(), text))
        }
        .await;
        if let Some(t) = timer {
            t.clear();
        }
        result
    }

    /// Keeps the tablet's screen on while recording (where the browser can):
    /// a tablet that falls asleep may stop the recording.
    fn keep_screen_on(me: &Rc<Inner>) {
        let navigator = window().navigator();
        let Ok(lock) = js_sys::Reflect::get(&navigator, &"wakeLock".into()) else {
            return;
        };
        let Ok(request) = js_sys::Reflect::get(&lock, &"request".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        else {
            return;
        };
        let Ok(promise) = request
            .call1(&lock, &"screen".into())
            .and_then(|p| p.dyn_into::<js_sys::Promise>())
        else {
            return;
        };
        let me = me.clone();
        leptos::task::spawn_local(async move {
            if let Ok(sentinel) = JsFuture::from(promise).await {
                if me.live.borrow().is_some() {
                    *me.wake_lock.borrow_mut() = Some(sentinel);
                } else {
                    release(&sentinel);
                }
            }
        });
    }

    fn release(sentinel: &JsValue) {
        if let Ok(f) = js_sys::Reflect::get(sentinel, &"release".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = f.call0(sentinel);
        }
    }

    fn release_screen(me: &Inner) {
        if let Some(sentinel) = me.wake_lock.borrow_mut().take() {
            release(&sentinel);
        }
    }

    /// Picks up recordings of this story that an earlier visit on this
    /// device could not finish sending.
    async fn resume_kept(me: &Rc<Inner>) {
        let found = kept::recordings(me.user, me.story).await;
        if found.is_empty() {
            return;
        }
        let mut longest = 0;
        let ready = me.ui().recordings.try_get_untracked().unwrap_or_default();
        for k in found {
            if me.uploads.borrow().iter().any(|u| u.media == k.media) {
                continue;
            }
            if ready.iter().any(|m| m.id == k.media) {
                // Finished already (the last note on this device came late).
                kept::forget(k.media).await;
                continue;
            }
            if k.chunks == 0 {
                // Nothing recoverable was kept.
                kept::forget(k.media).await;
                continue;
            }
            let unsent = kept::chunks(k.media).await;
            longest = longest.max(k.duration_ms);
            me.uploads.borrow_mut().push(Upload {
                media: k.media,
                mime: k.mime,
                queue: UploadQueue::resumed(k.chunks, k.duration_ms, unsent),
                safe: SafeChunks::from_prefix(k.chunks),
                duration_ms: k.duration_ms,
            });
        }
        if longest > 0 {
            me.ui().notice.try_set(Some(Message::new(
                format!(
                    "Een onderbroken opname van {} op dit apparaat wordt alsnog verstuurd.",
                    crate::domain::recording::clock(longest)
                ),
                format!(
                    "An interrupted recording of {} on this device is being sent now.",
                    crate::domain::recording::clock(longest)
                ),
            )));
        }
        refresh(me);
        pump(me);
    }

    /// The copy on the device: chunks not confirmed by the server, and what
    /// is needed to finish a recording after a reload, in IndexedDB (chunks
    /// of a long interview are far too big for `localStorage`). Every
    /// failure here only means less is kept: recording goes on regardless.
    mod kept {
        use super::*;
        use crate::recorder::KeptRecording;
        use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

        const DB: &str = "wijkverhalen-opnames";
        const CHUNKS: &str = "stukken";
        const RECORDINGS: &str = "opnames";

        /// Waits for a request; its result.
        async fn done(request: &IdbRequest) -> Option<JsValue> {
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                request.set_onsuccess(Some(&resolve));
                request.set_onerror(Some(&reject));
            });
            JsFuture::from(promise).await.ok()?;
            request.result().ok()
        }

        thread_local! {
            /// The open database: one connection for the page, so writes
            /// reach it in the order they were made.
            static OPEN: std::cell::RefCell<Option<IdbDatabase>> = const { std::cell::RefCell::new(None) };
        }

        async fn open() -> Option<IdbDatabase> {
            if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
                return Some(db);
            }
            let db = connect().await?;
            OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
            Some(db)
        }

        async fn connect() -> Option<IdbDatabase> {
            let factory = window().indexed_db().ok()??;
            let request = factory.open_with_u32(DB, 1).ok()?;
            let upgrade = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
                let db = ev
                    .dyn_into::<web_sys::Event>()
                    .ok()
                    .and_then(|e| e.target())
                    .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                    .and_then(|r| r.result().ok())
                    .and_then(|d| d.dyn_into::<IdbDatabase>().ok());
                if let Some(db) = db {
                    let _ = db.create_object_store(CHUNKS);
                    let _ = db.create_object_store(RECORDINGS);
                }
            });
            request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
            let db = done(&request).await?.dyn_into::<IdbDatabase>().ok();
            drop(upgrade);
            db
        }

        fn store(db: &IdbDatabase, name: &str, write: bool) -> Option<web_sys::IdbObjectStore> {
            let mode = if write {
                IdbTransactionMode::Readwrite
            } else {
                IdbTransactionMode::Readonly
            };
            let store = db
                .transaction_with_str_and_mode(name, mode)
                .ok()
                .and_then(|t| t.object_store(name).ok());
            if store.is_none() {
                // Closed (e.g. by the browser): connect again next time.
                OPEN.with(|o| *o.borrow_mut() = None);
            }
            store
        }

        fn chunk_key(media: MediaId, seq: u32) -> String {
            format!("{media}/{seq:06}")
        }

        pub async fn put_chunk(media: MediaId, seq: u32, blob: &Blob) -> bool {
            let Some(db) = open().await else { return false };
            let Some(store) = store(&db, CHUNKS, true) else {
                return false;
            };
            let value = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&value, &"seq".into(), &JsValue::from(seq));
            let _ = js_sys::Reflect::set(&value, &"blob".into(), blob);
            let Ok(request) = store.put_with_key(&value, &chunk_key(media, seq).into()) else {
                return false;
            };
            done(&request).await.is_some()
        }

        pub async fn delete_chunk(media: MediaId, seq: u32) {
            let Some(db) = open().await else { return };
            if let Some(request) =
                store(&db, CHUNKS, true).and_then(|s| s.delete(&chunk_key(media, seq).into()).ok())
            {
                done(&request).await;
            }
        }

        pub async fn put_recording(record: &KeptRecording) {
            let Some(db) = open().await else { return };
            let Ok(json) = serde_json::to_string(record) else {
                return;
            };
            if let Some(request) = store(&db, RECORDINGS, true).and_then(|s| {
                s.put_with_key(&json.into(), &record.media.to_string().into())
                    .ok()
            }) {
                done(&request).await;
            }
        }

        /// The kept recordings of `user` for `story`.
        pub async fn recordings(user: UserId, story: StoryId) -> Vec<KeptRecording> {
            let Some(db) = open().await else {
                return Vec::new();
            };
            let Some(request) = store(&db, RECORDINGS, false).and_then(|s| s.get_all().ok()) else {
                return Vec::new();
            };
            let Some(all) = done(&request).await else {
                return Vec::new();
            };
            js_sys::Array::from(&all)
                .iter()
                .filter_map(|v| v.as_string())
                .filter_map(|json| serde_json::from_str::<KeptRecording>(&json).ok())
                .filter(|k| k.user == user && k.story == story)
                .collect()
        }

        /// The kept chunks of a recording.
        pub async fn chunks(media: MediaId) -> Vec<(u32, Blob)> {
            let Some(db) = open().await else {
                return Vec::new();
            };
            let Ok(range) = web_sys::IdbKeyRange::bound(
                &format!("{media}/").into(),
                &format!("{media}/\u{ffff}").into(),
            ) else {
                return Vec::new();
            };
            let Some(request) =
                store(&db, CHUNKS, false).and_then(|s| s.get_all_with_key(&range).ok())
            else {
                return Vec::new();
            };
            let Some(all) = done(&request).await else {
                return Vec::new();
            };
            js_sys::Array::from(&all)
                .iter()
                .filter_map(|v| {
                    let seq = js_sys::Reflect::get(&v, &"seq".into()).ok()?.as_f64()? as u32;
                    let blob = js_sys::Reflect::get(&v, &"blob".into())
                        .ok()?
                        .dyn_into::<Blob>()
                        .ok()?;
                    Some((seq, blob))
                })
                .collect()
        }

        /// Deletes everything kept of a recording.
        pub async fn forget(media: MediaId) {
            let Some(db) = open().await else { return };
            if let Some(request) =
                store(&db, RECORDINGS, true).and_then(|s| s.delete(&media.to_string().into()).ok())
            {
                done(&request).await;
            }
            let Ok(range) = web_sys::IdbKeyRange::bound(
                &format!("{media}/").into(),
                &format!("{media}/\u{ffff}").into(),
            ) else {
                return;
            };
            if let Some(request) = store(&db, CHUNKS, true).and_then(|s| s.delete(&range).ok()) {
                done(&request).await;
            }
        }
    }
}
