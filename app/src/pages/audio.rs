//! The audio recording of an interview: the recorder panel on the interview
//! page (start, pause, stop, a running clock, what is still being sent), a
//! small indicator in the form's sticky bar while recording, and the
//! recordings with a player (interview page and story page).
//!
//! The panel sits in the interview form right after ‘Toestemming’: that is
//! the moment in a real interview when recording starts (the resident just
//! agreed), and the student does not have to scroll away from the consent to
//! start it. Its buttons are `type="button"`, so they never submit the form;
//! removing a recording uses a small form outside the interview form (HTML
//! does not allow forms inside forms), which also works without JavaScript.
//! Recording itself needs JavaScript; the panel says so until the page is
//! interactive.

use crate::api::media::RemoveMedia;
use crate::client::audio::{Phase, Recorder};
use crate::components::ErrorNote;
use crate::domain::ids::MediaId;
use crate::domain::media::MediaKind;
use crate::domain::recording::{clock, spoken_minutes};
use crate::i18n::{tr, use_lang};
use crate::model::MediaView;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Id of the form that removes a recording (outside the interview form).
pub const REMOVE_FORM: &str = "opname-verwijderen";

/// The recordings among a story's media.
pub fn recordings_of(media: &[MediaView]) -> Vec<MediaView> {
    media
        .iter()
        .filter(|m| m.kind == MediaKind::Audio)
        .cloned()
        .collect()
}

