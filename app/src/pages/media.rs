//! Photos of a story: the upload form on the interview page (camera or file
//! picker, caption, description for screen readers), the photo grid, and
//! removal. The form is a plain multipart post that works without
//! JavaScript; in the browser it is sent in the background so the page — and
//! everything typed on it — stays as it is, whatever the answer.

use crate::api::media::RemoveMedia;
use crate::components::ErrorNote;
use crate::domain::ids::StoryId;
use crate::domain::media::MediaKind;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::model::MediaView;
use leptos::prelude::*;

/// Form field names of the upload (the server reads these).
pub mod fields {
    /// The file.
    pub const PHOTO: &str = "foto";
    /// The caption.
    pub const CAPTION: &str = "bijschrift";
    /// The description (alt text).
    pub const ALT: &str = "beschrijving";
}

/// Photos of a story, with the upload form when `editable`.
#[component]
pub fn PhotoSection(story: StoryId, media: Vec<MediaView>, editable: bool) -> impl IntoView {
    let lang = use_lang();
    let photos = RwSignal::new(
        media
            .into_iter()
            .filter(|m| m.kind == MediaKind::Photo)
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let added = RwSignal::new(0usize);
    let form = NodeRef::<leptos::html::Form>::new();
    let remove = ServerAction::<RemoveMedia>::new();
    Effect::new(move |_| {
        if let Some(Ok(removed)) = remove.value().get() {
            photos.update(|p| p.retain(|m| m.id != removed));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            let Some(el) = form.get_untracked() else {
                return;
            };
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match browser::upload(&crate::routes::photo_upload(story), &el).await {
                    Ok(view) => {
                        photos.update(|p| p.push(view));
                        added.update(|n| *n += 1);
                        el.reset();
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, form, busy, added);
    };
    view! {
        <section class="panel" aria-labelledby="fotos-kop">
            <h2 id="fotos-kop">{tr("Foto's", "Photos")}</h2>
            {move || {
                let list = photos.get();
                if list.is_empty() {
                    view! { <p class="hint">{tr("Nog geen foto's.", "No photos yet.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="photo-grid" role="list">
                            {list.into_iter().map(|m| {
                                let label = format!("{} {}", lang.pick("Foto verwijderen:", "Remove photo:"), if m.caption.is_empty() { &m.alt_text } else { &m.caption });
                                view! {
                                    <li class="photo">
                                        <figure>
                                            <a href=crate::routes::media(m.id)>
                                                <img src=crate::routes::media_thumb(m.id) alt=m.alt_text.clone() loading="lazy"/>
                                            </a>
                                            {(!m.caption.is_empty()).then(|| view! { <figcaption>{m.caption.clone()}</figcaption> })}
                                        </figure>
                                        {editable.then(|| view! {
                                            <ActionForm action=remove attr:class="photo-remove">
                                                <input type="hidden" name="id" value=m.id.to_string()/>
                                                <button type="submit" class="button button-quiet" aria-label=label>{tr("Verwijderen", "Remove")}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {editable.then(|| view! {
                <form node_ref=form class="form photo-form" method="post" enctype="multipart/form-data"
                    action=crate::routes::photo_upload(story) on:submit=on_submit>
                    <p class="hint">{tr(
                        "Alleen met toestemming van de bewoner voor foto's (zie ‘Toestemming’). Locatiegegevens en andere metadata worden uit de foto verwijderd.",
                        "Only with the resident's consent to photos (see ‘Consent’). Location data and other metadata are removed from the photo.",
                    )}</p>
                    <div class="photo-pickers">
                        <div class="field">
                            <label class="label" for="foto-camera">{tr("Foto maken met de camera", "Take a photo with the camera")}</label>
                            <input id="foto-camera" type="file" name=fields::PHOTO accept="image/jpeg,image/png,image/webp" capture="environment"/>
                        </div>
                        <div class="field">
                            <label class="label" for="foto-kiezen">{tr("Of een foto kiezen", "Or choose a photo")}</label>
                            <input id="foto-kiezen" type="file" name=fields::PHOTO accept="image/jpeg,image/png,image/webp"/>
                        </div>
                    </div>
                    <div class="field">
                        <label class="label" for="foto-beschrijving">{tr("Wat is er te zien? (voor wie de foto niet kan zien, verplicht)", "What does it show? (for people who cannot see it, required)")}</label>
                        <input id="foto-beschrijving" type="text" name=fields::ALT maxlength="300" required/>
                    </div>
                    <div class="field">
                        <label class="label" for="foto-bijschrift">{tr("Bijschrift (komt onder de foto in het boekje)", "Caption (printed under the photo in the booklet)")}</label>
                        <input id="foto-bijschrift" type="text" name=fields::CAPTION maxlength="300"/>
                    </div>
                    <div role="alert" class="photo-error">
                        {move || error.get().map(|e| view! { <ErrorNote error=e/> })}
                    </div>
                    <p class="save-state" aria-live="polite">
                        {move || if busy.get() {
                            tr("Foto wordt verstuurd…", "Sending photo…").to_string()
                        } else if added.get() > 0 {
                            tr("Foto toegevoegd.", "Photo added.").to_string()
                        } else {
                            String::new()
                        }}
                    </p>
                    <button type="submit" class="button button-large" disabled=move || busy.get()>
                        {tr("Foto toevoegen", "Add photo")}
                    </button>
                </form>
            })}
        </section>
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::MediaView;
    use leptos::prelude::window;
    use serde::de::DeserializeOwned;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    fn offline() -> AppError {
        AppError::Offline(Message::new(
            "Niet verbonden: er is niets verstuurd. Probeer het opnieuw zodra er verbinding is; uw tekst is bewaard.",
            "Not connected: nothing was sent. Try again when there is a connection; your text is kept.",
        ))
    }

    /// Posts the form's multipart body to `url`, asking for JSON.
    pub async fn upload(url: &str, form: &web_sys::HtmlFormElement) -> Result<MediaView, AppError> {
        let data = web_sys::FormData::new_with_form(form).map_err(|_| offline())?;
        send(url, &data, None).await
    }

    /// Posts `body` as JSON to `url`, asking for JSON.
    pub async fn send_json<T: DeserializeOwned>(
        url: &str,
        body: &serde_json::Value,
    ) -> Result<T, AppError> {
        let text = wasm_bindgen::JsValue::from_str(&body.to_string());
        send(url, &text, Some("application/json")).await
    }

    /// A `POST` answered with JSON: the value, or the server's [`AppError`].
    async fn send<T: DeserializeOwned>(
        url: &str,
        body: &wasm_bindgen::JsValue,
        content_type: Option<&str>,
    ) -> Result<T, AppError> {
        let headers = web_sys::Headers::new().map_err(|_| offline())?;
        let _ = headers.set("Accept", "application/json");
        if let Some(t) = content_type {
            let _ = headers.set("Content-Type", t);
        }
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(body);
        init.set_headers(&headers);
        let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| offline())?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| offline())?;
        let text = match response.text() {
            Ok(p) => JsFuture::from(p)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        if response.ok() {
            serde_json::from_str(&text).map_err(AppError::internal)
        } else {
            Err(serde_json::from_str::<AppError>(&text).unwrap_or_else(|_| {
                AppError::invalid(Message::new(
                    format!("Dat is niet gelukt (fout {}).", response.status()),
                    format!("That did not work (error {}).", response.status()),
                ))
            }))
        }
    }
}
