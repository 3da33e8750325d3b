//! The resident signs the consent with a finger on the tablet.
//!
//! A canvas inside the consent section of the interview form: the resident
//! reads the consent text, the scopes are ticked together, and they sign in
//! the box. "Handtekening bevestigen" sends the drawing with the scopes ticked
//! at that moment; the server keeps the signature PNG, the consent text
//! version and the time with the resident. Changing the scopes afterwards
//! needs a new signature (the server drops the old one; the page says so).
//! Without JavaScript nobody can draw: the witness name is the alternative.

use crate::client::autosave::EditorClient;
use crate::components::ErrorNote;
use crate::domain::ids::StoryId;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::ConsentInfo;
use leptos::prelude::*;

/// The signature box (or the signature, once signed).
#[component]
pub fn SignaturePad(
    story: StoryId,
    consent: Option<ConsentInfo>,
    client: EditorClient,
) -> impl IntoView {
    #[cfg(not(feature = "hydrate"))]
    let _ = story;
    let lang = use_lang();
    let signed = RwSignal::new(consent.filter(|c| c.signed && c.signature.is_some()));
    let again = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let pad = Pad::new(canvas);
    let changed_since = move || {
        signed.with(|s| {
            s.as_ref().is_some_and(|c| {
                crate::autosave::canonical_scopes(c.scopes) != client.current_scopes.get()
                    && !client.current_scopes.get().is_empty()
            })
        })
    };
    let confirm = move |_| {
        #[cfg(feature = "hydrate")]
        {
            error.set(None);
            if !pad.has_ink() {
                error.set(Some(AppError::invalid(crate::domain::Message::new(
                    "De handtekening is leeg. Laat de bewoner met een vinger in het vak tekenen.",
                    "The signature is empty. Let the resident sign in the box with a finger.",
                ))));
                return;
            }
            let Some(png) = pad.data_url() else { return };
            let scopes = client.current_scopes.get_untracked();
            let story = client.story_id().unwrap_or(story);
            busy.set(true);
            leptos::task::spawn_local(async move {
                let body = serde_json::json!({
                    "scopes": scopes.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                    "png": png,
                });
                match super::media::browser::send_json::<ConsentInfo>(
                    &crate::routes::consent_signature(story),
                    &body,
                )
                .await
                {
                    Ok(info) => {
                        client.confirm_scopes(crate::autosave::canonical_scopes(info.scopes));
                        signed.set(Some(info));
                        again.set(false);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    view! {
        <div class="signature" role="group" aria-labelledby="handtekening-kop">
            <h3 id="handtekening-kop">{tr("Handtekening van de bewoner", "The resident's signature")}</h3>
            {move || match signed.get() {
                Some(c) if !again.get() => {
                    let when = format!(
                        "{} {} · {} {}",
                        lang.pick("Getekend op", "Signed on"),
                        c.signed_at.short(lang),
                        lang.pick("toestemmingstekst versie", "consent text version"),
                        c.text_version
                    );
                    view! {
                        <figure class="signature-done">
                            {c.signature.map(|id| view! {
                                <img src=crate::routes::media(id) alt=tr("Handtekening van de bewoner", "The resident's signature") width="300" height="100"/>
                            })}
                            <figcaption>{when}</figcaption>
                        </figure>
                        {move || changed_since().then(|| view! {
                            <p class="note note-error">{tr(
                                "De toestemming is veranderd nadat de bewoner tekende. Laat de bewoner opnieuw tekenen.",
                                "The consent changed after the resident signed. Let the resident sign again.",
                            )}</p>
                        })}
                        <button type="button" class="button" on:click=move |_| { again.set(true); }>
                            {tr("Opnieuw laten tekenen", "Sign again")}
                        </button>
                    }.into_any()
                }
                _ => view! {
                    <p class="hint">{tr(
                        "Lees de tekst samen met de bewoner, vink aan waarvoor de bewoner toestemming geeft, en laat de bewoner hieronder met een vinger tekenen.",
                        "Read the text together with the resident, tick what the resident consents to, and let the resident sign below with a finger.",
                    )}</p>
                    <canvas
                        node_ref=canvas
                        class="signature-pad"
                        width="900"
                        height="300"
                        role="img"
                        aria-label=tr("Tekenvak voor de handtekening van de bewoner", "Box for the resident's signature")
                        on:pointerdown=move |ev| pad.down(ev)
                        on:pointermove=move |ev| pad.moved(ev)
                        on:pointerup=move |_| pad.up()
                        on:pointercancel=move |_| pad.up()
                    ></canvas>
                    <noscript><p class="note">{tr(
                        "Tekenen kan alleen met JavaScript aan. Vul anders hieronder de naam in van de student die de toestemming heeft gezien.",
                        "Signing needs JavaScript. Otherwise fill in the name of the student who witnessed the consent below.",
                    )}</p></noscript>
                    <div class="form-actions">
                        <button type="button" class="button" on:click=move |_| pad.clear()>{tr("Wissen", "Clear")}</button>
                        <button type="button" class="button button-primary" on:click=confirm disabled=move || busy.get()>
                            {tr("Handtekening bevestigen", "Confirm signature")}
                        </button>
                    </div>
                }.into_any(),
            }}
            <div role="alert" class="signature-error">{move || error.get().map(|e| view! { <ErrorNote error=e/> })}</div>
        </div>
    }
}

/// The drawing surface (browser only; on the server every method does nothing).
#[derive(Clone, Copy)]
struct Pad {
    #[cfg(feature = "hydrate")]
    canvas: NodeRef<leptos::html::Canvas>,
    #[cfg(feature = "hydrate")]
    state: StoredValue<PadState, LocalStorage>,
}

#[cfg(feature = "hydrate")]
#[derive(Default)]
struct PadState {
    drawing: Option<(f64, f64)>,
    ink: u32,
}

impl Pad {
    fn new(canvas: NodeRef<leptos::html::Canvas>) -> Self {
        #[cfg(not(feature = "hydrate"))]
        let _ = canvas;
        Pad {
            #[cfg(feature = "hydrate")]
            canvas,
            #[cfg(feature = "hydrate")]
            state: StoredValue::new_local(PadState::default()),
        }
    }

    #[cfg(feature = "hydrate")]
    fn context(
        &self,
    ) -> Option<(
        web_sys::HtmlCanvasElement,
        web_sys::CanvasRenderingContext2d,
    )> {
        use wasm_bindgen::JsCast;
        let canvas = self.canvas.get_untracked()?;
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<web_sys::CanvasRenderingContext2d>()
            .ok()?;
        Some((canvas, ctx))
    }

    /// The pointer's position in canvas pixels (the canvas is scaled by CSS).
    #[cfg(feature = "hydrate")]
    fn point(canvas: &web_sys::HtmlCanvasElement, ev: &web_sys::PointerEvent) -> (f64, f64) {
        let rect = canvas.get_bounding_client_rect();
        let sx = f64::from(canvas.width()) / rect.width().max(1.0);
        let sy = f64::from(canvas.height()) / rect.height().max(1.0);
        (
            (f64::from(ev.client_x()) - rect.left()) * sx,
            (f64::from(ev.client_y()) - rect.top()) * sy,
        )
    }

    fn down(&self, ev: leptos::ev::PointerEvent) {
        #[cfg(feature = "hydrate")]
        {
            let Some((canvas, ctx)) = self.context() else {
                return;
            };
            ev.prevent_default();
            let _ = canvas.set_pointer_capture(ev.pointer_id());
            let p = Self::point(&canvas, &ev);
            ctx.set_line_width(5.0);
            ctx.set_line_cap("round");
            ctx.set_line_join("round");
            ctx.set_stroke_style_str("#14213d");
            ctx.begin_path();
            ctx.arc(p.0, p.1, 2.0, 0.0, std::f64::consts::TAU).ok();
            ctx.stroke();
            self.state.update_value(|s| s.drawing = Some(p));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    fn moved(&self, ev: leptos::ev::PointerEvent) {
        #[cfg(feature = "hydrate")]
        {
            let Some(last) = self.state.with_value(|s| s.drawing) else {
                return;
            };
            let Some((canvas, ctx)) = self.context() else {
                return;
            };
            ev.prevent_default();
            let p = Self::point(&canvas, &ev);
            ctx.begin_path();
            ctx.move_to(last.0, last.1);
            ctx.line_to(p.0, p.1);
            ctx.stroke();
            self.state.update_value(|s| {
                s.drawing = Some(p);
                s.ink += 1;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    fn up(&self) {
        #[cfg(feature = "hydrate")]
        self.state.update_value(|s| s.drawing = None);
    }

    fn clear(&self) {
        #[cfg(feature = "hydrate")]
        {
            if let Some((canvas, ctx)) = self.context() {
                ctx.clear_rect(
                    0.0,
                    0.0,
                    f64::from(canvas.width()),
                    f64::from(canvas.height()),
                );
            }
            self.state.update_value(|s| *s = PadState::default());
        }
    }

    #[cfg(feature = "hydrate")]
    fn has_ink(&self) -> bool {
        self.state.with_value(|s| s.ink >= 5)
    }

    #[cfg(feature = "hydrate")]
    fn data_url(&self) -> Option<String> {
        self.context()?.0.to_data_url_with_type("image/png").ok()
    }
}