/// The recorder and the story's recordings, on the interview page.
#[component]
pub fn RecorderPanel(
    recorder: Recorder,
    /// Called before recording starts (the form saves the consent first).
    #[prop(into)]
    before_start: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let r = recorder;
    let remove = ServerAction::<RemoveMedia>::new();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(removed)) => r.recordings.update(|list| list.retain(|m| m.id != removed)),
        Some(Err(e)) => r.error.set(Some(e)),
        None => {}
    });
    let phase = move || r.phase.get();
    let clock_text = move || clock(r.elapsed_ms.get());
    // Changes once a minute, not every second: the timer is for eyes; a
    // screen reader hears the minutes when it reaches the timer.
    let minutes = Memo::new(move |_| r.elapsed_ms.get() / 60_000);
    let timer_label = move || {
        format!(
            "{}: {}",
            lang.pick("Opnameduur", "Recording length"),
            spoken_minutes(minutes.get() * 60_000, lang)
        )
    };
    let indicator = move || match phase() {
        Phase::Recording => lang.pick("Neemt op", "Recording"),
        Phase::Paused => lang.pick("Gepauzeerd", "Paused"),
        Phase::Asking => lang.pick("Microfoon wordt gevraagd…", "Asking for the microphone…"),
        Phase::Stopping => lang.pick("Opname wordt gestopt…", "Stopping…"),
        Phase::Idle => lang.pick("Geen opname bezig", "Not recording"),
    };
    // The live region: the state in a sentence; never the clock.
    let status = move || {
        let unsent = r.unsent.get();
        let offline = r.offline.get();
        let pieces = |n: usize| {
            if n == 1 {
                lang.pick("1 stuk", "1 part").to_string()
            } else {
                format!("{n} {}", lang.pick("stukken", "parts"))
            }
        };
        match phase() {
            Phase::Recording | Phase::Paused if offline && unsent > 0 => format!(
                "{} ({} {})",
                lang.pick(
                    "Niet verbonden — de opname gaat gewoon door en wordt verstuurd zodra er weer verbinding is",
                    "Not connected — recording goes on and is sent as soon as there is a connection again",
                ),
                pieces(unsent),
                lang.pick("wachten", "waiting"),
            ),
            Phase::Recording => lang.pick("Opname loopt.", "Recording.").to_string(),
            Phase::Paused => lang
                .pick("Opname gepauzeerd.", "Recording paused.")
                .to_string(),
            _ if r.sending.get() > 0 || unsent > 0 => {
                let what = if offline {
                    lang.pick(
                        "Niet verbonden — de opname wordt verstuurd zodra er weer verbinding is…",
                        "Not connected — the recording is sent as soon as there is a connection again…",
                    )
                } else {
                    lang.pick("Opname wordt nog verstuurd…", "Recording is still being sent…")
                };
                if unsent > 0 {
                    format!("{what} {}", pieces(unsent))
                } else {
                    what.to_string()
                }
            }
            _ => String::new(),
        }
    };
    let start = move |_| {
        before_start.run(());
        r.start();
    };
    view! {
        <section class="panel recorder" aria-labelledby="opname-kop"
            data-phase=move || phase().code()
            data-sending=move || (r.sending.get() + r.unsent.get()).to_string()>
            <h2 id="opname-kop">{tr("Geluidsopname", "Audio recording")}</h2>
            <p class="hint">{tr(
                "U kunt het hele gesprek opnemen, alleen als de bewoner daar toestemming voor geeft (‘Toestemming’ hierboven). Alleen geluid, geen locatie. De opname gaat tijdens het gesprek in stukjes naar de server; valt de verbinding weg, dan worden ze later verstuurd.",
                "You can record the whole conversation, only if the resident consents to it (‘Consent’ above). Sound only, no location. The recording travels to the server in small parts during the conversation; if the connection drops, they are sent later.",
            )}</p>
            <div class="recorder-bar">
                <p class="rec-indicator" data-on=move || phase().is_live().to_string()>
                    <span class="rec-dot" aria-hidden="true"></span>
                    <span>{indicator}</span>
                </p>
                <p class="rec-timer" role="timer" aria-label=timer_label>
                    <span aria-hidden="true">{clock_text}</span>
                </p>
            </div>
            {move || match r.supported.get() {
                None => view! {
                    <p class="hint">{tr(
                        "Opnemen kan zodra de pagina helemaal geladen is (JavaScript is nodig).",
                        "Recording becomes possible once the page has fully loaded (JavaScript is needed).",
                    )}</p>
                }.into_any(),
                Some(false) => view! {
                    <p class="note">{tr(
                        "Opnemen kan niet in deze browser of op dit apparaat. Het interview zelf werkt gewoon.",
                        "Recording is not possible in this browser or on this device. The interview itself works as usual.",
                    )}</p>
                }.into_any(),
                Some(true) => view! {
                    <div class="recorder-actions">
                        {move || match phase() {
                            Phase::Idle | Phase::Asking => view! {
                                <button type="button" class="button button-primary button-large rec-start"
                                    disabled=move || phase() == Phase::Asking on:click=start>
                                    <span class="rec-dot" aria-hidden="true"></span>
                                    {tr("Opname starten", "Start recording")}
                                </button>
                            }.into_any(),
                            Phase::Recording | Phase::Paused | Phase::Stopping => view! {
                                {move || if phase() == Phase::Paused {
                                    view! {
                                        <button type="button" class="button button-large" on:click=move |_| r.resume()>
                                            {tr("Hervatten", "Resume")}
                                        </button>
                                    }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="button button-large" on:click=move |_| r.pause()
                                            disabled=move || phase() == Phase::Stopping>
                                            {tr("Pauzeren", "Pause")}
                                        </button>
                                    }.into_any()
                                }}
                                <button type="button" class="button button-primary button-large rec-stop"
                                    disabled=move || phase() == Phase::Stopping on:click=move |_| r.stop()>
                                    <span class="rec-square" aria-hidden="true"></span>
                                    {tr("Opname stoppen", "Stop recording")}
                                </button>
                            }.into_any(),
                        }}
                    </div>
                }.into_any(),
            }}
            <p class="rec-status" role="status" aria-live="polite">{status}</p>
            <p class="rec-notice" role="status" aria-live="polite">
                {move || r.notice.get().map(|m| m.get(lang).to_string())}
            </p>
            <div class="rec-error" role="alert">
                {move || r.error.get().map(|e| view! { <ErrorNote error=e/> })}
            </div>
            {move || {
                let list = r.recordings.get();
                (!list.is_empty()).then(|| view! {
                    <RecordingItems recordings=list remove=Some(remove)/>
                })
            }}
        </section>
    }
}

/// The form that removes a recording: outside the interview form, reached by
/// the remove buttons' `form` attribute (works without JavaScript; with it,
/// the buttons call the server directly).
#[component]
pub fn RemoveRecordingForm() -> impl IntoView {
    view! {
        <form id=REMOVE_FORM method="post" action=RemoveMedia::url() class="visually-hidden"></form>
    }
}

/// The recordings of a story with a player each; with `remove`, a button
/// that removes one.
#[component]
pub fn RecordingItems(
    recordings: Vec<MediaView>,
    remove: Option<ServerAction<RemoveMedia>>,
) -> impl IntoView {
    let lang = use_lang();
    let several = recordings.len() > 1;
    view! {
        <ul class="recordings" role="list">
            {recordings.into_iter().enumerate().map(|(i, m)| {
                let length = m.duration_ms.map(|d| clock(d.max(0) as u64));
                let name = match (several, &length) {
                    (true, Some(l)) => format!("{} {} ({l})", lang.pick("Opname", "Recording"), i + 1),
                    (true, None) => format!("{} {}", lang.pick("Opname", "Recording"), i + 1),
                    (false, Some(l)) => format!("{} ({l})", lang.pick("Opname van het gesprek", "Recording of the conversation")),
                    (false, None) => lang.pick("Opname van het gesprek", "Recording of the conversation").to_string(),
                };
                let meta = format!("{} · {}", m.created_at.short(lang), file_size(m.bytes, lang));
                let remove_label = format!("{} {name}", lang.pick("Verwijderen:", "Remove:"));
                let id: MediaId = m.id;
                view! {
                    <li class="recording">
                        <p class="recording-name">{name.clone()}</p>
                        <audio controls preload="none" src=crate::routes::media(m.id) aria-label=name
                            data-duration-ms=m.duration_ms.map(|d| d.to_string())></audio>
                        <p class="hint recording-meta">{meta}</p>
                        {remove.map(|action| view! {
                            <button type="submit" form=REMOVE_FORM name="id" value=id.to_string()
                                class="button button-quiet recording-remove" aria-label=remove_label
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    if confirm_removal(lang) {
                                        action.dispatch(RemoveMedia { id });
                                    }
                                }>
                                {tr("Verwijderen", "Remove")}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A file size for people: `850 kB`, `12,3 MB` (decimal comma in Dutch).
fn file_size(bytes: i64, lang: crate::domain::Lang) -> String {
    let bytes = bytes.max(0) as f64;
    let text = if bytes < 1_000_000.0 {
        format!("{} kB", (bytes / 1000.0).ceil() as i64)
    } else {
        format!("{:.1} MB", bytes / 1_000_000.0)
    };
    match lang {
        crate::domain::Lang::Nl => text.replace('.', ","),
        crate::domain::Lang::En => text,
    }
}

/// Asks before a recording is removed (it cannot be undone).
fn confirm_removal(lang: crate::domain::Lang) -> bool {
    #[cfg(feature = "hydrate")]
    {
        window()
            .confirm_with_message(lang.pick(
                "Deze opname verwijderen? Dat kan niet ongedaan worden gemaakt.",
                "Remove this recording? This cannot be undone.",
            ))
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = lang;
        true
    }
}

/// A small "recording" mark with the clock for the interview form's sticky
/// bar, so the student sees it while typing further down; it leads back to
/// the recorder.
#[component]
pub fn RecordingBadge(recorder: Recorder) -> impl IntoView {
    let r = recorder;
    move || {
        let phase = r.phase.get();
        phase.is_live().then(|| {
            let label = if phase == Phase::Paused {
                tr("Opname gepauzeerd", "Recording paused")
            } else {
                tr("Opname loopt", "Recording")
            };
            view! {
                <a class="rec-badge" href="#opname-kop" data-phase=phase.code()>
                    <span class="rec-dot" aria-hidden="true"></span>
                    <span class="visually-hidden">{label}</span>
                    <span aria-hidden="true">{move || clock(r.elapsed_ms.get())}</span>
                </a>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::file_size;
    use crate::domain::Lang;

    #[test]
    fn file_sizes_read_naturally() {
        assert_eq!(file_size(57_523, Lang::Nl), "58 kB");
        assert_eq!(file_size(0, Lang::Nl), "0 kB");
        assert_eq!(file_size(12_345_678, Lang::Nl), "12,3 MB");
        assert_eq!(file_size(12_345_678, Lang::En), "12.3 MB");
    }
}
